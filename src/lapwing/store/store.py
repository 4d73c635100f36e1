"""The event store: one SQLite file (WAL), schema by migrations, one transaction per article."""

from __future__ import annotations

import calendar
import datetime as dt
import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..doc import Doc
from ..errors import StoreError
from ..records import text_id
from . import files
from .keys import fold, source_key, source_of
from .migrations import LATEST, MIGRATIONS

_SCHEMA_TABLE = (
    "CREATE TABLE IF NOT EXISTS schema_migrations "
    "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
)


def date_range(value: str | None, granularity: str) -> tuple[str | None, str | None]:
    """First and last day an ISO date value covers ("2024-04" -> 2024-04-01, 2024-04-30)."""
    if not value:
        return None, None
    try:
        if granularity == "decade" or value.endswith("X"):
            start = int(value[:3] + "0")
            return f"{start:04d}-01-01", f"{start + 9:04d}-12-31"
        if len(value) == 4:
            return f"{value}-01-01", f"{value}-12-31"
        if len(value) == 7:
            year, month = int(value[:4]), int(value[5:7])
            return f"{value}-01", f"{value}-{calendar.monthrange(year, month)[1]:02d}"
        day = dt.date.fromisoformat(value[:10])
        if granularity == "week":
            return day.isoformat(), (day + dt.timedelta(days=6)).isoformat()
        return day.isoformat(), day.isoformat()
    except ValueError:
        return None, None


