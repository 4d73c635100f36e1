"""Negotiation processes: moves in talks from many articles, threaded as the articles are stored.

An event whose record carries `negotiation` (a move: proposal, rejection, mediation, agreement ...)
joins the process it scores best with, when the score reaches the threshold, else it starts one.
A move and a process can only be linked when their subjects are compatible (a truce is not a
trade deal), their sides overlap (country codes) and the move falls within `window_days` of the
process's dates. Threading runs inside the transaction that stores the article
(`Store.write_records` calls `thread_article`), so processes are never behind the events and the
reading commands never write. Every membership keeps its reasons. docs/negotiations.md describes it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from .stories import iso_date
from .talk_history import STATES, Move, describe_changes, follow_states, ordered, term_value, terms_history

# Subject families: what is negotiated, from the move's `subject` and `process` words. A move whose
# words name none ("deal", "talks", "agreement") is generic and may join a process of any family.
FAMILIES: Mapping[str, frozenset[str]] = {
    "ceasefire": frozenset({"ceasefire", "cease", "truce", "armistice", "cessation", "pause"}),
    "exchange": frozenset({"hostage", "hostages", "prisoner", "prisoners", "exchange", "swap", "release", "captives"}),
    "peace": frozenset({"peace", "settlement", "normalization", "normalisation"}),
    "trade": frozenset({"trade", "tariff", "tariffs", "customs", "export", "exports", "import", "imports"}),
    "nuclear": frozenset({"nuclear", "enrichment", "uranium"}),
    "border": frozenset({"border", "boundary", "maritime", "demarcation"}),
}
# Families that one process often holds together (a ceasefire-and-hostage deal; a truce leading to
# peace talks), scored lower than the same family. Any other pair of families is never linked.
RELATED_FAMILIES: Mapping[frozenset[str], float] = {
    frozenset({"ceasefire", "exchange"}): 0.8,
    frozenset({"ceasefire", "peace"}): 0.5,
}
_GENERIC_WORDS = frozenset({
    "deal", "agreement", "accord", "treaty", "pact", "talks", "talk", "negotiations", "negotiation", "proposal",
    "plan", "framework", "roadmap", "memorandum", "process", "round", "and", "the", "of", "on", "for", "a", "an",
    "over", "with", "between", "new", "fresh", "latest", "phase", "second", "first", "next",
})
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class TalkConfig:
    """How moves are threaded into processes; docs/negotiations.md gives the reasons for each number."""

    threshold: float = 0.55
    window_days: int = 60  # a move this far from a process's first or last day may still continue it
    weights: Mapping[str, float] = field(default_factory=lambda: {
        "parties": 0.35, "subject": 0.25, "time": 0.20, "words": 0.10, "terms": 0.05, "mediators": 0.05,
    })


DEFAULT = TalkConfig()


@dataclass(frozen=True, slots=True)
class MoveFeatures:
    """What threading compares, read once from a stored event record."""

    event_id: str
    article_id: str
    move: str
    first: dt.date | None
    last: dt.date | None
    sides: frozenset[str]  # the parties' country codes, without the mediators'
    mediators: frozenset[str]  # mediators' country codes
    actors: frozenset[str]  # actor and recipient country codes (a mediator may be the actor)
    families: frozenset[str]
    words: frozenset[str]  # folded names of the `process` label (arvenia, azoria)
    term_kinds: frozenset[str]
    responds_to: str | None

    @classmethod
    def from_record(cls, record: Mapping[str, Any], published: str | None = None) -> MoveFeatures:
        """Features of a record in the event contract; `published` dates a move whose text gives no date."""
        n = record["negotiation"]
        first, last, _ = move_dates(record, published)
        mediators = frozenset(m["country"] for m in n.get("mediators") or () if m.get("country"))
        parties = frozenset(p.upper() for p in n.get("parties") or () if p)
        actors = frozenset(a["country"] for role in ("actors", "recipients") for a in record.get(role) or ()
                           if a.get("country"))
        sides = (parties - mediators) or parties or (actors - mediators)
        return cls(
            event_id=record["id"], article_id=record["article_id"], move=n["move"],
            first=dt.date.fromisoformat(first) if first else None, last=dt.date.fromisoformat(last) if last else None,
            sides=sides, mediators=mediators, actors=actors,
            families=subject_families(n.get("subject"), n.get("process")), words=label_words(n.get("process")),
            term_kinds=frozenset(t["kind"] for t in n.get("terms") or ()), responds_to=n.get("responds_to"),
        )


@dataclass(frozen=True, slots=True)
class ProcessFeatures:
    """A stored process as threading sees it (the columns its summary keeps)."""

    id: int
    sides: frozenset[str]
    mediators: frozenset[str]
    families: frozenset[str]
    words: frozenset[str]
    term_kinds: frozenset[str]
    first: dt.date | None
    last: dt.date | None


@dataclass(frozen=True, slots=True)
class Link:
    """Why a move was judged to continue a process; `reasons` is stored as JSON."""

    score: float
    reasons: dict[str, Any]


def move_dates(record: Mapping[str, Any], published: str | None) -> tuple[str | None, str | None, str]:
    """First and last day of a move and what dated it: its own date (to the day, week or month),
    else its article's publication day; a year or decade is too vague to order talks by."""
    from .store import date_range

    date = record.get("date") or {}
    granularity = date.get("granularity") or "unknown"
    if granularity in ("day", "week", "month"):
        first, last = date_range(date.get("value"), granularity)
        if first and last:
            # "would sign next week" is a month-grain date: the days of it before the story was
            # written cannot hold a move still to come, nor the days after it one already done
            day = str(published)[:10] if published else None
            if day and record.get("modality") == "future" and first < day <= last:
                first = day
            elif day and record.get("modality") == "asserted" and first <= day < last:
                last = day
            return first, last, "event"
    if published:
        day = str(published)[:10]
        return day, day, "published"
    return None, None, "unknown"


