"""Counts, durations and sums of money attached to events ("killed at least 12 civilians").

A number is read as a group of tokens (hedge, currency, digits or words, scale, time unit), then
tied to the nearest event whose trigger governs it in the parse. Its kind comes first from the word
that governs the counted people as their patient ("killed", "the killing of"), then from the
counted noun itself ("hostages", "trucks"). Vocabulary: data/quantities.yaml; conventions for
values: lapwing.numbers and docs/quantities.md.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..doc import Doc
from ..errors import ResourceError
from ..numbers import (
    ABBREVIATIONS,
    CURRENCY_PREFIXES,
    CURRENCY_WORDS,
    HEDGES,
    SCALES,
    VAGUE,
    parse_duration,
    parse_money,
    parse_number,
)
from ..records import Event, Quantity, Token

# What a count means for its event. duration_days is in days; money carries an ISO currency unit.
QUANTITY_KINDS = (
    "killed", "injured", "arrested", "abducted", "hostages", "prisoners", "displaced", "participants", "trucks",
    "troops", "duration_days", "money",
)

_UNITS = {"hour", "day", "week", "fortnight", "month", "year"}
_UNIT_WORDS = _UNITS | {u + "s" for u in _UNITS}
_VAGUE = frozenset(VAGUE)
_SCALE_WORDS = set(SCALES) | {s + "s" for s in SCALES} | _VAGUE
_ABBREVIATED = re.compile(r"^\d[\d,]*(\.\d+)?(k|m|mn|mln|bn|b|tn)$")
_HEDGE_WORDS = tuple(tuple(h.split()) for h in HEDGES)
_INDEFINITE_WORDS = (("half", "a"), ("half", "an"), ("a", "couple", "of"), ("a", "few"), ("several",), ("a",), ("an",))
_CURRENCY_TOKENS = {p for p, _ in CURRENCY_PREFIXES}
# Entity labels that make a bare count a date, time, rank or share rather than a count of something.
_NOT_COUNTS = {"DATE", "TIME", "PERCENT", "ORDINAL"}
# A stretch of time that places the event rather than measuring it: "two days ago", "in two weeks".
_DATE_FOLLOWERS = {"ago", "later", "earlier", "after", "before", "since", "from"}
_DATE_PREPS = {"in", "within", "after", "since", "before", "by", "from", "until", "till", "during"}
_FRAME_WORDS = {"past", "last", "next", "first", "coming", "previous", "following", "recent", "final"}
_MODIFIER_DEPS = {"nummod", "quantmod", "compound", "amod", "nmod", "npadvmod", "det"}
_PATIENT_DEPS = {"dobj", "obj", "nsubjpass"}


# Kinds counted for one named person with no number given ("arrested Zamora").
SINGLE_KINDS = frozenset({"killed", "arrested", "abducted"})
_FEW = 5  # named people counted one by one; more is a list, not a count the text implies


def _trigger_tokens(doc: Doc, event: Event) -> list[Token]:
    s = doc.sentences[doc.tokens[event.anchor].sent]
    return [t for t in doc.tokens[s.token_start : s.token_end] if event.trigger.start <= t.start < event.trigger.end]


@dataclass(frozen=True)
class QuantityVocabulary:
    """Words that give a count its kind; from data/quantities.yaml or a test's own mapping."""

    nouns: Mapping[str, str]
    patients: Mapping[str, str]
    subjects: Mapping[str, str]
    gatherings: Mapping[str, str]
    people: frozenset[str]

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], source: str = "<mapping>") -> QuantityVocabulary:
        """Build from the YAML's structure, checking every kind against QUANTITY_KINDS."""

        def by_kind(section: str) -> dict[str, str]:
            table = data.get(section) or {}
            if not isinstance(table, Mapping):
                raise ResourceError(
                    f"{source}: section {section!r} must map kinds to word lists, got {type(table).__name__}"
                )
            words: dict[str, str] = {}
            for kind, entries in table.items():
                if kind not in QUANTITY_KINDS:
                    raise ResourceError(
                        f"{source}: unknown kind {kind!r} in {section!r}; use one of {', '.join(QUANTITY_KINDS)}"
                    )
                for word in entries or ():
                    words[str(word).lower()] = kind
            return words

        def word_set(section: str) -> frozenset[str]:
            entries = data.get(section) or []
            if not isinstance(entries, list):
                raise ResourceError(f"{source}: section {section!r} must be a list of words")
            return frozenset(str(w).lower() for w in entries)

        return cls(by_kind("nouns"), by_kind("patients"), by_kind("subjects"), by_kind("gatherings"),
                   word_set("people"))

    @classmethod
    def load(cls, path: str | None = None) -> QuantityVocabulary:
        """The package's vocabulary, or the YAML file at `path`; read once per path."""
        return _load_vocabulary(path)


