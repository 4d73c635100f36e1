"""When each event happened: the temporal expression that belongs to it, resolved against `published`.

An expression belongs to an event when (best first):
  0. it sits in the trigger's dependency subtree without crossing into another clause;
  1. it hangs on the trigger's head verb by a temporal relation (npadvmod, tmod, prep + pobj, advmod);
  2. it is elsewhere in the same time frame: clauses joined by xcomp ("is expected to meet"), by
     conj without a subject of their own ("entered the city on Sunday and seized the airport"), by
     a participle ("passed a resolution on Friday, decrying the move") or by when/as/while count as
     one; a trigger in a when-clause on a date takes that date ("since 2011, when troops entered");
  3. it sits in the trigger's subtree inside a nested clause that tells the trigger's own happening
     ("the offensive launched earlier this month", "rejected it, telling reporters on Wednesday");
  4. it hangs on the verb that reports or announces the trigger's clause ("the United States said
     Tuesday that it would resume aid", "In December, Mogadishu announced it was cutting ties"):
     the announcement is when the reported act is known to stand, unless the clause says it came
     before (a pluperfect "had prohibited");
  5. it opens the sentence, set off by a comma ("Earlier this month, ..."): it frames the whole
     sentence, whatever the parse made of it (the same pluperfect exception).
Ties go to the shorter dependency path, then to the nearer word. A date never belongs to an event
when it sits in another happening's clause (a that-, after- or relative clause on another noun: "the
allegation that Tuesday's attack was planned"; a gerund: "by withdrawing in 2017") or names another
happening in front of its noun ("welcomed Tuesday's announcement", "accused of the 2004 bombing";
"at Friday's meeting" is the occasion, so it counts). Expressions are DATE/TIME entities plus weekday
and day words ("Sunday", "yesterday") the NER missed. Durations and vague phrases are skipped; with
nothing usable left, the publication date stands in (basis "published"; the day before for a
story stamped in UTC in the small hours, `temporal.news_day`). An expression from another
clause (ranks 3 to 5) is resolved with the tense of the verb it hangs on, not the trigger's.

Three readings go beyond one expression: "since February 1" starts a span that runs to the news,
so the date is the smallest unit holding the span (its month or year; none over years); a
document's issuing is its statement's date ("a lawsuit filed in February alleged"); an act told as
an interval from a known day ("two days after", "a day after an attack") is dated from that day:
the other clause's date in the text, or the day's news for a present tense ("comes two days after").
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import re
from dataclasses import dataclass

from ..doc import Doc
from ..numbers import parse_number
from ..records import DateRef, Event, Token
from ..temporal import load_vocabulary, news_day, relative_to, resolve

DATE_LABELS = ("DATE", "TIME")
# Relations by which a time expression modifies a verb.
TEMPORAL_DEPS = frozenset({"npadvmod", "tmod", "obl", "obl:tmod", "nmod:tmod", "prep", "advmod", "pobj"})
# Relations that join clauses sharing the trigger's time frame.
SHARED_FRAME_DEPS = frozenset({"xcomp", "conj"})
# "is slated/expected/scheduled to ..." and "is going to ...": the infinitive is future.
FUTURE_FRAMES = frozenset({"slate", "expect", "schedule", "set", "plan", "due", "go", "poise", "intend"})
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
DAY_WORDS = frozenset({"today", "yesterday", "tomorrow", "tonight"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
# Subordinators of a clause that happens at the same time as the one it hangs on.
SIMULTANEOUS = frozenset({"when", "as", "while", "whilst"})
# A date in front of a noun names that noun's happening, unless the noun is the occasion of the
# event: the object of one of these prepositions on a verb ("at Friday's meeting").
OCCASION_PREPS = frozenset({"at", "during", "in", "on", "amid", "throughout"})
PREMODIFIER_DEPS = frozenset({"poss", "compound", "nmod", "amod", "nummod"})
UNTIL = frozenset({"until", "till", "til", "untill"})
# A conjunct with one of these tells a later step, not the same time ("then exempted the duties").
SEQUENCE_ADVERBS = frozenset({"then", "later", "afterwards", "afterward", "subsequently", "eventually", "finally"})
# A vague expression with one of these tells the time from another happening ("a day earlier").
ANAPHORIC = frozenset({"earlier", "later", "before", "after", "previous", "following", "same"})
# Sentences back the happening a "days later" is told from may be.
SEQUEL_WINDOW = 2
# How far up reporting clauses (rank 4) are followed: "said ... that officials announced ... that".
REPORT_DEPTH = 2
SHIFT_WORDS = frozenset({"last", "next", "this"})
_VERBS = ("VERB", "AUX")


@dataclass(frozen=True)
class DatesConfig:
    """`bare_words`: also use weekday/day words the NER missed; `clause_fallback`: allow rank 2 and 3."""

    bare_words: bool = True
    clause_fallback: bool = True


@dataclass(frozen=True, slots=True)
class _Candidate:
    token_start: int
    token_end: int
    start: int
    end: int


class DateResolver:
    """Assigns each event a DateRef from the temporal expression attached to its trigger."""

    name = "dates"
    version = "1"
    requires = ("parse", "entities", "events")
    assigns = ("dates",)

    def __init__(self, config: DatesConfig = DatesConfig()) -> None:
        self.config = config
        vocab = load_vocabulary()
        self._bare = DAY_WORDS | frozenset(vocab.weekdays)
        self._months = frozenset(vocab.months)

    def __call__(self, doc: Doc) -> Doc:
        if not doc.events:
            return doc
        candidates = self._candidates(doc)
        sequels: dict[int, tuple[str, int, int]] = {}  # anchor -> "days later" and its span
        events = [self._date_event(doc, event, candidates, sequels) for event in doc.events]
        return doc.replace(events=tuple(_dated_by_interval(doc, _resolve_sequels(events, sequels))))

    def _date_event(self, doc: Doc, event: Event, candidates: dict[int, list[_Candidate]],
                    sequels: dict[int, tuple[str, int, int]]) -> Event:
        published = doc.article.published
        in_sentence = candidates.get(doc.tokens[event.anchor].sent) if 0 <= event.anchor < len(doc.tokens) else None
        unresolved: DateRef | None = None
        if in_sentence:
            tense = event_tense(doc, event)
            for cand, rank in self._ranked(doc, event.anchor, in_sentence):
                text = doc.text[cand.start : cand.end]
                until = _until(doc, cand) and bool(self._months & set(_words(text)))
                when = "future" if until else tense if rank <= 1 else _host_tense(doc, cand, tense)
                found = resolve(text, published, when)
                if found.kind == "vague" and rank <= 1 and ANAPHORIC & set(_words(text)):
                    # "a day earlier", "the previous day's": its own time, told from another event
                    # (resolved against the happening told before it, `_resolve_sequels`)
                    sequels[event.anchor] = (text, cand.start, cand.end)
                    break
                if found.value is not None:
                    value, grain = found.value, found.granularity
                    # "have arrested 2,400 people since February 1": the span up to the news (not
                    # "Since 2011, when the government sent soldiers": that act was then)
                    if _since(doc, cand) and published is not None \
                            and not any(cand.token_start <= i < cand.token_end for i in _path_up(doc, event.anchor)):
                        value, grain = _span_to(value, news_day(published, doc.article.published_text))
                        if value is None:  # a span of years names no one date of the happening
                            return dataclasses.replace(event, date=DateRef(text, None, "unknown", "unknown", cand.start, cand.end))
                    date = DateRef(text, value, grain, "text", cand.start, cand.end)
                    return dataclasses.replace(event, date=date)
                if published is None and found.relative and unresolved is None and found.kind == "date":
                    # "Sunday" with no publication date: keep the words, never guess the day.
                    unresolved = DateRef(text, None, "unknown", "unknown", cand.start, cand.end)
        if published is not None and not _told_as_before(doc, event):
            day = news_day(published, doc.article.published_text)
            return dataclasses.replace(event, date=DateRef(None, day.isoformat(), "day", "published"))
        return dataclasses.replace(event, date=unresolved or DateRef(None, None, "unknown", "unknown"))

    def _candidates(self, doc: Doc) -> dict[int, list[_Candidate]]:
        """Temporal expressions by sentence index: DATE/TIME entities, then day words the NER missed."""
        found: dict[int, list[_Candidate]] = {}
        covered: set[int] = set()
        for e in doc.entities:
            if e.label in DATE_LABELS and e.token_start < len(doc.tokens):
                found.setdefault(doc.tokens[e.token_start].sent, []).append(
                    _Candidate(e.token_start, e.token_end, e.start, e.end)
                )
                covered.update(range(e.token_start, e.token_end))
        if not self.config.bare_words:
            return found
        wanted = {doc.tokens[e.anchor].sent for e in doc.events if 0 <= e.anchor < len(doc.tokens)}
        for sent in wanted:
            s = doc.sentences[sent]
            for tok in doc.tokens[s.token_start : s.token_end]:
                if tok.i in covered or tok.text.lower() not in self._bare:
                    continue
                first = tok
                prev = doc.tokens[tok.i - 1] if tok.i > s.token_start else None
                if prev is not None and prev.text.lower() in SHIFT_WORDS and prev.i not in covered:
                    first = prev  # "last Friday", "next Tuesday"
                found.setdefault(sent, []).append(_Candidate(first.i, tok.i + 1, first.start, tok.end))
        return found

    def _ranked(self, doc: Doc, anchor: int, candidates: list[_Candidate]) -> list[tuple[_Candidate, int]]:
        verb = governing_verb(doc, anchor)
        frame = time_frame(doc, verb) if verb is not None else []
        reporters = _reporting_frame(doc, frame) if frame and not _is_pluperfect(doc, frame[0]) else []
        scored = []
        for cand in candidates:
            if cand.token_start <= anchor < cand.token_end:
                continue  # an expression holding the trigger word is the trigger, not its date
            rank = _rank(doc, cand, anchor, frame, self.config.clause_fallback)
            if rank is None and self.config.clause_fallback:
                rank = _rank_reported(doc, cand, reporters, frame)
            if rank is not None:
                scored.append((rank, abs(cand.token_start - anchor), cand))
        scored.sort(key=lambda r: (r[0], r[1]))
        return [(c, r[0]) for r, _, c in scored]


def _resolve_sequels(events: list[Event], sequels: dict[int, tuple[str, int, int]]) -> list[Event]:
    """ "Last month, insurgents ambushed a bus. Days later, a bomb killed 11 miners": a time told
    from the happening before it takes that happening's date, as precisely as the words allow."""
    if not sequels:
        return events
    last: Event | None = None
    for n in sorted(range(len(events)), key=lambda n: events[n].trigger.start):
        e = events[n]
        told = sequels.get(e.anchor)
        if told is not None and last is not None and 0 < e.sentence - last.sentence <= SEQUEL_WINDOW:
            text, start, end = told
            found = relative_to(text, last.date.value, last.date.granularity)
            if found is not None:
                events[n] = e = dataclasses.replace(e, date=DateRef(text, found[0], found[1], "text", start, end))
        if e.date.basis == "text" and e.date.value and e.date.granularity in ("day", "month", "year"):
            last = e
    return events


