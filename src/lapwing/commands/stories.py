"""`lapwing stories`: one happening, many reports. Clusters new events, then lists or explains stories."""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO


def add_parser(subparsers, engine_options) -> None:
    """Register `lapwing stories --db FILE [filters] [--format F] [--explain ID]` (no engine flags: nothing is coded)."""
    from ..cli import add_format_option

    p = subparsers.add_parser(
        "stories", help="list stories: events from many reports of one happening",
        description="Cluster events from different articles that report the same happening (new events join "
        "existing stories first, unless --no-update), then list the stories or explain one.",
    )
    p.add_argument("--db", required=True, metavar="FILE", help="the event store written by `lapwing ingest`")
    p.add_argument("--since", metavar="DATE", help="stories whose dates reach YYYY-MM-DD or later")
    p.add_argument("--until", metavar="DATE", help="stories whose dates start on YYYY-MM-DD or earlier")
    p.add_argument("--type", metavar="TYPE", help="PLOVER event type of the story (ASSAULT, PROTEST, ...)")
    p.add_argument("--min-sources", type=int, default=1, metavar="N", help="only stories told by at least N sources")
    p.add_argument("--limit", type=int, metavar="N", help="list at most N stories")
    add_format_option(p, text="two lines per story", json="one JSON list (one object with --explain)",
                      jsonl="one story per line (one object with --explain)", json_alias="jsonl")
    p.add_argument("--explain", type=int, metavar="STORY_ID", help="show one story's members and why they were merged")
    p.add_argument("--no-update", action="store_true", help="do not cluster new events first (read only)")


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Update stories, then print them; bad options and store errors go to the CLI's handler (exit 2)."""
    from ..errors import InputError
    from ..ontology import EVENT_TYPES
    from ..store import Store
    from ..store.stories import list_stories, story, update_stories

    if args.type and args.type.upper() not in EVENT_TYPES:
        raise InputError(f"--type {args.type!r} is not a PLOVER event type: use one of {', '.join(EVENT_TYPES)}")
    if args.min_sources < 1:
        raise InputError(f"--min-sources {args.min_sources} must be 1 or more")
    from ..errors import StoreError

    try:
        store = Store.open(args.db, create=False, readonly=args.no_update)  # a mistyped --db makes no store
    except StoreError as exc:
        if args.no_update or "cannot write" not in str(exc):
            raise
        raise StoreError(f"{exc}; or list the stories already clustered with --no-update") from exc
    with store:
        if not args.no_update:
            update_stories(store)
        if args.explain is not None:
            found = story(store, args.explain)
            out.write(_explain(found) if args.format == "text" else json.dumps(found, ensure_ascii=False) + "\n")
            return 0
        found_any = False
        if args.format == "json":
            out.write("[")
        for item in list_stories(store, since=args.since, until=args.until, event_type=args.type,
                                 min_sources=args.min_sources, limit=args.limit):
            if args.format == "json":
                out.write(("," if found_any else "") + "\n" + json.dumps(item, ensure_ascii=False))
            elif args.format == "jsonl":
                out.write(json.dumps(item, ensure_ascii=False) + "\n")
            else:
                out.write(_line(item))
            found_any = True
        if args.format == "json":
            out.write("\n]\n")
        elif not found_any and args.format == "text":
            out.write("no stories match\n")
    return 0


def _dates(item: dict[str, Any]) -> str:
    first, last = item["first_date"], item["last_date"]
    if not first:
        return "date unknown"
    return first if first == last else f"{first}..{last}"


def _spread(item: dict[str, Any]) -> str:
    parts = []
    for kind, s in item["quantities"].items():
        low, high = f"{s['min']:g}", f"{s['max']:g}"
        parts.append(f"{kind} {low}" if low == high else f"{kind} {low}-{high}")
    return "; ".join(parts)


def _event_line(record: dict[str, Any]) -> str:
    actors = ", ".join(a["name"] for a in record["actors"]) or "?"
    recipients = ", ".join(a["name"] for a in record["recipients"])
    who = f"{actors} -> {recipients}" if recipients else actors
    place = f" in {record['location']['name']}" if record.get("location") else ""
    return f"{record['event_type']} {who}{place}: \"{record['evidence']['text']}\""


def _line(item: dict[str, Any]) -> str:
    spread = _spread(item)
    head = (f"story {item['id']}  {_dates(item)}  {item['sources']} source(s), {item['articles']} article(s)"
            f"{'  ' + spread if spread else ''}")
    return f"{head}\n    {_event_line(item['representative'])}\n"


def _explain(item: dict[str, Any]) -> str:
    from ..store.stories import describe

    lines = [_line(item).rstrip("\n"), f"  earliest report: {item['earliest_report'] or 'unknown'}"]
    for kind, s in item["quantities"].items():
        figures = ", ".join(f"{r['value']:g} ({r['source']})" for r in s["reports"])
        lines.append(f"  {kind}: {figures}")
    lines.append("  members:")
    for m in item["members"]:
        article, event = m["article"], m["event"]
        lines.append(f"  - event {event['id']} ({article['source']}, {article['published'] or 'undated'}, "
                     f"trigger \"{event['trigger']['text']}\")")
        lines.append(f"      {describe(m['reasons'])}")
    return "\n".join(lines) + "\n"
