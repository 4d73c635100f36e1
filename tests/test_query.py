"""Querying the store: every filter, safe full-text search, date overlap, order, pages, stats, CLI."""

from __future__ import annotations

import json

import pytest
from builders import coded_doc as coded

from lapwing.cli import main
from lapwing.errors import InputError
from lapwing.store import Store
from lapwing.store.query import EventFilter, count_events, fts_query, parse_filter, query_events, stats


def sample_docs():
    """Five articles, one event each, across types, dates, places, countries and sources."""
    return [
        coded("Israel", "attacked", "attack", "Hamas", [(1, 1, "ISR", "MIL"), (3, 3, "PSE", "REB", "Hamas")],
              date="2024-04-28", place=("Rafah", "PSE", 34.25, 31.29), killed=7, confidence=0.9,
              source="VOA", title="Strikes on Rafah", extra="overnight"),
        coded("Egypt", "met", "meet", "Qatar", [(1, 1, "EGY", "GOV"), (3, 3, "QAT", "GOV")],
              date="2024-04", granularity="month", place=("Cairo", "EGY", 31.23, 30.04), confidence=0.7,
              source="Reuters", extra="mediators"),
        coded("Israel", "condemned", "condemn", "Iran", [(1, 1, "ISR", "GOV"), (3, 3, "IRN", "GOV")],
              date="2024-03-15", modality="future", confidence=0.5, source="VOA", extra="sharply"),
        coded("Police", "arrested", "arrest", "Students", [(1, 1, "KEN", "COP", "Kenyan police"), (3, 3, "KEN", "EDU")],
              date="2023-12-01", place=("Nairobi", "KEN", 36.82, -1.29), confidence=0.8, source="Nation",
              extra="downtown"),
        coded("Hamas", "attacked", "attack", "Israel", [(1, 1, "PSE", "REB", "Hamas"), (3, 3, "ISR", None)],
              confidence=0.6, source="VOA", extra="again"),
    ]


def sample_store(path=":memory:") -> Store:
    """A store holding sample_docs()."""
    store = Store.open(path)
    for doc in sample_docs():
        store.write(doc, engine_version="test", origin="hand")
    return store


@pytest.fixture(scope="module")
def store():
    s = sample_store()
    yield s
    s.close()


def triggers(store, **kwargs):
    return [(r["trigger"]["text"], r["actors"][0]["name"]) for r in query_events(store, EventFilter(**kwargs))]


def test_no_filter_returns_every_event_in_the_contract(store):
    records = list(query_events(store))
    assert len(records) == 5 == count_events(store)
    assert set(records[0]) >= {"id", "article_id", "event_type", "actors", "recipients", "date", "trigger", "evidence"}


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"event_type": "ASSAULT"}, {("attacked", "Israel"), ("attacked", "Hamas")}),
        ({"event_type": ("consult", "coerce")}, {("met", "Egypt"), ("arrested", "Kenyan police")}),
        ({"event_type": "FIGHT"}, {("attacked", "Israel"), ("attacked", "Hamas")}),  # old PLOVER name
        ({"quad": 3}, {("condemned", "Israel")}),
        ({"actor": "ISR"}, {("attacked", "Israel"), ("condemned", "Israel")}),
        ({"actor": "isr"}, {("attacked", "Israel"), ("condemned", "Israel")}),
        ({"actor": "kenyan"}, {("arrested", "Kenyan police")}),  # part of a name, any case
        ({"recipient": "ISR"}, {("attacked", "Hamas")}),
        ({"recipient": "Hamas"}, {("attacked", "Israel")}),
        ({"country": "PSE"}, {("attacked", "Israel"), ("attacked", "Hamas")}),
        ({"place": "rafah"}, {("attacked", "Israel")}),
        ({"bbox": (34.0, 31.0, 35.0, 32.0)}, {("attacked", "Israel")}),
        ({"bbox": (30.0, -5.0, 40.0, 32.0)}, {("attacked", "Israel"), ("met", "Egypt"), ("arrested", "Kenyan police")}),
        ({"bbox": (170.0, -90.0, 32.0, 90.0)}, {("met", "Egypt")}),  # crosses the 180th meridian
        ({"modality": "future"}, {("condemned", "Israel")}),
        ({"source": "voa"}, {("attacked", "Israel"), ("condemned", "Israel"), ("attacked", "Hamas")}),
        ({"text": "overnight"}, {("attacked", "Israel")}),
        ({"text": "Strikes rafah"}, {("attacked", "Israel")}),  # the title is searched too; words all required
        ({"actor": "ISR", "event_type": "ACCUSE"}, {("condemned", "Israel")}),
    ],
)
def test_each_filter_selects_its_events(store, kwargs, expected):
    assert set(triggers(store, **kwargs)) == expected
    assert count_events(store, EventFilter(**kwargs)) == len(expected)


