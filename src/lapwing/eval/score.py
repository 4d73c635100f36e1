"""Scoring coded events against gold: the primary-event scoring, the event-set scoring, countries.

"primary" is the headline for single-event gold (the GSR): each sentence's gold codes one event,
though the sentence may hold others the coders left out, so only the engine's most confident event
is compared. "set" compares every predicted event with every gold event; it is the fair measure
for gold that codes all events of a text, and a pessimistic one for the GSR.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import LapwingError
from ..records import Actor, Event
from .gold import PLOVER_TYPES, GoldEvent, GoldItem

NONE = "NONE"  # the confusion matrix's label for "no gold event" / "no prediction"
# PLOVER splits intergovernmental bodies into UNO (the UN family), EUR (the EU) and IGO (the
# rest); older gold such as the GSR codes them all IGO. A predicted UNO or EUR therefore also
# satisfies a gold IGO (never the other way round).
IGO_KINDS = frozenset({"UNO", "EUR"})


@dataclass(frozen=True, slots=True)
class Predicted:
    """What error analysis needs of one predicted event (Events themselves are not kept)."""

    event_type: str
    mode: str | None
    actor_countries: tuple[str, ...]
    recipient_countries: tuple[str, ...]
    trigger: str
    confidence: float

    @classmethod
    def from_event(cls, event: Event) -> Predicted:
        """Summarize an engine Event."""
        return cls(
            event_type=event.event_type,
            mode=event.mode,
            actor_countries=_countries(a.country for a in event.actors),
            recipient_countries=_countries(a.country for a in event.recipients),
            trigger=event.trigger.text,
            confidence=event.confidence,
        )


@dataclass(frozen=True, slots=True)
class TypeScore:
    """Counts for one event type under one scoring."""

    event_type: str
    tp: int
    fp: int
    fn: int

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)


@dataclass(frozen=True, slots=True)
class Scores:
    """Per-type and summary scores of one scoring. Undefined ratios (0/0) count as 0."""

    per_type: tuple[TypeScore, ...]

    @property
    def tp(self) -> int:
        return sum(s.tp for s in self.per_type)

    @property
    def fp(self) -> int:
        return sum(s.fp for s in self.per_type)

    @property
    def fn(self) -> int:
        return sum(s.fn for s in self.per_type)

    @property
    def micro_precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def micro_recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def micro_f1(self) -> float:
        return _f1(self.micro_precision, self.micro_recall)

    @property
    def macro_f1(self) -> float:
        """Mean F1 over the types that occur in the gold (a type only ever predicted is left out)."""
        gold_types = [s for s in self.per_type if s.support > 0]
        return sum(s.f1 for s in gold_types) / len(gold_types) if gold_types else 0.0

    def get(self, event_type: str) -> TypeScore:
        """The score of one type (all zeros when it never occurred)."""
        for s in self.per_type:
            if s.event_type == event_type:
                return s
        return TypeScore(event_type, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class CountryAccuracy:
    """Gold actor/recipient countries found on the matched predicted event (primary scoring)."""

    actor_correct: int = 0
    actor_total: int = 0
    recipient_correct: int = 0
    recipient_total: int = 0
    role_free_correct: int = 0
    role_free_total: int = 0

    @property
    def actor(self) -> float | None:
        return self.actor_correct / self.actor_total if self.actor_total else None

    @property
    def recipient(self) -> float | None:
        return self.recipient_correct / self.recipient_total if self.recipient_total else None

    @property
    def combined(self) -> float | None:
        total = self.actor_total + self.recipient_total
        return (self.actor_correct + self.recipient_correct) / total if total else None

    @property
    def role_free(self) -> float | None:
        """Diagnostic: the code anywhere among actors and recipients, whatever its role."""
        return self.role_free_correct / self.role_free_total if self.role_free_total else None


@dataclass(frozen=True, slots=True)
class ItemResult:
    """One gold item's outcome, kept for error analysis."""

    id: str
    text: str
    gold: tuple[GoldEvent, ...]
    predicted: tuple[Predicted, ...]
    primary_index: int  # index in `predicted` of the primary event, -1 when nothing was predicted
    primary_scored: bool  # False when the gold codes several events: primary scoring is undefined
    primary_correct: bool
    set_pairs: tuple[tuple[int, int], ...]  # (gold index, predicted index) matched by the set scoring
    set_fp: int
    set_fn: int

    @property
    def primary(self) -> Predicted | None:
        return self.predicted[self.primary_index] if self.primary_index >= 0 else None

    @property
    def miss(self) -> bool:
        """Wrong primary type when primary-scored, else any unmatched event in the set scoring."""
        if self.primary_scored:
            return not self.primary_correct
        return bool(self.set_fp or self.set_fn)


