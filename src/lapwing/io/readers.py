"""Input readers: files, folders and standard input -> Articles, with bad inputs as InputError values.

A batch must go on past a bad file or line, so `read_articles` yields errors as values instead of
raising them; the caller counts and reports them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import reprlib
import stat
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import InputError
from ..records import Article

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
FOLDER_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES
STDIN = "-"
STDIN_LABEL = "<stdin>"

_BOM = b"\xef\xbb\xbf"
_ICONV = "convert it first, e.g. `iconv -f latin1 -t utf-8 FILE > FILE.utf8`"
_PUBLISHED_FORM = "an ISO date such as 2024-04-28 or an ISO datetime such as 2024-04-28T14:30:00Z"
# fromisoformat alone would also take week dates and compact forms; the regex keeps us to the
# documented ones (and fromisoformat then checks that the numbers make a real date).
_PUBLISHED_RE = re.compile(
    r"\d{4}-\d{2}-\d{2}"
    r"(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?"
    r"(?:[Zz]|[+-]\d{2}(?::?\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?)?)?"
)
_HTML_RE = re.compile(rb"<(?:!doctype\s+html|html|head|body|article|main|div|p|title|meta)[\s>/]", re.IGNORECASE)
_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_TEXT_CONTROLS = frozenset("\t\n\r\f\v")
_SNIFF_BYTES = 8192
# JSON's "\ud800" escapes decode to lone surrogates, which are not characters: UTF-8 (the id hash,
# spaCy, SQLite, every writer) cannot encode them.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_FILE_KINDS = ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
               (stat.S_ISSOCK, "a socket"))
# Values quoted in messages are cut short: a record's value may hold megabytes, or nest deeply.
_QUOTE = reprlib.Repr()
_QUOTE.maxlevel, _QUOTE.maxstring, _QUOTE.maxother = 2, 60, 60


def parse_published(value: str, source: str | None = None) -> dt.date:
    """The publication date in an ISO date or datetime (T or space, Z or offset, fractions)."""
    if not isinstance(value, str):
        kind = _json_type(value)
        raise InputError(f"publication date {_QUOTE.repr(value)} is a {kind}: give {_PUBLISHED_FORM}", source)
    text = value.strip()
    if _PUBLISHED_RE.fullmatch(text):
        # Python 3.11 reads 'Z' and ',' fractions; the date is taken in the writer's own offset,
        # because that is the calendar day the article's "today" and "yesterday" refer to.
        try:
            if len(text) == 10:
                return dt.date.fromisoformat(text)
            return dt.datetime.fromisoformat(text.upper().replace(",", ".")).date()
        except ValueError as exc:
            message = f"publication date {_QUOTE.repr(value)} is not a real date ({exc}): give {_PUBLISHED_FORM}"
            raise InputError(message, source) from None
    raise InputError(f"cannot read publication date {_QUOTE.repr(value)}: give {_PUBLISHED_FORM}", source)


def record_published(raw: object, default: dt.date | None, where: str) -> dt.date | None | InputError:
    """A record's own publication date (it wins), else `default`; an unreadable one is an InputError."""
    if raw is None:
        return default
    try:
        return parse_published(raw, where)  # type: ignore[arg-type]  # it reports non-strings itself
    except InputError as exc:
        return exc


def read_articles(
    sources: Sequence[str],
    *,
    published: dt.date | None = None,
    max_bytes: int = 5_000_000,
    text_field: str = "text",
    stdin: BinaryIO | None = None,
) -> Iterator[Article | InputError]:
    """Articles from files, folders or `-` (standard input), in order; bad inputs come as InputError."""
    if isinstance(published, dt.datetime):
        published = published.date()
    options = _Options(published, max_bytes, text_field)
    for source in sources:
        if source == STDIN:
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from guarded(_read_stdin(stream, options), STDIN_LABEL)
            continue
        path = Path(source)
        if path.is_dir():
            try:
                files = sorted(p for p in path.iterdir() if p.is_file() and _folder_member(p))
            except OSError as exc:
                yield InputError(f"cannot list the folder ({exc.strerror}): check that it is readable", source)
                continue
            if not files:
                kinds = ", ".join(FOLDER_SUFFIXES)
                yield InputError(f"folder has no readable files ({kinds}): point at a folder of articles", source)
            for file in files:
                yield from guarded(_read_file(file, str(file), options), str(file))
        elif path.exists():
            yield from guarded(_read_file(path, source, options), source)
        else:
            yield InputError("no such file or folder: check the path (use - to read standard input)", source)


@dataclass(frozen=True, slots=True)
class _Options:
    published: dt.date | None
    max_bytes: int
    text_field: str


