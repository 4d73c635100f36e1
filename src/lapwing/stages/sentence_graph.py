"""Dependency navigation over one parsed sentence of a Doc, built once per sentence."""

from __future__ import annotations

import bisect

from ..actors.countries import NON_STATE_CODES
from ..doc import Doc
from ..records import Actor, Mention, Token

RELATIVE_PRONOUNS = frozenset({"which", "who", "that", "whom"})
# Dependencies through which a clause inherits its governor's subject ("is slated to discuss",
# "attacked and killed", "..., killing five").
SUBJECT_INHERIT_DEPS = ("xcomp", "conj", "advcl", "pcomp", "ccomp", "acomp")
OBJECT_CONTROL_DEPS = ("dobj",)
# Dependencies climbed to find what governs an event (modality cues).
# Adverbial and relative clauses are separate assertions: "never reached it, as the car was attacked".
GOVERNING_DEPS = ("xcomp", "ccomp", "pcomp", "pobj", "prep", "acl", "conj", "dobj")
COORDINATION_PREPS = frozenset({"including", "with"})  # "the US, along with Egypt"; "nations, including Israel"
MODIFIER_DEPS = ("poss", "compound", "amod", "nmod")
# Prepositions through which a verb's subject takes part in a nominal event ("came for talks").
WEAK_PREPS = frozenset({"for", "to", "into", "in", "at"})
PARTITIVES = frozenset({"part", "some", "all", "most", "portion", "much", "half", "rest", "bulk", "share", "many"})
COLLECTIVE_NOUNS = frozenset(
    {"hundred", "hundreds", "thousand", "thousands", "dozen", "dozens", "million", "millions", "group", "number",
     "crowd", "crowds", "some", "many", "most", "all", "several", "members", "member", "band", "unit", "team",
     "wave", "convoy", "contingent", "delegation", "batch"}
)


# One graph is built per sentence: the doc-wide indexes below are built once per doc (kept for the
# last doc seen, by identity) so that a long article costs time in proportion to its length.
_MENTION_INDEX: tuple[tuple[Mention, ...], list[int] | None] = ((), [])
_PLACE_INDEX: tuple[tuple, frozenset] = ((), frozenset())


def mentions_near(mentions: tuple[Mention, ...], start: int, end: int) -> tuple[Mention, ...] | list[Mention]:
    """The mentions that start inside tokens [start, end); all of them if they are not in order."""
    global _MENTION_INDEX
    index = _MENTION_INDEX  # read once: another thread may swap the cache for its own doc
    if index[0] is not mentions:
        starts = [m.token_start for m in mentions]
        index = (mentions, starts if all(a <= b for a, b in zip(starts, starts[1:])) else None)
        _MENTION_INDEX = index
    starts = index[1]
    if starts is None:
        return mentions
    return mentions[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]


def _places_at(places, char: int) -> list:
    """The places (in text order, not overlapping) whose span holds character `char`."""
    k = bisect.bisect_right(places, char, key=lambda p: p.start) - 1
    return [places[k]] if k >= 0 and places[k].start <= char < places[k].end else []


def _place_spans(places: tuple) -> frozenset:
    global _PLACE_INDEX
    index = _PLACE_INDEX
    if index[0] is not places:
        index = (places, frozenset((p.start, p.end) for p in places))
        _PLACE_INDEX = index
    return index[1]


