"""Ingest throughput into the event store, against the engine's own extraction, on VOA news.

Three measurements, each in a fresh subprocess (model loaded and warmed untimed, then timed):
the engine alone (`lapwing.extract_many`, no storage), `ingest` of the corpus into a new store, and
`ingest` of the corpus replicated to --replicate articles with distinct ids. Then the median
latency of a few `events` filters and of `stats` on the replicated store, when
`lapwing.store.query` provides them. Medians of --repeats runs.

    .venv/bin/python benchmarks/ingest.py                          # 89 stories and 10,000 articles
    .venv/bin/python benchmarks/ingest.py --limit 500 --repeats 1  # a quicker look
    .venv/bin/python benchmarks/ingest.py --json
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "voa" / "voa_stories.jsonl"
WARMUP = 3
# The `events` filters timed on the replicated store: what an analyst types first.
QUERIES: dict[str, dict[str, Any]] = {
    "--type ASSAULT": {"event_type": "ASSAULT"},
    "--actor USA": {"actor": "USA"},
    "--since 2025-03-01 --until 2025-03-31": {"since": "2025-03-01", "until": "2025-03-31"},
    "--place Gaza": {"place": "Gaza"},
    "--text ceasefire": {"text": "ceasefire"},
    "--type ASSAULT --actor ISR --since 2024-01-01": {"event_type": "ASSAULT", "actor": "ISR", "since": "2024-01-01"},
}


def read_stories(path: Path) -> list[dict[str, Any]]:
    """The JSONL records of the corpus."""
    with path.open(encoding="utf-8") as handle:
        stories = [json.loads(line) for line in handle if line.strip()]
    if not stories:
        raise SystemExit(f"{path}: no stories; point --data at a JSONL file of {{id, text, published}} records")
    return stories


def replicate(stories: list[dict[str, Any]], count: int, path: Path) -> None:
    """Write `count` records cycling through `stories`, each with an id of its own."""
    with path.open("w", encoding="utf-8") as handle:
        for i in range(count):
            story = dict(stories[i % len(stories)])
            story["id"] = f"{story.get('id', 'story')}-copy{i // len(stories)}"
            handle.write(json.dumps(story, ensure_ascii=False) + "\n")


def peak_rss_mb() -> float:
    """This process's peak RSS plus its largest waited-for child's (Linux reports KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024


# --- one measurement (runs inside a fresh subprocess) ----------------------------------------------


def _warm(data: Path) -> list:
    import lapwing
    from lapwing.io.readers import read_articles

    articles = [a for a in read_articles([str(data)]) if isinstance(a, lapwing.Article)]
    # Building the pipeline here lets the forked workers inherit it, as `lapwing ingest` does.
    list(lapwing.extract_many(articles[:WARMUP], workers=1))
    return articles


def measure_engine(data: Path, workers: int) -> dict:
    """extract_many over the corpus, no storage."""
    import lapwing

    articles = _warm(data)
    t0 = time.perf_counter()
    events = sum(len(doc.events) for doc in lapwing.extract_many(articles, workers=workers))
    seconds = time.perf_counter() - t0
    return {"articles": len(articles), "events": events, "seconds": seconds, "peak_mb": peak_rss_mb()}


def measure_ingest(data: Path, workers: int, db: Path) -> dict:
    """`ingest` of the corpus file into a new store at `db`, reading included."""
    from lapwing.store import Store
    from lapwing.store.ingest import ingest

    _warm(data)
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)
    t0 = time.perf_counter()
    with Store.open(db) as store:
        tally = ingest(store, [str(data)], workers=workers)
    seconds = time.perf_counter() - t0
    size = sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))
    return {"articles": tally.coded, "events": tally.events, "errors": tally.errors, "seconds": seconds,
            "peak_mb": peak_rss_mb(), "db_bytes": size}  # fmt: skip


def measure_queries(db: Path, repeats: int) -> dict:
    """Median seconds of each `events` filter (all rows read) and of `stats`; {} without query.py."""
    try:
        from lapwing.store.query import EventFilter, query_events, stats
    except ImportError as exc:
        return {"skipped": f"lapwing.store.query is not available ({exc})"}
    from lapwing.store import Store

    results: dict[str, Any] = {}
    with Store.open(db, create=False) as store:
        for label, filters in QUERIES.items():
            times, rows = [], 0
            for _ in range(repeats):
                t0 = time.perf_counter()
                rows = sum(1 for _ in query_events(store, EventFilter(**filters)))
                times.append(time.perf_counter() - t0)
            results[f"events {label}"] = {"seconds": statistics.median(times), "rows": rows}
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            stats(store)
            times.append(time.perf_counter() - t0)
        results["stats"] = {"seconds": statistics.median(times), "rows": None}
    return results


# --- the driver ----------------------------------------------------------------------------------------


