"""`lapwing talks`: negotiation processes threaded from the store's moves; one process's timeline; exports.

Read-only: processes are threaded when articles are stored (lapwing.store.talks), so this only reads.
"""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO


def add_parser(subparsers, engine_options) -> None:
    """Register `lapwing talks --db FILE [ID] [filters] [--format F] [--export FILE] [--export-moves FILE]`."""
    from ..cli import add_format_option

    p = subparsers.add_parser(
        "talks", help="list negotiation processes, or one process's moves",
        description="List the negotiation processes threaded from the store's moves in talks (proposals, "
        "rejections, mediation, agreements ...), or print one process's timeline with its terms and what "
        "changed. Read only.",
    )
    p.add_argument("id", nargs="?", type=_process_id, metavar="ID", help="a process id: print its timeline")
    p.add_argument("--db", required=True, metavar="FILE", help="the event store written by `lapwing ingest`")
    p.add_argument("--party", metavar="CODE", help="processes with this party (three-letter country code, ISR)")
    p.add_argument("--state", metavar="STATE", help="processes in this state (proposed, 'under talks', agreed, ...)")
    p.add_argument("--since", metavar="DATE", help="processes whose moves reach YYYY-MM-DD or later")
    p.add_argument("--until", metavar="DATE", help="processes whose moves start on YYYY-MM-DD or earlier")
    p.add_argument("--limit", type=int, metavar="N", help="list at most N processes")
    add_format_option(p, text="a table of processes, or one process's timeline",
                      json="one JSON list (one object with ID)", jsonl="one process per line (one object with ID)")
    p.add_argument("--export", metavar="FILE", help="write every process as flat rows to FILE (.csv, .json, .jsonl)")
    p.add_argument("--export-moves", metavar="FILE", help="write every move as flat rows to FILE (.csv, .json, .jsonl)")


def _process_id(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"process id {value!r} is not a positive whole number: list the ids with "
                                         "`lapwing talks --db FILE`")
    return n


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Print processes, one process, or export them; bad options and store errors go to the CLI's handler (exit 2)."""
    from ..errors import InputError
    from ..store import Store
    from ..store.talk_export import export_talks
    from ..store.talks import list_processes, process

    if args.limit is not None and args.limit < 0:
        raise InputError(f"--limit {args.limit} is negative: give a number of processes")
    with Store.open(args.db, readonly=True) as store:
        if args.export or args.export_moves:
            for path, what in ((args.export, "processes"), (args.export_moves, "moves")):
                if path:
                    n = export_talks(store, path, what)
                    noun = what if n != 1 else {"processes": "process", "moves": "move"}[what]
                    out.write(f"{path}: {n:,} {noun} written\n")
            return 0
        if args.id is not None:
            found = process(store, args.id)
            out.write(timeline_text(found) if args.format == "text" else json.dumps(found, ensure_ascii=False) + "\n")
            return 0
        try:
            found_all = list_processes(store, party=args.party, state=args.state, since=args.since, until=args.until,
                                       limit=args.limit)
        except InputError as exc:  # the library names the filter ("party ..."); here it is an option
            key = next((k for k in ("party", "state", "since", "until") if exc.message.startswith(f"{k} ")), None)
            if key is None:
                raise
            raise InputError(f"--{key} {exc.message[len(key) + 1:]}") from None
        if args.format == "json":
            out.write("[" + ",".join("\n" + json.dumps(p, ensure_ascii=False) for p in found_all) + "\n]\n")
        elif args.format == "jsonl":
            out.writelines(json.dumps(p, ensure_ascii=False) + "\n" for p in found_all)
        else:
            out.write(list_text(found_all))
    return 0


def _mediators(item: dict[str, Any]) -> str:
    return _names(item["mediators"]) or "-"


def _dates(item: dict[str, Any]) -> str:
    first, last = item.get("first_date"), item.get("last_date")
    if not first:
        return "undated"
    return first if first == last else f"{first}..{last}"


def list_text(items: list[dict[str, Any]]) -> str:
    """The process table: id, state, last move, dates, moves, parties, mediators, process words."""
    if not items:
        return "no negotiation processes match (moves are threaded when articles are stored)\n"
    lines = [f"{'ID':>4}  {'STATE':<11}  {'LAST MOVE':<16}  {'DATES':<22}  {'MOVES':>5}  {'PARTIES':<14}  "
             f"{'MEDIATORS':<28}  PROCESS"]
    for p in items:
        parties = ", ".join(p["parties"]) or "-"
        lines.append(f"{p['id']:>4}  {p['state'] or '-':<11}  {p['last_move'] or '-':<16}  {_dates(p):<22}  "
                     f"{p['moves']:>5}  {parties:<14}  {_mediators(p):<28}  {p['process']}")
    lines.append(f"{len(items):,} process{'' if len(items) == 1 else 'es'}")
    return "\n".join(lines) + "\n"


def _names(actors: list[dict[str, Any]]) -> str:
    return ", ".join(f"{a['name']} ({a['country']})" if a.get("country") else str(a["name"]) for a in actors)


def timeline_text(item: dict[str, Any]) -> str:
    """One process: its summary, its states with the moves that set them, then each move."""
    from ..store.talks import describe_changes, describe_terms

    lines = [
        f"process {item['id']}: {item['process']}",
        f"  parties: {', '.join(item['parties']) or '-'}; mediators: {_mediators(item)}; "
        f"subject: {', '.join(item['subjects']) or 'generic'}",
        f"  {item['moves']} move(s) in {item['articles']} article(s), {_dates(item)}",
        "  states: " + (" -> ".join(f"{t['state']} ({t['since'] or 'undated'}, {t['move']})" for t in item["states"])
                        or "none yet (no asserted move)"),
        "  terms history:",
    ]
    for r in item["terms_history"]:
        by = ", ".join(r["by"]) or "?"
        change = describe_changes(r["changes"]) if r["changes"] is not None else "first terms"
        reports = f", {len(r['reports'])} reports" if len(r["reports"]) > 1 else ""
        answers = "; ".join(f"{a['move']} by {', '.join(a['by']) or '?'} {a['date'] or ''}".rstrip()
                            for a in r["responses"])
        lines.append(f"    round {r['round']} {r['date'] or 'undated'} {r['move']} by {by}{reports}: "
                     f"{describe_terms(r['terms'])}")
        lines.append(f"      changes: {change}" + (f"; answered: {answers}" if answers else ""))
    if not item["terms_history"]:
        lines.append("    (no move stated terms)")
    lines.append("  timeline:")
    for m in item["timeline"]:
        who = _names(m["actors"]) or "?"
        if m["recipients"]:
            who += " -> " + _names(m["recipients"])
        modality = "" if m["modality"] == "asserted" else f" [{m['modality']}]"
        state = f"  => {m['state']}" if m["state_changed"] and m["state"] else ""
        lines.append(f"  {m['date'] or 'undated':<10}  {m['move']}{modality}  {who}{state}")
        if m["mediators"]:
            lines.append(f"      mediators: {_names(m['mediators'])}")
        if m["terms"]:
            lines.append(f"      terms: {describe_terms(m['terms'])}")
        if m["changes"] is not None:
            lines.append(f"      changed: {describe_changes(m['changes'])}")
        lines.append(f"      \"{(m['evidence'] or {}).get('text', '')}\"")
        source = m["article"]["source"] or m["article"]["id"]
        lines.append(f"      ({source}, {m['article']['published'] or 'undated'}) {m['why']}")
    return "\n".join(lines) + "\n"
