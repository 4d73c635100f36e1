"""Who the text says reported an event: "..., officials said", "according to the Health Ministry".

From the event's trigger the stage climbs the parse. The first reporting verb whose clausal
complement holds the trigger ("X said [troops withdrew]") gives its subject as the reporter; on the
way, "according to X" and "as confirmed by X" attached to a clause the trigger is in give theirs.
A reporting verb that takes the event as its object ("announced a ceasefire") is the event itself,
or its actor, so it gives no attribution.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..doc import Doc
from ..records import Attribution, Mention, Token
from .sentence_graph import mentions_near

REPORT_VERBS = (
    "say", "tell", "announce", "confirm", "report", "claim", "state", "add", "note", "insist", "explain",
    "acknowledge", "write", "tweet", "post", "estimate", "disclose", "reveal", "declare", "assert", "stress",
)
# Links by which a reporting verb holds what was reported ("said [troops withdrew]").
_REPORTED = {"ccomp", "parataxis", "xcomp"}
_SUBJECTS = ("nsubj", "nsubjpass", "csubj")
_PUNCT = {"PUNCT"}


@dataclass(frozen=True)
class AttributionConfig:
    report_verbs: tuple[str, ...] = REPORT_VERBS
    # How far up the parse the reporting clause may sit from the trigger.
    max_hops: int = 12


class AttributionFinder:
    """Sets each event's attribution: the reporter the text names for it, if any."""

    name = "attribution"
    version = "1"
    requires = ("parse", "mentions", "events")
    assigns = ("attributions",)

    def __init__(self, config: AttributionConfig = AttributionConfig()) -> None:
        self.config = config
        self._verbs = frozenset(config.report_verbs)

    def __call__(self, doc: Doc) -> Doc:
        changed = False
        events = list(doc.events)
        kids_cache: dict[int, dict[int, list[int]]] = {}
        for n, event in enumerate(events):
            if event.attribution is not None or not 0 <= event.anchor < len(doc.tokens):
                continue
            sent = doc.tokens[event.anchor].sent
            if sent not in kids_cache:
                kids_cache[sent] = _children(doc, sent)
            reporter = self._reporter(doc.tokens, kids_cache[sent], event.anchor)
            if reporter is None:
                continue
            attribution = _attribution(doc, kids_cache[sent], reporter, event.anchor)
            if attribution is not None:
                events[n] = dataclasses.replace(event, attribution=attribution)
                changed = True
        return doc.replace(events=tuple(events)) if changed else doc

    def _reporter(self, toks: tuple[Token, ...], kids: dict[int, list[int]], anchor: int) -> int | None:
        """The head token of the reporter's phrase for the event anchored at `anchor`."""
        if self._is_report(toks[anchor]):
            return None  # the reporting verb is itself the event
        t = anchor
        for _ in range(self.config.max_hops):
            found = self._marker(toks, kids, t)
            if found is not None:
                return found
            h = toks[t].head
            if h == t:
                return None
            head = toks[h]
            if self._is_report(head):
                # Only a clause is reported; an object, a conjunct or a time phrase of the
                # reporting verb is what the speaker did, not what they told.
                return _speaker(toks, kids, h) if toks[t].dep in _REPORTED else None
            t = h
        return None

    def _marker(self, toks: tuple[Token, ...], kids: dict[int, list[int]], t: int) -> int | None:
        """A reporter hung on token `t`: "according to X", "as confirmed by X", ", X said"."""
        for k in kids.get(t, ()):
            c = toks[k]
            if c.text.lower() == "according":
                for to in kids.get(k, ()):
                    if toks[to].text.lower() == "to":
                        objs = [j for j in kids.get(to, ()) if toks[j].dep == "pobj"]
                        if objs:
                            return objs[0]
            elif c.dep in ("advcl", "parataxis") and self._is_report(c) and c.i > t:
                marks = {toks[j].text.lower() for j in kids.get(k, ()) if toks[j].dep == "mark"}
                if marks <= {"as"}:
                    found = _speaker(toks, kids, k)
                    if found is not None:
                        return found
        return None

    def _is_report(self, tok: Token) -> bool:
        return tok.pos in ("VERB", "AUX") and tok.lemma.lower() in self._verbs


def _children(doc: Doc, sent: int) -> dict[int, list[int]]:
    s = doc.sentences[sent]
    kids: dict[int, list[int]] = {}
    for t in doc.tokens[s.token_start : s.token_end]:
        if t.head != t.i:
            kids.setdefault(t.head, []).append(t.i)
    return kids


def _speaker(toks: tuple[Token, ...], kids: dict[int, list[int]], verb: int, depth: int = 0) -> int | None:
    """The subject of a reporting verb, or the agent of a passive one ("confirmed by X")."""
    for k in kids.get(verb, ()):
        if toks[k].dep in _SUBJECTS and toks[k].text.lower() not in ("it", "which", "who", "that"):
            return k
    for k in kids.get(verb, ()):
        if toks[k].dep == "agent":
            objs = [j for j in kids.get(k, ()) if toks[j].dep == "pobj"]
            if objs:
                return objs[0]
    verb_tok = toks[verb]
    if verb_tok.dep in ("advcl", "conj", "xcomp") and verb_tok.head != verb and depth < 3:
        # "witnesses said, adding that ...": a participle shares the subject of its clause.
        return _speaker(toks, kids, verb_tok.head, depth + 1)
    return None


def _subtree(kids: dict[int, list[int]], head: int) -> tuple[int, int]:
    members = [head]
    lo = hi = head
    while members:
        i = members.pop()
        lo, hi = min(lo, i), max(hi, i)
        members.extend(kids.get(i, ()))
    return lo, hi + 1


def _attribution(doc: Doc, kids: dict[int, list[int]], head: int, anchor: int) -> Attribution | None:
    """The reporter's phrase with the fullest name a mention gives it."""
    toks = doc.tokens
    lo, hi = _subtree(kids, head)
    if lo <= anchor < hi:
        return None  # the "reporter" phrase holds the event: a misparse, not a source
    while lo < head and toks[lo].pos in _PUNCT:
        lo += 1
    while hi - 1 > head and toks[hi - 1].pos in _PUNCT:
        hi -= 1
    start, end = toks[lo].start, toks[hi - 1].end
    mention = _mention(doc.mentions, head)
    text = doc.text[start:end]
    return Attribution(text=text, name=mention.actor.name if mention else text, start=start, end=end)


_WIDEST = 64  # tokens: no actor phrase is longer


def _mention(mentions: tuple[Mention, ...], head: int) -> Mention | None:
    """The mention headed by the token, else the widest one covering it."""
    best: Mention | None = None
    for m in mentions_near(mentions, head - _WIDEST, head + 1):  # a mention covering `head` starts near it
        if m.head == head:
            return m
        width = m.token_end - m.token_start
        if m.token_start <= head < m.token_end and (best is None or width > best.token_end - best.token_start):
            best = m
    return best