# "two days after", "a week before": the words that count an interval, and their days.
_INTERVAL_UNITS = {"day": 1, "week": 7}


def _dated_by_interval(doc: Doc, events: list[Event]) -> list[Event]:
    """ "His comments come two days after Erdogan denounced Israel", "killed 30 terrorists on
    Wednesday, a day after an attack": an undated act told as an interval before another time is
    dated from it, when that time is known: the other clause's date in the text, or the day's news
    for a present tense ("comes two days after"). Day grain only."""
    published = doc.article.published
    by_anchor = {e.anchor: e for e in events}
    out = []
    for e in events:
        found = _interval(doc, e.anchor) if 0 <= e.anchor < len(doc.tokens) else None
        if found is not None and e.date.basis == "text" and e.date.start is not None \
                and _under(doc, _token_at(doc, e.date.start), found[3]):
            found = None  # its own date: "two days after the envoy denounced the raid on Friday"
        if found is not None:
            head, days, span, _ = found
            ref = _reference_day(doc, head, by_anchor, published)
            if ref is not None:
                day = ref - dt.timedelta(days=days)
                text = doc.text[span[0]:span[1]]
                e = dataclasses.replace(e, date=DateRef(text, day.isoformat(), "day", "text", span[0], span[1]))
        out.append(e)
    return out


