"""Ingest and recode: read a collection, skip what is stored, code the rest, write article by article.

One process writes (the caller's), one transaction per article (`Store.write`), so a run killed at
any moment leaves whole articles only, and the next run skips them: nothing lost, nothing twice.
Coding runs on every core through `lapwing.extract_many`, a chunk of articles at a time.
"""

from __future__ import annotations

import datetime as dt
import os
import queue
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TextIO

from ..api import ENGINE_VERSION, EngineOptions, _cached_pipeline, extract_many
from ..doc import Doc
from ..errors import InputError, LapwingError, ModelError, PipelineError, ResourceError, StoreError
from ..io.collections import ReadOptions, read_collection
from ..records import Article
from .store import Store, _explain

# A function that codes a list of articles, yielding one Doc per article in the same order.
Coder = Callable[[Sequence[Article]], Iterable[Doc]]

# How collections.missing_sources and the readers word a path that names nothing.
MISSING = ("no such file or folder", "no file matches this pattern")

RECODE_MARK = "recode_all_below_rowid"  # meta key: where an interrupted `recode --all` resumes


@dataclass
class Tally:
    """Running counts of one ingest or recode; mutable because progress displays read it live."""

    coded: int = 0  # articles coded and written in this run
    events: int = 0
    skipped: int = 0  # articles already stored
    errors: int = 0  # inputs (or articles) that could not be read or coded
    total: int | None = None  # items expected, when cheap to know
    started: float = field(default_factory=time.monotonic)

    @property
    def done(self) -> int:
        """Items handled so far: coded, skipped or failed."""
        return self.coded + self.skipped + self.errors

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started


class Progress(Protocol):
    """What ingest reports as it goes: counts after each item, and each error as it happens."""

    def update(self, tally: Tally) -> None: ...

    def error(self, message: str) -> None: ...

    def close(self, tally: Tally) -> None: ...


class QuietProgress:
    """Reports nothing; the library default."""

    def update(self, tally: Tally) -> None:
        """Nothing."""

    def error(self, message: str) -> None:
        """Nothing."""

    def close(self, tally: Tally) -> None:
        """Nothing."""


class BarProgress:
    """A tqdm bar on a terminal: items, events, errors, rate and (with a total) time left."""

    def __init__(self, stream: TextIO, total: int | None, verb: str) -> None:
        from tqdm import tqdm

        self._tqdm = tqdm
        self._bar = tqdm(total=total, desc=verb, unit=" articles", file=stream, dynamic_ncols=True, smoothing=0.05)
        self._stream = stream

    def update(self, tally: Tally) -> None:
        """Advance the bar to the tally."""
        self._bar.set_postfix(events=tally.events, skipped=tally.skipped, errors=tally.errors, refresh=False)
        self._bar.update(tally.done - self._bar.n)

    def error(self, message: str) -> None:
        """Print above the bar, so the bar stays whole."""
        self._tqdm.write(message, file=self._stream)

    def close(self, tally: Tally) -> None:
        """Leave the final bar on screen."""
        self.update(tally)
        self._bar.close()


class LogProgress:
    """Plain lines for logs: one every `every` items or `seconds` seconds, whichever comes first."""

    def __init__(self, stream: TextIO, total: int | None, verb: str, every: int = 100, seconds: float = 10.0) -> None:
        self._stream, self._verb, self._every, self._seconds = stream, verb, every, seconds
        self._last_done, self._last_time = 0, time.monotonic()

    def update(self, tally: Tally) -> None:
        """Print a line when enough items or time have passed."""
        now = time.monotonic()
        if tally.done - self._last_done >= self._every or now - self._last_time >= self._seconds:
            self._line(tally)
            self._last_done, self._last_time = tally.done, now

    def error(self, message: str) -> None:
        """One line per error."""
        print(message, file=self._stream, flush=True)

    def close(self, tally: Tally) -> None:
        """A last line with the final counts."""
        if tally.done != self._last_done:
            self._line(tally)

    def _line(self, tally: Tally) -> None:
        print(f"lapwing: {self._verb}: {describe(tally)}", file=self._stream, flush=True)


def progress_for(stream: TextIO, total: int | None, verb: str) -> Progress:
    """A bar when `stream` is a terminal, plain periodic lines otherwise."""
    isatty = getattr(stream, "isatty", None)
    if isatty is not None and isatty():
        return BarProgress(stream, total, verb)
    return LogProgress(stream, total, verb)


