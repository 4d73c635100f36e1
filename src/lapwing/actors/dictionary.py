"""The actor dictionary (organizations, groups and named people) and the role table (titles and sector nouns).

All are YAML files read once per process: data/actors.yaml, data/people.yaml and data/roles.yaml
ship with the package, and users add actor files of the same format (docs/actors.md). Every entry is
checked on load, so a typo in a code fails at start-up with the file and the entry named, not later
as a silently wrong event. Entries of `type: person` go to a separate `PeopleIndex`: a person is
never matched over raw text like an organization, only looked up once the article treats a name as
a person (lapwing.actors.context).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..errors import ResourceError
from .countries import NON_STATE_CODES, PhraseTable, is_known_code

# PLOVER sector codes (see shared/design/plover.md).
SECTORS = frozenset({
    "COP", "GOV", "JUD", "LEG", "MIL", "PRM", "PTY", "REB", "SPY", "UAF", "CVL", "BUS",
    "CRM", "EDU", "ELI", "JRN", "LAB", "MED", "REF", "OPP", "PRE", "REL", "SOC", "AGR",
})
ENTRY_TYPES = frozenset({"igo", "ngo", "armed_group", "party", "company", "media", "government", "person"})
_ENTRY_KEYS = frozenset({"name", "aliases", "country", "sector", "type", "years", "surname", "offices"})
# The packaged files read by default, in order (later entries win a shared organization alias).
SHIPPED_FILES = ("actors.yaml", "people.yaml")
# Prefer libyaml's parser when PyYAML was built with it: the shipped files load several times faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_ROLE_FLAGS = ("person", "leader", "group", "generic", "owned")


@dataclass(frozen=True, slots=True)
class DictionaryEntry:
    """One organization or group: its canonical name, the names that find it, and its codes."""

    name: str
    aliases: tuple[str, ...]
    country: str
    sector: str | None
    type: str | None
    source: str
    years: tuple[int, int | None] | None = None  # a person's time in the role(s): [start, end or None]
    surname: str | None = None  # what a title precedes ("President Kim"), when not the name's last word
    # Codes held for a time, which win over `country` and `sector` at an article's date inside
    # them: (from, to or None, country or None, sector or None), ISO dates.
    offices: tuple[tuple[str, str | None, str | None, str | None], ...] = ()


def entry_at(entry: DictionaryEntry, when: str | None) -> DictionaryEntry:
    """The entry with the codes of the office it held at `when` (an ISO date), if one covers it.

    "The Taliban" is AFG/REB until 15 August 2021 and AFG/GOV after; Keir Starmer is GBR/OPP as
    opposition leader and GBR/GOV as prime minister.
    """
    if not entry.offices or not when:
        return entry
    for start, end, country, sector in entry.offices:
        if start <= when and (end is None or when <= end):
            return replace(entry, country=country or entry.country, sector=sector or entry.sector)
    return entry


@dataclass(frozen=True, slots=True)
class Role:
    """A role noun or title and the sector it implies.

    person: names one person ("president"); leader: counts for "both leaders"; group: refers back to
    an organization ("the group"); generic: defers to an organization's sector ("Hamas official");
    owned: an actor only with an owner ("the minister's office"); country: the non-state code a
    bearer takes when the phrase names no country ("a rights group" is NGO, as the codebook says).
    """

    key: str
    sector: str
    person: bool = False
    leader: bool = False
    group: bool = False
    generic: bool = False
    owned: bool = False
    country: str | None = None


def _read_yaml(path: Path | Any, what: str) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_LOADER)  # a safe loader (C or Python)
    except OSError as exc:
        raise ResourceError(f"cannot read {what} {path}: {exc}; check the path") from exc
    except yaml.YAMLError as exc:
        raise ResourceError(f"{what} {path} is not valid YAML: {exc}; fix the file") from exc
    except UnicodeDecodeError as exc:
        raise ResourceError(f"{what} {path} is not UTF-8 text ({exc}); save it as UTF-8") from exc
    except ValueError as exc:  # a date YAML reads but no calendar has ("2020-13-01")
        raise ResourceError(f"{what} {path} has an impossible date or number ({exc}); fix the file") from exc


def _check_entry(item: Any, index: int, source: str) -> DictionaryEntry:
    where = f"{source}: entry {index}"
    if not isinstance(item, dict):
        raise ResourceError(f"{where} is {type(item).__name__}, not a mapping with name, aliases, country, sector")
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ResourceError(f"{where} has no 'name'; give each entry a non-empty name")
    where = f"{where} ({name!r})"
    unknown = set(item) - _ENTRY_KEYS
    if unknown:
        raise ResourceError(f"{where} has unknown keys {sorted(unknown)}; allowed: {sorted(_ENTRY_KEYS)}")
    aliases = item.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise ResourceError(f"{where}: 'aliases' must be a list of non-empty strings, got {aliases!r}")
    country = item.get("country")
    if not isinstance(country, str) or not is_known_code(country):
        raise ResourceError(
            f"{where}: unknown country code {country!r}; use an ISO 3166 alpha-3 code (PSE, XKX allowed) "
            f"or one of {', '.join(sorted(NON_STATE_CODES))}"
        )
    sector = item.get("sector")
    if sector is not None and sector not in SECTORS:
        raise ResourceError(f"{where}: unknown sector code {sector!r}; use one of {', '.join(sorted(SECTORS))}")
    kind = item.get("type")
    if kind is not None and kind not in ENTRY_TYPES:
        raise ResourceError(f"{where}: unknown type {kind!r}; use one of {', '.join(sorted(ENTRY_TYPES))}")
    years = _check_years(item.get("years"), where)
    surname = item.get("surname")
    if surname is not None and (not isinstance(surname, str) or not surname.strip()):
        raise ResourceError(f"{where}: 'surname' must be a non-empty string, got {surname!r}")
    if (years or surname) and kind != "person":
        raise ResourceError(f"{where}: 'years' and 'surname' are for entries of type person; add 'type: person'")
    offices = _check_offices(item.get("offices"), where)
    return DictionaryEntry(name.strip(), tuple(a.strip() for a in aliases), country, sector, kind, source,
                           years, surname.strip() if surname else None, offices)


def _iso(value: Any, end: bool, where: str) -> str:
    """An office bound as an ISO date: a year stands for its first (or, as an end, last) day."""
    if isinstance(value, int):
        return f"{value:04d}-12-31" if end else f"{value:04d}-01-01"
    text = str(value)
    if len(text) == 10 and text[4] == "-" and text[7] == "-" and text.replace("-", "").isdigit():
        return text
    raise ResourceError(f"{where}: office dates are years or YYYY-MM-DD, got {value!r}")


def _check_offices(offices: Any, where: str) -> tuple[tuple[str, str | None, str | None, str | None], ...]:
    if offices is None:
        return ()
    if not isinstance(offices, list):
        raise ResourceError(f"{where}: 'offices' must be a list of {{from, to, sector, country}} mappings")
    out = []
    for n, o in enumerate(offices):
        here = f"{where}: office {n}"
        if not isinstance(o, dict) or "from" not in o or not set(o) <= {"from", "to", "sector", "country"}:
            raise ResourceError(f"{here}: give from (and to, sector, country), nothing else; got {o!r}")
        sector, country = o.get("sector"), o.get("country")
        if sector is not None and sector not in SECTORS:
            raise ResourceError(f"{here}: unknown sector code {sector!r}")
        if country is not None and not is_known_code(country):
            raise ResourceError(f"{here}: unknown country code {country!r}")
        if sector is None and country is None:
            raise ResourceError(f"{here}: an office needs a sector or a country")
        start = _iso(o["from"], False, here)
        end = _iso(o["to"], True, here) if o.get("to") is not None else None
        if end is not None and end < start:
            raise ResourceError(f"{here}: 'to' {end} is before 'from' {start}")
        out.append((start, end, country, sector))
    return tuple(out)


def _check_years(years: Any, where: str) -> tuple[int, int | None] | None:
    if years is None:
        return None
    ok = isinstance(years, list) and len(years) == 2 and isinstance(years[0], int) \
        and (years[1] is None or (isinstance(years[1], int) and years[1] >= years[0]))
    if not ok:
        raise ResourceError(f"{where}: 'years' must be [start, end] with end null or >= start, got {years!r}")
    return years[0], years[1]


def read_entries(path: Path | Any) -> list[DictionaryEntry]:
    """The checked entries of one actor file (a mapping with an `actors` list)."""
    data = _read_yaml(path, "actor dictionary")
    if not isinstance(data, dict) or not isinstance(data.get("actors"), list):
        raise ResourceError(f"actor dictionary {path} must be a mapping with an 'actors' list; see docs/actors.md")
    return [_check_entry(item, n, str(path)) for n, item in enumerate(data["actors"], 1)]


class ActorDictionary:
    """Organizations and groups, found by any of their names (later entries win a shared alias),
    and named people (`people`), looked up only where the article names a person."""

    def __init__(self, entries: Iterable[DictionaryEntry], kb: Any = None) -> None:
        self.entries = tuple(entries)
        # The knowledge base consulted after these entries (lapwing.actors.kb): an ActorKB, "shipped"
        # for the packaged one read on first use (what `load` gives with the shipped files), or None.
        self._kb = kb
        self.table: PhraseTable[DictionaryEntry] = PhraseTable(require_capital=True)
        people: list[DictionaryEntry] = []
        for entry in self.entries:
            if entry.type == "person":
                people.append(entry)
                continue
            self.table.add(entry.name, entry)
            for alias in entry.aliases:
                self.table.add(alias, entry)
        self.people = PeopleIndex(people)

    @classmethod
    def load(cls, paths: Sequence[str | Path] = (), *, include_shipped: bool = True) -> ActorDictionary:
        """The shipped dictionary (unless told not to) followed by the user's files, in order."""
        entries: list[DictionaryEntry] = []
        if include_shipped:
            for name in SHIPPED_FILES:
                entries += read_entries(resources.files("lapwing") / "data" / name)
        for path in paths:
            entries += read_entries(Path(path))
        return cls(entries, kb="shipped" if include_shipped else None)

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def kb(self) -> Any:
        """The actor knowledge base behind the dictionary (an ActorKB), or None."""
        if isinstance(self._kb, str):
            from .kb import default_kb  # read once per process, on first use

            self._kb = default_kb()
        return self._kb

    def lookup(self, text: str) -> DictionaryEntry | None:
        """The organization one of whose names is exactly `text` (acronyms case-sensitive), if any."""
        return self.table.lookup(text)

    def person(self, text: str, year: int | None = None, titled: bool = False) -> DictionaryEntry | None:
        """The person named `text` (see `PeopleIndex.resolve`), if exactly one country fits."""
        return self.people.resolve(text, year, titled)

    def find(self, texts: Sequence[str]) -> list[tuple[int, int, DictionaryEntry]]:
        """Longest non-overlapping matches over token texts as (start, end, entry)."""
        return self.table.find(texts)


