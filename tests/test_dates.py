"""The dates stage: which expression belongs to which event, its tense, and the fallbacks."""

from __future__ import annotations

import datetime as dt

import pytest

from lapwing.doc import Doc
from lapwing.records import Article, Entity, Event, Sentence, Span, Token
from lapwing.stages.dates import DateResolver, DatesConfig, event_tense

SUN = dt.date(2024, 4, 28)  # a Sunday
TUE = dt.date(2024, 4, 30)


def make_doc(rows, published=SUN, dates=()):
    """A one-sentence Doc from (text, lemma, pos, tag, dep, head) rows; `dates` are (first, end) DATE spans."""
    tokens, pos, parts = [], 0, []
    for i, (text, lemma, upos, tag, dep, head) in enumerate(rows):
        tokens.append(Token(i, text, pos, pos + len(text), lemma, upos, tag, dep, head, 0))
        parts.append(text)
        pos += len(text) + 1
    text = " ".join(parts)
    entities = tuple(
        Entity(text[tokens[a].start : tokens[b - 1].end], "DATE", tokens[a].start, tokens[b - 1].end, a, b)
        for a, b in dates
    )
    article = Article(text=text, published=published)
    return Doc(article, tokens=tuple(tokens), sentences=(Sentence(0, len(text), 0, len(tokens)),), entities=entities)


def event_at(doc, anchor, modality="asserted"):
    tok = doc.tokens[anchor]
    span = Span(tok.text, tok.start, tok.end)
    return Event("e", doc.article.id, "ASSAULT", None, 4, -9.0, (), modality, (), (), span, span, 0.5,
                 anchor=anchor, sentence=tok.sent)  # fmt: skip


def run(doc, *anchors, modality="asserted", config=None):
    doc = doc.replace(events=tuple(event_at(doc, a, modality) for a in anchors))
    return [e.date for e in DateResolver(config or DatesConfig())(doc).events]


# "Jets struck targets on Sunday , officials said Monday ."
STRUCK = [
    ("Jets", "jet", "NOUN", "NNS", "nsubj", 1),
    ("struck", "strike", "VERB", "VBD", "ccomp", 9),
    ("targets", "target", "NOUN", "NNS", "dobj", 1),
    ("on", "on", "ADP", "IN", "prep", 1),
    ("Sunday", "Sunday", "PROPN", "NNP", "pobj", 3),
    (",", ",", "PUNCT", ",", "punct", 9),
    ("officials", "official", "NOUN", "NNS", "nsubj", 9),
    ("said", "say", "VERB", "VBD", "ROOT", 9),
    ("Monday", "Monday", "PROPN", "NNP", "npadvmod", 9),
    (".", ".", "PUNCT", ".", "punct", 9),
]
# fix the head of "said" rows: index 7 is "said"
STRUCK = [(t, l, p, g, d, 7 if h == 9 else h) for t, l, p, g, d, h in STRUCK]


def test_date_in_trigger_subtree_wins_over_reporting_verb():
    doc = make_doc(STRUCK, published=TUE, dates=[(4, 5), (8, 9)])
    (date,) = run(doc, 1)
    assert (date.text, date.value, date.granularity, date.basis) == ("Sunday", "2024-04-28", "day", "text")
    assert doc.text[date.start : date.end] == "Sunday"


def test_reporting_verb_date_is_not_the_event_date():
    rows = STRUCK[:3] + STRUCK[5:]  # "Jets struck targets , officials said Monday ."
    rows = [(t, l, p, g, d, h if h < 3 else h - 2) for t, l, p, g, d, h in rows]
    doc = make_doc(rows, published=TUE, dates=[(6, 7)])
    (date,) = run(doc, 1)
    assert (date.text, date.value, date.granularity, date.basis) == (None, "2024-04-30", "day", "published")
    # the reporting verb's own event does get it
    (said,) = run(doc, 5)
    assert (said.text, said.value) == ("Monday", "2024-04-29")


def test_bare_weekday_missed_by_ner_is_used():
    doc = make_doc(STRUCK, published=TUE, dates=[])  # no DATE entities at all
    (date,) = run(doc, 1)
    assert (date.text, date.value, date.basis) == ("Sunday", "2024-04-28", "text")


def test_bare_words_can_be_switched_off():
    doc = make_doc(STRUCK, published=TUE, dates=[])
    (date,) = run(doc, 1, config=DatesConfig(bare_words=False))
    assert date.basis == "published"


# "Ministers will meet Monday ."
MEET = [
    ("Ministers", "minister", "NOUN", "NNS", "nsubj", 2),
    ("will", "will", "AUX", "MD", "aux", 2),
    ("meet", "meet", "VERB", "VB", "ROOT", 2),
    ("Monday", "Monday", "PROPN", "NNP", "npadvmod", 2),
    (".", ".", "PUNCT", ".", "punct", 2),
]


