"""`lapwing recode`: re-code stored articles with this engine version, each replaced atomically."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from ..cli import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, engine_options_from
from ..store import Store
from ..store.ingest import progress_for, recode, recode_count
from .ingest import add_run_options, check_run_options, summary


def add_parser(subparsers, engine_options) -> None:
    """Add `recode` to the `lapwing` command."""
    p = subparsers.add_parser(
        "recode",
        help="re-code stored articles with this engine version",
        description="Re-code stored articles whose engine version differs from this one (or all with --all) "
        "from their stored text; each article's old events are replaced in one transaction. "
        "Stopped and run again, it goes on where it stopped.",
    )
    p.add_argument("--db", required=True, metavar="FILE", help="the event store")
    p.add_argument("--all", action="store_true", help="re-code every article, not only those of other versions")
    add_run_options(p)
    engine_options(p)


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Run `lapwing recode`."""
    problem = check_run_options(args)
    if problem:
        print(f"lapwing: error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    with Store.open(args.db, create=False, timeout=args.lock_timeout) as store:
        total = recode_count(store, everything=args.all)
        tally = recode(
            store, everything=args.all, workers=args.workers, options=engine_options_from(args),
            progress=progress_for(sys.stderr, total, "recode"),
        )
    out.write(summary(args.db, tally, "re-coded"))
    return EXIT_SOME_FAILED if tally.errors else EXIT_OK