def _interval(doc: Doc, anchor: int) -> tuple[int, int, tuple[int, int], int] | None:
    """(the verb the interval is counted from, days back (negative: ahead), the words, the clause
    or phrase told as the interval) or None."""
    tok = doc.tokens[anchor]
    verb = governing_verb(doc, anchor)
    # a clause: "[two days] [after] Erdogan denounced Israel"
    if verb is not None and doc.tokens[verb].dep == "advcl" and (verb == anchor or tok.dep in ("dobj", "nsubj", "nsubjpass")):
        kids = list(doc.children(verb))
        mark = next((k for k in kids if k.dep == "mark" and k.text.lower() in ("after", "before")), None)
        measure = next((k for k in kids if k.dep == "npadvmod" and k.lemma.lower() in _INTERVAL_UNITS), None)
        if mark is not None and measure is not None and measure.i < mark.i:
            n = _count(doc, measure)
            if n is not None:
                sign = 1 if mark.text.lower() == "after" else -1
                return doc.tokens[verb].head, sign * n * _INTERVAL_UNITS[measure.lemma.lower()], _words_of(doc, measure, mark), verb
    # a noun: "a day after an attack"
    if tok.pos == "NOUN" and tok.dep == "pobj":
        prep = doc.tokens[tok.head]
        measure = doc.tokens[prep.head]
        if prep.text.lower() in ("after", "before") and measure.lemma.lower() in _INTERVAL_UNITS and measure.i < prep.i:
            n = _count(doc, measure)
            holder = governing_verb(doc, measure.head) if measure.head != measure.i else None
            if n is not None and holder is not None:
                sign = 1 if prep.text.lower() == "after" else -1
                return holder, sign * n * _INTERVAL_UNITS[measure.lemma.lower()], _words_of(doc, measure, prep), prep.i
    return None


