"""Actors: every actor-denoting noun phrase -> Mention(Actor(name, country, sector)).

Per parsed sentence, `actors.reader.SentenceReader` reads each noun phrase ("US President Joe
Biden", "a Qatari official", "Senior Hungarian and Romanian officials") into drafts. This stage then
links drafts within the sentence: a bare conjunct shares its partner's country ("Israeli tanks and
helicopters"), an apposition shares name and codes ("Qatar's emir, Sheikh Tamim"), and "it"/"they"/
"its" take the subject of the clause that reports them ("Syria says it will ..."). Names and titles
are carried across the article (including sentences the parser skipped) by `ArticleContext`, which
also completes a named person the article leaves without country or sector from the dictionary's
people (data/people.yaml; docs/actors.md, "Named people").
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, replace

from ..actors.context import ArticleContext, Seen
from ..actors.countries import NON_STATE_CODES, CountryNames, load_countries
from ..actors.dictionary import ActorDictionary, RoleTable, default_dictionary, default_roles
from ..actors.quotes import inside, quote_spans, quote_speakers
from ..actors.pronouns import PLURAL_PRONOUNS, POSSESSIVE_PRONOUNS, THING_PRONOUNS, clause_subjects, is_expletive
from ..actors.reader import Draft, Resources, SentenceReader
from ..doc import Doc
from ..gazetteer import Gazetteer
from ..records import Actor, Entity, Mention, Token

_PERSON_PRONOUNS = {"he", "she", "him", "her"}
FIRST_PERSON = frozenset({"i", "we", "me", "us", "our", "my"})
_PRONOUN_DEPS = ("nsubj", "dobj", "pobj", "nsubjpass", "dative")
_PLURAL_TAGS = ("NNS", "NNPS")


@dataclass(frozen=True)
class ActorsConfig:
    """User choices: extra dictionary files (YAML, docs/actors.md) and pronoun resolution."""

    dictionaries: tuple[str, ...] = ()
    pronouns: bool = True


class ActorResolver:
    """Finds actor mentions and resolves each to a country and sector, with coreference."""

    name = "actors"
    version = "3"  # 3: named people from data/people.yaml fill what the article leaves unsaid
    requires = ("parse", "entities", "places")
    assigns = ("mentions",)

    def __init__(
        self,
        config: ActorsConfig = ActorsConfig(),
        dictionary: ActorDictionary | None = None,
        countries: CountryNames | None = None,
        roles: RoleTable | None = None,
    ) -> None:
        self.config = config
        self.resources = Resources(
            dictionary if dictionary is not None else default_dictionary(tuple(config.dictionaries)),
            countries if countries is not None else load_countries(),
            roles if roles is not None else default_roles(),
        )

    def __call__(self, doc: Doc) -> Doc:
        r = self.resources
        context = ArticleContext.build(doc, r.dictionary, r.countries, r.roles)
        people: dict[int, list[Entity]] = {}
        for ent in doc.entities:
            if ent.label == "PERSON" and ent.token_end > ent.token_start:
                people.setdefault(doc.tokens[ent.token_start].sent, []).append(ent)
        mentions: list[Mention] = []
        previous: tuple[list[Draft], bool] | None = None
        for n, sentence in enumerate(doc.sentences):
            if sentence.parsed and sentence.token_end > sentence.token_start:
                reader = SentenceReader(r, doc, n, context, people.get(n, []))
                linker = _Linker(reader, self.config.pronouns, previous)
                mentions.extend(linker.read())
                previous = linker.main_subject
            else:
                previous = None
        if self.config.pronouns:
            mentions = _quoted_speakers(doc, mentions)
        mentions = _orgs_of_the_article(doc, context, mentions)
        return doc.replace(mentions=tuple(mentions))


class _Linker:
    """Reads one sentence's drafts and links them: conjuncts, appositions, pronouns."""

    def __init__(self, reader: SentenceReader, pronouns: bool, previous: tuple[list[Draft], bool] | None = None) -> None:
        self.reader = reader
        self.doc = reader.doc
        self.context = reader.context
        self.pronouns = pronouns
        # The last sentence's main subject (drafts, plural?): "They demanded reforms" continues it.
        self.previous = previous
        self.main_subject: tuple[list[Draft], bool] | None = None

    def read(self) -> list[Mention]:
        """Mentions of this sentence, in text order."""
        rd = self.reader
        roots = rd.roots()
        spans = {h: rd.span(h) for h in roots}
        drafts: list[Draft] = []
        for h in roots:
            a, b = spans[h]
            # A root inside a wider phrase belongs to it: "State" in "US Secretary of State Antony Blinken".
            if any(o != h and spans[o][0] <= h < spans[o][1] and spans[o][1] - spans[o][0] > b - a for o in roots):
                continue
            for d in rd.phrase(h):
                # A name the parser split over two roots is read from both: keep it once.
                if not any(o.head == d.head and o.name == d.name and o.country == d.country for o in drafts):
                    drafts.append(d)
        # A phrase a "from X" attachment swallowed is not a mention of its own.
        drafts = [d for d in drafts if not any(
            o.head != d.head and o.start <= d.start and d.end <= o.end and (o.end - o.start) > (d.end - d.start)
            for o in drafts)]
        drafts = self._share_conjunct_country(drafts)
        self._merge_appositions(drafts)
        if self.pronouns:
            drafts = self._resolve_pronouns(drafts)
        self.main_subject = self._main_subject(drafts)
        for d in drafts:
            self.context.note(d.person, d.country, d.sector, d.role, self.doc.tokens[d.start].start, d.org, d.name)
        return [self._mention(d) for d in sorted(drafts, key=lambda d: (d.start, d.head))]

    def _mention(self, d: Draft) -> Mention:
        first, last = self.doc.tokens[d.start], self.doc.tokens[d.end - 1]
        actor = Actor(self.doc.text[first.start : last.end], d.name, d.country, d.sector, first.start, last.end,
                      d.kb_id, _basis(d))
        return Mention(actor, d.start, d.end, d.head, d.kind)

    def _share_conjunct_country(self, drafts: list[Draft]) -> list[Draft]:
        # "Israeli helicopters and tanks": a bare role conjunct takes its partner's country.
        by_head: dict[int, list[Draft]] = {}
        for d in drafts:
            by_head.setdefault(d.head, []).append(d)
        out: list[Draft] = []
        for d in drafts:
            tok = self.doc.tokens[d.head]
            partners = by_head.get(tok.head, []) if tok.dep == "conj" else []
            if d.kind == "role" and d.country is None and d.end - d.start == 1 and partners \
                    and all(p.kind == "role" and p.country for p in partners):
                out.extend(replace(d, country=p.country) for p in partners)
            else:
                out.append(d)
        return out

    def _under_conjunct(self, i: int, head: int) -> bool:
        """Is token `i` a title joined to `head` by "and", or that title's "of" object ("and founder
        of the Apple Daily newspaper")?"""
        t = self.doc.tokens[i]
        for _ in range(3):
            if t.dep == "conj" and t.head == head:
                return True
            if t.dep not in ("conj", "pobj", "prep") or t.head == t.i:
                return False
            t = self.doc.tokens[t.head]
        return False

    def _merge_appositions(self, drafts: list[Draft]) -> None:
        # "Basem Naim, a senior Hamas official": the name and the role describe one actor.
        by_head = {d.head: d for d in drafts}
        for d in list(drafts):
            tok = self.doc.tokens[d.head]
            other = by_head.get(tok.head) if tok.dep == "appos" else None
            named = self.doc.tokens[tok.head]
            if other is None and tok.dep == "appos" and named.pos == "PROPN" and d.country:
                # "Kenzo Oshima, the UN relief coordinator": a name the parser did not label takes
                # the appositive's codes.
                a, b = self.reader.span(named.i)
                if b <= d.start:
                    name = self.reader.text(a, b)
                    drafts.append(Draft(a, b, named.i, "entity", name, d.country, d.sector, person=name, role=d.role))
                continue
            if other is None:
                continue
            person, role = (other, d) if other.person else (d, other) if d.person else (None, None)
            if person is None or role is None:
                continue
            if role.country is None:
                # "Lai, a businessman and founder of the Apple Daily newspaper in Hong Kong": a
                # coordinated title gives the country the first leaves open
                partner = next((x for x in drafts if x.country and x.kind in ("role", "entity") and x.head != role.head
                                and self._under_conjunct(x.head, role.head)), None)
                if partner is not None:
                    role.country = partner.country
            person.country = person.country or role.country
            person.sector = person.sector or role.sector
            person.role = person.role or role.role
            role.name, role.person = person.name, person.person
            role.country, role.sector = person.country, person.sector

    # -- pronouns ------------------------------------------------------------------------
    def _resolve_pronouns(self, drafts: list[Draft]) -> list[Draft]:
        by_head: dict[int, list[Draft]] = {}
        for d in drafts:
            by_head.setdefault(d.head, []).append(d)
        out = list(drafts)
        for tok in self.reader.tokens:
            word = tok.text.lower()
            if tok.pos != "PRON" or tok.head == tok.i:
                continue
            if word in POSSESSIVE_PRONOUNS and tok.dep == "poss":
                # "Israel reinforced its troops": the owned role takes the antecedent's country.
                found = self._antecedents(tok, word == "their", by_head)
                owned = by_head.get(tok.head, [])
                for d in owned:
                    if d.kind == "role" and d.country is None and found:
                        d.country = found[0].country
                if owned:
                    continue
                # "their withdrawal": the owner of an act is an actor mention of its own.
            elif tok.dep not in _PRONOUN_DEPS:
                continue
            elif word in THING_PRONOUNS or word in PLURAL_PRONOUNS:
                if is_expletive(tok, self._token, self.reader.children):
                    continue
                found = self._antecedents(tok, word in PLURAL_PRONOUNS, by_head)
                if not found and tok.dep == "nsubj" and word in ("it", "they"):
                    found = self._continued_subject(tok, word == "they")
                if not found and word == "it" and tok.dep == "nsubj":
                    seen = self.context.only_org(self.context.window_start(self.reader.sent), tok.start)
                    found = [_from_seen(seen)] if seen else []
            elif word in _PERSON_PRONOUNS and tok.dep in _PRONOUN_DEPS:
                # "Trump said he would ...": the person who is the subject of the reporting clause.
                found = self._person_subject(tok, by_head)
                if not found:
                    window = self.context.window_start(self.reader.sent)
                    seen = self.context.only_person(window, tok.start)
                    if seen is None and not self.context.people_between(window, tok.start):
                        seen = self.context.salient_person(tok.start)  # nobody named nearby: the protagonist
                    found = [_from_seen(seen, person=True)] if seen else []
            else:
                continue
            for ante in found:
                d = Draft(tok.i, tok.i + 1, tok.i, "coref", ante.name, ante.country, ante.sector,
                          person=ante.person, role=ante.role, org=ante.org, kb_id=ante.kb_id)
                out.append(d)
                by_head.setdefault(tok.i, []).append(d)
        return out

    def _token(self, i: int) -> Token:
        return self.doc.tokens[i]

    def _subject_drafts(self, subject: Token, by_head: dict[int, list[Draft]]) -> list[Draft]:
        found = self._with_conjuncts(subject, by_head)
        if not found and subject.pos in ("NUM", "NOUN"):
            # "Tens of thousands of Sudanese began protesting": the "of" object is who.
            for c in self.reader.children(subject.i):
                if c.dep == "prep" and c.text.lower() == "of":
                    for p in self.reader.children(c.i):
                        if p.dep == "pobj":
                            found = found or self._subject_drafts(p, by_head)
        return found

    def _main_subject(self, drafts: list[Draft]) -> tuple[list[Draft], bool] | None:
        """The drafts of the sentence's main-clause subject, and whether it is plural."""
        by_head: dict[int, list[Draft]] = {}
        for d in drafts:
            by_head.setdefault(d.head, []).append(d)
        root = next((t for t in self.reader.tokens if t.head == t.i), None)
        subject = next((c for c in self.reader.children(root.i) if c.dep in ("nsubj", "nsubjpass")), None) if root else None
        if subject is None:
            return None
        found = [d for d in self._subject_drafts(subject, by_head) if d.country or d.person or d.org]
        if not found:
            return None
        plural = len(found) > 1 or subject.tag in _PLURAL_TAGS or subject.pos == "NUM" or found[0].kind == "demonym"
        return found, plural

    def _continued_subject(self, pron: Token, plural: bool) -> list[Draft]:
        """A main-clause "they"/"it" opening a sentence continues the last sentence's subject."""
        if self.previous is None or self._token(pron.head).head != pron.head:
            return []
        if any(t.pos in ("NOUN", "PROPN") and t.i < pron.i and not (plural and self._framed(t, pron.head))
               for t in self.reader.tokens):
            return []  # a noun before the pronoun may be its antecedent (for "they", not one in a
            # fronted phrase or the quote it reports: "In the letter, they urged ...")
        found, many = self.previous
        if plural != many or (not plural and found[0].person):
            return []
        return found

    def _framed(self, tok: Token, verb: int) -> bool:
        """Is this word inside a fronted phrase of the verb ("In the letter, they ...") or the quote
        it reports ('"We are concerned," they wrote'), so no antecedent for its subject?"""
        t = tok
        for _ in range(12):
            if t.head == verb:
                return t.dep in ("prep", "ccomp", "parataxis", "advcl", "npadvmod", "advmod") and t.i < verb
            if t.head == t.i:
                return False
            t = self._token(t.head)
        return False

    def _antecedents(self, pron: Token, plural: bool, by_head: dict[int, list[Draft]]) -> list[Draft]:
        """The drafts of the nearest governing subject that fits the pronoun's number and kind."""
        for subject in clause_subjects(pron, self._token, self.reader.children):
            found = self._with_conjuncts(subject, by_head)
            if not found:
                continue
            many = len(found) > 1 or subject.tag in _PLURAL_TAGS
            if plural and many:
                return found
            if not plural and not many and not found[0].person:
                return found
            return []  # the nearest subject decides: a misfit means the pronoun points elsewhere
        return []

    def _person_subject(self, pron: Token, by_head: dict[int, list[Draft]]) -> list[Draft]:
        """The one named person who is the nearest governing subject, if the nearest subject is one."""
        for subject in clause_subjects(pron, self._token, self.reader.children):
            found = self._with_conjuncts(subject, by_head)
            if not found:
                continue
            return found if len(found) == 1 and found[0].person else []
        return []

    def _with_conjuncts(self, tok: Token, by_head: dict[int, list[Draft]]) -> list[Draft]:
        out = list(by_head.get(tok.i, []))
        for c in self.reader.children(tok.i):
            if c.dep == "conj":
                out.extend(self._with_conjuncts(c, by_head))
        return out


