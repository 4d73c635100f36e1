"""When each event happened: the temporal expression that belongs to it, resolved against `published`.

An expression belongs to an event when (best first):
  0. it sits in the trigger's dependency subtree without crossing into another clause;
  1. it hangs on the trigger's head verb by a temporal relation (npadvmod, tmod, prep + pobj, advmod);
  2. it is elsewhere in the same clause, counting clauses joined by xcomp ("is expected to meet")
     or conj ("entered the city on Sunday and seized the airport") as one;
  3. it sits in the trigger's subtree inside a nested clause ("arrested protesters who marched Sunday").
Ties go to the shorter dependency path, then to the nearer word. A date on a reporting verb in
another clause ("..., officials said Monday") is not the event's date. Expressions are DATE/TIME
entities plus weekday and day words ("Sunday", "yesterday") the NER missed. Durations and vague
phrases are skipped; with nothing usable left, the publication date stands in (basis "published").
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..doc import Doc
from ..records import DateRef, Event, Token
from ..temporal import load_vocabulary, resolve

DATE_LABELS = ("DATE", "TIME")
# Relations by which a time expression modifies a verb.
TEMPORAL_DEPS = frozenset({"npadvmod", "tmod", "obl", "obl:tmod", "nmod:tmod", "prep", "advmod", "pobj"})
# Relations that join clauses sharing the trigger's time frame.
SHARED_FRAME_DEPS = frozenset({"xcomp", "conj"})
# "is slated/expected/scheduled to ..." and "is going to ...": the infinitive is future.
FUTURE_FRAMES = frozenset({"slate", "expect", "schedule", "set", "plan", "due", "go", "poise", "intend"})
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
DAY_WORDS = frozenset({"today", "yesterday", "tomorrow", "tonight"})
SHIFT_WORDS = frozenset({"last", "next", "this"})
_VERBS = ("VERB", "AUX")


@dataclass(frozen=True)
class DatesConfig:
    """`bare_words`: also use weekday/day words the NER missed; `clause_fallback`: allow rank 2 and 3."""

    bare_words: bool = True
    clause_fallback: bool = True


@dataclass(frozen=True, slots=True)
class _Candidate:
    token_start: int
    token_end: int
    start: int
    end: int


class DateResolver:
    """Assigns each event a DateRef from the temporal expression attached to its trigger."""

    name = "dates"
    version = "1"
    requires = ("parse", "entities", "events")
    assigns = ("dates",)

    def __init__(self, config: DatesConfig = DatesConfig()) -> None:
        self.config = config
        vocab = load_vocabulary()
        self._bare = DAY_WORDS | frozenset(vocab.weekdays)

    def __call__(self, doc: Doc) -> Doc:
        if not doc.events:
            return doc
        candidates = self._candidates(doc)
        events = tuple(self._date_event(doc, event, candidates) for event in doc.events)
        return doc.replace(events=events)

    def _date_event(self, doc: Doc, event: Event, candidates: dict[int, list[_Candidate]]) -> Event:
        published = doc.article.published
        in_sentence = candidates.get(doc.tokens[event.anchor].sent) if 0 <= event.anchor < len(doc.tokens) else None
        unresolved: DateRef | None = None
        if in_sentence:
            tense = event_tense(doc, event)
            for cand in self._ranked(doc, event.anchor, in_sentence):
                text = doc.text[cand.start : cand.end]
                found = resolve(text, published, tense)
                if found.value is not None:
                    date = DateRef(text, found.value, found.granularity, "text", cand.start, cand.end)
                    return dataclasses.replace(event, date=date)
                if published is None and found.relative and unresolved is None and found.kind == "date":
                    # "Sunday" with no publication date: keep the words, never guess the day.
                    unresolved = DateRef(text, None, "unknown", "unknown", cand.start, cand.end)
        if published is not None:
            return dataclasses.replace(event, date=DateRef(None, published.isoformat(), "day", "published"))
        return dataclasses.replace(event, date=unresolved or DateRef(None, None, "unknown", "unknown"))

    def _candidates(self, doc: Doc) -> dict[int, list[_Candidate]]:
        """Temporal expressions by sentence index: DATE/TIME entities, then day words the NER missed."""
        found: dict[int, list[_Candidate]] = {}
        covered: set[int] = set()
        for e in doc.entities:
            if e.label in DATE_LABELS and e.token_start < len(doc.tokens):
                found.setdefault(doc.tokens[e.token_start].sent, []).append(
                    _Candidate(e.token_start, e.token_end, e.start, e.end)
                )
                covered.update(range(e.token_start, e.token_end))
        if not self.config.bare_words:
            return found
        wanted = {doc.tokens[e.anchor].sent for e in doc.events if 0 <= e.anchor < len(doc.tokens)}
        for sent in wanted:
            s = doc.sentences[sent]
            for tok in doc.tokens[s.token_start : s.token_end]:
                if tok.i in covered or tok.text.lower() not in self._bare:
                    continue
                first = tok
                prev = doc.tokens[tok.i - 1] if tok.i > s.token_start else None
                if prev is not None and prev.text.lower() in SHIFT_WORDS and prev.i not in covered:
                    first = prev  # "last Friday", "next Tuesday"
                found.setdefault(sent, []).append(_Candidate(first.i, tok.i + 1, first.start, tok.end))
        return found

    def _ranked(self, doc: Doc, anchor: int, candidates: list[_Candidate]) -> list[_Candidate]:
        verb = governing_verb(doc, anchor)
        frame = [verb] if verb is not None else []
        while frame and doc.tokens[frame[-1]].dep in SHARED_FRAME_DEPS:
            head = doc.tokens[frame[-1]].head
            if head == frame[-1] or doc.tokens[head].pos not in _VERBS or head in frame:
                break
            frame.append(head)
        scored = []
        for cand in candidates:
            if cand.token_start <= anchor < cand.token_end:
                continue  # an expression holding the trigger word is the trigger, not its date
            rank = _rank(doc, cand, anchor, frame, self.config.clause_fallback)
            if rank is not None:
                scored.append((rank, abs(cand.token_start - anchor), cand))
        scored.sort(key=lambda r: (r[0], r[1]))
        return [c for _, _, c in scored]


def _rank(doc: Doc, cand: _Candidate, anchor: int, frame: list[int], clause_fallback: bool) -> tuple[int, int] | None:
    """(rank, path length) of a candidate for an anchor, or None when it belongs elsewhere."""
    path = _path_up(doc, _span_root(doc, cand))
    crossed = False  # a verb between the candidate and the point it joins: another clause
    for steps, i in enumerate(path):
        if i == anchor:
            return (3 if crossed else 0, steps) if (clause_fallback or not crossed) else None
        if frame and i == frame[0] and not crossed:
            child = doc.tokens[path[steps - 1]] if steps else None
            attached = child is not None and child.dep in TEMPORAL_DEPS
            if attached:
                return (1, steps)
            return (2, steps) if clause_fallback else None
        if i in frame[1:] and not crossed:
            return (2, steps) if clause_fallback else None
        if steps and doc.tokens[i].pos == "VERB":
            crossed = True
    return None


def _span_root(doc: Doc, cand: _Candidate) -> int:
    for i in range(cand.token_start, cand.token_end):
        head = doc.tokens[i].head
        if head == i or not cand.token_start <= head < cand.token_end:
            return i
    return cand.token_start


def _path_up(doc: Doc, i: int) -> list[int]:
    """Token `i` and its ancestors up to the sentence root (bounded, in case of a cyclic parse)."""
    s = doc.sentences[doc.tokens[i].sent]
    path = [i]
    for _ in range(s.token_end - s.token_start):
        head = doc.tokens[path[-1]].head
        if head == path[-1]:
            break
        path.append(head)
    return path


def governing_verb(doc: Doc, anchor: int) -> int | None:
    """The anchor itself when it is a verb, else its nearest verb ancestor ("talks" -> "held")."""
    for i in _path_up(doc, anchor):
        if doc.tokens[i].pos in _VERBS:
            return i
    return None


def event_tense(doc: Doc, event: Event) -> str:
    """past, present or future, from the modality and the trigger's verb group."""
    if event.modality == "future":
        return "future"
    verb = governing_verb(doc, event.anchor)
    seen = set()
    while verb is not None and verb not in seen:
        seen.add(verb)
        tok = doc.tokens[verb]
        auxes = [t for t in doc.children(verb) if t.dep in ("aux", "auxpass") and t.tag != "TO"]
        if any(_is_future_aux(a) for a in auxes):
            return "future"
        head = doc.tokens[tok.head]
        if tok.dep == "xcomp" and head.lemma.lower() in FUTURE_FRAMES:
            return "future"
        if tok.tag == "VBD" or any(a.tag == "VBD" for a in auxes):
            return "past"
        if tok.tag == "VBN" and any(a.lemma.lower() == "have" for a in auxes):
            return "past"
        if tok.tag == "VBN" and tok.lemma.lower() in FUTURE_FRAMES:
            return "future"  # "talks are scheduled for Monday"
        if auxes or tok.dep not in SHARED_FRAME_DEPS or head.pos not in _VERBS:
            return "present"
        verb = tok.head  # "agreed to resume", "will meet ... and discuss": the head carries the tense
    return "present"


def _is_future_aux(tok: Token) -> bool:
    return tok.text.lower() in FUTURE_AUX or tok.lemma.lower() in FUTURE_AUX or (tok.tag == "MD" and tok.dep == "aux")
