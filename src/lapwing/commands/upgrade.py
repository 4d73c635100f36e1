"""`lapwing upgrade`: bring a store made by an older Lapwing to this one's schema, on purpose.

Reading commands never write, so they refuse an older store and point here; write commands
(ingest, recode, load) upgrade as they open it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from ..cli import EXIT_OK
from ..store import Store
from ..store.files import schema_version


def add_parser(subparsers, engine_options) -> None:
    """Add `upgrade` to the `lapwing` command."""
    p = subparsers.add_parser(
        "upgrade",
        help="upgrade a store made by an older Lapwing",
        description="Apply the schema migrations an older store lacks, each in one transaction "
        "(its articles and events are kept). Reading commands never upgrade; this does, once.",
    )
    p.add_argument("--db", required=True, metavar="FILE", help="the event store")


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Run `lapwing upgrade`."""
    path = Path(args.db)
    before = schema_version(path, 5.0) if path.is_file() else None  # refuses a file that is not a store
    with Store.open(args.db, readonly=False, create=False) as store:
        after = store.schema_version
    if before is not None and before < after:
        print(f"lapwing: upgraded {args.db} from schema version {before} to {after}", file=sys.stderr)
    else:
        print(f"lapwing: {args.db} is already at schema version {after}; nothing to do", file=sys.stderr)
    return EXIT_OK