@functools.lru_cache(maxsize=4)
def _load_vocabulary(path: str | None) -> QuantityVocabulary:
    if path is None:
        source = "lapwing/data/quantities.yaml"
        text = resources.files("lapwing").joinpath("data/quantities.yaml").read_text(encoding="utf-8")
    else:
        source = path
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ResourceError(f"cannot read quantity vocabulary {path!r}: {exc}; pass an existing YAML file") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ResourceError(f"{source} is not valid YAML: {exc}") from exc
    if not isinstance(data, Mapping):
        raise ResourceError(f"{source} must hold a mapping of sections (nouns, patients, ...)")
    return QuantityVocabulary.from_mapping(data, source)


@dataclass(frozen=True)
class QuantityConfig:
    vocabulary_path: str | None = None
    # How far up the parse a number may sit from its event's trigger.
    max_hops: int = 12
    # One named person killed, arrested or abducted counts 1 ("arrested Zamora").
    single_persons: bool = True


@dataclass(frozen=True, slots=True)
class _Group:
    """The tokens [first, last] of one number, its shape and the token linking it to the parse."""

    first: int
    last: int
    head: int
    shape: str  # count | duration | money


class QuantityFinder:
    """Attaches counts, durations and sums of money to the events whose triggers govern them."""

    name = "quantities"
    version = "1"
    requires = ("parse", "entities", "events")
    assigns = ("quantities",)

    def __init__(self, config: QuantityConfig = QuantityConfig(), vocabulary: QuantityVocabulary | None = None) -> None:
        self.config = config
        self.vocabulary = vocabulary if vocabulary is not None else QuantityVocabulary.load(config.vocabulary_path)

    def __call__(self, doc: Doc) -> Doc:
        by_sentence: dict[int, dict[int, list[int]]] = {}
        for n, event in enumerate(doc.events):
            if 0 <= event.anchor < len(doc.tokens):
                by_sentence.setdefault(doc.tokens[event.anchor].sent, {}).setdefault(event.anchor, []).append(n)
        found: dict[int, list[Quantity]] = {}
        for sent, anchors in by_sentence.items():
            self._sentence(doc, sent, anchors, found)
        if self.config.single_persons:
            for n, event in enumerate(doc.events):
                one = self._single_person(doc, event)
                if one is not None and not any(q.kind == one.kind for q in (*event.quantities, *found.get(n, ()))):
                    found.setdefault(n, []).append(one)
        if not found:
            return doc
        events = list(doc.events)
        for n, quantities in found.items():
            merged = {(q.kind, q.start, q.end): q for q in (*events[n].quantities, *quantities)}
            events[n] = dataclasses.replace(events[n], quantities=tuple(sorted(merged.values(), key=lambda q: q.start)))
        return doc.replace(events=tuple(events))

    def _sentence(self, doc: Doc, sent: int, anchors: dict[int, list[int]], found: dict[int, list[Quantity]]) -> None:
        s = doc.sentences[sent]
        toks = doc.tokens
        kids: dict[int, list[int]] = {}
        for t in toks[s.token_start : s.token_end]:
            if t.head != t.i:
                kids.setdefault(t.head, []).append(t.i)
        for group in _groups(toks, s.token_start, s.token_end):
            text = doc.text[toks[group.first].start : toks[group.last].end]
            try:
                if group.shape == "money":
                    money = parse_money(text)
                    kind, value, approximate, unit = "money", money.value, money.approximate, money.currency
                elif group.shape == "duration":
                    parsed = parse_duration(text)
                    kind, value, approximate, unit = "duration_days", parsed.value, parsed.approximate, "day"
                else:
                    parsed = parse_number(text)
                    kind, value, approximate, unit = "", parsed.value, parsed.approximate, None
            except ValueError:
                continue  # roman numerals, ranges ("2-3"), codes: not a quantity the stage can read
            counted = _counted(toks, group) if group.shape == "count" else None
            anchor = self._anchor(toks, kids, group, counted, anchors, doc.events)
            if anchor is None:
                continue
            for n in anchors[anchor]:
                event = doc.events[n]
                if group.shape == "count":
                    if _looks_like_year(text, counted):
                        continue
                    kind = self._count_kind(toks, kids, group, counted, event)
                    if not kind:
                        continue
                q = Quantity(kind, value, approximate, unit, text, toks[group.first].start, toks[group.last].end)
                if group.shape == "count" and counted is not None:
                    q = _add_to_conjunct(doc, found.setdefault(n, []), q, counted, toks)
                    if q is None:
                        continue
                found.setdefault(n, []).append(q)

    def _single_person(self, doc: Doc, event: Event) -> Quantity | None:
        """One named person as the patient of a killing, an arrest or an abduction counts 1.

        "authorities arrested Zamora", "jailed him", "Mech Dara's arrest": analysts count the one
        person, though the text gives no number. Only a named person or a singular personal pronoun.
        """
        if not 0 <= event.anchor < len(doc.tokens) or not 1 <= len(event.recipients) <= _FEW:
            return None
        kind = None
        for tok in _trigger_tokens(doc, event):
            word = tok.text.lower()
            # The lemmatizer fails on rare verbs ("rearrested" -> "rearreste"): the plain stems too.
            for form in (tok.lemma.lower(), word[:-2], word[:-1]):
                kind = self.vocabulary.patients.get(form)
                if kind in SINGLE_KINDS:
                    break
            if kind in SINGLE_KINDS:
                break
        if kind not in SINGLE_KINDS:
            return None
        people = sorted(event.recipients, key=lambda r: r.start)
        if any(b.start < a.end for a, b in zip(people, people[1:])):
            return None  # overlapping mentions of one party
        for r in people:
            words = doc.text[r.start : r.end]
            first = next((t for t in doc.tokens if t.start == r.start), None)
            if first is None:
                return None
            pronoun = first.pos == "PRON" and words.lower() in ("him", "her", "he", "she")
            named = all(t.ent_type == "PERSON" for t in doc.tokens if r.start <= t.start < r.end and t.pos == "PROPN") \
                and any(t.ent_type == "PERSON" for t in doc.tokens if r.start <= t.start < r.end)
            if not (pronoun or named) or " and " in words:
                return None
        # "he and his colleague Chengeto Chidi were arrested": each named person counts one.
        start, end = people[0].start, people[-1].end
        return Quantity(kind, float(len(people)), False, None, doc.text[start:end], start, end)

    def _anchor(
        self,
        toks: tuple[Token, ...],
        kids: dict[int, list[int]],
        group: _Group,
        counted: Token | None,
        anchors: dict[int, list[int]],
        events: tuple[Event, ...],
    ) -> int | None:
        """The trigger token nearest above the number, or the event whose actors contain it."""
        if counted is not None:
            # "12 people killed in the strike": the trigger hangs below the counted noun.
            for k in kids.get(counted.i, ()):
                if k in anchors and toks[k].dep in ("acl", "relcl"):
                    return k
        i = group.head
        path = []
        for _ in range(self.config.max_hops):
            if i in anchors:
                return i
            path.append(i)
            if toks[i].head == i or _is_subordinate(toks, kids, i):
                break
            i = toks[i].head
        # "the talks lasted two days", "clashes left 3 dead": a nominal trigger that is the subject
        # of the verb above the number owns it, when no trigger governs the number itself.
        for i in path:
            if toks[i].pos in ("VERB", "AUX"):
                for k in kids.get(i, ()):
                    if k in anchors and toks[k].dep in ("nsubj", "nsubjpass"):
                        return k
        start, end = toks[group.first].start, toks[group.last].end
        for anchor, numbers in anchors.items():
            for n in numbers:
                if any(a.start <= start and end <= a.end for a in (*events[n].actors, *events[n].recipients)):
                    return anchor
        return None

    def _count_kind(
        self, toks: tuple[Token, ...], kids: dict[int, list[int]], group: _Group, counted: Token | None, event: Event
    ) -> str:
        """What the count means: the governing word's kind for people, else the counted noun's."""
        vocab = self.vocabulary
        arg = counted if counted is not None else toks[group.head]
        if counted is None:
            # "hundreds of Palestinian prisoners": the noun after "of" is what is counted.
            for k in kids.get(group.head, ()):
                if toks[k].dep == "prep" and toks[k].text.lower() == "of":
                    objs = [toks[j] for j in kids.get(k, ()) if toks[j].dep == "pobj"]
                    if objs:
                        counted = objs[0]
                        break
        noun = _lemma(counted) if counted is not None else ""
        person = counted is None or self._is_person(counted, event)
        while arg.dep == "conj" and arg.head != arg.i:
            arg = toks[arg.head]
        role, gov = arg.dep, (toks[arg.head] if arg.head != arg.i else None)
        if arg.dep == "pobj" and gov is not None:
            role = "prep:" + gov.text.lower()
            gov = toks[gov.head] if gov.head != gov.i else None
        if gov is not None and person:
            g = gov.lemma.lower()
            passive_like = role == "nsubj" and gov.tag == "VBN" and not any(
                toks[k].dep == "aux" and toks[k].lemma.lower() == "have" for k in kids.get(gov.i, ())
            )
            of_noun = role == "prep:of" and gov.pos == "NOUN"
            if g in vocab.patients and (role in _PATIENT_DEPS or passive_like or of_noun):
                return vocab.patients[g]
            if g in vocab.subjects and role == "nsubj" and gov.pos in ("VERB", "AUX"):
                return vocab.subjects[g]
            if g in vocab.gatherings and role == "prep:of":
                return vocab.gatherings[g]
        if gov is not None and role in ("prep:to", "prep:at", "attr", "dobj"):
            # "the death toll rose to 40", "the toll stood at 40": a toll counts the dead.
            if any(toks[k].dep == "nsubj" and toks[k].lemma.lower() == "toll" for k in kids.get(gov.i, ())):
                return "killed"
        if gov is not None and role == "dobj" and person:
            # "left 20 people dead": the predicate says what happened to them.
            for k in kids.get(gov.i, ()):
                if toks[k].dep in ("oprd", "acomp", "xcomp") and _lemma(toks[k]) in vocab.nouns:
                    return vocab.nouns[_lemma(toks[k])]
        if counted is not None and person:
            for k in kids.get(counted.i, ()):
                t = toks[k]
                if t.dep in ("acl", "relcl") and t.tag == "VBN" and t.lemma.lower() in vocab.patients:
                    return vocab.patients[t.lemma.lower()]
        return vocab.nouns.get(noun, "")

    def _is_person(self, tok: Token, event: Event) -> bool:
        """A noun that counts people: listed, a demonym or name, or one of the event's actors."""
        vocab = self.vocabulary
        lemma = _lemma(tok)
        if lemma in vocab.people or tok.text.lower() in vocab.people or tok.ent_type in ("NORP", "PERSON"):
            return True
        if tok.pos == "PRON" or vocab.nouns.get(lemma) in _PEOPLE_KINDS:
            return True
        return any(a.start <= tok.start and tok.end <= a.end for a in (*event.actors, *event.recipients))