def test_future_sentence_takes_the_next_weekday():
    doc = make_doc(MEET, published=SUN, dates=[(3, 4)])
    assert event_tense(doc, event_at(doc, 2)) == "future"
    (date,) = run(doc, 2)
    assert date.value == "2024-04-29"


def test_future_modality_overrides_tense():
    rows = [("Ministers", "minister", "NOUN", "NNS", "nsubj", 1), ("meet", "meet", "VERB", "VBP", "ROOT", 1),
            ("Monday", "Monday", "PROPN", "NNP", "npadvmod", 1)]  # fmt: skip
    doc = make_doc(rows, published=SUN, dates=[(2, 3)])
    assert run(doc, 1)[0].value == "2024-04-22"  # present: the latest Monday
    assert run(doc, 1, modality="future")[0].value == "2024-04-29"


def test_noun_trigger_takes_date_from_its_head_verb():
    # "Talks are scheduled for Monday ." with the trigger on "Talks"
    rows = [
        ("Talks", "talk", "NOUN", "NNS", "nsubjpass", 2),
        ("are", "be", "AUX", "VBP", "auxpass", 2),
        ("scheduled", "schedule", "VERB", "VBN", "ROOT", 2),
        ("for", "for", "ADP", "IN", "prep", 2),
        ("Monday", "Monday", "PROPN", "NNP", "pobj", 3),
    ]
    doc = make_doc(rows, published=SUN, dates=[(4, 5)])
    assert event_tense(doc, event_at(doc, 0)) == "future"
    assert run(doc, 0)[0].value == "2024-04-29"


def test_conjoined_verb_shares_the_date():
    # "Troops entered the city Sunday and seized the airport ."
    rows = [
        ("Troops", "troop", "NOUN", "NNS", "nsubj", 1),
        ("entered", "enter", "VERB", "VBD", "ROOT", 1),
        ("the", "the", "DET", "DT", "det", 3),
        ("city", "city", "NOUN", "NN", "dobj", 1),
        ("Sunday", "Sunday", "PROPN", "NNP", "npadvmod", 1),
        ("and", "and", "CCONJ", "CC", "cc", 1),
        ("seized", "seize", "VERB", "VBD", "conj", 1),
        ("the", "the", "DET", "DT", "det", 8),
        ("airport", "airport", "NOUN", "NN", "dobj", 6),
    ]
    doc = make_doc(rows, published=TUE, dates=[(4, 5)])
    assert [d.value for d in run(doc, 1, 6)] == ["2024-04-28", "2024-04-28"]
    assert run(doc, 6, config=DatesConfig(clause_fallback=False))[0].basis == "published"


def test_duration_is_skipped_for_a_real_date():
    # "Rebels agreed to a six-week truce last month ."
    rows = [
        ("Rebels", "rebel", "NOUN", "NNS", "nsubj", 1),
        ("agreed", "agree", "VERB", "VBD", "ROOT", 1),
        ("to", "to", "ADP", "IN", "prep", 1),
        ("a", "a", "DET", "DT", "det", 5),
        ("six-week", "six-week", "ADJ", "JJ", "amod", 5),
        ("truce", "truce", "NOUN", "NN", "pobj", 2),
        ("last", "last", "ADJ", "JJ", "amod", 7),
        ("month", "month", "NOUN", "NN", "npadvmod", 1),
    ]
    doc = make_doc(rows, published=SUN, dates=[(4, 5), (6, 8)])
    (date,) = run(doc, 5)  # the noun trigger "truce": the duration is nearer but is not a date
    assert (date.text, date.value, date.granularity) == ("last month", "2024-03", "month")


def test_duration_alone_falls_back_to_published():
    # "Protesters blocked roads for two hours ."
    rows = [
        ("Protesters", "protester", "NOUN", "NNS", "nsubj", 1),
        ("blocked", "block", "VERB", "VBD", "ROOT", 1),
        ("roads", "road", "NOUN", "NNS", "dobj", 1),
        ("for", "for", "ADP", "IN", "prep", 1),
        ("two", "two", "NUM", "CD", "nummod", 5),
        ("hours", "hour", "NOUN", "NNS", "pobj", 3),
    ]
    doc = make_doc(rows, published=SUN, dates=[(4, 6)])
    (date,) = run(doc, 1)
    assert (date.text, date.value, date.basis) == (None, "2024-04-28", "published")


