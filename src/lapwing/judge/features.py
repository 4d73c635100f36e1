"""What the judge sees of a candidate event: named binary features read off the parse and the record.

Each feature is a short string ("t=ASSAULT", "hd=xcomp|hope"); the model weighs each one. They
describe what tells a happening from background in news (codebook section 1): the tense and aspect
of the clause, the word that governs the trigger (a reporting verb, a hope, an aim), relative and
adverbial clauses, habitual adverbs, generic subjects, quotes, the participants found, and where
in the article the sentence stands. Features must stay cheap: one pass over the sentence.
"""

from __future__ import annotations

import datetime as dt

from ..actors.quotes import inside, quote_spans
from ..doc import Doc
from ..records import Event, Token
from ..stages.sentence_graph import SentenceGraph

# Adverbs that make a clause a habit or a characterisation, not a happening.
HABITUAL = frozenset({
    "frequently", "often", "usually", "regularly", "routinely", "always", "sometimes", "repeatedly",
    "typically", "generally", "traditionally", "constantly", "occasionally", "rarely", "never", "long",
})  # fmt: skip
_QUOTES = ('"', "“", "”")
# Newsroom boilerplate (codebook section 1): a sentence holding one tells no happening of its own.
BOILERPLATE = (
    "request for comment", "requests for comment", "declined to comment", "did not respond to",
    "did not immediately respond", "could not be independently verified", "could not independently verify",
    "not be reached for comment", "was not immediately available", "were not immediately available",
    "refused to comment", "declined comment", "condition of anonymity", "no immediate comment",
    "requesting comment", "seeking comment", "did not reply to", "did not immediately reply", "requests for comment",
    "declined to respond", "declined to reply", "declined to say", "declined to provide", "declined to elaborate",
    "declined to discuss", "declined to answer", "declined requests",
)  # fmt: skip
_CLAUSE_LINKS = ("ccomp", "xcomp", "advcl", "conj", "relcl", "acl", "pobj", "dobj", "nsubj", "nsubjpass",
                 "pcomp", "attr", "appos", "amod", "compound", "ROOT")  # fmt: skip


def event_features(doc: Doc, event: Event, graph: SentenceGraph, sentence_events: int) -> list[str]:
    """The named features of one event candidate (before the article's mentions are merged)."""
    gov = doc.tokens[event.anchor] if 0 <= event.anchor < len(doc.tokens) else None
    etype = event.event_type
    f = [f"t={etype}", f"m={event.modality}", f"mt={event.modality}|{etype}"]
    trig = _trigger_token(doc, event, gov)
    if trig is not None:
        lemma = trig.lemma.lower()
        f += [f"l={lemma}", f"lt={lemma}|{etype}", f"tt={trig.tag}"]
    if gov is not None:
        f += [f"dep={gov.dep}", f"tag={gov.tag}", f"gov={'same' if trig is gov else 'light'}"]
        head = graph.token(gov.head)
        if head is not None and head.i != gov.i:
            dep = gov.dep if gov.dep in _CLAUSE_LINKS else "other"
            f += [f"hd={dep}|{head.lemma.lower()}", f"hp={dep}|{head.pos}"]
        for node, via in graph.governing_chain(gov.i, include_subject_heads=True, limit=3):
            f.append(f"gc={node.lemma.lower()}")
        verb = gov if gov.pos in ("VERB", "AUX") else graph.verb_above(gov.i)
        if verb is not None:
            f += _clause_features(graph, verb)
        if graph.in_background_clause(gov.i):
            f.append("background")
        f += _quote_features(doc, gov)
    f += _participant_features("a", event.actors) + _participant_features("r", event.recipients)
    if event.actors and event.recipients:
        f.append("dyad")
    f.append(f"d={event.date.basis}|{event.date.granularity}")
    age = _age_days(event, doc.article.published)
    if age is not None:
        f.append("d_old" if age > 60 else "d_recent" if age > 7 else "d_week" if age >= 0 else "d_future")
    f.append("loc" if event.location else "noloc")
    if event.quantities:
        f += ["qty"] + [f"q={q.kind}" for q in event.quantities]
    if event.attribution is not None:
        f.append("attributed")
    f.append(f"pos={_bucket(event.sentence, (0, 1, 3, 6, 11, 21))}")
    if "perfect" in f and event.sentence <= 1:
        f.append("perfect_lead")  # "has condemned ..." in the lead is the day's news, not background
    f.append(f"nsent={_bucket(sentence_events, (1, 2, 3, 5))}")
    f.append(f"conf={min(9, int(event.confidence * 10))}")
    if "?" in event.evidence.text:
        f.append("question")
    low = event.evidence.text.lower()
    if any(b in low for b in BOILERPLATE):
        f.append("boilerplate")
    return f


