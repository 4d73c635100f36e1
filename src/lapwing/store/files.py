"""Telling a Lapwing store from any other file without writing to it, and creating one atomically.

SQLite writes to whatever it opens read-write (a journal-mode switch rewrites the header, a
CREATE TABLE adds to another application's database), so every file is identified read-only
first, and only a Lapwing store of a version this Lapwing knows is ever opened for writing.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import urllib.parse
from collections.abc import Callable
from pathlib import Path

from ..errors import StoreError
from .migrations import LATEST, MIGRATIONS

_MAGIC = b"SQLite format 3\x00"
_NAMES = {m.version: m.name for m in MIGRATIONS}
UNCHANGED = "the file was not changed"


def file_uri(path: Path, flags: str) -> str:
    return f"file:{urllib.parse.quote(str(path.resolve()))}?{flags}"


def cannot_open(exc: sqlite3.Error) -> bool:
    """SQLite could not open the file read-only (a WAL store whose -shm it cannot create)."""
    text = str(exc)
    return "unable to open" in text or "readonly" in text or "read-only" in text


def _read_only_flags(path: Path, header: bytes) -> tuple[str, ...]:
    """URI flags to try, in order, for reading `path` without creating a file beside it.

    mode=ro on a WAL database makes -wal and -shm files. Without a -wal no connection has it open
    (the last one to close removes it), so immutable=1 reads the file alone: good enough to read
    the schema, not for queries a writer could overtake. Otherwise mode=ro, and immutable=1 where
    that cannot open (a read-only folder without the -shm file).
    """
    wal = header[18:20] == b"\x02\x02"
    if wal and not Path(f"{path}-wal").exists():
        return ("mode=ro&immutable=1",)
    return ("mode=ro", "mode=ro&immutable=1")


def schema_version(path: Path, timeout: float) -> int:
    """The schema version of the Lapwing store at `path`, found without writing a byte.

    Raises StoreError for an empty file, a file that is not SQLite, another application's SQLite
    database, and a store from a newer Lapwing; none of them is changed and no -wal or -journal
    file appears beside them.
    """
    name = str(path)
    header = _header(path)
    if not header:
        raise StoreError(f"{name} is not a Lapwing database (it is an empty file): delete it or give another path; "
                         f"{UNCHANGED}")
    if not header.startswith(_MAGIC):
        raise StoreError(f"{name} is not a Lapwing database (it is not an SQLite file): give another path; {UNCHANGED}")
    last: sqlite3.Error | None = None
    for flags in _read_only_flags(path, header):
        try:
            db = sqlite3.connect(file_uri(path, flags), timeout=timeout, uri=True)
            try:
                return _version(name, db)
            finally:
                db.close()
        except sqlite3.DatabaseError as exc:
            last = exc
            if not cannot_open(exc):
                break
    assert last is not None
    text = str(last)
    if "not a database" in text or "malformed" in text:
        raise StoreError(f"{name} is not a Lapwing database (or is damaged): {text}; give another path; {UNCHANGED}")
    raise StoreError(f"{name} cannot be opened ({text}); check the permissions of the file and its folder")


def _header(path: Path) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read(100)
    except OSError as exc:
        raise StoreError(f"{path} cannot be read ({exc.strerror}); check the permissions of the file and its "
                         "folder") from exc


def _version(name: str, db: sqlite3.Connection) -> int:
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    foreign = StoreError(f"{name} is not a Lapwing database (an SQLite database without Lapwing's schema, "
                         f"perhaps another application's): give another path; {UNCHANGED}")
    if "schema_migrations" not in tables:
        raise foreign
    try:
        rows = db.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
    except sqlite3.OperationalError:
        raise foreign from None  # a schema_migrations table of another tool (Rails has one)
    versions = [v for v, _ in rows]
    known = [v for v in versions if isinstance(v, int) and v <= LATEST]
    if known != list(range(1, len(known) + 1)) or any(_NAMES.get(v, n) != n for v, n in rows):
        raise foreign
    if not rows and tables != {"schema_migrations"}:
        raise foreign  # only an interrupted creation by an older Lapwing leaves this table alone
    version = max(versions, default=0)
    if version > LATEST:
        raise StoreError(f"{name} was written by a newer Lapwing (schema version {version}; this one knows up to "
                         f"{LATEST}): upgrade Lapwing to read it; {UNCHANGED}")
    return version


def create(path: Path, build: Callable[[str], None]) -> None:
    """Make a new store at `path` all at once: `build` fills a temporary file, which is linked in.

    A store that exists is therefore always complete; of several processes creating the same
    store at once one links its file and the others use that one (a link never replaces a file).
    """
    temporary = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.new")
    try:
        build(str(temporary))
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process created it first: open theirs
        except OSError:
            # No hard links on this filesystem (some network or FAT drives): rename, which would
            # replace a store created meanwhile, so only while none exists.
            if not path.exists():
                os.replace(temporary, path)
    finally:
        for leftover in (temporary, *(Path(f"{temporary}{end}") for end in ("-wal", "-shm", "-journal"))):
            leftover.unlink(missing_ok=True)
