"""Issue 8, "first contact": filters that fold case and accents, sources, read-only stores, the
Python API's inputs, outputs, input formats and the CLI's one-line errors. No spaCy model."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace

import pytest
from builders import coded_doc as coded
from builders import old_store

from lapwing.cli import main
from lapwing.records import Article, Place
from lapwing.store import LATEST, Store
from lapwing.store.keys import fold, source_of
from lapwing.store.query import EventFilter, count_events, query_events, stats


def placed(name, text, country, lon, lat, geonameid=None, **kwargs):
    doc = coded("Police", "arrested", "arrest", "Students", [(1, 1, country, "COP", "Gendarmerie nationale"),
                                                             (3, 3, country, "EDU", "Étudiants")],
                date="2024-05-02", confidence=0.8, extra=text.replace(" ", "_"), **kwargs)
    (event,) = doc.events
    where = Place(text, name, country, None, lat, lon, geonameid, 0, len(text), "city")
    return doc.replace(events=(replace(event, location=where),))


def places_docs():
    return [
        placed("Rafaḩ", "Rafah", "PSE", 34.25, 31.29, 281102, url="https://www.voanews.com/a/strike"),
        placed("Bouaké", "Bouaké", "CIV", -5.03, 7.69, 2290956, source="AFP"),
        placed("Québec", "Quebec City", "CAN", -71.2, 46.8, 6325494, url="https://news.example.org/q"),
        placed("Guantánamo", "Guantánamo", "CUB", -75.2, 20.1, 3557689),
        placed("Mumbai", "Mumbai", "IND", 72.88, 19.07, 1275339, source="The Hindu"),
    ]


def coded(*args, url=None, source=None, **kwargs):  # noqa: F811 - adds a url to the builder's doc
    from builders import coded_doc

    doc = coded_doc(*args, source=source, **kwargs)
    return doc.replace(article=replace(doc.article, url=url)) if url else doc


def fill(path=":memory:"):
    store = Store.open(path)
    for doc in places_docs():
        store.write(doc, engine_version="test")
    return store


@pytest.fixture(scope="module")
def store():
    s = fill()
    yield s
    s.close()


def places(store, **kwargs):
    return sorted(r["location"]["name"] for r in query_events(store, EventFilter(**kwargs)))


# -- 1. text filters fold case and accents; a place matches by any of its names --------------------

def test_fold_drops_case_accents_and_apostrophes():
    assert fold("Rafaḩ") == fold("RAFAH") == "rafah"
    assert fold("Québec") == "quebec" and fold("Guantánamo") == "guantanamo" and fold("Bouaké") == "bouake"
    assert fold("Sana'a") == fold("Sanaa") and fold("Deir al-Balah") == "deir al balah" and fold("Łódź") == "lodz"


@pytest.mark.parametrize(("typed", "stored"), [
    ("Rafah", "Rafaḩ"), ("rafah", "Rafaḩ"), ("RAFAḨ", "Rafaḩ"), ("Bouake", "Bouaké"), ("Quebec", "Québec"),
    ("québec city", "Québec"),  # the article's own words for the place
    ("Guantanamo", "Guantánamo"), ("Bombay", "Mumbai"),  # a gazetteer name of the place
])
def test_place_filter_folds_and_matches_any_name(store, typed, stored):
    assert places(store, place=typed) == [stored]


def test_actor_source_and_type_filters_fold(store):
    assert len(places(store, country="etudiants")) == 5 and len(places(store, recipient="ÉTUDIANTS")) == 5
    assert places(store, actor="gendarmerie NATIONALE", place="bouake") == ["Bouaké"]
    assert places(store, source="afp") == ["Bouaké"] and places(store, source="the hindu") == ["Mumbai"]
    assert len(places(store, event_type="coerce")) == 5 and len(places(store, event_type=" Coercé ")) == 5
    assert places(store, place="Nowhere") == [] and places(store, actor="_") == []


def test_the_cli_and_the_http_api_fold_the_place(tmp_path, capsys):
    db = tmp_path / "events.db"
    fill(db).close()
    assert main(["events", "--db", str(db), "--place", "Rafah", "--format", "jsonl"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert json.loads(line)["location"]["name"] == "Rafaḩ"
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from lapwing.api_http import create_app

    client = TestClient(create_app(str(db)))
    for typed in ("Rafah", "Bouake", "Quebec", "Guantanamo"):
        assert client.get("/events", params={"place": typed}).json()["total"] == 1, typed


# -- 4. the source is derived once, stored and filtered on ------------------------------------------

def test_source_of_is_the_record_source_else_the_url_host():
    assert source_of("VOA", "https://www.voanews.com/a") == "VOA"
    assert source_of(None, "https://www.voanews.com/a/1") == "voanews.com"
    assert source_of("  ", "http://News.Example.org:8080/x") == "news.example.org"
    assert source_of(None, None) is None and source_of(None, "not a url") is None


def test_stats_and_source_filter_use_the_derived_source(store):
    by_source = stats(store)["by_source"]
    assert by_source["voanews.com"] == 1 and by_source["news.example.org"] == 1 and by_source["unknown"] == 1
    assert places(store, source="voanews.com") == ["Rafaḩ"] == places(store, source="www.VOAnews.com")


def test_an_old_store_is_upgraded_with_folded_keys_and_derived_sources(tmp_path):
    path = tmp_path / "events.db"
    old_store(path, 3, places_docs())
    with Store.open(path) as upgraded:
        assert upgraded.schema_version == LATEST
        assert places(upgraded, place="Rafah") == ["Rafaḩ"] and places(upgraded, recipient="etudiants")
        assert stats(upgraded)["by_source"]["voanews.com"] == 1
        assert places(upgraded, source="voanews.com") == ["Rafaḩ"]
        # the full-text index was left alone by the back-fill, and still matches
        assert count_events(upgraded, EventFilter(text="Police")) == 5
        assert upgraded.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        upgraded.db.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")


# -- 2. a store in a read-only folder can be read; writing there says which folder and why ---------

def _unprivileged(folder):
    """The command prefix that runs a process without root's power over file permissions."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root, which ignores folder permissions, and setpriv (to drop that) is missing")
    prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-dac_override,-dac_read_search",
              "--"]
    probe = subprocess.run([*prefix, sys.executable, "-c", f"open({str(folder / 'probe')!r}, 'w')"],
                           capture_output=True)
    if probe.returncode == 0:
        os.unlink(folder / "probe")
        pytest.skip("running as root, and dropping root's power over permissions (setpriv) had no effect here")
    return prefix