class Store:
    """A Lapwing event store. Open with `Store.open(path)`; use as a context manager."""

    def __init__(self, connection: sqlite3.Connection, path: str) -> None:
        self.db = connection
        self.path = path

    # -- opening and migrating ---------------------------------------------------------------

    @classmethod
    def open(cls, path: str | Path, *, create: bool = True, timeout: float = 5.0, readonly: bool = False) -> "Store":
        """Open (and create or upgrade) the store at `path`; ':memory:' for a throwaway one.

        `readonly=True` (the reading commands) never writes: it reads a store in a read-only
        folder too. A store of an older schema is refused with a message saying how to upgrade it
        (`lapwing upgrade`, or any write command). A file that is not a
        Lapwing store, or is one from a newer Lapwing, is refused before anything is written; a
        new store is made only where no file exists.
        """
        name = str(path)
        if name == ":memory:":
            store = cls(_connect(name, timeout), name)
            store.db.execute(_SCHEMA_TABLE)
            store._migrate()
            return store
        p = Path(name)
        if p.is_dir():
            raise StoreError(f"{name} is a folder; give a database file path such as events.db")
        if not p.exists():
            if not create or readonly:
                raise StoreError(f"{name} does not exist; create it with `lapwing ingest ... --db {name}`")
            _check_writable(p)
            files.create(p, lambda temporary: cls._build(temporary, name, timeout))
        version = files.schema_version(p, timeout)  # refuses what is not ours, read-only
        if readonly:
            return cls._open_readonly(p, version, timeout)
        _check_writable(p)
        try:
            db = _connect(name, timeout)
            _use_wal(db, timeout)  # a Lapwing store of a known version: ours to set
            db.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.DatabaseError as exc:
            raise StoreError(_explain(name, exc)) from exc
        store = cls(db, name)
        store._migrate()
        return store

    @classmethod
    def _build(cls, temporary: str, name: str, timeout: float) -> None:
        """A complete new store in the file `temporary` (errors name the store's real path)."""
        try:
            db = _connect(temporary, timeout)
            db.execute("PRAGMA journal_mode = WAL")
            db.execute(_SCHEMA_TABLE)
        except sqlite3.DatabaseError as exc:
            raise StoreError(_explain(name, exc)) from exc
        store = cls(db, name)
        try:
            store._migrate()
        finally:
            store.close()  # the last connection checkpoints the WAL into the file and removes it

    @classmethod
    def _open_readonly(cls, path: Path, version: int, timeout: float) -> "Store":
        name = str(path)
        if version < LATEST:
            # Reading never writes, not even an upgrade: the user upgrades once, on purpose.
            problem = _writable_problem(path)
            how = (f"run `lapwing upgrade --db {name}` once (a write command such as `lapwing ingest` also upgrades it)"
                   if problem is None else
                   f"it needs write access to upgrade ({problem}): copy it to a writable folder and run "
                   "`lapwing upgrade --db` on the copy")
            raise StoreError(
                f"{name} has schema version {version} and this Lapwing reads version {LATEST}: {how}; the file was not changed"
            )
        last: sqlite3.Error | None = None
        # mode=ro reads a WAL store whose -wal and -shm files exist or can be made; in a read-only
        # folder without them only immutable=1 can open it (nobody can write there meanwhile).
        for flags in ("mode=ro", "mode=ro&immutable=1"):
            try:
                db = _connect(files.file_uri(path, flags), timeout, uri=True)
                db.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()
                return cls(db, name)
            except sqlite3.DatabaseError as exc:
                last = exc
                if not files.cannot_open(exc):
                    break
        assert last is not None
        raise StoreError(_explain(name, last)) from last

    def _version(self) -> int:
        return self.db.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").fetchone()[0]

    def _migrate(self) -> None:
        """Apply the migrations the store lacks, each in one transaction.

        The version is read again under the write lock: another process may have applied the
        same migration while this one waited.
        """
        for migration in MIGRATIONS:
            try:
                if migration.version <= self._version():
                    continue
                self.db.execute("BEGIN IMMEDIATE")
                current = self._version()
                if current > LATEST:
                    raise StoreError(f"{self.path} was written by a newer Lapwing (schema version {current}; this one "
                                     f"knows up to {LATEST}): upgrade Lapwing to read it; {files.UNCHANGED}")
                if migration.version <= current:
                    self.db.execute("ROLLBACK")
                    continue
                for statement in _statements(migration.sql):
                    self.db.execute(statement)
                self.db.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (migration.version, migration.name, _now()),
                )
                self.db.execute("COMMIT")
            except sqlite3.DatabaseError as exc:
                self._rollback()
                if "locked" in str(exc) or "busy" in str(exc):
                    raise StoreError(_explain(self.path, exc)) from exc
                raise StoreError(f"{self.path}: upgrading to schema {migration.version} ({migration.name}) failed: {exc}; "
                                 "the file was left at its previous version") from exc
            except BaseException:
                self._rollback()
                raise

    @property
    def schema_version(self) -> int:
        return self.db.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0]

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing --------------------------------------------------------------------------------

    def write(self, doc: Doc, *, engine_version: str, origin: str | None = None) -> int:
        """Store an article and all its events in one transaction, replacing any earlier coding."""
        article = doc.article
        row = {
            "id": article.id, "title": article.title, "url": article.url, "source": article.source,
            "published": article.published.isoformat() if article.published else None, "text": article.text,
            "origin": origin, "seconds": sum(r.seconds for r in doc.provenance),
        }
        versions = {r.name: r.version for r in doc.provenance}
        return self.write_records(row, [e.to_dict() for e in doc.events], engine_version, versions)

    def write_records(
        self, article: dict[str, Any], events: list[dict[str, Any]], engine_version: str,
        stage_versions: dict[str, str] | str,
    ) -> int:
        """Store an article (a dict with id, text, title, ...) and its contract records in one transaction."""
        versions = stage_versions if isinstance(stage_versions, str) else json.dumps(stage_versions)
        # The source is derived once, here: the record's own, else its URL's host (docs/store.md).
        source = source_of(article.get("source"), article.get("url"))
        try:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute("DELETE FROM articles WHERE id = ?", (article["id"],))  # cascades to its events
            self.db.execute(
                "INSERT INTO articles (id, text_hash, title, url, source, source_key, published, text, origin, "
                "engine_version, stage_versions, coded_at, seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    article["id"], text_id(article["text"]), article.get("title"), article.get("url"),
                    source, source_key(source), article.get("published"), article["text"], article.get("origin"),
                    engine_version, versions, _now(), article.get("seconds") or 0.0,
                ),
            )
            for record in events:
                self._insert_event(record)
            from .talks import thread_article  # moves in talks join their processes in this same transaction

            thread_article(self, article, events)
            self.db.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            self._rollback()
            raise StoreError(_explain(self.path, exc)) from exc
        except BaseException:
            self._rollback()  # a crash or Ctrl-C never leaves half an article
            raise
        return len(events)

    def _insert_event(self, record: dict[str, Any]) -> None:
        """Insert one event from its contract record (Event.to_dict()), with its actor and quantity rows."""
        date, place = record["date"], record["location"]
        first, last = date_range(date["value"], date["granularity"])
        self.db.execute(
            "INSERT OR REPLACE INTO events (id, article_id, event_type, mode, quad, intensity, modality, date_value, "
            "date_first, date_last, date_granularity, date_basis, place_name, place_key, place_text_key, "
            "place_country, lat, lon, geonameid, trigger_text, confidence, record) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                record["id"], record["article_id"], record["event_type"], record["mode"], record["quad"],
                record["intensity"], record["modality"], date["value"], first, last, date["granularity"], date["basis"],
                place["name"] if place else None, fold(place["name"]) if place else None,
                fold(place.get("text")) if place else None, place["country"] if place else None,
                place["lat"] if place else None, place["lon"] if place else None, place["geonameid"] if place else None,
                record["trigger"]["text"], record["confidence"], json.dumps(record, ensure_ascii=False),
            ),
        )
        for role, actors in (("actor", record["actors"]), ("recipient", record["recipients"])):
            for i, a in enumerate(actors):
                self.db.execute(
                    "INSERT INTO event_actors (event_id, role, position, text, name, name_key, country, sector) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (record["id"], role, i, a["text"], a["name"], fold(a["name"]), a["country"], a["sector"]),
                )
        for i, q in enumerate(record["quantities"]):
            self.db.execute(
                "INSERT INTO quantities (event_id, position, kind, value, approximate, unit) VALUES (?, ?, ?, ?, ?, ?)",
                (record["id"], i, q["kind"], q["value"], int(q["approximate"]), q["unit"]),
            )

    def record_error(self, source: str, message: str) -> None:
        """Remember an input that could not be read (`lapwing errors` lists them)."""
        self.db.execute("INSERT INTO ingest_errors (source, message, at) VALUES (?, ?, ?)", (source, message, _now()))

    def _rollback(self) -> None:
        if self.db.in_transaction:
            self.db.execute("ROLLBACK")

    # -- reading ----------------------------------------------------------------------------------

    def known(self, article_ids: Iterable[str], engine_version: str | None = None) -> set[str]:
        """The ids among `article_ids` already stored (coded by `engine_version`, when given)."""
        ids = list(article_ids)
        found: set[str] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT id FROM articles WHERE id IN ({marks})"
            params: list[Any] = list(chunk)
            if engine_version is not None:
                sql += " AND engine_version = ?"
                params.append(engine_version)
            found.update(row[0] for row in self.db.execute(sql, params))
        return found

    def counts(self) -> dict[str, int]:
        """Numbers of articles, events and recorded input errors."""
        one = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
        return {
            "articles": one("SELECT COUNT(*) FROM articles"),
            "events": one("SELECT COUNT(*) FROM events"),
            "errors": one("SELECT COUNT(*) FROM ingest_errors"),
        }

    def event_records(self, sql_where: str = "", params: Iterable[Any] = ()) -> Iterator[dict[str, Any]]:
        """Stored events in the event contract, streamed (`sql_where` uses `?` parameters only)."""
        sql = "SELECT e.record FROM events e" + (f" WHERE {sql_where}" if sql_where else "") + " ORDER BY e.date_first, e.id"
        for row in self.db.execute(sql, list(params)):
            yield json.loads(row[0])

    def errors(self) -> list[sqlite3.Row]:
        return list(self.db.execute("SELECT source, message, at FROM ingest_errors ORDER BY id"))


