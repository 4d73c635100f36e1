"""Collections of articles: globs, folders (recursive), CSV with a text column, and WARC crawls.

Text, HTML and JSONL files are read by `lapwing.io.readers`; this module adds what a collection
needs on top. Like the readers, it yields bad inputs as InputError values so a batch goes on.
"""

from __future__ import annotations

import csv
import datetime as dt
import glob
import os
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, printable
from ..records import Article
from .readers import (
    FOLDER_SUFFIXES,
    JSONL_SUFFIXES,
    STDIN,
    article_from_html,
    guarded,
    not_a_file,
    parse_published,
    read_articles,
    record_published,
)

CSV_SUFFIXES = (".csv",)
# Read when named on the command line (a folder's Parquet files are for `--engine dask`).
PARQUET_SUFFIXES = (".parquet", ".pq")
WARC_SUFFIXES = (".warc", ".warc.gz")
COLLECTION_SUFFIXES = FOLDER_SUFFIXES + CSV_SUFFIXES + WARC_SUFFIXES
HTML_TYPES = ("text/html", "application/xhtml+xml")
WARC_TYPES = frozenset(
    ("warcinfo", "response", "resource", "request", "metadata", "revisit", "conversion", "continuation")
)
_GLOB_CHARS = frozenset("*?[")
_META_COLUMNS = ("title", "url", "source")


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How to read a collection: fallback date, size limit, JSONL text field and CSV text column."""

    published: dt.date | None = None
    max_bytes: int = 5_000_000
    text_field: str = "text"
    text_column: str = "text"


def read_collection(sources: Sequence[str], options: ReadOptions = ReadOptions()) -> Iterator[tuple[str, Article | InputError]]:
    """(origin, Article or InputError) for every article in files, folders, globs or `-`, in order."""
    for item in expand_sources(sources):
        if isinstance(item, InputError):
            yield item.source or "", item
            continue
        label, path = item
        # The origin is stored and printed: a file name that is not UTF-8 is kept as its escapes.
        origin = printable(label)
        for found in _read_one(path, label, options):
            yield origin, found


def expand_sources(sources: Sequence[str]) -> Iterator[tuple[str, Path | None] | InputError]:
    """(label, path) of every file named, globbed or inside a folder (recursively); `-` has path None."""
    for source in sources:
        if source == STDIN:
            yield source, None
            continue
        path = Path(source)
        if path.is_dir():
            yield from _walk(path)
        elif path.exists():
            yield source, path
        elif _GLOB_CHARS & set(source):
            matches = sorted(glob.glob(source, recursive=True))
            if not matches:
                yield InputError("no file matches this pattern: check the path and the quotes around it", source)
            for match in matches:
                found = Path(match)
                if found.is_dir():
                    yield from _walk(found)
                elif is_collection_file(found):
                    yield match, found
        else:
            yield InputError("no such file or folder: check the path (use - to read standard input)", source)


def missing_sources(sources: Sequence[str]) -> list[InputError]:
    """The sources that name nothing: no such file or folder, or a pattern matching no file.

    `lapwing ingest` refuses a run naming one (a mistyped path is a mistake in the command, not
    an unreadable input of the collection), so nothing is coded and nothing is recorded.
    """
    problems = []
    for source in sources:
        if source == STDIN or Path(source).exists():
            continue
        if _GLOB_CHARS & set(source):
            if not glob.glob(source, recursive=True):
                problems.append(InputError("no file matches this pattern: check the path and the quotes around it",
                                           source))
        else:
            problems.append(InputError("no such file or folder: check the path (use - to read standard input)", source))
    return problems


def is_collection_file(path: Path) -> bool:
    """True for the file kinds a folder or glob contributes (.txt .html .jsonl .csv .warc.gz ...)."""
    name = path.name.lower()
    return not name.startswith(".") and name.endswith(COLLECTION_SUFFIXES)


def _walk(folder: Path) -> Iterator[tuple[str, Path] | InputError]:
    """Files of a folder and its subfolders in name order; an unreadable folder is an error, not an end."""
    found_any = False
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as entries:
                listed = sorted(entries, key=lambda e: e.name)
        except OSError as exc:
            yield InputError(f"cannot list the folder ({exc.strerror}): check that it is readable", str(current))
            continue
        subfolders = []
        for entry in listed:
            if entry.name.startswith("."):
                continue
            # Symlinked folders are not followed: a link back up the tree would never end.
            if entry.is_dir(follow_symlinks=False):
                subfolders.append(Path(entry.path))
            elif entry.is_file() and is_collection_file(Path(entry.name)):
                found_any = True
                yield entry.path, Path(entry.path)
        stack.extend(reversed(subfolders))  # depth first, in name order
    if not found_any:
        kinds = ", ".join(COLLECTION_SUFFIXES)
        yield InputError(f"folder has no readable files ({kinds}): point at a folder of articles", str(folder))


def _read_one(path: Path | None, label: str, options: ReadOptions) -> Iterator[Article | InputError]:
    name = label.lower()
    tables = {CSV_SUFFIXES: read_csv, PARQUET_SUFFIXES: read_parquet, WARC_SUFFIXES: read_warc}
    reader = next((read for suffixes, read in tables.items() if name.endswith(suffixes)), None)
    if path is not None and reader is not None:
        problem = not_a_file(path, label)  # a FIFO named .csv would block the run forever
        yield from [problem] if problem else guarded(reader(path, label, options), label)
    else:
        yield from read_articles(
            [label], published=options.published, max_bytes=options.max_bytes, text_field=options.text_field
        )


# --- CSV ----------------------------------------------------------------------------------------


def read_csv(path: Path, label: str, options: ReadOptions) -> Iterator[Article | InputError]:
    """Articles from a CSV file with a header row; the text is in `options.text_column`."""
    # The csv module's field limit is process-wide; raise it to our own limit, never lower it.
    csv.field_size_limit(max(csv.field_size_limit(), options.max_bytes + 1))
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        yield InputError(f"cannot read the file ({exc.strerror}): check that it exists and is readable", label)
        return
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
            if header is None:
                yield InputError(f"CSV is empty: give a header row with a {options.text_column!r} column", label)
                return
            columns = {name.strip(): i for i, name in enumerate(header)}
            if options.text_column not in columns:
                found = ", ".join(repr(c) for c in columns) or "none"
                yield InputError(
                    f"CSV has no {options.text_column!r} column (columns: {found}): "
                    "name the text column with --text-column",
                    label,
                )
                return
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue
                yield _csv_article(row, columns, f"{label}:{reader.line_num}", options)
        except UnicodeDecodeError as exc:
            yield InputError(
                f"CSV is not UTF-8 (bad byte near line {reader.line_num + 1}): the rest of the file was skipped; "
                f"convert it, e.g. `iconv -f latin1 -t utf-8 FILE > FILE.utf8` ({exc.reason})",
                label,
            )
        except csv.Error as exc:
            yield InputError(
                f"CSV cannot be read at line {reader.line_num} ({exc}): the rest of the file was skipped; "
                "check its quoting",
                label,
            )


def _csv_article(row: list[str], columns: dict[str, int], where: str, options: ReadOptions) -> Article | InputError:
    def cell(name: str) -> str | None:
        i = columns.get(name)
        value = row[i].strip() if i is not None and i < len(row) else ""
        return value or None

    raw_text = row[columns[options.text_column]] if columns[options.text_column] < len(row) else ""
    text = raw_text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return InputError(f"row has an empty {options.text_column!r} column: remove the row or add its text", where)
    size = len(text.encode("utf-8"))
    if size > options.max_bytes:
        return InputError(
            f"text is {size:,} bytes, over the limit of {options.max_bytes:,} bytes: split it or raise --max-bytes",
            where,
        )
    raw_published = cell("published")
    date = record_published(raw_published, options.published, where)
    if isinstance(date, InputError):
        return date
    meta = {name: cell(name) for name in _META_COLUMNS}
    return Article(text=text, id=cell("id") or "", published=date, published_text=raw_published, **meta)


# --- Parquet --------------------------------------------------------------------------------------


def read_parquet(path: Path, label: str, options: ReadOptions) -> Iterator[Article | InputError]:
    """Articles from the rows of a Parquet file: the text in `options.text_column`, and id, title,
    url, source and published when those columns exist (as `--engine dask` reads them)."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        yield InputError("reading Parquet needs pyarrow, which is not installed: pip install 'lapwing[export]'", label)
        return
    from ..distributed import _row_article

    try:
        handle = pq.ParquetFile(path)
    except (OSError, ValueError) as exc:  # pyarrow.ArrowInvalid is a ValueError
        yield InputError(f"cannot read the Parquet file ({exc}): check that it is a complete Parquet file", label)
        return
    names = handle.schema_arrow.names
    if options.text_column not in names:
        found = ", ".join(repr(c) for c in names) or "none"
        yield InputError(
            f"Parquet file has no {options.text_column!r} column (columns: {found}): "
            "name the text column with --text-column", label,
        )
        return
    columns = [c for c in (options.text_column, "id", "title", "url", "source", "published") if c in names]
    row = 0
    for batch in handle.iter_batches(batch_size=256, columns=columns):
        for record in batch.to_pylist():
            where = f"{label}:row {row}"
            text = record.get(options.text_column)
            size = len(text.encode("utf-8")) if isinstance(text, str) else 0
            if size > options.max_bytes:
                yield InputError(f"text is {size:,} bytes, over the limit of {options.max_bytes:,} bytes: split it "
                                 "or raise --max-bytes", where)
            else:
                yield _row_article(record, options.text_column, options.published, where)
            row += 1


