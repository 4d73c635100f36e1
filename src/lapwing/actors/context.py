"""The article-wide memory of names, titles and organizations, for coreference.

Built from a scan of capitalized word runs over the whole text (so sentences the parser skipped
still count: "Russian President Vladimir Putin" in an unparsed sentence lets a later "Putin"
resolve), then refined with what parsed mentions add ("Basem Naim, a Hamas official"). What the
article leaves unsaid about a person (no country, no title) comes last from the dictionary's named
people (data/people.yaml): "Netanyahu said" is ISR/GOV even when Israel is never named; for a full
name the dictionary lacks, from the actor knowledge base at the article's date (lapwing.actors.kb).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..doc import Doc
from .countries import NON_STATE_CODES, CountryMatch, CountryNames, country_name
from .dictionary import ActorDictionary, DictionaryEntry, PeopleIndex, Role, RoleTable, entry_at
from .kb import ActorKB, KBMatch

FORMER = frozenset({"former", "ex", "ousted", "deposed", "late"})


def name_words(text: str) -> list[str]:
    """The words of a person's name without a trailing possessive: "Netanyahu's" -> ["Netanyahu"]."""
    words = text.split()
    if words:
        last = words[-1]
        for suffix in ("'s", "’s", "'", "’"):
            if last.endswith(suffix):
                words[-1] = last[: -len(suffix)]
                break
    return [w for w in words if w]


def strip_titles(words: list[str], roles: RoleTable) -> list[str]:
    """The name after the last "of" or title word: "Then-Secretary of State Antony Blinken" -> "Antony Blinken".

    The last word always stays, so a surname that is also a title ("Tom King") is kept.
    """
    cut = 0
    for k, word in enumerate(words[:-1]):
        if word.lower() == "of" or any(roles.lookup(part) for part in word.split("-") if part):
            cut = k + 1
    # What a title is "of": "Secretary of State", "Minister of Foreign Affairs".
    while cut and cut < len(words) - 1 and words[cut - 1].lower() in ("of", "the", "for") \
            and words[cut] in _TITLE_OBJECTS:
        cut += 1
    while cut < len(words) - 1 and words[cut - 1] in _TITLE_OBJECTS and words[cut] in _TITLE_OBJECTS:
        cut += 1
    return words[cut:]


_TITLE_OBJECTS = frozenset({
    "State", "Defense", "Defence", "Foreign", "Affairs", "Interior", "Justice", "Finance", "Health", "Commerce",
    "Trade", "Energy", "Education", "Labor", "Labour", "Agriculture", "Treasury", "Homeland", "Security", "Staff",
    "Information", "Culture", "Transport", "Economy", "Industry", "Planning", "Investment", "Home", "War",
})

_WORD = re.compile(r"\S+")
_OPENERS = "\"“‘'(["
_CLOSERS = ",;:!?)]\"”"
_INITIALS = re.compile(r"^(?:[A-Z]\.)+$")
_ABBREVIATIONS = {"Mr.", "Mrs.", "Ms.", "Dr.", "Gen.", "Lt.", "Col.", "Sgt.", "Maj.", "Capt.", "Sen.", "Rep.", "St.", "Jr."}
_PARTICLE = re.compile(r"^(?:al|el|ad|ash|as|at|az|ar|ibn|bin|abu|bint)-[A-Z]")
_INNER_PARTICLES = {"of", "bin", "ibn", "abu", "bint", "de", "da", "del", "della", "van", "von", "der", "den", "le", "la", "du", "dos"}
# Capitalized words that start a sentence or precede a name without being part of it.
_NOT_NAMES = {
    "The", "A", "An", "In", "On", "At", "After", "Before", "But", "And", "As", "When", "While", "Meanwhile",
    "However", "Also", "He", "She", "It", "They", "We", "This", "That", "Notably", "Earlier", "Later", "Then",
    "Mr", "Mrs", "Ms", "Dr", "Mr.", "Mrs.", "Ms.", "Dr.", "Gen.", "Lt.", "Col.", "Sgt.", "Maj.", "Capt.",
    "Sen.", "Rep.", "Former", "Senior", "Acting", "Deputy", "Interim", "Top", "Ex", "Late", "Ousted",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "If", "Under", "With",
}


