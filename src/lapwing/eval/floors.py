"""Floors (and ceilings) on evaluation metrics: the CI accuracy gate."""

from __future__ import annotations

from collections.abc import Mapping

from .article_score import ArticleEvalResult, article_metrics, is_ceiling
from .gold import PLOVER_TYPES
from .score import EvalResult, metrics

_UNKNOWN = object()


def check_floors(result: EvalResult | ArticleEvalResult, floors: Mapping[str, float]) -> list[str]:
    """Failures, one message each, where a metric broke its bound; [] when all hold.

    Bounds are floors (the metric may not fall below them), except on article gold's false-alarm
    rates (names ending in "_rate"), where lower is better and the bound is a ceiling.
    """
    article = isinstance(result, ArticleEvalResult)
    values = article_metrics(result) if isinstance(result, ArticleEvalResult) else metrics(result)
    failures = []
    for key, bound in floors.items():
        value = values.get(key, _UNKNOWN)
        if value is _UNKNOWN and key.rsplit(".", 1)[-1] in PLOVER_TYPES:
            if not article and key.startswith(("primary.f1.", "set.f1.")):
                value = 0.0  # a type never seen nor predicted scored nothing
            elif article and key.startswith(("precision.", "recall.")):
                value = None  # a type neither in the gold nor coded was not measured
        ceiling = article and is_ceiling(key)
        if value is _UNKNOWN:
            failures.append(f"unknown metric {key!r}; known: {', '.join(sorted(values))}")
        elif value is None:
            kind = "ceiling" if ceiling else "floor"
            failures.append(f"{key} was not measured (no gold for it) but has {kind} {bound}")
        elif ceiling and value > bound:  # type: ignore[operator]
            failures.append(f"{key} = {value:.3f} is above its ceiling {bound:.3f}")
        elif not ceiling and value < bound:  # type: ignore[operator]
            failures.append(f"{key} = {value:.3f} is below its floor {bound:.3f}")
    return failures