_KEY_WORD = re.compile(r"\w+")
_PARTICLE = re.compile(r"^(?:al|el|ad|as|ash|at|az|ar)-", re.IGNORECASE)


def person_key(name: str) -> str:
    """The form names are compared in: no accents, case or punctuation ("Erdoğan" = "erdogan").

    A name with no lowercase letter (an acronym such as "MBS") keeps its case, so it matches only
    in capitals, as organization acronyms do.
    """
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    plain = plain.replace("ı", "i").replace("ł", "l").replace("ø", "o").replace("đ", "d")
    words = _KEY_WORD.findall(plain)
    key = " ".join(words)
    return key if key and not any(c.islower() for c in key) else key.lower()


class PeopleIndex:
    """Named people by normalized full name and alias, plus the surnames a title may precede.

    Both maps are built once; a lookup is one dict access. An alias several people share resolves
    only when they agree on the country (both Bushes are USA); otherwise the article's year, or
    failing that the one person still in office, decides, and when nothing decides there is no answer.
    """

    def __init__(self, entries: Iterable[DictionaryEntry]) -> None:
        latest: dict[tuple[str, str], DictionaryEntry] = {}
        for entry in entries:
            # A later file's entry replaces the same person in the same country; one person with
            # roles in two countries ("von der Leyen": DEU, then EUR) keeps one entry for each.
            latest[(person_key(entry.name), entry.country)] = entry
        self.entries = tuple(latest.values())
        self.names: dict[str, tuple[DictionaryEntry, ...]] = {}
        self.surnames: dict[str, tuple[DictionaryEntry, ...]] = {}
        for entry in self.entries:
            keys = {person_key(entry.name), *(person_key(a) for a in entry.aliases)}
            for key in keys - {""}:
                self.names[key] = (*self.names.get(key, ()), entry)
            for key in _surname_keys(entry):
                self.surnames[key] = (*self.surnames.get(key, ()), entry)

    def __len__(self) -> int:
        return len(self.entries)

    def candidates(self, text: str, titled: bool = False) -> tuple[DictionaryEntry, ...]:
        """Everyone `text` may name: by full name or alias, and after a title by surname too."""
        key = person_key(text)
        found = self.names.get(key) or self.names.get(key.lower(), ())
        if titled:
            # "President Herzog" may be any Herzog: the year, not the alias list, picks one.
            found += tuple(e for e in self.surnames.get(key.lower(), ()) if e not in found)
        return found

    def resolve(self, text: str, year: int | None = None, titled: bool = False) -> DictionaryEntry | None:
        """The person `text` names, or None when nobody or people of several countries fit.

        With the article's `year`, people in office that year are preferred. A bare surname after a
        title ("President Kim") must point to one country; a listed name or alias shared across
        countries falls back to the one holder still in office (the dictionary describes the present).
        """
        found = self.candidates(text, titled)
        if not found:
            return None
        if year is not None:
            active = [e for e in found if _active(e, year)]
            found = tuple(active) or found
        if len({e.country for e in found}) > 1:
            by_name = self.names.get(person_key(text)) or self.names.get(person_key(text).lower())
            current = [e for e in found if e.years and e.years[1] is None]
            if year is not None or not by_name or len({e.country for e in current}) != 1:
                return None
            found = tuple(current)
        return max(found, key=lambda e: e.years[0] if e.years else 0)

    def is_nickname(self, text: str) -> bool:
        """True for a one-word alias that is nobody's surname ("Hemedti", "Jokowi", not "Putin").

        Such a name is a person's wherever it stands, so the parser's label is not needed.
        """
        key = person_key(text).lower()
        found = self.names.get(key, ())
        if " " in key or not found or len({e.country for e in found}) > 1:
            return False
        return all(key not in _surname_keys(e, aliases=False) for e in found)

    def sector(self, entry: DictionaryEntry, year: int | None) -> str | None:
        """The entry's sector, ELI for an official the article dates after the role ended."""
        if year is not None and entry.years and entry.years[1] is not None and year > entry.years[1] \
                and entry.sector == "GOV":
            return "ELI"
        return entry.sector

    def ambiguous(self) -> dict[str, tuple[DictionaryEntry, ...]]:
        """Names and aliases shared by people of different countries (only a year can decide)."""
        return {k: v for k, v in self.names.items() if len({e.country for e in v}) > 1}