class SentenceGraph:
    """Children, subjects, objects and actor mentions of one sentence's tokens."""

    def __init__(self, doc: Doc, sent: int) -> None:
        sentence = doc.sentences[sent]
        self.offset = sentence.token_start
        self.tokens: tuple[Token, ...] = doc.tokens[sentence.token_start : sentence.token_end]
        self._children: dict[int, list[Token]] = {}
        for tok in self.tokens:
            if tok.head != tok.i:
                self._children.setdefault(tok.head, []).append(tok)
        self._by_head: dict[int, list[Mention]] = {}
        self._covering: dict[int, list[Mention]] = {}
        for mention in mentions_near(doc.mentions, sentence.token_start, sentence.token_end):
            if sentence.token_start <= mention.head < sentence.token_end:
                self._by_head.setdefault(mention.head, []).append(mention)
                for i in range(mention.token_start, mention.token_end):
                    self._covering.setdefault(i, []).append(mention)
        self._places = _place_spans(doc.places)
        self.doc_places = doc.places
        self.doc_text = doc.text

    def token(self, i: int) -> Token | None:
        j = i - self.offset
        return self.tokens[j] if 0 <= j < len(self.tokens) else None

    def children(self, i: int) -> list[Token]:
        return self._children.get(i, [])

    def pobjs(self, prep: int) -> list[Token]:
        return [c for c in self.children(prep) if c.dep in ("pobj", "pcomp")]

    def depth(self, i: int) -> int:
        depth, tok = 0, self.token(i)
        while tok is not None and tok.head != tok.i and depth < 20:
            tok = self.token(tok.head)
            depth += 1
        return depth

    def object_of(self, i: int) -> Token | None:
        """The direct object, or the passive subject standing for it ("aid was delivered")."""
        kids = self.children(i)
        for dep in ("dobj", "nsubjpass", "attr"):
            for c in kids:
                if c.dep == dep:
                    if c.lemma.lower() in PARTITIVES:
                        # "suspended part of the aid program": what is acted on is the "of" object.
                        for p in self.children(c.i):
                            if p.dep == "prep" and p.text.lower() == "of":
                                inner = next(iter(self.pobjs(p.i)), None)
                                if inner is not None:
                                    return inner
                    return c
        tok = self.token(i)
        if tok is not None and tok.tag == "VBN" and tok.dep == "acl" and tok.head != i:
            return self.token(tok.head)  # "the report released Thursday": the noun it qualifies
        return None

    def own_subject(self, i: int) -> Token | None:
        """The subject written on verb `i` itself, not inherited."""
        return next((c for c in self.children(i) if c.dep in ("nsubj", "nsubjpass", "csubj", "expl")), None)

    def verb_above(self, i: int, hops: int = 3) -> Token | None:
        """The nearest verb governing token `i` through object and preposition links."""
        tok = self.token(i)
        for _ in range(hops):
            if tok is None or tok.head == tok.i or tok.dep not in ("dobj", "pobj", "prep", "conj", "attr"):
                return None
            if tok.dep == "prep" and tok.text.lower() not in WEAK_PREPS:
                return None  # "As calls for a ceasefire grow, X ..." is no part of X's act
            tok = self.token(tok.head)
            if tok is not None and tok.pos == "VERB":
                return tok
        return None

    def subject_of(self, i: int) -> tuple[Token | None, bool]:
        """The subject of verb `i` (own or inherited) and whether it is a passive subject."""
        tok = self.token(i)
        only_conj = True  # passive voice carries over "arrested and sentenced", not over "slated to"
        for _ in range(4):
            if tok is None:
                return None, False
            for c in self.children(tok.i):
                if c.dep in ("nsubj", "csubj", "expl"):
                    return (self._antecedent(c, tok), False) if c.dep != "expl" else (None, False)
                if c.dep in ("nsubjpass", "csubjpass"):
                    if tok.i == i or only_conj:
                        return self._antecedent(c, tok), True
                    # "X is slated to discuss": the raised subject acts in the complement.
                    return self._antecedent(c, tok), False
            if tok.dep == "relcl":
                head = self.token(tok.head)
                return head, False
            if tok.dep == "acl" and tok.tag == "VBN":
                return self.token(tok.head), True  # "prisoners held in Israeli jails"
            if tok.dep == "acl":
                # "Israel's preparations to target Rafah": the possessor acts.
                owner = next((c for c in self.children(tok.head) if c.dep == "poss"), None)
                return owner, False
            if tok.dep == "pcomp":
                # "played a role in brokering talks": climb preposition and object to the verb.
                prep = self.token(tok.head)
                noun = self.token(prep.head) if prep is not None and prep.dep == "prep" else None
                if noun is not None and noun.pos in ("VERB", "AUX"):
                    tok = noun  # "responded by destroying the air force"
                    continue
                if noun is not None and noun.dep in ("dobj", "attr") and noun.head != noun.i:
                    tok = self.token(noun.head)
                    continue
            if tok.dep not in SUBJECT_INHERIT_DEPS or tok.head == tok.i:
                return None, False
            only_conj = only_conj and tok.dep == "conj"
            parent = self.token(tok.head)
            if parent is None:
                return None, False
            if tok.dep == "xcomp":
                # Object control: "urged Israel to withdraw": the object acts in the complement.
                for c in self.children(parent.i):
                    if c.dep in OBJECT_CONTROL_DEPS:
                        return c, False
            tok = parent
        return None, False

    def _antecedent(self, subject: Token, verb: Token) -> Token | None:
        if subject.text.lower() in RELATIVE_PRONOUNS and verb.dep == "relcl":
            return self.token(verb.head)
        return subject

    def mentions_for(self, tok: Token | None) -> list[Mention]:
        """Actor mentions a role token stands for, over coordination and modifiers."""
        if tok is None:
            return []
        out: list[Mention] = []
        for member in self._coordinated(tok):
            found = self._by_head.get(member.i) or self._covering.get(member.i)
            if not found and (member.pos == "NUM" or member.lemma.lower() in COLLECTIVE_NOUNS):
                # "hundreds of demonstrators", "a group of soldiers": the actor is the "of" object.
                for c in self.children(member.i):
                    if c.dep == "prep" and c.text.lower() == "of":
                        for p in self.pobjs(c.i):
                            found = self._by_head.get(p.i) or self._covering.get(p.i)
                            if found:
                                break
            if not found:
                # "Israeli strikes", "Qatar's ministry": the actor is a modifier of the word.
                for c in self.children(member.i):
                    # "its partners" is not "it": a possessive pronoun names the owner, not the role.
                    if c.dep in MODIFIER_DEPS and c.pos != "PRON":
                        found = self._by_head.get(c.i) or self._covering.get(c.i)
                        if found:
                            break
            if not found:
                # "her daughter, Makeda Mbewe": the word is the one its apposition names (after its
                # modifiers: "his Israeli counterpart Meir Adler" is Israeli).
                for c in self.children(member.i):
                    if c.dep == "appos":
                        found = self._by_head.get(c.i) or self._covering.get(c.i)
                        if found:
                            break
            for m in found or ():
                if m not in out:
                    out.append(m)
        return out

    def _coordinated(self, tok: Token) -> list[Token]:
        out = [tok]
        stack = [tok]
        while stack:
            node = stack.pop()
            for c in self.children(node.i):
                if c.dep == "conj" and c not in out:
                    out.append(c)
                    stack.append(c)
                elif c.dep == "prep" and c.text.lower() in COORDINATION_PREPS:
                    before = self.token(c.i - 1)
                    if c.text.lower() == "including" or (before is not None and before.text.lower() in ("along", "together")):
                        for p in self.pobjs(c.i):
                            if p not in out:
                                out.append(p)
                                stack.append(p)
        return out

    def in_background_clause(self, i: int) -> bool:
        """Is token `i` inside a relative clause or a temporal "after/following ..." phrase?"""
        tok = self.token(i)
        for _ in range(6):
            if tok is None or tok.head == tok.i:
                return False
            if tok.dep in ("relcl", "acl"):
                return True
            if tok.dep == "prep" and tok.text.lower() in ("after", "following", "since", "before", "amid", "amidst"):
                return True
            tok = self.token(tok.head)
        return False

    def clause_objects(self, i: int, preps: frozenset[str]) -> list[Token]:
        """Objects (direct, dative, and of the given prepositions) anywhere in the clause under `i`.

        Used for what a promise, offer or threat is aimed at: "promised to continue military aid
        to Mozambique". Does not descend into relative, adverbial or reported clauses.
        """
        found: list[Token] = []
        stack = list(self.children(i))
        while stack:
            tok = stack.pop()
            if tok.dep in ("relcl", "advcl", "ccomp", "nsubj", "nsubjpass", "acl"):
                continue
            if tok.dep in ("dobj", "dative"):
                found.append(tok)
            elif tok.dep == "pobj":
                prep = self.token(tok.head)
                if prep is not None and prep.text.lower() in preps:
                    found.append(tok)
            stack.extend(self.children(tok.i))
        return sorted(found, key=lambda t: t.i)

    def visited_places(self, i: int, places) -> list[Mention]:
        """Country actors for the places visited by verb `i` ("arrived in Amman", "visit to Egypt").

        PLOVER codes the host of a visit as its recipient; a city stands for its country.
        """
        found: list[Mention] = []
        heads = [i] + [c.i for c in self.children(i) if c.dep == "dobj"]
        preps = [p for h in heads for p in self.children(h) if p.dep == "prep"]
        for prep in preps:
            if prep.text.lower() not in ("in", "to", "at", "into", "from", "inside"):
                continue
            for pobj in self.pobjs(prep.i):
                for place in _places_at(places, pobj.start):
                    if place.country:
                        actor = Actor(place.text, place.name, place.country, "GOV", place.start, place.end, basis="place")
                        found.append(Mention(actor, pobj.i, pobj.i + 1, pobj.i, "place"))
        return found

    def argument_mentions(self, i: int, directed: bool = False) -> list[Mention]:
        """Actors named as arguments of noun `i`: its possessor, or its by/of/from/with object.

        `directed` adds the target of a noun that is itself the event ("sanctions on the Taliban").
        """
        preps = ("by", "of", "from", "with") + (("on", "against", "to", "toward", "towards") if directed else ())
        found: list[Mention] = []
        for c in self.children(i):
            if c.dep == "poss":
                found.extend(self.mentions_for(c))
            elif c.dep == "prep" and c.text.lower() in preps:
                for p in self.pobjs(c.i):
                    found.extend(self.mentions_for(p))
            elif c.dep in ("compound", "amod"):
                found.extend(self.mentions_for(c))
        return found

    def is_place(self, mention: Mention) -> bool:
        return (mention.actor.start, mention.actor.end) in self._places

    def names_place(self, tok: Token) -> bool:
        """Does token `tok` name a place: one the places stage resolved ("Kidal"), or a country
        named as such ("suspended Niger")?"""
        if _places_at(self.doc_places, tok.start):
            return True
        return any(m.kind == "entity" and m.actor.sector is None and m.actor.country and len(m.actor.country) == 3
                   and m.actor.country not in NON_STATE_CODES for m in self.mentions_for(tok))

    def governing_chain(self, i: int, include_subject_heads: bool = False, limit: int = 5) -> list[tuple[Token, str]]:
        """The words that govern token `i` through complement and preposition links, with the link."""
        chain: list[tuple[Token, str]] = []
        tok = self.token(i)
        allowed = GOVERNING_DEPS + (("nsubj", "nsubjpass") if include_subject_heads else ())
        while tok is not None and len(chain) < limit and tok.dep in allowed and tok.head != tok.i:
            parent = self.token(tok.head)
            if parent is None:
                break
            chain.append((parent, tok.dep))
            if tok.dep == "ccomp":
                break  # "said that X will ..." : the reporting verb does not govern modality further
            tok = parent
        return chain
