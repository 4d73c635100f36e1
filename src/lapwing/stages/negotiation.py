"""Moves in talks: which records are steps of a negotiation, which step, on what terms, brokered by whom.

A record is a move when the clause that tells it names what is negotiated (a ceasefire, a truce, a
deal, talks, a proposal, a hostage release: `SUBJECTS`), or when it is talks itself. Its move comes
from the first cue that applies, strongest first (`_move`): words of violation, collapse, suspension,
implementation, mediation and counter-proposal, then the words and type of the record (a REJECT is a
rejection, a CONSULT talks, "proposed" a proposal, "signed a deal" an agreement, "agreed to the
ceasefire" an acceptance). The record says which cue decided (`Negotiation.rule`).

Terms are read from the sentences that tell the record: durations ("six weeks", "a 30-day
ceasefire"), counts of hostages and prisoners, kept in words when the text gives no number
("hundreds of Palestinian prisoners"), phases, aid, withdrawal, and an exchange of one for the
other. Mediators come from "brokered by X", "X-brokered", "Egyptian and Qatari mediation",
"mediated by", and from third-party talks ("X hosted talks between A and B"). A response
(an acceptance, a rejection, a counter-proposal) is linked to the last proposal of another party
before it in the article.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from ..actors.countries import NON_STATE_CODES, country_name
from ..doc import Doc
from ..numbers import parse_duration, parse_number
from ..records import Actor, Event, Mention, Negotiation, Term, Token
from .sentence_graph import mentions_near

# What is negotiated, by lemma, and the subject word it stands for.
SUBJECTS = {
    "ceasefire": "ceasefire", "cease-fire": "ceasefire", "truce": "truce", "armistice": "ceasefire",
    "deal": "deal", "agreement": "agreement", "accord": "agreement", "treaty": "treaty", "pact": "agreement",
    "talk": "talks", "talks": "talks", "negotiation": "talks", "negotiate": "talks", "proposal": "proposal",
    "counterproposal": "proposal", "counter-proposal": "proposal", "peace": "peace", "settlement": "settlement",
    "framework": "agreement", "roadmap": "plan", "plan": "plan", "hostage": "hostage release",
    "swap": "exchange", "exchange": "exchange", "memorandum": "agreement", "mediation": "talks",
    "summit": "talks", "denuclearization": "denuclearization",
}
# Cue lemmas for each move, strongest first (checked over the record's clause).
_CUES: tuple[tuple[str, frozenset[str]], ...] = (
    ("violation", frozenset({"violate", "violation", "breach", "flout"})),
    ("collapse", frozenset({"collapse", "breakdown", "fail", "failure", "stall", "falter", "derail", "abandon", "scuttle"})),
    ("suspension", frozenset({"suspend", "suspension", "pause", "freeze", "postpone", "halt"})),
    ("implementation", frozenset({"implement", "implementation"})),
    ("counter_proposal", frozenset({"counterproposal", "counter-proposal", "counteroffer", "counter-offer", "amend",
                                    "amendment", "revise", "revised", "counter", "instead"})),
    ("mediation", frozenset({"mediate", "mediation", "mediator", "broker", "facilitate"})),
)
# Words of a happening that implements what was agreed ("the hostages were released under the deal").
_IMPLEMENTING_TYPES = frozenset({"RETREAT"})
_PROPOSE = frozenset({"propose", "proposal", "offer", "suggest", "submit", "present", "table", "plan", "put", "unveil", "draft"})
_AGREEMENT = frozenset({"sign", "reach", "strike", "seal", "conclude", "clinch", "finalize", "finalise", "agreement",
                        "deal", "accord", "treaty", "broker", "negotiate"})
_ACCEPT = frozenset({"accept", "approve", "endorse", "welcome", "embrace", "back", "agree", "ratify"})
_DURATION = re.compile(
    r"\b(?:(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|"
    r"forty-five|sixty|ninety)[- ](?:hours?|days?|weeks?|months?|years?)(?:-long)?)\b", re.I)
# Words a duration term qualifies ("a six-week truce", "a 30-day pause in attacks").
_TIMED = frozenset({"ceasefire", "cease-fire", "truce", "pause", "halt", "deal", "phase", "agreement", "cessation",
                    "moratorium", "extension", "lull", "armistice", "freeze", "humanitarian", "interim"})
_PHASES = re.compile(r"\b(?:(?:two|three|four|five|\d+)[- ]phased?|(?:first|second|third|next|final) (?:phase|stage))\b", re.I)
_COUNT = r"(?:about |at least |up to |some |nearly |more than |around )?(?:\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|hundred|hundreds|dozens|thousands|several|numerous|many|scores|all(?: the)?|remaining)"
_PEOPLE = re.compile(
    rf"\b(?P<count>{_COUNT})(?: of)?(?: the)?(?: \w+){{0,2}}? (?P<kind>hostages|captives|prisoners|detainees|soldiers)\b", re.I)
_AID = re.compile(r"\b(?:humanitarian )?aid(?: trucks| deliveries| convoys)?\b|\breconstruction\b", re.I)
_WITHDRAWAL = re.compile(r"\b(?:withdrawal|pullout|pull-out|pullback)\b(?: of [^,.;]{1,40})?", re.I)
_EXCHANGE = re.compile(r"\bin (?:exchange|return) for\b", re.I)
_PEOPLE_KIND = {"hostages": "hostages", "captives": "hostages", "prisoners": "prisoners", "detainees": "prisoners",
                "soldiers": "hostages"}
# Types that are steps in talks by themselves; the others only by a cue ("attacked, violating the truce").
_TALK_TYPES = frozenset({"CONSULT", "AGREE", "SUPPORT", "CONCEDE", "REJECT", "REQUEST", "RETREAT", "THREATEN", "ACCUSE"})
# Words that say which talks: kept with the subject word.
_SUBJECT_KINDS = frozenset({"trade", "nuclear", "peace", "border", "gas", "energy", "security", "defense", "defence",
                            "arms", "prisoner", "hostage", "climate", "investment", "debt", "loan", "fishing", "water",
                            "grain", "migration", "ceasefire", "truce", "humanitarian"})
_ACCUSATIONS = frozenset({"charge", "allegation", "accusation", "claim", "report", "involvement", "responsibility"})
_OFFER = frozenset({"prepared", "ready", "willing", "offer"})
_MEETING = frozenset({"meeting", "talk", "talks", "summit", "negotiation", "negotiate", "discuss", "discussion", "meet", "convene"})
# Types that can be a move when the article, not the sentence, says what is negotiated.
_JOINABLE = frozenset({"CONSULT", "REJECT", "AGREE", "REQUEST", "CONCEDE"})
# Responses answer the last proposal of another party, within this many sentences.
ANSWER_WINDOW = 60
_RESPONSES = frozenset({"accept", "reject", "counter_proposal"})
_PROPOSALS = frozenset({"proposal", "counter_proposal"})


class NegotiationFinder:
    """Assigns `negotiation` to each record that is a move in talks."""

    name = "negotiation"
    version = "1"
    requires = ("events", "parse", "mentions")
    assigns = ("events",)

    def __call__(self, doc: Doc) -> Doc:
        if not doc.events:
            return doc
        ordered = sorted(doc.events, key=lambda e: (e.sentence, e.trigger.start))
        moves = {e.id: negotiation_of(doc, e) for e in ordered}
        moves = _fold_nested(doc, ordered, moves)
        # A meeting or a refusal between the sides of talks the article tells is a move in them,
        # though its own sentence does not name the subject ("Trump met with Kim in Hanoi").
        sides: dict[str, set[str]] = {}
        for n in moves.values():
            if n is not None:
                sides.setdefault(n.subject, set()).update(n.parties)
        processes = [(subject, parties) for subject, parties in sides.items() if len(parties) >= 2]
        for e in ordered:
            if moves[e.id] is None and e.event_type in _JOINABLE and not _answers_accusation(doc, e):
                joined = _joined(e, processes)
                if joined is not None:
                    moves[e.id] = negotiation_of(doc, e, subject=joined)
        out: list[Event] = []
        for event in ordered:
            move = moves[event.id]
            if move is not None and move.move in _RESPONSES:
                answered = _answered(out, event, move)
                if answered is not None:
                    move = dataclasses.replace(move, responds_to=answered.id)
            out.append(dataclasses.replace(event, negotiation=move) if move is not None else event)
        by_id = {e.id: e for e in out}
        return doc.replace(events=tuple(by_id[e.id] for e in doc.events))


def negotiation_of(doc: Doc, event: Event, subject: str | None = None) -> Negotiation | None:
    """The negotiation move `event` is, or None when it is no step in talks.

    `subject` is given when the article's other moves decided it (`_joined`)."""
    if not (0 <= event.anchor < len(doc.tokens)):
        return None
    anchor = doc.tokens[event.anchor]
    clause = _clause(doc, anchor)
    lemmas = {doc.tokens[i].lemma.lower() for i in clause} | {doc.tokens[i].text.lower() for i in clause}
    joined = subject is not None
    subject = subject or _clause_subject(doc, clause, anchor)
    if subject is None and event.event_type in _JOINABLE:
        subject = _sentence_subject(doc, anchor)
    if subject is None:
        return None
    trigger = {t.lemma.lower() for t in _trigger_tokens(doc, event)} | {anchor.lemma.lower()}
    near = _near(doc, anchor)
    if not _pauses_talks(doc, anchor):
        near -= _CUES[2][1]  # "the pause in aid" suspends aid, not the talks
    move, rule = _move(event, trigger, near, subject)
    if event.event_type not in _TALK_TYPES and not rule.startswith("cue"):
        return None  # a clash "after talks on a truce" is no move; one that breaks the truce is
    mediators = _mediators(doc, event, clause, trigger)
    names = {(m.name, m.country) for m in mediators}
    # A place visited ("met in Brasilia") stands for its country as a host, not a side.
    sides = [a for a in (*event.actors, *event.recipients) if (a.name, a.country) not in names and a.basis != "place"]
    parties = tuple(sorted({a.country for a in sides if a.country}))
    return Negotiation(
        process=_process_name(sides, subject), subject=subject, move=move, parties=parties,
        mediators=tuple(mediators), terms=tuple(_terms(doc, event)),
        rule=f"{rule}; joined the article's {subject} between its sides" if joined else rule,
    )