@dataclass(frozen=True)
class Seen:
    """An actor named somewhere in the article, at character `pos`."""

    name: str
    country: str | None
    sector: str | None
    role: Role | None
    pos: int
    kb_id: str | None = None  # the knowledge-base entry that filled the country or sector


class ArticleContext:
    """Names, titles and organizations of the whole article, for coreference.

    Built from a scan of capitalized word runs over the full text (so sentences the parser skipped
    still count), then refined with what parsed mentions add ("Basem Naim, a Hamas official").
    """

    def __init__(self, sentence_starts: list[int], person_surnames: set[str],
                 directory: PeopleIndex | None = None, year: int | None = None,
                 kb: ActorKB | None = None, when: str | None = None) -> None:
        self.sentence_starts = sentence_starts
        self.kb = kb  # the actor knowledge base, after the dictionary
        self.when = when  # the article's publication date (ISO): picks a knowledge-base entry's code
        self.person_surnames = person_surnames
        self.person_firsts: set[str] = set()  # first words of names the parser labels PERSON
        self.directory = directory  # the dictionary's named people, for what the article leaves unsaid
        self.year = year  # the article's publication year: picks between namesakes in the dictionary
        self.full_names: list[tuple[int, str, tuple[str, ...]]] = []
        self.people: list[tuple[int, str]] = []
        self.things: list[Seen] = []
        # Offices named without a name ("Kenya's interior minister"): a later "the minister" is it.
        self.offices: list[Seen] = []
        self.units: list[Seen] = []  # bodies named by a role with a country: "Sudan's army"
        self._info: dict[str, Seen] = {}
        self._surnames: set[str] = set()
        self._titled: set[str] = set()  # dictionary surnames the article puts after a title
        self._nicknames: set[str] = set()  # dictionary nicknames the article uses ("Hemedti")
        self._known: dict[str, DictionaryEntry | None] = {}
        self._kb_known: dict[str, KBMatch | None] = {}

    @classmethod
    def build(cls, doc: Doc, dictionary: ActorDictionary, countries: CountryNames, roles: RoleTable) -> ArticleContext:
        """Scan the article text once for names with their titles, countries and organizations."""
        surnames = {
            name_words(e.text)[-1] for e in doc.entities if e.label == "PERSON" and name_words(e.text)
        }
        firsts = {w[0] for e in doc.entities if e.label == "PERSON" and len(w := name_words(e.text)) >= 2}
        published = doc.article.published
        context = cls([s.start for s in doc.sentences], surnames, dictionary.people,
                      published.year if published else None, dictionary.kb,
                      published.isoformat()[:10] if published else None)
        context.person_firsts = firsts
        runs = list(_capital_runs(doc.text))
        singles: list[tuple[int, str, Seen]] = []
        for words, positions in runs:
            hits: list[tuple[int, int, object]] = []
            for a, b, entry in dictionary.find(words):
                entry = entry_at(entry, context.when)
                hits.append((a, b, entry))
                context.things.append(Seen(entry.name, entry.country, entry.sector, None, positions[a]))
            for a, b, match in countries.table.find(words):
                if not any(a < hb and ha < b for ha, hb, _ in hits):
                    hits.append((a, b, match))
                    if match.kind != "demonym":
                        label = country_name(match.code)
                        context.things.append(Seen(label, match.code, match.sector, None, positions[a]))
            role_hits = [(a, b, r) for a, b, r in roles.find(words) if not any(a < hb and ha < b for ha, hb, _ in hits)]
            cut = max((b for _, b, _ in [*hits, *role_hits]), default=0)
            name = words[cut:]
            while name and name[0] in _NOT_NAMES:
                name = name[1:]
            # A title the role table lacks, or a run like "Secretary of State Antony Blinken", is no name.
            name = strip_titles(name, roles) if name else name
            if not name:
                continue
            pos = positions[len(words) - len(name)]
            seen = _prefix_info(" ".join(name), words[:cut], hits, role_hits, pos)
            if len(name) >= 2:
                context.full_names.append((pos, seen.name, tuple(name)))
                context._merge(seen)
                context.people.append((pos, seen.name))
            else:
                singles.append((pos, name[0], seen))
        for pos, word, seen in singles:
            full = context.fullest([word], pos)
            # "President Bush": a dictionary person after a title is a person whatever the parser said.
            titled = full == word and bool(seen.role and seen.role.person) and context._lookup(word, True) is not None
            if titled:
                context._titled.add(word)
            # A nickname ("Hemedti", "Jokowi") names one person however the parser labels it; a
            # bare surname needs the parser's PERSON label or a title.
            nickname = full == word and context.directory is not None and context.directory.is_nickname(word)
            if nickname:
                context._nicknames.add(word)
            if full != word or word in surnames or titled or nickname:
                context._merge(replace(seen, name=full))
                context.people.append((pos, full))
        context.people.sort()
        context.things.sort(key=lambda s: s.pos)
        context._surnames = {fw[-1] for _, _, fw in context.full_names if context._is_person(" ".join(fw))}
        return context

    def _merge(self, seen: Seen) -> None:
        old = self._info.get(seen.name)
        if old is None:
            self._info[seen.name] = seen
            return
        self._info[seen.name] = Seen(
            seen.name, old.country or seen.country, old.sector or seen.sector, seen.role or old.role, old.pos,
            old.kb_id or seen.kb_id,
        )

    def fullest(self, words: list[str], pos: int) -> str:
        """The fullest name the article gives for `words`: "Netanyahu" -> "Benjamin Netanyahu"."""
        n = len(words)
        before = after = None
        for p, full, fw in self.full_names:
            if len(fw) > n and list(fw[-n:]) == words:
                if p <= pos:
                    before = full
                elif after is None:
                    after = full
        if before is None and after is None and n == 1 and words[0] in self.person_firsts:
            # "Kim" after "Kim Jong Un", "Xi" after "Xi Jinping": a family name written first (only
            # the first word of a name the parser took for a person's, not "Interior" of a title)
            for p, full, fw in self.full_names:
                if len(fw) > 1 and fw[0] == words[0] and p <= pos:
                    before = full
        return before or after or " ".join(words)

    def is_surname(self, word: str) -> bool:
        """True when `word` ends a full name the article gives ("Blinken" after "Antony Blinken"), is a
        dictionary person the article puts after a title ("Bush" after "President Bush"), or is a
        dictionary nickname ("Hemedti")."""
        return word in self._surnames or word in self._titled or word in self._nicknames

    def info(self, name: str | None) -> Seen | None:
        """What the article says about a person (country, sector, title), completed from the dictionary.

        The article wins: the dictionary fills only a country or sector the article leaves open.
        """
        if not name:
            return None
        seen = self._info.get(name)
        if seen is not None and seen.country and seen.sector:
            return seen
        titled = name in self._titled or bool(seen and seen.role and seen.role.person)
        entry = self._lookup(name, titled)
        if entry is None or self.directory is None:
            match = self.kb_lookup(name, "person") if " " in name else None
            # The knowledge base fills what the article leaves open, never against its country.
            if match is None or (seen is not None and seen.country and seen.country != match.country):
                return seen
            if seen is None:
                return Seen(name, match.country, match.sector, None, -1, match.kb_id)
            return replace(seen, country=seen.country or match.country, sector=seen.sector or match.sector,
                           kb_id=match.kb_id)
        dated = entry_at(entry, self.when)
        # An office held at the article's date says the sector; else the role, ELI once it ended.
        sector = dated.sector if dated is not entry else self.directory.sector(entry, self.year)
        entry = dated
        if seen is None:
            return Seen(name, entry.country, sector, None, -1)
        return replace(seen, country=seen.country or entry.country, sector=seen.sector or sector)

    def kb_lookup(self, name: str, kind: str, country: str | None = None) -> KBMatch | None:
        """The knowledge base's entry of that kind ("person", "org") for `name` at the article's date
        (of that country, when the text names one)."""
        if self.kb is None:
            return None
        key = f"{kind}:{country}:{name}"
        if key not in self._kb_known:
            self._kb_known[key] = self.kb.resolve(name, self.when, kind, country)
        return self._kb_known[key]

    def listed_person(self, name: str) -> bool:
        """Is `name` a listed name or alias of one person of the dictionary ("Trump", "Netanyahu")?

        The dictionary lists a bare surname as an alias only where it is unambiguous in world news,
        so such a name is a person whatever the parser's label ("Trump" tagged ORG).
        """
        return self._lookup(name, False) is not None

    def _lookup(self, name: str, titled: bool) -> DictionaryEntry | None:
        # Cached per article: names repeat, and a miss is as common as a hit.
        key = f"{int(titled)}{name}"
        if key not in self._known:
            self._known[key] = self.directory.resolve(name, self.year, titled) if self.directory else None
        return self._known[key]

    def note(self, person: str | None, country: str | None, sector: str | None, role: Role | None,
             pos: int, org: bool, name: str) -> None:
        """Record what a parsed mention resolved, for later coreference."""
        if person:
            self._merge(Seen(person, country, sector, role, pos))
            if (pos, person) not in self.people:
                self.people.append((pos, person))
                self.people.sort()
        elif (org or (country and not role)) and not any(t.pos == pos for t in self.things):
            self.things.append(Seen(name, country, sector, None, pos))
            self.things.sort(key=lambda s: s.pos)
        elif role is not None and role.person and country and not any(t.pos == pos for t in self.offices):
            self.offices.append(Seen(name, country, sector, role, pos))
            self.offices.sort(key=lambda s: s.pos)
        elif role is not None and not role.person and country and not any(t.pos == pos for t in self.units):
            self.units.append(Seen(name, country, sector, role, pos))
            self.units.sort(key=lambda s: s.pos)

    def _is_person(self, name: str) -> bool:
        seen = self._info.get(name)
        if name.split()[-1] in self.person_surnames or bool(seen and seen.role and seen.role.person):
            return True
        # A full name the dictionary lists ("Vladimir Putin") is a person even when the parser
        # labelled it a place; a single word needs the parser's or a title's word for it.
        return " " in name and self._lookup(name, False) is not None

    def _people_before(self, pos: int, start: int = -1) -> list[Seen]:
        out = []
        for p, name in reversed(self.people):
            if start <= p < pos and self._is_person(name):
                seen = self.info(name) or self._info[name]
                out.append(Seen(name, seen.country, seen.sector, seen.role, p, seen.kb_id))
        return out

    def named_people(self) -> set[str]:
        return {name for _, name in self.people}

    def titled(self, key: str, pos: int) -> Seen | None:
        """The last person, or unnamed office holder, before `pos` whose title ends with `key` ("the minister")."""
        def fits(seen: Seen) -> bool:
            return bool(seen.role and (seen.role.key == key or seen.role.key.endswith(" " + key)))

        person = next((s for s in self._people_before(pos) if fits(s)), None)
        office = next((s for s in reversed(self.offices) if s.pos < pos and fits(s)), None)
        if office is not None and (person is None or office.pos > person.pos):
            return office
        return person

    def leaders(self, pos: int, n: int) -> list[Seen]:
        """The last `n` distinct leaders named before `pos`, in text order ("both leaders")."""
        out: list[Seen] = []
        for seen in self._people_before(pos):
            if seen.role and seen.role.leader and all(s.name != seen.name for s in out):
                out.append(seen)
                if len(out) == n:
                    break
        return list(reversed(out))

    def officials(self, pos: int, n: int, sector: str, start: int) -> list[Seen]:
        """The last `n` distinct titled people of `sector` named in [start, pos) ("both ministers")."""
        out: list[Seen] = []
        for seen in self._people_before(pos, start):
            if seen.role and seen.role.person and seen.role.sector == sector and all(s.name != seen.name for s in out):
                out.append(seen)
                if len(out) == n:
                    break
        return list(reversed(out)) if len(out) == n else []

    def countries_named(self, pos: int, n: int, start: int) -> list[Seen]:
        """The last `n` distinct states named as such in [start, pos) ("both countries"), or []."""
        out: list[Seen] = []
        for seen in reversed(self.things):
            if not start <= seen.pos < pos or seen.sector is not None or not seen.country \
                    or seen.country in NON_STATE_CODES or seen.name != country_name(seen.country):
                continue
            if all(s.country != seen.country for s in out):
                out.append(seen)
                if len(out) == n:
                    return list(reversed(out))
        return []

    def last_unit(self, role: Role, pos: int, start: int) -> Seen | None:
        """The body "the army" or "the court" stands for: the last one named in [start, pos) by the
        same role with a country ("Sudan's army"), or an organization of that sector ("the
        International Court of Justice")."""
        units = [s for s in self.units if start <= s.pos < pos and s.role is not None and s.role.key == role.key]
        orgs = [s for s in self.things if start <= s.pos < pos and s.country and s.sector == role.sector
                and s.name != country_name(s.country)]
        return max(units + orgs, key=lambda s: s.pos, default=None)

    def last_org_called(self, word: str, pos: int, start: int) -> Seen | None:
        """The last organization named in [start, pos) whose name ends in `word` ("the council"
        after "the U.N. Security Council")."""
        for seen in reversed(self.things):
            if start <= seen.pos < pos and seen.country and seen.name != country_name(seen.country) \
                    and seen.name.split()[-1].lower() == word:
                return seen
        return None

    def last_org(self, pos: int) -> Seen | None:
        """The last organization named before `pos` ("the group")."""
        for seen in reversed(self.things):
            if seen.pos < pos and seen.country and seen.name != country_name(seen.country):
                return seen
        return None

    def window_start(self, sent: int) -> int:
        """Where the previous sentence starts: pronouns look back no further."""
        return self.sentence_starts[max(0, sent - 1)]

    def only_person(self, start: int, pos: int) -> Seen | None:
        """The one person named in [start, pos), or None when there are none or several."""
        found = {s.name: s for s in self._people_before(pos, start)}
        return next(iter(found.values())) if len(found) == 1 else None

    def people_between(self, start: int, pos: int) -> bool:
        """Is anyone named in [start, pos)?"""
        return bool(self._people_before(pos, start))

    def salient_person(self, pos: int) -> Seen | None:
        """The person the article has named most before `pos`, when one leads (named twice at least).

        "He was accused of incitement", far from the last naming: the story's protagonist.
        """
        counts: dict[str, int] = {}
        latest: dict[str, Seen] = {}
        for seen in self._people_before(pos):
            counts[seen.name] = counts.get(seen.name, 0) + 1
            latest.setdefault(seen.name, seen)
        ranked = sorted(counts.items(), key=lambda kv: -kv[1])
        if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
            return None
        return latest[ranked[0][0]]

    def only_org(self, start: int, pos: int) -> Seen | None:
        """The one organization or country named in [start, pos), or None when ambiguous."""
        found = {s.name: s for s in self.things if start <= s.pos < pos}
        return next(iter(found.values())) if len(found) == 1 else None


