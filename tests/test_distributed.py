"""`--engine dask` and `lapwing load`: partitioning, the Parquet layout, and a real two-worker cluster.

The cluster tests are SLOWER (about 15 s on 2 cores): they start a Dask LocalCluster of two worker
processes, each loading the spaCy model, and compare with a single-machine run. They are marked
`model` and skip when the `dask` extra (dask[distributed], pyarrow) is not installed.
"""

from __future__ import annotations

import datetime as dt
import json
import sys

import pytest
from builders import hand_doc

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

from lapwing.api import EngineOptions, extract_many
from lapwing.distributed import (
    MANIFEST,
    Partition,
    _read_rows,
    event_row,
    event_table,
    load,
    plan,
    run_dask,
)
from lapwing.errors import InputError, LapwingError
from lapwing.io.collections import ReadOptions, read_collection
from lapwing.records import Article
from lapwing.stages.events import EventFinder
from lapwing.store import Store

PUBLISHED = dt.date(2024, 4, 28)
# Short articles written for this test; the last two come as Parquet rows with their own ids.
FILES = {
    "a.txt": "Israeli troops attacked a checkpoint near Rafah on Sunday, killing seven people, officials said.\n",
    "b.txt": "The foreign ministers of Egypt and Jordan met in Cairo on Tuesday to discuss the ceasefire.\n",
    "c.jsonl": json.dumps({"id": "c1", "text": "Kenya will send 400 police officers to Haiti next month, "
                           "the government said.", "published": "2024-05-02"}) + "\n",
    "d.csv": "id,title,text\nd1,Aid,\"The United Nations delivered food aid to Gaza on Monday.\"\n",
}
ROWS = [
    {"id": "p1", "text": "Protesters marched through Nairobi on Thursday demanding lower taxes.",
     "published": dt.date(2024, 6, 20), "title": "Tax protest"},
    {"id": "p2", "text": "Russia and Ukraine exchanged 90 prisoners of war on Friday, Kyiv said.",
     "published": dt.date(2024, 6, 21), "title": None},
]


def write_corpus(root):
    news = root / "news"
    news.mkdir()
    for name, text in FILES.items():
        (news / name).write_text(text, encoding="utf-8")
    table = pa.Table.from_pylist(ROWS)
    pq.write_table(table, root / "rows.parquet", row_group_size=1)  # two row groups: two partitions
    return [str(news), str(root / "rows.parquet")]


# -- fast: no cluster, no model ------------------------------------------------------------------------


def test_files_are_never_split_and_parquet_is_split_by_row_groups(tmp_path):
    inputs = write_corpus(tmp_path)
    partitions, problems = plan([*inputs, str(tmp_path / "absent")], slots=2)
    ((where, message),) = problems
    assert where == str(tmp_path / "absent") and message.startswith("no such file or folder")
    files = [p for p in partitions if p.kind == "files"]
    assert sorted(path for p in files for path in p.paths) == sorted(str(tmp_path / "news" / n) for n in FILES)
    assert [(p.row_groups, p.first_row) for p in partitions if p.kind == "parquet"] == [((0,), 0), ((1,), 1)]
    assert [p.index for p in partitions] == list(range(len(partitions)))


def test_parquet_rows_become_articles_with_their_metadata(tmp_path):
    pq.write_table(pa.Table.from_pylist(ROWS), tmp_path / "in.parquet")
    first, second = _read_rows(Partition(0, "parquet", (str(tmp_path / "in.parquet"),), (0,)), PUBLISHED, "text")
    assert (first.id, first.title, first.published) == ("p1", "Tax protest", dt.date(2024, 6, 20))
    assert second.id == "p2" and second.text == ROWS[1]["text"] and second.title is None
    # Numeric ids become strings, ISO strings are dates, and a row without a date gets the default.
    other = [{"id": 7, "text": "Troops left.\r\nThey went home.", "published": "2024-05-02T10:00:00Z"},
             {"id": 8, "text": "Talks began.", "published": None}, {"id": 9, "text": "  ", "published": None}]
    pq.write_table(pa.Table.from_pylist(other), tmp_path / "ids.parquet")
    part = Partition(0, "parquet", (str(tmp_path / "ids.parquet"),), (0,), first_row=10)
    numbered, undated, empty = _read_rows(part, PUBLISHED, "text")
    assert (numbered.id, numbered.published, numbered.text) == ("7", dt.date(2024, 5, 2), "Troops left.\nThey went home.")
    assert undated.published == PUBLISHED
    assert isinstance(empty, InputError) and empty.source.endswith("ids.parquet:row 12")