def _clause_subject(doc: Doc, clause: list[int], anchor: Token) -> str | None:
    """The subject the clause names nearest the trigger, with a word that says which
    ("trade agreement", "nuclear talks"), so that a trade deal is not taken for a truce."""
    inside = set(clause)
    for i in sorted(clause, key=lambda i: abs(i - anchor.i)):
        tok = doc.tokens[i]
        word = tok.lemma.lower() if tok.lemma.lower() in SUBJECTS else tok.text.lower()
        if word not in SUBJECTS:
            continue
        subject = SUBJECTS[word]
        kinds = [c.lemma.lower() for c in _children(doc, tok) if c.dep in ("compound", "amod") and c.i in inside
                 and c.lemma.lower() in _SUBJECT_KINDS]
        return f"{kinds[0]} {subject}" if kinds and kinds[0] != subject else subject
    return None


def _fold_nested(doc: Doc, ordered: Sequence[Event], moves: dict[str, Negotiation | None]) -> dict[str, Negotiation | None]:
    """One move per clause: a record whose trigger sits inside another move's clause ("presented a
    proposal: a 60-day truce, the release of 80 prisoners"; "released prisoners under the truce";
    "signed a truce, in a deal brokered by Brazil") is part of that move, and gives it its mediators."""
    out = dict(moves)
    by_sentence: dict[int, list[Event]] = {}
    for e in ordered:
        if moves[e.id] is not None and 0 <= e.anchor < len(doc.tokens):
            by_sentence.setdefault(e.sentence, []).append(e)
    for events in by_sentence.values():
        for outer in events:
            head = doc.tokens[outer.anchor]
            start, end = doc.subtree_span(head.i)
            for inner in events:
                tok = doc.tokens[inner.anchor]
                if inner is outer or out[inner.id] is None or out[outer.id] is None or not (start <= tok.i < end):
                    continue
                inner_start, inner_end = doc.subtree_span(tok.i)
                if inner_start <= head.i < inner_end:
                    continue  # the outer one sits inside this one's phrase: this one governs
                if tok.pos in ("NOUN", "PROPN") or (tok.dep in ("acl", "relcl") and tok.tag == "VBN"):
                    _absorb(out, outer, inner)
        for i, first in enumerate(events):
            for second in events[i + 1 :]:
                a, b = out[first.id], out[second.id]
                if a is None or b is None or set(a.parties) != set(b.parties):
                    continue
                if {a.move, b.move} <= {"accept", "agreement"}:
                    # "signed a truce, in a deal brokered by ...": one agreement, told twice
                    keep, drop = (first, second) if a.move == "agreement" or b.move != "agreement" else (second, first)
                    _absorb(out, keep, drop)
                elif a.move in _PROPOSALS and b.move in ("accept", "agreement", "implementation") and \
                        doc.tokens[second.anchor].pos in ("NOUN", "PROPN"):
                    out[second.id] = None  # "presented a proposal: a 60-day truce, ...": its terms, not acts
    return out


