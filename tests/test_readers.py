"""Readers: files, folders and stdin to Articles; every bad input is one InputError value."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lapwing.errors import InputError
from lapwing.io.readers import parse_published, read_articles
from lapwing.records import Article, text_id

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Talks in Example City | The Daily Example</title>
<meta property="article:published_time" content="2024-04-28T09:15:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Talks in Example City</h1>
<p>The foreign ministers of two neighbouring countries met in Example City on Saturday to discuss
a new border crossing for trucks carrying food and medicine.</p>
<p>Officials from both delegations said the talks were constructive and that a second round would
follow next month, after experts have studied the route.</p>
<p>Aid groups welcomed the meeting but warned that supplies in the border region were running low.</p>
</article><footer>Copyright The Daily Example</footer></body></html>
"""


def read(*sources: str, **kwargs) -> list[Article | InputError]:
    return list(read_articles(list(sources), **kwargs))


def one(*sources: str, **kwargs) -> Article | InputError:
    items = read(*sources, **kwargs)
    assert len(items) == 1, items
    return items[0]


def error(*sources: str, **kwargs) -> InputError:
    item = one(*sources, **kwargs)
    assert isinstance(item, InputError), item
    return item


def stdin(data: bytes, **kwargs) -> list[Article | InputError]:
    return read("-", stdin=io.BytesIO(data), **kwargs)


# --- parse_published -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2024-04-28", dt.date(2024, 4, 28)),
        ("2024-04-28T14:30:00", dt.date(2024, 4, 28)),
        ("2024-04-28 14:30", dt.date(2024, 4, 28)),
        ("2025-03-14 20:30:26Z", dt.date(2025, 3, 14)),
        ("2024-04-28T14:30:00.123456+02:00", dt.date(2024, 4, 28)),
        ("2024-04-28T23:30:00-05:00", dt.date(2024, 4, 28)),  # the writer's calendar day, not UTC's
        ("  2024-04-28  ", dt.date(2024, 4, 28)),
        ("2024-04-28t14:30z", dt.date(2024, 4, 28)),
        ("2024-04-28T14:30:00,5+0200", dt.date(2024, 4, 28)),
    ],
)
def test_parse_published_accepts_iso_dates_and_datetimes(value, expected):
    assert parse_published(value) == expected


@pytest.mark.parametrize("value", ["28/04/2024", "yesterday", "2024-13-01", "2024-02-30", "20240428", "2024-W17-1", ""])
def test_parse_published_rejects_other_forms_naming_value_and_form(value):
    with pytest.raises(InputError) as info:
        parse_published(value, source="feed.jsonl:3")
    assert repr(value) in info.value.message
    assert "2024-04-28" in info.value.message
    assert info.value.source == "feed.jsonl:3"


@given(st.dates())
def test_parse_published_round_trips_dates(date):
    assert parse_published(date.isoformat()) == date


_offsets = st.timedeltas(min_value=-dt.timedelta(hours=23, minutes=59), max_value=dt.timedelta(hours=23, minutes=59))


@given(st.datetimes(timezones=st.builds(dt.timezone, _offsets)), st.sampled_from(["T", " "]))
def test_parse_published_round_trips_aware_datetimes(moment, sep):
    assert parse_published(moment.isoformat(sep=sep)) == moment.date()


# --- plain text -----------------------------------------------------------------------------


def test_text_file_strips_bom_and_normalizes_crlf(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"\xef\xbb\xbfTroops left the town.\r\nTalks resume Monday.\r\n")
    article = one(str(path))
    assert isinstance(article, Article)
    assert article.text == "Troops left the town.\nTalks resume Monday.\n"
    assert article.id == text_id(article.text)
    assert (article.title, article.source, article.url) == (None, None, None)


