"""Querying the event store: one filter for the CLI, the HTTP API and exports; stats over it.

Every value a user gives reaches SQLite as a `?` parameter; the SQL text is built only from the
fixed fragments below, so no filter can change what a query does.
"""

from __future__ import annotations

import functools
import json
import re
import sqlite3
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from ..errors import InputError, StoreError
from ..io.writers import date_cell
from ..ontology import EVENT_TYPES, LEGACY_TYPES
from ..records import MODALITIES
from .keys import fold, source_key
from .store import Store, date_range
from .stories import count_stories, list_stories

# sort name -> ORDER BY; every order ends in e.id so pages never overlap or skip.
SORTS: dict[str, str] = {
    "date": "e.date_first NULLS LAST, e.id",
    # latest first; of two that start on one day, the more precisely dated (a day before its month)
    "-date": "e.date_first DESC, e.date_last, e.id",
    "confidence": "e.confidence, e.id",
    "-confidence": "e.confidence DESC, e.id",
    "type": "e.event_type, e.date_first NULLS LAST, e.id",
}

# Three letters are a country or PLOVER non-state code (ISR, usa, IGO); anything else is part of a name.
_CODE = re.compile(r"[A-Za-z]{3}")
_WORD = re.compile(r"\w", re.UNICODE)


def _tuple(value: Any) -> tuple:
    if value is None:
        return ()
    if isinstance(value, (str, int)):
        return (value,)
    return tuple(value)


def _blank_to_none(value: str | None) -> str | None:
    return value.strip() or None if isinstance(value, str) else value


_ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def _days(value: str, name: str) -> tuple[str, str]:
    first, last = date_range(value, "day") if _ISO_DATE.fullmatch(value) else (None, None)
    if first is None or last is None:
        raise InputError(f"{name} {value!r} is not a date: give YYYY-MM-DD, YYYY-MM or YYYY")
    return first, last


@dataclass(frozen=True)
class EventFilter:
    """Which events to return, in what order and how many; every field is optional."""

    event_type: tuple[str, ...] | str | None = None
    quad: tuple[int, ...] | int | None = None
    actor: str | None = None
    recipient: str | None = None
    country: str | None = None  # actor or recipient
    place: str | None = None
    bbox: tuple[float, float, float, float] | None = None  # min_lon, min_lat, max_lon, max_lat
    since: str | None = None
    until: str | None = None
    modality: tuple[str, ...] | str | None = None
    text: str | None = None
    source: str | None = None
    article_id: str | None = None
    limit: int | None = None
    offset: int = 0
    sort: str = "date"

    def __post_init__(self) -> None:
        # Normalize here so every caller (CLI, API, export) gets the same checks and messages.
        put = lambda name, value: object.__setattr__(self, name, value)
        types = []
        for t in _tuple(self.event_type):
            key = (fold(str(t)) or "").replace(" ", "_").upper()
            name = LEGACY_TYPES.get(key, key)
            if name not in EVENT_TYPES:
                raise InputError(f"unknown event type {t!r}: use one of {', '.join(EVENT_TYPES)}")
            types.append(name)
        put("event_type", tuple(types) or None)
        quads = []
        for q in _tuple(self.quad):
            if str(q).strip() not in {"1", "2", "3", "4"}:
                raise InputError(f"quad {q!r} is not a quad class: use 1, 2, 3 or 4")
            quads.append(int(q))
        put("quad", tuple(quads) or None)
        modalities = tuple(str(m).strip().lower() for m in _tuple(self.modality))
        for m in modalities:
            if m not in MODALITIES:
                raise InputError(f"unknown modality {m!r}: use one of {', '.join(MODALITIES)}")
        put("modality", modalities or None)
        for name in ("actor", "recipient", "country", "place", "since", "until", "text", "source", "article_id"):
            put(name, _blank_to_none(_printable(getattr(self, name), name)))
        if self.since:
            _days(self.since, "since")
        if self.until:
            _days(self.until, "until")
        if self.bbox is not None:
            put("bbox", _check_bbox(self.bbox))
        if self.sort not in SORTS:
            raise InputError(f"unknown sort {self.sort!r}: use one of {', '.join(SORTS)}")
        if self.limit is not None and (not isinstance(self.limit, int) or self.limit < 0):
            raise InputError(f"limit {self.limit!r} must be a whole number of 0 or more")
        if not isinstance(self.offset, int) or self.offset < 0:
            raise InputError(f"offset {self.offset!r} must be a whole number of 0 or more")


