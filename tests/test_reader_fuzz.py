"""Issue 12, "Reliability": the readers take any byte sequence. Every input becomes Articles or
one-line InputErrors naming it (and its line), and a bad line never stops the lines after it.

Generated inputs cover what crashed the readers before: JSON nested hundreds of levels deep,
numbers over Python's int-string limit, HTML charsets Python lacks or cannot decode text with,
lone surrogate escapes, file names that are not UTF-8, and FIFOs. scripts/fuzz_readers.py runs the
same classes, many more of them, through the real CLI.
"""

from __future__ import annotations

import encodings.aliases
import json
import os
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import lapwing.api as api
import lapwing.store.ingest as ingest_module
from lapwing.cli import main
from lapwing.doc import Doc
from lapwing.errors import InputError
from lapwing.io.collections import read_collection
from lapwing.io.readers import read_articles
from lapwing.records import Article
from lapwing.store import Store

GOOD = b'{"id": "good", "text": "Troops fired on protesters in the capital."}\n'
FAST = settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])


def read_lines(*lines: bytes) -> list[Article | InputError]:
    """Read a JSONL file of `lines` (each gets its newline) followed by one good record."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "in.jsonl")
        path.write_bytes(b"".join(line + b"\n" for line in lines) + GOOD)
        items = list(read_articles([str(path)]))
    assert_well_formed(items)
    # The good last line survives whatever came before it.
    assert isinstance(items[-1], Article) and items[-1].id == "good", items[-1]
    return items[:-1]


def assert_well_formed(items: list) -> None:
    """Each item is an Article or an InputError that is one line, encodable as UTF-8, naming its input."""
    for item in items:
        assert isinstance(item, (Article, InputError)), item
        if isinstance(item, InputError):
            line = str(item)
            assert item.source and line.startswith(item.source + ": ")
            assert line.splitlines() == [line]
            line.encode("utf-8")  # stderr, SQLite and the error table all need it
        else:
            for value in (item.text, item.id, item.title, item.url, item.source):
                (value or "").encode("utf-8")


def only_error(items: list) -> InputError:
    assert len(items) == 1 and isinstance(items[0], InputError), items
    return items[0]


# -- anything at all ---------------------------------------------------------------------------------

FRAGMENTS = st.sampled_from([b"{", b"}", b"[", b"]", b'"', b"\\", b"\\u", b"d800", b":", b",", b"\xff", b"\xc3",
                             b"\xef\xbb\xbf", b"\x00", b"\r", b'"text"', b'"id"', b"1" * 50, b"NaN", b"null"])
LINE = st.lists(st.one_of(FRAGMENTS, st.binary(max_size=8)), max_size=12).map(lambda parts: b"".join(parts))


@FAST
@given(st.lists(LINE.filter(lambda line: b"\n" not in line), min_size=1, max_size=8))
def test_any_bytes_as_jsonl_lines_read_or_fail_one_line_each(lines):
    items = read_lines(*lines)
    for item in items:
        if isinstance(item, InputError):
            assert item.source.endswith(tuple(f"in.jsonl:{n}" for n in range(1, len(lines) + 1))), item


# -- deep nesting, huge numbers, lone surrogates --------------------------------------------------------


@FAST
@given(st.integers(1, 50_000), st.sampled_from(["[", '{"a": ']), st.booleans())
def test_json_nested_too_deeply_is_that_lines_error(extra, opener, top_level):
    depth = sys.getrecursionlimit() + extra  # read here: Hypothesis raises the limit while it runs a test
    closer = "]" if opener == "[" else "}"
    nested = opener * depth + "1" + closer * depth
    line = nested if top_level else '{"text": "Talks.", "extra": ' + nested + "}"
    error = only_error(read_lines(b"", line.encode()))
    assert error.source.endswith("in.jsonl:2") and "too deeply" in error.message


@FAST
@given(st.integers(1, 200))
def test_json_nested_a_little_is_read(depth):
    (article,) = read_lines(('{"text": "Talks.", "extra": ' + "[" * depth + "]" * depth + "}").encode())
    assert article.text == "Talks."


@FAST
@given(st.integers(sys.get_int_max_str_digits() + 1, 3 * sys.get_int_max_str_digits()),
       st.sampled_from(["id", "text", "title", "published", "extra"]), st.booleans())
def test_a_number_over_the_int_string_limit_is_that_lines_error(digits, field, negative):
    number = ("-" if negative else "") + "7" * digits
    record = {"text": "Talks.", field: "@"}
    line = json.dumps(record).replace('"@"', number)
    error = only_error(read_lines(line.encode()))
    assert error.source.endswith("in.jsonl:1") and f"{digits:,} digits" in error.message


SURROGATE = st.integers(0xD800, 0xDFFF).map(lambda code: f"\\u{code:04x}")
WORDS = st.text(st.characters(codec="utf-8", exclude_characters='"\\'), max_size=20)


@FAST
@given(st.sampled_from(["text", "title", "source", "url", "id"]), WORDS, SURROGATE, WORDS)
def test_a_lone_surrogate_escape_is_refused_naming_the_field(field, before, surrogate, after):
    record = json.dumps({"text": "Talks.", field: before + "@" + after}, ensure_ascii=False)
    error = only_error(read_lines(record.replace("@", surrogate).encode()))
    assert error.source.endswith("in.jsonl:1") and f"field {field!r}" in error.message
    assert surrogate in error.message and "lone surrogate" in error.message


def test_a_paired_surrogate_escape_is_the_character():
    (article,) = read_lines(b'{"text": "Talks \\ud83d\\ude00.", "title": "\\ud83c\\udf0d"}')
    assert article.text == "Talks \U0001f600." and article.title == "\U0001f30d"


@FAST
@given(st.lists(st.text(max_size=6), min_size=1, max_size=30))
def test_a_record_without_text_lists_any_field_names_on_one_line(names):
    # Names with newlines or lone surrogates are escaped, not printed as they are.
    error = only_error(read_lines(json.dumps(dict.fromkeys(names, 1)).replace("text", "txt").encode()))
    assert "has no 'text' field" in error.message


# -- HTML charsets ------------------------------------------------------------------------------------

# Codecs that are no text encoding, fail with errors other than UnicodeDecodeError, or make surrogates.
ODD_CODECS = ["undefined", "unicode_escape", "raw_unicode_escape", "utf-7", "punycode", "idna", "hex", "rot13",
              "base64", "zlib", "mbcs", "utf-16", "utf-32", "charmap", "palmos"]
CODECS = sorted({*encodings.aliases.aliases, *encodings.aliases.aliases.values()})


TRICKY_BODIES = [b"\\ud800", b"+2AA-", b"caf\xe9", b"\xff\xfe", b""]


def read_page(charset: str, body: bytes) -> list[Article | InputError]:
    page = (b'<html><head><meta charset="' + charset.encode() + b'"></head><body><p>Police arrested students '
            + body + b" in the capital on Monday.</p></body></html>")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "page.html")
        path.write_bytes(page)
        items = list(read_articles([str(path)]))
    assert len(items) == 1
    assert_well_formed(items)
    return items


@pytest.mark.parametrize("charset", ODD_CODECS)
def test_an_odd_declared_html_charset_gives_an_article_or_an_error(charset):
    for body in TRICKY_BODIES:
        read_page(charset, b"caf\xe9 " + body)  # not UTF-8, so the declared charset is tried


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.sampled_from(CODECS), st.from_regex(r"[A-Za-z0-9_.:-]{1,16}", fullmatch=True)),
       st.binary(max_size=40), st.sampled_from(TRICKY_BODIES))
def test_any_declared_html_charset_gives_an_article_or_an_error(charset, noise, tricky):
    read_page(charset, noise + tricky)


# -- file names and files that are not files ------------------------------------------------------------

NAMES = st.binary(min_size=1, max_size=20).filter(lambda name: b"/" not in name and b"\0" not in name
                                                 and not name.startswith(b".")).map(lambda name: name + b"\xff")


GOOD_FILES = {b".txt": b"Troops fired on protesters.", b".jsonl": GOOD, b".csv": b"text\nTroops fired.\n",
              b".html": b"<html><body><p>Troops fired on protesters in the capital.</p></body></html>"}


@FAST
@given(NAMES, st.sampled_from(sorted(GOOD_FILES)), st.sampled_from([None, b"", b"\xff\xfe", b"{\n", b"\x00"]))
def test_a_file_name_that_is_not_utf8_is_read_and_named_printably(name, suffix, bad):
    with tempfile.TemporaryDirectory() as folder:
        with open(os.path.join(os.fsencode(folder), name + suffix), "wb") as handle:
            handle.write(GOOD_FILES[suffix] if bad is None else bad)
        items = list(read_collection([folder]))
    assert items
    for origin, item in items:
        origin.encode("utf-8")  # stored as the article's origin
        assert "\\xff" in origin
    assert_well_formed([item for _, item in items])
    if bad is None:
        assert [type(item) for _, item in items] == [Article]


def read_with_timeout(sources: list[str], seconds: float = 10.0) -> list:
    found: list = []
    reader = threading.Thread(target=lambda: found.extend(read_collection(sources)), daemon=True)
    reader.start()
    reader.join(seconds)
    assert not reader.is_alive(), f"reading {sources} did not finish in {seconds} s"
    return [item for _, item in found]


@pytest.mark.parametrize("name", ["news.jsonl", "news.txt", "news.csv", "news.warc", "news.parquet"])
def test_a_fifo_is_refused_not_waited_on(tmp_path, name):
    fifo = tmp_path / name
    os.mkfifo(fifo)
    (error,) = read_with_timeout([str(fifo)])
    assert isinstance(error, InputError) and error.source == str(fifo)
    assert "is a FIFO, not a file" in error.message and "standard input with -" in error.message


def test_a_device_is_refused():
    (error,) = read_with_timeout(["/dev/zero"])
    assert isinstance(error, InputError) and "is a device" in error.message


# -- the CLI: the rest of the batch is coded and stored ------------------------------------------------

@pytest.fixture()
def no_engine(monkeypatch):
    """Coding without spaCy: each article becomes a Doc without events."""
    monkeypatch.setattr(api, "_cached_pipeline", lambda options: (lambda doc: doc))
    monkeypatch.setattr(ingest_module, "engine", lambda options=None, workers=0: lambda articles: map(Doc, articles))


BAD_LINES = [
    b'{"text": "x", "a": ' + b"[" * 5000 + b"]" * 5000 + b"}",
    b'{"text": "x", "n": ' + b"9" * 5000 + b"}",
    b'{"text": "x \\udfff"}',
    b'{"text": "x", "url": "\\ud800"}',
    b'{"\\ud800\\n": 1}',
    b"\xff\xfe{",
]


def test_extract_and_ingest_code_every_good_line_around_bad_ones(no_engine, tmp_path, capsys):
    lines = []
    for n, bad in enumerate(BAD_LINES):
        lines += [bad, f'{{"id": "a{n}", "text": "Troops fired on protesters."}}'.encode()]
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")

    assert main(["extract", str(path), "--format", "jsonl", "--workers", "1"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    errors = [line for line in err.splitlines() if line.startswith("lapwing: error:")]
    assert [line.split(": ")[2] for line in errors] == [f"{path}:{2 * n + 1}" for n in range(len(BAD_LINES))]

    db = tmp_path / "events.db"
    for _ in range(2):  # and a resume stores nothing twice
        assert main(["ingest", str(path), "--db", str(db), "--workers", "1"]) == 1
        assert "Traceback" not in capsys.readouterr().err
        with Store.open(db, readonly=True) as store:
            ids = {row[0] for row in store.db.execute("SELECT id FROM articles")}
            assert ids == {f"a{n}" for n in range(len(BAD_LINES))}
            assert len(store.errors()) == len(BAD_LINES)