def _prefix_info(name: str, prefix: list[str], hits: list, role_hits: list, pos: int) -> Seen:
    country = sector = None
    org_sector = None
    for _, _, value in sorted(hits, key=lambda h: h[0]):
        if isinstance(value, DictionaryEntry):
            country, org_sector = value.country, value.sector
        elif isinstance(value, CountryMatch):
            country = value.code
    role = role_hits[-1][2] if role_hits else None
    if role:
        sector = org_sector if role.generic and org_sector else role.sector
        if role.person and any(w.lower() in FORMER for w in prefix):
            sector = "ELI"
    elif org_sector:
        sector = org_sector
    return Seen(name, country, sector, role, pos)


def _capital_runs(text: str):
    """Runs of capitalized words (with name particles) and each word's character offset."""
    words: list[str] = []
    positions: list[int] = []
    for m in _WORD.finditer(text):
        raw = m.group()
        start = m.start()
        stripped = raw.lstrip(_OPENERS)
        start += len(raw) - len(stripped)
        if stripped != raw and words:
            yield words, positions
            words, positions = [], []
        core = stripped.rstrip(_CLOSERS)
        ends = core != stripped
        if core.endswith(".") and not (_INITIALS.match(core) or core in _ABBREVIATIONS):
            core, ends = core[:-1], True
        for suffix in ("'s", "’s", "’", "'"):
            if core.endswith(suffix):
                core = core[: -len(suffix)]
                break
        capital = bool(core) and (core[0].isupper() or bool(_PARTICLE.match(core)))
        inner = bool(words) and core in _INNER_PARTICLES
        if capital or inner:
            words.append(core)
            positions.append(start)
        if words and (ends or not (capital or inner)):
            yield from _flush(words, positions)
            words, positions = [], []
    yield from _flush(words, positions)


def _flush(words: list[str], positions: list[int]):
    # "of" joins "Secretary of State" but never ends a name.
    while words and words[-1] in _INNER_PARTICLES:
        words, positions = words[:-1], positions[:-1]
    if words:
        yield words, positions


