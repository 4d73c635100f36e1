"""The explorer's aggregates: timeline buckets, places by quad, the actor network; all follow the filter."""

from __future__ import annotations

import pytest
from builders import coded_doc as coded

from lapwing.errors import InputError
from lapwing.store import Store
from lapwing.store.aggregates import network, places, timeline
from lapwing.store.query import EventFilter, count_events


def docs():
    return [
        # Monday 2024-04-29 and Sunday 2024-05-05 share an ISO week; Tuesday 2024-04-30 too.
        coded("Israel", "attacked", "attack", "Hamas", [(1, 1, "ISR", "MIL"), (3, 3, "PSE", "REB", "Hamas")],
              date="2024-04-29", place=("Rafah", "PSE", 34.25, 31.29), extra="overnight"),
        coded("Hamas", "attacked", "attack", "Israel", [(1, 1, "PSE", "REB", "Hamas"), (3, 3, "ISR", "MIL")],
              date="2024-05-05", place=("Rafah", "PSE", 34.25, 31.29), extra="again"),
        coded("Egypt", "met", "meet", "Israel", [(1, 1, "EGY", "GOV"), (3, 3, "ISR", "GOV")],
              date="2024-04-30", place=("Cairo", "EGY", 31.23, 30.04), extra="mediators"),
        # Known only to the month: in a month bar, never in a day or week bar.
        coded("Israel", "met", "meet", "Egypt", [(1, 1, "ISR", "GOV"), (3, 3, "EGY", "GOV")],
              date="2024-05-01", granularity="month", extra="envoys"),
        # No date at all, and a recipient without a country: cannot be a network edge.
        coded("Police", "arrested", "arrest", "Students", [(1, 1, "KEN", "COP"), (3, 3, None, "EDU")],
              extra="today"),
    ]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("agg") / "events.db"
    with Store.open(path) as s:
        for doc in docs():
            s.write(doc, engine_version="test", origin="hand")
    s = Store.open(path, create=False)
    yield s
    s.close()


def test_day_buckets_hold_only_day_dates(store):
    t = timeline(store, interval="day", stack="quad")
    assert [(b["start"], b["end"], b["total"]) for b in t["buckets"]] == [
        ("2024-04-29", "2024-04-29", 1), ("2024-04-30", "2024-04-30", 1), ("2024-05-05", "2024-05-05", 1)]
    assert t["excluded"] == {"undated": 1, "coarser": 1}


def test_week_buckets_start_on_monday(store):
    t = timeline(store, interval="week", stack="type")
    assert len(t["buckets"]) == 1
    (week,) = t["buckets"]
    assert (week["start"], week["end"], week["total"]) == ("2024-04-29", "2024-05-05", 3)
    assert week["counts"] == {"ASSAULT": 2, "CONSULT": 1}


def test_month_buckets_include_month_dates(store):
    t = timeline(store, interval="month")
    assert [(b["start"], b["end"], b["counts"]) for b in t["buckets"]] == [
        ("2024-04-01", "2024-04-30", {"1": 1, "4": 1}), ("2024-05-01", "2024-05-31", {"1": 1, "4": 1})]
    assert t["excluded"] == {"undated": 1, "coarser": 0}


def test_timeline_follows_the_filter_and_counts_every_matching_event(store):
    flt = EventFilter(country="EGY")
    t = timeline(store, flt, interval="month")
    drawn = sum(b["total"] for b in t["buckets"]) + sum(t["excluded"].values())
    assert drawn == count_events(store, flt) == 2


def test_timeline_rejects_unknown_interval_and_stack(store):
    with pytest.raises(InputError, match="interval 'year'"):
        timeline(store, interval="year")
    with pytest.raises(InputError, match="stack 'country'"):
        timeline(store, stack="country")


def test_places_count_by_quad(store):
    found = {p["name"]: p for p in places(store)}
    assert found["Rafah"]["events"] == 2 and found["Rafah"]["by_quad"] == {"4": 2}
    assert found["Cairo"]["by_quad"] == {"1": 1}
    assert (found["Cairo"]["lat"], found["Cairo"]["lon"]) == (30.04, 31.23)


def test_places_say_their_precision_and_a_country_its_numeric_code(tmp_path):
    path = tmp_path / "events.db"
    with Store.open(path) as s:
        s.write(coded("Israel", "attacked", "attack", "Hamas", [(1, 1, "ISR", "MIL"), (3, 3, "PSE", "REB", "Hamas")],
                      date="2024-04-29", place=("Rafah", "PSE", 34.25, 31.29)), engine_version="test", origin="hand")
        s.write(coded("Egypt", "met", "meet", "Israel", [(1, 1, "EGY", "GOV"), (3, 3, "ISR", "GOV")],
                      date="2024-04-30", place=("Egypt", "EGY", 30.0, 27.0, "country"), extra="envoys"),
                engine_version="test", origin="hand")
    with Store.open(path, create=False) as s:
        found = {p["name"]: p for p in places(s)}
    assert found["Rafah"]["feature"] == "city" and "iso_numeric" not in found["Rafah"]
    assert found["Egypt"]["feature"] == "country" and found["Egypt"]["iso_numeric"] == "818"


def test_network_nodes_are_codes_and_edges_are_directed(store):
    net = network(store)
    nodes = {n["id"]: n for n in net["nodes"]}
    assert set(nodes) == {"ISR", "PSE", "EGY", "KEN"}
    assert nodes["ISR"]["label"] == "Israel"
    assert (nodes["ISR"]["events"], nodes["ISR"]["as_actor"], nodes["ISR"]["as_recipient"]) == (4, 2, 2)
    assert nodes["ISR"]["sectors"] == {"MIL": 2, "GOV": 2}
    edges = {(e["source"], e["target"]): e for e in net["edges"]}
    assert set(edges) == {("ISR", "PSE"), ("PSE", "ISR"), ("EGY", "ISR"), ("ISR", "EGY")}
    assert edges[("ISR", "PSE")]["by_quad"] == {"4": 1} and edges[("ISR", "PSE")]["conflict_share"] == 1.0
    assert edges[("EGY", "ISR")]["conflict_share"] == 0.0
    assert net["not_drawn"] == 1  # the arrest of students with no country


def test_an_edge_lists_exactly_the_events_of_its_actor_and_recipient_filter(store):
    for edge in network(store)["edges"]:
        flt = EventFilter(actor=edge["source"], recipient=edge["target"])
        assert count_events(store, flt) == edge["events"]


def test_network_keeps_the_largest_nodes_and_their_edges_only(store):
    net = network(store, nodes=2)
    assert [n["id"] for n in net["nodes"]] == ["ISR", "EGY"]  # 4 and 2 events; PSE ties EGY, E < P
    assert {(e["source"], e["target"]) for e in net["edges"]} == {("EGY", "ISR"), ("ISR", "EGY")}


def test_network_follows_the_filter(store):
    net = network(store, EventFilter(event_type="ASSAULT"))
    assert {n["id"] for n in net["nodes"]} == {"ISR", "PSE"}
    assert net["not_drawn"] == 0
