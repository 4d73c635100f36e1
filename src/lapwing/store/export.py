"""Exports of the event store: Parquet, CSV, JSON Lines and POLECAT's layout, streamed in batches.

Rows come straight off the SQLite cursor and leave in batches of BATCH_SIZE (a Parquet row group
each), so the memory an export needs does not grow with the number of events.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from ..errors import InputError, StoreError
from ..stages.quantities import QUANTITY_KINDS
from .query import EventFilter, run_sql, select_sql, where_clause
from .store import Store

BATCH_SIZE = 10_000
EXTENSIONS = {"parquet": "parquet", "csv": "csv", "jsonl": "jsonl", "polecat": "txt"}
FORMATS = tuple(EXTENSIONS)
LIST_SEPARATOR = ";"

QUAD_NAMES = {1: "VERBAL COOPERATION", 2: "MATERIAL COOPERATION", 3: "VERBAL CONFLICT", 4: "MATERIAL CONFLICT"}

# Flat event columns for CSV and Parquet: (name, Arrow type name). "list" columns hold one value per
# actor (aligned with actor_names) or context; CSV joins them with LIST_SEPARATOR.
FLAT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "string"), ("article_id", "string"), ("story_id", "string"),
    ("event_type", "string"), ("mode", "string"), ("quad", "int64"), ("intensity", "float64"),
    ("contexts", "list"), ("modality", "string"),
    ("actor_names", "list"), ("actor_countries", "list"), ("actor_sectors", "list"),
    ("recipient_names", "list"), ("recipient_countries", "list"), ("recipient_sectors", "list"),
    ("date", "string"), ("date_granularity", "string"), ("date_basis", "string"),
    ("date_first", "date"), ("date_last", "date"),
    ("place", "string"), ("place_text", "string"), ("place_feature", "string"), ("place_country", "string"),
    ("place_admin1", "string"),
    ("lat", "float64"), ("lon", "float64"), ("geonameid", "int64"),
    *((kind, "float64") for kind in QUANTITY_KINDS), ("money_currency", "string"),
    ("attribution", "string"), ("trigger", "string"), ("evidence", "string"), ("confidence", "float64"),
    ("source", "string"), ("published", "date"), ("title", "string"), ("url", "string"),
    ("engine_version", "string"),
)

# POLECAT's column layout (its public releases are tab-separated .txt files), then the columns of
# its fuller releases (Story ID ... Feed), then Lapwing's own, last so positional readers still work.
POLECAT_COLUMNS: tuple[str, ...] = (
    "Event ID", "Event Date", "Event Type", "Event Mode", "Intensity", "Quad Code", "Contexts",
    "Actor Name", "Actor Country", "Actor COW", "Primary Actor Sector", "Actor Sectors", "Actor Title",
    "Actor Name Raw", "Wikipedia Actor ID",
    "Recipient Name", "Recipient Country", "Recipient COW", "Primary Recipient Sector", "Recipient Sectors",
    "Recipient Title", "Recipient Name Raw", "Wikipedia Recipient ID",
    "Placename", "City", "District", "Province", "Country", "Latitude", "Longitude", "GeoNames ID",
    "Raw Placename", "Feature Type", "Source", "Publication Date",
    "Story People", "Story Organizations", "Story Locations", "Language", "Version",
    "Story ID", "Headline", "Event Text", "Feed",
    "Modality", "Date Precision", "Confidence",
)
POLECAT_MISSING = "None"  # how POLECAT's files write an empty field
POLECAT_JOIN = "; "

_ARTICLE_COLUMNS = "e.record, e.date_first, e.date_last, a.source, a.published, a.title, a.url, a.engine_version"


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote: the folder, its files, counts, and a note when stories were absent."""

    folder: Path
    files: tuple[Path, ...]
    events: int
    stories: int | None  # None: the store has no stories tables
    note: str | None = None


def export_events(store: Store, flt: EventFilter, fmt: str, out_dir: str | Path) -> Path:
    """Write events.<ext> (and stories.<ext> when the store has stories) into `out_dir`; return it."""
    return export(store, flt, fmt, out_dir).folder


