"""The text report and JSON form of an evaluation on article gold."""

from __future__ import annotations

from typing import Any

from .article_score import ArticleError, ArticleEvalResult, ArticleTypeScore

_WORDS_LIMIT = 110  # characters of an error's words shown per line

_FIELD_LABELS = {"quantities": "numbers", "full": "all fields", "move": "talks move"}


def format_article_report(result: ArticleEvalResult, *, errors: int = 0) -> str:
    """The human-readable report: counts, headline figures, field accuracy, per-type table, errors."""
    r = result
    rate = f", {r.articles / r.seconds:.1f} articles/s" if r.seconds > 0 else ""
    lines = [
        f"{r.articles} articles, {r.gold_core} gold events (core), {r.coded} coded events "
        f"({r.hits} hits, {r.neutral} neutral, {r.charged - r.hits} false alarms, {r.missed} missed); "
        f"{r.seconds:.1f} s{rate}",
        "",
        f"precision {r.precision:.3f}  recall {r.recall:.3f}  F1 {r.f1:.3f}",
        f"false alarms (share of charged events): no event {r.no_event_rate:.3f}, "
        f"duplicate {r.duplicate_rate:.3f}, wrong type {r.wrong_type_rate:.3f}",
        "",
        "Fields on hits (the gold gives the field; all fields: every one the gold gives)",
    ]
    for f in r.fields:
        shown = f"{f.accuracy:5.3f}" if f.accuracy is not None else "  n/a"
        lines.append(f"  {_FIELD_LABELS.get(f.name, f.name):<10} {shown}  ({f.right}/{f.total})")
    lines += ["", "Per type (gold and hits by the gold's preferred type, false alarms by the coded type)"]
    lines += _type_table(r.per_type)
    if r.unfound_phrases:
        n = len(r.unfound_phrases)
        lines += ["", f"gold phrases not found in their article's text (they can meet nothing): {n}"]
        lines += [f"  {aid} {gid}: {phrase[:_WORDS_LIMIT]!r}" for aid, gid, phrase in r.unfound_phrases[:5]]
    if errors > 0:
        lines += ["", f"First {min(errors, len(r.errors))} of {len(r.errors)} errors"]
        width = max([10, *(len(e.label) for e in r.errors[:errors])])
        for e in r.errors[:errors]:
            lines.append(f"  {e.article_id:<10} {e.label:<{width}} {e.event_type:<9} {_flat(e.words)[:_WORDS_LIMIT]!r}")
    lines += ["", headline(r)]
    return "\n".join(lines) + "\n"


def headline(result: ArticleEvalResult) -> str:
    """One line of the headline figures, in the order the reference scorer prints them."""
    r = result
    # The shared scorer's fields only (it does not score negotiation moves), so the lines compare.
    fields = ", ".join(f"{_FIELD_LABELS.get(f.name, f.name)} {_figure(f.accuracy)}" for f in r.fields if f.name != "move")
    return (
        f"precision {r.precision:.2f}, recall {r.recall:.2f}, f1 {r.f1:.2f}; false alarms: no event "
        f"{r.no_event_rate:.2f}, duplicate {r.duplicate_rate:.2f}, wrong type {r.wrong_type_rate:.2f}; "
        f"on hits: {fields}"
    )


def _type_table(per_type: tuple[ArticleTypeScore, ...]) -> list[str]:
    width = max([len("total"), *(len(s.event_type) for s in per_type)])
    rows = [f"  {'type':<{width}}  {'gold':>5}  {'hit':>5}  {'false':>5}  {'P':>5}  {'R':>5}"]
    for s in per_type:
        rows.append(
            f"  {s.event_type:<{width}}  {s.gold:5d}  {s.hit:5d}  {s.false:5d}  "
            f"{_figure(s.precision, 3):>5}  {_figure(s.recall, 3):>5}"
        )
    gold, hit, false = (sum(getattr(s, k) for s in per_type) for k in ("gold", "hit", "false"))
    rows.append(f"  {'total':<{width}}  {gold:5d}  {hit:5d}  {false:5d}")
    return rows


def _figure(value: float | None, digits: int = 2) -> str:
    return f"{value:.{digits}f}" if value is not None else "n/a"


def _flat(words: str) -> str:
    return " ".join(words.split())


def article_to_dict(result: ArticleEvalResult, *, errors: int = 0) -> dict[str, Any]:
    """The report as JSON-ready data; the top-level figures carry the reference scorer's names.

    A field no hit could be judged on is null (the reference scorer prints NaN there).
    """
    r = result
    out: dict[str, Any] = {
        "articles": r.articles,
        "gold_core": r.gold_core,
        "coded": r.coded,
        "recall": r.recall,
        "precision": r.precision,
        "duplicate_rate": r.duplicate_rate,
        "no_event_rate": r.no_event_rate,
        "wrong_type_rate": r.wrong_type_rate,
        "f1": r.f1,
    }
    out.update({f.name: f.accuracy for f in r.fields})
    out["per_type"] = {
        s.event_type: {"gold": s.gold, "hit": s.hit, "false": s.false, "precision": s.precision, "recall": s.recall}
        for s in r.per_type
    }
    out["counts"] = {
        "hits": r.hits, "neutral": r.neutral, "charged": r.charged, "missed": r.missed,
        "duplicate": r.duplicates, "wrong_type": r.wrong_type, "no_event": r.no_event,
        "errors": len(r.errors), "unfound_phrases": len(r.unfound_phrases),
    }  # fmt: skip
    out["fields"] = {f.name: {"right": f.right, "total": f.total} for f in r.fields}
    out["seconds"] = round(r.seconds, 3)
    out["articles_per_second"] = round(r.articles / r.seconds, 2) if r.seconds > 0 else None
    if errors > 0:
        out["errors"] = [_error_dict(e) for e in r.errors[:errors]]
    return out


def _error_dict(e: ArticleError) -> dict[str, Any]:
    return {"article_id": e.article_id, "kind": e.kind, "label": e.label, "event_type": e.event_type,
            "gold_types": list(e.gold_types) or None, "words": e.words}  # fmt: skip