def describe(tally: Tally) -> str:
    """One line of counts, rate and (with a total) time left."""
    seconds = tally.seconds
    rate = tally.coded / seconds if seconds > 0 else 0.0
    text = (
        f"{tally.coded:,} coded, {tally.skipped:,} already stored, {tally.errors:,} error(s); "
        f"{tally.events:,} events; {rate:.1f} articles/s; {_clock(seconds)} elapsed"
    )
    if tally.total and tally.done and tally.done < tally.total:
        left = (tally.total - tally.done) * seconds / tally.done
        text += f", about {_clock(left)} left"
    return text


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


# --- the engine ------------------------------------------------------------------------------------


def engine(options: EngineOptions = EngineOptions(), workers: int = 0) -> Coder:
    """The real engine as a Coder: `extract_many` on `workers` processes (0 = all cores)."""
    cores = workers or os.cpu_count() or 1

    def code(articles: Sequence[Article]) -> Iterator[Doc]:
        if not articles:
            return
        # Build the pipeline here first: the worker processes fork from this one and inherit the
        # loaded model instead of each loading it again for every chunk.
        _cached_pipeline(options)
        yield from extract_many(articles, workers=min(cores, len(articles)), options=options)

    return code


# --- ingest ----------------------------------------------------------------------------------------


def ingest(
    store: Store,
    sources: Sequence[str],
    *,
    read: ReadOptions = ReadOptions(),
    workers: int = 0,
    options: EngineOptions = EngineOptions(),
    code: Coder | None = None,
    chunk_size: int = 256,
    progress: Progress | None = None,
    engine_version: str = ENGINE_VERSION,
    total: int | None = None,
) -> Tally:
    """Code the articles of `sources` not yet in `store` and write each in its own transaction.

    Unreadable inputs are recorded (`store.record_error`) and reported to `progress`; a StoreError
    (locked, full disk) stops the run with everything written so far kept.
    """
    run = _Run(store, code or engine(options, workers), progress or QuietProgress(), engine_version, Tally(total=total))
    batch: list[tuple[str, Article]] = []
    try:
        for origin, item in _read_ahead(read_collection(sources, read), chunk_size):
            if isinstance(item, InputError):
                # A path that names nothing is a mistake in the call, not a bad input of the
                # collection: reported, never remembered in `lapwing errors`.
                run.record(item.source or origin, item.message, remember=not item.message.startswith(MISSING))
                continue
            batch.append((origin, item))
            if len(batch) >= chunk_size:
                run.ingest(batch)
                batch = []
        if batch:
            run.ingest(batch)
    finally:
        run.progress.close(run.tally)  # also when a StoreError stops the run: the counts so far are true
    return run.tally


@dataclass
class _Run:
    """One ingest or recode: where it writes, how it codes, what it has counted."""

    store: Store
    code: Coder
    progress: Progress
    engine_version: str
    tally: Tally
    recorded: set[tuple[str, str]] | None = None  # (source, message) already in ingest_errors

    def ingest(self, batch: list[tuple[str, Article]]) -> None:
        """Skip the stored articles of `batch`, code and write the rest."""
        known = self.store.known(article.id for _, article in batch)
        fresh: list[tuple[str, Article]] = []
        for origin, article in batch:
            if article.id in known:
                self.tally.skipped += 1
            else:
                known.add(article.id)  # the same article twice in one chunk is coded once
                fresh.append((origin, article))
        self.progress.update(self.tally)
        self.code_and_write(fresh)

    def code_and_write(self, batch: list[tuple[str, Article]]) -> None:
        """Code `batch` and write each Doc as it arrives; an article that breaks the engine is recorded."""
        while batch:
            docs = iter(self.code([article for _, article in batch]))
            done = 0
            try:
                for doc in _guarded(docs):
                    origin, article = batch[done]
                    if doc.article.id != article.id:
                        raise LapwingError(f"the engine returned article {doc.article.id} for {article.id}: please report it")
                    self.tally.events += self.store.write(doc, engine_version=self.engine_version, origin=origin)
                    self.tally.coded += 1
                    done += 1
                    self.progress.update(self.tally)
                return
            except _EngineFailure as failure:
                # Results come in input order, so the failure belongs to the first article not yet
                # written; it is recorded (a later run tries it again) and the rest go on.
                origin, article = batch[done]
                exc = failure.cause
                self.record(f"{origin} (article {article.id})",
                            f"the engine failed on this article ({type(exc).__name__}: {exc}): please report it")
                batch = batch[done + 1 :]
            finally:
                # Closing the stream cancels the chunk's queued work when writing stopped the run.
                close = getattr(docs, "close", None)
                if close is not None:
                    close()

    def record(self, source: str, message: str, remember: bool = True) -> None:
        """Report an input error, and remember it once (a resumed run meets the same bad file again)."""
        self.tally.errors += 1
        self.progress.error(f"lapwing: error: {source}: {message}")
        if not remember:
            self.progress.update(self.tally)
            return
        try:
            if self.recorded is None:
                self.recorded = {(row["source"], row["message"]) for row in self.store.errors()}
            if (source, message) not in self.recorded:
                self.store.record_error(source, message)
                self.recorded.add((source, message))
        except sqlite3.OperationalError as exc:
            raise StoreError(_explain(self.store.path, exc)) from exc
        self.progress.update(self.tally)