def _token_at(doc: Doc, char: int) -> int | None:
    k = bisect.bisect_right(doc.tokens, char, key=lambda t: t.start) - 1
    return k if k >= 0 and doc.tokens[k].start <= char < doc.tokens[k].end else None


def _under(doc: Doc, i: int | None, node: int) -> bool:
    """Is token `i` in the subtree of `node`?"""
    return i is not None and node in _path_up(doc, i)


def _words_of(doc: Doc, measure: Token, link: Token) -> tuple[int, int]:
    """The characters of "two days after": the count, the unit and the link word."""
    first = min([measure.i, *(k.i for k in doc.children(measure.i) if k.dep in ("nummod", "det"))])
    return doc.tokens[first].start, link.end


def _count(doc: Doc, measure: Token) -> int | None:
    """How many days or weeks: "a day", "two days", "3 weeks"."""
    for k in doc.children(measure.i):
        if k.dep == "det":
            return 1 if k.text.lower() in ("a", "an", "the") else None
        if k.dep == "nummod":
            try:
                value = parse_number(k.text).value
            except ValueError:
                return None
            return int(value) if value == int(value) else None
    return None


def _reference_day(doc: Doc, head: int, by_anchor: dict[int, Event], published) -> dt.date | None:
    """The day of the clause an interval is counted from: its event's date told in the text, or
    the day's news for a present tense."""
    ref = by_anchor.get(head)
    if ref is not None and ref.date.basis == "text" and ref.date.granularity == "day" and ref.date.value:
        return dt.date.fromisoformat(ref.date.value)
    if published is not None and doc.tokens[head].pos in _VERBS and verb_tense(doc, head) == "present" \
            and doc.tokens[head].dep == "ROOT":
        return news_day(published, doc.article.published_text)
    return None


def time_frame(doc: Doc, verb: int) -> list[int]:
    """The verb and the verbs above it that share its time (xcomp, subjectless conj, participle, when/as)."""
    frame = [verb]
    while _shares_head_time(doc, frame[-1]):
        head = doc.tokens[frame[-1]].head
        if head == frame[-1] or doc.tokens[head].pos not in _VERBS or head in frame:
            break
        frame.append(head)
    return frame


def _shares_head_time(doc: Doc, verb: int) -> bool:
    """Does the clause of `verb` happen when the clause it hangs on does?"""
    tok = doc.tokens[verb]
    kids = list(doc.children(verb))
    own_subject = any(k.dep in SUBJECT_DEPS for k in kids)
    if tok.dep == "xcomp":
        return True
    if tok.dep == "conj":
        if any(k.dep == "advmod" and k.text.lower() in SEQUENCE_ADVERBS for k in kids):
            return False
        if not own_subject:
            return True
        # "spoke on Monday, and both ministers urged ...": one scene; "was ousted in December but
        # hope has been shaken": a contrast, or another tense, is another time.
        ccs = {k.text.lower() for k in doc.children(tok.head) if k.dep == "cc" and tok.head < k.i < verb}
        return ccs <= {"and"} and verb_tense(doc, verb) == verb_tense(doc, tok.head)
    if tok.dep == "advcl":
        marks = {k.text.lower() for k in kids if k.dep in ("mark", "advmod")}
        if marks & SIMULTANEOUS:
            return True
        return not own_subject and not any(k.dep == "mark" for k in kids) and tok.tag in ("VBG", "VBN")
    return False


