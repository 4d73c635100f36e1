"""Scoring coded events against article gold, by the rules of ../shared/tools/score_articles.py.

A coded event *meets* a gold happening when the event's evidence sentence (its trigger when it has
no evidence) overlaps an occurrence in the text of one of the happening's phrases (key or also),
and *matches* it when the coded type is among the gold types. Events are taken in text order: the
first match of a happening is a hit, later ones are duplicates. An event whose first match is a
borderline (non-core) happening is neutral: neither credited nor charged. Every other event is a
false alarm: a duplicate, a wrong type on a real happening, or no event at all.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import LapwingError
from ..records import Actor, Event, Place, Quantity
from .articles import ArticleGold, GoldHappening
from .score import IGO_KINDS, type_order

# Error kinds, in the words the report prints.
MISSED, NO_EVENT, DUPLICATE, WRONG_TYPE = "missed", "no event", "duplicate", "wrong type"
# Fields judged on every hit; "full" is all of the fields the gold gives at once.
FIELDS = ("actor", "recipient", "date", "place", "modality", "quantities", "full", "move")
# A shorter folded place name counts as part of the gold place only from this length on, so that
# "Charlevoix, Quebec" is met by "Quebec" but not by a stray "Qu".
PLACE_PART_MIN = 4

_NOT_ALNUM = re.compile(r"[^a-z0-9]")


@dataclass(frozen=True, slots=True)
class FieldScore:
    """How often one field was right on the hits whose gold gives it."""

    name: str
    right: int
    total: int

    @property
    def accuracy(self) -> float | None:
        """right / total; None when no hit's gold gives the field."""
        return self.right / self.total if self.total else None


@dataclass(frozen=True, slots=True)
class ArticleTypeScore:
    """Counts of one type: core gold happenings (by preferred type), their hits, false alarms (by coded type)."""

    event_type: str
    gold: int
    hit: int
    false: int

    @property
    def precision(self) -> float | None:
        """hit / (hit + false); None when the type was never coded nor hit."""
        return self.hit / (self.hit + self.false) if self.hit + self.false else None

    @property
    def recall(self) -> float | None:
        """hit / gold; None when the gold holds no core happening of the type."""
        return self.hit / self.gold if self.gold else None


@dataclass(frozen=True, slots=True)
class ArticleError:
    """One error: a coded event charged as a false alarm, or a core gold happening missed."""

    article_id: str
    kind: str  # MISSED, NO_EVENT, DUPLICATE or WRONG_TYPE
    event_type: str  # the coded type; for a miss, the gold types joined by "/"
    words: str  # the coded event's evidence (else trigger) words; for a miss, the gold key
    gold_types: tuple[str, ...] = ()  # for a wrong type: the types of the gold happening met

    @property
    def label(self) -> str:
        """The kind as the report prints it, e.g. "wrong type (gold ACCUSE/REJECT)"."""
        return f"{self.kind} (gold {'/'.join(self.gold_types)})" if self.kind == WRONG_TYPE else self.kind