def fold(text: str) -> str:
    """Lower case without diacritics, so "Azoría" and "azoria" are one word."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def subject_families(subject: str | None, label: str | None) -> frozenset[str]:
    """The families the move's subject and process words name (none: a generic deal or talks)."""
    words = set(_WORD.findall(fold(f"{subject or ''} {label or ''}")))
    return frozenset(name for name, family in FAMILIES.items() if words & family)


def label_words(label: str | None) -> frozenset[str]:
    """The words of a process label that name who or where ("Arvenia-Azoria ceasefire" -> arvenia, azoria)."""
    family_words = set().union(*FAMILIES.values())
    return frozenset(w for w in _WORD.findall(fold(label or "")) if w not in _GENERIC_WORDS and w not in family_words
                     and len(w) > 2)


def score_move(move: MoveFeatures, process: ProcessFeatures, config: TalkConfig = DEFAULT) -> Link | None:
    """The weighted evidence that `move` continues `process`, or None when something rules it out."""
    subject_score, relation = _subjects(move.families, process.families)
    if subject_score is None:
        return None
    party_score, party_reason, shared = _sides(move, process)
    if party_score is None:
        return None
    gap = _gap(move, process)
    if gap is None:
        # Without dates only an exact match of sides and subject links (and only within one article).
        if party_score < 1.0 or relation != "same":
            return None
        time_score = 0.0
    elif gap > config.window_days:
        return None
    else:
        time_score = 1.0 - gap / (config.window_days + 1)
    words = sorted(move.words & process.words)
    words_score = len(words) / min(len(move.words), len(process.words)) if move.words and process.words else 0.5
    kinds = sorted(move.term_kinds & process.term_kinds)
    terms_score = (len(kinds) / min(len(move.term_kinds), len(process.term_kinds))
                   if move.term_kinds and process.term_kinds else 0.5)
    mediators = sorted(move.mediators & process.mediators)
    mediator_score = (len(mediators) / min(len(move.mediators), len(process.mediators))
                      if move.mediators and process.mediators else 0.5)
    parts = {"parties": party_score, "subject": subject_score, "time": time_score, "words": words_score,
             "terms": terms_score, "mediators": mediator_score}
    score = sum(config.weights.get(k, 0.0) * v for k, v in parts.items())
    reasons = {
        "process": process.id, "parties": party_reason, "shared_parties": shared,
        "subject": relation, "subjects": sorted(move.families), "process_subjects": sorted(process.families),
        "gap_days": gap, "shared_words": words, "shared_terms": kinds, "shared_mediators": mediators,
        "components": {k: round(v, 3) for k, v in parts.items()}, "score": round(score, 3),
    }
    return Link(score, reasons)


