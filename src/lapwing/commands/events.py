"""`lapwing events`: list stored events matching filters, as a table, JSON or JSON Lines."""

from __future__ import annotations

import argparse
import json
from typing import TextIO

from ..cli import add_format_option
from ..errors import InputError
from ..store import Store
from ..store.query import SORTS, EventFilter, count_events, event_row, parse_filter, query_events, table_header

def add_filter_options(parser: argparse.ArgumentParser, paging: bool = False) -> None:
    """The --db option and the event filters shared by events, stats and export."""
    parser.add_argument("--db", required=True, metavar="FILE", help="the event store (made by `lapwing ingest`)")
    f = parser.add_argument_group("filters (all must hold)")
    f.add_argument("--type", action="append", metavar="TYPE", help="PLOVER event type(s), e.g. ASSAULT or ASSAULT,PROTEST")
    f.add_argument("--quad", action="append", metavar="N", help="quad class(es) 1-4")
    f.add_argument("--actor", metavar="WHO", help="actor: a three-letter country code (ISR) or part of a name")
    f.add_argument("--recipient", metavar="WHO", help="recipient: a country code or part of a name")
    f.add_argument("--country", metavar="WHO", help="actor or recipient: a country code or part of a name")
    f.add_argument("--place", metavar="NAME", help="place name, any case (Rafah)")
    f.add_argument("--bbox", metavar="W,S,E,N", help="longitude/latitude box min_lon,min_lat,max_lon,max_lat (write --bbox=-5,... when it starts with -)")
    f.add_argument("--since", metavar="DATE", help="events dated on or after (YYYY-MM-DD, YYYY-MM or YYYY)")
    f.add_argument("--until", metavar="DATE", help="events dated on or before (a month-dated event overlaps)")
    f.add_argument("--modality", action="append", metavar="M", help="asserted, future, hypothetical, negated")
    f.add_argument("--text", metavar="WORDS", help="articles containing all these words (full-text search)")
    f.add_argument("--source", metavar="NAME", help="the articles' source")
    f.add_argument("--article", metavar="ID", help="events of one article")
    if paging:
        f.add_argument("--limit", type=int, metavar="N", help="at most N events")
        f.add_argument("--offset", type=int, default=0, metavar="N", help="skip the first N events")
        f.add_argument("--sort", default="date", choices=tuple(SORTS), help="order (default: date; a leading - sorts descending: write --sort=-date)")


def filter_from(args: argparse.Namespace) -> EventFilter:
    """The EventFilter the command-line options describe."""
    keys = ("type", "quad", "actor", "recipient", "country", "place", "bbox", "since", "until", "modality",
            "text", "source", "article", "limit", "offset", "sort")
    given = {k: getattr(args, k) for k in keys if getattr(args, k, None) is not None}
    try:
        return parse_filter(given)
    except InputError as exc:  # the library names the filter ("since ..."); here it is an option
        key = next((k for k in given if exc.message.startswith(f"{k} ")), None)
        if key is None:
            raise
        raise InputError(f"--{key} {exc.message[len(key) + 1:]}", exc.source) from None


def add_parser(subparsers, engine_options) -> None:
    """Register `lapwing events`."""
    p = subparsers.add_parser(
        "events", help="list stored events matching filters",
        description="List events from the store, filtered by type, actor, place, date, text ...",
    )
    add_filter_options(p, paging=True)
    add_format_option(p, text="a table (`table` is accepted too)", json="one JSON list of events",
                      jsonl="one event per line")


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Print the matching events; 0 even when none match."""
    flt = filter_from(args)
    with Store.open(args.db, readonly=True) as store:
        if args.format == "jsonl":
            out.writelines(
                json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n" for record in query_events(store, flt)
            )
        elif args.format == "json":
            out.write("[")
            out.writelines(("," if i else "") + "\n" + json.dumps(record, ensure_ascii=False) for i, record in enumerate(query_events(store, flt)))
            out.write("\n]\n")
        else:
            _table(store, flt, out)
    return 0


def _table(store: Store, flt: EventFilter, out: TextIO) -> None:
    shown = 0
    out.write(table_header() + "\n")
    for record in query_events(store, flt):
        out.write(event_row(record) + "\n")
        shown += 1
    total = count_events(store, flt)
    if shown == total:
        out.write(f"{total:,} event{'' if total == 1 else 's'}\n")
    else:
        out.write(f"{shown:,} of {total:,} events shown (from {flt.offset + 1:,}; use --limit and --offset for more)\n")
