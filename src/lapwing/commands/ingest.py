"""`lapwing ingest`: code a collection into an event store; only articles not yet stored are coded."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from ..cli import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, add_workers_option, engine_options_from
from ..distributed import add_dask_arguments
from ..io.collections import ReadOptions, count_articles, missing_sources
from ..io.readers import parse_published
from ..store import Store
from ..store.ingest import Tally, _clock, ingest, progress_for


def add_parser(subparsers, engine_options) -> None:
    """Add `ingest` to the `lapwing` command."""
    p = subparsers.add_parser(
        "ingest",
        help="code a collection of articles into an event store",
        description="Code articles into an event store. Articles already stored are skipped, so a run "
        "can be repeated with more input, or resumed after it was stopped.",
    )
    p.add_argument(
        "inputs", nargs="+", metavar="PATH",
        help="files, folders (read recursively), glob patterns or - (stdin): .txt .html .jsonl .csv .warc .warc.gz "
        "(and .parquet files named here)",
    )
    p.add_argument("--db", metavar="FILE", help="the event store (created when absent); needed unless --engine dask")
    add_run_options(p)
    p.add_argument("--published", metavar="DATE", help="publication date (YYYY-MM-DD) for inputs that carry none")
    p.add_argument("--text-column", default="text", metavar="NAME",
                   help="CSV (or Parquet) column holding the text (default: text)")
    p.add_argument("--text-field", default="text", metavar="NAME", help="JSONL field holding the text (default: text)")
    p.add_argument("--max-bytes", type=int, default=5_000_000, metavar="N", help="largest article accepted (default 5 MB)")
    add_dask_arguments(p)
    engine_options(p)


def add_run_options(p: argparse.ArgumentParser) -> None:
    """--workers and --lock-timeout, shared with `lapwing recode`."""
    add_workers_option(p)
    p.add_argument(
        "--lock-timeout", type=float, default=5.0, metavar="SECONDS",
        help="how long to wait for another process writing the store (default 5)",
    )


def check_run_options(args: argparse.Namespace) -> str | None:
    """The problem with --workers / --lock-timeout, or None."""
    if args.workers < 0:
        return f"--workers {args.workers} is negative: give a number of processes, or 0 for all cores"
    if args.lock_timeout < 0:
        return f"--lock-timeout {args.lock_timeout} is negative: give seconds to wait, e.g. 5"
    return None


def summary(db: str, tally: Tally, verb: str) -> str:
    """The closing line: what was coded, skipped and failed."""
    return (
        f"{db}: {tally.coded:,} article(s) {verb} ({tally.events:,} events), {tally.skipped:,} already stored, "
        f"{tally.errors:,} error(s) in {_clock(tally.seconds)}\n"
    )


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Run `lapwing ingest`."""
    problem = check_run_options(args)
    if problem is None and args.max_bytes <= 0:
        problem = f"--max-bytes {args.max_bytes} is not positive: give the largest article size in bytes"
    if problem is None and args.engine == "dask":
        if not args.out:
            problem = "--engine dask writes Parquet: give --out DIR (then `lapwing load DIR --db FILE`)"
        elif args.db:
            problem = "--engine dask writes Parquet to --out, not a store: drop --db and use `lapwing load` after"
    elif problem is None and not args.db:
        problem = "give the event store with --db FILE (e.g. --db events.db), or --engine dask --out DIR"
    elif problem is None and args.out:
        problem = "--out is for --engine dask; this machine writes into --db"
    if problem:
        print(f"lapwing: error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    published = parse_published(args.published, "--published") if args.published else None
    missing = missing_sources(args.inputs) if args.engine != "dask" else []  # dask reports its own
    if missing:
        # A mistyped path is refused before anything is coded, so it never lands in `lapwing errors`.
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        print(f"lapwing: error: {missing[0]}{more}; nothing was ingested", file=sys.stderr)
        return EXIT_USAGE
    if args.engine == "dask":
        return _run_dask(args, published, out)
    read = ReadOptions(published=published, max_bytes=args.max_bytes, text_field=args.text_field,
                       text_column=args.text_column)
    with Store.open(args.db, timeout=args.lock_timeout) as store:
        total = count_articles(args.inputs)
        tally = ingest(
            store, args.inputs, read=read, workers=args.workers, options=engine_options_from(args),
            progress=progress_for(sys.stderr, total, "ingest"), total=total,
        )
    out.write(summary(args.db, tally, "coded"))
    return EXIT_SOME_FAILED if tally.errors else EXIT_OK


def _run_dask(args: argparse.Namespace, published, out: TextIO) -> int:
    """`--engine dask`: the same pipeline on a Dask cluster, into partitioned Parquet (see docs/store.md)."""
    from pathlib import Path

    from ..distributed import run_dask

    result = run_dask(
        args.inputs, Path(args.out), scheduler=args.scheduler, workers=args.workers,
        options=engine_options_from(args), published=published, text_column=args.text_column,
        text_field=args.text_field, max_bytes=args.max_bytes,
    )
    for source, message in result.errors:
        print(f"lapwing: error: {source}: {message}", file=sys.stderr)
    out.write(
        f"{result.out}: {result.articles:,} article(s) coded ({result.events:,} events) in {result.partitions} "
        f"partition(s), {len(result.errors):,} error(s) in {_clock(result.seconds)}\n"
    )
    return EXIT_SOME_FAILED if result.errors else EXIT_OK