@dataclass(frozen=True, slots=True)
class _Line:
    """One line of a JSONL stream; `data` is None when the line was over the size limit."""

    number: int
    offset: int
    data: bytes | None
    size: int


def _folder_member(path: Path) -> bool:
    return not path.name.startswith(".") and path.suffix.lower() in FOLDER_SUFFIXES


def guarded(items: Iterator[Article | InputError], label: str) -> Iterator[Article | InputError]:
    """`items`, with an unexpected failure of a reader made the input's error: it must not end the batch."""
    try:
        yield from items
    except Exception as exc:  # noqa: BLE001 - a reader bug costs the rest of one input, not the run
        yield InputError(f"reading stopped here ({type(exc).__name__}): skip this input, and please report it", label)


def not_a_file(path: Path, label: str) -> InputError | None:
    """Why `path` cannot be read as a file, or None: a FIFO or device may block forever or never end."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return InputError(f"cannot read the file ({exc.strerror}): check that it exists and is readable", label)
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _FILE_KINDS if test(mode)), "not a regular file")
    return InputError(f"is {kind}, not a file: save it to a file, or pipe it to standard input with -", label)


def _read_file(path: Path, label: str, options: _Options) -> Iterator[Article | InputError]:
    problem = not_a_file(path, label)
    if problem is not None:
        yield problem
        return
    suffix = path.suffix.lower()
    try:
        with path.open("rb") as handle:
            if suffix in JSONL_SUFFIXES:
                # JSONL files may hold many articles: stream them, and apply the limit per line.
                yield from _read_jsonl(_lines(handle, options.max_bytes), label, options)
                return
            data = handle.read(options.max_bytes + 1)
    except OSError as exc:
        yield InputError(f"cannot read the file ({exc.strerror}): check that it exists and is readable", label)
        return
    if len(data) > options.max_bytes:
        size = path.stat().st_size
        yield _too_big(size, options.max_bytes, label, "file")
    elif suffix in HTML_SUFFIXES:
        yield _html_article(data, label, options)
    else:
        yield _text_article(data, label, options)


def _read_stdin(stream: BinaryIO, options: _Options) -> Iterator[Article | InputError]:
    """Sniff standard input: JSONL if every non-blank line starts with '{', else HTML or text."""
    lines = _lines(stream, options.max_bytes)
    head: list[_Line] = []
    size = 0
    for line in lines:
        head.append(line)
        size += line.size
        if line.data is None or size > options.max_bytes:
            break
    jsonl = any(_starts_object(line, i == 0) for i, line in enumerate(head)) and all(
        line.data is None or not line.data.strip() or _starts_object(line, i == 0) for i, line in enumerate(head)
    )
    if jsonl:
        # Chaining the buffered head with the rest keeps a long JSONL stream out of memory.
        yield from _read_jsonl(itertools.chain(head, lines), STDIN_LABEL, options)
    elif size > options.max_bytes or any(line.data is None for line in head):
        yield _too_big(size, options.max_bytes, STDIN_LABEL, "input", at_least=True)
    else:
        data = b"".join(line.data or b"" for line in head)
        if _looks_html(data):
            yield _html_article(data, STDIN_LABEL, options)
        else:
            yield _text_article(data, STDIN_LABEL, options)


def _starts_object(line: _Line, first: bool) -> bool:
    data = line.data or b""
    if first and data.startswith(_BOM):
        data = data[len(_BOM) :]
    return data.lstrip().startswith(b"{")


def _looks_html(data: bytes) -> bool:
    head = data[:_SNIFF_BYTES].lstrip(_BOM + b" \t\r\n")
    return head.startswith(b"<") and _HTML_RE.search(head) is not None


def _lines(stream: BinaryIO, limit: int) -> Iterator[_Line]:
    """Lines of a binary stream; a line over `limit` bytes is skipped to its end, not held."""
    offset = 0
    for number in itertools.count(1):
        chunk = stream.readline(limit + 1)
        if not chunk:
            return
        if len(chunk) > limit and not chunk.endswith(b"\n"):
            size = len(chunk)
            while not chunk.endswith(b"\n"):
                chunk = stream.readline(1 << 20)
                if not chunk:
                    break
                size += len(chunk)
            yield _Line(number, offset, None, size)
        else:
            size = len(chunk)
            yield _Line(number, offset, chunk, size)
        offset += size


def _read_jsonl(lines: Iterable[_Line], label: str, options: _Options) -> Iterator[Article | InputError]:
    records = 0
    for line in lines:
        where = f"{label}:{line.number}"
        if line.data is None:
            yield _too_big(line.size, options.max_bytes, where, "line")
            continue
        data = line.data[len(_BOM) :] if line.number == 1 and line.data.startswith(_BOM) else line.data
        if not data.strip():
            continue
        records += 1
        try:
            raw = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            skipped = len(line.data) - len(data)
            yield _not_utf8(line.offset + skipped + exc.start, where)
            continue
        try:
            record = _parse_json(raw, where)
            yield record if isinstance(record, InputError) else _record_article(record, where, options)
        except Exception as exc:  # noqa: BLE001 - a reader bug costs one line, not the lines after it
            yield InputError(f"line could not be read ({type(exc).__name__}): skip it, and please report it", where)
    if not records:
        yield InputError("JSONL has no records (empty or only blank lines): write one JSON object per line", label)


class _LongNumber(ValueError):
    """A JSON number with more digits than Python converts (sys.get_int_max_str_digits)."""


def _parse_int(digits: str) -> int:
    limit = sys.get_int_max_str_digits()
    if limit and len(digits.lstrip("-")) > limit:
        raise _LongNumber(len(digits.lstrip("-")))
    return int(digits)


def _parse_json(raw: str, where: str) -> Any:
    """One line's JSON value, or an InputError saying what is wrong with it."""
    try:
        return json.loads(raw, parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        at = "" if exc.msg.endswith(" at") else " at"  # "Unterminated string starting at"
        problem = f"{exc.msg}{at} column {exc.colno}"
        return InputError(f"line is not valid JSON ({problem}): write one JSON object per line", where)
    except _LongNumber as exc:
        return InputError(f"line holds a number of {exc.args[0]:,} digits, more than can be read "
                          f"({sys.get_int_max_str_digits():,}): write it as a string", where)
    except RecursionError:
        return InputError("line nests JSON arrays or objects too deeply to read: flatten the record", where)


def _record_article(record: Any, where: str, options: _Options) -> Article | InputError:
    """One JSONL record -> Article; every field is checked so a bad one is named, not guessed at."""
    if not isinstance(record, dict):
        example = '{"id": ..., "text": ...}'
        return InputError(f"line is a JSON {_json_type(record)}, not an object: write each article as {example}", where)
    field = options.text_field
    if field not in record:
        names = sorted(record)  # listed cut short: a record may have thousands of fields
        more = f" and {len(names) - 20:,} more" if len(names) > 20 else ""
        found = ", ".join(name[:40] for name in names[:20]) + more or "none"
        message = f"record has no {field!r} field (fields: {found}): put the article text under {field!r}"
        return InputError(message, where)
    text = record[field]
    if not isinstance(text, str):
        kind = _json_type(text)
        return InputError(f"field {field!r} is a {kind}, not a string: give the article text as a string", where)
    text = _normalize_newlines(text)
    if not text.strip():
        return _empty(where)
    raw_id = record.get("id")
    if raw_id is None or isinstance(raw_id, str):
        article_id = raw_id or ""
    elif isinstance(raw_id, (int, float)) and not isinstance(raw_id, bool):
        article_id = str(raw_id)
    else:
        return InputError(f"field 'id' is a {_json_type(raw_id)}: give the id as a string or number", where)
    meta: dict[str, str | None] = {}
    for name in ("title", "url", "source"):
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            kind = _json_type(value)
            return InputError(f"field {name!r} is a {kind}, not a string: give it as a string or null", where)
        meta[name] = value
    for name, value in ((field, text), ("id", article_id), *meta.items()):
        surrogate = _SURROGATE_RE.search(value or "")
        if surrogate:
            return _lone_surrogate(name, surrogate, where)
    raw_published = record.get("published")
    date = record_published(raw_published, options.published, where)
    if isinstance(date, InputError):
        return date
    return Article(
        text=text,
        id=article_id,
        title=meta["title"],
        url=meta["url"],
        source=meta["source"],
        published=date,
        published_text=raw_published if raw_published is not None else None,
    )


def _text_article(data: bytes, label: str, options: _Options) -> Article | InputError:
    text = _decode(data, label)
    if isinstance(text, InputError):
        return text
    if not text.strip():
        return _empty(label)
    return Article(text=text, published=options.published)


def _html_article(data: bytes, label: str, options: _Options) -> Article | InputError:
    return article_from_html(data, label, published=options.published)


def article_from_html(
    data: bytes, label: str, published: dt.date | None = None, url: str | None = None
) -> Article | InputError:
    """Main text, title and date of an HTML page (trafilatura, offline); `published`/`url` fill gaps."""
    html = _decode(data, label, charset=_declared_charset(data))
    if isinstance(html, InputError):
        return html
    if not html.strip():
        return _empty(label)
    import trafilatura  # ~0.3 s to import: only pay for it when a page is read

    try:
        result = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            # Only the page's own metadata: a date guessed from the body could be any date it mentions.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
        text = result.text if result is not None and result.text else ""
        if not text.strip():
            # trafilatura declines pages it finds too short; their visible text is still the article.
            text = trafilatura.html2txt(html) or ""
    except Exception as exc:  # noqa: BLE001 - lxml fails in many ways (even AssertionError) on broken markup
        return InputError(f"HTML could not be parsed ({type(exc).__name__}): check the file is a web page", label)
    text = _normalize_newlines(text)
    if not text.strip():
        return InputError("HTML page has no readable text: check that it is an article page, not a script shell", label)
    page_date = result.date if result is not None else None
    date = published
    if page_date:
        try:
            date = dt.date.fromisoformat(page_date)
        except ValueError:
            # trafilatura formats dates as YYYY-MM-DD; anything else is a guess we do not trust.
            page_date = None
    return Article(
        text=text,
        title=(result.title or None) if result is not None else None,
        url=((result.url or None) if result is not None else None) or url,
        source=(result.sitename or None) if result is not None else None,
        published=date,
        published_text=page_date or None,
    )


def _declared_charset(data: bytes) -> str | None:
    match = _CHARSET_RE.search(data[:_SNIFF_BYTES])
    return match.group(1).decode("ascii") if match else None


def _decode(data: bytes, label: str, charset: str | None = None) -> str | InputError:
    """UTF-8 (or a page's declared charset) -> text without BOM and with LF newlines."""
    if b"\x00" in data:
        return InputError(_binary_message("contains NUL bytes"), label)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if _mostly_binary_bytes(data):
            return InputError(_binary_message("is mostly non-text bytes"), label)
        text = _decode_declared(data, charset)
        if text is None:
            return _not_utf8(exc.start, label)
    if _mostly_controls(text):
        return InputError(_binary_message("is mostly control characters"), label)
    return _normalize_newlines(text.removeprefix("\ufeff"))


def _decode_declared(data: bytes, charset: str | None) -> str | None:
    """Text in an HTML page's declared charset, or None when there is none or it does not fit."""
    if charset is None or charset.lower().replace("-", "").replace("_", "") == "utf8":
        return None
    try:
        text = data.decode(charset)
    except (LookupError, UnicodeError, ValueError):  # unknown, not text ("undefined", "hex"), or not fitting
        return None
    # Escape codecs ("unicode_escape", "utf-7") can make lone surrogates: not text either.
    return None if _SURROGATE_RE.search(text) else text


def _mostly_binary_bytes(data: bytes) -> bool:
    # Latin-1 or cp1252 prose has few high bytes and no controls; images and archives have many.
    sample = data[:_SNIFF_BYTES]
    controls = sum(1 for b in sample if (b < 32 and b not in (9, 10, 12, 13)) or b == 127)
    high = sum(1 for b in sample if b >= 128)
    return controls > 0.05 * len(sample) or high > 0.3 * len(sample)


def _mostly_controls(text: str) -> bool:
    sample = text[:_SNIFF_BYTES]
    bad = sum(1 for c in sample if c not in _TEXT_CONTROLS and unicodedata.category(c) == "Cc")
    return bad > 0.1 * len(sample)


def _normalize_newlines(text: str) -> str:
    # Before the Article is built, so every offset indexes the text the pipeline keeps.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _json_type(value: Any) -> str:
    names = {bool: "boolean", int: "number", float: "number", str: "string", list: "array", dict: "object"}
    return "null" if value is None else names.get(type(value), type(value).__name__)


def _binary_message(why: str) -> str:
    return f"looks like a binary file ({why}): give a text, HTML or JSONL file"


def _not_utf8(offset: int, where: str) -> InputError:
    return InputError(f"text is not UTF-8 (bad byte at offset {offset}): {_ICONV}", where)


def _lone_surrogate(field: str, found: re.Match[str], where: str) -> InputError:
    escape = f"\\u{ord(found.group()):04x}"
    return InputError(
        f"field {field!r} holds a lone surrogate escape ({escape} at character {found.start()}), which is not a "
        "character: fix the escape, or write the text as UTF-8", where,
    )


def _empty(where: str) -> InputError:
    return InputError("text is empty or only whitespace: remove it or add the article text", where)


def _too_big(size: int, limit: int, where: str, what: str, at_least: bool = False) -> InputError:
    amount = "" if at_least else f"{size:,} bytes, "
    return InputError(
        f"{what} is {amount}over the limit of {limit:,} bytes: split it into smaller articles or raise --max-bytes",
        where,
    )