def _connect(target: str, timeout: float, *, uri: bool = False) -> sqlite3.Connection:
    """A connection with the store's settings and SQL functions (migration 4 and the filters use them)."""
    db = sqlite3.connect(target, timeout=timeout, isolation_level=None, check_same_thread=False, uri=uri)
    db.row_factory = sqlite3.Row
    db.create_function("lapwing_fold", 1, fold, deterministic=True)
    db.create_function("lapwing_source", 2, source_of, deterministic=True)
    db.create_function("lapwing_source_key", 1, source_key, deterministic=True)
    db.execute("PRAGMA foreign_keys = ON")
    return db


def _use_wal(db: sqlite3.Connection, timeout: float) -> None:
    """Put the store in WAL mode (Lapwing makes its stores so; a converted copy may not be).

    SQLite does not wait for the lock this switch needs when other connections are reading, so
    processes opening one rollback-mode store at once retry here until `timeout`.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                return
            db.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError as exc:
            if ("locked" not in str(exc) and "busy" not in str(exc)) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _writable_problem(path: Path) -> str | None:
    """Why the store at `path` cannot be written (its folder or the file), or None."""
    folder = path.resolve().parent
    if not folder.exists():
        return f"the folder {folder} does not exist"
    # SQLite writes the -wal and -shm files beside the database, so the folder must be writable.
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"the folder {folder} is read-only, and SQLite must create {path.name}-wal beside it"
    if path.exists() and not os.access(path, os.W_OK):
        return f"the file {path} is read-only"
    return None


def _check_writable(path: Path) -> None:
    problem = _writable_problem(path)
    if problem:
        raise StoreError(f"cannot write the store {path}: {problem}; give a --db path in a writable folder "
                         "or fix the permissions")


def _statements(sql: str) -> list[str]:
    """Split a migration into statements, keeping CREATE TRIGGER ... END; blocks whole."""
    out, buf = [], []
    for line in sql.strip().splitlines():
        buf.append(line)
        joined = "\n".join(buf).strip()
        if joined.endswith(";") and sqlite3.complete_statement(joined):
            out.append(joined)
            buf = []
    if "\n".join(buf).strip():
        out.append("\n".join(buf).strip())
    return out


def _explain(path: str, exc: sqlite3.Error) -> str:
    text = str(exc)
    if "locked" in text or "busy" in text:
        return f"{path} is locked by another writer (another `lapwing ingest`?): wait for it to finish, then run again"
    if "not a database" in text or "malformed" in text:
        return f"{path} is not a Lapwing database (or is damaged): {text}; give another path"
    if "disk" in text or "full" in text:
        return f"{path}: the disk is full ({text}); free space and run again: nothing stored was lost"
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        problem = _writable_problem(Path(path)) if path != ":memory:" else None
        if problem:
            return f"cannot write the store {path}: {problem}; give a --db path in a writable folder or fix the permissions"
        return f"{path} cannot be opened ({text}); check the permissions of the file and its folder"
    return f"{path}: {text}"


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")

