"""What a negotiation process's moves add up to: its state after each move and its terms history.

Pure functions over the moves of one process (no SQL), so the stored summary, `lapwing talks ID`,
the HTTP API and the exports all compute the same thing. docs/negotiations.md defines the states.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# The state each move sets (a rejection is handled apart: it depends on what was on the table).
STATE_OF: Mapping[str, str] = {
    "proposal": "proposed", "counter_proposal": "proposed",
    "talks": "under talks", "mediation": "under talks",
    "agreement": "agreed", "accept": "agreed",
    "implementation": "in effect",
    "violation": "violated",
    "suspension": "suspended",
    "collapse": "collapsed",
}
STATES = ("proposed", "under talks", "agreed", "in effect", "violated", "suspended", "collapsed")
OPEN_STATES = frozenset({"proposed", "under talks"})
# States in which there is an offer or a deal that a party can refuse.
_REJECTABLE = frozenset({"proposed", "agreed"})
# Moves that put terms on the table; each is a round of the terms history.
ROUND_MOVES = frozenset({"proposal", "counter_proposal", "agreement"})
# The same proposal told by several outlets: same move and proposer, this many days apart at most.
SAME_ROUND_DAYS = 3


@dataclass(frozen=True, slots=True)
class Move:
    """One member of a process: its event record and where and when it was reported."""

    event_id: str
    article_id: str
    record: Mapping[str, Any]
    first: str | None  # ISO first day of the move (the event's date, else the article's publication)
    last: str | None
    dated_by: str  # "event" | "published" | "unknown"
    published: str | None = None
    title: str | None = None
    source: str | None = None
    url: str | None = None
    score: float | None = None
    reasons: Mapping[str, Any] | None = None

    @property
    def negotiation(self) -> Mapping[str, Any]:
        return self.record["negotiation"]

    @property
    def move(self) -> str:
        return self.negotiation["move"]

    @property
    def modality(self) -> str:
        return self.record.get("modality") or "asserted"

    @property
    def proposer(self) -> tuple[str, ...]:
        """Country codes of who made the move (its actors), for telling rounds and responses apart."""
        return tuple(sorted({a["country"] for a in self.record.get("actors") or () if a.get("country")}))


def ordered(moves: Iterable[Move]) -> list[Move]:
    """Date order: undated moves last, then by publication, article and position in the text."""
    return sorted(moves, key=lambda m: (m.first is None, m.first or "", m.published or "", m.article_id,
                                        (m.record.get("evidence") or {}).get("start", 0), m.event_id))


def follow_states(moves: Sequence[Move]) -> tuple[list[dict[str, Any]], dict[str, str | None]]:
    """The state transitions (each with the move that set it) and the state after each move.

    Only asserted moves change the state: an expected, hypothetical or denied move is on the
    timeline but has not happened. A rejection refuses the offer or deal on the table and the
    process goes back to the open state it held before that offer (`proposed` when it held none);
    with nothing on the table a rejection changes nothing.
    """
    transitions: list[dict[str, Any]] = []
    after: dict[str, str | None] = {}
    current: str | None = None
    for m in moves:
        if m.modality == "asserted":
            new = current
            if m.move == "reject":
                if current is None:
                    new = "proposed"  # something was refused, so something had been offered
                elif current in _REJECTABLE:
                    earlier = transitions[:-1]  # the states held before the offer being refused
                    new = next((t["state"] for t in reversed(earlier) if t["state"] in OPEN_STATES), "proposed")
            else:
                new = STATE_OF.get(m.move, current)
            if new != current:
                transitions.append({"state": new, "since": m.first, "move": m.move, "event_id": m.event_id})
                current = new
        after[m.event_id] = current
    return transitions, after


def terms_history(moves: Sequence[Move]) -> list[dict[str, Any]]:
    """Each round of terms (a proposal, counter-proposal or agreement that states terms) beside the
    previous round, with what changed, and the accepts and rejections that answered it.

    Reports of one proposal by several articles (same move and proposer, at most SAME_ROUND_DAYS
    apart, no term value in disagreement) are one round with several `reports`.
    """
    rounds: list[dict[str, Any]] = []
    for m in moves:
        terms = list(m.negotiation.get("terms") or ())
        if m.move not in ROUND_MOVES or m.modality == "negated" or not terms:
            continue
        prev = rounds[-1] if rounds else None
        if (prev is not None and prev["move"] == m.move and tuple(prev["by"]) == m.proposer
                and _days_apart(prev["date"], m.first) <= SAME_ROUND_DAYS and not _disagree(prev["terms"], terms)):
            prev["reports"].append(m.event_id)
            known = {t["kind"] for t in prev["terms"]}
            prev["terms"] += [_term(t) for t in _first_of_each_kind(terms) if t["kind"] not in known]
            continue
        rounds.append({
            "round": len(rounds) + 1, "move": m.move, "event_id": m.event_id, "reports": [m.event_id],
            "date": m.first, "modality": m.modality, "by": list(m.proposer),
            "terms": [_term(t) for t in _first_of_each_kind(terms)], "responses": [],
        })
    for i, r in enumerate(rounds):
        r["previous"] = rounds[i - 1]["round"] if i else None
        r["changes"] = term_changes(rounds[i - 1]["terms"], r["terms"]) if i else None
    _attach_responses(rounds, moves)
    return rounds


def term_changes(before: Sequence[Mapping[str, Any]], after: Sequence[Mapping[str, Any]]) -> dict[str, list[Any]]:
    """What changed from one round's terms to the next, kind by kind (the first term of each kind).

    `removed` means the earlier round had a term of that kind and this report of the later one has
    none: an article that does not repeat a term is not proof that it was dropped.
    """
    old, new = _by_kind(before), _by_kind(after)
    changed = [{"kind": k, "from": old[k], "to": new[k]} for k in new if k in old and _differs(old[k], new[k])]
    return {"added": [new[k] for k in new if k not in old], "removed": [old[k] for k in old if k not in new],
            "changed": changed}


def describe_changes(changes: Mapping[str, Sequence[Any]] | None) -> str:
    """One line: `duration_days 42 -> 60; added phases 2; removed withdrawal` ("" for the first round)."""
    if changes is None:
        return ""
    parts = [f"{c['kind']} {term_value(c['from'])} -> {term_value(c['to'])}" for c in changes["changed"]]
    parts += [f"added {t['kind']} {term_value(t)}" for t in changes["added"]]
    parts += [f"removed {t['kind']} ({t['text']})" for t in changes["removed"]]
    return "; ".join(parts) or "no change"


def term_value(term: Mapping[str, Any]) -> str:
    """A term's number (`42`), or its words when it has none (`"hundreds of prisoners"`)."""
    value = term.get("value")
    return f"{value:g}" if isinstance(value, (int, float)) else f'"{term.get("text", "")}"'


