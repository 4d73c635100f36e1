"""The actor dictionary (organizations and groups) and the role table (titles and sector nouns).

Both are YAML files read once per process: data/actors.yaml and data/roles.yaml ship with the
package, and users add actor files of the same format (docs/actors.md). Every entry is checked on
load, so a typo in a code fails at start-up with the file and the entry named, not later as a
silently wrong event.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
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
ENTRY_TYPES = frozenset({"igo", "ngo", "armed_group", "party", "company", "media", "government"})
_ENTRY_KEYS = frozenset({"name", "aliases", "country", "sector", "type"})
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


@dataclass(frozen=True, slots=True)
class Role:
    """A role noun or title and the sector it implies.

    person: names one person ("president"); leader: counts for "both leaders"; group: refers back to
    an organization ("the group"); generic: defers to an organization's sector ("Hamas official");
    owned: an actor only with an owner ("the minister's office").
    """

    key: str
    sector: str
    person: bool = False
    leader: bool = False
    group: bool = False
    generic: bool = False
    owned: bool = False


def _read_yaml(path: Path | Any, what: str) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except OSError as exc:
        raise ResourceError(f"cannot read {what} {path}: {exc}; check the path") from exc
    except yaml.YAMLError as exc:
        raise ResourceError(f"{what} {path} is not valid YAML: {exc}; fix the file") from exc


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
    return DictionaryEntry(name.strip(), tuple(a.strip() for a in aliases), country, sector, kind, source)


def read_entries(path: Path | Any) -> list[DictionaryEntry]:
    """The checked entries of one actor file (a mapping with an `actors` list)."""
    data = _read_yaml(path, "actor dictionary")
    if not isinstance(data, dict) or not isinstance(data.get("actors"), list):
        raise ResourceError(f"actor dictionary {path} must be a mapping with an 'actors' list; see docs/actors.md")
    return [_check_entry(item, n, str(path)) for n, item in enumerate(data["actors"], 1)]


class ActorDictionary:
    """Organizations and groups, found by any of their names; later entries win a shared alias."""

    def __init__(self, entries: Iterable[DictionaryEntry]) -> None:
        self.entries = tuple(entries)
        self.table: PhraseTable[DictionaryEntry] = PhraseTable(require_capital=True)
        for entry in self.entries:
            self.table.add(entry.name, entry)
            for alias in entry.aliases:
                self.table.add(alias, entry)

    @classmethod
    def load(cls, paths: Sequence[str | Path] = (), *, include_shipped: bool = True) -> ActorDictionary:
        """The shipped dictionary (unless told not to) followed by the user's files, in order."""
        entries: list[DictionaryEntry] = []
        if include_shipped:
            entries += read_entries(resources.files("lapwing") / "data" / "actors.yaml")
        for path in paths:
            entries += read_entries(Path(path))
        return cls(entries)

    def __len__(self) -> int:
        return len(self.entries)

    def lookup(self, text: str) -> DictionaryEntry | None:
        """The entry one of whose names is exactly `text` (acronyms case-sensitive), if any."""
        return self.table.lookup(text)

    def find(self, texts: Sequence[str]) -> list[tuple[int, int, DictionaryEntry]]:
        """Longest non-overlapping matches over token texts as (start, end, entry)."""
        return self.table.find(texts)


@functools.lru_cache(maxsize=8)
def default_dictionary(paths: tuple[str, ...] = ()) -> ActorDictionary:
    """The shipped dictionary plus user files, loaded once per distinct tuple of paths."""
    return ActorDictionary.load(paths)


class RoleTable:
    """Role nouns and titles, matched over lowercased lemmas ("prime minister", "troop")."""

    def __init__(self, roles: Iterable[tuple[Sequence[str], Role]]) -> None:
        self.table: PhraseTable[Role] = PhraseTable(require_capital=False)
        for words, role in roles:
            for word in words:
                self.table.add(word, role)

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
        unknown = set(spec) - {"sector", "words", *_ROLE_FLAGS}
        if unknown:
            raise ResourceError(f"{where} has unknown keys {sorted(unknown)}; allowed: sector, words, {_ROLE_FLAGS}")
        words = spec.get("words") or []
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise ResourceError(f"{where}: 'words' must be a list of strings, got {words!r}")
        flags = {f: bool(spec.get(f, False)) for f in _ROLE_FLAGS}
        out.append(([str(key), *words], Role(key=str(key), sector=spec["sector"], **flags)))
    return RoleTable(out)


@functools.lru_cache(maxsize=1)
def default_roles() -> RoleTable:
    """The shipped role table, loaded once."""
    return read_roles(resources.files("lapwing") / "data" / "roles.yaml")
