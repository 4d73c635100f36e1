"""`lapwing export`: write the stored events (and stories) as Parquet, CSV, JSON Lines or POLECAT."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from ..store import Store
from ..store.export import FORMATS, export
from .events import add_filter_options, filter_from


def add_parser(subparsers, engine_options) -> None:
    """Register `lapwing export`."""
    p = subparsers.add_parser(
        "export", help="write events and stories to Parquet, CSV, JSONL or POLECAT",
        description="Write events.<ext> (and stories.<ext> when the store has stories) into a folder.",
    )
    p.add_argument("out", metavar="OUT", help="folder to write into (created if missing)")
    p.add_argument("--format", required=True, choices=FORMATS, help="parquet, csv, jsonl or polecat (POLECAT's columns)")
    add_filter_options(p)


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Export, then say what was written."""
    flt = filter_from(args)
    with Store.open(args.db, readonly=True) as store:
        result = export(store, flt, args.format, args.out)
    stories = f", {result.stories:,} stories" if result.stories is not None else ""
    out.write(f"wrote {result.events:,} events{stories} to {', '.join(str(p) for p in result.files)}\n")
    if result.note:
        print(f"lapwing: note: {result.note}", file=sys.stderr)
    return 0