def test_text_file_uses_published_argument_and_never_today(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Protesters gathered outside parliament.", encoding="utf-8")
    assert one(str(path)).published is None
    assert one(str(path), published=dt.date(2024, 4, 28)).published == dt.date(2024, 4, 28)


def test_unknown_extension_is_read_as_text(tmp_path):
    path = tmp_path / "story.md"
    path.write_text("<p>not parsed as html</p>", encoding="utf-8")
    assert one(str(path)).text == "<p>not parsed as html</p>"


def test_missing_file_is_an_error(tmp_path):
    err = error(str(tmp_path / "nope.txt"))
    assert err.source == str(tmp_path / "nope.txt")
    assert "no such file" in err.message


def test_folder_reads_known_files_sorted_and_skips_others(tmp_path):
    (tmp_path / "b.txt").write_text("Second article.", encoding="utf-8")
    (tmp_path / "a.txt").write_text("First article.", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text('{"id": "c1", "text": "Third."}\n', encoding="utf-8")
    (tmp_path / "notes.csv").write_text("x,y", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("Hidden.", encoding="utf-8")
    items = read(str(tmp_path))
    assert [a.text for a in items] == ["First article.", "Second article.", "Third."]


def test_folder_with_nothing_readable_is_one_error(tmp_path):
    (tmp_path / "notes.csv").write_text("x,y", encoding="utf-8")
    err = error(str(tmp_path))
    assert err.source == str(tmp_path)
    assert ".txt" in err.message


@pytest.mark.parametrize("content", [b"", b"  \n\t\r\n "])
def test_empty_or_whitespace_file_is_an_error(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert "empty" in error(str(path)).message


def test_nul_bytes_mean_binary(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert "binary" in error(str(path)).message


def test_mostly_non_text_bytes_mean_binary(tmp_path):
    path = tmp_path / "blob.txt"
    path.write_bytes(bytes(range(0x80, 0x100)) * 8)
    assert "binary" in error(str(path)).message


def test_latin1_file_names_offset_and_iconv(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("Le café est fermé.".encode("latin-1"))
    err = error(str(path))
    assert "UTF-8" in err.message
    assert "offset 6" in err.message
    assert "iconv -f latin1 -t utf-8" in err.message


def test_over_max_bytes_names_size_and_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("word " * 30, encoding="utf-8")
    err = error(str(path), max_bytes=100)
    assert "150 bytes" in err.message and "100 bytes" in err.message
    assert "--max-bytes" in err.message
    assert isinstance(one(str(path), max_bytes=150), Article)


# --- HTML -----------------------------------------------------------------------------------


def test_html_file_gives_main_text_title_and_page_date(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(PAGE, encoding="utf-8")
    article = one(str(path), published=dt.date(2020, 1, 1))
    assert isinstance(article, Article)
    assert article.title and "Talks in Example City" in article.title
    assert "foreign ministers" in article.text and "running low" in article.text
    assert "Home" not in article.text and "Copyright" not in article.text
    assert "<p>" not in article.text
    assert article.published == dt.date(2024, 4, 28)  # the page's own date beats the argument


def test_html_without_date_uses_published_argument(tmp_path):
    path = tmp_path / "short.htm"
    path.write_text("<html><body><p>Police arrested two men in the capital.</p></body></html>", encoding="utf-8")
    article = one(str(path), published=dt.date(2024, 5, 1))
    assert article.text == "Police arrested two men in the capital."
    assert article.published == dt.date(2024, 5, 1)


def test_html_in_declared_latin1_charset_is_decoded(tmp_path):
    path = tmp_path / "old.html"
    page = (
        '<html><head><meta charset="iso-8859-1"></head>'
        "<body><p>Le café a fermé après la grève.</p></body></html>"
    )
    path.write_bytes(page.encode("latin-1"))
    assert one(str(path)).text == "Le café a fermé après la grève."


def test_html_with_no_text_is_an_error(tmp_path):
    path = tmp_path / "shell.html"
    path.write_text("<html><head><script>var x = 1;</script></head><body></body></html>", encoding="utf-8")
    assert "no readable text" in error(str(path)).message


# --- JSONL ----------------------------------------------------------------------------------


def test_jsonl_fields_and_published_precedence(tmp_path):
    path = tmp_path / "feed.jsonl"
    lines = [
        {"id": 17, "text": "Troops withdrew.", "title": "T", "url": "https://example.org/a", "source": "Example",
         "published": "2025-03-14 20:30:26Z"},
        {"text": "Talks began.\r\nThey ended."},
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    first, second = read(str(path), published=dt.date(2024, 1, 1))
    assert (first.id, first.title, first.url, first.source) == ("17", "T", "https://example.org/a", "Example")
    assert first.published == dt.date(2025, 3, 14) and first.published_text == "2025-03-14 20:30:26Z"
    assert second.id == text_id(second.text) and second.text == "Talks began.\nThey ended."
    assert second.published == dt.date(2024, 1, 1)


def test_jsonl_bad_lines_are_errors_and_good_lines_go_on(tmp_path):
    path = tmp_path / "feed.ndjson"
    path.write_bytes(
        b'{"id": "a", "text": "Good one."}\n'
        b"\n"
        b"not json\n"
        b"[1, 2]\n"
        b'{"title": "no text"}\n'
        b'{"text": 42}\n'
        b'{"text": "   "}\n'
        b'{"text": "Dated.", "published": "last week"}\n'
        b'{"text": "caf\xe9"}\n'
        b'{"id": "z", "text": "Good two."}\n'
    )
    items = read(str(path))
    assert [a.id for a in items if isinstance(a, Article)] == ["a", "z"]
    errors = [e for e in items if isinstance(e, InputError)]
    assert [e.source for e in errors] == [f"{path}:{n}" for n in (3, 4, 5, 6, 7, 8, 9)]
    messages = [e.message for e in errors]
    assert "not valid JSON" in messages[0]
    assert "array, not an object" in messages[1]
    assert "no 'text' field" in messages[2] and "title" in messages[2]
    assert "number, not a string" in messages[3]
    assert "empty" in messages[4]
    assert "'last week'" in messages[5]
    assert "UTF-8" in messages[6] and "iconv" in messages[6]


def test_jsonl_text_field_option(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text('{"id": "b", "body": "Rebels seized the airport."}\n', encoding="utf-8")
    assert one(str(path), text_field="body").text == "Rebels seized the airport."
    assert "no 'text' field" in error(str(path)).message


def test_jsonl_limit_applies_per_line(tmp_path):
    path = tmp_path / "feed.jsonl"
    long_line = json.dumps({"text": "x" * 500})
    path.write_text(f'{{"text": "short"}}\n{long_line}\n{{"text": "after"}}\n', encoding="utf-8")
    items = read(str(path), max_bytes=100)
    assert isinstance(items[1], InputError) and items[1].source == f"{path}:2"
    assert "--max-bytes" in items[1].message
    assert [a.text for a in (items[0], items[2])] == ["short", "after"]


@pytest.mark.parametrize("content", [b"", b"\n  \n"])
def test_jsonl_without_records_is_an_error(tmp_path, content):
    path = tmp_path / "feed.jsonl"
    path.write_bytes(content)
    assert "no records" in error(str(path)).message


class _CountingStream(io.BytesIO):
    """A stream that counts how many lines have been read from it."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.lines_read = 0

    def readline(self, size: int | None = -1) -> bytes:
        self.lines_read += 1
        return super().readline(size)


def test_jsonl_from_stdin_is_streamed_line_by_line():
    data = b"".join(json.dumps({"id": str(n), "text": f"Article {n}."}).encode() + b"\n" for n in range(1000))
    stream = _CountingStream(data)
    items = read_articles(["-"], stdin=stream, max_bytes=200)
    assert next(items).id == "0"
    assert stream.lines_read < 10
    assert sum(1 for _ in items) == 999


# --- stdin sniffing -------------------------------------------------------------------------


def test_stdin_sniffs_jsonl_html_and_text():
    jsonl = stdin(b'\xef\xbb\xbf{"id": "1", "text": "One."}\n\n  {"id": "2", "text": "Two."}\n')
    assert [a.id for a in jsonl] == ["1", "2"]
    (page,) = stdin(PAGE.encode("utf-8"))
    assert "foreign ministers" in page.text and "<p>" not in page.text
    (text,) = stdin(b'{"not": "jsonl"}\nbecause this line is prose.\r\n')
    assert text.text == '{"not": "jsonl"}\nbecause this line is prose.\n'


def test_stdin_errors_are_labelled():
    (err,) = stdin(b"")
    assert err.source == "<stdin>" and "empty" in err.message
    (err,) = stdin(b"plain text that is too long", max_bytes=10)
    assert err.source == "<stdin>" and "--max-bytes" in err.message
    (err,) = stdin(b'{"text": "ok"}\n{oops}\n')[1:]
    assert err.source == "<stdin>:2"


# --- properties -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("readers")


_HTML_BITS = ["<!DOCTYPE html>", "<html>", "<head>", "<meta charset='latin1'>", "<title>", "</title>", "<body>",
              "<p>", "</p>", "<script>", "</div>", "&amp;", "&#0;", "caf\xe9", " ", "\n", "\r\n", "Talks.", "{", "\x00"]
_bytes = (
    st.binary(max_size=2000)
    | st.text(max_size=500).map(str.encode)
    | st.lists(st.sampled_from(_HTML_BITS), max_size=40).map(lambda bits: "".join(bits).encode("utf-8"))
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(data=_bytes, suffix=st.sampled_from([".txt", ".html", ".jsonl", ".dat", "-"]))
def test_arbitrary_bytes_never_raise(scratch, data, suffix):
    if suffix == "-":
        items = stdin(data, max_bytes=1000)
    else:
        path = scratch / f"input{suffix}"
        path.write_bytes(data)
        items = read(str(path), max_bytes=1000)
    assert all(isinstance(item, (Article, InputError)) for item in items)
    assert items  # every input gives an article or says why not


_prose = st.text(st.characters(blacklist_categories=("Cc", "Cs")) | st.sampled_from("\n\t"), min_size=1).filter(
    lambda s: s.strip() and not s.startswith("\ufeff")
)


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=_prose, bom=st.booleans(), crlf=st.booleans())
def test_utf8_text_round_trips(scratch, text, bom, crlf):
    path = scratch / "roundtrip.txt"
    raw = text.replace("\n", "\r\n") if crlf else text
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + raw.encode("utf-8"))
    article = one(str(path))
    assert isinstance(article, Article)
    assert article.text == text


_records = st.lists(
    st.fixed_dictionaries(
        {"id": st.text(min_size=1) | st.integers(), "text": st.text(min_size=1).filter(lambda s: s.strip())},
        optional={"title": st.text(), "extra": st.integers() | st.none() | st.lists(st.booleans())},
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(records=_records, blanks=st.lists(st.sampled_from(["", "   ", "\t"]), max_size=5), ascii_only=st.booleans())
def test_jsonl_yields_one_item_per_record_in_order(scratch, records, blanks, ascii_only):
    lines = [json.dumps(record, ensure_ascii=ascii_only) for record in records]
    for n, blank in enumerate(blanks):
        lines.insert(n * 3 % (len(lines) + 1), blank)
    path = scratch / "records.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = read(str(path))
    assert [item.id for item in items] == [str(record["id"]) for record in records]


def test_markup_that_breaks_the_html_parser_is_an_input_error(tmp_path, monkeypatch):
    """lxml can raise anything on broken markup; the reader reports it and the batch goes on."""
    import trafilatura

    def explode(*args, **kwargs):
        raise AssertionError("lxml internal assertion")

    monkeypatch.setattr(trafilatura, "bare_extraction", explode)
    page = tmp_path / "broken.html"
    page.write_text("<html><body><p>Talks resumed in Doha.</p></body></html>", encoding="utf-8")
    (item,) = list(read_articles([str(page)]))
    assert isinstance(item, InputError) and "HTML could not be parsed (AssertionError)" in str(item)
    assert item.source == str(page)