def _absorb(moves: dict[str, Negotiation | None], outer: Event, inner: Event) -> None:
    """`inner` is part of `outer`'s move: it gives its mediators (not the outer's own sides)."""
    keep, gone = moves[outer.id], moves[inner.id]
    sides = {(a.name, a.country) for a in (*outer.actors, *outer.recipients)}
    extra = tuple(m for m in gone.mediators if m not in keep.mediators and (m.name, m.country) not in sides)
    if extra:
        moves[outer.id] = dataclasses.replace(keep, mediators=keep.mediators + extra)
    moves[inner.id] = None


def _answers_accusation(doc: Doc, event: Event) -> bool:
    """"Paraguay denied the charge": a denial of an accusation is no move in the talks."""
    if event.event_type != "REJECT" or not (0 <= event.anchor < len(doc.tokens)):
        return False
    objects = [c.lemma.lower() for c in _children(doc, doc.tokens[event.anchor]) if c.dep in ("dobj", "nsubjpass")]
    return any(o in _ACCUSATIONS for o in objects)


def _joined(event: Event, processes: list[tuple[str, set[str]]]) -> str | None:
    """The subject of the article's talks whose sides this record is between, if any."""
    actors = {a.country for a in event.actors if a.country}
    recipients = {a.country for a in event.recipients if a.country}
    for subject, parties in processes:
        inside_a, inside_r = actors & parties, recipients & parties
        if inside_a and inside_r and inside_a != inside_r:
            return subject
        if event.event_type == "CONSULT" and len(inside_a) >= 2:
            return subject  # "the two leaders met"
    return None