def lapwing(prefix, *args):
    done = subprocess.run([*prefix, sys.executable, "-m", "lapwing.cli", *map(str, args)],
                          capture_output=True, text=True, timeout=120)
    return done.returncode, done.stdout, done.stderr


def _snapshot(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture()
def read_only_folder(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir()
    yield folder
    folder.chmod(0o755)


def test_a_store_in_a_read_only_folder_is_readable_and_writing_there_says_why(tmp_path, read_only_folder):
    db = read_only_folder / "events.db"
    fill(db).close()
    (tmp_path / "new.txt").write_text("Police arrested students in Nairobi on Monday.\n")
    read_only_folder.chmod(0o555)
    before = _snapshot(read_only_folder)
    prefix = _unprivileged(read_only_folder)

    code, out, err = lapwing(prefix, "events", "--db", db, "--place", "Rafah")
    assert (code, err) == (0, "") and out.splitlines()[-1] == "1 event"
    code, out, err = lapwing(prefix, "stats", "--db", db, "--json")
    assert code == 0 and json.loads(out)["totals"]["events"] == 5
    code, out, err = lapwing(prefix, "stories", "--db", db, "--no-update")
    assert code == 0 and out == "no stories match\n"
    code, out, err = lapwing(prefix, "export", tmp_path / "out", "--db", db, "--format", "jsonl")
    assert code == 0 and (tmp_path / "out" / "events.jsonl").exists()

    for args in (("ingest", tmp_path / "new.txt", "--db", db), ("ingest", tmp_path / "new.txt", "--db",
                 read_only_folder / "other.db"), ("stories", "--db", db)):
        code, out, err = lapwing(prefix, *args)
        assert code == 2 and out == "", args
        (line,) = err.splitlines()
        assert str(read_only_folder) in line and "read-only" in line and "writable folder" in line, line
        assert "unable to open database file" not in line
    assert "--no-update" in line
    assert _snapshot(read_only_folder) == before  # nothing written, nothing created


def test_an_old_store_in_a_read_only_folder_says_how_to_upgrade_it(read_only_folder):
    db = read_only_folder / "events.db"
    old_store(db, 3, places_docs())
    read_only_folder.chmod(0o555)
    before = _snapshot(read_only_folder)
    code, out, err = lapwing(_unprivileged(read_only_folder), "events", "--db", db)
    assert code == 2
    (line,) = err.splitlines()
    assert f"schema version 3" in line and str(read_only_folder) in line and "copy it" in line
    assert _snapshot(read_only_folder) == before


def test_reading_commands_never_write_a_readable_store(tmp_path):
    db = tmp_path / "events.db"
    fill(db).close()
    before = db.read_bytes()
    for args in (["events"], ["stats"], ["errors"], ["stories", "--no-update"]):
        assert main([*args, "--db", str(db)]) == 0
    assert db.read_bytes() == before
    with Store.open(db, readonly=True) as store:
        with pytest.raises(Exception, match="readonly"):
            store.db.execute("DELETE FROM events")


# -- 3. extract_many takes what extract takes ------------------------------------------------------

@pytest.fixture()
def no_engine(monkeypatch):
    import lapwing.api as api

    monkeypatch.setattr(api, "_cached_pipeline", lambda options: (lambda doc: doc))


def test_extract_many_takes_articles_dicts_and_iso_strings(no_engine):
    from lapwing import Article, extract_many

    docs = list(extract_many([
        Article(text="Police arrested students.", published=dt.date(2024, 5, 2)),
        Article(text="Police arrested students again.", id="a2", published="2024-05-03T10:00:00Z"),
        {"id": "j1", "text": "Troops fired.", "title": "T", "url": "https://www.voanews.com/x", "source": None,
         "published": "2024-05-04"},
        {"id": 7, "text": "Troops fired again.", "published": dt.datetime(2024, 5, 5, 12)},
        {"text": "Protesters marched.", "published": dt.date(2024, 5, 6)},
        "Protesters marched again.",
    ]))
    assert [d.article.published for d in docs] == [dt.date(2024, 5, d) for d in range(2, 7)] + [None]
    assert [d.article.id for d in docs][1:4] == ["a2", "j1", "7"] and docs[2].article.title == "T"


@pytest.mark.parametrize(("item", "named", "says"), [
    ({"id": "x1", "body": "no text field"}, "item 2 (id 'x1')", "no 'text' field"),
    ({"text": "Fine.", "published": "yesterday"}, "item 2", "publication date 'yesterday'"),
    (Article(text="Fine.", id="x2", published="5/3/2024"), "item 2 (id 'x2')", "publication date '5/3/2024'"),
    (42, "item 2", "is a int: give an Article, a dict"),
    ({"text": 3}, "item 2", "is a number, not a string"),
])
def test_extract_many_names_a_bad_item(no_engine, item, named, says):
    from lapwing import InputError, extract_many

    with pytest.raises(InputError) as caught:
        list(extract_many(["Good text.", item]))
    message = str(caught.value)
    assert message.startswith(named + ":") and says in message and "\n" not in message


def test_extract_many_refuses_negative_workers(no_engine):
    from lapwing import InputError, extract_many

    with pytest.raises(InputError, match="workers=-1"):
        list(extract_many(["text"], workers=-1))


# -- 5. outputs ---------------------------------------------------------------------------------------

class Terminal:
    """A stand-in for a terminal's stderr."""

    def __init__(self):
        import io

        self.buffer = io.StringIO()

    def write(self, text):
        return self.buffer.write(text)

    def flush(self):
        pass

    def isatty(self):
        return True


def write_texts(tmp_path, n):
    paths = []
    for i in range(n):
        path = tmp_path / f"a{i}.txt"
        path.write_text(f"Article number {i}: police arrested students.\n", encoding="utf-8")
        paths.append(str(path))
    return paths


def test_extract_json_is_one_document_for_any_number_of_articles(no_engine, tmp_path, capsys):
    paths = write_texts(tmp_path, 3)
    assert main(["extract", *paths, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert isinstance(data, list) and [d["article"]["chars"] for d in data] == [44, 44, 44]
    assert main(["extract", paths[0], "--format", "json"]) == 0
    assert set(json.loads(capsys.readouterr().out)) == {"article", "events"}  # one article: its object
    assert main(["extract", str(tmp_path / "missing.txt"), "--format", "json"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out) == [] and "missing.txt" in captured.err


def test_a_table_shows_the_words_of_a_date_without_a_value():
    from lapwing.io.writers import date_cell
    from lapwing.store.query import event_row

    assert date_cell(None, "last  week") == "last week" and date_cell("2024-05", "May") == "2024-05"
    assert date_cell(None, None) == "?" and date_cell(None, " ") == "?"
    doc = places_docs()[0]
    record = doc.events[0].to_dict()
    record["date"] = {"text": "recently", "value": None, "granularity": "unknown", "basis": "text"}
    assert event_row(record).startswith("recently ")


# -- 6. extract shows progress on a terminal ----------------------------------------------------------

def test_extract_shows_progress_only_on_a_terminal(no_engine, tmp_path, capsys, monkeypatch):
    paths = write_texts(tmp_path, 3)
    assert main(["extract", *paths, "--format", "jsonl"]) == 0
    assert capsys.readouterr().err == ""
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["extract", *paths, "--format", "jsonl"]) == 0
    shown = terminal.buffer.getvalue()
    assert "extract" in shown and "3/3" in shown and "articles" in shown


# -- 7. input formats: CSV in extract, Parquet in a local ingest --------------------------------------

def test_extract_reads_a_csv_as_a_table_with_a_text_column(no_engine, tmp_path, capsys):
    sheet = tmp_path / "sheet.csv"
    sheet.write_text('id,body,published\nr1,"Police arrested students.",2024-05-02\nr2,Troops fired.,2024-05-03\n')
    assert main(["extract", str(sheet), "--text-column", "body", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(d["article"]["id"], d["article"]["published"]) for d in data] == [("r1", "2024-05-02"), ("r2", "2024-05-03")]
    assert main(["extract", str(sheet), "--format", "json"]) == 1
    line, last = capsys.readouterr().err.splitlines()
    assert "sheet.csv" in line and "no 'text' column" in line and "--text-column" in line
    assert last == "lapwing: 1 input(s) failed, 0 article(s) coded"


def parquet_file(path, rows):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(rows), path)
    return path


def test_a_local_ingest_reads_parquet(no_engine, tmp_path, capsys):
    from lapwing.io.collections import ReadOptions, read_collection

    table = parquet_file(tmp_path / "articles.parquet", [
        {"id": "p1", "text": "Police arrested students.", "url": "https://www.voanews.com/p1", "published": "2024-05-02"},
        {"id": "p2", "text": "Troops fired.", "url": None, "published": None},
    ])
    found = [a for _, a in read_collection([str(table)], ReadOptions())]
    assert [(a.id, a.published) for a in found] == [("p1", dt.date(2024, 5, 2)), ("p2", None)]
    db = tmp_path / "events.db"
    assert main(["ingest", str(table), "--db", str(db), "--workers", "1"]) == 0
    assert "2 article(s) coded" in capsys.readouterr().out
    with Store.open(db, readonly=True) as store:
        assert store.counts()["articles"] == 2
        assert store.db.execute("SELECT source FROM articles WHERE id = 'p1'").fetchone()[0] == "voanews.com"


def test_parquet_without_pyarrow_says_what_to_install(tmp_path, monkeypatch):
    from lapwing.io.collections import ReadOptions, read_collection

    (tmp_path / "a.parquet").write_bytes(b"PAR1")
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    ((_, problem),) = list(read_collection([str(tmp_path / "a.parquet")], ReadOptions()))
    assert "a.parquet" in str(problem) and "pip install 'lapwing[export]'" in str(problem)


# -- 8. CLI consistency ------------------------------------------------------------------------------

@pytest.mark.parametrize("command", [["extract", "a.txt"], ["eval", "gold.json"], ["ingest", "a.txt", "--db", "e.db"],
                                     ["recode", "--db", "e.db"]])
def test_negative_workers_are_refused_in_one_line(command, capsys):
    assert main([*command, "--workers", "-1"]) == 2  # main returns argparse's exit code too
    (line,) = capsys.readouterr().err.splitlines()
    assert "--workers -1 is negative" in line and "0 for all cores" in line and f"lapwing {command[0]} --help" in line


def test_serve_on_a_busy_port_says_so_and_suggests_another(tmp_path, capsys, monkeypatch):
    import socket

    pytest.importorskip("uvicorn")
    import uvicorn

    db = tmp_path / "events.db"
    fill(db).close()
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: pytest.fail("must not start"))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--db", str(db), "--port", str(port)]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert f"port {port} on 127.0.0.1 is already in use" in line and "--port" in line


def test_head_on_the_explorer_page_answers_like_get(tmp_path):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from lapwing.api_http import create_app

    db = tmp_path / "events.db"
    fill(db).close()
    client = TestClient(create_app(str(db)))
    got, head = client.get("/"), client.head("/")
    assert head.status_code == got.status_code != 405 and head.content == b""


# -- 8b. one --format convention; one --workers meaning ----------------------------------------------

def test_every_report_command_takes_format_text_json_and_the_old_spellings(no_engine, tmp_path, capsys):
    db = tmp_path / "events.db"
    fill(db).close()

    def out(*args):
        assert main([*map(str, args)]) == 0, args
        return capsys.readouterr().out

    for command in (["events"], ["stats"], ["errors"], ["stories", "--no-update"]):
        assert out(*command, "--db", db) == out(*command, "--db", db, "--format", "text")
        json.loads(out(*command, "--db", db, "--format", "json"))  # one document
    for command in (["events"], ["errors"], ["stories", "--no-update"]):
        lines = out(*command, "--db", db, "--format", "jsonl").splitlines()
        assert all(isinstance(json.loads(line), dict) for line in lines)
    assert len(json.loads(out("events", "--db", db, "--format", "json"))) == 5
    assert out("events", "--db", db, "--format", "table") == out("events", "--db", db, "--format", "TEXT")
    assert out("stats", "--db", db, "--json") == out("stats", "--db", db, "--format", "json")
    assert out("stories", "--db", db, "--json") == out("stories", "--db", db, "--format", "jsonl")
    assert main(["stats", "--db", str(db), "--format", "jsonl"]) == 2
    assert "unknown --format 'jsonl'; use one of: text, json" in capsys.readouterr().err
    paths = write_texts(tmp_path, 2)
    assert out("extract", *paths, "--format", "table") == out("extract", *paths)


def test_workers_mean_the_same_everywhere_and_default_to_every_core():
    from lapwing.cli import _parser

    parser = _parser()
    for command in (["extract", "a.txt"], ["eval", "gold.json"], ["ingest", "a.txt"], ["recode", "--db", "e.db"]):
        assert parser.parse_args(command).workers == 0, command
        assert parser.parse_args([*command, "--workers", "3"]).workers == 3
        assert "0 = one per core (default)" in parser.commands[command[0]].format_help()


def test_extract_many_never_starts_more_processes_than_articles(no_engine, monkeypatch):
    import lapwing.api as api
    from lapwing import extract_many

    pools = []

    class Pool:
        def __init__(self, max_workers, **kwargs):
            pools.append(max_workers)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def map(self, fn, items, chunksize=1):
            return map(lambda a: api.Doc(a), items)

    monkeypatch.setattr(api, "ProcessPoolExecutor", Pool)
    assert len(list(extract_many(["One article."], workers=0))) == 1 and pools == []  # coded here, no pool
    assert len(list(extract_many(["a", "b", "c"], workers=8))) == 3 and pools == [3]
    assert [d.text for d in extract_many(["a", "b", "c", "d"], workers=2)] == ["a", "b", "c", "d"] and pools[-1] == 2
