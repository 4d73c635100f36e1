"""Collections: folders (recursive), globs, CSV with a named text column, WARC crawls, counting."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from pathlib import Path

import pytest

from lapwing.errors import InputError
from lapwing.io import collections
from lapwing.io.collections import ReadOptions, count_articles, read_collection
from lapwing.io.readers import article_from_html
from lapwing.records import Article, text_id

PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Harbour talks | Example Times</title>{meta}</head>
<body><nav><a href="/">Home</a></nav><article><h1>Harbour talks</h1>
<p>Delegates from two coastal states met in the harbour town on Tuesday to discuss fishing rights
and the patrol boats that have chased each other's trawlers since the spring.</p>
<p>Both sides said a second meeting would follow, and that the coast guards would keep their distance.</p>
<p>{extra}</p></article><footer>Example Times</footer></body></html>
"""
DATED = '<meta property="article:published_time" content="2024-03-02T08:00:00Z">'


def page(extra: str = "", meta: str = "") -> bytes:
    return PAGE.format(meta=meta, extra=extra).encode("utf-8")


def items(*sources, **options):
    return [item for _, item in read_collection([str(s) for s in sources], ReadOptions(**options))]


def articles(*sources, **options) -> list[Article]:
    found = items(*sources, **options)
    assert all(isinstance(a, Article) for a in found), found
    return found


def errors(*sources, **options) -> list[InputError]:
    return [e for e in items(*sources, **options) if isinstance(e, InputError)]


# --- folders and globs --------------------------------------------------------------------------


def make_tree(root: Path) -> None:
    (root / "b" / "deeper").mkdir(parents=True)
    (root / "a.txt").write_text("The council met on Monday.", encoding="utf-8")
    (root / "b" / "c.jsonl").write_text(
        json.dumps({"id": "c1", "text": "Police arrested two men."}) + "\n"
        + json.dumps({"id": "c2", "text": "Farmers protested in the capital."}) + "\n",
        encoding="utf-8",
    )
    (root / "b" / "deeper" / "d.csv").write_text("id,text\nd1,Troops withdrew from the border.\n", encoding="utf-8")
    (root / ".hidden.txt").write_text("Not an article.", encoding="utf-8")
    (root / "notes.md").write_text("Not an article either.", encoding="utf-8")


def test_a_folder_is_read_recursively_in_name_order_skipping_hidden_and_other_files(tmp_path):
    make_tree(tmp_path)
    found = articles(tmp_path)
    assert [a.id for a in found] == [text_id("The council met on Monday."), "c1", "c2", "d1"]


def test_origins_name_the_file_each_article_came_from(tmp_path):
    make_tree(tmp_path)
    origins = [origin for origin, _ in read_collection([str(tmp_path)])]
    assert origins[0].endswith("a.txt") and origins[-1].endswith(os.path.join("deeper", "d.csv"))


def test_a_quoted_glob_is_expanded_and_a_glob_matching_nothing_is_an_error(tmp_path):
    make_tree(tmp_path)
    assert [a.id for a in articles(f"{tmp_path}/**/*.jsonl")] == ["c1", "c2"]
    (missing,) = errors(f"{tmp_path}/*.warc.gz")
    assert "no file matches" in missing.message and missing.source.endswith("*.warc.gz")


def test_an_unreadable_subfolder_is_an_error_and_the_rest_is_read(tmp_path, monkeypatch):
    make_tree(tmp_path)
    real = os.scandir

    def scandir(path):
        if Path(path).name == "b":
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(collections.os, "scandir", scandir)
    found = items(tmp_path)
    assert [a.id for a in found if isinstance(a, Article)] == [text_id("The council met on Monday.")]
    (error,) = [e for e in found if isinstance(e, InputError)]
    assert error.source.endswith("b") and "cannot list the folder (Permission denied)" in error.message


def test_an_empty_folder_says_which_files_it_reads(tmp_path):
    (error,) = errors(tmp_path)
    assert ".warc.gz" in error.message and ".csv" in error.message


# --- CSV ------------------------------------------------------------------------------------------


def test_csv_reads_the_named_text_column_and_the_metadata_columns(tmp_path):
    path = tmp_path / "news.csv"
    path.write_text(
        'id,headline,body,published,url\n'
        'n1,Border,"Troops crossed the border.\nResidents fled.",2024-05-01,https://example.org/1\n'
        ',Talks,Ministers met in the capital.,,\n',
        encoding="utf-8",
    )
    first, second = articles(path, text_column="body", published=dt.date(2024, 1, 1))
    assert first.id == "n1" and first.text == "Troops crossed the border.\nResidents fled."
    assert first.published == dt.date(2024, 5, 1) and first.url == "https://example.org/1"
    assert second.id == text_id("Ministers met in the capital.") and second.published == dt.date(2024, 1, 1)


def test_csv_without_the_text_column_names_the_columns_it_has(tmp_path):
    path = tmp_path / "news.csv"
    path.write_text("id,body\n1,Troops crossed the border.\n", encoding="utf-8")
    (error,) = errors(path)
    assert "no 'text' column (columns: 'id', 'body')" in error.message and "--text-column" in error.message


