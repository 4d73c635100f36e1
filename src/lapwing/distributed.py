"""`--engine dask`: code partitioned input on a Dask cluster into partitioned Parquet; `load` it into a store.

The output folder holds `events/part-NNNNN.parquet` and `articles/part-NNNNN.parquet` (one of each per
input partition), `errors/` (inputs that could not be read) and `_lapwing.json` (what wrote it). Each
part is written to a temporary name and renamed, and the articles part last, so a part that exists
is complete. Dask and pyarrow are imported lazily: the default install never needs them.
"""

from __future__ import annotations

import datetime as dt
import glob
import json
import math
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .api import ENGINE_VERSION, EngineOptions, extract_many
from .doc import Doc
from .errors import InputError, LapwingError, StoreError
from .records import Article

if TYPE_CHECKING:
    from .io.collections import ReadOptions

PARQUET_SUFFIXES = (".parquet", ".pq")
MANIFEST = "_lapwing.json"
# A task should be long enough to hide scheduling overhead and short enough to balance: ~minutes.
PARTITION_BYTES = 8_000_000
PARTITION_ROWS = 2_000
_INSTALL = 'install the extra: pip install "lapwing[dask]"'


@dataclass(frozen=True)
class Partition:
    """One unit of work: whole article files, or some row groups of one Parquet file."""

    index: int
    kind: str  # files | parquet
    paths: tuple[str, ...]
    row_groups: tuple[int, ...] = ()
    first_row: int = 0


@dataclass(frozen=True)
class PartResult:
    """What one partition produced."""

    index: int
    articles: int
    events: int
    errors: tuple[tuple[str, str], ...]
    seconds: float


@dataclass(frozen=True)
class DaskRunResult:
    """A whole `--engine dask` run: totals, and the inputs that could not be read (source, message)."""

    out: Path
    partitions: int
    articles: int
    events: int
    errors: tuple[tuple[str, str], ...]
    seconds: float


@dataclass(frozen=True)
class LoadResult:
    """What `lapwing load` did: articles written, articles skipped as already stored, events, errors."""

    loaded: int
    skipped: int
    events: int
    errors: int


# -- command-line options ----------------------------------------------------------------------------