def _printable(value: Any, name: str) -> Any:
    """`value`, unless it holds a control character or a lone surrogate: refused, not matched.

    SQLite reads a NUL as the end of a LIKE pattern or full-text query, so "%00" would match every
    event; no name, place or word holds such characters, so they are refused whatever they are.
    """
    if isinstance(value, str):
        for i, ch in enumerate(value):
            kind = unicodedata.category(ch)
            if kind in ("Cc", "Cs"):
                what = "a lone surrogate" if kind == "Cs" else "the control character"
                raise InputError(f"{_LABELS.get(name, name)} {value!r} has {what} U+{ord(ch):04X} at character {i}: "
                                 "remove it")
    return value


_LABELS = {"article_id": "article"}


def _check_bbox(bbox: Sequence[Any]) -> tuple[float, float, float, float]:
    try:
        values = tuple(float(v) for v in bbox)
    except (TypeError, ValueError):
        values = ()
    if len(values) != 4:
        raise InputError(f"bbox {bbox!r} must be four numbers: min_lon,min_lat,max_lon,max_lat")
    min_lon, min_lat, max_lon, max_lat = values
    if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise InputError(
            f"bbox {bbox!r} is not a box: longitudes within -180..180, latitudes within -90..90, min_lat <= max_lat"
        )
    return min_lon, min_lat, max_lon, max_lat


def parse_filter(params: Mapping[str, Any]) -> EventFilter:
    """An EventFilter from string values (CLI options, URL query): lists comma-separated."""
    known = {f.name for f in fields(EventFilter)}
    aliases = {"type": "event_type", "article": "article_id"}
    kwargs: dict[str, Any] = {}
    for key, value in params.items():
        name = aliases.get(key, key)
        if name not in known:
            raise InputError(f"unknown filter {key!r}: use one of {', '.join(sorted(known | set(aliases)))}")
        if value is None or value == "" or value == []:
            continue
        if name in ("event_type", "quad", "modality", "bbox"):
            items = value.split(",") if isinstance(value, str) else [p for v in value for p in str(v).split(",")]
            kwargs[name] = tuple(item.strip() for item in items if item.strip())
        elif name in ("limit", "offset"):
            try:
                kwargs[name] = int(value)
            except (TypeError, ValueError):
                raise InputError(f"{key} {value!r} must be a whole number") from None
        else:
            kwargs[name] = str(value)
    return EventFilter(**kwargs)


