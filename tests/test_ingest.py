"""Ingest, recode and errors: idempotent, resumable after a kill, one writer, clear faults."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lapwing import cli
from lapwing.doc import Doc
from lapwing.errors import StoreError
from lapwing.io.collections import ReadOptions
from lapwing.records import Article, Event, Span, event_id, text_id
from lapwing.store import LATEST, Store
from lapwing.store import ingest as ingest_module
from lapwing.store.ingest import LogProgress, Tally, describe, ingest, progress_for, recode, recode_count

TESTS = Path(__file__).resolve().parent
TRIGGERS = {"clashed": ("ASSAULT", 4), "met": ("CONSULT", 1), "protested": ("PROTEST", 4)}
WORD = re.compile(r"\b(clashed|met|protested)\b")


def fake_doc(article: Article, version: str = "fake") -> Doc:
    """A coded Doc without a model: one event per trigger word, ids as the engine makes them."""
    events = []
    for match in WORD.finditer(article.text):
        event_type, quad = TRIGGERS[match.group(1)]
        span = Span(match.group(1), match.start(), match.end())
        events.append(Event(
            id=event_id(article.id, event_type, match.start(), version), article_id=article.id,
            event_type=event_type, mode=None, quad=quad, intensity=-1.0, contexts=(), modality="asserted",
            actors=(), recipients=(), trigger=span, evidence=span, confidence=0.5,
        ))
    return Doc(article, events=tuple(events))


class FakeEngine:
    """Codes like the real engine's interface; remembers what it coded; can fail or be slow."""

    def __init__(self, version: str = "fake", fail_on: str | None = None, delay: float = 0.0) -> None:
        self.version, self.fail_on, self.delay = version, fail_on, delay
        self.coded: list[str] = []

    def __call__(self, articles):
        for article in articles:
            if self.fail_on and self.fail_on in article.text:
                raise ValueError("a bug in a stage")
            if self.delay:
                time.sleep(self.delay)
            self.coded.append(article.id)
            yield fake_doc(article, self.version)


