"""All-or-nothing writes for a batch of articles and their stories.

Store.write and update_stories each commit their own transactions (right for `lapwing ingest`,
where every finished article should survive a crash). A POST /articles batch must instead be
stored whole or not at all, so `atomic(store)` runs them inside one outer transaction, turning
their BEGIN / COMMIT / ROLLBACK into savepoints of it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from ..errors import StoreError
from ..store import Store


class _Nested:
    """Stands in for the store's connection: transaction statements become savepoints."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._depth = 0
        self.failed = False  # an inner ROLLBACK with no savepoint to undo: the batch must not commit

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        words = sql.split()
        verb = words[0].upper() if words else ""
        if verb == "BEGIN":
            self._depth += 1
            return self._db.execute(f"SAVEPOINT batch_{self._depth}")
        if verb in ("COMMIT", "END") and self._depth:
            self._depth -= 1
            return self._db.execute(f"RELEASE batch_{self._depth + 1}")
        if verb == "ROLLBACK" and len(words) == 1:
            if not self._depth:
                self.failed = True
                return self._db.execute("SELECT 1")
            self._depth -= 1
            self._db.execute(f"ROLLBACK TO batch_{self._depth + 1}")
            return self._db.execute(f"RELEASE batch_{self._depth + 1}")
        return self._db.execute(sql, params)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._db, name)


@contextmanager
def atomic(store: Store) -> Iterator[Store]:
    """A view of `store` whose writes commit together when the block ends, or roll back on error."""
    db = store.db
    try:
        db.execute("BEGIN IMMEDIATE")  # waits for a running ingest up to the store's timeout
    except sqlite3.OperationalError as exc:
        raise StoreError(f"{store.path}: cannot write now ({exc}); nothing was stored: try again") from exc
    nested = _Nested(db)
    try:
        yield Store(nested, store.path)  # type: ignore[arg-type]  # quacks like a connection
        if nested.failed:
            raise StoreError(f"{store.path}: a write of the batch failed; nothing was stored")
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