def _nested_tells_anchor(doc: Doc, verb: int, anchor: int, frame: list[int]) -> bool:
    """A clause inside the trigger's subtree that tells the trigger's own happening (rank 3)."""
    tok = doc.tokens[verb]
    if tok.dep in ("relcl", "acl") and tok.head == anchor:
        return True  # "the offensive launched earlier this month", "violence that began March 6"
    if tok.dep in ("relcl", "acl") and _is_occasion(doc, tok.head, {anchor, *frame}):
        return True  # "in a statement issued at their meeting in July, they agreed"
    if tok.dep == "acl" and tok.tag == "VBN" and _issued_subject(doc, tok.head, {anchor, *frame}):
        return True  # "a lawsuit filed in February alleged": the filing is the allegation
    return tok.dep in ("xcomp", "conj", "advcl") and _shares_head_time(doc, verb)


# What speaks when it is issued: "a statement released Monday said", "a suit filed in May alleged".
# (Not people: "a man arrested in 2019 accused ..." was arrested then, and accuses now.)
_ISSUED_NOUNS = frozenset({
    "statement", "report", "letter", "lawsuit", "suit", "complaint", "petition", "resolution", "declaration",
    "communique", "post", "message", "video", "tweet", "ruling", "decision", "order", "filing", "document",
    "memo", "notice", "motion", "indictment", "bill", "proposal", "plan", "assessment", "study", "survey",
})


def _issued_subject(doc: Doc, noun: int, targets: set[int]) -> bool:
    """Is `noun` a document or utterance that is the subject of a target verb?"""
    tok = doc.tokens[noun]
    return tok.dep in ("nsubj", "nsubjpass") and tok.head in targets and tok.lemma.lower() in _ISSUED_NOUNS


def _is_occasion(doc: Doc, noun: int, targets: set[int]) -> bool:
    """Is `noun` the occasion of a target verb: "in a statement", "at meetings", "in talks at a summit"?"""
    for _ in range(4):
        tok = doc.tokens[noun]
        if tok.dep != "pobj" or tok.head == noun:
            return False
        prep = doc.tokens[tok.head]
        if prep.text.lower() not in OCCASION_PREPS or prep.head == prep.i:
            return False
        if prep.head in targets:
            return True
        if doc.tokens[prep.head].pos not in ("NOUN", "PROPN"):
            return False
        noun = prep.head
    return False


def _rank(doc: Doc, cand: _Candidate, anchor: int, frame: list[int], clause_fallback: bool) -> tuple[int, int] | None:
    """(rank, path length) of a candidate for an anchor, or None when it belongs elsewhere."""
    root = _span_root(doc, cand)
    if _names_other_happening(doc, root, anchor):
        return None
    path = _path_up(doc, root)
    crossed = False  # a verb between the candidate and the point it joins: another clause
    foreign = False  # ... whose clause tells another happening
    shared = False  # ... joined to the point by a clause sharing its time
    for steps, i in enumerate(path):
        if i == anchor or i in frame:
            if crossed:
                return (3, steps) if (clause_fallback and not foreign) else None
            if i == anchor:
                return (2 if shared else 0, steps)
            if i == frame[0]:
                child = doc.tokens[path[steps - 1]] if steps else None
                if child is not None and child.dep in TEMPORAL_DEPS and not shared:
                    return (1, steps)
            return (2, steps) if clause_fallback else None
        if steps and doc.tokens[i].pos == "VERB":
            if not crossed and _shares_head_time(doc, i) and doc.tokens[i].dep != "xcomp":
                shared = True  # "seized the airport Sunday" for "entered": the same frame
                continue
            if not _nested_tells_anchor(doc, i, anchor, frame):
                foreign = True
            crossed = True
    if any(i == anchor for i in path):
        return None
    return _when_clause(doc, root, anchor, frame, clause_fallback)