def _active(entry: DictionaryEntry, year: int) -> bool:
    if entry.years is None:
        return False
    start, end = entry.years
    return start <= year and (end is None or year <= end)


def _surname_keys(entry: DictionaryEntry, aliases: bool = True) -> set[str]:
    # What a title may precede: the name's last word ("President Assad" with or without "al-"),
    # an explicit surname for names written surname first ("Kim Jong Un"), and one-word aliases.
    words = [entry.surname] if entry.surname else [entry.name.split()[-1]]
    words += [w.split()[-1] for w in entry.aliases if len(w.split()) > 1]  # "Bashar Assad" -> Assad
    if aliases:
        words += [a for a in entry.aliases if len(a.split()) == 1]
    keys = set()
    for word in words:
        keys.add(person_key(word).lower())
        keys.add(person_key(_PARTICLE.sub("", word)).lower())
    return keys - {""}


@functools.lru_cache(maxsize=8)
def default_dictionary(paths: tuple[str, ...] = ()) -> ActorDictionary:
    """The shipped dictionaries (organizations, people) plus user files, loaded once per tuple of paths."""
    return ActorDictionary.load(paths)


# Titles of one person the role table files under groups ("commander" under soldier).
_TITLE_WORDS = frozenset({"envoy", "negotiator", "mediator", "commander", "colonel", "admiral", "brigadier",
                          "major general", "lieutenant general", "police chief"})