class _EngineFailure(Exception):
    def __init__(self, cause: Exception) -> None:
        super().__init__(str(cause))
        self.cause = cause


def _guarded(docs: Iterator[Doc]) -> Iterator[Doc]:
    """The docs, with a failure inside the engine told apart from one in writing them."""
    while True:
        try:
            doc = next(docs)
        except StopIteration:
            return
        except (ModelError, ResourceError, PipelineError):
            raise  # the engine cannot run at all: no article is to blame
        except Exception as exc:  # any engine bug must cost one article, not the run
            raise _EngineFailure(exc) from exc
        yield doc


_DONE = object()


def _read_ahead(items: Iterator, size: int) -> Iterator:
    """Read the next `size` items on a thread while the workers code: HTML extraction is slow."""
    buffer: queue.Queue = queue.Queue(maxsize=max(size, 1))
    stop = threading.Event()

    def fill() -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        buffer.put(item, timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            buffer.put(_DONE)
        except BaseException as exc:  # noqa: BLE001 - handed to the reading side, which raises it
            buffer.put(exc)

    thread = threading.Thread(target=fill, name="lapwing-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            item = buffer.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()


# --- recode ----------------------------------------------------------------------------------------


def recode(
    store: Store,
    *,
    everything: bool = False,
    workers: int = 0,
    options: EngineOptions = EngineOptions(),
    code: Coder | None = None,
    chunk_size: int = 256,
    progress: Progress | None = None,
    engine_version: str = ENGINE_VERSION,
) -> Tally:
    """Re-code stored articles coded by another engine version (or all of them) from their text.

    Each article is replaced in one transaction. Killed and run again, it goes on where it
    stopped: re-coded articles carry the new version, and `everything` keeps its place in `meta`.
    """
    code = code or engine(options, workers)
    progress = progress or QuietProgress()
    if everything:
        _start_recode_all(store)
    where, params = _recode_selection(store, everything, engine_version)
    total = store.db.execute(f"SELECT COUNT(*) FROM articles WHERE {where}", params).fetchone()[0]
    run = _Run(store, code, progress, engine_version, Tally(total=total))
    last = 0
    try:
        while True:
            rows = store.db.execute(
                "SELECT rowid AS rowid, id, text, title, url, source, published, origin FROM articles "
                f"WHERE rowid > ? AND {where} ORDER BY rowid LIMIT ?",
                [last, *params, chunk_size],
            ).fetchall()
            if not rows:
                break
            last = rows[-1]["rowid"]
            batch = [(row["origin"] or "", _stored_article(row)) for row in rows]
            run.code_and_write(batch)
        if everything:
            _write_meta(store, "DELETE FROM meta WHERE key = ?", (RECODE_MARK,))
    finally:
        progress.close(run.tally)
    return run.tally


def _stored_article(row: sqlite3.Row) -> Article:
    published = dt.date.fromisoformat(row["published"]) if row["published"] else None
    return Article(
        text=row["text"], id=row["id"], title=row["title"], url=row["url"], source=row["source"], published=published
    )


def recode_count(store: Store, *, everything: bool = False, engine_version: str = ENGINE_VERSION) -> int:
    """How many articles `recode` would re-code now."""
    where, params = _recode_selection(store, everything, engine_version)
    return store.db.execute(f"SELECT COUNT(*) FROM articles WHERE {where}", params).fetchone()[0]


def _recode_selection(store: Store, everything: bool, engine_version: str) -> tuple[str, list]:
    if not everything:
        return "engine_version != ?", [engine_version]
    found = store.db.execute("SELECT value FROM meta WHERE key = ?", (RECODE_MARK,)).fetchone()
    if found is None:
        return "1", []
    # Re-written rows get new rowids above the mark, so they are never selected twice.
    return "rowid < ?", [int(found[0])]


def _start_recode_all(store: Store) -> None:
    """Mark where `recode --all` stops, unless an interrupted one left its mark: then resume it."""
    mark = store.db.execute("SELECT COALESCE(MAX(rowid), 0) + 1 FROM articles").fetchone()[0]
    _write_meta(store, "INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)", (RECODE_MARK, str(mark)))


def _write_meta(store: Store, sql: str, params: tuple) -> None:
    try:
        store.db.execute(sql, params)
    except sqlite3.OperationalError as exc:
        raise StoreError(_explain(store.path, exc)) from exc