def run_child(*args: str) -> dict:
    """One measurement in a fresh interpreter; a failure comes back as {"error": ...}."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": tail}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def summarize(name: str, runs: list[dict]) -> dict:
    """Medians of the runs of one measurement."""
    failed = [r for r in runs if "error" in r]
    if failed:
        return {"name": name, "error": failed[0]["error"]}
    first = runs[0]
    cell = {
        "name": name,
        "runs": len(runs),
        "articles": first["articles"],
        "events": first["events"],
        "seconds": statistics.median(r["seconds"] for r in runs),
        "articles_per_s": statistics.median(r["articles"] / r["seconds"] for r in runs),
        "events_per_s": statistics.median(r["events"] / r["seconds"] for r in runs),
        "peak_mb": statistics.median(r["peak_mb"] for r in runs),
    }
    if "db_bytes" in first:
        cell["mb_per_1000"] = statistics.median(r["db_bytes"] / r["articles"] * 1000 / 1e6 for r in runs if r["articles"])
    return cell


def markdown(cells: list[dict], queries: dict, corpus: str, workers: int) -> str:
    """The README tables."""
    engine = next((c for c in cells if c["name"] == "engine" and "error" not in c), None)
    runs = max(c.get("runs", 0) for c in cells)
    lines = [
        (
            f"Corpus: {corpus}. {workers} worker process(es); medians of {runs} runs; "
            f"{os.cpu_count()} cores, Python {sys.version.split()[0]}."
        ),
        "",
        "| measurement | articles | articles/s | events/s | peak memory (MB) | store MB per 1,000 articles | / engine |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for c in cells:
        if "error" in c:
            lines.append(f"| {c['name']} | failed: {c['error']} | | | | | |")
            continue
        size = f"{c['mb_per_1000']:.1f}" if "mb_per_1000" in c else "–"
        ratio = f"{c['articles_per_s'] / engine['articles_per_s']:.2f}" if engine else "–"
        lines.append(
            f"| {c['name']} | {c['articles']:,} | {c['articles_per_s']:.2f} | {c['events_per_s']:.1f} | "
            f"{c['peak_mb']:.0f} | {size} | {ratio} |"
        )
    if "skipped" in queries:
        lines += ["", f"Query latency: skipped, {queries['skipped']}."]
    elif "error" in queries:
        lines += ["", f"Query latency: failed, {queries['error']}."]
    elif queries:
        lines += ["", "| query on the replicated store | rows | median ms |", "|---|---:|---:|"]
        for label, q in queries.items():
            rows = f"{q['rows']:,}" if q["rows"] is not None else "–"
            lines.append(f"| `{label}` | {rows} | {q['seconds'] * 1000:.1f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or, with --child, one measurement) and print the results."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="JSONL of {id, text, published} stories")
    parser.add_argument("--replicate", type=int, default=10_000, help="articles in the replicated corpus")
    parser.add_argument("--limit", type=int, help="cap the replicated corpus at N articles (a quicker look)")
    parser.add_argument("--workers", type=int, default=0, help="processes (default 0 = all cores)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per measurement; the median is reported")
    parser.add_argument("--query-repeats", type=int, default=5, help="runs per query; the median is reported")
    parser.add_argument("--json", action="store_true", help="print JSON instead of Markdown tables")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, *rest = args.child
        if kind == "engine":
            result = measure_engine(Path(rest[0]), int(rest[1]))
        elif kind == "ingest":
            result = measure_ingest(Path(rest[0]), int(rest[1]), Path(rest[2]))
        else:
            result = measure_queries(Path(rest[0]), int(rest[1]))
        print(json.dumps(result))
        return 0
    if not args.data.exists():
        parser.error(f"{args.data} does not exist; pass --data PATH to the VOA stories JSONL")
    workers = args.workers or os.cpu_count() or 1
    stories = read_stories(args.data)
    count = min(args.replicate, args.limit) if args.limit else args.replicate
    scratch = Path(tempfile.mkdtemp(prefix="lapwing-bench-"))
    try:
        copies = scratch / "replicated.jsonl"
        replicate(stories, count, copies)
        plan = [
            ("engine", ["engine", str(args.data), str(workers)]),
            (f"ingest {args.data.name}", ["ingest", str(args.data), str(workers), str(scratch / "voa.db")]),
            (f"ingest replicated ×{count:,}", ["ingest", str(copies), str(workers), str(scratch / "big.db")]),
        ]
        # Interleaved (engine, ingest, ingest, engine, ...) so that a busy spell on a shared machine
        # slows every measurement a little rather than one of them a lot.
        runs: dict[str, list[dict]] = {name: [] for name, _ in plan}
        for i in range(args.repeats):
            for name, child in plan:
                runs[name].append(run_child(*child))
                print(f"measured {name} ({i + 1}/{args.repeats})", file=sys.stderr)
        cells = [summarize(name, runs[name]) for name, _ in plan]
        queries = run_child("queries", str(scratch / "big.db"), str(args.query_repeats))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    corpus = f"{args.data.name}, {len(stories)} stories; replicated to {count:,} articles with distinct ids"
    if args.json:
        print(json.dumps({"corpus": corpus, "workers": workers, "cells": cells, "queries": queries}, indent=2))
    else:
        print(markdown(cells, queries, corpus, workers))
    return 1 if any("error" in c for c in cells) or "error" in queries else 0


if __name__ == "__main__":
    sys.exit(main())