def fts_query(text: str) -> str:
    """A safe FTS5 query: every word a quoted string, all required; operators lose their power."""
    # Quoting each word makes OR, NEAR, *, ^, column: and parentheses plain text; a word with no
    # letters or digits would be an empty phrase, so it is dropped.
    # SQLite reads a NUL as the end of the query string, so NUL separates words here.
    words = [w for w in text.replace("\x00", " ").split() if _WORD.search(w)]
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def where_clause(flt: EventFilter) -> tuple[str, list[Any]]:
    """SQL conditions on `events e` (joined to nothing) and their parameters, for a filter."""
    conds: list[str] = []
    params: list[Any] = []

    def among(column: str, values: Sequence[Any] | None) -> None:
        if values:
            conds.append(f"{column} IN ({','.join('?' * len(values))})")
            params.extend(values)

    among("e.event_type", flt.event_type)
    among("e.quad", flt.quad)
    among("e.modality", flt.modality)
    for value, role in ((flt.actor, "actor"), (flt.recipient, "recipient"), (flt.country, None)):
        if value:
            sql, args = _actor_condition(value, role)
            conds.append(sql)
            params.extend(args)
    if flt.place:
        sql, args = _place_condition(flt.place)
        conds.append(sql)
        params.extend(args)
    if flt.bbox:
        min_lon, min_lat, max_lon, max_lat = flt.bbox
        lon = "e.lon BETWEEN ? AND ?" if min_lon <= max_lon else "(e.lon >= ? OR e.lon <= ?)"  # crosses 180
        conds.append(f"{lon} AND e.lat BETWEEN ? AND ?")
        params.extend([min_lon, max_lon, min_lat, max_lat])
    # Overlap, not containment: an event dated "2024-04" is in --since 2024-04-15.
    if flt.since:
        conds.append("e.date_last >= ?")
        params.append(_days(flt.since, "since")[0])
    if flt.until:
        conds.append("e.date_first <= ?")
        params.append(_days(flt.until, "until")[1])
    if flt.text:
        match = fts_query(flt.text)
        if not match:
            conds.append("0")  # only punctuation: nothing can match it
        else:
            conds.append(
                "e.article_id IN (SELECT id FROM articles WHERE rowid IN "
                "(SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?))"
            )
            params.append(match)
    if flt.source:
        conds.append("e.article_id IN (SELECT id FROM articles WHERE source_key = ?)")
        params.append(source_key(flt.source))
    if flt.article_id:
        conds.append("e.article_id = ?")
        params.append(flt.article_id)
    return " AND ".join(conds), params


def _actor_condition(value: str, role: str | None) -> tuple[str, list[Any]]:
    if _CODE.fullmatch(value):
        cond, args = "x.country = ?", [value.upper()]
    else:
        key = fold(value) or value.casefold()  # only punctuation: matched as typed
        escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        cond, args = "x.name_key LIKE ? ESCAPE '\\'", [f"%{escaped}%"]
    if role:
        cond += " AND x.role = ?"
        args.append(role)
    return f"e.id IN (SELECT x.event_id FROM event_actors x WHERE {cond})", args


def _place_condition(value: str) -> tuple[str, list[Any]]:
    """A place by any of its names: its gazetteer name or the article's words for it, folded
    ("Rafah" finds "Rafaḩ"), or a gazetteer place the name stands for ("Bombay" finds Mumbai)."""
    key = fold(value) or value.casefold()
    ids = place_ids(value)
    cond = "(e.place_key = ? OR e.place_text_key = ?"
    if ids:
        cond += f" OR e.geonameid IN ({','.join('?' * len(ids))})"
    return cond + ")", [key, key, *ids]


def place_ids(name: str) -> tuple[int, ...]:
    """Geonames ids a place name stands for: the gazetteer's best match for it (own or alternate
    name: "Bombay" is Mumbai) and every place whose own name it is ("Georgia": the country and the
    state). Empty when the gazetteer cannot be loaded: folded names still match."""
    return _place_ids(fold(name) or "")


@functools.lru_cache(maxsize=1024)
def _place_ids(key: str) -> tuple[int, ...]:
    if not key:
        return ()
    try:
        from ..gazetteer import Gazetteer

        entries = Gazetteer.default().lookup(key, variants=False)
    except Exception:  # noqa: BLE001 - a missing gazetteer must not break a query
        return ()
    chosen = entries[:1] + [e for e in entries[1:] if fold(e.name) == key]
    return tuple(sorted({e.geonameid for e in chosen if e.geonameid is not None}))


def select_sql(flt: EventFilter, columns: str = "e.record", join_articles: bool = False) -> tuple[str, list[Any]]:
    """The full SELECT for a filter (order, limit, offset included) and its parameters."""
    where, params = where_clause(flt)
    sql = f"SELECT {columns} FROM events e"
    if join_articles:
        sql += " JOIN articles a ON a.id = e.article_id"
    if where:
        sql += f" WHERE {where}"
    sql += f" ORDER BY {SORTS[flt.sort]}"
    if flt.limit is not None or flt.offset:
        sql += " LIMIT ? OFFSET ?"
        params += [flt.limit if flt.limit is not None else -1, flt.offset]
    return sql, params