# Noun kinds that count people, so a verb's kind may override them ("killed 3 hostages").
_PEOPLE_KINDS = {"hostages", "prisoners", "displaced", "participants", "troops", "abducted", "arrested"}


def _add_to_conjunct(doc: Doc, found: list[Quantity], q: Quantity, counted: Token, toks: tuple[Token, ...]) -> Quantity | None:
    """ "killed three policemen and two civilians": counts of one kind whose nouns are joined by
    "and" add up. The earlier count is replaced by the sum (None returned); otherwise `q` itself."""
    if counted.dep != "conj" or counted.head == counted.i:
        return q
    first = toks[counted.head]
    if any(toks[k].text.lower() in ("or", "nor") for k in range(first.i + 1, counted.i) if toks[k].dep == "cc"):
        return q  # "three or four": a range, not a sum
    for i, other in enumerate(found):
        if other.kind == q.kind and other.unit == q.unit and other.end <= first.start < other.end + 40:
            start, end = other.start, counted.end  # the other count is the first noun's own
            found[i] = Quantity(q.kind, other.value + q.value, other.approximate or q.approximate, q.unit,
                                doc.text[start:end], start, end)
            return None
    one = next((toks[k] for k in range(max(0, first.i - 4), first.i)
                if toks[k].head == first.i and toks[k].dep == "det" and toks[k].text.lower() in ("a", "an")), None)
    if one is not None and first.tag == "NN" and q.unit is None:
        # "killed an American scientist and nine French soldiers": the singular noun is one more
        return Quantity(q.kind, q.value + 1, q.approximate, q.unit, doc.text[one.start : counted.end], one.start, counted.end)
    return q