def _subjects(move: frozenset[str], process: frozenset[str]) -> tuple[float | None, str]:
    if not move or not process:
        return 0.6, "generic"  # "the deal", "the talks": the sides and dates must carry it
    if move & process:
        return 1.0, "same"
    related = [RELATED_FAMILIES[frozenset({a, b})] for a in move for b in process
               if frozenset({a, b}) in RELATED_FAMILIES]
    if related:
        return max(related), "related"
    return None, "different"


def _sides(move: MoveFeatures, process: ProcessFeatures) -> tuple[float | None, str, list[str]]:
    """1.0 when one side set holds the other ({PSE} in {ISR, PSE}); else the shared share of all
    sides named, which must reach one half ({ISR, PSE} and {ISR, LBN} share a third: two processes).
    A move naming no side (a mediator's statement) links through a mediator of the process."""
    m, p = move.sides, process.sides
    if m and p:
        common = sorted(m & p)
        if not common:
            return None, "no shared party", []
        if m <= p or p <= m:
            return 1.0, "same parties" if m == p else "parties within the process's", common
        share = len(common) / len(m | p)
        if share < 0.5:
            return None, f"parties share {share:.2f}", common
        return share, f"parties share {share:.2f}", common
    through = sorted((move.mediators | move.actors) & process.mediators)
    if through:
        return 0.5, "no parties named; a mediator of the process", through
    return None, "no parties to compare", []


def _gap(move: MoveFeatures, process: ProcessFeatures) -> int | None:
    if move.first is None or move.last is None or process.first is None or process.last is None:
        return None
    return max(0, (move.first - process.last).days, (process.first - move.last).days)


# -- threading, in the storing transaction ---------------------------------------------------------


def thread_article(store, article: Mapping[str, Any], records: Sequence[Mapping[str, Any]],
                   config: TalkConfig = DEFAULT) -> int:
    """Give each move among an article's just-written records a process; returns the moves threaded.

    Runs inside the caller's transaction (Store.write_records), so the article, its events and
    their memberships are stored together or not at all. Processes that lost members when the
    article was written again (recoding) are re-summarised first.
    """
    _refresh_stale(store)
    moves = [r for r in records if r.get("negotiation")]
    if not moves:
        return 0
    published = article.get("published")
    features = [MoveFeatures.from_record(r, published) for r in moves]
    # Date order, and an answer after what it answers, so it can follow it into its process.
    features.sort(key=lambda f: (f.first is None, f.first or dt.date.min, f.responds_to is not None))
    assigned: dict[str, int] = {}
    for move in features:
        process_id, score, reasons = _choose(store, move, assigned, config)
        if process_id is None:
            process_id = _start_process(store)
            reasons = {"started": True}
        store.db.execute(
            "INSERT OR REPLACE INTO talk_moves (event_id, process_id, article_id, move, score, reasons) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (move.event_id, process_id, move.article_id, move.move, score, json.dumps(reasons)),
        )
        assigned[move.event_id] = process_id
        _summarise(store, process_id)  # the next move of the article compares with the updated process
    return len(features)


def _choose(store, move: MoveFeatures, assigned: Mapping[str, int],
            config: TalkConfig) -> tuple[int | None, float | None, dict[str, Any]]:
    if move.responds_to and move.responds_to in assigned:
        process_id = assigned[move.responds_to]
        return process_id, None, {"process": process_id, "responds_to": move.responds_to}
    best: tuple[float, int, Link] | None = None
    for process in _candidates(store, move, set(assigned.values()), config):
        link = score_move(move, process, config)
        if link is not None and link.score >= config.threshold and (best is None or link.score > best[0]):
            best = (link.score, process.id, link)
    if best is None:
        return None, None, {}
    return best[1], round(best[0], 4), best[2].reasons


