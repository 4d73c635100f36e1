"""Exports: Parquet, CSV, JSON Lines and POLECAT's layout, with filters, stories, and in batches."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sys

import pytest
from test_query import sample_store

from lapwing.cli import main
from lapwing.errors import InputError
from lapwing.store import export as export_module
from lapwing.store.export import POLECAT_COLUMNS, export, export_events
from lapwing.store.query import EventFilter, query_events


def arrow():
    """pyarrow and pyarrow.parquet, or skip: Parquet is the optional `export` extra."""
    return pytest.importorskip("pyarrow"), pytest.importorskip("pyarrow.parquet")


@pytest.fixture()
def store():
    s = sample_store()
    yield s
    s.close()


def add_stories(store):
    """Two stories over the sample events, written as the stories engine writes its tables."""
    ids = {r["trigger"]["text"] + r["actors"][0]["name"]: r["id"] for r in query_events(store)}
    fighting, talks = ids["attackedIsrael"], ids["metEgypt"]
    store.db.executemany(
        "INSERT INTO stories (id, representative_event_id, event_type, first_date, last_date, earliest_report, "
        "sources, articles, events, quantities, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'now', 'now')",
        [(1, fighting, "ASSAULT", "2024-04-28", "2024-04-28", None, 2, 2, 2, '{"killed": {"min": 7, "max": 7}}'),
         (2, talks, "CONSULT", "2024-04-01", "2024-04-30", None, 1, 1, 1, "{}")],
    )
    store.db.executemany(
        "INSERT INTO story_events (story_id, event_id, score, reasons) VALUES (?, ?, ?, '{}')",
        [(1, fighting, None), (1, ids["attackedHamas"], 0.8), (2, talks, None)],
    )
    return ids


def test_parquet_reads_back_with_typed_flat_columns(store, tmp_path):
    pa, pq = arrow()
    result = export(store, EventFilter(), "parquet", tmp_path / "out")
    assert result.files[0] == tmp_path / "out" / "events.parquet" and result.events == 5
    assert "no stories yet" in result.note
    table = pq.read_table(result.files[0])
    assert table.num_rows == 5
    rows = {r["trigger"]: r for r in table.to_pylist() if r["actor_names"] == ["Israel"]}
    strike = rows["attacked"]
    assert strike["event_type"] == "ASSAULT" and strike["quad"] == 4 and strike["killed"] == 7.0
    assert strike["recipient_countries"] == ["PSE"] and strike["place"] == "Rafah" and strike["lat"] == 31.29
    assert strike["date_first"] == dt.date(2024, 4, 28) and strike["source"] == "VOA"
    assert table.schema.field("date_first").type == pa.date32()
    assert table.schema.field("actor_countries").type == pa.list_(pa.string())


def test_csv_has_flat_columns_with_lists_joined(store, tmp_path):
    export_events(store, EventFilter(event_type="ASSAULT"), "csv", tmp_path)
    with open(tmp_path / "events.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 2  # the filter applies
    strike = next(r for r in rows if r["actor_names"] == "Israel")
    assert strike["actor_countries"] == "ISR" and strike["recipient_names"] == "Hamas"
    assert strike["killed"] == "7" and strike["injured"] == "" and strike["date"] == "2024-04-28"


def test_csv_joins_several_actors_with_semicolons(store, tmp_path):
    from dataclasses import replace

    from test_query import sample_docs

    from lapwing.records import Actor

    doc = sample_docs()[0]
    event = doc.events[0]
    two = replace(event, actors=event.actors + (Actor("Egypt", "Egypt", "EGY", None, 0, 1),))
    store.write(doc.replace(events=(two,)), engine_version="test")
    export_events(store, EventFilter(place="Rafah"), "csv", tmp_path)
    with open(tmp_path / "events.csv", encoding="utf-8", newline="") as f:
        (row,) = list(csv.DictReader(f))
    assert row["actor_names"] == "Israel;Egypt" and row["actor_countries"] == "ISR;EGY"
    assert row["actor_sectors"] == "MIL;"  # aligned with the names, empty where unknown


def test_jsonl_is_the_event_contract_plus_the_story_and_article_columns(store, tmp_path):
    export_events(store, EventFilter(), "jsonl", tmp_path)
    lines = [json.loads(line) for line in (tmp_path / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    extra = ("story_id", "source", "published", "title", "url")
    assert [{k: v for k, v in r.items() if k not in extra} for r in lines] == list(query_events(store))
    assert all(set(extra) <= set(r) for r in lines)
    add_stories(store)
    export_events(store, EventFilter(), "jsonl", tmp_path / "again")
    export_events(store, EventFilter(), "csv", tmp_path / "csv")
    lines = [json.loads(line) for line in (tmp_path / "again" / "events.jsonl").read_text(encoding="utf-8").splitlines()]
    with open(tmp_path / "csv" / "events.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    as_text = lambda v: "" if v is None else str(v)  # noqa: E731
    assert [{k: as_text(r[k]) for k in extra} for r in lines] == [{k: r[k] for k in extra} for r in rows]
    assert {r["story_id"] for r in lines} == {1, 2, None} and any(r["title"] for r in lines)


def test_polecat_layout_has_polecat_columns_and_values(store, tmp_path):
    export_events(store, EventFilter(), "polecat", tmp_path)
    with open(tmp_path / "events.txt", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t")
        rows = list(reader)
    for name in ("Event ID", "Event Date", "Event Type", "Event Mode", "Quad Code", "Contexts", "Actor Name",
                 "Actor Country", "Primary Actor Sector", "Recipient Name", "Recipient Country",
                 "Primary Recipient Sector", "Placename", "Country", "Latitude", "Longitude", "GeoNames ID",
                 "Source", "Publication Date", "Story ID", "Headline", "Event Text", "Feed"):
        assert name in reader.fieldnames
    assert tuple(reader.fieldnames) == POLECAT_COLUMNS
    strike = next(r for r in rows if r["Placename"] == "Rafah")
    assert strike["Quad Code"] == "MATERIAL CONFLICT" and strike["Event Type"] == "ASSAULT"
    assert strike["Actor Country"] == "ISR" and strike["Primary Actor Sector"] == "MIL"
    assert strike["Country"] == "PSE" and strike["Event Date"] == "2024-04-28" and strike["Headline"] == "Strikes on Rafah"
    assert strike["Event Text"] == "Israel attacked Hamas overnight" and strike["Feed"] == "None"
    talks = next(r for r in rows if r["Placename"] == "Cairo")
    # POLECAT dates are days: a month-dated event gives its first day and says how precise it is.
    assert talks["Event Date"] == "2024-04-01" and talks["Date Precision"] == "month"
    assert talks["Quad Code"] == "VERBAL COOPERATION"


def test_stories_are_exported_when_the_store_has_them_and_follow_the_filter(store, tmp_path):
    pq = arrow()[1]
    ids = add_stories(store)
    result = export(store, EventFilter(), "parquet", tmp_path)
    assert result.files[1] == tmp_path / "stories.parquet" and result.stories == 2 and result.note is None
    stories = {r["id"]: r for r in pq.read_table(tmp_path / "stories.parquet").to_pylist()}
    assert sorted(stories[1]["event_ids"]) == sorted([ids["attackedIsrael"], ids["attackedHamas"]])
    assert stories[1]["sources"] == 2 and stories[2]["event_type"] == "CONSULT"
    events = {r["id"]: r["story_id"] for r in pq.read_table(tmp_path / "events.parquet").to_pylist()}
    assert events[ids["metEgypt"]] == 2 and events[ids["condemnedIsrael"]] is None
    filtered = export(store, EventFilter(event_type="CONSULT"), "jsonl", tmp_path / "talks")
    (line,) = (tmp_path / "talks" / "stories.jsonl").read_text(encoding="utf-8").splitlines()
    assert filtered.stories == 1 and json.loads(line)["event_ids"] == [ids["metEgypt"]]
    everything = export(store, EventFilter(), "jsonl", tmp_path / "all")
    first = json.loads((tmp_path / "all" / "stories.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert everything.stories == 2 and first["quantities"] == {"killed": {"min": 7, "max": 7}}


def test_a_store_without_stories_tables_exports_events_only(store, tmp_path):
    store.db.executescript("DROP TABLE story_events; DROP TABLE stories;")
    result = export(store, EventFilter(), "csv", tmp_path)
    assert result.files == (tmp_path / "events.csv",) and result.stories is None
    assert "exported events only" in result.note and not (tmp_path / "stories.csv").exists()


def test_polecat_stories_are_tab_separated_flat_rows(store, tmp_path):
    add_stories(store)
    export(store, EventFilter(), "polecat", tmp_path)
    with open(tmp_path / "stories.txt", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    assert [r["id"] for r in rows] == ["1", "2"] and "; " in rows[0]["event_ids"]
    assert rows[0]["earliest_report"] == "None"


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl", "polecat"])
def test_exports_stream_in_batches(store, tmp_path, monkeypatch, fmt):
    pq = arrow()[1] if fmt == "parquet" else None
    monkeypatch.setattr(export_module, "BATCH_SIZE", 2)
    batches = []
    real_stream = export_module._stream

    def counting(path, items, open_sink):
        assert not isinstance(items, (list, tuple))  # a lazy iterator, never a full list

        def spy(p):
            sink = open_sink(p)
            write = sink.write
            sink.write = lambda batch: (batches.append(len(batch)), write(batch))
            return sink

        return real_stream(path, items, spy)

    monkeypatch.setattr(export_module, "_stream", counting)
    result = export(store, EventFilter(), fmt, tmp_path)
    assert batches == [2, 2, 1] and result.events == 5
    if fmt == "parquet":
        assert pq.ParquetFile(result.files[0]).metadata.num_row_groups == 3


def test_bad_format_and_a_file_as_folder_are_refused(store, tmp_path):
    with pytest.raises(InputError, match="unknown export format 'xlsx'"):
        export(store, EventFilter(), "xlsx", tmp_path)
    (tmp_path / "taken").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="is a file"):
        export(store, EventFilter(), "csv", tmp_path / "taken")


def test_parquet_without_pyarrow_says_how_to_get_it(store, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(InputError, match=r"lapwing\[export\]"):
        export(store, EventFilter(), "parquet", tmp_path)


def test_export_command_writes_the_folder_and_notes_missing_stories(tmp_path, capsys):
    pq = arrow()[1]
    db = tmp_path / "events.db"
    sample_store(db).close()
    out = tmp_path / "out"
    assert main(["export", "--db", str(db), "--format", "parquet", str(out), "--actor", "ISR"]) == 0
    captured = capsys.readouterr()
    assert "wrote 2 events, 0 stories" in captured.out and "no stories yet" in captured.err
    assert pq.read_table(out / "events.parquet").num_rows == 2