def _move(event: Event, trigger: set[str], lemmas: set[str], subject: str) -> tuple[str, str]:
    etype = event.event_type
    if "broker" in trigger and subject not in ("talks",) and not lemmas & (_CUES[0][1] | _CUES[1][1] | _CUES[2][1]):
        return "agreement", "trigger: broker (a brokered deal)"  # its brokers are the mediators
    for move, cues in _CUES:
        if move == "counter_proposal" and _hosted(event, trigger):
            return "mediation", "third-party talks"  # after what befell the talks, before the rest
        if move == "counter_proposal" and trigger & (_ACCEPT - {"agree"}):
            return "accept", f"trigger: {sorted(trigger & _ACCEPT)[0]}"  # "accepted the revised proposal"
        hit = cues & lemmas
        if move == "implementation" and not hit and lemmas & {"effect", "force"} and lemmas & {"take", "come", "go", "enter"}:
            hit = {"took effect"}  # "the truce took effect", "came into force"
        if move == "mediation" and etype not in ("CONSULT", "AGREE") and not (hit & trigger):
            continue
        if move == "mediation" and etype == "AGREE":
            continue  # "a deal brokered by Egypt" is the agreement; Egypt is its mediator
        if hit:
            return move, f"cue: {sorted(hit)[0]}"
    if "break" in lemmas and "down" in lemmas or "off" in lemmas and "break" in lemmas:
        return "collapse", "cue: broke down"
    if etype == "REJECT":
        return "reject", "type REJECT"
    if etype == "ACCUSE":
        return "violation", "type ACCUSE"  # in talks, an accusation charges the other side with breaking faith
    if etype in ("AGREE", "CONCEDE") and lemmas & _OFFER and not trigger & (_ACCEPT - {"agree"}):
        return "proposal", f"offer: {sorted(lemmas & _OFFER)[0]}"  # "we are prepared to do our part"
    if etype in _IMPLEMENTING_TYPES:
        return "implementation", "type RETREAT"
    if etype == "CONSULT" or trigger & _MEETING:
        return "talks", "type CONSULT" if etype == "CONSULT" else f"trigger: {sorted(trigger & _MEETING)[0]}"
    if trigger & _PROPOSE:
        return "proposal", f"trigger: {sorted(trigger & _PROPOSE)[0]}"
    if etype in ("REQUEST", "THREATEN"):
        return "proposal", f"type {etype}"
    if etype == "AGREE" and event.modality in ("future", "hypothetical") and trigger & _ACCEPT - {"agree"}:
        return "accept", f"trigger: {sorted(trigger & _ACCEPT)[0]}"  # "said it is ready to accept"
    if etype == "AGREE" and event.modality in ("future", "hypothetical") and not trigger & _AGREEMENT:
        return "proposal", "offer: AGREE not yet made"  # "we are prepared to", "is ready to accept"
    if trigger & _AGREEMENT:
        return "agreement", f"trigger: {sorted(trigger & _AGREEMENT)[0]}"
    if trigger & _ACCEPT or etype in ("SUPPORT", "CONCEDE"):
        return "accept", f"trigger: {sorted(trigger & _ACCEPT)[0]}" if trigger & _ACCEPT else f"type {etype}"
    if etype == "AGREE":
        return "agreement", "type AGREE"
    return "talks", f"type {etype}"


