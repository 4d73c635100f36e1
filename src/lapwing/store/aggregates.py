"""Aggregates over the matching events, for the explorer's views: timeline, places, actors, network.

Each takes the shared EventFilter, so every view of the explorer counts exactly the events that the
event table lists for the same filters. SQL is built from fixed fragments; values are `?` parameters.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import pycountry

from ..errors import InputError
from .query import EventFilter, run_sql, where_clause
from .store import Store

INTERVALS = ("day", "week", "month")
STACKS = ("quad", "type")

# interval -> (SQL for the first day of the bucket holding date_first, granularities fine enough to place).
# An event known only to the month is counted in a month bar but not in a day bar: drawing it on the
# month's first day would invent a date. It is counted in `excluded` instead.
_BUCKETS: dict[str, tuple[str, tuple[str, ...]]] = {
    "day": ("e.date_first", ("day",)),
    # ISO weeks start on Monday: 'weekday 0' moves to the coming Sunday (or stays), less six days.
    "week": ("date(e.date_first, 'weekday 0', '-6 days')", ("day", "week")),
    "month": ("substr(e.date_first, 1, 7) || '-01'", ("day", "week", "month")),
}
_STACK_COLUMN = {"quad": "e.quad", "type": "e.event_type"}
# In the self-joins of event_actors below, `+x.role` / `+x.country` keep SQLite from answering the
# second side through the (role, country) index, which scans every recipient for every actor (a
# minute on 10,000 articles); without it the lookup goes through the (event_id, ...) primary key.


def matching_cte(flt: EventFilter) -> tuple[str, list[Any]]:
    """`WITH m AS (ids of the matching events)`, and its parameters."""
    where, params = where_clause(flt)
    return f"WITH m AS (SELECT e.id FROM events e{' WHERE ' + where if where else ''}) ", params


def timeline(store: Store, flt: EventFilter = EventFilter(), interval: str = "week",
             stack: str = "quad") -> dict[str, Any]:
    """Counts of matching events per day, ISO week or month, split by quad class or event type.

    Buckets are in time order, each with its first and last day; empty buckets are not listed.
    Events whose date is unknown or coarser than the interval are counted in `excluded`.
    """
    if interval not in _BUCKETS:
        raise InputError(f"interval {interval!r} is not one of {', '.join(INTERVALS)}")
    if stack not in _STACK_COLUMN:
        raise InputError(f"stack {stack!r} is not one of {', '.join(STACKS)}")
    bucket, fine = _BUCKETS[interval]
    prefix, params = matching_cte(flt)
    placeholders = ",".join("?" * len(fine))
    rows = run_sql(
        store,
        prefix + f"SELECT {bucket} AS b, {_STACK_COLUMN[stack]} AS k, COUNT(*) FROM events e JOIN m ON m.id = e.id "
        f"WHERE e.date_first IS NOT NULL AND e.date_granularity IN ({placeholders}) GROUP BY b, k ORDER BY b",
        [*params, *fine],
    ).fetchall()
    buckets: dict[str, dict[str, int]] = {}
    for start, key, n in rows:
        buckets.setdefault(start, {})[str(key)] = n
    undated, coarser = run_sql(
        store,
        prefix + "SELECT COALESCE(SUM(e.date_first IS NULL), 0), "
        f"COALESCE(SUM(e.date_first IS NOT NULL AND e.date_granularity NOT IN ({placeholders})), 0) "
        "FROM events e JOIN m ON m.id = e.id",
        [*params, *fine],
    ).fetchone()
    out = [{"start": start, "end": _bucket_end(start, interval), "total": sum(counts.values()), "counts": counts}
           for start, counts in buckets.items()]
    return {"interval": interval, "stack": stack, "buckets": out,
            "excluded": {"undated": undated, "coarser": coarser}}


def _bucket_end(start: str, interval: str) -> str:
    day = dt.date.fromisoformat(start)
    if interval == "day":
        return start
    if interval == "week":
        return (day + dt.timedelta(days=6)).isoformat()
    following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return (following - dt.timedelta(days=1)).isoformat()


def places(store: Store, flt: EventFilter = EventFilter(), limit: int = 200) -> list[dict[str, Any]]:
    """Places of the matching events, largest first, with their coordinates, counts per quad class
    and precision (`feature`: city, region or country; a country also gives its ISO 3166 numeric
    code, `iso_numeric`, so a map can shade it instead of drawing a point)."""
    prefix, params = matching_cte(flt)
    rows = run_sql(
        store,
        prefix + "SELECT e.place_name, e.place_country, e.lat, e.lon, COUNT(*) AS n, "
        "SUM(e.quad = 1), SUM(e.quad = 2), SUM(e.quad = 3), SUM(e.quad = 4), "
        "json_extract(e.record, '$.location.feature') AS feature FROM events e "
        "JOIN m ON m.id = e.id WHERE e.place_name IS NOT NULL "
        "GROUP BY e.place_name, e.place_country, e.lat, e.lon, feature ORDER BY n DESC, e.place_name LIMIT ?",
        [*params, limit],
    ).fetchall()
    out = []
    for r in rows:
        place = {"name": r[0], "country": r[1], "lat": r[2], "lon": r[3], "events": r[4],
                 "by_quad": {str(q): r[4 + q] for q in (1, 2, 3, 4) if r[4 + q]}, "feature": r[9] or "city"}
        if place["feature"] == "country":
            place["iso_numeric"] = _iso_numeric(r[1])
        out.append(place)
    return out


def _iso_numeric(code: str | None) -> str | None:
    """ "AFG" -> "004", as world maps key their countries; None for non-state codes."""
    if not code:
        return None
    import pycountry  # only asked for with a country-level place

    country = pycountry.countries.get(alpha_3=code)
    return getattr(country, "numeric", None)


def actors(store: Store, flt: EventFilter = EventFilter(), limit: int = 50, partners: int = 5) -> list[dict[str, Any]]:
    """Actors (name and country) of the matching events, with counts and the partners they met most."""
    prefix, params = matching_cte(flt)
    rows = run_sql(
        store,
        prefix + "SELECT x.name, x.country, COUNT(DISTINCT x.event_id) AS n, "
        "COUNT(DISTINCT CASE WHEN x.role = 'actor' THEN x.event_id END), "
        "COUNT(DISTINCT CASE WHEN x.role = 'recipient' THEN x.event_id END) "
        "FROM event_actors x JOIN m ON m.id = x.event_id GROUP BY x.name, x.country "
        "ORDER BY n DESC, x.name, x.country LIMIT ?",
        [*params, limit],
    ).fetchall()
    out = [{"name": r[0], "country": r[1], "events": r[2], "as_actor": r[3], "as_recipient": r[4], "partners": []}
           for r in rows]
    if not out or not partners:
        return out
    # Partners: who stood on the other side (actor -> recipient) of the same events, both ways.
    pairs = run_sql(
        store,
        prefix + "SELECT a.name, a.country, r.name, r.country, COUNT(DISTINCT a.event_id) AS n "
        "FROM event_actors a JOIN m ON m.id = a.event_id "
        "JOIN event_actors r ON r.event_id = a.event_id AND +r.role = 'recipient' "
        "WHERE +a.role = 'actor' GROUP BY a.name, a.country, r.name, r.country",
        params,
    ).fetchall()
    by_actor: dict[tuple, dict[tuple, int]] = {}
    for an, ac, rn, rc, n in pairs:
        for me, other in (((an, ac), (rn, rc)), ((rn, rc), (an, ac))):
            if me != other:
                slot = by_actor.setdefault(me, {})
                slot[other] = slot.get(other, 0) + n
    for item in out:
        ranked = sorted(by_actor.get((item["name"], item["country"]), {}).items(),
                        key=lambda kv: (-kv[1], kv[0][0], kv[0][1] or ""))
        item["partners"] = [{"name": n, "country": c, "events": k} for (n, c), k in ranked[:partners]]
    return out


def network(store: Store, flt: EventFilter = EventFilter(), nodes: int = 40) -> dict[str, Any]:
    """Who did what to whom: nodes are actor codes (countries, IGOs, PLOVER non-state codes), edges
    are matching events from an actor's code to a recipient's code, with counts per quad class.

    Nodes are codes, not names, so "Israel", "Netanyahu" and "Israeli troops" are one node, and an
    edge's events are exactly those of `actor=<code>&recipient=<code>`. The largest `nodes` nodes
    are kept; events with no coded actor or recipient cannot be drawn and are counted apart.
    """
    prefix, params = matching_cte(flt)
    node_rows = run_sql(
        store,
        prefix + "SELECT x.country, COUNT(DISTINCT x.event_id) AS n, "
        "COUNT(DISTINCT CASE WHEN x.role = 'actor' THEN x.event_id END), "
        "COUNT(DISTINCT CASE WHEN x.role = 'recipient' THEN x.event_id END) "
        "FROM event_actors x JOIN m ON m.id = x.event_id WHERE x.country IS NOT NULL "
        "GROUP BY x.country ORDER BY n DESC, x.country LIMIT ?",
        [*params, nodes],
    ).fetchall()
    kept = {r[0] for r in node_rows}
    names = _node_names(store, prefix, params)
    sectors: dict[str, dict[str, int]] = defaultdict(dict)
    for code, sector, n in run_sql(
        store,
        prefix + "SELECT x.country, COALESCE(x.sector, ''), COUNT(DISTINCT x.event_id) FROM event_actors x "
        "JOIN m ON m.id = x.event_id WHERE x.country IS NOT NULL GROUP BY x.country, x.sector",
        params,
    ).fetchall():
        if code in kept:
            sectors[code][sector or "unknown"] = n
    edge_rows = run_sql(
        store,
        prefix + "SELECT a.country, r.country, e.quad, COUNT(DISTINCT e.id) FROM events e JOIN m ON m.id = e.id "
        "JOIN event_actors a ON a.event_id = e.id AND +a.role = 'actor' "
        "JOIN event_actors r ON r.event_id = e.id AND +r.role = 'recipient' "
        "WHERE +a.country IS NOT NULL AND +r.country IS NOT NULL GROUP BY a.country, r.country, e.quad",
        params,
    ).fetchall()
    edges: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for source, target, quad, n in edge_rows:
        if source in kept and target in kept:
            edges[(source, target)][str(quad)] = n
    undrawn = run_sql(
        store,
        prefix + "SELECT COUNT(*) FROM m WHERE NOT EXISTS (SELECT 1 FROM event_actors a, event_actors r "
        "WHERE a.event_id = m.id AND r.event_id = m.id AND +a.role = 'actor' AND +r.role = 'recipient' "
        "AND +a.country IS NOT NULL AND +r.country IS NOT NULL)",
        params,
    ).fetchone()[0]
    return {
        "nodes": [{"id": code, "label": names.get(code, code), "events": n, "as_actor": a, "as_recipient": r,
                   "sectors": sectors.get(code, {})} for code, n, a, r in node_rows],
        "edges": [{"source": s, "target": t, "events": sum(q.values()), "by_quad": q,
                   "conflict_share": round((q.get("3", 0) + q.get("4", 0)) / sum(q.values()), 3)}
                  for (s, t), q in sorted(edges.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))],
        "not_drawn": undrawn,
    }


def _node_names(store: Store, prefix: str, params: list[Any]) -> dict[str, str]:
    """A readable label per code: the country's name, else the code's most frequent actor name."""
    labels: dict[str, str] = {}
    for code, name, _ in run_sql(
        store,
        prefix + "SELECT x.country, x.name, COUNT(*) AS n FROM event_actors x JOIN m ON m.id = x.event_id "
        "WHERE x.country IS NOT NULL GROUP BY x.country, x.name ORDER BY x.country, n DESC, x.name",
        params,
    ).fetchall():
        if code in labels:
            continue
        country = pycountry.countries.get(alpha_3=code)
        labels[code] = (getattr(country, "common_name", None) or country.name) if country else name
    return labels


__all__ = ["INTERVALS", "STACKS", "actors", "matching_cte", "network", "places", "timeline"]