_VAGUE_HEADS = frozenset({"head", "expert"})


def _head_word(phrase: str) -> str:
    """The title's own noun: "prime minister" -> minister, "secretary of state" -> secretary."""
    words = phrase.lower().split()
    return words[words.index("of") - 1] if "of" in words[1:] else words[-1]


class RoleTable:
    """Role nouns and titles, matched over lowercased lemmas ("prime minister", "troop")."""

    def __init__(self, roles: Iterable[tuple[Sequence[str], Role]]) -> None:
        self.table: PhraseTable[Role] = PhraseTable(require_capital=False)
        person_words: set[str] = set()
        for words, role in roles:
            for word in words:
                self.table.add(word, role)
                if (role.person or role.key == "diplomat" or word in _TITLE_WORDS) and _head_word(word) not in _VAGUE_HEADS:
                    person_words.add(_head_word(word))
        # The last words of titles that name one person: the parse pre-filter looks for them.
        self.person_words = frozenset(person_words)

    def lookup(self, text: str) -> Role | None:
        """The role one of whose words is exactly `text`, if any."""
        return self.table.lookup(text)

    def find(self, lemmas: Sequence[str]) -> list[tuple[int, int, Role]]:
        """Longest non-overlapping role matches over lemmas as (start, end, role)."""
        return self.table.find(lemmas)