def export(store: Store, flt: EventFilter, fmt: str, out_dir: str | Path) -> ExportResult:
    """Like export_events, but says what was written (files, counts, note)."""
    if fmt not in EXTENSIONS:
        raise InputError(f"unknown export format {fmt!r}: choose one of {', '.join(FORMATS)}")
    folder = Path(out_dir)
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder} is a file: give a folder to export into (it is created if missing)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the export folder {folder}: {exc.strerror}") from exc
    ext = EXTENSIONS[fmt]
    tables = _story_tables(store)
    events_path = folder / f"events.{ext}"
    n_events = _write_events(store, flt, fmt, events_path, tables)
    if tables is None:
        note = "this store has no stories tables: exported events only"
        return ExportResult(folder, (events_path,), n_events, None, note)
    stories_path = folder / f"stories.{ext}"
    n_stories = _write_stories(store, flt, fmt, stories_path, tables)
    note = None
    if not store.db.execute("SELECT EXISTS (SELECT 1 FROM stories)").fetchone()[0]:
        note = "this store has no stories yet (run `lapwing stories` to build them): stories file is empty"
    return ExportResult(folder, (events_path, stories_path), n_events, n_stories, note)


# -- events -------------------------------------------------------------------------------------


def _write_events(store: Store, flt: EventFilter, fmt: str, path: Path, tables: _StoryTables | None) -> int:
    columns = _ARTICLE_COLUMNS
    schema = FLAT_COLUMNS
    if tables is not None and tables.members:
        columns += ", (SELECT se.story_id FROM story_events se WHERE se.event_id = e.id LIMIT 1)"
        # story_id takes the type of stories.id (an integer in the stories migration).
        schema = tuple((n, tables.id_kind if n == "story_id" else k) for n, k in FLAT_COLUMNS)
    sql, params = select_sql(flt, columns=columns, join_articles=True)
    rows = run_sql(store, sql, params)
    if fmt == "jsonl":
        # The stored record is the event contract already serialized: copy it, one per line, with
        # the story and article columns the flat formats have appended (keys the contract lacks).
        return _stream(path, (_jsonl_event(row) for row in rows), _JsonlText)
    if fmt == "parquet":
        flat = (_flat_row(json.loads(row[0]), row) for row in rows)
        return _stream(path, flat, lambda p: _ParquetSink(p, _arrow_schema(schema)))
    if fmt == "csv":
        flat = (_flat_row(json.loads(row[0]), row) for row in rows)
        return _stream(path, flat, lambda p: _CsvSink(p, [n for n, _ in FLAT_COLUMNS], ",", _csv_cell))
    polecat = (_polecat_row(json.loads(row[0]), row) for row in rows)
    return _stream(path, polecat, lambda p: _CsvSink(p, POLECAT_COLUMNS, "\t", _polecat_cell))


def _jsonl_event(row: Any) -> str:
    """The stored record plus story_id, source, published, title and url (as in CSV and Parquet)."""
    extra = {"story_id": row[8] if len(row) > 8 else None, "source": row[3], "published": row[4],
             "title": row[5], "url": row[6]}
    record = row[0].rstrip()
    tail = json.dumps(extra, ensure_ascii=False, separators=(",", ":"))
    return f"{record[:-1]},{tail[1:]}" if record.endswith("}") and record != "{}" else record


def _flat_row(r: Mapping[str, Any], row: Any) -> dict[str, Any]:
    """One stored event (its record, and the row with its article's columns) as flat, typed columns."""
    actors, recipients = r["actors"], r["recipients"]
    date, place, attribution = r["date"], r["location"] or {}, r["attribution"] or {}
    out: dict[str, Any] = {
        "id": r["id"], "article_id": r["article_id"], "story_id": row[8] if len(row) > 8 else None,
        "event_type": r["event_type"], "mode": r["mode"], "quad": r["quad"], "intensity": r["intensity"],
        "contexts": list(r["contexts"]), "modality": r["modality"],
        "actor_names": [a["name"] for a in actors], "actor_countries": [a["country"] for a in actors],
        "actor_sectors": [a["sector"] for a in actors],
        "recipient_names": [a["name"] for a in recipients],
        "recipient_countries": [a["country"] for a in recipients],
        "recipient_sectors": [a["sector"] for a in recipients],
        "date": date["value"], "date_granularity": date["granularity"], "date_basis": date["basis"],
        "date_first": _date(row[1]), "date_last": _date(row[2]),
        "place": place.get("name"), "place_text": place.get("text"), "place_feature": place.get("feature"),
        "place_country": place.get("country"), "place_admin1": place.get("admin1"),
        "lat": place.get("lat"), "lon": place.get("lon"), "geonameid": place.get("geonameid"),
        "money_currency": None,
        "attribution": attribution.get("name"), "trigger": r["trigger"]["text"], "evidence": r["evidence"]["text"],
        "confidence": r["confidence"],
        "source": row[3], "published": _date(row[4]), "title": row[5], "url": row[6], "engine_version": row[7],
    }
    for kind in QUANTITY_KINDS:
        out[kind] = None
    # Several numbers of one kind in one event ("7 killed", later "the toll rose to 8"): keep the largest.
    for q in r["quantities"]:
        if q["kind"] in out and (out[q["kind"]] is None or q["value"] > out[q["kind"]]):
            out[q["kind"]] = float(q["value"])
            if q["kind"] == "money":
                out["money_currency"] = q["unit"]
    return out