def _candidates(store, move: MoveFeatures, same_article: set[int], config: TalkConfig) -> list[ProcessFeatures]:
    """Processes whose dates reach within the window of the move, and those of its own article."""
    rows = []
    if move.first is not None and move.last is not None:
        slack = dt.timedelta(days=config.window_days)
        rows += store.db.execute(
            f"SELECT {_PROCESS_FEATURES} FROM talk_processes WHERE last_date >= ? AND first_date <= ? ORDER BY id",
            ((move.first - slack).isoformat(), (move.last + slack).isoformat()),
        ).fetchall()
    if same_article:
        ids = sorted(same_article)
        rows += store.db.execute(
            f"SELECT {_PROCESS_FEATURES} FROM talk_processes WHERE id IN ({','.join('?' * len(ids))})", ids
        ).fetchall()
    seen: dict[int, ProcessFeatures] = {}
    for r in rows:
        if r["id"] not in seen:
            seen[r["id"]] = ProcessFeatures(
                id=r["id"], sides=frozenset(json.loads(r["parties"])),
                mediators=frozenset(m["country"] for m in json.loads(r["mediators"]) if m.get("country")),
                families=frozenset(json.loads(r["subjects"])), words=frozenset(json.loads(r["words"])),
                term_kinds=frozenset(json.loads(r["term_kinds"])),
                first=dt.date.fromisoformat(r["first_date"]) if r["first_date"] else None,
                last=dt.date.fromisoformat(r["last_date"]) if r["last_date"] else None,
            )
    return list(seen.values())


_PROCESS_FEATURES = "id, parties, mediators, subjects, words, term_kinds, first_date, last_date"


def _start_process(store) -> int:
    from .store import _now

    now = _now()
    cursor = store.db.execute(
        "INSERT INTO talk_processes (label, subjects, parties, mediators, words, term_kinds, moves, articles, "
        "created_at, updated_at) VALUES ('', '[]', '[]', '[]', '[]', '[]', 0, 0, ?, ?)", (now, now),
    )
    return int(cursor.lastrowid)


def _refresh_stale(store) -> None:
    for (process_id,) in store.db.execute("SELECT id FROM talk_processes WHERE stale = 1").fetchall():
        _summarise(store, process_id)


def _summarise(store, process_id: int) -> None:
    """Recompute a process's sides, mediators, state, last move and dates from its members."""
    from .store import _now

    moves = members(store, process_id)
    if not moves:
        store.db.execute("DELETE FROM talk_processes WHERE id = ?", (process_id,))
        return
    s = _summary_of(moves)
    store.db.execute(
        "UPDATE talk_processes SET label = ?, subjects = ?, parties = ?, mediators = ?, words = ?, term_kinds = ?, "
        "state = ?, state_event_id = ?, last_move = ?, last_event_id = ?, first_date = ?, last_date = ?, moves = ?, "
        "articles = ?, stale = 0, updated_at = ? WHERE id = ?",
        (s["label"], json.dumps(s["subjects"]), json.dumps(s["parties"]), json.dumps(s["mediators"]),
         json.dumps(s["words"]), json.dumps(s["term_kinds"]), s["state"], s["state_event_id"], s["last_move"],
         s["last_event_id"], s["first_date"], s["last_date"], s["moves"], s["articles"], _now(), process_id),
    )


def members(store, process_id: int) -> list[Move]:
    """A process's moves in date order, each with its record, article and reasons."""
    rows = store.db.execute(
        "SELECT e.record, a.published, a.title, a.source, a.url, tm.score, tm.reasons FROM talk_moves tm "
        "JOIN events e ON e.id = tm.event_id JOIN articles a ON a.id = e.article_id WHERE tm.process_id = ?",
        (process_id,),
    ).fetchall()
    out = []
    for r in rows:
        record = json.loads(r["record"])
        first, last, dated_by = move_dates(record, r["published"])
        out.append(Move(record["id"], record["article_id"], record, first, last, dated_by, r["published"], r["title"],
                        r["source"], r["url"], r["score"], json.loads(r["reasons"])))
    return ordered(out)