def test_csv_bad_rows_are_named_by_line_and_the_good_rows_are_read(tmp_path):
    path = tmp_path / "news.csv"
    path.write_text(
        "text,published\nPolice arrested a man.,2024-02-30\n,2024-01-01\nRebels attacked a convoy.,\n",
        encoding="utf-8",
    )
    found = items(path)
    assert isinstance(found[0], InputError) and found[0].source == f"{path}:2" and "not a real date" in found[0].message
    assert isinstance(found[1], InputError) and found[1].source == f"{path}:3" and "empty 'text'" in found[1].message
    assert isinstance(found[2], Article) and found[2].text == "Rebels attacked a convoy."


def test_csv_that_is_not_utf8_stops_with_an_error_naming_the_file(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("text\nLa d\u00e9l\u00e9gation est arriv\u00e9e.\n".encode("latin-1"))
    (error,) = errors(path)
    assert error.source == str(path) and "not UTF-8" in error.message and "iconv" in error.message


def test_csv_text_over_the_size_limit_is_refused_by_row(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text("text\n" + "word " * 50 + "\nShort text here.\n", encoding="utf-8")
    found = items(path, max_bytes=100)
    assert isinstance(found[0], InputError) and "over the limit of 100 bytes" in found[0].message
    assert isinstance(found[1], Article)


# --- WARC ---------------------------------------------------------------------------------------


def write_warc(path: Path, records: list[tuple[str, str, str, bytes]], gzip: bool = True) -> None:
    """records: (uri, status, content type, body) responses, plus a request record before each."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=gzip)
        for uri, status, content_type, body in records:
            request = writer.create_warc_record(
                uri, "request", payload=io.BytesIO(b""),
                http_headers=StatusAndHeaders(f"GET {uri} HTTP/1.1", [], is_http_request=True),
            )
            writer.write_record(request)
            headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
            response = writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body), http_headers=headers,
                warc_headers_dict={"WARC-Date": "2024-04-28T10:00:00Z"},
            )
            writer.write_record(response)


CRAWL = [
    ("https://example.org/harbour", "200 OK", "text/html; charset=utf-8", page("The first report.")),
    ("https://example.org/old", "301 Moved Permanently", "text/html", b"<html><body>moved</body></html>"),
    ("https://example.org/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(64)),
    ("https://example.org/dated", "200 OK", "text/html", page("The second report.", DATED)),
]


@pytest.mark.parametrize("name, gzip", [("crawl.warc.gz", True), ("crawl.warc", False)])
def test_warc_html_responses_become_articles_and_other_records_are_skipped(tmp_path, name, gzip):
    path = tmp_path / name
    write_warc(path, CRAWL, gzip=gzip)
    first, second = articles(path)
    assert first.url == "https://example.org/harbour" and "fishing rights" in first.text
    assert first.published == dt.date(2024, 4, 28)  # no date on the page: the crawl day stands in
    assert second.url == "https://example.org/dated" and second.published == dt.date(2024, 3, 2)  # the page's own


def test_an_explicit_published_date_wins_over_the_crawl_day(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    write_warc(path, CRAWL[:1])
    (article,) = articles(path, published=dt.date(2024, 1, 5))
    assert article.published == dt.date(2024, 1, 5)


def test_a_truncated_warc_gz_is_an_error_naming_the_file_and_the_other_files_go_on(tmp_path):
    whole = tmp_path / "a.warc.gz"
    write_warc(whole, CRAWL)
    cut = tmp_path / "b.warc.gz"
    data = whole.read_bytes()
    cut.write_bytes(data[: len(data) * 2 // 3])
    (tmp_path / "c.txt").write_text("The council met on Monday.", encoding="utf-8")
    found = items(tmp_path)
    bad = [e for e in found if isinstance(e, InputError)]
    assert len(bad) == 1 and bad[0].source == str(cut) and "damaged or truncated" in bad[0].message
    good = [a for a in found if isinstance(a, Article)]
    assert [a.url for a in good[:2]] == ["https://example.org/harbour", "https://example.org/dated"]
    assert good[-1].text == "The council met on Monday."


def test_a_file_that_is_not_a_warc_is_an_error(tmp_path):
    path = tmp_path / "fake.warc"
    path.write_text("this is a plain text file, not a web archive\n" * 5, encoding="utf-8")
    (error,) = errors(path)
    assert error.source == str(path) and "WARC" in error.message


def test_a_warc_without_pages_says_so(tmp_path):
    path = tmp_path / "images.warc.gz"
    write_warc(path, CRAWL[2:3])
    (error,) = errors(path)
    assert "no HTML pages" in error.message


def test_article_from_html_takes_the_given_url_when_the_page_has_none():
    article = article_from_html(page(), "page.html", published=dt.date(2024, 4, 1), url="https://example.org/x")
    assert isinstance(article, Article) and article.url == "https://example.org/x"
    assert article.published == dt.date(2024, 4, 1) and "fishing rights" in article.text


# --- counting -------------------------------------------------------------------------------------


def test_counting_is_exact_for_text_and_jsonl_and_unknown_for_csv_and_warc(tmp_path):
    make_tree(tmp_path)
    (tmp_path / "b" / "deeper" / "d.csv").unlink()
    (tmp_path / "b" / "c.jsonl").write_text('{"text": "One."}\n\n{"text": "Two."}\n', encoding="utf-8")
    assert count_articles([str(tmp_path)]) == 3
    (tmp_path / "e.csv").write_text("text\nThree.\n", encoding="utf-8")
    assert count_articles([str(tmp_path)]) is None
    assert count_articles([str(tmp_path / "a.txt")], budget_bytes=0) == 1
    assert count_articles([str(tmp_path / "b" / "c.jsonl")], budget_bytes=5) is None