@dataclass(frozen=True)
class EvalResult:
    """Everything `lapwing eval` reports."""

    primary: Scores
    set: Scores
    confusion: Mapping[str, Mapping[str, int]]  # gold type -> predicted primary type -> count
    countries: CountryAccuracy
    items: tuple[ItemResult, ...]
    seconds: float
    unmapped_codes: int  # gold country codes the alias table could not map (left out of scoring)

    @property
    def gold_events(self) -> int:
        return sum(len(i.gold) for i in self.items)

    @property
    def predicted_events(self) -> int:
        return sum(len(i.predicted) for i in self.items)

    @property
    def primary_scored(self) -> int:
        return sum(i.primary_scored for i in self.items)

    @property
    def misses(self) -> tuple[ItemResult, ...]:
        return tuple(i for i in self.items if i.miss)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (`lapwing eval --json`)."""
        from .report import to_dict

        return to_dict(self)


def primary_event(events: Sequence[Event]) -> Event | None:
    """The most confident event; ties go to the earliest trigger, then to the first listed."""
    if not events:
        return None
    return min(events, key=lambda e: (-e.confidence, e.trigger.start))


def evaluate(items: Sequence[GoldItem], extract: Callable[[GoldItem], Sequence[Event]]) -> EvalResult:
    """Run `extract` on every gold item and score its events against the gold."""
    predictions = []
    t0 = time.perf_counter()
    for item in items:
        predictions.append(tuple(extract(item)))
    return score_predictions(items, predictions, seconds=time.perf_counter() - t0)


def score_predictions(
    items: Sequence[GoldItem], predictions: Sequence[Sequence[Event]], *, seconds: float = 0.0
) -> EvalResult:
    """Score events already extracted (`predictions[k]` belongs to `items[k]`)."""
    if len(items) != len(predictions):
        raise LapwingError(f"{len(items)} gold items but {len(predictions)} predictions; pass one list per item")
    primary = _Tally()
    set_tally = _Tally()
    confusion: dict[str, Counter[str]] = {}
    countries = _CountryTally()
    results = []
    for item, events in zip(items, predictions):
        top = primary_event(events)
        scored = len(item.events) <= 1
        correct = False
        if scored:
            gold = item.events[0] if item.events else None
            correct = _score_primary(primary, gold, top)
            confusion.setdefault(gold.event_type if gold else NONE, Counter())[top.event_type if top else NONE] += 1
            if correct:
                countries.add(gold, top)
        pairs, fp, fn = _score_set(set_tally, item.events, events)
        results.append(
            ItemResult(
                id=item.id,
                text=item.text,
                gold=item.events,
                predicted=tuple(Predicted.from_event(e) for e in events),
                primary_index=next(k for k, e in enumerate(events) if e is top) if top else -1,
                primary_scored=scored,
                primary_correct=correct,
                set_pairs=pairs,
                set_fp=fp,
                set_fn=fn,
            )
        )
    return EvalResult(
        primary=primary.scores(),
        set=set_tally.scores(),
        confusion={g: dict(row) for g, row in sorted(confusion.items(), key=lambda kv: type_order(kv[0]))},
        countries=countries.result(),
        items=tuple(results),
        seconds=seconds,
        unmapped_codes=sum(len(e.unmapped_codes) for i in items for e in i.events),
    )


def _score_primary(tally: _Tally, gold: GoldEvent | None, top: Event | None) -> bool:
    if gold and top and gold.event_type == top.event_type:
        tally.tp[gold.event_type] += 1
        return True
    if top:
        tally.fp[top.event_type] += 1
    if gold:
        tally.fn[gold.event_type] += 1
    return False


def _score_set(
    tally: _Tally, gold: Sequence[GoldEvent], events: Sequence[Event]
) -> tuple[tuple[tuple[int, int], ...], int, int]:
    """Greedy one-to-one matching by type, most shared countries first; returns (pairs, fp, fn)."""
    pairs = []
    for gi, g in enumerate(gold):
        g_codes = set(g.actor_countries) | set(g.recipient_countries)
        for pj, e in enumerate(events):
            if e.event_type == g.event_type:
                e_codes = _predicted_codes((*e.actors, *e.recipients))
                pairs.append((-len(g_codes & e_codes), gi, pj))
    pairs.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    matched = []
    for _, gi, pj in pairs:
        if gi not in used_g and pj not in used_p:
            used_g.add(gi)
            used_p.add(pj)
            matched.append((gi, pj))
            tally.tp[gold[gi].event_type] += 1
    for gi, g in enumerate(gold):
        if gi not in used_g:
            tally.fn[g.event_type] += 1
    for pj, e in enumerate(events):
        if pj not in used_p:
            tally.fp[e.event_type] += 1
    return tuple(sorted(matched)), len(events) - len(used_p), len(gold) - len(used_g)


class _Tally:
    def __init__(self) -> None:
        self.tp: Counter[str] = Counter()
        self.fp: Counter[str] = Counter()
        self.fn: Counter[str] = Counter()

    def scores(self) -> Scores:
        types = sorted(set(self.tp) | set(self.fp) | set(self.fn), key=type_order)
        return Scores(tuple(TypeScore(t, self.tp[t], self.fp[t], self.fn[t]) for t in types))


class _CountryTally:
    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def add(self, gold: GoldEvent, event: Event) -> None:
        actors = _predicted_codes(event.actors)
        recipients = _predicted_codes(event.recipients)
        for code in gold.actor_countries:
            self.counts["actor_total"] += 1
            self.counts["actor_correct"] += code in actors
        for code in gold.recipient_countries:
            self.counts["recipient_total"] += 1
            self.counts["recipient_correct"] += code in recipients
        for code in (*gold.actor_countries, *gold.recipient_countries):
            self.counts["role_free_total"] += 1
            self.counts["role_free_correct"] += code in actors or code in recipients

    def result(self) -> CountryAccuracy:
        return CountryAccuracy(**self.counts)


def metrics(result: EvalResult) -> dict[str, float | None]:
    """Flat named metrics, the keys `check_floors` accepts (e.g. "primary.micro_f1", "primary.f1.ASSAULT")."""
    out: dict[str, float | None] = {}
    for name, scores in (("primary", result.primary), ("set", result.set)):
        out[f"{name}.micro_precision"] = scores.micro_precision
        out[f"{name}.micro_recall"] = scores.micro_recall
        out[f"{name}.micro_f1"] = scores.micro_f1
        out[f"{name}.macro_f1"] = scores.macro_f1
        for s in scores.per_type:
            out[f"{name}.f1.{s.event_type}"] = s.f1
    c = result.countries
    out.update(
        {
            "countries.actor": c.actor,
            "countries.recipient": c.recipient,
            "countries.combined": c.combined,
            "countries.role_free": c.role_free,
        }
    )
    return out


def type_order(event_type: str) -> tuple[int, str]:
    """PLOVER's own order (cooperation to conflict), then anything else by name, NONE last."""
    if event_type in PLOVER_TYPES:
        return PLOVER_TYPES.index(event_type), ""
    return len(PLOVER_TYPES) + (event_type == NONE), event_type


def _predicted_codes(actors: Iterable[Actor]) -> set[str]:
    """Countries of predicted actors, with IGO added for UNO/EUR (see IGO_KINDS)."""
    codes = {a.country for a in actors if a.country}
    if codes & IGO_KINDS:
        codes.add("IGO")
    return codes


def _countries(codes: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(c for c in codes if c))


def _ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0
