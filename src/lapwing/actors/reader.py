"""Reading the actor phrases of one parsed sentence into drafts (name, country, sector).

Each noun-phrase root (a nominal token that modifies no other noun) is read with its modifiers and,
for people and roles, a "from/of/in X" attachment as one phrase: "US President Joe Biden", "a
Qatari official", "Majed al-Ansari from Qatar's foreign ministry", "rebels in Ivory Coast". The
phrase's pieces decide the actor: a dictionary organization, then a country name, demonym or
possessive for the country; the role noun or title for the sector. Coordinated country modifiers
("Israeli and Egyptian officials") give one draft per country on the same head.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from ..datelines import DATELINE
from ..doc import Doc
from ..gazetteer import Gazetteer, normalize_name
from ..records import Entity, Token
from .context import FORMER, ArticleContext, Seen, name_words, strip_titles
from .countries import CountryMatch, CountryNames, country_name
from .dictionary import ActorDictionary, DictionaryEntry, Role, RoleTable, entry_at
from .kb import KBMatch

_NOMINAL = {"NOUN", "PROPN", "PRON", "NUM", "X"}
# Dependents that stay inside a noun phrase.
_MODIFIERS = {"compound", "amod", "det", "poss", "case", "nummod", "quantmod", "nmod", "predet"}
# A GPE that is the object of these prepositions is a place, not an actor ("in Gaza").
PLACE_PREPS = {"in", "at", "near", "across", "inside", "outside", "around", "throughout", "within", "into",
               "toward", "towards", "through", "along", "off"}
# "Rebels in Ivory Coast", "protesters inside Syria": where a group is gives its country.
_RESIDENCE_PREPS = {"in", "inside", "within"}
# A group's seat: "militants based in Afghanistan", "a group with bases in Syria".
_SEATED_VERBS = frozenset({"base", "headquarter", "station"})
# (words, not lemmas: the lemmatizer makes "bases" "basis")
_SEATS = frozenset({"base", "bases", "headquarters", "camp", "camps", "hideout", "hideouts", "sanctuary",
                    "sanctuaries", "haven", "havens", "stronghold", "strongholds"})


@dataclass(frozen=True)
class Resources:
    """What the reader looks names up in."""

    dictionary: ActorDictionary
    countries: CountryNames
    roles: RoleTable


@dataclass(frozen=True)
class _Block:
    """A name found over tokens: an organization, a country word, or a person."""

    start: int
    end: int
    kind: str  # org | country | person
    entry: DictionaryEntry | None = None
    country: CountryMatch | None = None


@dataclass
class Draft:
    """A mention being built: token span, head and what it resolved to."""

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
    kb_id: str | None = None  # the knowledge-base entry that gave the country or sector
    basis: str | None = None  # where the country came from, when not the default for its kind


def coref(a: int, b: int, head: int, seen: Seen, person: bool) -> Draft:
    """A draft standing for an actor named elsewhere."""
    return Draft(a, b, head, "coref", seen.name, seen.country, seen.sector,
                 person=seen.name if person else None, role=seen.role, org=not person, kb_id=seen.kb_id)


class SentenceReader:
    """Reads the actor phrases of one parsed sentence."""

    def __init__(self, res: Resources, doc: Doc, sent: int, context: ArticleContext, people: list[Entity]) -> None:
        self.r = res
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
        # Only the places inside this sentence (doc.places is in text order): a long article costs
        # time in proportion to its length, not to its length squared.
        lo = bisect.bisect_left(doc.places, s.start, key=lambda p: p.end)
        hi = bisect.bisect_left(doc.places, s.end, key=lambda p: p.start)
        self.places = {i: p.country for p in doc.places[lo:hi] if p.country
                       for i in range(self.base, s.token_end) if p.start <= doc.tokens[i].start < p.end}
        # A wire dateline ("BLANTYRE — Police fired ...") names where the story was filed, not an actor.
        line = DATELINE.match(doc.text) if s.start == 0 else None
        self.text_start = line.end() if line else 0
        self.roles_at: dict[int, tuple[int, int, Role]] = {}
        self.blocks = self._find_blocks(people)
        self.block_at: dict[int, _Block] = {i: b for b in self.blocks for i in range(b.start, b.end)}
        for i in list(self.roles_at):
            if i in self.block_at and self.block_at[i].kind != "org":
                del self.roles_at[i]

    # -- finding names -------------------------------------------------------------------
    def _find_blocks(self, people: list[Entity]) -> list[_Block]:
        base, toks = self.base, self.tokens
        # A role is a noun: "firm" in "his firm stance" or "official" in "official statement" is not.
        lemmas = [t.lemma or t.text for t in toks]
        if toks[0].pos == "PROPN" and toks[0].lemma in (toks[0].text, ""):
            # A plural noun opening the sentence is often tagged a name: "Rebels in Mali said".
            word = toks[0].text.lower()
            lemmas[0] = word[:-1] if word.endswith("s") and not word.endswith("ss") else word
        for a, b, role in self.r.roles.find(lemmas):
            if toks[b - 1].pos in ("NOUN", "PROPN"):
                for i in range(a, b):
                    self.roles_at[base + i] = (base + a, base + b, role)
        texts = [t.text for t in toks]
        when = self.context.when
        blocks = [_Block(base + a, base + b, "org", entry=entry_at(e, when)) for a, b, e in self.r.dictionary.find(texts)]
        taken = {i for b in blocks for i in range(b.start, b.end)}
        places = [(base + a, base + b, m) for a, b, m in self.r.countries.table.find(texts)]
        place_at = {i for a, b, _ in places for i in range(a, b)}
        for ent in people:
            # The parser sometimes puts a title or country inside a name: "State Antony Blinken".
            words = [t.text for t in self.doc.tokens[ent.token_start : ent.token_end]]
            a = ent.token_end - len(strip_titles(words, self.r.roles))
            while a < ent.token_end and (a in self.roles_at or a in place_at or a in taken):
                a += 1
            if a < ent.token_end and not any(i in taken for i in range(a, ent.token_end)):
                blocks.append(_Block(a, ent.token_end, "person"))
                taken.update(range(a, ent.token_end))
        for t in toks:
            # A surname the article gives in full elsewhere, or a listed alias, is a person whatever
            # the parser's label.
            # ("Trump met ..." opening a sentence is sometimes tagged the noun "trump".)
            named = t.pos == "PROPN" or (t.pos == "NOUN" and t.text[:1].isupper() and (t.ent_type != "" or t.i == base))
            if named and t.i not in taken and t.i not in place_at and t.i not in self.roles_at \
                    and (self.context.is_surname(t.text) or self.context.listed_person(t.text)):
                blocks.append(_Block(t.i, t.i + 1, "person"))
                taken.add(t.i)
        for a, b, match in places:
            if not any(i in taken for i in range(a, b)) and not self._ethnic(a):
                blocks.append(_Block(a, b, "country", country=match))
        return sorted(blocks, key=lambda b: b.start)

    def _ethnic(self, i: int) -> bool:
        # "ethnic Albanians" names an ethnicity, not Albania's nationals.
        return i > self.base and self.doc.tokens[i - 1].text.lower() == "ethnic"

    # -- phrases -------------------------------------------------------------------------
    def children(self, i: int) -> list[Token]:
        """Dependents of token `i` in this sentence."""
        return self.kids.get(i, [])

    def _members(self, h: int) -> set[int]:
        members = {h}
        stack = [h]
        while stack:
            parent = stack.pop()
            # "Vietnamese-led forces": the leader named before "-led" is part of the phrase.
            led = self.doc.tokens[parent].text.lower() == "led"
            for c in self.children(parent):
                if (c.dep in _MODIFIERS or (led and c.dep in ("npadvmod", "punct"))) and c.i not in members:
                    members.add(c.i)
                    stack.append(c.i)
        return members

    def span(self, h: int) -> tuple[int, int]:
        """Token range of the phrase headed by `h`, widened over names the parser split."""
        members = {i for i in self._members(h) if self.doc.tokens[i].start >= self.text_start} or {h}
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

    def roots(self) -> list[int]:
        """Nominal tokens that modify no other noun, in text order."""
        return [t.i for t in self.tokens if t.pos in _NOMINAL and t.dep not in _MODIFIERS and t.dep != "punct"
                and t.start >= self.text_start]

    def text(self, a: int, b: int) -> str:
        """The article text of tokens [a, b)."""
        toks = self.doc.tokens
        return self.doc.text[toks[a].start : toks[b - 1].end]

    def _name(self, a: int, b: int) -> str:
        # Names drop the determiner and a trailing possessive: "the Israeli army's" -> "Israeli army".
        toks = self.doc.tokens
        while a < b - 1 and toks[a].dep in ("det", "predet"):
            a += 1
        while b > a + 1 and toks[b - 1].dep == "case":
            b -= 1
        return self.text(a, b)

    def phrase(self, h: int) -> list[Draft]:
        """The drafts of the phrase rooted at `h`: none, one, or one per coordinated country."""
        a, b = self.span(h)
        head = self._outer_head(a, b, h)
        tok = self.doc.tokens[head]
        if tok.pos == "PRON":
            return []  # pronouns are resolved once the sentence's other actors are known
        blocks = [blk for blk in self.blocks if a <= blk.start and blk.end <= b]
        head_block = self.block_at.get(head)
        role_hit = self._head_role(a, b, head)
        # "from/of X" attached to a person or role gives the country and, for some, the sector.
        extra = None
        if (head_block and head_block.kind == "person") or (role_hit and not head_block):
            extra = self._attachment(head, role_hit[2] if role_hit else None, residence=not head_block)
            if extra and extra.end > b and extra.kind != "place":
                b = extra.end
        orgs = [blk for blk in blocks if blk.kind == "org"]
        places = [blk for blk in blocks if blk.kind == "country"]
        country = _first([*[o.entry.country for o in orgs if o.entry], *[p.country.code for p in places if p.country]])
        if country is None and extra:
            country = extra.country
        regional = None
        if country is None and ((head_block and head_block.kind == "person") or (role_hit and not head_block and not self._is_name(a, b))):
            # "Balochistan Chief Minister Sarfraz Bugti", "Ontario's provincial leader" (a body so
            # named, "The Minnesota National Guard", is read after: _region_of)
            country = regional = self._region_country(a, head)
        former = any(self.doc.tokens[i].text.lower() in FORMER for i in range(a, head))

        if head_block and head_block.kind == "person":
            person = self._person(a, b, head, head_block, role_hit, orgs, country, extra, former)
            if regional is not None and person.country == regional and person.kb_id is None:
                person = replace(person, basis="place")
            return [person]
        if head_block and head_block.kind == "org" and head_block.entry:
            e = head_block.entry
            longer = self._longer_name(a, head_block.start, head_block.end)
            if longer is not None:
                # "The Kurdistan Democratic Party" is not the "Democratic Party" the dictionary lists.
                return [Draft(a, b, head, "entity", self._name(a, b), longer.country, longer.sector or e.sector,
                              org=True, kb_id=longer.kb_id)]
            return [Draft(a, b, head, "entity", e.name, e.country, e.sector, org=True)]
        if role_hit and not orgs and self._is_name(a, b):
            # "The International Crisis Group", "South Africa's Democratic Alliance": a name that
            # holds a role word is an organization's name first (of the country the phrase names).
            name = self._name(a, b)
            match = self.context.kb_lookup(name, "org") if country is None else None
            if match is None and country is not None:
                own = re.split(r"['’]s\s+", name, maxsplit=1)[-1]
                match = self.context.kb_lookup(own, "org", country) if own != name else None
            if match is not None:
                return [Draft(a, b, head, "entity", self._name(a, b), match.country, match.sector or role_hit[2].sector,
                              org=True, kb_id=match.kb_id)]
        if not blocks and tok.lemma.lower() in _STATE_NOUNS and tok.tag == "NNS":
            # "both countries", "the three nations": the states just named, in this sentence or
            # the two before
            n = _group_size(self.children(head))
            if n:
                start = self.context.window_start(max(0, self.sent - 1))
                named = self.context.countries_named(tok.start, n, start)
                if named:
                    return [Draft(a, b, head, "coref", s.name, s.country, None) for s in named]
        if role_hit:
            drafts = self._role(a, b, head, role_hit[2], orgs, country, extra, former)
            if regional is not None:
                drafts = [replace(d, basis="place") if d.country == regional and d.kb_id is None else d for d in drafts]
            return self._split_coordinated(drafts, places, b) if not orgs else drafts
        if head_block and head_block.kind == "country" and head_block.country:
            return self._country(a, b, head, head_block.country)
        label = tok.ent_type
        if label == "ORG":
            sector = _role_sector(self._roles_in(a, b))
            name = self._name(a, b)
            kb_id = None
            if country is None or sector is None:
                # An organization the dictionary lacks: the knowledge base, never against the phrase's country.
                match = self.context.kb_lookup(name, "org")
                if match is None and country is not None:
                    # "South Africa's Democratic Alliance": the party of that name in that country.
                    own = re.split(r"['’]s\s+", name, maxsplit=1)[-1]
                    match = self.context.kb_lookup(own, "org", country)
                if match and country in (None, match.country):
                    country, sector, kb_id = match.country, sector or match.sector, match.kb_id
            return [Draft(a, b, head, "entity", name, country, sector, org=True, kb_id=kb_id)]
        if label == "NORP" and tok.pos in ("PROPN", "NOUN"):
            # "Iraqi Kurds": a nationality before a people's name gives the country.
            if country is None:
                extra = self._attachment(head, None, residence=True)
                country = extra.country if extra else None
            return [Draft(a, b, head, "entity", self._name(a, b), country, None)]
        if not blocks and tok.pos == "NOUN" and tok.tag == "NN" and b - a <= 2 \
                and any(c.dep == "det" and c.text.lower() == "the" for c in self.children(head)):
            # "the council" after "the U.N. Security Council": the organization of that name
            seen = self.context.last_org_called(tok.text.lower(), tok.start, self.context.window_start(max(0, self.sent - 3)))
            if seen:
                return [Draft(a, b, head, "coref", seen.name, seen.country, seen.sector, org=True)]
        # Not an actor itself: its modifiers may be ("Israeli strikes", "Hamas' headquarters").
        group = self._coordinated(places)
        if len(group) >= 2:
            first = group[0]
            end = group[-1].end
            return [Draft(first.start, end, first.end - 1, "demonym" if g.country.kind == "demonym" else "entity",
                          self.text(g.start, g.end), g.country.code, None) for g in group if g.country]
        return [d for blk in blocks for d in self._modifier(blk)]

    def _coordinated(self, places: list[_Block]) -> list[_Block]:
        # Country words joined by "and"/"or": "Hungarian and Romanian", "U.S. and Russian".
        if len(places) < 2:
            return []
        group = [places[0]]
        for blk in places[1:]:
            tok = self.doc.tokens[blk.end - 1]
            if tok.dep == "conj" and any(g.start <= tok.head < g.end for g in group):
                group.append(blk)
        return group

    def _split_coordinated(self, drafts: list[Draft], places: list[_Block], b: int) -> list[Draft]:
        group = self._coordinated(places)
        if len(drafts) != 1 or len(group) < 2 or drafts[0].kind != "role":
            return drafts
        d = drafts[0]
        tail = self.text(group[-1].end, b) if group[-1].end < b else ""
        out = []
        for g in group:
            if g.country:
                name = f"{self.text(g.start, g.end)} {tail}".strip()
                out.append(replace(d, name=name, country=g.country.code))
        return out or drafts

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
        if self.doc.tokens[head].lemma.lower() in _COLLECTIVES:
            # "a group of British tourists", "hundreds of protesters": the members' role
            for prep in self.children(head):
                if prep.dep == "prep" and prep.text.lower() == "of":
                    for member in self.children(prep.i):
                        if member.dep == "pobj" and self.roles_at.get(member.i):
                            return self.roles_at[member.i]
        if best and best[2].owned:
            owner = [c for c in self.children(head) if c.dep == "poss"]
            if not owner:
                return None
            inner = self._head_role(a, owner[0].i + 1, owner[0].i)
            return (best[0], best[1], replace(best[2], sector=inner[2].sector)) if inner else best
        return best

    def _roles_in(self, a: int, b: int) -> list[Role]:
        return [self.roles_at[i][2] for i in range(a, b) if i in self.roles_at]

    def _attachment(self, head: int, role: Role | None, residence: bool = False) -> Draft | None:
        if residence and (role is None or not role.person):
            seat = self._seat(head)
            if seat is not None:
                return seat
        for c in self.children(head):
            word = c.text.lower()
            if c.dep != "prep" or word not in ("from", "of", "for", "with", *_RESIDENCE_PREPS):
                continue
            if word in ("for", "with") and not (role and role.generic):
                continue
            if word in _RESIDENCE_PREPS and not (residence and (role is None or not role.person)):
                continue
            for p in self.children(c.i):
                if p.dep != "pobj":
                    continue
                if word in _RESIDENCE_PREPS:
                    code = self._place_country(p.i)
                    if code:
                        a, b = self.span(p.i)
                        return Draft(a, b, p.i, "place", self.text(a, b), code, None)
                    continue
                inner = self.phrase(p.i)
                if len(inner) == 1 and inner[0].country and inner[0].kind != "coref":
                    return inner[0]
        return None

    def _seat(self, head: int) -> Draft | None:
        """Where a group is based: "militants based in Afghanistan", "with bases in Afghanistan"."""
        for c in self.children(head):
            if c.dep == "acl" and c.lemma.lower() in _SEATED_VERBS:
                holders = [c]  # "based in", "headquartered in"
            elif c.dep == "prep" and c.text.lower() == "with":
                holders = [p for p in self.children(c.i) if p.dep == "pobj" and p.text.lower() in _SEATS]
            else:
                continue
            for holder in holders:
                for prep in self.children(holder.i):
                    if prep.dep == "prep" and prep.text.lower() in _RESIDENCE_PREPS:
                        for p in self.children(prep.i):
                            code = self._place_country(p.i) if p.dep == "pobj" else None
                            if code:
                                a, b = self.span(p.i)
                                return Draft(a, b, p.i, "place", self.text(a, b), code, None)
        return None

    def _region_country(self, a: int, head: int) -> str | None:
        """The country of a region named before a title: "Ontario Premier", "Borno governor".

        Only a region the gazetteer knows by exactly that name in one country ("Punjab" is in two;
        "Georgia" is also a country, which the country names settle)."""
        person = self.block_at.get(head)
        i = a
        while i < head:
            tok = self.doc.tokens[i]
            if tok.pos != "PROPN" or (person and person.kind == "person" and person.start <= i):
                i += 1
                continue
            j = i
            while j < head and self.doc.tokens[j].pos == "PROPN" and not (person and person.start <= j):
                j += 1
            # the longest words of the run that name a region: "Ontario" in "Ontario Premier"
            for n in range(j - i, 0, -1):
                for k in range(i, j - n + 1):
                    name = self.text(k, k + n)
                    entries = Gazetteer.default().lookup(name, variants=False)
                    if not entries or any(e.feature == "country" for e in entries):
                        continue
                    key = normalize_name(name)
                    found = {e.country for e in entries if e.feature == "region" and normalize_name(e.name) == key}
                    if len(found) == 1:
                        return found.pop()
            i = j
        return None

    def _place_country(self, i: int) -> str | None:
        # The country of a place: a country name or capital, else the gazetteer's place.
        a, b = self.span(i)
        for k in range(a, b):
            blk = self.block_at.get(k)
            if blk and blk.kind == "country" and blk.country and blk.country.kind != "demonym":
                return blk.country.code
        return self.places.get(i)

    def _person(self, a, b, head, block, role_hit, orgs, country, extra, former) -> Draft:
        words = name_words(self.text(block.start, block.end))
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
        kb_id = None
        if seen:
            # The knowledge base's entry is named when it gave a code the phrase left open.
            if seen.kb_id and (country is None or sector is None) and country in (None, seen.country):
                kb_id = seen.kb_id
            country = country or seen.country
            sector = sector or seen.sector
            role = role or seen.role
        if country is None and role is not None and role.country:
            country = role.country  # "special rapporteur Richard Bennett": a UN title
        return Draft(a, b, head, "entity", full, country, sector, person=full, role=role, kb_id=kb_id)

    def _role(self, a, b, head, role, orgs, country, extra, former) -> list[Draft]:
        tok = self.doc.tokens[head]
        dets = {t.text.lower() for t in self.children(head) if t.dep in ("det", "predet", "nummod")}
        bare = not orgs and country is None
        at = tok.start
        if bare and role.leader and tok.tag in ("NNS", "NNPS") and dets & {"both", "two"}:
            pair = self.context.leaders(at, 2)
            if len(pair) == 2:
                return [coref(a, b, head, s, person=True) for s in pair]
        elif bare and role.person and tok.tag in ("NNS", "NNPS") and dets & {"both", "two"}:
            # "X spoke with Y ..., and both ministers urged": the two officials just named,
            # looked for in this sentence and the one before only
            pair = self.context.officials(at, 2, role.sector, self.context.window_start(self.sent))
            if pair:
                return [coref(a, b, head, s, person=True) for s in pair]
        if bare and dets & {"the", "this"} and tok.tag in ("NN", "NNP"):
            if role.group:
                seen = self.context.last_org(at)
                if seen:
                    return [Draft(a, b, head, "coref", seen.name, seen.country, seen.sector, org=True)]
            elif role.person and (b - a) <= 3:
                seen = self.context.titled(role.key, at)
                if seen:
                    # An unnamed office holder stays a role: it is no person's name.
                    return [coref(a, b, head, seen, person=seen.name in self.context.named_people())]
            elif not role.person and not role.generic and (b - a) <= 2:
                # "Sudan's army ... the army said", "the International Court of Justice ... the
                # court": the body just named, in this sentence or the two before
                seen = self.context.last_unit(role, at, self.context.window_start(max(0, self.sent - 1)))
                if seen:
                    return [Draft(a, b, head, "coref", seen.name, seen.country, seen.sector or role.sector, org=True)]
        if bare and role.person:
            owner = self._owning_unit(head)
            if owner is not None:
                # "the army's spokesman": of the body just named, and of its sector when the title defers
                country = owner.country
                if role.generic:
                    role_sector = owner.sector or role.sector
                    return [Draft(a, b, head, "role", self._name(a, b), country, role_sector, role=role)]
        sector = role.sector
        if role.generic and orgs and orgs[-1].entry:
            sector = orgs[-1].entry.sector or sector
        elif role.generic and extra:
            sector = extra.sector or sector
        if role.group and orgs and orgs[-1].entry:
            sector = orgs[-1].entry.sector
        if former and role.person:
            sector = "ELI"
        community = self._leads_a_community(a, b, head) if role.leader and not orgs else None
        if community:
            # "leaders of the Jewish community", "a community leader": of a people, not a state;
            # of a faith's community, religious.
            sector = "REL" if community == "faith" else "CVL"
        if sector == "GOV" and (
            any(o.entry and o.entry.sector == "PRE" for o in orgs) or (extra is not None and extra.sector == "PRE")
            or any(self.doc.tokens[i].text.lower() in _UNRECOGNISED for i in range(a, head))
        ):
            sector = "PRE"  # "Abkhazia's de facto president", "Somaliland's president": not a recognised state's
        if country is None:
            # "the Trump administration", "Mahathir's government": the named person's country.
            country = _first([self._person_country(blk) for blk in self.blocks
                              if blk.kind == "person" and a <= blk.start and blk.end <= b]) or role.country
        return [Draft(a, b, head, "role", self._name(a, b), country, sector, role=role)]

    def _owning_unit(self, head: int) -> Seen | None:
        """The body a "the army's"/"the court's" possessor stands for, if one was just named."""
        for c in self.children(head):
            if c.dep != "poss" or c.pos != "NOUN":
                continue
            hit = self.roles_at.get(c.i)
            if not hit or hit[2].person or not any(d.dep == "det" and d.text.lower() == "the" for d in self.children(c.i)):
                continue
            return self.context.last_unit(hit[2], self.doc.tokens[c.i].start, self.context.window_start(max(0, self.sent - 1)))
        return None

    def _leads_a_community(self, a: int, b: int, head: int) -> str | None:
        """ "faith" when the leader's phrase, or its "of" phrase, names a faith's community; "people"
        for another community; None when it names none."""
        words = {t.lemma.lower() for t in self.doc.tokens[a:b]}
        for c in self.children(head):
            if c.dep == "prep" and c.text.lower() == "of":
                for p in self.children(c.i):
                    words |= {t.lemma.lower() for t in self.doc.tokens[p.i - 3 if p.i - 3 >= a else a:p.i + 1]}
        if "community" not in words:
            return None
        return "faith" if words & _FAITHS else "people"

    def _longer_name(self, a: int, start: int, end: int) -> KBMatch | None:
        """The knowledge base's entry for a name that holds a dictionary name after name words of
        its own ("The Kurdistan Democratic Party"), or None."""
        tokens = self.doc.tokens
        owner: str | None = None
        for i in range(start - 1, a - 1, -1):
            if tokens[i].text in ("'s", "’s"):
                # "Japan's Liberal Democratic Party": the party of that name in that country
                match = self.r.countries.lookup(" ".join(t.text for t in tokens[a:i] if t.pos != "DET"))
                if match is None:
                    return None
                owner, a = match.code, i + 1
                break
        words = [t for t in tokens[a:start] if t.pos != "DET"]
        if owner is None and len(words) >= 2 and (lead := self.r.countries.lookup(words[0].text)) is not None:
            # "the Japanese Liberal Democratic Party": the party of that name in that country
            owner, words, a = lead.code, words[1:], words[1].i
        if not words or not all(t.pos == "PROPN" and t.text[:1].isupper() for t in words):
            return None
        if any(self.r.countries.lookup(t.text) is not None for t in words):
            return None  # "the US Democratic Party": the listed one, of that country
        return self.context.kb_lookup(self._name(a, end), "org", owner)

    def _is_name(self, a: int, b: int) -> bool:
        """Are tokens [a, b) a capitalized name (past a leading "the"): "The International Crisis Group"?"""
        words = [t for t in self.doc.tokens[a:b] if not (t.i == a and t.text.lower() == "the")]
        content = [t for t in words if t.pos not in ("ADP", "CCONJ", "DET", "PUNCT", "PART")]
        return len(content) >= 2 and all(t.text[:1].isupper() for t in content)

    def _person_country(self, block: _Block) -> str | None:
        full = self.context.fullest(name_words(self.text(block.start, block.end)), self.doc.tokens[block.start].start)
        seen = self.context.info(full)
        return seen.country if seen else None

    def _country(self, a: int, b: int, head: int, match: CountryMatch) -> list[Draft]:
        tok = self.doc.tokens[head]
        prep = self.doc.tokens[tok.head]
        if tok.dep == "pobj" and prep.text.lower() in PLACE_PREPS and match.kind != "demonym":
            return []
        if match.kind == "demonym":
            return [Draft(a, b, head, "demonym", self._name(a, b), match.code, "CVL")]
        if match.kind == "metonym":
            return [Draft(a, b, head, "entity", self._name(a, b), match.code, match.sector)]
        return [Draft(a, b, head, "entity", _country_label(self._name(a, b), match.code), match.code, None)]

    def _modifier(self, block: _Block) -> list[Draft]:
        head = self._outer_head(block.start, block.end, block.end - 1)
        if block.kind == "org" and block.entry:
            e = block.entry
            return [Draft(block.start, block.end, head, "entity", e.name, e.country, e.sector, org=True)]
        if block.kind == "person":
            full = self.context.fullest(name_words(self.text(block.start, block.end)), self.doc.tokens[head].start)
            seen = self.context.info(full)
            return [Draft(block.start, block.end, head, "entity", full, seen.country if seen else None,
                          seen.sector if seen else None, person=full, role=seen.role if seen else None,
                          kb_id=seen.kb_id if seen else None)]
        m = block.country
        if m is None:
            return []
        if m.kind == "demonym":
            return [Draft(block.start, block.end, head, "demonym", self.text(block.start, block.end), m.code, None)]
        name = self.text(block.start, block.end)
        name = name if m.kind == "metonym" else _country_label(name, m.code)
        return [Draft(block.start, block.end, head, "entity", name, m.code, m.sector)]


# Faiths whose communities' leaders are religious (REL) leaders.
_FAITHS = frozenset({"muslim", "christian", "jewish", "hindu", "sikh", "buddhist", "catholic", "orthodox", "coptic",
                     "copt", "shia", "shiite", "sunni", "protestant", "evangelical", "islamic", "druze", "yazidi",
                     "bahai", "ahmadi", "alawite", "ismaili", "jain", "parsi", "zoroastrian", "anglican"})

# Words that make a government or an office holder that of an unrecognised state.
_UNRECOGNISED = frozenset({"facto", "de-facto", "self-declared", "self-proclaimed", "breakaway", "unrecognised", "unrecognized"})

# Nouns that count or gather people: the people's own role is the phrase's.
_COLLECTIVES = frozenset({"group", "number", "crowd", "band", "handful", "dozen", "dozens", "hundred", "hundreds", "wave",
                          "thousand", "thousands", "score", "scores", "couple"})


# Plural nouns that stand for states named before ("both countries", "the two sides").
_STATE_NOUNS = frozenset({"country", "nation", "state", "side", "neighbor", "neighbour"})
_GROUP_NUMBERS = {"both": 2, "two": 2, "three": 3, "four": 4, "five": 5}


def _group_size(children) -> int | None:
    """How many "both"/"the two"/"the three" says the group holds, or None."""
    words = {c.text.lower() for c in children if c.dep in ("det", "predet", "nummod", "preconj")}
    if "both" in words:
        return 2
    if "the" in words or "these" in words or "those" in words:
        return next((_GROUP_NUMBERS[w] for w in words if w in _GROUP_NUMBERS and w != "both"), None)
    return None


def _country_label(text: str, code: str) -> str:
    # "US", "U.S.", "DRC" name the country by its usual English name; "Gaza" or "America" stay.
    return text if any(c.islower() for c in text) else country_name(code)


def _first(values: list[str | None]) -> str | None:
    return next((v for v in values if v), None)


def _role_sector(roles: list[Role]) -> str | None:
    return roles[-1].sector if roles else None