def add_dask_arguments(parser: Any) -> None:
    """Add --engine {local,dask}, --scheduler, --out (and --text-column unless the parser has it)."""
    parser.add_argument("--engine", choices=("local", "dask"), default="local",
                        help="local (default: this machine, into --db) or dask (a Dask cluster, into --out Parquet)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="Dask scheduler, e.g. tcp://host:8786 (default: a local cluster of --workers processes)")
    parser.add_argument("--out", metavar="DIR", help="with --engine dask: the Parquet output folder, e.g. events.parquet/")
    if "--text-column" not in parser._option_string_actions:  # the ingest command may define it for CSV
        parser.add_argument("--text-column", default="text", metavar="NAME",
                            help="column holding the article text in Parquet/CSV input (default: text)")


# -- planning ----------------------------------------------------------------------------------------


def plan(inputs: Sequence[str], *, slots: int = 1) -> tuple[list[Partition], list[tuple[str, str]]]:
    """Split inputs into partitions (files are never split; Parquet by row groups) and unusable inputs."""
    from .io.collections import expand_sources

    files: list[Path] = []
    tables: list[Path] = []
    problems: list[tuple[str, str]] = []
    for source in inputs:
        path = Path(source)
        if path.is_file() and path.suffix.lower() in PARQUET_SUFFIXES:
            tables.append(path)
            continue
        found = _parquet_under(source)
        for item in expand_sources([source]):
            if isinstance(item, InputError):
                # A folder or glob of Parquet files only is fine: the collection reader does not know Parquet.
                if not (found and item.message.startswith(("folder has no readable files", "no file matches"))):
                    problems.append((item.source or source, item.message))
            elif item[1] is None:
                problems.append((source, "standard input cannot be shared by a cluster: save it to a file first"))
            else:
                files.append(item[1])
        tables += found
    partitions: list[Partition] = []
    _plan_files(files, slots, partitions)
    for table in tables:
        try:
            _plan_table(table, slots, partitions)
        except LapwingError as exc:
            problems.append((str(table), str(exc)))
    return partitions, problems


def _parquet_under(source: str) -> list[Path]:
    """Parquet files in a folder (recursively, skipping hidden and _metadata-like names) or matching a glob."""
    path = Path(source)
    if path.is_dir():
        candidates = [p for p in path.rglob("*") if not any(n.startswith((".", "_")) for n in p.relative_to(path).parts)]
    elif set("*?[") & set(source):
        candidates = [Path(m) for m in glob.glob(source, recursive=True)]
    else:
        return []
    return sorted(p for p in candidates if p.suffix.lower() in PARQUET_SUFFIXES and p.is_file())


def _plan_files(files: list[Path], slots: int, out: list[Partition]) -> None:
    sizes = [_size(f) for f in files]
    # At least ~4 tasks per worker on small inputs, so two workers share a six-file corpus.
    target = max(1, min(PARTITION_BYTES, math.ceil(sum(sizes) / (slots * 4))))
    batch: list[str] = []
    total = 0
    for file, size in zip(files, sizes):
        batch.append(str(file))
        total += size
        if total >= target:
            out.append(Partition(len(out), "files", tuple(batch)))
            batch, total = [], 0
    if batch:
        out.append(Partition(len(out), "files", tuple(batch)))


def _plan_table(path: Path, slots: int, out: list[Partition]) -> None:
    pq = _pyarrow_parquet()
    try:
        meta = pq.ParquetFile(path).metadata
    except (OSError, ValueError) as exc:  # pyarrow.ArrowInvalid is a ValueError
        raise InputError(f"cannot read the Parquet file ({exc}): check that it is a complete Parquet file") from exc
    rows = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
    target = max(1, min(PARTITION_ROWS, math.ceil(sum(rows) / (slots * 4))))
    groups: list[int] = []
    first = count = 0
    for i, n in enumerate(rows):
        groups.append(i)
        count += n
        if count >= target:
            out.append(Partition(len(out), "parquet", (str(path),), tuple(groups), first))
            first += count
            groups, count = [], 0
    if groups:
        out.append(Partition(len(out), "parquet", (str(path),), tuple(groups), first))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # the worker reports why it cannot be read


# -- the worker side --------------------------------------------------------------------------------


def code_partition(part: Partition, out: str, options: EngineOptions, reading: ReadOptions) -> PartResult:
    """Code one partition and write its events, articles and errors parts (runs on a worker)."""
    t0 = time.perf_counter()
    errors: list[tuple[str, str]] = []
    origins: dict[str, str] = {}

    def articles() -> Iterator[Article]:
        for origin, item in _read_partition(part, reading):
            if isinstance(item, InputError):
                errors.append((item.source or origin, item.message))
            elif item.id not in origins:  # the same text twice in a partition is coded once
                origins[item.id] = origin
                yield item

    # extract_many with one worker uses lapwing.api's per-process pipeline cache: built once per worker.
    docs = list(extract_many(articles(), workers=1, options=options))
    root = Path(out)
    name = f"part-{part.index:05d}.parquet"
    _write_table(event_table(docs), root / "events" / name)
    _write_table(_error_table(errors, part.index), root / "errors" / name)
    _write_table(article_table(docs, origins, part.index), root / "articles" / name)  # last: marks the part done
    return PartResult(part.index, len(docs), sum(len(d.events) for d in docs), tuple(errors), time.perf_counter() - t0)


def _read_partition(part: Partition, reading: ReadOptions) -> Iterator[tuple[str, Article | InputError]]:
    if part.kind == "files":
        from .io.collections import read_collection

        yield from read_collection(list(part.paths), reading)  # the same readers as `lapwing ingest`
        return
    yield from ((part.paths[0], item) for item in _read_rows(part, reading.published, reading.text_column))


def _read_rows(part: Partition, published: dt.date | None, text_column: str) -> Iterator[Article | InputError]:
    """Articles from rows of a Parquet file: `text_column` plus id/title/url/source/published when present."""
    pq = _pyarrow_parquet()
    path = part.paths[0]
    handle = pq.ParquetFile(path)
    names = handle.schema_arrow.names
    if text_column not in names:
        yield InputError(f"has no {text_column!r} column (columns: {', '.join(names)}): name it with --text-column", path)
        return
    columns = [c for c in (text_column, "id", "title", "url", "source", "published") if c in names]
    row = part.first_row
    for batch in handle.iter_batches(batch_size=256, row_groups=list(part.row_groups), columns=columns):
        for record in batch.to_pylist():
            yield _row_article(record, text_column, published, f"{path}:row {row}")
            row += 1


def _row_article(record: dict[str, Any], text_column: str, published: dt.date | None, where: str) -> Article | InputError:
    from .io.readers import parse_published

    text = record.get(text_column)
    if not isinstance(text, str) or not text.strip():
        return InputError(f"column {text_column!r} is empty or not text: give each row the article text", where)
    value = record.get("published")
    date = published
    if isinstance(value, dt.datetime):
        date = value.date()
    elif isinstance(value, dt.date):
        date = value
    elif isinstance(value, str) and value.strip():
        try:
            date = parse_published(value, where)
        except InputError as exc:
            return exc
    meta = {k: (str(record[k]) if record.get(k) is not None else None) for k in ("id", "title", "url", "source")}
    return Article(
        text=text.replace("\r\n", "\n").replace("\r", "\n"), id=meta["id"] or "", title=meta["title"],
        url=meta["url"], source=meta["source"], published=date,
        published_text=value if isinstance(value, str) else None,
    )


# -- Parquet layout -----------------------------------------------------------------------------------


def _schemas() -> dict[str, Any]:
    import pyarrow as pa

    s, i32, f64 = pa.string(), pa.int32(), pa.float64()
    return {
        "events": pa.schema([
            ("id", s), ("article_id", s), ("event_type", s), ("mode", s), ("quad", i32), ("intensity", f64),
            ("contexts", pa.list_(s)), ("modality", s), ("date_text", s), ("date_value", s),
            ("date_first", pa.date32()), ("date_last", pa.date32()), ("date_granularity", s), ("date_basis", s),
            ("place_name", s), ("place_country", s), ("place_admin1", s), ("lat", f64), ("lon", f64),
            ("geonameid", pa.int64()), ("place_feature", s), ("actors", s), ("recipients", s), ("quantities", s),
            ("attribution", s), ("trigger_text", s), ("trigger_start", i32), ("trigger_end", i32),
            ("evidence_text", s), ("evidence_start", i32), ("evidence_end", i32), ("confidence", f64),
            ("record", s), ("engine_version", s),
        ]),
        "articles": pa.schema([
            ("id", s), ("title", s), ("url", s), ("source", s), ("published", pa.date32()), ("text", s),
            ("origin", s), ("engine_version", s), ("stage_versions", s), ("seconds", f64), ("events", i32),
            ("partition", i32),
        ]),
        "errors": pa.schema([("source", s), ("message", s), ("partition", i32)]),
    }


def event_row(record: dict[str, Any]) -> dict[str, Any]:
    """One event contract record flattened to a Parquet row; `record` keeps the exact contract as JSON."""
    from .store import date_range

    date, place = record["date"], record["location"] or {}
    first, last = date_range(date["value"], date["granularity"])
    as_json = lambda value: json.dumps(value, ensure_ascii=False)
    return {
        "id": record["id"], "article_id": record["article_id"], "event_type": record["event_type"],
        "mode": record["mode"], "quad": record["quad"], "intensity": record["intensity"],
        "contexts": record["contexts"], "modality": record["modality"], "date_text": date["text"],
        "date_value": date["value"], "date_first": dt.date.fromisoformat(first) if first else None,
        "date_last": dt.date.fromisoformat(last) if last else None, "date_granularity": date["granularity"],
        "date_basis": date["basis"], "place_name": place.get("name"), "place_country": place.get("country"),
        "place_admin1": place.get("admin1"), "lat": place.get("lat"), "lon": place.get("lon"),
        "geonameid": place.get("geonameid"), "place_feature": place.get("feature"),
        "actors": as_json(record["actors"]), "recipients": as_json(record["recipients"]),
        "quantities": as_json(record["quantities"]),
        "attribution": record["attribution"]["name"] if record["attribution"] else None,
        "trigger_text": record["trigger"]["text"], "trigger_start": record["trigger"]["start"],
        "trigger_end": record["trigger"]["end"], "evidence_text": record["evidence"]["text"],
        "evidence_start": record["evidence"]["start"], "evidence_end": record["evidence"]["end"],
        "confidence": record["confidence"], "record": as_json(record), "engine_version": ENGINE_VERSION,
    }


def event_table(docs: Iterable[Doc]) -> Any:
    """A pyarrow Table of the events of `docs` (the events part of a partition)."""
    import pyarrow as pa

    rows = [event_row(event.to_dict()) for doc in docs for event in doc.events]
    return pa.Table.from_pylist(rows, schema=_schemas()["events"])


def article_table(docs: Sequence[Doc], origins: dict[str, str], partition: int) -> Any:
    """A pyarrow Table of the articles of `docs`, with what `load` needs to fill the store."""
    import pyarrow as pa

    rows = [{
        "id": d.article.id, "title": d.article.title, "url": d.article.url, "source": d.article.source,
        "published": d.article.published, "text": d.article.text, "origin": origins.get(d.article.id),
        "engine_version": ENGINE_VERSION, "stage_versions": json.dumps({r.name: r.version for r in d.provenance}),
        "seconds": sum(r.seconds for r in d.provenance), "events": len(d.events), "partition": partition,
    } for d in docs]
    return pa.Table.from_pylist(rows, schema=_schemas()["articles"])


def _error_table(errors: list[tuple[str, str]], partition: int) -> Any:
    import pyarrow as pa

    rows = [{"source": s, "message": m, "partition": partition} for s, m in errors]
    return pa.Table.from_pylist(rows, schema=_schemas()["errors"])


def _write_table(table: Any, path: Path) -> None:
    pq = _pyarrow_parquet()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    pq.write_table(table, temporary, compression="zstd")
    os.replace(temporary, path)  # atomic: a reader never sees half a part


# -- the client side ----------------------------------------------------------------------------------


def run_dask(
    inputs: Sequence[str],
    out: Path,
    *,
    scheduler: str | None,
    workers: int,
    options: EngineOptions,
    published: dt.date | None = None,
    text_column: str = "text",
    text_field: str = "text",
    max_bytes: int = 5_000_000,
    progress: Callable[[PartResult], None] | None = None,
) -> DaskRunResult:
    """Code `inputs` on a Dask cluster (`scheduler`, else a local one of `workers` processes) into `out`."""
    from .io.collections import ReadOptions

    reading = ReadOptions(published=published, max_bytes=max_bytes, text_field=text_field, text_column=text_column)
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as exc:
        raise LapwingError(f"--engine dask needs Dask ({exc.name} is not installed): {_INSTALL}") from exc
    _pyarrow_parquet()
    out = Path(out)
    _prepare_out(out)
    t0 = time.perf_counter()
    workers = workers if workers > 0 else (os.cpu_count() or 1)
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="20s")
        else:
            # Local only: loopback addresses, a random port for the (bokeh-less) status page.
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                                   dashboard_address="127.0.0.1:0", silence_logs=40)
            client = Client(cluster)
    except (OSError, TimeoutError) as exc:
        raise InputError(f"cannot reach the Dask scheduler ({exc}): check the address and that the scheduler runs",
                         scheduler or "local cluster") from exc
    try:
        slots = _check_workers(client)
        partitions, problems = plan(inputs, slots=slots)
        _write_manifest(out, inputs, partitions, options)
        _write_table(_error_table(problems, -1), out / "errors" / "part-plan.parquet")
        errors = list(problems)
        articles = events = 0
        futures = client.map(code_partition, partitions, out=str(out.resolve()), options=options,
                             reading=reading, pure=False)
        for future in as_completed(futures):
            result = future.result()  # re-raises a worker's error (a missing model, say) here
            articles += result.articles
            events += result.events
            errors += result.errors
            if progress is not None:
                progress(result)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return DaskRunResult(out, len(partitions), articles, events, tuple(errors), time.perf_counter() - t0)