def _clause(doc: Doc, anchor: Token) -> list[int]:
    """Tokens of the trigger's clause: the subtree of the verb that governs it ("talks in
    Stockholm broke down": the noun's verb), the trigger's own when it is a verb."""
    root = anchor
    for _ in range(4):
        if root.pos in ("VERB", "AUX") or root.head == root.i:
            break
        root = doc.tokens[root.head]
    start, end = doc.subtree_span(root.i)
    return list(range(start, end))


def _near(doc: Doc, anchor: Token) -> set[str]:
    """Words of the trigger, the words that govern it and their dependents: where a move's cue
    sits ("talks in Stockholm broke down", "violated the truce"), not a sister clause's words."""
    nodes = [anchor]
    tok = anchor
    for _ in range(4):
        if tok.head == tok.i:
            break
        tok = doc.tokens[tok.head]
        nodes.append(tok)
    words: set[str] = set()
    for node in nodes:
        for t in (node, *_children(doc, node)):
            words |= {t.lemma.lower(), t.text.lower()}
    # What the trigger's own clause says, down a few links but not into a coordinated clause:
    # "accused Hamas of violating the ceasefire", not "denied the request and asked instead".
    frontier = [anchor]
    for _ in range(3):
        frontier = [c for t in frontier for c in _children(doc, t) if c.dep not in ("conj", "cc", "relcl", "advcl")]
        words |= {w for t in frontier for w in (t.lemma.lower(), t.text.lower())}
    return words


def _pauses_talks(doc: Doc, anchor: Token) -> bool:
    """Does a word of suspension in the sentence act on what is negotiated ("suspended the talks",
    "the truce was put on hold", "a suspension of negotiations")?"""
    s = doc.sentences[anchor.sent]
    for tok in doc.tokens[s.token_start : s.token_end]:
        if tok.lemma.lower() not in _CUES[2][1]:
            continue
        linked = [*_children(doc, tok), doc.tokens[tok.head]]
        linked += [g for c in _children(doc, tok) if c.dep == "prep" for g in _children(doc, c)]
        if any(t.lemma.lower() in SUBJECTS or t.text.lower() in SUBJECTS for t in linked):
            return True
    return False


