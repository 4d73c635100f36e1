"""`lapwing eval`: score the engine against a gold standard (PLOVER GSR or Lapwing JSONL)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from ..api import EngineOptions, extract_many
from ..records import Article, Event
from .gold import COUNTRY_ALIASES, LEGACY_TYPES, PLOVER_TYPES, GoldEvent, GoldItem, load_gold, normalize_country
from .report import format_report, to_dict
from .score import (
    CountryAccuracy,
    EvalResult,
    ItemResult,
    Predicted,
    Scores,
    TypeScore,
    check_floors,
    evaluate,
    metrics,
    primary_event,
    score_predictions,
)

__all__ = [
    "COUNTRY_ALIASES", "LEGACY_TYPES", "PLOVER_TYPES", "CountryAccuracy", "EvalResult", "GoldEvent",
    "GoldItem", "ItemResult", "Predicted", "Scores", "TypeScore", "check_floors", "evaluate",
    "format_report", "load_gold", "metrics", "normalize_country", "primary_event", "run_eval",
    "score_predictions", "to_dict",
]  # fmt: skip


def run_eval(
    path: str | Path,
    *,
    errors: int = 0,
    as_json: bool = False,
    workers: int = 1,
    options: EngineOptions | None = None,
    extract: Callable[[GoldItem], Sequence[Event]] | None = None,
) -> tuple[str, EvalResult]:
    """Load gold, code every item (each text as one article) and return (report, result).

    `extract` replaces the engine (tests pass a fake); otherwise `lapwing.extract_many` codes the
    items with `workers` processes and `options` (an EngineOptions). Timing leaves out model loading.
    """
    items = load_gold(path)
    if extract is not None:
        result = evaluate(items, extract)
    else:
        options = options or EngineOptions()
        articles = [Article(text=i.text, id=i.id, published=i.published) for i in items]
        # Code one item untimed first so the timing leaves out model loading (and forked workers
        # inherit the loaded pipeline).
        list(extract_many(articles[:1], workers=1, options=options))
        t0 = time.perf_counter()
        docs = list(extract_many(articles, workers=workers, options=options))
        seconds = time.perf_counter() - t0
        result = score_predictions(items, [d.events for d in docs], seconds=seconds)
    if as_json:
        return json.dumps(to_dict(result, errors=errors), indent=2) + "\n", result
    return format_report(result, errors=errors), result