def _summary_of(moves: Sequence[Move]) -> dict[str, Any]:
    features = [MoveFeatures.from_record(m.record, m.published) for m in moves]
    sides = Counter(c for f in features for c in f.sides)
    mediators: dict[str, dict[str, Any]] = {}
    mediator_count: Counter[str] = Counter()
    for m in moves:
        for med in m.negotiation.get("mediators") or ():
            key = med.get("country") or fold(med.get("name") or "")
            mediators.setdefault(key, {"name": med.get("name"), "country": med.get("country")})
            mediator_count[key] += 1
    labels = Counter(m.negotiation.get("process") or "" for m in moves)
    first_label = {}
    for m in moves:
        first_label.setdefault(m.negotiation.get("process") or "", len(first_label))
    transitions, _ = follow_states(moves)
    rounds = terms_history(moves)
    with_terms = [m for m in moves if m.negotiation.get("terms")]
    kinds = ([t["kind"] for t in rounds[-1]["terms"]] if rounds
             else [t["kind"] for t in with_terms[-1].negotiation["terms"]] if with_terms else [])
    dated = [m for m in moves if m.first]
    last = moves[-1]
    return {
        "label": max(labels, key=lambda k: (labels[k], -first_label[k])),
        "subjects": sorted(set().union(*(f.families for f in features))),
        "parties": sorted(sides, key=lambda c: (-sides[c], c)),
        "mediators": [mediators[k] for k in sorted(mediators, key=lambda k: (-mediator_count[k], k))],
        "words": sorted(set().union(*(f.words for f in features))),
        "term_kinds": sorted(set(kinds)),
        "state": transitions[-1]["state"] if transitions else None,
        "state_event_id": transitions[-1]["event_id"] if transitions else None,
        "last_move": last.move, "last_event_id": last.event_id,
        "first_date": min(m.first for m in dated) if dated else None,
        "last_date": max(m.last or m.first for m in dated) if dated else None,
        "moves": len(moves), "articles": len({m.article_id for m in moves}),
    }


# -- reading processes -----------------------------------------------------------------------------

_LIST_COLUMNS = ("id, label, subjects, parties, mediators, state, state_event_id, last_move, last_event_id, "
                 "first_date, last_date, moves, articles")