def read_roles(path: Path | Any) -> RoleTable:
    """The checked role table of one file: `roles:` maps a role to its sector, words and flags."""
    data = _read_yaml(path, "role table")
    if not isinstance(data, dict) or not isinstance(data.get("roles"), dict):
        raise ResourceError(f"role table {path} must be a mapping with a 'roles' mapping")
    out: list[tuple[Sequence[str], Role]] = []
    for key, spec in data["roles"].items():
        where = f"{path}: role {key!r}"
        if not isinstance(spec, dict) or spec.get("sector") not in SECTORS:
            raise ResourceError(f"{where} needs a 'sector' from {', '.join(sorted(SECTORS))}, got {spec!r}")
        unknown = set(spec) - {"sector", "words", "country", *_ROLE_FLAGS}
        if unknown:
            raise ResourceError(f"{where} has unknown keys {sorted(unknown)}; allowed: sector, words, country, {_ROLE_FLAGS}")
        if spec.get("country") is not None and spec["country"] not in NON_STATE_CODES:
            raise ResourceError(f"{where}: 'country' must be one of {', '.join(sorted(NON_STATE_CODES))}, got {spec['country']!r}")
        words = spec.get("words") or []
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise ResourceError(f"{where}: 'words' must be a list of strings, got {words!r}")
        flags = {f: bool(spec.get(f, False)) for f in _ROLE_FLAGS}
        out.append(([str(key), *words], Role(key=str(key), sector=spec["sector"], country=spec.get("country"), **flags)))
    return RoleTable(out)


@functools.lru_cache(maxsize=1)
def default_roles() -> RoleTable:
    """The shipped role table, loaded once."""
    return read_roles(resources.files("lapwing") / "data" / "roles.yaml")
