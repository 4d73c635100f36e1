"""An on-disk cache for what Lapwing derives from its data files (the gazetteer index, parsed YAML).

Deriving them costs seconds at every start; reading the derived form back costs milliseconds.
An entry's key is a hash of everything it was derived from (the data, the code that derives it,
the Python version), so a changed input is never answered from a stale entry. Writes go to a
temporary file renamed into place, so a reader sees a whole entry or none, also with several
processes starting at once. Payloads are `marshal` data: plain values only, never code run on
load. A missing, read-only, full or broken cache directory only costs deriving again.

The directory is `LAPWING_CACHE_DIR` if set (empty: no cache), else `$XDG_CACHE_HOME/lapwing`,
else `~/.cache/lapwing` (`%LOCALAPPDATA%\\lapwing\\cache` on Windows).
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
# Bump when the file layout below changes.
FORMAT = b"lapwing-cache-1\n"
# Entries of the same name written longer ago than this are removed when a new one is written.
STALE_SECONDS = 30 * 24 * 3600
_log = logging.getLogger(__name__)


def cache_dir() -> Path | None:
    """Where entries live, or None when caching is turned off (LAPWING_CACHE_DIR set to '')."""
    explicit = os.environ.get("LAPWING_CACHE_DIR")
    if explicit is not None:
        return Path(explicit) if explicit else None
    if os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "lapwing" / "cache"
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "lapwing"


def make_key(*parts: bytes | str | int | float | None) -> str:
    """A hex key over `parts` and the Python version (marshal's format may change with it)."""
    h = hashlib.sha256(FORMAT + f"{sys.version} {sys.byteorder}".encode())
    for part in parts:
        data = part if isinstance(part, bytes) else repr(part).encode()
        h.update(len(data).to_bytes(8, "little") + data)
    return h.hexdigest()[:32]


def file_stamp(path: str | os.PathLike[str]) -> tuple[str, int, int]:
    """A cheap identity of a large file that is not ours to hash: path, size, modification time."""
    st = os.stat(path)
    return (os.fspath(path), st.st_size, st.st_mtime_ns)


def cached(name: str, key: str, build: Callable[[], T], encode: Callable[[T], Any] = lambda v: v,
           decode: Callable[[Any], T] = lambda v: v) -> T:
    """`decode(entry)` when the cache holds `name` under `key`; else `build()`, stored as `encode(value)`.

    `encode` must give marshal-able plain data. Errors of `build` propagate; cache errors never do.
    """
    directory = cache_dir()
    path = directory / f"{name}-{key}.bin" if directory is not None else None
    if path is not None:
        payload = _read(path, key)
        if payload is not None:
            try:
                return decode(payload)
            except Exception as exc:  # noqa: BLE001 - a bad entry is rebuilt, never fatal
                _log.debug("cache entry %s does not decode (%s); rebuilding", path, exc)
    value = build()
    if path is not None:
        _write(path, key, encode, value)
    return value


def _read(path: Path, key: str) -> Any:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head = FORMAT + key.encode() + b"\n"
    if not data.startswith(head) or len(data) < len(head) + 12:
        return None
    body = memoryview(data)[len(head) + 12:]
    size = int.from_bytes(data[len(head): len(head) + 8], "little")
    crc = int.from_bytes(data[len(head) + 8: len(head) + 12], "little")
    if size != len(body) or zlib.crc32(body) != crc:
        _log.debug("cache entry %s is damaged; rebuilding", path)
        return None
    try:
        return marshal.loads(body)
    except (ValueError, EOFError, TypeError):
        return None


def _write(path: Path, key: str, encode: Callable[[Any], Any], value: Any) -> None:
    try:
        body = marshal.dumps(encode(value))
    except ValueError as exc:  # a value marshal cannot hold (e.g. a date in YAML): just not cached
        _log.debug("not caching %s: %s", path.name, exc)
        return
    head = FORMAT + key.encode() + b"\n" + len(body).to_bytes(8, "little") + zlib.crc32(body).to_bytes(4, "little")
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(head)
            handle.write(body)
        os.replace(tmp, path)
        tmp = None
        _remove_stale(path.parent, path.name.rsplit("-", 1)[0], keep=path)
    except OSError as exc:
        _log.debug("cannot write cache entry %s (%s); it will be derived again next time", path, exc)
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _remove_stale(directory: Path, name: str, keep: Path) -> None:
    # Entries of other keys are kept a while: another install may share the directory.
    now = time.time()
    stale: Iterable[Path] = (p for p in directory.glob(f"{name}-*.bin") if p != keep)
    for other in stale:
        try:
            if now - other.stat().st_mtime > STALE_SECONDS:
                other.unlink()
        except OSError:
            pass