def _trigger_token(doc: Doc, event: Event, gov: Token | None) -> Token | None:
    """The trigger word itself: the noun of "held talks", else the governor."""
    if gov is None:
        return None
    s = doc.sentences[gov.sent]
    for t in doc.tokens[s.token_start : s.token_end]:
        if event.trigger.start <= t.start < event.trigger.end and t.i != gov.i and t.pos in ("NOUN", "PROPN", "VERB"):
            return t
    return gov


def _clause_features(graph: SentenceGraph, verb: Token) -> list[str]:
    kids = graph.children(verb.i)
    auxes = [c for c in kids if c.dep in ("aux", "auxpass")]
    f = [f"vt={verb.tag}", f"vl={verb.lemma.lower()}"]
    f += [f"pp={c.text.lower()}" for c in kids if c.dep in ("prep", "agent")]
    obj = graph.object_of(verb.i)
    if obj is not None:
        f.append(f"obj={obj.lemma.lower()}")
        if not graph.mentions_for(obj):
            f.append("obj_not_actor")
    if verb.tag in ("VBZ", "VBP") and not auxes:
        f.append("pres_simple")
    if any(a.lemma.lower() == "have" for a in auxes):
        f.append("perfect")
    if any(a.tag == "MD" for a in auxes):
        f.append("modal")
    if any(c.lemma.lower() in HABITUAL for c in kids if c.dep in ("advmod", "npadvmod")):
        f.append("habitual")
    subject, passive = graph.subject_of(verb.i)
    if subject is not None:
        word = subject.text.lower()
        if subject.pos == "PRON":
            f.append(f"subj={word}")
        elif subject.tag in ("NNS", "NNPS") and not any(c.dep in ("det", "poss", "nummod") for c in graph.children(subject.i)):
            f.append("generic_subj")
        f.append("passive" if passive else "active")
        if subject.pos in ("NOUN", "PROPN") and not graph.mentions_for(subject):
            f.append("subj_not_actor")  # "Cyclone Jude slammed into ...", "collapsing buildings injured 15"
    else:
        f.append("nosubj")
    return f


def quoted(doc: Doc, pos: int) -> bool:
    """Is character `pos` inside a quotation (which may have opened sentences before)?"""
    return inside(quote_spans(doc.text), pos) is not None


def _quote_features(doc: Doc, gov: Token) -> list[str]:
    s = doc.sentences[gov.sent]
    before = doc.text[s.start : gov.start]
    within = quoted(doc, gov.start)
    f = ["quoted"] if within else []
    if not within and any(q in before for q in _QUOTES) and gov.dep == "ROOT":
        f.append("after_quote")  # '"...," agreed Polat Sayim': the verb reports a quote
    return f


def _participant_features(role: str, actors) -> list[str]:
    if not actors:
        return [f"{role}=none"]
    first = actors[0]
    f = [f"{role}=some", f"{role}c={'yes' if first.country else 'no'}", f"{role}s={first.sector or 'none'}"]
    if any(a.country in ("IMG", "IGO", "UNO", "NGO") for a in actors):
        f.append(f"{role}ns")
    return f


def _age_days(event: Event, published: dt.date | None) -> int | None:
    value = event.date.value
    if published is None or not value or event.date.basis != "text":
        return None
    try:
        parts = [int(p) for p in value.split("-")]
        if len(parts) >= 3:
            day = dt.date(parts[0], parts[1], parts[2])
        elif len(parts) == 2:  # the month's last day: "last week" coded as the month is recent
            day = dt.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1) - dt.timedelta(days=1)
        else:
            day = dt.date(parts[0], 12, 31)
    except (ValueError, IndexError):
        return None
    age = (published - day).days
    return age if len(parts) >= 3 else max(0, age)  # a month or year holding publication is current


def _bucket(value: int, edges: tuple[int, ...]) -> str:
    label = f"<{edges[0]}"
    for edge in edges:
        if value >= edge:
            label = f"{edge}+"
    return label


_ANAPHORIC_DETS = frozenset({"the", "this", "that", "these", "those", "its", "their", "his", "her"})
# Words before a trigger that move the telling to another happening ("Days later, a bomb killed
# ...", "Earlier this month", "another attack", "in a separate incident").
_SHIFT_WORDS = frozenset({"later", "earlier", "another", "separate", "separately", "previous", "previously",
                          "second", "last", "past", "since", "before", "ago"})


def shifted(doc: Doc, event: Event) -> bool:
    """Does the mention's clause, before its trigger, say it is another time or incident?"""
    if not 0 <= event.sentence < len(doc.sentences):
        return False
    s = doc.sentences[event.sentence]
    before = [t for t in doc.tokens[s.token_start : s.token_end] if t.end <= event.trigger.start]
    return any(t.text.lower() in _SHIFT_WORDS for t in before)


