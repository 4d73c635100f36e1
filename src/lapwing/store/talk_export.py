"""Negotiation processes and their moves as flat rows (CSV, JSON, JSON Lines) for researchers.

The process columns are close to those of the ETH/PRIO Civil Conflict Ceasefire dataset and PA-X
(declared and effective dates, parties, third parties and their roles, fixed duration, purpose,
stage, status, end), so the rows can be joined with them; docs/negotiations.md says which are
filled and how, and which stay empty. Only reads the store.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import InputError
from .talk_history import Move, describe_changes, follow_states, term_value, terms_history
from .talks import list_processes, members

PROCESS_COLUMNS = (
    "process_id", "process", "subject", "parties", "side_a", "side_b", "third_parties", "third_party_countries",
    "third_party_roles", "purpose", "declared_date", "declared_event_id", "effective_date", "effective_event_id",
    "fixed_duration_days", "agreed_terms", "stage", "status", "status_date", "status_event_id", "end_date",
    "end_move", "first_date", "last_date", "moves", "articles", "last_move",
)
MOVE_COLUMNS = (
    "process_id", "event_id", "article_id", "date", "date_last", "dated_by", "move", "modality", "state_after",
    "actor_names", "actor_countries", "recipient_names", "recipient_countries", "parties", "mediators",
    "mediator_countries", "terms", "round", "changes", "responds_to", "rule", "score", "source", "published",
    "title", "url", "evidence",
)
FORMATS = {".csv": "csv", ".json": "json", ".jsonl": "jsonl"}
# What a round's terms say a process is for (Lapwing's reading of the terms, not the CF coders').
_PURPOSE_OF_TERM = {"aid": "humanitarian", "hostages": "release/exchange", "prisoners": "release/exchange",
                    "exchange": "release/exchange"}


def process_rows(store) -> Iterator[dict[str, Any]]:
    """One flat row per process, oldest first."""
    for summary in sorted(list_processes(store), key=lambda s: s["id"]):
        yield _process_row(summary, members(store, summary["id"]))


def move_rows(store) -> Iterator[dict[str, Any]]:
    """One flat row per move, by process and then in date order."""
    for summary in sorted(list_processes(store), key=lambda s: s["id"]):
        moves = members(store, summary["id"])
        _, after = follow_states(moves)
        round_of = {e: r for r in terms_history(moves) for e in r["reports"]}
        for m in moves:
            n, r = m.negotiation, round_of.get(m.event_id)
            yield {
                "process_id": summary["id"], "event_id": m.event_id, "article_id": m.article_id, "date": m.first,
                "date_last": m.last, "dated_by": m.dated_by, "move": m.move, "modality": m.modality,
                "state_after": after[m.event_id],
                "actor_names": [a.get("name") for a in m.record.get("actors") or ()],
                "actor_countries": [a.get("country") for a in m.record.get("actors") or ()],
                "recipient_names": [a.get("name") for a in m.record.get("recipients") or ()],
                "recipient_countries": [a.get("country") for a in m.record.get("recipients") or ()],
                "parties": list(n.get("parties") or ()),
                "mediators": [a.get("name") for a in n.get("mediators") or ()],
                "mediator_countries": [a.get("country") for a in n.get("mediators") or ()],
                "terms": [f"{t['kind']}={term_value(t)}" for t in n.get("terms") or ()],
                "round": r["round"] if r else None,
                "changes": (describe_changes(r["changes"]) if r and r["event_id"] == m.event_id and r["changes"]
                            else None),
                "responds_to": n.get("responds_to"), "rule": n.get("rule"), "score": m.score, "source": m.source,
                "published": m.published, "title": m.title, "url": m.url,
                "evidence": (m.record.get("evidence") or {}).get("text"),
            }


def export_talks(store, path: str | Path, what: str = "processes") -> int:
    """Write processes or moves to `path` (.csv, .json or .jsonl, by its suffix); returns the rows written."""
    target = Path(path)
    fmt = FORMATS.get(target.suffix.lower())
    if fmt is None:
        raise InputError(f"{path}: cannot tell the export format from its name: end it in .csv, .json or .jsonl")
    if what not in ("processes", "moves"):
        raise InputError(f"export {what!r} is unknown: use processes or moves")
    rows, columns = (process_rows(store), PROCESS_COLUMNS) if what == "processes" else (move_rows(store), MOVE_COLUMNS)
    n = 0
    with open(target, "w", encoding="utf-8", newline="") as out:
        if fmt == "csv":
            writer = csv.DictWriter(out, fieldnames=columns)
            writer.writeheader()
            for row in rows:
                writer.writerow({k: _cell(row[k]) for k in columns})
                n += 1
        elif fmt == "jsonl":
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                n += 1
        else:
            out.write("[")
            for row in rows:
                out.write(("," if n else "") + "\n" + json.dumps(row, ensure_ascii=False))
                n += 1
            out.write("\n]\n")
    return n


def _process_row(summary: Mapping[str, Any], moves: Sequence[Move]) -> dict[str, Any]:
    transitions, _ = follow_states(moves)
    rounds = terms_history(moves)
    asserted = [m for m in moves if m.modality == "asserted"]
    declared = next((m for m in asserted if m.move in ("agreement", "accept")), None)
    effective = next((m for m in asserted if m.move == "implementation"
                      and (declared is None or (m.first or "") >= (declared.first or ""))), None)
    ended = next((m for m in asserted if m.move in ("collapse", "suspension") and declared is not None
                  and (m.first or "") >= (declared.first or "")), None)
    # The terms on the table when it was agreed: the latest round up to the declaration.
    agreed = [r for r in rounds if declared is not None and (r["date"] or "") <= (declared.first or "")]
    agreed_terms = agreed[-1]["terms"] if agreed else []
    duration = next((t["value"] for t in agreed_terms if t["kind"] == "duration_days" and t["value"] is not None), None)
    on_table = agreed_terms or (rounds[-1]["terms"] if rounds else [])
    purposes = sorted({_PURPOSE_OF_TERM[t["kind"]] for t in on_table if t["kind"] in _PURPOSE_OF_TERM}
                      | ({"peace process"} if "peace" in summary["subjects"] else set()))
    ever = {t["state"] for t in transitions}
    stage = ("implementation" if ever & {"in effect", "violated"} else "agreement" if "agreed" in ever
             else "pre-agreement")
    parties = summary["parties"]
    mediators = summary["mediators"]
    last_transition = transitions[-1] if transitions else None
    return {
        "process_id": summary["id"], "process": summary["process"], "subject": summary["subjects"],
        "parties": parties, "side_a": parties[0] if parties else None,
        "side_b": parties[1] if len(parties) > 1 else None,
        "third_parties": [m.get("name") for m in mediators],
        "third_party_countries": [m.get("country") for m in mediators],
        "third_party_roles": ["mediator"] * len(mediators), "purpose": purposes,
        "declared_date": declared.first if declared else None,
        "declared_event_id": declared.event_id if declared else None,
        "effective_date": effective.first if effective else None,
        "effective_event_id": effective.event_id if effective else None,
        "fixed_duration_days": duration, "agreed_terms": [f"{t['kind']}={term_value(t)}" for t in agreed_terms],
        "stage": stage, "status": summary["state"],
        "status_date": last_transition["since"] if last_transition else None,
        "status_event_id": last_transition["event_id"] if last_transition else None,
        "end_date": ended.first if ended else None, "end_move": ended.move if ended else None,
        "first_date": summary["first_date"], "last_date": summary["last_date"], "moves": summary["moves"],
        "articles": summary["articles"], "last_move": summary["last_move"],
    }


def _cell(value: Any) -> Any:
    """CSV cells: lists joined with `; ` (positions kept), missing values empty."""
    if isinstance(value, list):
        return "; ".join("" if v is None else str(v) for v in value)
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    return value
