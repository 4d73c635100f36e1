"""Quotations and who speaks them, across sentences.

A quotation often runs over several sentences and names its speaker once: before it ("Hassan
said: ...") or after it ('"We condemn the jailbreak. ...," he tweeted'). A quoted sentence that
names nobody continues the last quoted speaker when it follows that quotation directly, as news
writing does paragraph after paragraph. The actors stage reads "we", "I" and "our" inside a
quotation as its speaker.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..records import Sentence, Token

# Verbs that report a quotation; their subject speaks it.
REPORTING_VERBS = frozenset({
    "say", "tell", "add", "write", "state", "declare", "insist", "warn", "stress", "tweet", "post",
    "explain", "note", "argue", "continue", "conclude",
})
_STRAIGHT = '"'
# Text between two quotations of one speaker that still lets the second continue the first:
# the attribution that closed the first (", Hassan said.") and no more.
_MAX_GAP = 80


@dataclass(frozen=True, slots=True)
class Quote:
    start: int  # first character inside the marks
    end: int  # the closing mark (or the paragraph's end when it is never closed)


_MARKS = re.compile(r'[“”"\n]')


@functools.lru_cache(maxsize=16)
def quote_spans(text: str) -> tuple[Quote, ...]:
    """Quotations in `text`, in text order. Writers mix marks (a straight one opened, a curly one
    closed), so any closing mark closes an open quotation, and a paragraph's end closes one left
    open. Several stages ask for one article's: found once, by its marks only."""
    out: list[Quote] = []
    open_at: int | None = None
    for m in _MARKS.finditer(text):
        ch, i = m.group(), m.start()
        if ch == "\n":
            if open_at is not None:
                out.append(Quote(open_at, i))
                open_at = None
        elif ch == "“":
            if open_at is None:
                open_at = i + 1
        elif open_at is not None:  # ” or a straight mark closes
            out.append(Quote(open_at, i))
            open_at = None
        elif ch == _STRAIGHT:
            open_at = i + 1
    if open_at is not None:
        out.append(Quote(open_at, len(text)))
    return tuple(out)


def inside(quotes: Sequence[Quote], pos: int) -> Quote | None:
    """The quotation (of `quotes`, in text order, not overlapping) holding character `pos`."""
    k = bisect.bisect_right(quotes, pos, key=lambda q: q.start) - 1
    return quotes[k] if k >= 0 and pos < quotes[k].end else None


def quote_speakers(
    quotes: Sequence[Quote],
    tokens: Sequence[Token],
    sentences: Sequence[Sentence],
    children: Callable[[int], list[Token]],
) -> dict[Quote, int]:
    """For each quotation, the token that heads its speaker: the subject of a reporting verb outside
    the quotation, in the sentence that closes it (after the mark) or opens it (before the mark);
    else the speaker of the quotation just before it."""
    out: dict[Quote, int] = {}
    previous: tuple[Quote, int] | None = None
    for q in quotes:
        found = _after(q, quotes, tokens, sentences, children) or _before(q, quotes, tokens, sentences, children)
        if found is None and previous is not None and _continues(previous[0], q, sentences):
            found = previous[1]
        if found is not None:
            out[q] = found
            previous = (q, found)
    return out


def _sentence_at(sentences: Sequence[Sentence], pos: int) -> Sentence | None:
    """The sentence holding character `pos` (or ending at it), by bisection over their starts."""
    k = bisect.bisect_right(sentences, pos, key=lambda s: s.start) - 1
    return sentences[k] if k >= 0 and pos <= sentences[k].end else None


def _subject(verb: Token, children: Callable[[int], list[Token]]) -> int | None:
    for c in children(verb.i):
        if c.dep in ("nsubj", "nsubjpass"):
            return c.i
    return None


def _reporting(tok: Token) -> bool:
    return tok.pos in ("VERB", "AUX") and tok.lemma.lower() in REPORTING_VERBS


def _after(q, quotes, tokens, sentences, children) -> int | None:
    s = _sentence_at(sentences, q.end)
    if s is None or not s.parsed:
        return None
    for t in tokens[s.token_start:s.token_end]:
        if t.start > q.end and _reporting(t) and inside(quotes, t.start) is None:
            return _subject(t, children)
    return None


def _before(q, quotes, tokens, sentences, children) -> int | None:
    s = _sentence_at(sentences, max(q.start - 1, 0))
    if s is None or not s.parsed:
        return None
    for t in reversed(tokens[s.token_start:s.token_end]):
        if t.end < q.start and _reporting(t) and inside(quotes, t.start) is None:
            return _subject(t, children)
    return None


def _continues(prev: Quote, q: Quote, sentences: Sequence[Sentence]) -> bool:
    """`q` opens right after `prev` and its attribution: no sentence of other prose between them."""
    if not 0 <= q.start - prev.end <= _MAX_GAP:
        return False
    return not any(prev.end < s.start < q.start - 1 for s in sentences)


__all__ = ["Quote", "REPORTING_VERBS", "inside", "quote_speakers", "quote_spans"]
