"""Read-only store connections kept open between requests.

Opening the store costs about a millisecond (Store.open identifies the file read-only first, then
connects), more than many whole queries. A request takes a connection from this pool and gives it
back when its answer is made, so one connection serves one request at a time, never two at once.
FastAPI may run a request's dependency and its endpoint on different worker threads, so a
connection cannot belong to a thread: Store's connections are made with check_same_thread=False
for that reason, and the pool, not the thread, is what keeps each to one user at a time.

Each statement runs in its own read transaction (autocommit), so a kept connection sees every
commit made since by any process, exactly as a new one would. A file replaced under the server
(a new store moved to the same path) is a different file: connections to the old one are closed.
"""

from __future__ import annotations

import os
import sqlite3
import threading

from ..errors import StoreError
from ..store import Store

Identity = tuple[int, int] | None


def identity(path: str) -> Identity:
    """Which file `path` names now (device and inode), or None when there is none."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


class ReadPool:
    """Up to `keep` idle read-only Stores over the file at `path`; more are opened when needed."""

    def __init__(self, path: str, keep: int = 8) -> None:
        self.path = path
        self.keep = keep
        self._idle: list[tuple[Identity, Store]] = []
        self._lock = threading.Lock()

    def take(self) -> tuple[Store, Identity]:
        """A store to read from, and the identity of its file (give both back with `give`)."""
        now = identity(self.path)
        stale = []
        store = None
        with self._lock:
            while self._idle:
                ident, candidate = self._idle.pop()
                if ident == now:
                    store = candidate
                    break
                stale.append(candidate)
        for old in stale:
            old.close()
        if store is None:
            # Opened as every reading command opens it: the file is checked before it is read.
            store = Store.open(self.path, readonly=True)
        return store, now

    def give(self, store: Store, ident: Identity, failed: BaseException | None = None) -> None:
        """Take `store` back after a request; closed instead when its request failed in SQLite
        (the connection may be what failed) or enough are idle already."""
        if ident is not None and not isinstance(failed, (sqlite3.Error, StoreError)):
            with self._lock:
                if len(self._idle) < self.keep:
                    self._idle.append((ident, store))
                    return
        store.close()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for _, store in idle:
            store.close()


__all__ = ["ReadPool", "identity"]