def _sentence_subject(doc: Doc, anchor: Token) -> str | None:
    """A subject the sentence names outside the clause ("During the negotiations, ..., but X refused")."""
    s = doc.sentences[anchor.sent]
    for tok in doc.tokens[s.token_start : s.token_end]:
        for word in (tok.lemma.lower(), tok.text.lower()):
            if word in SUBJECTS:
                return SUBJECTS[word]
    return None


def _ordered_lemmas(doc: Doc, clause: list[int], anchor: Token) -> list[str]:
    """The clause's lemmas, nearest the trigger first, so the subject nearest it names the talks."""
    near = sorted(clause, key=lambda i: abs(i - anchor.i))
    out = []
    for i in near:
        tok = doc.tokens[i]
        out += [tok.lemma.lower(), tok.text.lower()]
    return out


def _trigger_tokens(doc: Doc, event: Event) -> list[Token]:
    s = doc.sentences[doc.tokens[event.anchor].sent]
    return [t for t in doc.tokens[s.token_start : s.token_end] if event.trigger.start <= t.start < event.trigger.end]


def _hosted(event: Event, trigger: set[str]) -> bool:
    """"X hosted talks between A and B", "X mediated between A and B": X is a third party."""
    return (event.mode == "third-party" and event.event_type == "CONSULT") or (
        "host" in trigger and bool(event.actors) and bool(event.recipients))


def _mediators(doc: Doc, event: Event, clause: list[int], trigger: set[str]) -> list[Actor]:
    if _hosted(event, trigger):
        return list(event.actors)
    inside = set(clause)
    mentions = [m for m in mentions_near(doc.mentions, min(clause), max(clause) + 1) if m.token_start in inside or m.head in inside]
    out: list[Actor] = []
    for i in clause:
        tok = doc.tokens[i]
        word = tok.text.lower()
        if tok.lemma.lower() in ("broker", "mediate") and tok.tag == "VBN":
            # "a deal brokered by the US and Egypt"
            for agent in (c for c in _children(doc, tok) if c.dep == "agent"):
                for pobj in _children(doc, agent):
                    out += _covering(mentions, doc, pobj)
        elif word.endswith(("-brokered", "-mediated", "-led")) and word.split("-")[0]:
            out += [m.actor for m in mentions if m.token_start <= i < m.token_end or m.head == i]
        elif tok.lemma.lower() in ("mediation", "mediator"):
            # "with Egyptian and Qatari mediation", "mediation by Qatar", "Qatar's mediation"
            for c in _children(doc, tok):
                if c.dep in ("amod", "compound", "poss", "nmod"):
                    out += _covering(mentions, doc, c)
                elif c.dep == "prep" and c.text.lower() in ("by", "of", "from"):
                    for pobj in _children(doc, c):
                        out += _covering(mentions, doc, pobj)
    seen: list[Actor] = []
    for a in out:
        if a not in seen:
            seen.append(a)
    return seen


def _children(doc: Doc, tok: Token) -> list[Token]:
    s = doc.sentences[tok.sent]
    return [t for t in doc.tokens[s.token_start : s.token_end] if t.head == tok.i and t.i != tok.i]


def _covering(mentions: Sequence[Mention], doc: Doc, tok: Token) -> list[Actor]:
    """Actors of the mentions at `tok` and at its coordinated words ("the US and Egypt")."""
    heads = [tok] + [c for c in _children(doc, tok) if c.dep == "conj"]
    for c in list(heads[1:]):
        heads += [g for g in _children(doc, c) if g.dep == "conj"]
    return [m.actor for h in heads for m in mentions if m.token_start <= h.i < m.token_end or m.head == h.i]