def list_processes(store, *, party: str | None = None, state: str | None = None,
                   since: dt.date | str | None = None, until: dt.date | str | None = None,
                   limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
    """Processes whose dates overlap [since, until], with a party (country code) or in a state, latest first."""
    where, params = ["moves > 0"], []
    if party:
        code = party.strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", code):
            raise InputError(f"party {party!r} is not a three-letter country code: give one such as ISR")
        where.append("EXISTS (SELECT 1 FROM json_each(talk_processes.parties) WHERE value = ?)")
        params.append(code)
    if state:
        if state not in STATES:
            raise InputError(f"state {state!r} is unknown: use one of {', '.join(STATES)}")
        where.append("state = ?")
        params.append(state)
    if since is not None:
        where.append("last_date >= ?")
        params.append(iso_date(since, "since"))
    if until is not None:
        where.append("first_date <= ?")
        params.append(iso_date(until, "until"))
    sql = (f"SELECT {_LIST_COLUMNS} FROM talk_processes WHERE {' AND '.join(where)} "
           "ORDER BY last_date IS NULL, last_date DESC, id")
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [limit, offset]
    return [_row_summary(r) for r in store.db.execute(sql, params)]


def process(store, process_id: int) -> dict[str, Any]:
    """One process: its summary, state transitions, terms history and the timeline of its moves."""
    row = store.db.execute(f"SELECT {_LIST_COLUMNS} FROM talk_processes WHERE id = ?", (process_id,)).fetchone()
    if row is None:
        raise InputError(f"there is no negotiation process {process_id!r} in {store.path}: list them with "
                         "`lapwing talks --db FILE`")
    out = _row_summary(row)
    moves = members(store, process_id)
    transitions, after = follow_states(moves)
    rounds = terms_history(moves)
    round_of = {e: r for r in rounds for e in r["reports"]}
    timeline = []
    previous_state = None
    for m in moves:
        n, r = m.negotiation, round_of.get(m.event_id)
        state = after[m.event_id]
        timeline.append({
            "event_id": m.event_id, "date": m.first, "date_last": m.last, "dated_by": m.dated_by,
            "move": m.move, "modality": m.modality,
            "actors": [_who(a) for a in m.record.get("actors") or ()],
            "recipients": [_who(a) for a in m.record.get("recipients") or ()],
            "parties": list(n.get("parties") or ()), "mediators": [_who(a) for a in n.get("mediators") or ()],
            "terms": list(n.get("terms") or ()), "responds_to": n.get("responds_to"), "rule": n.get("rule"),
            "process_words": n.get("process"), "state": state, "state_changed": state != previous_state,
            "round": r["round"] if r else None,
            "changes": r["changes"] if r and r["event_id"] == m.event_id else None,
            "evidence": m.record.get("evidence"),
            "article": {"id": m.article_id, "title": m.title, "source": m.source, "url": m.url,
                        "published": m.published},
            "score": m.score, "reasons": m.reasons, "why": describe(m.reasons or {}),
        })
        previous_state = state
    out.update(states=transitions, terms_history=rounds, timeline=timeline)
    return out


def describe(reasons: Mapping[str, Any]) -> str:
    """One line of prose for a membership's stored reasons (for `lapwing talks ID` and the API)."""
    if reasons.get("started"):
        return "started the process (no earlier process matched)"
    if reasons.get("responds_to"):
        return f"answers event {reasons['responds_to']} of the same article"
    c = reasons["components"]
    parts = [f"{reasons['parties']} ({', '.join(reasons['shared_parties']) or 'none'})"]
    subjects = "/".join(reasons["subjects"]) or "generic"
    theirs = "/".join(reasons["process_subjects"]) or "generic"
    parts.append(f"{reasons['subject']} subject ({subjects}; process {theirs})")
    gap = reasons.get("gap_days")
    parts.append("undated" if gap is None else "within the process's dates" if gap == 0
                 else f"{gap} day(s) from its dates")
    if reasons.get("shared_words"):
        parts.append("words " + ", ".join(reasons["shared_words"]))
    if reasons.get("shared_terms"):
        parts.append("terms " + ", ".join(reasons["shared_terms"]))
    if reasons.get("shared_mediators"):
        parts.append("mediators " + ", ".join(reasons["shared_mediators"]))
    head = (f"score {reasons['score']:.2f} (parties {c['parties']:.2f}, subject {c['subject']:.2f}, "
            f"time {c['time']:.2f})")
    return head + ": " + "; ".join(parts)


def describe_terms(terms: Iterable[Mapping[str, Any]]) -> str:
    """`duration_days 42 ("six weeks"); prisoners "hundreds of prisoners"`."""
    out = []
    for t in terms:
        value = term_value(t)
        words = f" (\"{t['text']}\")" if t.get("value") is not None and t.get("text") else ""
        out.append(f"{t['kind']} {value}{words}")
    return "; ".join(out)


__all__ = ["DEFAULT", "FAMILIES", "Link", "MoveFeatures", "ProcessFeatures", "TalkConfig", "describe",
           "describe_changes", "describe_terms", "list_processes", "members", "move_dates", "process", "score_move",
           "thread_article"]


def _who(actor: Mapping[str, Any]) -> dict[str, Any]:
    return {"name": actor.get("name"), "country": actor.get("country")}


def _row_summary(row) -> dict[str, Any]:
    return {
        "id": row["id"], "process": row["label"], "subjects": json.loads(row["subjects"]),
        "parties": json.loads(row["parties"]), "mediators": json.loads(row["mediators"]),
        "state": row["state"], "state_event_id": row["state_event_id"], "last_move": row["last_move"],
        "last_event_id": row["last_event_id"], "first_date": row["first_date"], "last_date": row["last_date"],
        "moves": row["moves"], "articles": row["articles"],
    }
