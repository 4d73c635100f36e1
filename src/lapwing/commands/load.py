"""`lapwing load`: bring the Parquet output of `lapwing ingest --engine dask` into an event store."""

from __future__ import annotations

import argparse
from typing import TextIO


def add_parser(subparsers, engine_options) -> None:
    """Register `lapwing load FOLDER --db FILE [--replace]` (no engine flags: nothing is coded here)."""
    p = subparsers.add_parser(
        "load", help="load `ingest --engine dask` Parquet output into a store",
        description="Load the partitioned Parquet written by `lapwing ingest --engine dask --out DIR` into a store. "
        "Articles already stored are skipped unless --replace.",
    )
    p.add_argument("folder", metavar="DIR", help="the --out folder of a dask ingest, e.g. events.parquet/")
    p.add_argument("--db", required=True, metavar="FILE", help="the event store (created when absent)")
    p.add_argument("--replace", action="store_true", help="replace articles already stored instead of skipping them")


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Load, then print one summary line; errors (StoreError, InputError) go to the CLI's handler."""
    from pathlib import Path

    from ..distributed import MANIFEST, load
    from ..errors import InputError
    from ..store import Store

    folder = Path(args.folder)
    if not folder.is_dir():  # checked before the store is opened: a mistyped path creates no store
        raise InputError("no such folder: check the path (the --out folder of `lapwing ingest --engine dask`)",
                         args.folder)
    if not (folder / MANIFEST).is_file():
        raise InputError(f"has no {MANIFEST}: give a folder written by `lapwing ingest --engine dask --out`",
                         args.folder)
    with Store.open(args.db) as store:
        result = load(args.folder, store, replace=args.replace)
    out.write(
        f"loaded {result.loaded} article(s) with {result.events} event(s) into {args.db}; "
        f"skipped {result.skipped} already stored; {result.errors} input error(s) recorded\n"
    )
    return 0
