"""Stories: one happening, many reports. Hand-built events; one small run of the real pipeline."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import sys
from pathlib import Path

import pytest

from lapwing.cli import main
from lapwing.doc import Doc
from lapwing.errors import InputError
from lapwing.records import Actor, Article, DateRef, Event, Place, Quantity, Span
from lapwing.store import LATEST, Store
from lapwing.store import store as store_module
from lapwing.store import stories as stories_module
from lapwing.store.stories import (
    EventFeatures,
    StoryConfig,
    describe,
    list_stories,
    score_pair,
    source_key,
    story,
    update_stories,
)

DATA = Path(__file__).parent / "data" / "stories"
KHARKIV = Place("Kharkiv", "Kharkiv", "UKR", "Kharkivska", 49.99, 36.23, 706483, 0, 7)
ODESA = Place("Odesa", "Odesa", "UKR", "Odeska", 46.48, 30.72, 698740, 0, 5)
LVIV = Place("Lviv", "Lviv", "UKR", "Lvivska", 49.84, 24.03, 702550, 0, 4)
MOSCOW = Place("Moscow", "Moscow", "RUS", "Moscow", 55.75, 37.62, 524901, 0, 6)


def actor(country: str, name: str = "") -> Actor:
    return Actor(name or country, name or country, country, None, 0, 1)


def report(article_id: str, text: str, *, day: str | None, source: str | None = "Wire", published: str = "2024-05-14",
           event_type: str = "ASSAULT", place: Place | None = KHARKIV, actors=("RUS",), recipients=("UKR",),
           killed: float | None = None, confidence: float = 0.8, modality: str = "asserted",
           granularity: str = "day", url: str | None = None, events: int = 1) -> Doc:
    """An article of `events` events (same type, text as evidence) as the engine would code it."""
    article = Article(text=text, id=article_id, source=source, url=url, published=dt.date.fromisoformat(published))
    quantities = (Quantity("killed", killed, False, None, "killed", 0, 6),) if killed is not None else ()
    made = tuple(
        Event(
            id=f"{article_id}-e{i}", article_id=article_id, event_type=event_type, mode=None, quad=4, intensity=-9.0,
            contexts=(), modality=modality, actors=tuple(actor(c) for c in actors),
            recipients=tuple(actor(c) for c in recipients), trigger=Span(text[:5], 0, 5),
            evidence=Span(text, 0, len(text)), confidence=confidence - i * 0.1,
            date=DateRef(None, day, granularity if day else "unknown", "text" if day else "unknown"),
            location=place, quantities=quantities,
        )
        for i in range(events)
    )
    return Doc(article, events=made)


def features(doc: Doc, i: int = 0) -> EventFeatures:
    return EventFeatures.from_record(doc.events[i].to_dict(), doc.article.published.isoformat())


def stored(*docs: Doc) -> Store:
    store = Store.open(":memory:")
    for doc in docs:
        store.write(doc, engine_version="test")
    return store


def membership(store: Store) -> dict[str, int]:
    return {r[0]: r[1] for r in store.db.execute("SELECT event_id, story_id FROM story_events")}


# Three reports of one strike, and three happenings that look like it.
A = report("a", "Russian missiles struck Kharkiv, killing seven people", day="2024-05-14", source="Northern Wire",
           killed=7, confidence=0.8)
B = report("b", "At least eight people were killed when Russian forces hit Kharkiv", day="2024-05-14",
           source="Daily Ledger", published="2024-05-15", killed=8, confidence=0.9)
C = report("c", "Russia attacked Kharkiv with ballistic missiles, killing seven", day="2024-05-13", source=None,
           url="https://www.harbortimes.example/x", published="2024-05-13", killed=7, confidence=0.9)
WEEK_LATER = report("d", "A Russian missile strike on a printing house in Kharkiv killed three", day="2024-05-21",
                    published="2024-05-21", killed=3)
ODESA_SAME_DAY = report("e", "Russian drones attacked the port city of Odesa, injuring four", day="2024-05-14",
                        place=ODESA)


def test_two_reports_of_one_strike_link_and_say_why():
    link = score_pair(features(A), features(B))
    assert link is not None and link.score >= StoryConfig().threshold
    r = link.reasons
    assert (r["type"], r["date_gap_days"], r["place"]) == ("same", 0, "same place (kharkiv)")
    assert r["shared_countries"] == ["RUS", "UKR"] and r["numbers"] == {"killed": [7.0, 8.0]}
    assert r["components"]["numbers"] == 1.0  # seven and eight killed agree
    assert "same dates" in describe(r) and "killed 7/8" in describe(r)


def test_lookalikes_score_below_the_threshold_or_are_ruled_out():
    threshold = StoryConfig().threshold
    assert score_pair(features(A), features(WEEK_LATER)) is None  # a week apart: outside the window
    odesa = score_pair(features(A), features(ODESA_SAME_DAY))
    assert odesa is None or odesa.score < threshold
    moscow = report("m", "Drones hit Moscow", day="2024-05-14", place=MOSCOW, actors=("UKR",), recipients=("RUS",))
    assert score_pair(features(A), features(moscow)) is None  # places in different countries
    threat = report("t", "Russia will strike Kharkiv", day="2024-05-14", modality="future")
    assert score_pair(features(A), features(threat)) is None  # a threat is not the strike
    protest = report("p", "Crowds protested in Kharkiv", day="2024-05-14", event_type="PROTEST")
    assert score_pair(features(A), features(protest)) is None
    sibling = report("a", "Russian missiles struck Kharkiv, killing seven people", day="2024-05-14", events=2)
    assert score_pair(features(sibling, 0), features(sibling, 1)) is None  # one article is never linked to itself


def test_compatible_types_link_weaker_than_the_same_type():
    meet = report("m1", "Blinken met Netanyahu in Kharkiv", day="2024-05-14", event_type="CONSULT")
    agree = report("m2", "Blinken and Netanyahu agreed in Kharkiv", day="2024-05-14", event_type="AGREE")
    meet2 = report("m3", "Blinken held talks with Netanyahu in Kharkiv", day="2024-05-14", event_type="CONSULT")
    compatible, same = score_pair(features(meet), features(agree)), score_pair(features(meet), features(meet2))
    assert compatible.reasons["type"] == "compatible" and compatible.reasons["components"]["type"] == 0.5
    assert same.reasons["components"]["type"] == 1.0


def test_undated_events_link_only_on_strong_evidence():
    undated = report("u", "Russian missiles struck Kharkiv", day=None)
    assert score_pair(features(A), features(undated)).reasons["date_gap_days"] is None
    nowhere = report("n", "Russian missiles struck a city", day=None, place=None)
    assert score_pair(features(A), features(nowhere)) is None


def test_coarse_dates_widen_the_window_but_count_for_less():
    month = report("mo", "Russian missiles struck Kharkiv in May", day="2024-05", granularity="month")
    link = score_pair(features(A), features(month))
    assert link.reasons["date_gap_days"] == 0 and link.reasons["components"]["date"] == 0.5


def test_a_named_place_in_the_other_report_counts_as_the_same_place():
    unlocated = report("x", "Russian missiles struck Kharkiv overnight", day="2024-05-14", place=None)
    assert score_pair(features(A), features(unlocated)).reasons["place"].startswith("same place (kharkiv")


def test_update_groups_reports_and_summarises_each_story():
    store = stored(A, B, C, WEEK_LATER, ODESA_SAME_DAY)
    result = update_stories(store)
    assert (result.assigned, result.joined, result.started) == (5, 2, 3)
    groups = membership(store)
    assert groups["a-e0"] == groups["b-e0"] == groups["c-e0"]
    assert len({groups["a-e0"], groups["d-e0"], groups["e-e0"]}) == 3
    (strike,) = [s for s in list_stories(store) if s["id"] == groups["a-e0"]]
    # Highest confidence wins; of the two at 0.9, the earlier report (c, 13 May).
    assert strike["representative"]["id"] == "c-e0"
    assert (strike["sources"], strike["articles"], strike["events"]) == (3, 3, 3)
    assert (strike["first_date"], strike["last_date"], strike["earliest_report"]) == ("2024-05-13", "2024-05-14", "2024-05-13")
    killed = strike["quantities"]["killed"]
    assert (killed["min"], killed["max"]) == (7.0, 8.0)
    assert {r["article_id"]: r["value"] for r in killed["reports"]} == {"a": 7.0, "b": 8.0, "c": 7.0}
    assert {r["source"] for r in killed["reports"]} == {"Northern Wire", "Daily Ledger", "harbortimes.example"}


def test_rerunning_is_idempotent_and_new_reports_join_existing_stories():
    store = stored(A, B)
    update_stories(store)
    before = membership(store)
    assert update_stories(store).assigned == 0
    assert membership(store) == before
    store.write(C, engine_version="test")
    result = update_stories(store, article_ids=["c"])
    assert (result.assigned, result.joined) == (1, 1)
    assert membership(store)["c-e0"] == before["a-e0"]
    (only,) = list_stories(store)
    assert only["sources"] == 3


def test_update_of_chosen_articles_leaves_the_others_waiting():
    store = stored(A, B, ODESA_SAME_DAY)
    assert update_stories(store, article_ids=["a", "b"]).assigned == 2
    assert "e-e0" not in membership(store)
    assert update_stories(store).assigned == 1


def test_recoding_an_article_refreshes_its_story_and_reassigns_it():
    store = stored(A, B, C)
    update_stories(store)
    story_id = membership(store)["a-e0"]
    store.write(C, engine_version="test")  # recoding replaces c's events: its membership cascades away
    result = update_stories(store)
    assert result.refreshed == 1 and result.assigned == 1
    assert membership(store)["c-e0"] == story_id
    assert story(store, story_id)["events"] == 3
    store.db.execute("DELETE FROM articles")  # all reports gone: the story goes too
    update_stories(store)
    assert list_stories(store) == []


def test_events_far_apart_in_time_are_never_compared(monkeypatch):
    old = report("old", "Russian missiles struck Kharkiv", day="2022-03-01", published="2022-03-01")
    store = stored(old, A)
    calls = []
    original = stories_module.score_pair
    monkeypatch.setattr(stories_module, "score_pair", lambda *a, **k: calls.append(a) or original(*a, **k))
    update_stories(store)
    assert calls == []  # the type/date index kept 2022 away from 2024
    plan = " ".join(str(r[3]) for r in store.db.execute(
        "EXPLAIN QUERY PLAN SELECT id FROM events e WHERE e.event_type IN ('ASSAULT') AND e.date_first BETWEEN ? AND ?",
        ("2024-01-01", "2024-02-01")))
    assert "events_type_date" in plan


def test_list_filters_and_story_details():
    store = stored(A, B, WEEK_LATER, ODESA_SAME_DAY)
    update_stories(store)
    assert [s["sources"] for s in list_stories(store, min_sources=2)] == [2]
    assert [s["first_date"] for s in list_stories(store, since="2024-05-15")] == ["2024-05-21"]
    assert len(list_stories(store, until=dt.date(2024, 5, 14))) == 2
    assert list_stories(store, event_type="protest") == []
    assert len(list_stories(store, limit=1, offset=1)) == 1
    sid = membership(store)["b-e0"]
    found = story(store, sid)
    assert [m["article"]["id"] for m in found["members"]] == ["a", "b"]
    assert found["members"][0]["reasons"] == {"started": True}
    assert found["members"][1]["reasons"]["matched_event"] == "a-e0" and found["members"][1]["score"] >= 0.6
    with pytest.raises(InputError, match="no story 999"):
        story(store, 999)
    with pytest.raises(InputError, match="YYYY-MM-DD"):
        list_stories(store, since="last week")


def test_sources_fall_back_to_the_url_host_then_the_article():
    assert source_key("Daily Ledger", "https://x.example/a", "id1") == "Daily Ledger"
    assert source_key(None, "https://www.harbortimes.example/a", "id1") == "harbortimes.example"
    assert source_key(None, None, "id1") == "article:id1"


def test_an_older_store_is_upgraded_with_its_data_kept(tmp_path, monkeypatch):
    path = tmp_path / "events.db"
    from builders import old_store

    old_store(path, 1, [A])
    with Store.open(path) as new:
        assert new.schema_version == LATEST >= 2
        assert update_stories(new).assigned == 1
        with pytest.raises(sqlite3.IntegrityError):  # memberships point at stored events only
            new.db.execute("INSERT INTO story_events (event_id, story_id, reasons) VALUES ('nope', 1, '{}')")


def test_the_command_lists_and_explains(tmp_path, capsys):
    path = tmp_path / "events.db"
    with stored(A, B, ODESA_SAME_DAY) as memory:
        memory.db.execute("VACUUM INTO ?", (str(path),))
    assert main(["stories", "--db", str(path), "--min-sources", "2"]) == 0
    listing = capsys.readouterr().out
    assert "2 source(s)" in listing and "killed 7-8" in listing and "Odesa" not in listing
    assert main(["stories", "--db", str(path), "--json", "--type", "ASSAULT"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(lines) == 2
    sid = next(s["id"] for s in lines if s["sources"] == 2)
    assert main(["stories", "--db", str(path), "--explain", str(sid)]) == 0
    explained = capsys.readouterr().out
    assert "started the story" in explained and "same place (kharkiv)" in explained and "killed: 7" in explained
    assert main(["stories", "--db", str(path), "--since", "May 1"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_the_test_set_is_documented_and_large_enough():
    happenings = {json.loads(line)["happening"]: json.loads(line) for line in (DATA / "happenings.jsonl").open()}
    articles = [json.loads(line) for line in (DATA / "articles.jsonl").open()]
    assert len(happenings) >= 12 and len(articles) >= 35
    for a in articles:
        h = happenings[a["happening"]]
        assert (a["event_type"], a["split"]) == (h["event_type"], h["split"])
    assert {h["split"] for h in happenings.values()} == {"dev", "test"}


def test_the_benchmark_on_one_group_of_lookalikes(tmp_path):
    """The real pipeline on the three Ukrainian strikes (8 articles): kept small on purpose."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import stories as bench

    subset = tmp_path / "ukraine.jsonl"
    lines = (DATA / "articles.jsonl").open()
    subset.write_text("".join(line for line in lines if json.loads(line)["happening"].startswith(("kharkiv", "odesa"))))
    gold = bench.read_gold(subset)
    docs = bench.code(subset)
    figures = bench.score(docs, gold, bench.cluster(docs))["all"]
    assert figures["happenings"] == 3 and figures["articles"] == 8
    assert figures["precision"] >= 0.9 and figures["recall"] >= 0.6