def test_article_filter(store):
    first = next(query_events(store))
    assert [r["id"] for r in query_events(store, EventFilter(article_id=first["article_id"]))] == [first["id"]]


def test_a_month_dated_event_overlaps_a_range_that_starts_or_ends_inside_the_month(store):
    assert ("met", "Egypt") in triggers(store, since="2024-04-15")
    assert ("met", "Egypt") in triggers(store, until="2024-04-02")
    assert ("met", "Egypt") not in triggers(store, since="2024-05-01")
    assert set(triggers(store, since="2024-04", until="2024-04")) == {("attacked", "Israel"), ("met", "Egypt")}
    # An event with no date is in no date range.
    assert ("attacked", "Hamas") not in triggers(store, since="1900")
    assert set(triggers(store, until="2023")) == {("arrested", "Kenyan police")}


ISRAEL_STRIKE = [("attacked", "Israel")]


@pytest.mark.parametrize(
    ("hostile", "expected"),
    [
        ('"', []), ("*", []), ("(((", []), ("-", []), ("'; DROP TABLE events; --", []),
        # Each of these would match one or two articles if its operator worked.
        ("overnight OR mediators", []), ("Raf*", []), ("title:Rafah", []), ("NEAR(overnight today)", []),
        ("overnight AND NOT mediators", []), ('"overnight" OR ""', []),
        # Punctuation around a word is only punctuation.
        ("overnight)", ISRAEL_STRIKE), ("^overnight", ISRAEL_STRIKE), ('"Strikes', ISRAEL_STRIKE),
    ],
)
def test_full_text_search_treats_any_input_as_plain_words(store, hostile, expected):
    assert triggers(store, text=hostile) == expected  # and never raises
    assert count_events(store) == 5


@pytest.mark.parametrize("name", ["actor", "recipient", "country", "place", "text", "source", "article_id", "since"])
@pytest.mark.parametrize("value", ["\x00", "overnight\x00", "IS\x1bR", "a\nb", "\ud800"])
def test_control_characters_in_filters_are_refused(name, value):
    # SQLite ends a LIKE pattern or a full-text query at a NUL: "country=%00" matched every event.
    with pytest.raises(InputError, match=r"U\+[0-9A-F]{4}.*remove it"):
        EventFilter(**{name: value})


def test_fts_query_quotes_every_word():
    assert fts_query('Rafah OR "x"') == '"Rafah" "OR" """x"""'
    assert fts_query("* ( )") == ""


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("date", ["arrested", "condemned", "met", "attacked", "attacked"]),  # undated last
        ("-date", ["attacked", "met", "condemned", "arrested", "attacked"]),
        ("confidence", ["condemned", "attacked", "met", "arrested", "attacked"]),
        ("-confidence", ["attacked", "arrested", "met", "attacked", "condemned"]),
    ],
)
def test_sorting(store, sort, expected):
    records = list(query_events(store, EventFilter(sort=sort)))
    assert [r["trigger"]["text"] for r in records] == expected
    if sort == "date":
        assert records[-1]["date"]["value"] is None
    if sort == "-confidence":
        assert records[0]["confidence"] == 0.9


