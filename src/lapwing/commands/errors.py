"""`lapwing errors`: the inputs an ingest could not read, with the reason and when."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from ..cli import EXIT_OK
from ..store import Store


def add_parser(subparsers, engine_options) -> None:
    """Add `errors` to the `lapwing` command."""
    p = subparsers.add_parser(
        "errors",
        help="list inputs that ingest could not read",
        description="List the inputs that `lapwing ingest` could not read or code: time, source and reason, "
        "tab-separated, oldest first.",
    )
    p.add_argument("--db", required=True, metavar="FILE", help="the event store")


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Run `lapwing errors`."""
    with Store.open(args.db, readonly=True) as store:
        rows = store.errors()
    out.writelines(f"{row['at']}\t{row['source']}\t{row['message']}\n" for row in rows)
    if not rows:
        print(f"lapwing: no input errors recorded in {args.db}", file=sys.stderr)
    return EXIT_OK