def corpus(folder: Path, n: int = 30) -> Path:
    """A small generated collection: JSONL with ids, loose text files and a CSV."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "wire.jsonl").open("w", encoding="utf-8") as handle:
        for i in range(n):
            text = f"Story {i}: crowds protested in town {i}, police clashed with them, and leaders met at {i} pm."
            handle.write(json.dumps({"id": f"w{i}", "text": text, "published": "2024-05-01"}) + "\n")
    for i in range(3):
        (folder / f"note{i}.txt").write_text(f"Note {i}: the two envoys met again on day {i}.", encoding="utf-8")
    (folder / "sheet.csv").write_text("id,body\ns1,Students protested and met the dean.\n", encoding="utf-8")
    return folder


def snapshot(path: Path) -> dict:
    """What a store holds, comparable across runs: articles with their ordered event records."""
    db = sqlite3.connect(path)
    try:
        articles = dict(db.execute("SELECT id, text_hash FROM articles"))
        events: dict[str, list] = {a: [] for a in articles}
        for article_id, record in db.execute("SELECT article_id, record FROM events ORDER BY article_id, id"):
            events[article_id].append(json.loads(record))
        actors = db.execute("SELECT COUNT(*) FROM event_actors").fetchone()[0]
        return {"articles": articles, "events": events, "actors": actors}
    finally:
        db.close()


def run_ingest(path: Path, sources, engine=None, **kwargs) -> Tally:
    with Store.open(path) as store:
        return ingest(store, [str(s) for s in sources], code=engine or FakeEngine(),
                      read=kwargs.pop("read", ReadOptions(text_column="body")), **kwargs)


def use_fake_engine(monkeypatch, engine: FakeEngine) -> None:
    monkeypatch.setattr(ingest_module, "engine", lambda options=None, workers=0: engine)


# --- idempotent, incremental ---------------------------------------------------------------------------


def test_ingest_codes_each_article_once_and_a_second_run_skips_them_all(tmp_path):
    data = corpus(tmp_path / "news", n=5)
    engine = FakeEngine()
    first = run_ingest(tmp_path / "e.db", [data], engine)
    assert (first.coded, first.skipped, first.errors) == (9, 0, 0)
    assert first.events == 5 * 3 + 3 + 2
    again = FakeEngine()
    second = run_ingest(tmp_path / "e.db", [data], again)
    assert (second.coded, second.skipped) == (0, 9) and again.coded == []
    with Store.open(tmp_path / "e.db") as store:
        assert store.counts() == {"articles": 9, "events": 20, "errors": 0}
        row = store.db.execute("SELECT origin, engine_version, published FROM articles WHERE id = 'w0'").fetchone()
        assert row["origin"].endswith("wire.jsonl") and row["published"] == "2024-05-01"


def test_record_ids_are_kept_and_texts_without_one_get_their_hash(tmp_path):
    data = corpus(tmp_path / "news", n=2)
    run_ingest(tmp_path / "e.db", [data])
    with Store.open(tmp_path / "e.db") as store:
        ids = {row[0] for row in store.db.execute("SELECT id FROM articles")}
    assert {"w0", "w1", "s1", text_id("Note 0: the two envoys met again on day 0.")} <= ids


def test_tomorrow_only_the_new_articles_are_coded_and_repeats_within_a_run_once(tmp_path):
    data = corpus(tmp_path / "news", n=3)
    run_ingest(tmp_path / "e.db", [data])
    more = tmp_path / "more.jsonl"
    more.write_text(
        json.dumps({"id": "w1", "text": "Story 1 again, already stored."}) + "\n"
        + json.dumps({"id": "n1", "text": "Farmers protested."}) + "\n"
        + json.dumps({"id": "n1", "text": "Farmers protested."}) + "\n",
        encoding="utf-8",
    )
    engine = FakeEngine()
    tally = run_ingest(tmp_path / "e.db", [more], engine)
    assert engine.coded == ["n1"] and (tally.coded, tally.skipped) == (1, 2)


def test_chunks_smaller_than_the_collection_give_the_same_store(tmp_path):
    data = corpus(tmp_path / "news", n=12)
    run_ingest(tmp_path / "one.db", [data])
    run_ingest(tmp_path / "chunked.db", [data], chunk_size=5)
    assert snapshot(tmp_path / "one.db") == snapshot(tmp_path / "chunked.db")


# --- errors ---------------------------------------------------------------------------------------


def test_unreadable_inputs_are_recorded_once_reported_and_the_rest_is_coded(tmp_path):
    data = corpus(tmp_path / "news", n=2)
    (data / "broken.jsonl").write_text('{"id": "b1", "text": "Troops met."}\n{"id": "b2", "te', encoding="utf-8")
    lines = []

    class Collect(LogProgress):
        def error(self, message):
            lines.append(message)

    for _ in range(2):  # the second run meets the same bad line: reported again, stored once
        tally = run_ingest(tmp_path / "e.db", [data, tmp_path / "absent"], progress=Collect(io.StringIO(), None, "ingest"))
        assert tally.errors == 2
    with Store.open(tmp_path / "e.db") as store:
        errors = [(row["source"], row["message"]) for row in store.errors()]
        assert store.known(["b1"]) == {"b1"}
    # A path naming nothing is reported on every run but never remembered: it is a typo, not an input.
    assert len(errors) == 1
    assert errors[0][0].endswith("broken.jsonl:2") and "not valid JSON" in errors[0][1]
    assert len(lines) == 4 and lines[0].startswith("lapwing: error: ") and "broken.jsonl:2" in lines[0]
    assert lines[1].endswith("absent: no such file or folder: check the path (use - to read standard input)")


def test_an_article_that_breaks_the_engine_is_recorded_and_the_others_are_stored(tmp_path):
    data = corpus(tmp_path / "news", n=4)
    tally = run_ingest(tmp_path / "e.db", [data], FakeEngine(fail_on="Story 2:"))
    assert (tally.coded, tally.errors) == (7, 1)
    with Store.open(tmp_path / "e.db") as store:
        (error,) = store.errors()
        assert "(article w2)" in error["source"] and "ValueError: a bug in a stage" in error["message"]
        assert "w2" not in store.known(["w2", "w3"])
    # The failed article is not marked stored: a later run (with the bug fixed) codes it.
    engine = FakeEngine()
    run_ingest(tmp_path / "e.db", [data], engine)
    assert engine.coded == ["w2"]


def test_the_cli_prints_errors_one_line_each_and_exits_1(tmp_path, capsys, monkeypatch):
    data = corpus(tmp_path / "news", n=2)
    use_fake_engine(monkeypatch, FakeEngine())
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "b1", "te\n', encoding="utf-8")
    code = cli.main(["ingest", str(data), str(broken), "--db", str(tmp_path / "e.db"), "--text-column", "body"])
    captured = capsys.readouterr()
    assert code == 1
    assert f"lapwing: error: {broken}:1: " in captured.err
    assert "6 article(s) coded" in captured.out and "1 error(s)" in captured.out
    assert cli.main(["errors", "--db", str(tmp_path / "e.db")]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    at, source, message = line.split("\t")
    assert at[:4].isdigit() and source == f"{broken}:1" and "not valid JSON" in message


def test_a_mistyped_path_refuses_the_run_and_leaves_the_store_unchanged(tmp_path, capsys, monkeypatch):
    data = corpus(tmp_path / "news", n=2)
    use_fake_engine(monkeypatch, FakeEngine())
    db = tmp_path / "e.db"
    for store_exists in (False, True):
        before = db.read_bytes() if store_exists else None
        code = cli.main(["ingest", str(data), str(tmp_path / "absent.txt"), "--db", str(db)])
        (line,) = capsys.readouterr().err.splitlines()
        assert code == 2 and str(tmp_path / "absent.txt") in line and "check the path" in line
        assert (db.read_bytes() if store_exists else db.exists()) == (before if store_exists else False)
        if not store_exists:
            Store.open(db).close()
    assert cli.main(["ingest", str(tmp_path / "nope" / "*.txt"), "--db", str(db)]) == 2
    assert "no file matches this pattern" in capsys.readouterr().err


def test_errors_on_a_store_that_does_not_exist_is_a_usage_error(tmp_path, capsys):
    assert cli.main(["errors", "--db", str(tmp_path / "none.db")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()


# --- faults ---------------------------------------------------------------------------------------


def test_a_full_disk_stops_the_run_with_a_clear_message_and_stored_articles_survive(tmp_path, monkeypatch, capsys):
    data = corpus(tmp_path / "news", n=6)
    use_fake_engine(monkeypatch, FakeEngine())
    real = Store._insert_event
    calls = {"n": 0}

    def filling_up(self, event):
        calls["n"] += 1
        if calls["n"] > 12:  # the disk fills during the fifth article
            raise sqlite3.OperationalError("database or disk is full")
        real(self, event)

    monkeypatch.setattr(Store, "_insert_event", filling_up)
    code = cli.main(["ingest", str(data / "wire.jsonl"), "--db", str(tmp_path / "e.db"), "--workers", "1"])
    assert code == 2
    err = capsys.readouterr().err
    assert "lapwing: error:" in err and "the disk is full" in err and "nothing stored was lost" in err
    monkeypatch.setattr(Store, "_insert_event", real)
    stored = snapshot(tmp_path / "e.db")
    assert len(stored["articles"]) == 4 and all(len(events) == 3 for events in stored["events"].values())


def test_a_locked_store_exits_2_with_a_clear_message_and_loses_nothing(tmp_path, monkeypatch, capsys):
    data = corpus(tmp_path / "news", n=2)
    run_ingest(tmp_path / "e.db", [data])
    before = snapshot(tmp_path / "e.db")
    more = tmp_path / "more.jsonl"
    more.write_text(json.dumps({"id": "x", "text": "Rebels clashed with troops."}) + "\n", encoding="utf-8")
    use_fake_engine(monkeypatch, FakeEngine())
    other = sqlite3.connect(tmp_path / "e.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer
    try:
        code = cli.main(["ingest", str(more), "--db", str(tmp_path / "e.db"), "--lock-timeout", "0.1"])
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert code == 2
    err = capsys.readouterr().err
    assert "lapwing: error:" in err and "locked by another writer" in err
    assert snapshot(tmp_path / "e.db") == before


def test_a_store_from_a_newer_lapwing_is_refused_untouched(tmp_path, monkeypatch, capsys):
    path = tmp_path / "e.db"
    Store.open(path).close()
    db = sqlite3.connect(path)
    db.execute("INSERT INTO schema_migrations VALUES (?, 'future', 'later')", (LATEST + 1,))
    db.commit()
    db.close()
    before = path.read_bytes()
    use_fake_engine(monkeypatch, FakeEngine())
    data = corpus(tmp_path / "news", n=1)
    assert cli.main(["ingest", str(data), "--db", str(path)]) == 2
    assert "written by a newer Lapwing" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_bad_options_are_usage_errors(tmp_path, capsys):
    assert cli.main(["ingest", "x.txt", "--db", str(tmp_path / "e.db"), "--workers", "-1"]) == 2
    assert "--workers -1 is negative" in capsys.readouterr().err
    assert cli.main(["ingest", "x.txt", "--db", str(tmp_path / "e.db"), "--published", "yesterday"]) == 2
    assert "cannot read publication date" in capsys.readouterr().err


# --- killed and resumed ---------------------------------------------------------------------------

KILLABLE = """
import sys
sys.path.insert(0, {tests!r})
from test_ingest import FakeEngine
from lapwing import cli
from lapwing.store import ingest
engine = FakeEngine(delay={delay})
ingest.engine = lambda options=None, workers=0: engine
sys.exit(cli.main(sys.argv[1:]))
"""


def start_ingest(data: Path, db: Path, delay: float) -> subprocess.Popen:
    script = KILLABLE.format(tests=str(TESTS), delay=delay)
    args = [sys.executable, "-c", script, "ingest", str(data), "--db", str(db), "--text-column", "body"]
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def stored_count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    except sqlite3.OperationalError:
        return 0  # not created yet


def test_killed_mid_run_the_store_is_whole_and_a_second_run_finishes_it_exactly(tmp_path):
    data = corpus(tmp_path / "news", n=40)
    reference = tmp_path / "reference.db"
    run_ingest(reference, [data])
    expected = snapshot(reference)

    db = tmp_path / "e.db"
    process = start_ingest(data, db, delay=0.03)
    deadline = time.monotonic() + 30
    while stored_count(db) < 8 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL, "the run ended before it could be killed: raise the delay"

    partial = snapshot(db)
    assert 8 <= len(partial["articles"]) < len(expected["articles"])
    for article_id, events in partial["events"].items():
        assert events == expected["events"][article_id]  # every stored article has all its events

    process = start_ingest(data, db, delay=0.0)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err.decode()
    assert f"{len(partial['articles'])} already stored" in out.decode()
    assert snapshot(db) == expected


# --- recode ---------------------------------------------------------------------------------------


def test_recode_replaces_articles_of_another_engine_version_once(tmp_path):
    data = corpus(tmp_path / "news", n=3)
    run_ingest(tmp_path / "e.db", [data], FakeEngine("old"), engine_version="old")
    with Store.open(tmp_path / "e.db") as store:
        assert recode_count(store, engine_version="new") == 7
        engine = FakeEngine("new")
        tally = recode(store, code=engine, engine_version="new", chunk_size=2)
        assert tally.coded == 7 and sorted(engine.coded) == sorted(store.known(engine.coded))
        versions = {row[0] for row in store.db.execute("SELECT engine_version FROM articles")}
        assert versions == {"new"}
        assert store.counts()["events"] == 3 * 3 + 3 + 2
        row = store.db.execute("SELECT origin, published FROM articles WHERE id = 'w0'").fetchone()
        assert row["origin"].endswith("wire.jsonl") and row["published"] == "2024-05-01"
        again = FakeEngine("new")
        assert recode(store, code=again, engine_version="new").coded == 0 and again.coded == []
    fresh = tmp_path / "fresh.db"
    run_ingest(fresh, [data], FakeEngine("new"), engine_version="new")
    assert snapshot(tmp_path / "e.db")["events"] == snapshot(fresh)["events"]


def test_recode_all_interrupted_resumes_where_it_stopped(tmp_path):
    data = corpus(tmp_path / "news", n=6)
    run_ingest(tmp_path / "e.db", [data])

    class Interrupted(FakeEngine):
        def __call__(self, articles):
            for doc in super().__call__(articles):
                if len(self.coded) > 4:
                    raise KeyboardInterrupt  # Ctrl-C after four articles were written
                yield doc

    first = Interrupted()
    with Store.open(tmp_path / "e.db") as store, pytest.raises(KeyboardInterrupt):
        recode(store, everything=True, code=first)
    second = FakeEngine()
    with Store.open(tmp_path / "e.db") as store:
        assert recode_count(store, everything=True) == 10 - 4
        tally = recode(store, everything=True, code=second)
        assert store.db.execute("SELECT COUNT(*) FROM meta").fetchone()[0] == 0  # the mark is gone when done
    written = first.coded[:4]  # the fifth was coded but never written
    assert tally.coded == 6 and set(written).isdisjoint(second.coded) and len(set(written) | set(second.coded)) == 10
    assert snapshot(tmp_path / "e.db") == snapshot_of_fresh(tmp_path, data)


def snapshot_of_fresh(tmp_path: Path, data: Path) -> dict:
    path = tmp_path / "fresh.db"
    run_ingest(path, [data])
    return snapshot(path)


def test_recode_cli_on_a_missing_store_is_a_usage_error(tmp_path, capsys):
    assert cli.main(["recode", "--db", str(tmp_path / "none.db")]) == 2
    assert "does not exist" in capsys.readouterr().err


# --- progress -------------------------------------------------------------------------------------


def test_log_progress_prints_plain_lines_every_n_items_and_a_last_one():
    stream = io.StringIO()
    progress = LogProgress(stream, 10, "ingest", every=4, seconds=3600)
    tally = Tally(total=10)
    for _ in range(9):
        tally.coded += 1
        tally.events += 2
        progress.update(tally)
    progress.close(tally)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 3 and lines[0].startswith("lapwing: ingest: 4 coded, 0 already stored, 0 error(s); 8 events")
    assert lines[1].startswith("lapwing: ingest: 8 coded") and lines[2].startswith("lapwing: ingest: 9 coded")
    assert "left" in lines[0]


def test_a_terminal_gets_a_bar_and_a_pipe_gets_lines():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    bar = progress_for(terminal, 5, "ingest")
    tally = Tally(total=5, coded=2, events=7, errors=1)
    bar.update(tally)
    bar.error("lapwing: error: x.txt: broken")
    bar.close(tally)
    shown = terminal.getvalue()
    assert "3/5" in shown and "events=7" in shown and "errors=1" in shown and "lapwing: error: x.txt" in shown
    assert isinstance(progress_for(io.StringIO(), 5, "ingest"), LogProgress)
    assert "about" in describe(Tally(total=5, coded=2)) and "about" not in describe(Tally(coded=2))


# --- the real engine --------------------------------------------------------------------------------


@pytest.mark.model
def test_the_real_engine_ingests_and_stores_what_extract_returns(tmp_path, capsys):
    import lapwing

    texts = [
        "Police clashed with protesters in the capital on Monday, officials said.",
        "The foreign ministers of France and Germany met in Paris on Tuesday.",
        "Rebels attacked an army convoy near the border, killing three soldiers.",
    ]
    path = tmp_path / "wire.jsonl"
    path.write_text("".join(json.dumps({"id": f"r{i}", "text": t}) + "\n" for i, t in enumerate(texts)), "utf-8")
    db = tmp_path / "e.db"
    assert cli.main(["ingest", str(path), "--db", str(db), "--workers", "2", "--published", "2024-05-06"]) == 0
    assert "3 article(s) coded" in capsys.readouterr().out
    with Store.open(db) as store:
        stored = {r["id"]: r for r in store.event_records()}
        expected = {
            e.id: e.to_dict()
            for i, t in enumerate(texts)
            for e in lapwing.extract(t, "2024-05-06", id=f"r{i}").events
        }
        assert stored == expected and len(expected) >= 2
        versions = {row[0] for row in store.db.execute("SELECT engine_version FROM articles")}
        assert versions == {lapwing.ENGINE_VERSION}


def test_store_errors_raised_by_record_error_are_store_errors(tmp_path):
    path = tmp_path / "e.db"
    Store.open(path).close()
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")  # unreadable, so ingest records an error
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with Store.open(path, timeout=0.05) as store, pytest.raises(StoreError, match="locked by another writer"):
            ingest(store, [str(tmp_path / "empty.txt")], code=FakeEngine())
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_engine_dask_needs_out_and_local_needs_db(tmp_path, capsys):
    assert cli.main(["ingest", "x.txt", "--engine", "dask"]) == 2
    assert "give --out DIR" in capsys.readouterr().err
    assert cli.main(["ingest", "x.txt"]) == 2
    assert "give the event store with --db FILE" in capsys.readouterr().err


def test_engine_dask_hands_the_inputs_and_reading_options_to_the_cluster_runner(tmp_path, capsys, monkeypatch):
    from lapwing import distributed

    seen = {}

    def fake_run_dask(inputs, out, **kwargs):
        seen.update(kwargs, inputs=inputs, out=out)
        return distributed.DaskRunResult(out, 2, 5, 9, (("bad.txt", "text is empty"),), 1.0)

    monkeypatch.setattr(distributed, "run_dask", fake_run_dask)
    code = cli.main(["ingest", "news/", "--engine", "dask", "--out", str(tmp_path / "out"), "--text-column", "body",
                     "--workers", "2"])
    captured = capsys.readouterr()
    assert code == 1 and "lapwing: error: bad.txt: text is empty" in captured.err
    assert "5 article(s) coded (9 events) in 2 partition(s)" in captured.out
    assert seen["inputs"] == ["news/"] and seen["text_column"] == "body" and seen["workers"] == 2


def test_an_engine_that_cannot_start_stops_the_run_instead_of_blaming_each_article(tmp_path):
    from lapwing.errors import ModelError

    def no_model(articles):
        raise ModelError("spaCy pipeline 'xx_missing' is not installed: install it")
        yield  # pragma: no cover - makes this a generator like the real engine

    data = corpus(tmp_path / "news", n=2)
    with Store.open(tmp_path / "e.db") as store, pytest.raises(ModelError, match="xx_missing"):
        ingest(store, [str(data / "wire.jsonl")], code=no_model)
    with Store.open(tmp_path / "e.db") as store:
        assert store.counts() == {"articles": 0, "events": 0, "errors": 0}
