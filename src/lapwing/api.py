"""The library entry points: build a pipeline, extract one article or many."""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import os
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from typing import Any, Union

from .doc import Doc
from .errors import InputError
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


ArticleLike = Union[Article, Mapping[str, Any], str]


def extract_many(
    articles: Iterable[ArticleLike], *, workers: int = 1, options: EngineOptions = EngineOptions()
) -> Iterator[Doc]:
    """Code many articles in input order; `workers` > 1 uses that many processes (0 = one per core).

    Never more processes than there are articles: one article is coded in this process.

    Each item is what `extract` takes: an `Article` (its `published` a date or an ISO string), a
    dict like a JSON Lines record (`text`, and optional `id`, `title`, `url`, `source`,
    `published` as an ISO string or date), or the text itself. An item that is none of these
    raises InputError naming it (by position and id).
    """
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 0:
        raise InputError(f"workers={workers!r} must be a whole number: 1 or more, or 0 for all cores")
    if workers == 0:
        workers = os.cpu_count() or 1
    items: Iterator[Article] = (as_article(item, n) for n, item in enumerate(articles, 1))
    if workers > 1:  # the pool reads its input ahead anyway; the first `workers` items size it
        head = list(itertools.islice(items, workers))
        workers = len(head)
        items = itertools.chain(head, items)
    if workers <= 1:
        pipeline = _cached_pipeline(options)
        for article in items:
            yield pipeline(Doc(article))
        return
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                             initargs=(options, os.getpid())) as pool:
        yield from pool.map(_work, items, chunksize=4)


def as_article(item: ArticleLike, position: int | None = None) -> Article:
    """An `Article` from what `extract_many` accepts; InputError names a bad item and says what to give."""
    from .io.readers import _Options, _record_article, parse_published

    where = f"item {position}" if position is not None else "article"
    if isinstance(item, Article):
        if item.id:
            where += f" (id {item.id!r})"
        if not isinstance(item.text, str) or not item.text.strip():
            raise InputError("has no text: give the article text as a non-empty string", where)
        published = item.published
        if isinstance(published, str):
            published = parse_published(published, where)
        elif isinstance(published, dt.datetime):
            published = published.date()
        elif published is not None and not isinstance(published, dt.date):
            raise InputError(f"published is a {type(published).__name__}: give a date or an ISO string", where)
        return item if published is item.published else replace(item, published=published)
    if isinstance(item, str):
        if not item.strip():
            raise InputError("is an empty string: give the article text", where)
        return Article(text=item)
    if isinstance(item, Mapping):
        record = dict(item)
        if isinstance(record.get("id"), str) and record["id"]:
            where += f" (id {record['id']!r})"
        published = record.get("published")
        if isinstance(published, dt.datetime):
            record["published"] = published.date().isoformat()
        elif isinstance(published, dt.date):
            record["published"] = published.isoformat()
        article = _record_article(record, where, _Options(published=None, max_bytes=2**62, text_field="text"))
        if isinstance(article, InputError):
            raise article
        return article
    raise InputError(
        f"is a {type(item).__name__}: give an Article, a dict with a 'text' field (like a JSON Lines record) "
        "or the text as a string", where,
    )


_WORKER_OPTIONS: EngineOptions | None = None


def _init_worker(options: EngineOptions, parent: int) -> None:
    global _WORKER_OPTIONS
    _die_with_parent(parent)
    _WORKER_OPTIONS = options
    _cached_pipeline(options)


def _die_with_parent(parent: int) -> None:
    """End this worker once `parent` is gone: after a `kill -9` of it nothing else would.

    A worker waits on a queue whose ends it holds itself, so it never sees the parent go. A thread
    checks four times a second that the worker was not re-parented (its parent, `parent` itself
    when forked, died) and that `parent` still exists (under a fork server, which is the parent).
    Linux's PR_SET_PDEATHSIG is not used: it fires when the parent *thread* that forked ends.
    """
    if os.name != "posix":
        return  # os.kill(pid, 0) would terminate `parent` on Windows

    def watch(first: int = os.getppid()) -> None:
        while os.getppid() == first and _exists(parent):
            time.sleep(0.25)
        os._exit(1)

    threading.Thread(target=watch, name="lapwing-parent-watch", daemon=True).start()


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _work(article: Article) -> Doc:
    assert _WORKER_OPTIONS is not None
    return _cached_pipeline(_WORKER_OPTIONS)(Doc(article))
