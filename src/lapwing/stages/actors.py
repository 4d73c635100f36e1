"""Actors: every actor-denoting noun phrase -> Mention(Actor(name, country, sector)).

Per parsed sentence, each noun-phrase root (a nominal token that modifies no other noun) is read
with its modifiers and, for people and roles, a "from/of X" attachment as one phrase: "US President
Joe Biden", "a Qatari official", "Majed al-Ansari from Qatar's foreign ministry". The phrase's
pieces decide the actor: a dictionary organization, then a country name, demonym, possessive or
"from X" for the country; the role noun or title for the sector. Names and titles are carried
across the article (including sentences the parser skipped) by `ArticleContext`, so "Netanyahu",
"the president", "both leaders", "the group" and an unambiguous "he" resolve to earlier actors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..actors.countries import CountryMatch, CountryNames, country_name, load_countries
from ..actors.dictionary import ActorDictionary, DictionaryEntry, Role, RoleTable, default_dictionary, default_roles
from ..doc import Doc
from ..records import Actor, Entity, Mention, Token

_NOMINAL = {"NOUN", "PROPN", "PRON", "NUM", "X"}
# Dependents that stay inside a noun phrase.
_MODIFIERS = {"compound", "amod", "det", "poss", "case", "nummod", "quantmod", "nmod", "predet"}
# A GPE that is the object of these prepositions is a place, not an actor ("in Gaza").
_PLACE_PREPS = {"in", "at", "near", "across", "inside", "outside", "around", "throughout", "within", "into",
                "toward", "towards", "through", "along", "off"}
_PERSON_PRONOUNS = {"he", "she", "him", "her"}
_THING_PRONOUNS = {"it"}
# "It seems", "it is expected": an expletive "it" names no actor.
_EXPLETIVE_VERBS = {"be", "seem", "appear", "remain", "happen", "take", "rain", "matter"}
_FORMER = {"former", "ex", "ousted", "deposed", "late"}


@dataclass(frozen=True)
class ActorsConfig:
    """User choices: extra dictionary files (YAML, docs/actors.md) and pronoun resolution."""

    dictionaries: tuple[str, ...] = ()
    pronouns: bool = True


@dataclass(frozen=True)
class _Block:
    """A name found over tokens: an organization, a country word, or a PERSON entity."""

    start: int
    end: int
    kind: str  # org | country | person
    entry: DictionaryEntry | None = None
    country: CountryMatch | None = None


@dataclass
class _Draft:
    start: int
    end: int
    head: int
    kind: str
    name: str
    country: str | None
    sector: str | None
    person: str | None = None  # the full name, for people
    role: Role | None = None
    org: bool = False


class ActorResolver:
    """Finds actor mentions and resolves each to a country and sector, with coreference."""

    name = "actors"
    version = "1"
    requires = ("parse", "entities")
    assigns = ("mentions",)

    def __init__(
        self,
        config: ActorsConfig = ActorsConfig(),
        dictionary: ActorDictionary | None = None,
        countries: CountryNames | None = None,
        roles: RoleTable | None = None,
    ) -> None:
        self.config = config
        self.dictionary = dictionary if dictionary is not None else default_dictionary(tuple(config.dictionaries))
        self.countries = countries if countries is not None else load_countries()
        self.roles = roles if roles is not None else default_roles()

    def __call__(self, doc: Doc) -> Doc:
        context = ArticleContext.build(doc, self.dictionary, self.countries, self.roles)
        people: dict[int, list[Entity]] = {}
        for ent in doc.entities:
            if ent.label == "PERSON" and ent.token_end > ent.token_start:
                people.setdefault(doc.tokens[ent.token_start].sent, []).append(ent)
        mentions: list[Mention] = []
        for n, sentence in enumerate(doc.sentences):
            if sentence.parsed and sentence.token_end > sentence.token_start:
                mentions.extend(_SentenceReader(self, doc, n, context, people.get(n, [])).read())
        return doc.replace(mentions=tuple(mentions))


class _SentenceReader:
    """Reads the actor phrases of one parsed sentence."""

    def __init__(
        self, resolver: ActorResolver, doc: Doc, sent: int, context: ArticleContext, people: list[Entity]
    ) -> None:
        self.r = resolver
        self.people = people
        self.doc = doc
        self.sent = sent
        self.context = context
        s = doc.sentences[sent]
        self.base = s.token_start
        self.tokens = doc.tokens[s.token_start : s.token_end]
        self.kids: dict[int, list[Token]] = {}
        for t in self.tokens:
            if t.head != t.i:
                self.kids.setdefault(t.head, []).append(t)
        self.roles_at: dict[int, tuple[int, int, Role]] = {}
        self.blocks = self._find_blocks()
        self.block_at: dict[int, _Block] = {i: b for b in self.blocks for i in range(b.start, b.end)}
        for i in list(self.roles_at):
            if i in self.block_at and self.block_at[i].kind != "org":
                del self.roles_at[i]

    # -- finding names -------------------------------------------------------------------
    def _find_blocks(self) -> list[_Block]:
        base, toks = self.base, self.tokens
        # A role is a noun: "firm" in "his firm stance" or "official" in "official statement" is not.
        for a, b, role in self.r.roles.find([t.lemma or t.text for t in toks]):
            if toks[b - 1].pos in ("NOUN", "PROPN"):
                for i in range(a, b):
                    self.roles_at[base + i] = (base + a, base + b, role)
        texts = [t.text for t in toks]
        blocks = [_Block(base + a, base + b, "org", entry=e) for a, b, e in self.r.dictionary.find(texts)]
        taken = {i for b in blocks for i in range(b.start, b.end)}
        places = [(base + a, base + b, m) for a, b, m in self.r.countries.table.find(texts)]
        place_at = {i for a, b, _ in places for i in range(a, b)}
        for ent in self.people:
            # The parser sometimes puts a title or country inside a name: "State Antony Blinken".
            a = ent.token_start
            while a < ent.token_end and (a in self.roles_at or a in place_at or a in taken):
                a += 1
            if a < ent.token_end and not any(i in taken for i in range(a, ent.token_end)):
                blocks.append(_Block(a, ent.token_end, "person"))
                taken.update(range(a, ent.token_end))
        for a, b, match in places:
            if not any(i in taken for i in range(a, b)):
                blocks.append(_Block(a, b, "country", country=match))
        return sorted(blocks, key=lambda b: b.start)

    def _ent_label(self, i: int) -> str:
        return self.doc.tokens[i].ent_type

    # -- phrases -------------------------------------------------------------------------
    def _children(self, i: int) -> list[Token]:
        return self.kids.get(i, [])

    def _members(self, h: int) -> set[int]:
        members = {h}
        stack = [h]
        while stack:
            for c in self._children(stack.pop()):
                if c.dep in _MODIFIERS and c.i not in members:
                    members.add(c.i)
                    stack.append(c.i)
        return members

    def _span(self, h: int) -> tuple[int, int]:
        members = self._members(h)
        a, b = min(members), max(members) + 1
        # A name the parser split across phrases ("Doctors Without Borders") is read whole.
        changed = True
        while changed:
            changed = False
            for i in range(a, b):
                block = self.block_at.get(i)
                if block and (block.start < a or block.end > b):
                    a, b = min(a, block.start), max(b, block.end)
                    changed = True
        return a, b

    def _is_root(self, t: Token) -> bool:
        return t.pos in _NOMINAL and t.dep not in _MODIFIERS and t.dep != "punct"

    def read(self) -> list[Mention]:
        """Mentions of this sentence, in text order."""
        roots = [t.i for t in self.tokens if self._is_root(t)]
        spans = {h: self._span(h) for h in roots}
        drafts: list[_Draft] = []
        for h in roots:
            a, b = spans[h]
            # A root inside a wider phrase belongs to it: "State" in "US Secretary of State Antony Blinken".
            if any(o != h and spans[o][0] <= h < spans[o][1] and spans[o][1] - spans[o][0] > b - a for o in roots):
                continue
            drafts.extend(self._phrase(h))
        # A phrase a "from X" attachment swallowed is not a mention of its own.
        drafts = [d for d in drafts if not any(
            o.head != d.head and o.start <= d.start and d.end <= o.end and (o.end - o.start) > (d.end - d.start)
            for o in drafts)]
        self._merge_appositions(drafts)
        for d in drafts:
            self.context.note(d.person, d.country, d.sector, d.role, self.doc.tokens[d.start].start, d.org, d.name)
        return [self._mention(d) for d in sorted(drafts, key=lambda d: (d.start, d.head))]

    def _mention(self, d: _Draft) -> Mention:
        first, last = self.doc.tokens[d.start], self.doc.tokens[d.end - 1]
        actor = Actor(self.doc.text[first.start : last.end], d.name, d.country, d.sector, first.start, last.end)
        return Mention(actor, d.start, d.end, d.head, d.kind)

    def _text(self, a: int, b: int) -> str:
        toks = self.doc.tokens
        return self.doc.text[toks[a].start : toks[b - 1].end]

    def _name(self, a: int, b: int) -> str:
        # Names drop the determiner and a trailing possessive: "the Israeli army's" -> "Israeli army".
        toks = self.doc.tokens
        while a < b - 1 and toks[a].dep in ("det", "predet"):
            a += 1
        while b > a + 1 and toks[b - 1].dep == "case":
            b -= 1
        return self._text(a, b)

    def _phrase(self, h: int) -> list[_Draft]:
        a, b = self._span(h)
        head = self._outer_head(a, b, h)
        tok = self.doc.tokens[head]
        if tok.pos == "PRON":
            return self._pronoun(tok)
        blocks = [blk for blk in self.blocks if a <= blk.start and blk.end <= b]
        head_block = self.block_at.get(head)
        role_hit = self._head_role(a, b, head)
        # "from/of X" attached to a person or role gives the country and, for some, the sector.
        extra = None
        if (head_block and head_block.kind == "person") or (role_hit and not head_block):
            extra = self._attachment(head, role_hit[2] if role_hit else None)
            if extra:
                b = max(b, extra.end)
        orgs = [blk for blk in blocks if blk.kind == "org"]
        places = [blk for blk in blocks if blk.kind == "country"]
        country = _first([*[o.entry.country for o in orgs if o.entry], *[p.country.code for p in places if p.country]])
        if country is None and extra:
            country = extra.country
        former = any(self.doc.tokens[i].text.lower() in _FORMER for i in range(a, head))

        if head_block and head_block.kind == "person":
            return [self._person(a, b, head, head_block, role_hit, orgs, country, extra, former)]
        if head_block and head_block.kind == "org" and head_block.entry:
            e = head_block.entry
            return [_Draft(a, b, head, "entity", e.name, e.country, e.sector, org=True)]
        if role_hit:
            return self._role(a, b, head, role_hit[2], orgs, country, extra, former)
        if head_block and head_block.kind == "country" and head_block.country:
            return self._country(a, b, head, head_block.country)
        label = self._ent_label(head)
        if label == "ORG":
            sector = _role_sector(self._roles_in(a, b))
            return [_Draft(a, b, head, "entity", self._name(a, b), country, sector, org=True)]
        if label == "NORP" and tok.pos in ("PROPN", "NOUN"):
            return [_Draft(a, b, head, "entity", self._name(a, b), None, None)]
        # Not an actor itself: its modifiers may be ("Israeli strikes", "Hamas' headquarters").
        return [d for blk in blocks for d in self._modifier(blk)]

    def _outer_head(self, a: int, b: int, h: int) -> int:
        if self.doc.tokens[h].head < a or self.doc.tokens[h].head >= b or self.doc.tokens[h].head == h:
            return h
        for i in range(a, b):
            t = self.doc.tokens[i]
            if t.head < a or t.head >= b or t.head == i:
                return i
        return h

    def _head_role(self, a: int, b: int, head: int) -> tuple[int, int, Role] | None:
        # The title nearest the head: "US President Joe Biden" -> president; "Israeli military drones" -> drone.
        best = None
        for i in range(a, min(b, head + 1)):
            hit = self.roles_at.get(i)
            if hit and not (self.block_at.get(i) and self.block_at[i].kind == "org"):
                best = hit
        if best and best[2].owned:
            owner = [c for c in self._children(head) if c.dep == "poss"]
            if not owner:
                return None
            inner = self._head_role(a, owner[0].i + 1, owner[0].i)
            return (best[0], best[1], replace(best[2], sector=inner[2].sector)) if inner else best
        return best

    def _roles_in(self, a: int, b: int) -> list[Role]:
        return [self.roles_at[i][2] for i in range(a, b) if i in self.roles_at]

    def _attachment(self, head: int, role: Role | None) -> _Draft | None:
        for c in self._children(head):
            if c.dep != "prep" or c.text.lower() not in ("from", "of", "for", "with"):
                continue
            if c.text.lower() in ("for", "with") and not (role and role.generic):
                continue
            for p in self._children(c.i):
                if p.dep == "pobj":
                    inner = self._phrase(p.i)
                    if len(inner) == 1 and inner[0].country and inner[0].kind != "coref":
                        return inner[0]
        return None

    def _person(self, a, b, head, block, role_hit, orgs, country, extra, former) -> _Draft:
        words = _name_words(self._text(block.start, block.end))
        full = self.context.fullest(words, self.doc.tokens[head].start)
        seen = self.context.info(full)
        role = role_hit[2] if role_hit else None
        sector = role.sector if role else None
        if role and role.generic and orgs and orgs[-1].entry:
            sector = orgs[-1].entry.sector or sector
        if extra and (role is None or role.generic):
            sector = extra.sector or sector
        if role is None and orgs and orgs[-1].entry:
            sector = orgs[-1].entry.sector
        if former and role and role.person:
            sector = "ELI"
        if seen:
            country = country or seen.country
            sector = sector or seen.sector
            role = role or seen.role
        return _Draft(a, b, head, "entity", full, country, sector, person=full, role=role)

    def _role(self, a, b, head, role, orgs, country, extra, former) -> list[_Draft]:
        tok = self.doc.tokens[head]
        dets = {t.text.lower() for t in self._children(head) if t.dep in ("det", "predet", "nummod")}
        bare = not orgs and country is None
        at = tok.start
        if bare and role.leader and tok.tag in ("NNS", "NNPS") and dets & {"both", "two"}:
            pair = self.context.leaders(at, 2)
            if len(pair) == 2:
                return [_coref(a, b, head, s, person=True) for s in pair]
        if bare and dets & {"the", "this"} and tok.tag in ("NN", "NNP"):
            if role.group:
                seen = self.context.last_org(at)
                if seen:
                    return [_Draft(a, b, head, "coref", seen.name, seen.country, seen.sector, org=True)]
            elif role.person and (b - a) <= 3:
                seen = self.context.titled(role.key, at)
                if seen:
                    return [_coref(a, b, head, seen, person=True)]
        sector = role.sector
        if role.generic and orgs and orgs[-1].entry:
            sector = orgs[-1].entry.sector or sector
        elif role.generic and extra:
            sector = extra.sector or sector
        if role.group and orgs and orgs[-1].entry:
            sector = orgs[-1].entry.sector
        if former and role.person:
            sector = "ELI"
        return [_Draft(a, b, head, "role", self._name(a, b), country, sector, role=role)]

    def _country(self, a: int, b: int, head: int, match: CountryMatch) -> list[_Draft]:
        tok = self.doc.tokens[head]
        prep = self.doc.tokens[tok.head]
        if tok.dep == "pobj" and prep.text.lower() in _PLACE_PREPS and match.kind != "demonym":
            return []
        if match.kind == "demonym":
            return [_Draft(a, b, head, "demonym", self._name(a, b), match.code, "CVL")]
        if match.kind == "metonym":
            return [_Draft(a, b, head, "entity", self._name(a, b), match.code, match.sector)]
        return [_Draft(a, b, head, "entity", _country_label(self._name(a, b), match.code), match.code, None)]

    def _modifier(self, block: _Block) -> list[_Draft]:
        head = self._outer_head(block.start, block.end, block.end - 1)
        if block.kind == "org" and block.entry:
            e = block.entry
            return [_Draft(block.start, block.end, head, "entity", e.name, e.country, e.sector, org=True)]
        if block.kind == "person":
            full = self.context.fullest(_name_words(self._text(block.start, block.end)), self.doc.tokens[head].start)
            seen = self.context.info(full)
            return [_Draft(block.start, block.end, head, "entity", full, seen.country if seen else None,
                           seen.sector if seen else None, person=full, role=seen.role if seen else None)]
        m = block.country
        if m is None:
            return []
        if m.kind == "demonym":
            return [_Draft(block.start, block.end, head, "demonym", self._text(block.start, block.end), m.code, None)]
        name = self._text(block.start, block.end)
        name = name if m.kind == "metonym" else _country_label(name, m.code)
        return [_Draft(block.start, block.end, head, "entity", name, m.code, m.sector)]

    def _pronoun(self, tok: Token) -> list[_Draft]:
        if not self.r.config.pronouns or tok.dep not in ("nsubj", "dobj", "pobj", "nsubjpass", "dative"):
            return []
        word = tok.text.lower()
        window = self.context.window_start(self.sent)
        if word in _PERSON_PRONOUNS:
            seen = self.context.only_person(window, tok.start)
        elif word in _THING_PRONOUNS and tok.dep == "nsubj" and self.doc.tokens[tok.head].lemma not in _EXPLETIVE_VERBS:
            seen = self.context.only_org(window, tok.start)
        else:
            return []
        if seen is None:
            return []
        return [_Draft(tok.i, tok.i + 1, tok.i, "coref", seen.name, seen.country, seen.sector,
                       person=seen.name if word in _PERSON_PRONOUNS else None, role=seen.role)]

    def _merge_appositions(self, drafts: list[_Draft]) -> None:
        # "Basem Naim, a senior Hamas official": the name and the role describe one actor.
        by_head = {d.head: d for d in drafts}
        for d in drafts:
            tok = self.doc.tokens[d.head]
            other = by_head.get(tok.head) if tok.dep == "appos" else None
            if other is None:
                continue
            person, role = (other, d) if other.person else (d, other) if d.person else (None, None)
            if person is None or role is None:
                continue
            person.country = person.country or role.country
            person.sector = person.sector or role.sector
            person.role = person.role or role.role
            role.name, role.person = person.name, person.person
            role.country, role.sector = person.country, person.sector


def _coref(a: int, b: int, head: int, seen: Seen, person: bool) -> _Draft:
    return _Draft(a, b, head, "coref", seen.name, seen.country, seen.sector,
                  person=seen.name if person else None, role=seen.role)


def _country_label(text: str, code: str) -> str:
    # "US", "U.S.", "DRC" name the country by its usual English name; "Gaza" or "America" stay.
    return text if any(c.islower() for c in text) else country_name(code)


def _first(values: list[str | None]) -> str | None:
    return next((v for v in values if v), None)


def _role_sector(roles: list[Role]) -> str | None:
    return roles[-1].sector if roles else None


def _name_words(text: str) -> list[str]:
    words = text.split()
    if words:
        last = words[-1]
        for suffix in ("'s", "’s", "'", "’"):
            if last.endswith(suffix):
                words[-1] = last[: -len(suffix)]
                break
    return [w for w in words if w]


# -- the article-wide memory of names -----------------------------------------------------------

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


class ArticleContext:
    """Names, titles and organizations of the whole article, for coreference.

    Built from a scan of capitalized word runs over the full text (so sentences the parser skipped
    still count), then refined with what parsed mentions add ("Basem Naim, a Hamas official").
    """

    def __init__(self, sentence_starts: list[int], person_surnames: set[str]) -> None:
        self.sentence_starts = sentence_starts
        self.person_surnames = person_surnames
        self.full_names: list[tuple[int, str, tuple[str, ...]]] = []
        self.people: list[tuple[int, str]] = []
        self.things: list[Seen] = []
        self._info: dict[str, Seen] = {}

    @classmethod
    def build(cls, doc: Doc, dictionary: ActorDictionary, countries: CountryNames, roles: RoleTable) -> ArticleContext:
        """Scan the article text once for names with their titles, countries and organizations."""
        surnames = {
            _name_words(e.text)[-1] for e in doc.entities if e.label == "PERSON" and _name_words(e.text)
        }
        context = cls([s.start for s in doc.sentences], surnames)
        runs = list(_capital_runs(doc.text))
        singles: list[tuple[int, str, Seen]] = []
        for words, positions in runs:
            hits: list[tuple[int, int, object]] = []
            for a, b, entry in dictionary.find(words):
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
            if full != word or word in surnames:
                context._merge(replace(seen, name=full))
                context.people.append((pos, full))
        context.people.sort()
        context.things.sort(key=lambda s: s.pos)
        return context

    def _merge(self, seen: Seen) -> None:
        old = self._info.get(seen.name)
        if old is None:
            self._info[seen.name] = seen
            return
        self._info[seen.name] = Seen(
            seen.name, old.country or seen.country, old.sector or seen.sector, seen.role or old.role, old.pos
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
        return before or after or " ".join(words)

    def info(self, name: str | None) -> Seen | None:
        """What the article says about a person: country, sector and title."""
        return self._info.get(name) if name else None

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

    def _is_person(self, name: str) -> bool:
        seen = self._info.get(name)
        return name.split()[-1] in self.person_surnames or bool(seen and seen.role and seen.role.person)

    def _people_before(self, pos: int, start: int = -1) -> list[Seen]:
        out = []
        for p, name in reversed(self.people):
            if start <= p < pos and self._is_person(name):
                seen = self._info[name]
                out.append(Seen(name, seen.country, seen.sector, seen.role, p))
        return out

    def titled(self, key: str, pos: int) -> Seen | None:
        """The last person before `pos` whose title ends with `key` ("the minister")."""
        for seen in self._people_before(pos):
            if seen.role and (seen.role.key == key or seen.role.key.endswith(" " + key)):
                return seen
        return None

    def leaders(self, pos: int, n: int) -> list[Seen]:
        """The last `n` distinct leaders named before `pos`, in text order ("both leaders")."""
        out: list[Seen] = []
        for seen in self._people_before(pos):
            if seen.role and seen.role.leader and all(s.name != seen.name for s in out):
                out.append(seen)
                if len(out) == n:
                    break
        return list(reversed(out))

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
        if role.person and any(w.lower() in _FORMER for w in prefix):
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


__all__ = ["ActorResolver", "ActorsConfig", "ArticleContext", "Seen"]