_NAME_LINKS = frozenset({"the", "of", "for", "and", "de", "la", "al"})


def _orgs_of_the_article(doc: Doc, context: ArticleContext, mentions: list[Mention]) -> list[Mention]:
    """A name the knowledge base holds in several countries ("The Democratic Alliance", a party
    in South Africa, Greece and Italy) is the one of the countries the article's other mentions
    and places name, most named first; a name in none of them stays unresolved."""
    counts = Counter(m.actor.country for m in mentions
                     if m.actor.country and m.actor.country not in NON_STATE_CODES and m.kind != "coref")
    counts.update(p.country for p in doc.places if p.country)
    named = [c for c, _ in counts.most_common(3)]
    out = []
    for m in mentions:
        a = m.actor
        words = a.name.split()
        if a.country is not None or m.kind not in ("entity", "role") or len(words) < 2 or not all(
            w[:1].isupper() or w.lower() in _NAME_LINKS for w in words
        ):
            out.append(m)
            continue
        name = a.name[4:] if a.name.startswith(("The ", "the ")) else a.name
        match = next((hit for c in named if (hit := context.kb_lookup(name, "org", c))), None)
        if match is None:
            region = _region_of(name)
            if region is not None:
                # "The Minnesota National Guard", "the Tigray regional government": a body of that region's country
                m = dataclasses.replace(m, actor=dataclasses.replace(a, country=region, basis="place"))
            out.append(m)
            continue
        actor = dataclasses.replace(a, country=match.country, sector=match.sector or a.sector,
                                    kb_id=match.kb_id, basis="knowledge base")
        out.append(dataclasses.replace(m, actor=actor))
    return out


