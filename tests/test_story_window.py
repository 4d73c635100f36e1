"""The in-memory window of story members: the same candidates as the store's date query, bounded."""

from __future__ import annotations

import datetime as dt
import json

from collections import namedtuple

from lapwing.store.story_window import CandidateWindow

LONGEST = dt.timedelta(days=31)
Features = namedtuple("Features", "name place_name")


def member(event_type, rowid, first, last, article, story, place=None):
    return (event_type, rowid, first, last, article, story, Features(f"{event_type}-{rowid}", place))


ROWS = [
    member("ASSAULT", 1, "2024-03-01", "2024-03-01", "a", 1),
    member("ASSAULT", 2, "2024-04-20", "2024-04-20", "b", 1, "Kharkiv"),
    member("ASSAULT", 3, "2024-05-10", "2024-05-10", "c", 1),
    member("ASSAULT", 4, "2024-05-10", "2024-05-31", "d", 2),  # a month-long range
    member("AGREE", 5, "2024-05-11", "2024-05-11", "e", 2, "Kyiv"),
    member("ASSAULT", 6, "2024-05-20", "2024-05-20", "f", 3),
]


class Loader:
    def __init__(self, rows):
        self.rows, self.calls = rows, []

    def __call__(self, since, until):
        self.calls.append((since, until))
        return [r for r in self.rows if (since is None or r[2] > since) and r[2] <= until]


def reference(types, article, first, last):
    """What the SQL query selects: the index's bounds and order, grouped by story."""
    low = (first - dt.timedelta(days=7) - LONGEST).isoformat()
    high = (last + dt.timedelta(days=7)).isoformat()
    reach = (first - dt.timedelta(days=7)).isoformat()
    rows = sorted((r for r in ROWS if r[0] in types and low <= r[2] <= high and r[3] >= reach and r[4] != article),
                  key=lambda r: (r[0], r[2], r[1]))
    by_story = {}
    for r in rows:
        by_story.setdefault(r[5], []).append(r[6])
    return sorted(by_story.items())


def grouped(window, features):
    out = {}
    for f in features:
        story = next(r[5] for r in ROWS if r[6] == f)
        out.setdefault(story, []).append(f)
    return sorted(out.items())


def test_candidates_match_the_date_query_and_keep_its_order_within_a_story():
    window = CandidateWindow(LONGEST, Loader(ROWS))
    for types, article, first, last in [
        (["ASSAULT"], "x", dt.date(2024, 5, 12), dt.date(2024, 5, 12)),
        (["AGREE", "ASSAULT"], "x", dt.date(2024, 5, 14), dt.date(2024, 5, 14)),
        (["ASSAULT"], "c", dt.date(2024, 5, 15), dt.date(2024, 5, 15)),  # its own article is left out
        (["ASSAULT"], "x", dt.date(2024, 6, 10), dt.date(2024, 6, 10)),  # reached only by the month-long range
    ]:
        found, _ = window.candidates(types, article, first, last, 100)
        assert grouped(window, found) == reference(types, article, first, last)


def test_each_story_gives_its_last_members_and_its_first_located_one():
    window = CandidateWindow(LONGEST, Loader(ROWS))
    found, located = window.candidates(["AGREE", "ASSAULT"], "x", dt.date(2024, 5, 12), dt.date(2024, 5, 12), 1)
    assert grouped(window, found) == [(1, [ROWS[2][6]]), (2, [ROWS[3][6]])]
    assert located == {2: ROWS[4][6]}  # story 2's AGREE report, though only its ASSAULT one is compared


def test_old_members_are_dropped_and_new_ones_loaded_as_dates_advance():
    loader = Loader(ROWS)
    window = CandidateWindow(LONGEST, loader)
    window.candidates(["ASSAULT"], "x", dt.date(2024, 4, 22), dt.date(2024, 4, 22), 10)
    window.candidates(["ASSAULT"], "x", dt.date(2024, 5, 21), dt.date(2024, 5, 21), 10)
    assert len(loader.calls) == 2 and loader.calls[1][0] == "2024-04-29"  # only the new days are read
    held = sum(len(s.keys) for stories in window._by_type.values() for s in stories.values())
    assert held == 5  # the March member can no longer be reached (April 20 still can)