def _when_clause(doc: Doc, root: int, anchor: int, frame: list[int], clause_fallback: bool) -> tuple[int, int] | None:
    """A trigger in a when-clause on the date itself: "Since August 2022, when the president called ..."."""
    if not frame:
        return None
    top = doc.tokens[frame[-1]]
    if top.dep not in ("relcl", "advcl", "acl") or top.head != root:
        return None
    if not any(k.dep == "advmod" and k.text.lower() == "when" for k in doc.children(top.i)):
        return None
    return (1, len(frame))


def _names_other_happening(doc: Doc, root: int, anchor: int) -> bool:
    """A date in front of a noun that is not the trigger names that noun's happening ("Tuesday's announcement")."""
    tok = doc.tokens[root]
    head = doc.tokens[tok.head]
    if tok.head == root or tok.head == anchor or tok.dep not in PREMODIFIER_DEPS or head.i < root:
        return False
    if head.pos not in ("NOUN", "PROPN"):
        return False
    prep = doc.tokens[head.head]
    occasion = head.dep == "pobj" and prep.text.lower() in OCCASION_PREPS and doc.tokens[prep.head].pos in _VERBS
    return not occasion


def _reporting_frame(doc: Doc, frame: list[int]) -> list[int]:
    """The time frames of the verbs whose complement holds the trigger's clause ("said Tuesday that ...")."""
    out: list[int] = []
    top = frame[-1]
    for _ in range(REPORT_DEPTH):
        tok = doc.tokens[top]
        if tok.dep not in ("ccomp", "parataxis") or tok.head == top or doc.tokens[tok.head].pos not in _VERBS:
            break
        outer = time_frame(doc, tok.head)
        out.extend(v for v in outer if v not in out)
        top = outer[-1]
    return out


def _rank_reported(doc: Doc, cand: _Candidate, reporters: list[int], frame: list[int]) -> tuple[int, int] | None:
    """Rank 4: the date hangs on a reporting verb of the trigger's clause; rank 5: it opens the sentence."""
    root = _span_root(doc, cand)
    if _names_other_happening(doc, root, -1):
        return None
    for steps, i in enumerate(_path_up(doc, root)):
        if i in reporters:
            return (4, steps)
        if i in frame:
            return None
        if steps and doc.tokens[i].pos == "VERB":
            break
    if frame and _is_pluperfect(doc, frame[0]):
        return None
    s = doc.sentences[doc.tokens[cand.token_start].sent]
    lead = cand.token_start - s.token_start
    after = doc.tokens[cand.token_end] if cand.token_end < s.token_end else None
    if lead <= 1 and after is not None and after.text == ",":
        return (5, 0)
    return None


def _until(doc: Doc, cand: _Candidate) -> bool:
    """ "until April 2", "until at least February": the end of a span that runs on, so (for a month
    named without its year) the next such date, whatever the tense of the sentence."""
    s = doc.sentences[doc.tokens[cand.token_start].sent]
    for i in range(cand.token_start, max(s.token_start, cand.token_start - 3) - 1, -1):
        word = doc.tokens[i].text.lower()
        if word in UNTIL:
            return True
        if i < cand.token_start and word not in ("at", "least", "the"):
            return False
    return False


def _since(doc: Doc, cand: _Candidate) -> bool:
    """Is the expression the start of a span to now ("since February 1", "since last August")?"""
    first = doc.tokens[cand.token_start]
    before = doc.tokens[cand.token_start - 1] if cand.token_start > doc.sentences[first.sent].token_start else None
    return before is not None and before.text.lower() == "since"


def _span_to(start: str, day: dt.date | None) -> tuple[str | None, str]:
    """The smallest calendar unit holding the days from `start` (ISO) to `day`: its month, its
    year, or none when the span runs over years."""
    if day is None:
        return start, "day" if len(start) == 10 else "month" if len(start) == 7 else "year"
    end = day.isoformat()
    if start[:7] == end[:7] and len(start) >= 7:
        return end[:7], "month"
    if start[:4] == end[:4]:
        return end[:4], "year"
    return None, "unknown"


def _words(text: str) -> list[str]:
    return re.sub(r"[^a-z ]", " ", text.lower()).split()


def _host_tense(doc: Doc, cand: _Candidate, event_tense: str) -> str:
    """The tense of the verb an expression hangs on; a present one leaves a future trigger's tense."""
    verb = governing_verb(doc, _span_root(doc, cand))
    tense = "present" if verb is None else verb_tense(doc, verb)
    return event_tense if tense == "present" and event_tense == "future" else tense