def _attach_responses(rounds: list[dict[str, Any]], moves: Sequence[Move]) -> None:
    """An accept or rejection answers the round it names (`responds_to`), else the latest earlier
    round proposed by someone else."""
    by_report = {e: r for r in rounds for e in r["reports"]}
    for m in moves:
        if m.move not in ("accept", "reject"):
            continue
        target = by_report.get(m.negotiation.get("responds_to") or "")
        if target is None:
            earlier = [r for r in rounds if (r["date"] or "") <= (m.first or "")
                       and (not m.proposer or tuple(r["by"]) != m.proposer)]
            target = earlier[-1] if earlier else None
        if target is not None:
            target["responses"].append({"move": m.move, "event_id": m.event_id, "date": m.first,
                                        "by": list(m.proposer), "modality": m.modality})


def _term(t: Mapping[str, Any]) -> dict[str, Any]:
    return {"kind": t["kind"], "value": t.get("value"), "text": t.get("text", "")}


def _first_of_each_kind(terms: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return list(_by_kind(terms).values())


def _by_kind(terms: Sequence[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    out: dict[str, Mapping[str, Any]] = {}
    for t in sorted(terms, key=lambda t: t.get("start", 0)):
        out.setdefault(t["kind"], t)
    return out


def _differs(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Numbers compare as numbers; a number against none is a change; two wordings of no number
    ("hundreds of prisoners", "hundreds of Palestinian prisoners") are not."""
    x, y = a.get("value"), b.get("value")
    if x is None and y is None:
        return False
    if x is None or y is None:
        return True
    return abs(float(x) - float(y)) > 1e-9


def _disagree(before: Sequence[Mapping[str, Any]], after: Sequence[Mapping[str, Any]]) -> bool:
    old, new = _by_kind(before), _by_kind(after)
    return any(k in old and old[k].get("value") is not None and t.get("value") is not None and _differs(old[k], t)
               for k, t in new.items())


def _days_apart(a: str | None, b: str | None) -> int:
    if not a or not b:
        return 10**6
    return abs((dt.date.fromisoformat(b) - dt.date.fromisoformat(a)).days)
