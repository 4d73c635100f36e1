"""The text report and JSON form of an evaluation."""

from __future__ import annotations

from typing import Any

from .gold import GoldEvent
from .score import NONE, EvalResult, ItemResult, Predicted, Scores, type_order

_TEXT_LIMIT = 400  # characters of an item's text shown per miss; GSR sentences fit whole


def format_report(result: EvalResult, *, errors: int = 0) -> str:
    """The human-readable report: tables, confusion matrix, countries, counts, timing, misses."""
    lines = [_headline(result), ""]
    lines.append(f"Primary event: the engine's most confident event vs the gold event ({result.primary_scored} items)")
    lines += _score_table(result.primary)
    lines.append("")
    lines.append("All events: every predicted vs every gold event, matched one-to-one by type")
    lines += _score_table(result.set)
    lines.append("")
    lines.append("Confusion: rows gold type, columns predicted primary type")
    lines += _confusion(result)
    lines.append("")
    lines += _countries(result)
    misses = result.misses
    if errors > 0:
        lines.append("")
        lines.append(f"First {min(errors, len(misses))} of {len(misses)} misses")
        for item in misses[:errors]:
            lines += _miss(item)
    return "\n".join(lines) + "\n"


def _headline(result: EvalResult) -> str:
    n = len(result.items)
    rate = f", {n / result.seconds:.1f} items/s" if result.seconds > 0 else ""
    return (
        f"{n} items, {result.gold_events} gold events, {result.predicted_events} predicted events, "
        f"{len(result.misses)} misses; {result.seconds:.1f} s{rate}"
    )


def _score_table(scores: Scores) -> list[str]:
    width = max([len("macro"), *(len(s.event_type) for s in scores.per_type)])
    head = f"  {'type':<{width}}  {'P':>5}  {'R':>5}  {'F1':>5}  {'support':>7}"
    rows = [head]
    for s in scores.per_type:
        rows.append(f"  {s.event_type:<{width}}  {s.precision:5.3f}  {s.recall:5.3f}  {s.f1:5.3f}  {s.support:7d}")
    rows.append(
        f"  {'micro':<{width}}  {scores.micro_precision:5.3f}  {scores.micro_recall:5.3f}  "
        f"{scores.micro_f1:5.3f}  {scores.tp + scores.fn:7d}"
    )
    rows.append(f"  {'macro':<{width}}  {'':5}  {'':5}  {scores.macro_f1:5.3f}")
    return rows


def _confusion(result: EvalResult) -> list[str]:
    gold = list(result.confusion)
    predicted = sorted({p for row in result.confusion.values() for p in row} - {NONE}, key=type_order)
    columns = [*predicted, NONE]
    width = max([4, *(len(g) for g in gold)])
    rows = ["  " + " " * width + " " + "".join(f"{c[:4]:>5}" for c in columns)]
    for g in gold:
        cells = "".join(f"{result.confusion[g].get(c, 0) or '.':>5}" for c in columns)
        rows.append(f"  {g:<{width}} {cells}")
    return rows


def _countries(result: EvalResult) -> list[str]:
    c = result.countries
    rows = ["Countries on matched primary events (gold code among the event's predicted codes)"]
    for label, value, num, den in (
        ("actor", c.actor, c.actor_correct, c.actor_total),
        ("recipient", c.recipient, c.recipient_correct, c.recipient_total),
        ("combined", c.combined, c.actor_correct + c.recipient_correct, c.actor_total + c.recipient_total),
        ("role-free", c.role_free, c.role_free_correct, c.role_free_total),
    ):
        shown = f"{value:5.3f}" if value is not None else "  n/a"
        rows.append(f"  {label:<10} {shown}  ({num}/{den})")
    rows.append(f"  gold codes left out as unmappable: {result.unmapped_codes}")
    return rows


def _miss(item: ItemResult) -> list[str]:
    text = item.text if len(item.text) <= _TEXT_LIMIT else item.text[:_TEXT_LIMIT] + "..."
    rows = ["", f"[{item.id}] {text}"]
    rows += [f"  gold:      {_gold_line(g)}" for g in item.gold] or ["  gold:      (no event)"]
    rows += [f"  predicted: {_pred_line(p, k == item.primary_index)}" for k, p in enumerate(item.predicted)] or [
        "  predicted: (none)"
    ]
    return rows


def _gold_line(g: GoldEvent) -> str:
    trigger = f'  "{g.trigger}"' if g.trigger else ""
    return f"{_typed(g.event_type, g.mode)}  {_dyad(g.actor_countries, g.recipient_countries)}{trigger}"


def _pred_line(p: Predicted, primary: bool) -> str:
    mark = "*" if primary else " "
    return (
        f"{mark}{_typed(p.event_type, p.mode)}  {_dyad(p.actor_countries, p.recipient_countries)}"
        f'  "{p.trigger}" ({p.confidence:.2f})'
    )


def _typed(event_type: str, mode: str | None) -> str:
    return f"{event_type}/{mode}" if mode else event_type


def _dyad(actors: tuple[str, ...], recipients: tuple[str, ...]) -> str:
    return f"{','.join(actors) or '-'} -> {','.join(recipients) or '-'}"


def to_dict(result: EvalResult, *, errors: int = 0) -> dict[str, Any]:
    """The report as plain JSON-ready data; `errors` > 0 adds that many misses in detail."""
    c = result.countries
    out: dict[str, Any] = {
        "counts": {
            "items": len(result.items),
            "gold_events": result.gold_events,
            "predicted_events": result.predicted_events,
            "primary_scored": result.primary_scored,
            "misses": len(result.misses),
            "unmapped_gold_codes": result.unmapped_codes,
        },
        "seconds": round(result.seconds, 3),
        "items_per_second": round(len(result.items) / result.seconds, 2) if result.seconds > 0 else None,
        "primary": _scores_dict(result.primary),
        "set": _scores_dict(result.set),
        "confusion": {g: dict(row) for g, row in result.confusion.items()},
        "countries": {
            "actor": c.actor,
            "recipient": c.recipient,
            "combined": c.combined,
            "role_free": c.role_free,
            "counts": {
                "actor": [c.actor_correct, c.actor_total],
                "recipient": [c.recipient_correct, c.recipient_total],
                "role_free": [c.role_free_correct, c.role_free_total],
            },
        },
    }
    if errors > 0:
        out["errors"] = [_miss_dict(i) for i in result.misses[:errors]]
    return out


def _scores_dict(scores: Scores) -> dict[str, Any]:
    return {
        "per_type": {
            s.event_type: {"precision": s.precision, "recall": s.recall, "f1": s.f1, "support": s.support,
                           "tp": s.tp, "fp": s.fp, "fn": s.fn}
            for s in scores.per_type
        },
        "micro": {"precision": scores.micro_precision, "recall": scores.micro_recall, "f1": scores.micro_f1},
        "macro_f1": scores.macro_f1,
    }  # fmt: skip


def _miss_dict(item: ItemResult) -> dict[str, Any]:
    return {
        "id": item.id,
        "text": item.text,
        "gold": [
            {"event_type": g.event_type, "mode": g.mode, "actors": list(g.actor_countries),
             "recipients": list(g.recipient_countries), "trigger": g.trigger}
            for g in item.gold
        ],
        "predicted": [
            {"event_type": p.event_type, "mode": p.mode, "actors": list(p.actor_countries),
             "recipients": list(p.recipient_countries), "trigger": p.trigger,
             "confidence": round(p.confidence, 3), "primary": k == item.primary_index}
            for k, p in enumerate(item.predicted)
        ],
    }  # fmt: skip