def _is_pluperfect(doc: Doc, verb: int) -> bool:
    auxes = [t for t in doc.children(verb) if t.dep in ("aux", "auxpass")]
    return any(a.lemma.lower() == "have" and a.tag == "VBD" for a in auxes)


def _span_root(doc: Doc, cand: _Candidate) -> int:
    for i in range(cand.token_start, cand.token_end):
        head = doc.tokens[i].head
        if head == i or not cand.token_start <= head < cand.token_end:
            return i
    return cand.token_start


def _path_up(doc: Doc, i: int) -> list[int]:
    """Token `i` and its ancestors up to the sentence root (bounded, in case of a cyclic parse)."""
    s = doc.sentences[doc.tokens[i].sent]
    path = [i]
    for _ in range(s.token_end - s.token_start):
        head = doc.tokens[path[-1]].head
        if head == path[-1]:
            break
        path.append(head)
    return path


_DUTY = frozenset({"must", "should", "ought"})
# The lead: the sentences that tell the day's news ("has condemned" there is today's reaction).
LEAD_SENTENCES = 3


def _told_as_before(doc: Doc, event: Event) -> bool:
    """Is this undated event told as something that came before the day's news, so that the
    publication date cannot stand in for it (codebook: a recent or background happening with no
    cue has no date)? A pluperfect ("had banned"), a present perfect after the lead ("Islamabad
    has blamed several attacks on"), or a bare noun ("the crackdown on websites") that no verb of
    the sentence tells as done."""
    if not 0 <= event.anchor < len(doc.tokens):
        return False
    anchor = doc.tokens[event.anchor]
    if anchor.pos == "NOUN":
        head = doc.tokens[anchor.head]
        # "said the council must maintain sanctions": the demand is made now, the noun its content
        return not (anchor.dep == "dobj" and any(c.dep == "aux" and c.text.lower() in _DUTY for c in doc.children(head.i)))
    if anchor.pos not in _VERBS:
        return False
    auxes = [t for t in doc.children(anchor.i) if t.dep in ("aux", "auxpass") and t.lemma.lower() == "have"]
    if any(a.tag == "VBD" for a in auxes):
        return True
    return bool(auxes) and anchor.sent >= LEAD_SENTENCES


def governing_verb(doc: Doc, anchor: int) -> int | None:
    """The anchor itself when it is a verb, else its nearest verb ancestor ("talks" -> "held")."""
    for i in _path_up(doc, anchor):
        if doc.tokens[i].pos in _VERBS:
            return i
    return None


def event_tense(doc: Doc, event: Event) -> str:
    """past, present or future, from the modality and the trigger's verb group."""
    if event.modality == "future":
        return "future"
    verb = governing_verb(doc, event.anchor)
    return "present" if verb is None else verb_tense(doc, verb)


def verb_tense(doc: Doc, verb: int | None) -> str:
    """past, present or future of a verb group ("will meet", "agreed to resume", "is expected to")."""
    seen = set()
    while verb is not None and verb not in seen:
        seen.add(verb)
        tok = doc.tokens[verb]
        auxes = [t for t in doc.children(verb) if t.dep in ("aux", "auxpass") and t.tag != "TO"]
        if any(_is_future_aux(a) for a in auxes):
            return "future"
        head = doc.tokens[tok.head]
        if tok.dep == "xcomp" and head.lemma.lower() in FUTURE_FRAMES:
            return "future"
        if tok.tag == "VBD" or any(a.tag == "VBD" for a in auxes):
            return "past"
        if tok.tag == "VBN" and any(a.lemma.lower() == "have" for a in auxes):
            return "past"
        if tok.tag == "VBN" and tok.lemma.lower() in FUTURE_FRAMES:
            return "future"  # "talks are scheduled for Monday"
        if auxes or tok.dep not in SHARED_FRAME_DEPS or head.pos not in _VERBS:
            return "present"
        verb = tok.head  # "agreed to resume", "will meet ... and discuss": the head carries the tense
    return "present"


def _is_future_aux(tok: Token) -> bool:
    return tok.text.lower() in FUTURE_AUX or tok.lemma.lower() in FUTURE_AUX or (tok.tag == "MD" and tok.dep == "aux")