def _polecat_row(r: Mapping[str, Any], row: Any) -> dict[str, Any]:
    """An event in POLECAT's columns (several actors are joined with '; ' when written)."""
    flat = _flat_row(r, row)
    return {
        "Event ID": flat["id"],
        # POLECAT dates are days: a coarser date gives its first day, and Date Precision says so.
        "Event Date": flat["date_first"],
        "Event Type": flat["event_type"], "Event Mode": flat["mode"], "Intensity": flat["intensity"],
        "Quad Code": QUAD_NAMES.get(flat["quad"]), "Contexts": flat["contexts"],
        "Actor Name": flat["actor_names"], "Actor Country": flat["actor_countries"],
        "Primary Actor Sector": (flat["actor_sectors"] or [None])[0], "Actor Sectors": flat["actor_sectors"],
        "Recipient Name": flat["recipient_names"], "Recipient Country": flat["recipient_countries"],
        "Primary Recipient Sector": (flat["recipient_sectors"] or [None])[0],
        "Recipient Sectors": flat["recipient_sectors"],
        "Actor Name Raw": [a["text"] for a in r["actors"]],
        "Recipient Name Raw": [a["text"] for a in r["recipients"]],
        "Placename": flat["place"], "Raw Placename": flat["place_text"], "Feature Type": flat["place_feature"],
        "City": flat["place"] if flat["place_feature"] == "city" else None, "Province": flat["place_admin1"], "Country": flat["place_country"],
        "Latitude": flat["lat"], "Longitude": flat["lon"], "GeoNames ID": flat["geonameid"],
        "Source": flat["source"], "Publication Date": flat["published"], "Language": "en",
        "Version": flat["engine_version"],
        # A POLECAT "story" is the news story an event was coded from: Lapwing's article.
        "Story ID": flat["article_id"], "Headline": flat["title"], "Event Text": flat["evidence"],
        "Feed": flat["url"],
        "Modality": flat["modality"], "Date Precision": flat["date_granularity"], "Confidence": flat["confidence"],
    }


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None  # a published value that is not a date is left empty rather than failing the export


# -- stories (tables of the stories engine, when present) ----------------------------------------


@dataclass(frozen=True)
class _StoryTables:
    columns: tuple[tuple[str, str], ...]  # (name, declared SQLite type) of `stories`
    members: bool  # story_events links stories.id to events.id

    @property
    def id_kind(self) -> str:
        return next((_arrow_kind(decl) for name, decl in self.columns if name == "id"), "string")


def _story_tables(store: Store) -> _StoryTables | None:
    names = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
    if "stories" not in names:
        return None
    columns = tuple((r[1], (r[2] or "").upper()) for r in store.db.execute("PRAGMA table_info(stories)"))
    members = False
    if "story_events" in names:
        linked = {r[1] for r in store.db.execute("PRAGMA table_info(story_events)")}
        members = {"story_id", "event_id"} <= linked and any(name == "id" for name, _ in columns)
    return _StoryTables(columns, members)


def _write_stories(store: Store, flt: EventFilter, fmt: str, path: Path, tables: _StoryTables) -> int:
    # Column names come from the database schema, never from the user; quoted all the same.
    select = ", ".join(f's."{name.replace(chr(34), chr(34) * 2)}"' for name, _ in tables.columns)
    columns = list(tables.columns)
    sql = f"SELECT {select}"
    if tables.members:
        sql += ", (SELECT json_group_array(se.event_id) FROM story_events se WHERE se.story_id = s.id)"
        columns.append(("event_ids", "LIST"))
    sql += " FROM stories s"
    where, params = where_clause(flt)
    if where and tables.members:
        # A story is exported when one of its events matches the filter.
        sql += f" WHERE s.id IN (SELECT se.story_id FROM story_events se JOIN events e ON e.id = se.event_id WHERE {where})"
    sql += " ORDER BY s.id" if tables.members else ""
    names = [name for name, _ in columns]

    def rows() -> Iterator[dict[str, Any]]:
        for row in run_sql(store, sql, params):
            out = dict(zip(names, row))
            if tables.members:
                out["event_ids"] = json.loads(out["event_ids"])
            yield out

    if fmt == "jsonl":
        return _stream(path, (json.dumps(_decoded(r), ensure_ascii=False) for r in rows()), _JsonlText)
    if fmt == "parquet":
        kinds = tuple((name, _arrow_kind(decl)) for name, decl in columns)
        return _stream(path, rows(), lambda p: _ParquetSink(p, _arrow_schema(kinds)))
    delimiter, cell = ("\t", _polecat_cell) if fmt == "polecat" else (",", _csv_cell)
    return _stream(path, rows(), lambda p: _CsvSink(p, names, delimiter, cell))