def test_members_placed_during_the_run_are_candidates_at_once():
    window = CandidateWindow(LONGEST, Loader([]))
    day = dt.date(2024, 5, 12)
    assert window.candidates(["ASSAULT"], "x", day, day, 10) == ([], {})
    new = Features("new member", None)
    window.add("ASSAULT", 9, "2024-05-12", 10, "2024-05-12", "y", new)
    assert window.candidates(["ASSAULT"], "x", day, day, 10) == ([new], {})
    assert window.candidates(["ASSAULT"], "y", day, day, 10) == ([], {})


def test_an_event_is_compared_with_at_most_max_compared_members_of_a_story():
    from lapwing.doc import Doc
    from lapwing.records import Actor, Article, DateRef, Event, Place, Span
    from lapwing.store import Store
    from lapwing.store.stories import StoryConfig, update_stories

    kharkiv = Place("Kharkiv", "Kharkiv", "UKR", "Kharkivska", 49.99, 36.23, 706483, 0, 7)
    text = "Russian missiles struck Kharkiv, killing seven people"
    store = Store.open(":memory:")
    for n in range(6):
        article = Article(text=text, id=f"a{n}", source=f"Wire {n}", published=dt.date(2024, 5, 14))
        event = Event(
            id=f"a{n}-e0", article_id=f"a{n}", event_type="ASSAULT", mode=None, quad=4, intensity=-9.0, contexts=(),
            modality="asserted", actors=(Actor("RUS", "RUS", "RUS", None, 0, 1),),
            recipients=(Actor("UKR", "UKR", "UKR", None, 0, 1),), trigger=Span(text[:5], 0, 5),
            evidence=Span(text, 0, len(text)), confidence=0.8, date=DateRef(None, "2024-05-14", "day", "text"),
            location=kharkiv, quantities=(),
        )
        store.write(Doc(article, events=(event,)), engine_version="test")
    update_stories(store, config=StoryConfig(max_compared=3))
    compared = [json.loads(r[0]).get("members_compared") for r in store.db.execute(
        "SELECT reasons FROM story_events ORDER BY event_id")]
    assert compared == [None, 1, 2, 3, 3, 3]  # the founder, then at most 3 of the story's members
    assert store.db.execute("SELECT COUNT(*) FROM stories").fetchone()[0] == 1


def test_a_jump_past_the_held_days_reads_only_the_new_bounds():
    loader = Loader(ROWS)
    window = CandidateWindow(LONGEST, loader)
    window.candidates(["ASSAULT"], "x", dt.date(2024, 1, 10), dt.date(2024, 1, 10), 10)
    window.candidates(["ASSAULT"], "x", dt.date(2024, 5, 21), dt.date(2024, 5, 21), 10)
    assert loader.calls[1] == ("2024-04-12", "2024-05-28")


def test_place_members_are_read_once_and_give_the_store_order():
    from lapwing.store.story_window import PlaceMembers

    rows = {"Rafah": [(5, "e5", "ASSAULT", "a", True), (2, "e2", "ASSAULT", "b", False), (3, "e3", "AGREE", "c", True)]}
    calls = []
    places = PlaceMembers(lambda place: calls.append(place) or rows.get(place, []))
    assert places.ids("Rafah", ["AGREE", "ASSAULT"], "x", undated_only=False, limit=10) == ["e2", "e3", "e5"]
    assert places.ids("Rafah", ["AGREE", "ASSAULT"], "x", undated_only=True, limit=10) == ["e3", "e5"]
    assert places.ids("Rafah", ["ASSAULT"], "a", undated_only=False, limit=10) == ["e2"]
    assert places.ids("Rafah", ["AGREE", "ASSAULT"], "x", undated_only=False, limit=2) == ["e2", "e3"]
    places.add("Rafah", 4, "e4", "ASSAULT", "d", True)
    places.add("Gaza", 6, "e6", "ASSAULT", "d", True)  # not held: the store will give it
    assert places.ids("Rafah", ["ASSAULT"], "x", undated_only=True, limit=10) == ["e4", "e5"]
    assert places.ids("Gaza", ["ASSAULT"], "x", undated_only=True, limit=10) == []
    assert calls == ["Rafah", "Gaza"]
