"""`lapwing eval`: score the engine against a gold standard (PLOVER GSR, Lapwing JSONL or article gold)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..api import EngineOptions, extract_many
from ..errors import GoldError
from ..records import Article, Event
from .article_report import article_to_dict, format_article_report, headline
from .article_score import (
    FIELDS,
    ArticleError,
    ArticleEvalResult,
    ArticleTypeScore,
    FieldScore,
    article_metrics,
    evaluate_articles,
    score_articles,
)
from .articles import (
    ArticleGold,
    GoldHappening,
    GoldParty,
    GoldPlace,
    is_article_gold,
    load_article_gold,
    load_articles,
    missing_articles_error,
)
from .floors import check_floors
from .gold import COUNTRY_ALIASES, LEGACY_TYPES, PLOVER_TYPES, GoldEvent, GoldItem, load_gold, normalize_country
from .report import format_report, to_dict
from .score import (
    CountryAccuracy,
    EvalResult,
    ItemResult,
    Predicted,
    Scores,
    TypeScore,
    evaluate,
    metrics,
    primary_event,
    score_predictions,
)

__all__ = [
    "COUNTRY_ALIASES", "FIELDS", "LEGACY_TYPES", "PLOVER_TYPES", "ArticleError", "ArticleEvalResult",
    "ArticleGold", "ArticleTypeScore", "CountryAccuracy", "EvalResult", "FieldScore", "GoldEvent",
    "GoldHappening", "GoldItem", "GoldParty", "GoldPlace", "ItemResult", "Predicted", "Scores", "TypeScore",
    "article_metrics", "article_to_dict", "check_floors", "evaluate", "evaluate_articles",
    "format_article_report", "format_report", "headline", "is_article_gold", "load_article_gold",
    "load_articles", "load_gold", "metrics", "normalize_country", "primary_event", "run_eval",
    "score_articles", "score_predictions", "to_dict",
]  # fmt: skip


def run_eval(
    path: str | Path,
    *,
    articles: str | Path | None = None,
    errors: int = 0,
    as_json: bool = False,
    workers: int = 1,
    options: EngineOptions | None = None,
    extract: Callable[[Any], Sequence[Event]] | None = None,
) -> tuple[str, EvalResult | ArticleEvalResult]:
    """Load gold, code every item (each text as one article) and return (report, result).

    Article gold (told by content) needs `articles`, the JSON Lines file of its texts; the other
    formats carry their texts and take no `articles`. `extract` replaces the engine (tests pass a
    fake: it gets a GoldItem, or an ArticleGold for article gold); otherwise `lapwing.extract_many`
    codes the items with `workers` processes and `options`. Timing leaves out model loading.
    """
    if is_article_gold(path):
        if articles is None:
            raise missing_articles_error(path)
        return _run_article_eval(path, articles, errors, as_json, workers, options, extract)
    if articles is not None:
        raise GoldError(
            f"{path}: is not article gold (its events have no key and types), so it carries its own texts; "
            "drop --articles"
        )
    items = load_gold(path)
    if extract is not None:
        result = evaluate(items, extract)
    else:
        docs, seconds = _code([Article(text=i.text, id=i.id, published=i.published) for i in items], workers, options)
        result = score_predictions(items, docs, seconds=seconds)
    if as_json:
        return json.dumps(to_dict(result, errors=errors), indent=2) + "\n", result
    return format_report(result, errors=errors), result


def _run_article_eval(
    path: str | Path,
    articles: str | Path,
    errors: int,
    as_json: bool,
    workers: int,
    options: EngineOptions | None,
    extract: Callable[[Any], Sequence[Event]] | None,
) -> tuple[str, ArticleEvalResult]:
    items = load_article_gold(path, articles)
    if extract is not None:
        result = evaluate_articles(items, extract)
    else:
        events, seconds = _code([i.article for i in items], workers, options)
        result = score_articles(items, events, seconds=seconds)
    if as_json:
        return json.dumps(article_to_dict(result, errors=errors), indent=2) + "\n", result
    return format_article_report(result, errors=errors), result


def _code(
    articles: list[Article], workers: int, options: EngineOptions | None
) -> tuple[list[tuple[Event, ...]], float]:
    """The events of every article with the real engine, and the seconds it took."""
    options = options or EngineOptions()
    # Code one article untimed first so the timing leaves out model loading (and forked workers
    # inherit the loaded pipeline).
    list(extract_many(articles[:1], workers=1, options=options))
    t0 = time.perf_counter()
    docs = list(extract_many(articles, workers=workers, options=options))
    return [tuple(d.events) for d in docs], time.perf_counter() - t0