# Story columns holding JSON text: objects in JSON Lines, the JSON text itself in flat formats.
JSON_STORY_COLUMNS = frozenset({"quantities"})


def _decoded(row: dict[str, Any]) -> dict[str, Any]:
    for name in JSON_STORY_COLUMNS & row.keys():
        if isinstance(row[name], str):
            try:
                row[name] = json.loads(row[name])
            except ValueError:
                pass  # not JSON after all: keep the text as stored
    return row


def _arrow_kind(declared: str) -> str:
    # SQLite's own affinity rules, reduced to the Arrow types an export needs.
    if declared == "LIST":
        return "list"
    if "INT" in declared:
        return "int64"
    if any(word in declared for word in ("REAL", "FLOA", "DOUB")):
        return "float64"
    return "string"


# -- sinks: where batches go -------------------------------------------------------------------


def _stream(path: Path, items: Iterable[Any], open_sink: Callable[[Path], Any]) -> int:
    """Write items in batches of BATCH_SIZE; never holds more than one batch."""
    count = 0
    sink = open_sink(path)
    try:
        batch: list[Any] = []
        for item in items:
            batch.append(item)
            if len(batch) >= BATCH_SIZE:
                sink.write(batch)
                count += len(batch)
                batch = []
        if batch:
            sink.write(batch)
            count += len(batch)
    except OSError as exc:
        raise StoreError(f"cannot write {path}: {exc.strerror or exc}; free space or choose another folder") from exc
    finally:
        sink.close()
    return count


class _JsonlText:
    def __init__(self, path: Path) -> None:
        self.out: TextIO = _open_text(path)

    def write(self, lines: list[str]) -> None:
        self.out.write("\n".join(lines))
        self.out.write("\n")

    def close(self) -> None:
        self.out.close()


class _CsvSink:
    def __init__(self, path: Path, columns: Iterable[str], delimiter: str, cell: Callable[[Any], str]) -> None:
        self.columns = tuple(columns)
        self.cell = cell
        self.out = _open_text(path, newline="")
        self.writer = csv.writer(self.out, delimiter=delimiter, lineterminator="\n")
        self.writer.writerow(self.columns)

    def write(self, rows: list[Mapping[str, Any]]) -> None:
        self.writer.writerows([self.cell(row.get(c)) for c in self.columns] for row in rows)

    def close(self) -> None:
        self.out.close()


class _ParquetSink:
    def __init__(self, path: Path, schema: Any) -> None:
        pq = _pyarrow()[1]
        self.schema = schema
        self.writer = pq.ParquetWriter(str(path), schema, compression="zstd")

    def write(self, rows: list[Mapping[str, Any]]) -> None:
        pa = _pyarrow()[0]
        table = pa.Table.from_pylist(rows, schema=self.schema)
        self.writer.write_table(table)  # one row group per batch

    def close(self) -> None:
        self.writer.close()


def _open_text(path: Path, newline: str | None = None) -> TextIO:
    try:
        return open(path, "w", encoding="utf-8", newline=newline)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror}") from exc


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    kind = type(value)
    if kind is str:
        return value
    if kind is list:
        return LIST_SEPARATOR.join("" if v is None else str(v) for v in value)
    if kind is float and value.is_integer():
        return str(int(value))  # 7.0 killed reads as 7
    return str(value)


def _polecat_cell(value: Any) -> str:
    if value is None or value == []:
        return POLECAT_MISSING
    kind = type(value)
    if kind is str:
        return _one_line(value)
    if kind is list:
        return POLECAT_JOIN.join(POLECAT_MISSING if v is None else _one_line(str(v)) for v in value)
    return str(value)


def _one_line(text: str) -> str:
    # Newlines or tabs inside a field would break readers that split lines on their own.
    if "\n" in text or "\t" in text or "\r" in text:
        return " ".join(text.split())
    return text


def _pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ModuleNotFoundError as exc:
        raise InputError(
            'Parquet export needs pyarrow: pip install "lapwing[export]" (or pyarrow), '
            "or choose --format csv, jsonl or polecat"
        ) from exc
    return pa, pq


def _arrow_schema(columns: Iterable[tuple[str, str]]) -> Any:
    pa = _pyarrow()[0]
    types = {"string": pa.string(), "int64": pa.int64(), "float64": pa.float64(), "date": pa.date32(),
             "list": pa.list_(pa.string())}
    return pa.schema([(name, types[kind]) for name, kind in columns])