def _region_of(name: str) -> str | None:
    """The country of a region whose name opens an organization's ("Minnesota National Guard"):
    only when every place of that name is in one country and one of them is a region (so not
    "Georgia", a state and a country, nor "Punjab", in India and Pakistan)."""
    words = name.split()
    for n in (2, 1):
        if len(words) <= n:
            continue
        entries = Gazetteer.default().lookup(" ".join(words[:n]), variants=False)
        if entries and any(e.feature == "region" for e in entries) and len({e.country for e in entries}) == 1:
            return entries[0].country
    return None


def _quoted_speakers(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """ "We", "I", "our" inside a quotation stand for its speaker, who may be named sentences away
    ('"We condemn the jailbreak. ...," he tweeted'): see actors.quotes."""
    firsts = [t for t in doc.tokens if t.pos == "PRON" and t.text.lower() in FIRST_PERSON
              and t.head != t.i and (t.dep in _PRONOUN_DEPS or t.dep == "poss")]
    if not firsts:
        return mentions
    quotes = quote_spans(doc.text)
    if not quotes:
        return mentions
    kids: dict[int, list[Token]] = {}
    for t in doc.tokens:
        if t.head != t.i:
            kids.setdefault(t.head, []).append(t)
    speakers = quote_speakers(quotes, doc.tokens, doc.sentences, lambda i: kids.get(i, []))
    by_head: dict[int, list[Mention]] = {}
    for m in mentions:
        by_head.setdefault(m.head, []).append(m)

    def with_conjuncts(i: int) -> list[Mention]:
        out = list(by_head.get(i, []))
        for c in kids.get(i, []):
            if c.dep == "conj":
                out.extend(with_conjuncts(c.i))
        return out

    added: list[Mention] = []
    for t in firsts:
        if t.i in by_head or (t.dep == "poss" and by_head.get(t.head)):
            continue  # "our troops" is an actor already
        q = inside(quotes, t.start)
        if q is None or q not in speakers:
            continue
        for m in with_conjuncts(speakers[q]):
            a = m.actor
            added.append(Mention(Actor(doc.text[t.start:t.end], a.name, a.country, a.sector, t.start, t.end, a.kb_id,
                                       "coreference" if a.country else None), t.i, t.i + 1, t.i, "coref"))
    if not added:
        return mentions
    return sorted(mentions + added, key=lambda m: (m.token_start, m.head))


def _basis(d: Draft) -> str | None:
    """Where a draft's country came from (records.Actor.basis)."""
    if d.country is None:
        return None
    if d.basis is not None:
        return d.basis
    if d.kind == "coref":
        return "coreference"
    return "knowledge base" if d.kb_id else "text"


def _from_seen(seen: Seen, person: bool = False) -> Draft:
    return Draft(0, 0, 0, "coref", seen.name, seen.country, seen.sector,
                 person=seen.name if person else None, role=seen.role, org=not person, kb_id=seen.kb_id)


__all__ = ["ActorResolver", "ActorsConfig", "ArticleContext", "Seen"]