def test_latest_first_puts_the_precisely_dated_before_its_month():
    # "April 2024" and "1 April 2024" start on one day: the day-dated event comes first (these
    # words give the month-dated event the smaller id, so the id alone would put it first).
    docs = [coded("Egypt", "met", "meet", "Qatar", [(1, 1, "EGY", "GOV"), (3, 3, "QAT", "GOV")],
                  date="2024-04", granularity="month", extra="again"),
            coded("Israel", "attacked", "attack", "Hamas", [(1, 1, "ISR", "MIL"), (3, 3, "PSE", "REB", "Hamas")],
                  date="2024-04-01", extra="again"),
            coded("Police", "arrested", "arrest", "Students", [(1, 1, "KEN", "COP"), (3, 3, "KEN", "EDU")],
                  date="1991", granularity="year", extra="downtown")]
    with Store.open(":memory:") as s:
        for doc in docs:
            s.write(doc, engine_version="test", origin="hand")
        latest = [r["trigger"]["text"] for r in query_events(s, EventFilter(sort="-date"))]
        assert latest == ["attacked", "met", "arrested"]


def test_sorting_by_type_groups_types_alphabetically(store):
    types = [r["event_type"] for r in query_events(store, EventFilter(sort="type"))]
    assert types == sorted(types) and types[0] == "ACCUSE"


def test_pages_are_disjoint_and_cover_everything(store):
    pages = [[r["id"] for r in query_events(store, EventFilter(limit=2, offset=o))] for o in (0, 2, 4, 6)]
    assert [len(p) for p in pages] == [2, 2, 1, 0]
    assert [i for page in pages for i in page] == [r["id"] for r in query_events(store)]
    assert [r["id"] for r in query_events(store, EventFilter(offset=3))] == pages[1][1:] + pages[2]
    assert count_events(store, EventFilter(limit=1)) == 5  # the count ignores paging


def test_stats_count_by_every_grouping(store):
    s = stats(store)
    assert s["totals"] == {"articles": 5, "events": 5, "errors": 0}
    assert s["matching"] == {"events": 5, "articles": 5}
    assert s["by_event_type"] == {"ASSAULT": 2, "ACCUSE": 1, "COERCE": 1, "CONSULT": 1}
    assert s["by_quad"] == {"4": 3, "1": 1, "3": 1}
    assert s["by_actor_country"] == {"ISR": 2, "EGY": 1, "KEN": 1, "PSE": 1}
    assert s["by_recipient_country"] == {"IRN": 1, "ISR": 1, "KEN": 1, "PSE": 1, "QAT": 1}
    assert s["by_month"] == {"2023-12": 1, "2024-03": 1, "2024-04": 2, "unknown": 1}
    assert s["by_source"] == {"VOA": 3, "Nation": 1, "Reuters": 1}
    assert s["by_modality"] == {"asserted": 4, "future": 1}


def test_stats_follow_the_filter(store):
    s = stats(store, EventFilter(actor="ISR"))
    assert s["matching"] == {"events": 2, "articles": 2}
    assert s["by_event_type"] == {"ACCUSE": 1, "ASSAULT": 1}
    assert s["totals"]["events"] == 5


def test_parse_filter_reads_strings_as_the_cli_and_api_give_them():
    flt = parse_filter({"type": "assault,protest", "quad": ["3", "4"], "bbox": "34,31,35,32", "limit": "10",
                        "actor": " ", "sort": "-date"})
    assert flt.event_type == ("ASSAULT", "PROTEST") and flt.quad == (3, 4)
    assert flt.bbox == (34.0, 31.0, 35.0, 32.0) and flt.limit == 10 and flt.actor is None


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"type": "ATTACK"}, "unknown event type 'ATTACK'"),
        ({"quad": "5"}, "quad '5'"),
        ({"modality": "maybe"}, "unknown modality 'maybe'"),
        ({"since": "last week"}, "since 'last week' is not a date"),
        ({"until": "2024-13"}, "until '2024-13' is not a date"),
        ({"bbox": "1,2,3"}, "must be four numbers"),
        ({"bbox": "0,10,1,5"}, "is not a box"),
        ({"sort": "random"}, "unknown sort 'random'"),
        ({"limit": "ten"}, "limit 'ten' must be a whole number"),
        ({"colour": "red"}, "unknown filter 'colour'"),
    ],
)
def test_bad_filters_are_refused_with_the_bad_value(params, message):
    with pytest.raises(InputError, match=message.replace("(", r"\(")):
        parse_filter(params)


