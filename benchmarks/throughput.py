"""Throughput of the whole Lapwing pipeline against spaCy's English pipeline alone, on VOA news.

Every measurement runs in a fresh subprocess: the model loads (untimed), a few articles warm the
process up, then the whole corpus is timed. Medians over --repeats runs are reported.

    .venv/bin/python benchmarks/throughput.py              # 1 process and all cores, 3 repeats
    .venv/bin/python benchmarks/throughput.py --json       # machine-readable
    .venv/bin/python benchmarks/throughput.py --limit 20 --repeats 1 --workers 1   # quick look
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "voa" / "voa_stories.jsonl"
ENGINES = ("lapwing", "spacy")
LABELS = {"lapwing": "Lapwing (whole pipeline)", "spacy": "spaCy {model} (parse only)"}


def read_corpus(path: Path, limit: int | None) -> list[dict[str, Any]]:
    """The stories of a JSONL file (id, text, published), the first `limit` of them if given."""
    stories = []
    with path.open(encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            record = json.loads(line)
            if not isinstance(record.get("text"), str):
                raise SystemExit(f"{path}: line {lineno} has no 'text'; the benchmark needs news text")
            stories.append(record)
            if limit is not None and len(stories) >= limit:
                break
    if not stories:
        raise SystemExit(f"{path}: no stories; point --data at a JSONL file of {{id, text}} records")
    return stories


def peak_rss_mb() -> float:
    """This process's peak RSS plus its largest waited-for child's (Linux reports KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return (own + children) / 1024


# --- one measurement (runs inside a fresh subprocess) ------------------------------------------


def measure(engine: str, data: Path, limit: int | None, workers: int, warmup: int, batch_size: int) -> dict:
    """Load the engine, warm it up, time one pass over the corpus; returns the figures."""
    stories = read_corpus(data, limit)
    texts = [s["text"] for s in stories]
    if engine == "lapwing":
        import lapwing
        from lapwing.records import Article

        articles = [
            Article(text=s["text"], id=str(s.get("id", "")), published=_date(s.get("published"))) for s in stories
        ]
        # Warming up in this process builds the cached pipeline; the workers extract_many forks
        # inherit it, so the timed pass does not load the model again.
        list(lapwing.extract_many(articles[:warmup], workers=1))
        t0 = time.perf_counter()
        docs = list(lapwing.extract_many(articles, workers=workers))
        seconds = time.perf_counter() - t0
        extra = {"events": sum(len(d.events) for d in docs)}
    elif engine == "spacy":
        from lapwing.stages.parse import load_model

        nlp = load_model()
        list(nlp.pipe(texts[:warmup]))
        t0 = time.perf_counter()
        # A small batch_size lets n_process share out a corpus of under a hundred stories.
        for _ in nlp.pipe(texts, batch_size=batch_size, n_process=workers):
            pass
        seconds = time.perf_counter() - t0
        meta = nlp.meta
        extra = {"model": f"{meta.get('lang', '?')}_{meta.get('name', '?')}-{meta.get('version', '?')}"}
    else:
        raise SystemExit(f"unknown engine {engine!r}; choose from {', '.join(ENGINES)}")
    return {
        "engine": engine,
        "workers": workers,
        "seconds": seconds,
        "articles": len(texts),
        "words": sum(len(t.split()) for t in texts),
        "peak_mb": peak_rss_mb(),
        **extra,
    }


def _date(value: Any) -> dt.date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None  # an unreadable date only changes how relative dates resolve, not the timing


# --- the driver ---------------------------------------------------------------------------------


def run_child(engine: str, workers: int, args: argparse.Namespace) -> dict:
    """One measurement in a fresh interpreter; a failure comes back as {"error": ...}."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", engine, "--workers", str(workers),
           "--data", str(args.data), "--warmup", str(args.warmup), "--batch-size", str(args.batch_size)]  # fmt: skip
    if args.limit is not None:
        cmd += ["--limit", str(args.limit)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return {"engine": engine, "workers": workers, "error": tail}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def summarize(runs: list[dict]) -> dict:
    """Medians of the successful runs of one (engine, workers) cell."""
    failed = [r for r in runs if "error" in r]
    if failed:
        return {"engine": runs[0]["engine"], "workers": runs[0]["workers"], "error": failed[0]["error"]}
    first = runs[0]
    seconds = statistics.median(r["seconds"] for r in runs)
    return {
        "engine": first["engine"],
        "workers": first["workers"],
        "runs": len(runs),
        "seconds": seconds,
        "articles_per_s": statistics.median(r["articles"] / r["seconds"] for r in runs),
        "words_per_s": statistics.median(r["words"] / r["seconds"] for r in runs),
        "peak_mb": statistics.median(r["peak_mb"] for r in runs),
        "articles": first["articles"],
        "words": first["words"],
        **{k: first[k] for k in ("model", "events") if k in first},
    }


def ratios(cells: list[dict]) -> dict[int, float]:
    """Lapwing's articles/s over spaCy's, per worker count (above 1: Lapwing is faster)."""
    out = {}
    by = {(c["engine"], c["workers"]): c for c in cells if "error" not in c}
    for (engine, workers), cell in by.items():
        other = by.get(("spacy", workers))
        if engine == "lapwing" and other:
            out[workers] = cell["articles_per_s"] / other["articles_per_s"]
    return out


def markdown(cells: list[dict], corpus: str) -> str:
    """The README table."""
    model = next((c["model"] for c in cells if "model" in c), "en_core_web_sm")
    lines = [
        (
            f"Corpus: {corpus}. Medians of {max((c.get('runs', 0) for c in cells), default=0)} runs; "
            f"{os.cpu_count()} cores, Python {sys.version.split()[0]}."
        ),
        "",
        "| engine | processes | articles/s | words/s | peak memory (MB) |",
        "|---|---:|---:|---:|---:|",
    ]
    for c in cells:
        label = LABELS[c["engine"]].format(model=model)
        if "error" in c:
            lines.append(f"| {label} | {c['workers']} | failed: {c['error']} | | |")
        else:
            lines.append(
                f"| {label} | {c['workers']} | {c['articles_per_s']:.2f} | {c['words_per_s']:,.0f} | {c['peak_mb']:.0f} |"
            )
    rel = ratios(cells)
    if rel:
        shown = ", ".join(f"{w} process{'es' if w > 1 else ''}: {r:.2f}x" for w, r in sorted(rel.items()))
        lines += ["", f"Lapwing / spaCy throughput: {shown}."]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or, with --child, one measurement) and print the results."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="JSONL of {id, text, published} stories")
    parser.add_argument("--workers", type=int, nargs="+", help="process counts (default: 1 and all cores)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per measurement; the median is reported")
    parser.add_argument("--limit", type=int, help="use only the first N stories")
    parser.add_argument("--warmup", type=int, default=3, help="stories processed once before timing")
    parser.add_argument("--batch-size", type=int, default=16, help="spaCy nlp.pipe batch size")
    parser.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    parser.add_argument("--json", action="store_true", help="print JSON instead of the Markdown table")
    parser.add_argument("--child", choices=ENGINES, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if not args.data.exists():
        parser.error(f"{args.data} does not exist; pass --data PATH to the VOA stories JSONL")
    if args.child:
        workers = args.workers[0] if args.workers else 1
        print(json.dumps(measure(args.child, args.data, args.limit, workers, args.warmup, args.batch_size)))
        return 0
    stories = read_corpus(args.data, args.limit)
    words = sum(len(s["text"].split()) for s in stories)
    corpus = f"{args.data.name}, {len(stories)} stories, {words:,} words"
    workers_list = args.workers or sorted({1, os.cpu_count() or 1})
    cells = []
    for workers in workers_list:
        for engine in args.engines:
            runs = [run_child(engine, workers, args) for _ in range(args.repeats)]
            cells.append(summarize(runs))
            print(f"measured {engine} with {workers} process(es)", file=sys.stderr)
    if args.json:
        print(json.dumps({"corpus": corpus, "cells": cells, "ratios": ratios(cells)}, indent=2))
    else:
        print(markdown(cells, corpus))
    return 1 if any("error" in c for c in cells) else 0


if __name__ == "__main__":
    sys.exit(main())
