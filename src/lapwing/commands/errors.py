"""`lapwing errors`: the inputs an ingest could not read, with the reason and when."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from ..cli import EXIT_OK, add_format_option
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
    add_format_option(p, text="time, source and reason, tab-separated", json="one JSON list",
                      jsonl="one error per line")


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Run `lapwing errors`."""
    with Store.open(args.db, readonly=True) as store:
        rows = store.errors()
    records = [{"at": row["at"], "source": row["source"], "message": row["message"]} for row in rows]
    if args.format == "json":
        out.write(json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    elif args.format == "jsonl":
        out.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    else:
        out.writelines(f"{r['at']}\t{r['source']}\t{r['message']}\n" for r in records)
    if not rows:
        print(f"lapwing: no input errors recorded in {args.db}", file=sys.stderr)
    return EXIT_OK