def query_events(store: Store, flt: EventFilter = EventFilter()) -> Iterator[dict[str, Any]]:
    """Matching events in the event contract (docs/events.md), streamed from the cursor."""
    sql, params = select_sql(flt)
    for row in run_sql(store, sql, params):
        yield json.loads(row[0])


def count_events(store: Store, flt: EventFilter = EventFilter()) -> int:
    """How many events match the filter, ignoring its limit and offset."""
    where, params = where_clause(flt)
    sql = "SELECT COUNT(*) FROM events e" + (f" WHERE {where}" if where else "")
    return run_sql(store, sql, params).fetchone()[0]


# The orders of the story list (GET /stories). "date" is stories.list_stories' own order.
def story_page(store: Store, *, since: str | None = None, until: str | None = None, event_type: str | None = None,
               min_sources: int = 1, sort: str = "date", limit: int | None = None,
               offset: int = 0) -> tuple[int, list[dict[str, Any]]]:
    """How many stories match, and one page of them in `sort` order (the HTTP API's dates are YYYY-MM-DD)."""
    for value, name in ((since, "since"), (until, "until")):
        if value is not None and (not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) or date_range(value, "day")[0] is None):
            raise InputError(f"{name} {value!r} is not a date: give YYYY-MM-DD")
    found = list_stories(store, since=since, until=until, event_type=event_type, min_sources=min_sources,
                         limit=limit, offset=offset, sort=sort)
    total = count_stories(store, since=since, until=until, event_type=event_type, min_sources=min_sources)
    return total, found


def run_sql(store: Store, sql: str, params: Sequence[Any]) -> sqlite3.Cursor:
    try:
        return store.db.execute(sql, list(params))
    except sqlite3.OperationalError as exc:
        raise StoreError(f"{store.path}: query failed: {exc}") from exc


# -- stats --------------------------------------------------------------------------------------

UNKNOWN = "unknown"

# group name -> SQL counting matching events per key; {events} is `events` or the filtered CTE `m`.
_GROUPS: dict[str, str] = {
    "event_type": "SELECT e.event_type AS k, COUNT(*) FROM {events} e GROUP BY k",
    "quad": "SELECT e.quad AS k, COUNT(*) FROM {events} e GROUP BY k",
    "modality": "SELECT e.modality AS k, COUNT(*) FROM {events} e GROUP BY k",
    "month": "SELECT substr(e.date_first, 1, 7) AS k, COUNT(*) FROM {events} e GROUP BY k",
    "source": "SELECT a.source AS k, COUNT(*) FROM {events} e JOIN articles a ON a.id = e.article_id GROUP BY k",
    # An event with two Israeli actors counts once for ISR.
    "actor_country": "SELECT x.country AS k, COUNT(DISTINCT x.event_id) FROM {actors} x WHERE x.role = 'actor' GROUP BY k",
    "recipient_country": "SELECT x.country AS k, COUNT(DISTINCT x.event_id) FROM {actors} x "
    "WHERE x.role = 'recipient' GROUP BY k",
}


def stats(store: Store, flt: EventFilter = EventFilter()) -> dict[str, Any]:
    """Counts of matching events by type, quad, actor and recipient country, month, source, modality."""
    where, params = where_clause(flt)
    if where:
        prefix = f"WITH m AS (SELECT e.* FROM events e WHERE {where}) "
        tables = {"events": "m", "actors": "(SELECT y.* FROM event_actors y JOIN m ON m.id = y.event_id)"}
    else:
        # Unfiltered, the groups read the tables (and their covering indexes) directly.
        prefix, tables = "", {"events": "events", "actors": "event_actors"}
    events, articles = run_sql(
        store, f"{prefix}SELECT COUNT(*), COUNT(DISTINCT e.article_id) FROM {tables['events']} e", params
    ).fetchone()
    result: dict[str, Any] = {"totals": store.counts(), "matching": {"events": events, "articles": articles}}
    for name, group_sql in _GROUPS.items():
        rows = run_sql(store, prefix + group_sql.format(**tables), params).fetchall()
        counts = [(UNKNOWN if key is None else str(key), n) for key, n in rows]
        # Months read best in time order; everything else by size.
        counts.sort(key=(lambda kv: kv[0]) if name == "month" else (lambda kv: (-kv[1], kv[0])))
        result[f"by_{name}"] = dict(counts)
    return result