def test_events_command_prints_a_table_and_jsonl(tmp_path, capsys):
    db = tmp_path / "events.db"
    sample_store(db).close()
    assert main(["events", "--db", str(db), "--actor", "ISR", "--type", "ASSAULT", "--since", "2024-04-01",
                 "--place", "Rafah"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("DATE") and len(lines) == 3 and lines[-1] == "1 event"
    row = lines[1]
    for part in ("2024-04-28", "ASSAULT", "Israel (ISR) -> Hamas (PSE)", "Rafah", "killed=7", "attacked"):
        assert part in row
    assert main(["events", "--db", str(db), "--format", "jsonl", "--limit", "2", "--sort=-date"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["date"]["value"] for r in records] == ["2024-04-28", "2024-04"]
    assert main(["events", "--db", str(db), "--format", "json", "--country", "KEN"]) == 0
    assert [r["event_type"] for r in json.loads(capsys.readouterr().out)] == ["COERCE"]


def test_stats_command_summarizes_and_prints_json(tmp_path, capsys):
    db = tmp_path / "events.db"
    sample_store(db).close()
    assert main(["stats", "--db", str(db)]) == 0
    text = capsys.readouterr().out
    assert "5 articles, 5 events, 0 input errors" in text and "ASSAULT" in text and "2024-04" in text
    assert main(["stats", "--db", str(db), "--json", "--type", "ASSAULT"]) == 0
    assert json.loads(capsys.readouterr().out)["matching"]["events"] == 2


def test_commands_refuse_a_missing_store_and_bad_filters(tmp_path, capsys):
    assert main(["events", "--db", str(tmp_path / "none.db")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "none.db").exists()
    db = tmp_path / "events.db"
    sample_store(db).close()
    assert main(["stats", "--db", str(db), "--since", "soon"]) == 2
    assert "since 'soon' is not a date" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("flt", "index"),
    [
        (EventFilter(place="rafah"), "events_place_key"),
        (EventFilter(bbox=(34.0, 31.0, 35.0, 32.0)), "events_lon_lat"),
        (EventFilter(sort="-confidence", limit=20), "events_confidence"),
        (EventFilter(modality="future"), "events_modality"),
        (EventFilter(actor="ISR"), "COVERING INDEX event_actors_role_country"),
        (EventFilter(source="voa"), "articles_source_key"),
    ],
)
def test_queries_use_the_query_indexes(store, flt, index):
    from lapwing.store.query import select_sql

    sql, params = select_sql(flt)
    plan = " | ".join(row[3] for row in store.db.execute("EXPLAIN QUERY PLAN " + sql, params))
    assert index in plan


def test_a_store_from_before_the_query_indexes_is_upgraded_and_keeps_its_events(tmp_path, monkeypatch):
    from builders import old_store

    from lapwing.store import LATEST, MIGRATIONS

    names = [m.name for m in MIGRATIONS]
    old_store(tmp_path / "events.db", names.index("query-indexes"), sample_docs())
    with Store.open(tmp_path / "events.db") as upgraded:
        assert upgraded.schema_version == LATEST
        indexes = {r[0] for r in upgraded.db.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"events_place_nocase", "events_confidence", "event_actors_role_country"} <= indexes
        assert triggers(upgraded, place="RAFAH") == [("attacked", "Israel")]