def _check_workers(client: Any) -> int:
    """The number of worker threads; refuses workers that run another Lapwing version."""
    try:
        versions = client.run(_worker_version)
    except Exception as exc:  # a worker without lapwing fails to unpickle the call, in many ways
        raise LapwingError(f"the Dask workers cannot run Lapwing ({type(exc).__name__}: {exc}): install lapwing and "
                           "its spaCy model on every worker") from exc
    other = {address: v for address, v in versions.items() if v != ENGINE_VERSION}
    if other:
        address, version = next(iter(other.items()))
        raise LapwingError(f"worker {address} runs Lapwing {version}, this client {ENGINE_VERSION}: install the same "
                           "version on every worker, or event ids will differ")
    return max(1, sum(client.nthreads().values()))


def _worker_version() -> str:
    return ENGINE_VERSION


def _prepare_out(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise InputError("is a file: give --out a folder such as events.parquet/", str(out))
    if out.is_dir() and any(out.iterdir()) and not (out / MANIFEST).exists():
        raise InputError("is not empty and not a Lapwing output folder: give --out a new or empty folder", str(out))
    for kind in ("events", "articles", "errors"):  # a rerun replaces the earlier run's parts
        for old in (out / kind).glob("*.parquet") if (out / kind).is_dir() else ():
            old.unlink()
    out.mkdir(parents=True, exist_ok=True)


def _write_manifest(out: Path, inputs: Sequence[str], partitions: list[Partition], options: EngineOptions) -> None:
    manifest = {
        "engine_version": ENGINE_VERSION, "inputs": list(inputs), "partitions": len(partitions),
        "options": {"model": options.model, "prefilter": options.prefilter,
                    "actor_dictionaries": list(options.actor_dictionaries)},
        "written": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


# -- loading into a store -----------------------------------------------------------------------------


def load(folder: Path, store: Any, *, replace: bool = False, progress: Callable[[int], None] | None = None) -> LoadResult:
    """Bring a `--engine dask` output folder into `store`: one transaction per article, stored ones skipped."""
    pq = _pyarrow_parquet()
    folder = Path(folder)
    if not (folder / MANIFEST).is_file():
        raise InputError(f"has no {MANIFEST}: give a folder written by `lapwing ingest --engine dask --out`", str(folder))
    loaded = skipped = events = 0
    for part in sorted((folder / "articles").glob("part-*.parquet")):
        articles = pq.read_table(part).to_pylist()
        by_article: dict[str, list[dict[str, Any]]] = {}
        event_part = folder / "events" / part.name
        if event_part.exists():
            for row in pq.read_table(event_part, columns=["article_id", "record"]).to_pylist():
                by_article.setdefault(row["article_id"], []).append(json.loads(row["record"]))
        known = set() if replace else store.known(a["id"] for a in articles)
        for article in articles:
            if article["id"] in known:
                skipped += 1
                continue
            records = by_article.get(article["id"], [])
            if len(records) != article["events"]:
                raise StoreError(f"{event_part}: article {article['id']} should have {article['events']} events, "
                                 f"found {len(records)}; the output is damaged: run the dask ingest again")
            article["published"] = article["published"].isoformat() if article["published"] else None
            events += store.write_records(article, records, article["engine_version"], article["stage_versions"])
            known.add(article["id"])  # the same text in two partitions is stored once
            loaded += 1
        if progress is not None:
            progress(loaded + skipped)
    return LoadResult(loaded, skipped, events, _load_errors(folder, store))


def _load_errors(folder: Path, store: Any) -> int:
    """Record the run's unreadable inputs in the store, once each (loading twice adds nothing)."""
    pq = _pyarrow_parquet()
    seen = {(row["source"], row["message"]) for row in store.errors()}
    added = 0
    for part in sorted((folder / "errors").glob("part-*.parquet")):
        for row in pq.read_table(part).to_pylist():
            if (row["source"], row["message"]) not in seen:
                store.record_error(row["source"], row["message"])
                seen.add((row["source"], row["message"]))
                added += 1
    return added


def _pyarrow_parquet() -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise LapwingError(f"Parquet output needs pyarrow, which is not installed: {_INSTALL}") from exc
    return pq
