"""The library entry points: build a pipeline, extract one article or many."""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from .doc import Doc
from .pipeline import Pipeline
from .records import Article

ENGINE_VERSION = "0.1.0"


@dataclass(frozen=True)
class EngineOptions:
    """What a user can choose about the engine; picklable so worker processes rebuild it."""

    model: str | None = None
    prefilter: bool = True
    actor_dictionaries: tuple[str, ...] = ()
    min_confidence: float | None = None  # None: the judge's tuned threshold


def build_pipeline(options: EngineOptions = EngineOptions()) -> Pipeline:
    """The full engine: parse, places, actors, events, dates, locations, quantities, attribution."""
    from .stages import default_stages

    return Pipeline(default_stages(options))


@functools.lru_cache(maxsize=4)
def _cached_pipeline(options: EngineOptions) -> Pipeline:
    return build_pipeline(options)


def extract(
    text: str,
    published: dt.date | str | None = None,
    *,
    id: str | None = None,
    title: str | None = None,
    url: str | None = None,
    source: str | None = None,
    options: EngineOptions = EngineOptions(),
) -> Doc:
    """Code one article; `published` (date or ISO string) resolves relative dates."""
    from .io.readers import parse_published

    if isinstance(published, str):
        published = parse_published(published)
    if isinstance(published, dt.datetime):
        published = published.date()
    article = Article(text=text, id=id or "", title=title, url=url, source=source, published=published)
    return _cached_pipeline(options)(Doc(article))


def extract_many(articles: Iterable[Article], *, workers: int = 1, options: EngineOptions = EngineOptions()) -> Iterator[Doc]:
    """Code many articles in input order; `workers` > 1 uses that many processes (0 = all cores)."""
    if workers == 0:
        workers = os.cpu_count() or 1
    if workers <= 1:
        pipeline = _cached_pipeline(options)
        for article in articles:
            yield pipeline(Doc(article))
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(options,)) as pool:
        yield from pool.map(_work, articles, chunksize=4)


_WORKER_OPTIONS: EngineOptions | None = None


def _init_worker(options: EngineOptions) -> None:
    global _WORKER_OPTIONS
    _WORKER_OPTIONS = options
    _cached_pipeline(options)


def _work(article: Article) -> Doc:
    assert _WORKER_OPTIONS is not None
    return _cached_pipeline(_WORKER_OPTIONS)(Doc(article))