def _lemma(tok: Token) -> str:
    lemma = tok.lemma.lower()
    return lemma if lemma and lemma != "-pron-" else tok.text.lower()


def _is_core(tok: Token) -> bool:
    low = tok.text.lower()
    return tok.tag == "CD" or low in _SCALE_WORDS or bool(_ABBREVIATED.match(low))


def _is_currency(tok: Token) -> bool:
    low = tok.text.lower()
    if tok.tag == "$":
        return True
    # Letter codes only in capitals, so "try" or "eur" in running text never read as money.
    return low in _CURRENCY_TOKENS and (tok.text.isupper() or tok.text in ("Rs", "Rs."))


def _by_last_word(phrases: tuple[tuple[str, ...], ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Phrases indexed by their last word, longest first, so a lookup checks only a few."""
    table: dict[str, list[tuple[str, ...]]] = {}
    for phrase in sorted(phrases, key=len, reverse=True):
        table.setdefault(phrase[-1], []).append(phrase)
    return {word: tuple(found) for word, found in table.items()}


_HEDGE_INDEX = _by_last_word(_HEDGE_WORDS)
_INDEFINITE_INDEX = _by_last_word(_INDEFINITE_WORDS)


def _words_before(toks: tuple[Token, ...], start: int, lo: int, index: dict[str, tuple[tuple[str, ...], ...]]) -> int:
    """The index where one of the indexed phrases ends right before token `start`, or `start`."""
    if start <= lo:
        return start
    for phrase in index.get(toks[start - 1].text.lower(), ()):
        n = len(phrase)
        if start - n >= lo and tuple(t.text.lower() for t in toks[start - n : start]) == phrase:
            return start - n
    return start


def _groups(toks: tuple[Token, ...], lo: int, hi: int) -> list[_Group]:
    """Number groups of one sentence, left to right, ages and time frames left out."""
    groups: list[_Group] = []
    i = lo
    while i < hi:
        tok = toks[i]
        # "a month-long siege": a unit with no number is one of it.
        bare_unit = (
            tok.text.lower() in _UNITS and i + 2 < hi and toks[i + 1].text == "-" and toks[i + 2].text.lower() == "long"
        )
        if not (_is_core(tok) or bare_unit):
            i += 1
            continue
        j = i
        while not bare_unit and j + 1 < hi:
            nxt = toks[j + 1]
            if _is_core(nxt):
                j += 1
            elif nxt.text in ("-", "–") and j + 2 < hi and _is_core(toks[j + 2]) and not toks[j].whitespace:
                j += 2  # "forty-two"
            elif nxt.text.lower() == "of" and j + 2 < hi and {toks[j].text.lower(), toks[j + 2].text.lower()} <= _VAGUE:
                j += 2  # "hundreds of thousands"
            elif nxt.text.lower() in ABBREVIATIONS and not toks[j].whitespace and toks[j].text[-1].isdigit():
                j += 1  # "3" + "m"
            else:
                break
        shape = "count"
        k = j + 1
        if k < hi and toks[k].text == "-" and not toks[j].whitespace:
            k += 1
        if bare_unit:
            shape, j = "duration", i + 2
        elif k < hi and toks[k].text.lower() in _UNIT_WORDS:
            shape, j = "duration", k
            if j + 2 < hi and toks[j + 1].text == "-" and toks[j + 2].text.lower() in ("old", "long"):
                if toks[j + 2].text.lower() == "old":
                    i = j + 3  # "a 35-year-old": an age, not a duration
                    continue
                j += 2
        elif j + 1 < hi and toks[j + 1].text.lower() in CURRENCY_WORDS:
            shape, j = "money", j + 1
        elif j + 2 < hi and f"{toks[j + 1].text} {toks[j + 2].text}".lower() in CURRENCY_WORDS:
            shape, j = "money", j + 2
        a = i
        if toks[i].text.lower() in SCALES or toks[i].text.lower() in ("dozen", "score"):
            a = _words_before(toks, a, lo, _INDEFINITE_INDEX)
        if a > lo and _is_currency(toks[a - 1]):
            shape, a = "money", a - 1
        for _ in range(2):  # hedges may stack: "an estimated more than"
            a = _words_before(toks, a, lo, _HEDGE_INDEX)
        after = toks[j + 1].text.lower() if j + 1 < hi else ""
        skip = after in ("%", "percent", "per")
        if shape == "count":
            skip = skip or any(toks[x].ent_type in _NOT_COUNTS for x in range(i, j + 1))
        elif shape == "duration":
            skip = after in _DATE_FOLLOWERS or (
                a > lo and toks[a - 1].text.lower() in _FRAME_WORDS and toks[a - 1].pos == "ADJ"
            )
        head = _external_head(toks, a, j)
        if shape == "duration" and toks[head].dep == "pobj" and toks[toks[head].head].text.lower() in _DATE_PREPS:
            skip = True
        if not skip:
            groups.append(_Group(a, j, head, shape))
        i = j + 1
    return groups


def _is_subordinate(toks: tuple[Token, ...], kids: dict[int, list[int]], i: int) -> bool:
    """A clause with its own conjunction ("as 12 people died") is another happening, not a detail."""
    return toks[i].dep == "advcl" and any(toks[k].dep == "mark" for k in kids.get(i, ()))


def _external_head(toks: tuple[Token, ...], a: int, b: int) -> int:
    """The last token of [a, b] whose head lies outside it: where the group joins the parse."""
    for x in range(b, a - 1, -1):
        if not a <= toks[x].head <= b or toks[x].head == x:
            return x
    return b


def _counted(toks: tuple[Token, ...], group: _Group) -> Token | None:
    """The noun the number modifies ("12 civilians"), if it modifies one."""
    h = toks[group.head]
    if h.dep in _MODIFIER_DEPS and h.head != h.i:
        noun = toks[h.head]
        # An adjective counts too: "3 dead", "40 wounded" (its kind then comes from the vocabulary).
        if noun.pos in ("NOUN", "PROPN", "PRON", "ADJ"):
            return noun
    return None


def _looks_like_year(text: str, counted: Token | None) -> bool:
    """A bare four-digit 1900-2099 with nothing counted is a year the NER missed."""
    return counted is None and len(text) == 4 and text.isdigit() and 1900 <= int(text) <= 2099