def pair_features(doc: Doc, a: Event, b: Event) -> list[str]:
    """The named features of a pair of same-article candidates (`a` before `b`): one happening or two?"""
    etype = a.event_type
    gap = abs(b.sentence - a.sentence)
    dist = _bucket(gap, (0, 1, 2, 4, 8))
    f = [f"pt={etype}", f"dist={dist}", f"pt|dist={etype}|{dist}"]
    if a.event_type != b.event_type:
        f.append("types_differ")
    la, lb = _lemma(doc, a), _lemma(doc, b)
    if la and la == lb:
        f.append("same_lemma")
    if _anaphoric(doc, b):
        f.append("anaphor")
    if gap == 0:
        f.append("same_sentence")
    f.append(f"date={_date_relation(a, b)}")
    place = _place_relation(a, b)
    f += [f"place={place}", f"pt|place={etype}|{place}"]
    actors = _party_relation(a.actors, b.actors)
    recipients = _party_relation(a.recipients, b.recipients)
    f += [f"act={actors}", f"rcp={recipients}", f"pt|act={etype}|{actors}", f"act|rcp={actors}|{recipients}"]
    if _shares(a.actors, b.recipients) or _shares(a.recipients, b.actors):
        f.append("role_cross")
    f.append("mod_eq" if a.modality == b.modality else f"mod={min(a.modality, b.modality)}|{max(a.modality, b.modality)}")
    kinds_a = {q.kind: q.value for q in a.quantities}
    for q in b.quantities:
        if q.kind in kinds_a:
            f.append("qty_eq" if kinds_a[q.kind] == q.value else "qty_diff")
    if min(a.sentence, b.sentence) == 0:
        f.append("lead")
    if gap and shifted(doc, b):
        f.append("shift")
    # A demand reported, then quoted: "called for the ban to be lifted" ... "I urge them to reverse it".
    f.append(f"quotes={int(quoted(doc, a.trigger.start))}{int(quoted(doc, b.trigger.start))}")
    return f


def _lemma(doc: Doc, event: Event) -> str:
    gov = doc.tokens[event.anchor] if 0 <= event.anchor < len(doc.tokens) else None
    trig = _trigger_token(doc, event, gov)
    return trig.lemma.lower() if trig is not None else ""


def _anaphoric(doc: Doc, event: Event) -> bool:
    """Is the trigger a noun with a definite determiner or possessor ("the attack", "its strike")?"""
    gov = doc.tokens[event.anchor] if 0 <= event.anchor < len(doc.tokens) else None
    trig = _trigger_token(doc, event, gov)
    if trig is None or trig.pos not in ("NOUN", "PROPN"):
        return False
    return any(doc.tokens[t].text.lower() in _ANAPHORIC_DETS for t in _kids(doc, trig) if doc.tokens[t].dep in ("det", "poss"))


def _kids(doc: Doc, tok: Token) -> list[int]:
    s = doc.sentences[tok.sent]
    return [t.i for t in doc.tokens[s.token_start : s.token_end] if t.head == tok.i and t.i != tok.i]


def _date_relation(a: Event, b: Event) -> str:
    da, db = a.date, b.date
    a_text, b_text = da.basis == "text" and da.value, db.basis == "text" and db.value
    if a_text and b_text:
        if da.value == db.value:
            return "eq"
        return "compat" if da.value.startswith(db.value) or db.value.startswith(da.value) else "conflict"
    if a_text or b_text:
        return "one"
    return "none"


def _place_relation(a: Event, b: Event) -> str:
    pa, pb = a.location, b.location
    if pa is None and pb is None:
        return "none"
    if pa is None or pb is None:
        return "one"
    if pa.name == pb.name:
        return "eq"
    if pa.country and pa.country == pb.country:
        return "within" if "country" in (pa.feature, pb.feature) or "region" in (pa.feature, pb.feature) else "sibling"
    return "conflict"


def _party_relation(xs, ys) -> str:
    if not xs and not ys:
        return "none"
    if not xs or not ys:
        return "one"
    if {_fold(x.name) for x in xs} & {_fold(y.name) for y in ys}:
        return "name"
    cx, cy = {x.country for x in xs if x.country}, {y.country for y in ys if y.country}
    if cx & cy:
        return "country"
    if cx and cy:
        return "disjoint"
    return "unknown"


def _shares(xs, ys) -> bool:
    names = {_fold(x.name) for x in xs}
    return any(_fold(y.name) in names for y in ys)


def _fold(name: str) -> str:
    return " ".join(name.lower().replace("’", "'").split())