@dataclass(frozen=True)
class ArticleEvalResult:
    """Everything `lapwing eval` reports on article gold."""

    articles: int
    gold_core: int  # core gold happenings: the recall denominator
    coded: int  # coded events in the gold's articles
    hits: int  # hits on core happenings
    neutral: int  # events whose match is a non-core happening
    duplicates: int
    wrong_type: int
    no_event: int
    fields: tuple[FieldScore, ...]
    per_type: tuple[ArticleTypeScore, ...]
    errors: tuple[ArticleError, ...]  # by article in gold order: false alarms in text order, then misses
    unfound_phrases: tuple[tuple[str, str, str], ...] = ()  # (article id, gold id, phrase) absent from the text
    seconds: float = 0.0

    @property
    def charged(self) -> int:
        """Coded events that count for precision (all but the neutral)."""
        return self.coded - self.neutral

    @property
    def precision(self) -> float:
        return _ratio(self.hits, self.charged)

    @property
    def recall(self) -> float:
        return _ratio(self.hits, self.gold_core)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def no_event_rate(self) -> float:
        return _ratio(self.no_event, self.charged)

    @property
    def duplicate_rate(self) -> float:
        return _ratio(self.duplicates, self.charged)

    @property
    def wrong_type_rate(self) -> float:
        return _ratio(self.wrong_type, self.charged)

    @property
    def missed(self) -> int:
        return self.gold_core - self.hits

    def field(self, name: str) -> FieldScore:
        """The score of one of FIELDS."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"unknown field {name!r}; known: {', '.join(FIELDS)}")

    def to_dict(self, *, errors: int = 0) -> dict[str, Any]:
        """The JSON form (`lapwing eval --json`)."""
        from .article_report import article_to_dict

        return article_to_dict(self, errors=errors)


def evaluate_articles(
    items: Sequence[ArticleGold], extract: Callable[[ArticleGold], Sequence[Event]]
) -> ArticleEvalResult:
    """Run `extract` on every gold article and score its events."""
    t0 = time.perf_counter()
    predictions = [tuple(extract(item)) for item in items]
    return score_articles(items, predictions, seconds=time.perf_counter() - t0)


def score_articles(
    items: Sequence[ArticleGold], predictions: Sequence[Sequence[Event]], *, seconds: float = 0.0
) -> ArticleEvalResult:
    """Score events already coded (`predictions[k]` holds the events of `items[k]`)."""
    if len(items) != len(predictions):
        raise LapwingError(f"{len(items)} gold articles but {len(predictions)} predictions; pass one list per article")
    tally = _Tally()
    for item, events in zip(items, predictions):
        tally.article(item, events)
    return tally.result(len(items), seconds)


def article_metrics(result: ArticleEvalResult) -> dict[str, float | None]:
    """Flat named metrics for `check_floors`: precision, recall, f1, the *_rate ceilings, fields, per type."""
    out: dict[str, float | None] = {
        "precision": result.precision,
        "recall": result.recall,
        "f1": result.f1,
        "no_event_rate": result.no_event_rate,
        "duplicate_rate": result.duplicate_rate,
        "wrong_type_rate": result.wrong_type_rate,
    }
    out.update({f.name: f.accuracy for f in result.fields})
    for s in result.per_type:
        out[f"precision.{s.event_type}"] = s.precision
        out[f"recall.{s.event_type}"] = s.recall
    return out


def is_ceiling(metric: str) -> bool:
    """True for the false-alarm rates, where lower is better and the bound is a ceiling."""
    return metric.endswith("_rate")


# --- the matching ------------------------------------------------------------------------------


@dataclass
class _Tally:
    counts: Counter[str] = field(default_factory=Counter)
    gold_by_type: Counter[str] = field(default_factory=Counter)
    hit_by_type: Counter[str] = field(default_factory=Counter)
    false_by_type: Counter[str] = field(default_factory=Counter)
    right: Counter[str] = field(default_factory=Counter)
    judged: Counter[str] = field(default_factory=Counter)
    errors: list[ArticleError] = field(default_factory=list)
    unfound: list[tuple[str, str, str]] = field(default_factory=list)

    def article(self, item: ArticleGold, events: Sequence[Event]) -> None:
        gold = item.events
        mentions = [self._mentions(item, g) for g in gold]
        for g in gold:
            if g.core:
                self.counts["gold_core"] += 1
                self.gold_by_type[g.types[0]] += 1
        taken: set[int] = set()  # gold happenings already matched (hit or neutral)
        # Text order decides which of several matching events is the hit; an event without any
        # span sorts first (and can meet nothing). sorted() is stable, so ties keep input order.
        for event in sorted(events, key=lambda e: event_span(e) or (0, 0)):
            span = event_span(event)
            met = [i for i, spans in enumerate(mentions) if span and any(_overlap(span, s) for s in spans)]
            typed = [i for i in met if event.event_type in gold[i].types]
            fresh = [i for i in typed if i not in taken]
            self.counts["coded"] += 1
            if fresh:
                # A core happening is credited before a borderline one the same sentence tells.
                chosen = next((i for i in fresh if gold[i].core), fresh[0])
                taken.add(chosen)
                if gold[chosen].core:
                    self.counts["hits"] += 1
                    self.hit_by_type[gold[chosen].types[0]] += 1
                    self._judge(gold[chosen], event)
                else:
                    self.counts["neutral"] += 1
                continue
            if typed:
                kind, gold_types = DUPLICATE, ()
            elif met:
                kind, gold_types = WRONG_TYPE, gold[met[0]].types
            else:
                kind, gold_types = NO_EVENT, ()
            self.counts[kind] += 1
            self.false_by_type[event.event_type] += 1
            words = item.text[span[0] : span[1]] if span else ""
            self.errors.append(ArticleError(item.id, kind, event.event_type, words, gold_types))
        for i, g in enumerate(gold):
            if g.core and i not in taken:
                self.errors.append(ArticleError(item.id, MISSED, "/".join(g.types), g.key))

    def _mentions(self, item: ArticleGold, g: GoldHappening) -> list[tuple[int, int]]:
        spans = []
        for phrase in g.phrases:
            found = list(occurrences(item.text, phrase))
            if not found:
                self.unfound.append((item.id, g.id, phrase))
            spans += found
        return spans

    def _judge(self, g: GoldHappening, event: Event) -> None:
        checks: list[tuple[str, bool]] = []
        for name, wanted, coded in (("actor", g.actors, event.actors), ("recipient", g.recipients, event.recipients)):
            want = {p.country for p in wanted if p.country}
            if want:  # a gold side with no known country says nothing to check
                have = _countries(coded)
                checks.append((name, all(country_met(c, have) for c in want)))
        if g.date:
            coded_date = event.date.value if event.date is not None else None
            checks.append(("date", (coded_date or "") == g.date))
        if g.place:
            checks.append(("place", place_met(g.place.name, event.location)))
        checks.append(("modality", event.modality == g.modality))
        if g.quantities:
            checks.append(("quantities", numbers_met(g.quantities, event.quantities)))
        checks.append(("full", all(ok for _, ok in checks)))
        if g.move:
            # The negotiation move of a move in talks; not part of "full", as in the shared scorer.
            checks.append(("move", event.negotiation is not None and event.negotiation.move == g.move))
        for name, ok in checks:
            self.judged[name] += 1
            self.right[name] += ok

    def result(self, articles: int, seconds: float) -> ArticleEvalResult:
        types = set(self.gold_by_type) | set(self.hit_by_type) | set(self.false_by_type)
        types.discard("")  # an event with no type has no row
        c = self.counts
        return ArticleEvalResult(
            articles=articles,
            gold_core=c["gold_core"],
            coded=c["coded"],
            hits=c["hits"],
            neutral=c["neutral"],
            duplicates=c[DUPLICATE],
            wrong_type=c[WRONG_TYPE],
            no_event=c[NO_EVENT],
            fields=tuple(FieldScore(n, self.right[n], self.judged[n]) for n in FIELDS),
            per_type=tuple(
                ArticleTypeScore(t, self.gold_by_type[t], self.hit_by_type[t], self.false_by_type[t])
                for t in sorted(types, key=type_order)
            ),
            errors=tuple(self.errors),
            unfound_phrases=tuple(self.unfound),
            seconds=seconds,
        )


def event_span(event: Event) -> tuple[int, int] | None:
    """The (start, end) an event is matched by: its evidence sentence, else its trigger."""
    for span in (event.evidence, event.trigger):
        if span is not None and isinstance(span.start, int):
            return span.start, span.end
    return None


def occurrences(text: str, phrase: str) -> Iterable[tuple[int, int]]:
    """Every (start, end) of `phrase` in `text`, overlapping ones included."""
    if not phrase:
        return
    at = text.find(phrase)
    while at >= 0:
        yield at, at + len(phrase)
        at = text.find(phrase, at + 1)


def country_met(gold: str, coded: set[str]) -> bool:
    """A gold country is met when coded; a gold IGO also by a coded UNO or EUR (see score.IGO_KINDS)."""
    return gold in coded or (gold == "IGO" and bool(coded & IGO_KINDS))


def place_met(gold_name: str, place: Place | None) -> bool:
    """The coded place's name or words equal the gold place, or a part of it of PLACE_PART_MIN+ chars."""
    if place is None:
        return False
    want = fold(gold_name)
    names = {fold(place.name), fold(place.text)} - {""}
    return any(n == want or (len(n) >= PLACE_PART_MIN and n in want) for n in names)


def numbers_met(gold: Iterable[tuple[str, float]], coded: Iterable[Quantity]) -> bool:
    """Every gold (kind, number) is among the coded quantities."""
    have = {(q.kind, float(q.value)) for q in coded if isinstance(q.value, (int, float))}
    return all((kind, float(value)) in have for kind, value in gold)


def fold(text: str | None) -> str:
    """Lower-case letters and digits only, accents dropped: "Québec City" -> "quebeccity"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_ALNUM.sub("", bare.lower())


def _countries(actors: Iterable[Actor]) -> set[str]:
    return {a.country for a in actors if a.country}


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0
