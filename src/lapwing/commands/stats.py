"""`lapwing stats`: counts of stored events by type, quad, actor, month, source, modality."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from ..cli import add_format_option
from ..store import Store
from ..store.query import format_stats, stats
from .events import add_filter_options, filter_from


def add_parser(subparsers, engine_options) -> None:
    """Register `lapwing stats`."""
    p = subparsers.add_parser(
        "stats", help="counts by type, actor, month, source",
        description="Summarize the store: counts of events by type, quad, countries, month, source, modality.",
    )
    add_filter_options(p)
    add_format_option(p, text="the top --top rows of each group", json="every count, as one JSON object",
                      json_alias="json")
    p.add_argument("--top", type=int, default=15, metavar="N", help="rows per group in the summary (default 15)")


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Print the summary (or JSON) of the matching events."""
    flt = filter_from(args)
    with Store.open(args.db, readonly=True) as store:
        summary = stats(store, flt)
    out.write(json.dumps(summary, ensure_ascii=False, indent=2) if args.format == "json" else format_stats(summary, top=args.top))
    out.write("\n")
    return 0