# --- WARC -----------------------------------------------------------------------------------------


def read_warc(path: Path, label: str, options: ReadOptions) -> Iterator[Article | InputError]:
    """Articles from the HTML responses of a WARC or WARC.gz file (warcio); other records are skipped."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        handle = path.open("rb")
    except OSError as exc:
        yield InputError(f"cannot read the file ({exc.strerror}): check that it exists and is readable", label)
        return
    pages, end = 0, 0
    with handle:
        size = os.fstat(handle.fileno()).st_size
        records = ArchiveIterator(handle)
        while True:
            try:
                record = _next_record(records)
                if record is None:
                    problem = f"it ends inside a record at byte {end}" if _trailing_data(handle, end, size) else None
                elif record.rec_type not in WARC_TYPES or not _whole_length(record):
                    # A header cut short parses as a record of a partial type and no Content-Length.
                    problem = f"no whole WARC record header at byte {records.get_record_offset()}"
                else:
                    page = _warc_page(record, records, label, options)
                    end = records.get_record_offset() + records.get_record_length()  # reads the record to its end
                    # warcio returns a cut record's bytes without complaint: a record whose block is
                    # shorter than its Content-Length is the sign of a truncated file.
                    short = getattr(record.raw_stream, "limit", 0)
                    problem = f"the record at byte {records.get_record_offset()} lacks {short} bytes" if short else None
            except (ArchiveLoadFailed, EOFError, OSError, ValueError, zlib.error) as exc:
                problem = f"{type(exc).__name__}: {exc}"
            if problem:
                yield InputError(
                    f"WARC is damaged or truncated after {pages} page(s) ({problem}): "
                    "the rest of the file was skipped; download it again",
                    label,
                )
                return
            if record is None:
                break
            if page is not None:
                pages += 1
                yield page
    if not pages:
        yield InputError("WARC holds no HTML pages (responses with status 2xx): check it is a crawl of articles", label)


def _next_record(records):
    """The next record, or None at the end; a header warcio cannot parse is a ValueError."""
    try:
        return next(records, None)
    except (AttributeError, IndexError, KeyError, TypeError) as exc:
        # warcio's parser trips over its own None values on a header cut short.
        raise ValueError(f"unreadable record headers ({type(exc).__name__})") from exc


def _whole_length(record) -> bool:
    value = record.rec_headers.get_header("Content-Length") or ""
    return value.strip().isdigit()


def _trailing_data(handle, end: int, size: int) -> bool:
    """True when bytes other than the blank lines that close a record follow offset `end`."""
    if size - end > 64:
        return True
    handle.seek(end)
    return bool(handle.read(size - end).strip())


def _warc_page(record, records, label: str, options: ReadOptions) -> Article | InputError | None:
    """The article in one WARC record, or None when the record is not an HTML page."""
    if record.rec_type == "response":
        if record.http_headers is None:
            return None
        status = record.http_headers.get_statuscode() or ""
        if not status.startswith("2"):
            return None  # redirects and errors are not articles
        content_type = record.http_headers.get_header("Content-Type")
    elif record.rec_type == "resource":
        content_type = record.rec_headers.get_header("Content-Type")
    else:
        return None
    if content_type is not None and content_type.split(";")[0].strip().lower() not in HTML_TYPES:
        return None
    data = record.content_stream().read(options.max_bytes + 1)
    # Asked only now: warcio reads the record to its end to learn its offset.
    where = f"{label}@{records.get_record_offset()}"
    if len(data) > options.max_bytes:
        return InputError(
            f"page is over the limit of {options.max_bytes:,} bytes: raise --max-bytes to read it", where
        )
    url = record.rec_headers.get_header("WARC-Target-URI")
    # News crawls fetch a page within hours of publication, so the crawl day stands in for a
    # publication date the page does not give (an explicit --published still wins).
    published = options.published or _warc_day(record.rec_headers.get_header("WARC-Date"))
    return article_from_html(data, where, published=published, url=url)


def _warc_day(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return parse_published(value)
    except InputError:
        return None  # a malformed crawl date is only a missing fallback, not a bad page


# --- counting -------------------------------------------------------------------------------------


def count_articles(sources: Sequence[str], *, budget_bytes: int = 512_000_000) -> int | None:
    """How many items `read_collection` will yield, when that is cheap to know; else None.

    Text and HTML files are one article each and JSONL one per non-blank line; CSV rows can span
    lines and WARC files must be decompressed, so with either (or stdin, or more than
    `budget_bytes` of JSONL to scan) the total is unknown.
    """
    total, scanned = 0, 0
    for item in expand_sources(sources):
        if isinstance(item, InputError):
            total += 1
            continue
        label, path = item
        name = label.lower()
        if path is None or name.endswith(CSV_SUFFIXES + WARC_SUFFIXES + PARQUET_SUFFIXES):
            return None
        if not name.endswith(JSONL_SUFFIXES) or not_a_file(path, label):
            total += 1  # one article, or one error (a FIFO is never opened: it could block)
            continue
        try:
            scanned += path.stat().st_size
            if scanned > budget_bytes:
                return None
            with path.open("rb") as handle:
                lines = sum(1 for line in handle if line.strip())
        except OSError:
            lines = 1  # the reader will report it as one error
        total += max(lines, 1)
    return total
