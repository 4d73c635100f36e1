"""Answers of the read views kept until the store changes, with ETags.

The explorer asks every client's dashboard for the same few views, and each recount costs a few
ms of one core on a small store (seconds on a large one); 50 clients at once queue behind each other.
So a read view's JSON answer is kept, keyed on its path and normalized query, together with the
store's version, and sent again as long as that version holds:

- The version is `PRAGMA data_version` on a connection held for the purpose: SQLite changes it
  whenever any other connection, in this process or another (`lapwing ingest`, `lapwing stories`,
  a POST /articles), commits to the file. With the file's identity (a store moved over the path is
  a new file) and its modification time (a store opened immutable=1 has no live data_version), a
  kept answer is exactly what a recount would give. When the version cannot be read (a writer
  holds a rollback-mode store), nothing is kept or served from here: the view recounts.
- Only 200 answers of GET requests are kept; errors are recomputed each time.
- The cache is bounded in entries and bytes (least recently used out first).
- Concurrent misses of one answer wait for the first to compute it rather than all recounting:
  after a write, 50 dashboards would otherwise recount the same view 50 times at once.
- Every kept answer carries an ETag (a hash of its body) and `Cache-Control: no-cache`, so a
  browser revalidates each time and gets a 304 without a body when nothing changed.
- A request with `Cache-Control: no-cache` recounts (and refreshes the kept answer): a client can
  always ask for fresh figures, and benchmarks/api.py --cold measures the recount this way.

/health is not cached: it must show that the store can be read now.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import sqlite3
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import StoreError
from ..store import Store

MAX_ENTRIES = 512
MAX_BYTES = 32_000_000  # an answer is at most about 1 MB (1,000 events); a few dozen such fit

# Paths of the read views: their answers depend only on the path, the query and the store.
_VIEWS = frozenset({"/events", "/stories", "/talks", "/actors", "/places", "/timeline", "/network", "/stats"})
_ONE = ("/events/", "/articles/", "/stories/", "/talks/")  # followed by one id


def cacheable(path: str) -> bool:
    """Is `path` a read view whose answer this cache may keep?"""
    if path in _VIEWS:
        return True
    for prefix in _ONE:
        if path.startswith(prefix):
            rest = path[len(prefix):]
            return bool(rest) and "/" not in rest
    return False


def cache_key(path: str, query_string: bytes) -> str:
    """The path and its query, normalized: parameters in name order (values of one name keep
    their order, since the last one given wins) and decoded as Starlette decodes them."""
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    pairs.sort(key=lambda kv: kv[0])  # stable: repeated names keep their order
    return f"{path}?{urlencode(pairs)}"


class StoreVersion:
    """A token that changes whenever anything is committed to the store at `path`."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._store: Store | None = None
        self._ident: tuple[int, int] | None = None
        self._generation = 0
        self._lock = threading.Lock()

    def current(self) -> tuple[Any, ...] | None:
        """The store's version now, or None when it cannot be read without waiting."""
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        ident = (st.st_dev, st.st_ino)
        with self._lock:
            try:
                if self._store is None or ident != self._ident:
                    self._reopen(ident)
                assert self._store is not None
                data_version = self._store.db.execute("PRAGMA data_version").fetchone()[0]
            except (sqlite3.Error, StoreError):
                self._drop()
                return None
        return self._generation, data_version, st.st_mtime_ns, st.st_size

    def _reopen(self, ident: tuple[int, int]) -> None:
        self._drop()
        store = Store.open(self.path, readonly=True)
        # Runs on the event loop: never wait for a lock (a rollback-mode writer); recount instead.
        store.db.execute("PRAGMA busy_timeout = 0")
        self._store, self._ident = store, ident
        self._generation += 1  # data_version counts per connection: a new one starts afresh

    def _drop(self) -> None:
        if self._store is not None:
            self._store.close()
        self._store = None

    def close(self) -> None:
        with self._lock:
            self._drop()


@dataclass(frozen=True)
class Answer:
    """One kept answer: its start headers (without the ones added per response) and body."""

    headers: tuple[tuple[bytes, bytes], ...]
    body: bytes
    etag: bytes