def test_no_published_date_gives_unknown_for_relative_but_keeps_absolute():
    doc = make_doc(STRUCK, published=None, dates=[(4, 5)])
    (date,) = run(doc, 1)
    assert (date.value, date.granularity, date.basis) == (None, "unknown", "unknown")
    rows = [("Clashes", "clash", "NOUN", "NNS", "nsubj", 1), ("erupted", "erupt", "VERB", "VBD", "ROOT", 1),
            ("in", "in", "ADP", "IN", "prep", 1), ("2019", "2019", "NUM", "CD", "pobj", 2)]  # fmt: skip
    doc = make_doc(rows, published=None, dates=[(3, 4)])
    assert run(doc, 1)[0].value == "2019"


def test_direct_attachment_beats_nested_clause():
    # "Police arrested protesters who marched Friday yesterday ." (contrived to hold both)
    rows = [
        ("Police", "police", "NOUN", "NNS", "nsubj", 1),
        ("arrested", "arrest", "VERB", "VBD", "ROOT", 1),
        ("protesters", "protester", "NOUN", "NNS", "dobj", 1),
        ("who", "who", "PRON", "WP", "nsubj", 4),
        ("marched", "march", "VERB", "VBD", "relcl", 2),
        ("Friday", "Friday", "PROPN", "NNP", "npadvmod", 4),
        ("yesterday", "yesterday", "NOUN", "NN", "npadvmod", 1),
    ]
    doc = make_doc(rows, published=SUN, dates=[(5, 6), (6, 7)])
    assert run(doc, 1)[0].text == "yesterday"
    assert run(doc, 4)[0].text == "Friday"
    only_nested = make_doc(rows[:6], published=SUN, dates=[(5, 6)])
    assert run(only_nested, 1)[0].text == "Friday"  # rank 3: the subtree, across a clause


@pytest.mark.parametrize(
    ("rows", "anchor", "tense"),
    [
        ([("It", "it", "PRON", "PRP", "nsubj", 2), ("has", "have", "AUX", "VBZ", "aux", 2),
          ("warned", "warn", "VERB", "VBN", "ROOT", 2)], 2, "past"),
        ([("It", "it", "PRON", "PRP", "nsubj", 1), ("warns", "warn", "VERB", "VBZ", "ROOT", 1)], 1, "present"),
        ([("It", "it", "PRON", "PRP", "nsubj", 1), ("agreed", "agree", "VERB", "VBD", "ROOT", 1),
          ("to", "to", "PART", "TO", "aux", 3), ("resume", "resume", "VERB", "VB", "xcomp", 1)], 3, "past"),
        ([("It", "it", "PRON", "PRP", "nsubj", 2), ("is", "be", "AUX", "VBZ", "auxpass", 2),
          ("expected", "expect", "VERB", "VBN", "ROOT", 2), ("to", "to", "PART", "TO", "aux", 4),
          ("resume", "resume", "VERB", "VB", "xcomp", 2)], 4, "future"),
        ([("Talks", "talk", "NOUN", "NNS", "nsubjpass", 2), ("were", "be", "AUX", "VBD", "auxpass", 2),
          ("scheduled", "schedule", "VERB", "VBN", "ROOT", 2)], 0, "past"),
    ],
)  # fmt: skip
def test_event_tense(rows, anchor, tense):
    doc = make_doc(rows)
    assert event_tense(doc, event_at(doc, anchor)) == tense


def test_doc_without_events_is_returned_unchanged():
    doc = make_doc(STRUCK)
    assert DateResolver()(doc) is doc


def test_event_without_anchor_gets_published():
    doc = make_doc(STRUCK, published=TUE)
    ev = event_at(doc, 1)
    doc = doc.replace(events=(Event(**{**{f: getattr(ev, f) for f in ev.__slots__}, "anchor": -1}),))
    assert DateResolver()(doc).events[0].date.basis == "published"


# Real-model sentences (written for these tests).
@pytest.mark.model
@pytest.mark.parametrize(
    ("text", "trigger", "published", "value", "expression"),
    [
        ("Government troops shelled the northern town on Friday, residents said Sunday.", "shelled", SUN,
         "2024-04-26", "Friday"),
        ("The two foreign ministers will meet in Geneva next Tuesday.", "meet", SUN, "2024-04-30", "next Tuesday"),
        ("Police detained dozens of students four weeks ago.", "detained", SUN, "2024-03-31", "four weeks ago"),
        ("The rebels declared a six-week truce in November.", "declared", SUN, "2023-11", "November"),
        ("Protesters occupied the square for three hours.", "occupied", SUN, "2024-04-28", None),
    ],
)  # fmt: skip
def test_real_model_sentences(parse_text, text, trigger, published, value, expression):
    doc = parse_text(text, published=published)
    anchor = next(t.i for t in doc.tokens if t.text == trigger)
    (date,) = run(doc, anchor)
    assert (date.value, date.text) == (value, expression)