_QUADS = {"1": "verbal coop.", "2": "material coop.", "3": "verbal conflict", "4": "material conflict"}


def format_stats(summary: Mapping[str, Any], top: int = 15) -> str:
    """A readable summary of `stats()`: totals, then the largest groups of each kind."""
    t, m = summary["totals"], summary["matching"]
    lines = [
        f"store: {t['articles']:,} articles, {t['events']:,} events, {t['errors']:,} input errors",
    ]
    if (m["events"], m["articles"]) != (t["events"], t["articles"]):
        lines.append(f"matching the filters: {m['events']:,} events in {m['articles']:,} articles")
    titles = {
        "by_event_type": "event type", "by_quad": "quad class", "by_modality": "modality",
        "by_actor_country": "actor country", "by_recipient_country": "recipient country",
        "by_month": "month (event date)", "by_source": "source",
    }
    for key, title in titles.items():
        counts = summary.get(key) or {}
        if not counts:
            continue
        lines.append("")
        lines.append(f"{title:<24}{'events':>10}")
        items = list(counts.items())
        shown = items if key == "by_month" and len(items) <= 36 else items[:top]
        for name, n in shown:
            label = f"{name} {_QUADS.get(name, '')}".strip() if key == "by_quad" else name
            lines.append(f"  {_cut(label, 22):<22}{n:>10,}")
        if len(items) > len(shown):
            lines.append(f"  ... and {len(items) - len(shown)} more (--json lists all)")
    return "\n".join(lines)


# -- one line per event, for terminals ---------------------------------------------------------

# (header, width); the last column is never cut.
_TABLE: tuple[tuple[str, int], ...] = (
    ("DATE", 10), ("TYPE", 20), ("MODALITY", 12), ("ACTORS -> RECIPIENTS", 44), ("PLACE", 16),
    ("QUANTITIES", 16), ("TRIGGER", 14), ("ARTICLE", 16),
)


def table_header() -> str:
    """The header line of `event_row` lines."""
    return "  ".join(h.ljust(w) for h, w in _TABLE).rstrip()


def event_row(record: Mapping[str, Any]) -> str:
    """One terminal line for an event record: date, type, modality, who, where, numbers, trigger, article."""
    kind = f"{record['event_type']} ({record['mode']})" if record.get("mode") else record["event_type"]
    who = f"{_actors(record.get('actors') or [])} -> {_actors(record.get('recipients') or [])}"
    location = record.get("location") or {}
    cells = [
        date_cell((record.get("date") or {}).get("value"), (record.get("date") or {}).get("text")),
        kind,
        record.get("modality") or "",
        who,
        location.get("name") or "",
        ", ".join(_quantity(q) for q in record.get("quantities") or []),
        (record.get("trigger") or {}).get("text") or "",
        record.get("article_id") or "",
    ]
    parts = [_cut(_flat(c), w).ljust(w) for c, (_, w) in zip(cells[:-1], _TABLE)]
    return "  ".join(parts + [cells[-1]]).rstrip()


def _actors(actors: Sequence[Mapping[str, Any]]) -> str:
    if not actors:
        return "-"
    return " + ".join(f"{a['name']} ({a['country']})" if a.get("country") else str(a["name"]) for a in actors)


def _quantity(q: Mapping[str, Any]) -> str:
    value = float(q["value"])
    number = str(int(value)) if value.is_integer() else f"{value:g}"
    unit = f" {q['unit']}" if q.get("unit") else ""
    return f"{q['kind']}={'~' if q.get('approximate') else ''}{number}{unit}"


def _flat(text: str) -> str:
    return " ".join(str(text).split())


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "\u2026"