def _terms(doc: Doc, event: Event) -> list[Term]:
    """The terms the record's sentences give, each with its words."""
    spans = event.mentions or (event.evidence,)
    terms: list[Term] = []
    for span in spans:
        text = doc.text[span.start : span.end]
        for m in _DURATION.finditer(text):
            after = [w.strip(",.;:").lower() for w in text[m.end() :].split()[:2]]
            before = text[max(0, m.start() - 6) : m.start()].lower()
            if not (before.endswith(("for ", "of ")) or any(w in _TIMED for w in after)):
                continue  # "a call which lasted an hour" is no term; "a six-week truce", "for 30 days" are
            try:
                value = float(parse_duration(m.group().replace("-long", "")).value)
            except ValueError:
                continue
            terms.append(Term("duration_days", value, m.group(), span.start + m.start(), span.start + m.end()))
        for m in _PHASES.finditer(text):
            terms.append(Term("phases", _number(m.group().split()[0].split("-")[0]), m.group(),
                              span.start + m.start(), span.start + m.end()))
        people = list(_PEOPLE.finditer(text))
        for m in people:
            count = m.group("count")
            terms.append(Term(_PEOPLE_KIND[m.group("kind").lower()], _number(count), m.group(),
                              span.start + m.start(), span.start + m.end()))
        for m in _EXCHANGE.finditer(text):
            before = [p for p in people if p.end() <= m.start()]
            after = [p for p in people if p.start() >= m.end()]
            if before and after:
                a, b = _number(before[-1].group("count")), _number(after[0].group("count"))
                ratio = round(b / a, 2) if a and b else None
                terms.append(Term("exchange", ratio, text[before[-1].start() : after[0].end()],
                                  span.start + before[-1].start(), span.start + after[0].end()))
        for m in _AID.finditer(text):
            terms.append(Term("aid", None, m.group(), span.start + m.start(), span.start + m.end()))
        for m in _WITHDRAWAL.finditer(text):
            terms.append(Term("withdrawal", None, m.group().strip(), span.start + m.start(), span.start + m.start() + len(m.group().strip())))
    unique: list[Term] = []
    for t in terms:
        if not any(u.start <= t.start and t.end <= u.end and u.kind == t.kind for u in unique):
            unique = [u for u in unique if not (t.start <= u.start and u.end <= t.end and u.kind == t.kind)] + [t]
    return sorted(unique, key=lambda t: t.start)


def _number(text: str) -> float | None:
    """A count's value, or None when the text gives none ("hundreds", "all the")."""
    words = text.lower().replace("the", "").split()
    if not words or words[-1] in ("all", "remaining", "several", "numerous", "many", "scores", "hundreds", "dozens", "thousands"):
        return None
    try:
        parsed = parse_number(" ".join(words))
    except ValueError:
        return None
    return None if parsed.approximate and words[-1] in ("hundred",) else float(parsed.value)


def _process_name(sides: Sequence[Actor], subject: str) -> str:
    """The parties and the subject: "Israel-Hamas ceasefire"; "ceasefire" when no party is known."""
    names: list[str] = []
    for actor in sides:
        if not actor.country:
            continue
        name = actor.name if actor.country in NON_STATE_CODES or actor.sector in ("REB", "PTY", "UAF") \
            else country_name(actor.country)
        if name not in names:
            names.append(name)
    return f"{'-'.join(sorted(names))} {subject}".strip()


def _answered(earlier: Sequence[Event], event: Event, move: Negotiation) -> Event | None:
    """The last proposal before `event` in the article, by another party on shared ground."""
    mine = {a.country for a in event.actors if a.country}
    for prior in reversed(earlier):
        if event.sentence - prior.sentence > ANSWER_WINDOW:
            break  # what a response answers is told shortly before it
        n = prior.negotiation
        if n is None or n.move not in _PROPOSALS:
            continue
        theirs = {a.country for a in prior.actors if a.country}
        if theirs and theirs == mine:
            continue  # one's own proposal is not what one answers
        if n.subject == move.subject or set(n.parties) & set(move.parties):
            return prior
    return None


__all__ = ["NegotiationFinder", "SUBJECTS", "negotiation_of"]
