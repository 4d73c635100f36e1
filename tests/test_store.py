"""The event store: migrations, one transaction per article, refusal of newer or foreign files."""

from __future__ import annotations

import sqlite3

import pytest
from builders import hand_doc

from lapwing.errors import StoreError
from lapwing.stages.events import EventFinder
from lapwing.store import LATEST, Store, date_range

FINDER = EventFinder(engine_version="test")


def coded_doc():
    doc = hand_doc(
        """
        Israel Israel PROPN NNP nsubj 2
        attacked attack VERB VBD ROOT 0
        Lebanon Lebanon PROPN NNP dobj 2
        """,
        mentions=[(1, 1, "ISR", "MIL"), (3, 3, "LBN", None)],
    )
    return FINDER(doc)


def test_a_new_store_is_migrated_to_the_latest_schema(tmp_path):
    with Store.open(tmp_path / "events.db") as store:
        assert store.schema_version == LATEST
        assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_writing_an_article_twice_replaces_it_and_keeps_one_copy():
    store = Store.open(":memory:")
    doc = coded_doc()
    assert store.write(doc, engine_version="test", origin="a.txt") == 1
    assert store.write(doc, engine_version="test", origin="a.txt") == 1
    assert store.counts() == {"articles": 1, "events": 1, "errors": 0}
    (record,) = store.event_records("e.event_type = ?", ["ASSAULT"])
    assert record["actors"][0]["country"] == "ISR" and record["trigger"]["text"] == "attacked"
    assert store.known([doc.article.id, "other"]) == {doc.article.id}
    assert store.known([doc.article.id], engine_version="newer") == set()


def test_actor_rows_and_full_text_search_are_kept_in_step():
    store = Store.open(":memory:")
    store.write(coded_doc(), engine_version="test")
    rows = store.db.execute("SELECT role, country FROM event_actors ORDER BY role").fetchall()
    assert [tuple(r) for r in rows] == [("actor", "ISR"), ("recipient", "LBN")]
    assert store.db.execute("SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH 'Lebanon'").fetchone()[0] == 1
    store.write(coded_doc(), engine_version="test")  # replacing keeps the index exact
    assert store.db.execute("SELECT COUNT(*) FROM articles_fts WHERE articles_fts MATCH 'Lebanon'").fetchone()[0] == 1


def test_a_failure_mid_article_leaves_nothing_half_written(monkeypatch):
    store = Store.open(":memory:")
    doc = coded_doc()

    def broken(event):
        raise KeyboardInterrupt  # a Ctrl-C between the article row and its events

    monkeypatch.setattr(store, "_insert_event", broken)
    with pytest.raises(KeyboardInterrupt):
        store.write(doc, engine_version="test")
    assert store.counts() == {"articles": 0, "events": 0, "errors": 0}


def test_a_store_from_a_newer_lapwing_is_refused_and_left_untouched(tmp_path):
    path = tmp_path / "events.db"
    Store.open(path).close()
    db = sqlite3.connect(path)
    db.execute("INSERT INTO schema_migrations VALUES (?, 'from-the-future', 'later')", (LATEST + 1,))
    db.commit()
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="written by a newer Lapwing"):
        Store.open(path)
    assert path.read_bytes() == before


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 100, encoding="utf-8")
    with pytest.raises(StoreError, match="is not a Lapwing database"):
        Store.open(path)
    assert path.read_text(encoding="utf-8").startswith("these are my notes")


def test_a_locked_store_gives_a_clear_error(tmp_path):
    path = tmp_path / "events.db"
    Store.open(path).close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    store = Store.open(path, timeout=0.1)
    with pytest.raises(StoreError, match="locked by another writer"):
        store.write(coded_doc(), engine_version="test")
    other.execute("ROLLBACK")
    assert store.counts()["articles"] == 0


@pytest.mark.parametrize(
    ("value", "granularity", "expected"),
    [
        ("2024-04-28", "day", ("2024-04-28", "2024-04-28")),
        ("2024-02", "month", ("2024-02-01", "2024-02-29")),
        ("2023", "year", ("2023-01-01", "2023-12-31")),
        ("199X", "decade", ("1990-01-01", "1999-12-31")),
        ("2024-04-22", "week", ("2024-04-22", "2024-04-28")),
        (None, "unknown", (None, None)),
    ],
)
def test_date_values_become_day_ranges_for_queries(value, granularity, expected):
    assert date_range(value, granularity) == expected


def test_full_text_search_survives_vacuum(tmp_path):
    """The index keys on articles.seq, an INTEGER PRIMARY KEY, which VACUUM never renumbers."""
    store = Store.open(tmp_path / "events.db")
    store.write(coded_doc(), engine_version="test")
    store.db.execute("DELETE FROM articles WHERE 0")
    store.db.execute("VACUUM")
    hits = store.db.execute(
        "SELECT a.id FROM articles a JOIN articles_fts f ON f.rowid = a.seq WHERE articles_fts MATCH 'Lebanon'"
    ).fetchall()
    assert len(hits) == 1