class AnswerCache:
    """Answers by key, all of one store version, least recently used dropped first."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.version: tuple[Any, ...] | None = None
        self.bytes = 0
        self._entries: OrderedDict[str, Answer] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def _at(self, version: tuple[Any, ...]) -> None:
        # Every answer kept was counted at one version; a new version makes them all stale.
        if version != self.version:
            self._entries.clear()
            self.bytes = 0
            self.version = version

    def at(self, version: tuple[Any, ...]) -> None:
        """Say that the store is now at `version` (dropping every answer of another)."""
        with self._lock:
            self._at(version)

    def get(self, key: str, version: tuple[Any, ...]) -> Answer | None:
        with self._lock:
            self._at(version)
            answer = self._entries.get(key)
            if answer is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return answer

    def put(self, key: str, version: tuple[Any, ...], answer: Answer) -> None:
        size = len(answer.body) + len(key)
        if self.max_entries <= 0 or size > self.max_bytes // 8:  # one huge answer must not empty the cache
            return
        with self._lock:
            # Each request moves the cache to the version it read before counting, so another
            # version here is an older one: a commit came while this answer was counted.
            if version != self.version:
                return
            old = self._entries.pop(key, None)
            if old is not None:
                self.bytes -= len(old.body) + len(key)
            self._entries[key] = answer
            self.bytes += size
            while len(self._entries) > self.max_entries or self.bytes > self.max_bytes:
                dropped_key, dropped = self._entries.popitem(last=False)
                self.bytes -= len(dropped.body) + len(dropped_key)


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers") or ():
        if key == name:
            return value
    return None


def _matches(if_none_match: bytes | None, etag: bytes) -> bool:
    if not if_none_match:
        return False
    tags = {t.strip().removeprefix(b"W/") for t in if_none_match.split(b",")}
    return b"*" in tags or etag in tags


class ReadCache:
    """ASGI middleware serving the read views' answers from an AnswerCache (see the module)."""

    def __init__(self, app: ASGIApp, versions: StoreVersion, answers: AnswerCache) -> None:
        self.app = app
        self.versions = versions
        self.answers = answers
        self._computing: dict[tuple[str, Any], asyncio.Event] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not cacheable(scope["path"]):
            await self.app(scope, receive, send)
            return
        key = cache_key(scope["path"], scope.get("query_string") or b"")
        fresh = b"no-cache" in (_header(scope, b"cache-control") or b"").lower()
        for attempt in (1, 2):
            version = self.versions.current()
            if version is None:
                await self.app(scope, receive, send)
                return
            if fresh:
                self.answers.at(version)
                break
            answer = self.answers.get(key, version)
            if answer is not None:
                await self._send(scope, send, answer)
                return
            waiting = self._computing.get((key, version))
            if waiting is None or attempt == 2:
                break
            await waiting.wait()  # an Event: a waiter that gives up cancels nobody else
            # then look again, at the version of now: the store may have changed meanwhile
        slot = (key, version)
        if slot in self._computing:  # counted already by another request, which did not keep it
            await self._compute(scope, receive, send, key, version)
            return
        done = self._computing[slot] = asyncio.Event()
        try:
            await self._compute(scope, receive, send, key, version)
        finally:
            del self._computing[slot]
            done.set()

    async def _compute(self, scope: Scope, receive: Receive, send: Send, key: str, version: tuple[Any, ...]) -> None:
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                if message["status"] != 200:
                    await send(message)  # errors pass through untouched and are not kept
                else:
                    start = message
                return
            if start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                body = b"".join(chunks)
                kept = tuple((k, v) for k, v in start["headers"] if k.lower() not in (b"etag", b"cache-control"))
                answer = Answer(kept, body, b'"' + hashlib.blake2b(body, digest_size=12).hexdigest().encode() + b'"')
                self.answers.put(key, version, answer)
                await self._send(scope, send, answer)

        await self.app(scope, receive, capture)

    async def _send(self, scope: Scope, send: Send, answer: Answer) -> None:
        extra = [(b"etag", answer.etag), (b"cache-control", b"no-cache")]
        if _matches(_header(scope, b"if-none-match"), answer.etag):
            headers = [(k, v) for k, v in answer.headers if k.lower() not in (b"content-length", b"content-type")]
            await send({"type": "http.response.start", "status": 304, "headers": headers + extra})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": 200, "headers": list(answer.headers) + extra})
        await send({"type": "http.response.body", "body": answer.body})


__all__ = ["AnswerCache", "ReadCache", "StoreVersion", "cache_key", "cacheable"]