def test_a_parquet_file_without_the_text_column_is_named(tmp_path):
    pq.write_table(pa.Table.from_pylist([{"body": "x"}]), tmp_path / "in.parquet")
    (error,) = _read_rows(Partition(0, "parquet", (str(tmp_path / "in.parquet"),), (0,)), None, "text")
    assert isinstance(error, InputError) and "no 'text' column (columns: body)" in str(error)


def test_a_flattened_event_keeps_the_exact_contract_and_its_query_columns():
    doc = EventFinder(engine_version="test")(hand_doc(
        """
        Israel Israel PROPN NNP nsubj 2
        attacked attack VERB VBD ROOT 0
        Lebanon Lebanon PROPN NNP dobj 2
        """,
        mentions=[(1, 1, "ISR", "MIL"), (3, 3, "LBN", None)],
    ))
    (row,) = event_table([doc]).to_pylist()
    record = doc.events[0].to_dict()
    assert json.loads(row["record"]) == record
    assert row == event_row(record) | {"date_first": None, "date_last": None}
    assert (row["event_type"], row["trigger_start"], json.loads(row["actors"])[0]["country"]) == ("ASSAULT", 7, "ISR")


def test_load_refuses_a_folder_that_no_dask_run_wrote(tmp_path):
    with pytest.raises(InputError, match=f"has no {MANIFEST}"):
        load(tmp_path, Store.open(":memory:"))


def test_out_must_be_new_empty_or_an_earlier_output(tmp_path):
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    pytest.importorskip("distributed")
    with pytest.raises(InputError, match="not a Lapwing output folder"):
        run_dask([str(tmp_path)], tmp_path, scheduler=None, workers=1, options=EngineOptions())
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_without_dask_the_engine_says_which_extra_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "dask.distributed", None)  # import fails as if not installed
    with pytest.raises(LapwingError, match=r'pip install "lapwing\[dask\]"'):
        run_dask([str(tmp_path)], tmp_path / "out", scheduler=None, workers=1, options=EngineOptions())


# -- slower: a real two-worker LocalCluster and the spaCy model ----------------------------------------


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The corpus coded on a two-worker local cluster and on this machine alone."""
    pytest.importorskip("distributed")
    root = tmp_path_factory.mktemp("dask")
    inputs = write_corpus(root)
    result = run_dask(inputs, root / "events.parquet", scheduler=None, workers=2, options=EngineOptions(),
                      published=PUBLISHED)
    found = read_collection([inputs[0]], ReadOptions(published=PUBLISHED))
    articles = [a for _, a in found if isinstance(a, Article)]
    articles += [Article(text=r["text"], id=r["id"], title=r["title"], published=r["published"]) for r in ROWS]
    docs = list(extract_many(articles, options=EngineOptions()))
    return root, result, docs


@pytest.mark.model
def test_a_two_worker_cluster_codes_the_same_events_as_one_machine(runs):
    root, result, docs = runs
    assert result.partitions >= 4 and result.errors == ()
    assert (result.articles, result.events) == (len(docs), sum(len(d.events) for d in docs)) and result.events >= 4
    rows = pq.read_table(root / "events.parquet" / "events").to_pylist()
    got = {row["id"]: json.loads(row["record"]) for row in rows}
    expected = {e.id: e.to_dict() for d in docs for e in d.events}
    assert len(rows) == len(got) and got == expected
    articles = pq.read_table(root / "events.parquet" / "articles").to_pylist()
    assert sorted((a["id"], a["published"], a["text"]) for a in articles) == sorted(
        (d.article.id, d.article.published, d.article.text) for d in docs
    )


@pytest.mark.model
def test_load_fills_a_store_equal_to_a_direct_ingest_and_is_idempotent(runs, tmp_path):
    from lapwing.cli import main

    root, _, docs = runs
    direct = Store.open(tmp_path / "direct.db")
    for doc in docs:
        direct.write(doc, engine_version="0.1.0")
    db = tmp_path / "loaded.db"
    assert main(["load", str(root / "events.parquet"), "--db", str(db)]) == 0
    loaded = Store.open(db)
    assert list(loaded.event_records()) == list(direct.event_records())
    article_sql = "SELECT id, text_hash, title, url, source, published, text, engine_version, stage_versions " \
                  "FROM articles ORDER BY id"
    for sql in (article_sql, "SELECT * FROM event_actors ORDER BY event_id, role, position",
                "SELECT * FROM quantities ORDER BY event_id, position"):
        assert [tuple(r) for r in loaded.db.execute(sql)] == [tuple(r) for r in direct.db.execute(sql)]
    counts = loaded.counts()
    again = load(root / "events.parquet", loaded)
    assert (again.loaded, again.skipped, again.errors) == (0, len(docs), 0) and loaded.counts() == counts
    replaced = load(root / "events.parquet", loaded, replace=True)
    assert replaced.loaded == len(docs) and loaded.counts() == counts
