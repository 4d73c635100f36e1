"""The dates stage: which expression belongs to which event, its tense, and the fallbacks."""

from __future__ import annotations

import datetime as dt

import pytest

from lapwing.doc import Doc
from lapwing.records import Article, Entity, Event, Sentence, Span, Token
from lapwing.stages.dates import DateResolver, DatesConfig, event_tense

SUN = dt.date(2024, 4, 28)  # a Sunday
TUE = dt.date(2024, 4, 30)


def make_doc(rows, published=SUN, dates=(), stamp=None):
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
    article = Article(text=text, published=published, published_text=stamp)
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


def test_reporting_verb_date_is_the_last_resort_before_publication():
    rows = STRUCK[:3] + STRUCK[5:]  # "Jets struck targets , officials said Monday ."
    rows = [(t, l, p, g, d, h if h < 3 else h - 2) for t, l, p, g, d, h in rows]
    doc = make_doc(rows, published=TUE, dates=[(6, 7)])
    (date,) = run(doc, 1)  # the report is when the reported happening is known to stand
    assert (date.text, date.value, date.granularity, date.basis) == ("Monday", "2024-04-29", "day", "text")
    (said,) = run(doc, 5)
    assert (said.text, said.value) == ("Monday", "2024-04-29")
    assert run(doc, 1, config=DatesConfig(clause_fallback=False))[0].basis == "published"


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
            ("Friday", "Friday", "PROPN", "NNP", "npadvmod", 1)]  # fmt: skip
    doc = make_doc(rows, published=SUN, dates=[(2, 3)])
    assert run(doc, 1)[0].value == "2024-04-26"  # present: the nearer Friday, two days back
    assert run(doc, 1, modality="future")[0].value == "2024-05-03"


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


@pytest.mark.parametrize("stamp, day", [
    ("2024-04-28T03:10:00Z", "2024-04-27"),  # the small hours in UTC: the newsroom's evening before
    ("2024-04-28 05:59:59+00:00", "2024-04-27"),
    ("2024-04-28T06:00:00Z", "2024-04-28"),
    ("2024-04-28T03:10:00+08:00", "2024-04-28"),  # a local stamp is the writer's own day
    ("2024-04-28", "2024-04-28"),  # no time
    (None, "2024-04-28"),
])
def test_undated_news_of_a_story_stamped_after_midnight_utc_is_the_day_before(stamp, day):
    rows = [
        ("Protesters", "protester", "NOUN", "NNS", "nsubj", 1),
        ("blocked", "block", "VERB", "VBD", "ROOT", 1),
        ("roads", "road", "NOUN", "NNS", "dobj", 1),
    ]
    (date,) = run(make_doc(rows, published=SUN, stamp=stamp), 1)
    assert (date.value, date.basis) == (day, "published")


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
    # the relative clause on another noun tells another happening (the march), not the arrest
    assert run(only_nested, 1)[0].basis == "published"


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
        # A document speaks when it is issued; a person arrested then speaks now.
        ("A lawsuit filed in February alleged that the ministry had lied.", "alleged", SUN, "2024-02", "February"),
        ("A statement released on Friday condemned the attack.", "condemned", SUN, "2024-04-26", "Friday"),
        ("A man arrested in February accused the police of torture.", "accused", SUN, "2024-04-28", None),
    ],
)  # fmt: skip
def test_real_model_sentences(parse_text, text, trigger, published, value, expression):
    doc = parse_text(text, published=published)
    anchor = next(t.i for t in doc.tokens if t.text == trigger)
    (date,) = run(doc, anchor)
    assert (date.value, date.text) == (value, expression)


# Rules for the date of a happening as an analyst codes it (codebook section 3), on hand-built parses.
THU = dt.date(2025, 3, 13)  # a Thursday


def dated(rows, trigger, published, dates=(), modality="asserted", config=None):
    """The date of the event on the word `trigger` in a hand_doc; `dates` are 1-based (first, last) DATE spans."""
    from builders import hand_doc

    doc = hand_doc(rows, entities=[(a, b, "DATE") for a, b in dates], published=published)
    anchor = next(t.i for t in doc.tokens if t.text == trigger)
    (date,) = run(doc, anchor, modality=modality, config=config)
    return date


def test_weeks_are_coded_as_their_month():
    rows = """
    Officials official NOUN NNS nsubj 2
    met meet VERB VBD ROOT 0
    last last ADJ JJ amod 4
    week week NOUN NN npadvmod 2
    """
    date = dated(rows, "met", SUN, dates=[(3, 4)])
    assert (date.value, date.granularity, date.basis) == ("2024-04", "month", "text")


def test_the_past_week_is_its_month():
    rows = """
    Forces force NOUN NNS nsubj 2
    killed kill VERB VBD ROOT 0
    fighters fighter NOUN NNS dobj 2
    in in ADP IN prep 2
    the the DET DT det 7
    past past ADJ JJ amod 7
    week week NOUN NN pobj 4
    """
    assert dated(rows, "killed", SUN, dates=[(5, 7)]).value == "2024-04"


def test_future_weekday_named_on_its_own_day_is_that_day():
    # "Rubio is expected to meet Iwaya on Thursday ." in a Thursday's story
    rows = """
    Rubio Rubio PROPN NNP nsubjpass 3
    is be AUX VBZ auxpass 3
    expected expect VERB VBN ROOT 0
    to to PART TO aux 5
    meet meet VERB VB xcomp 3
    Iwaya Iwaya PROPN NNP dobj 5
    on on ADP IN prep 5
    Thursday Thursday PROPN NNP pobj 7
    """
    assert dated(rows, "meet", THU, dates=[(8, 8)]).value == "2025-03-13"


def test_present_tense_weekday_is_the_nearer_one():
    # "There is another meeting in Paris Wednesday ." published on a Tuesday: tomorrow, not six days back
    rows = """
    There there PRON EX expl 2
    is be VERB VBZ ROOT 0
    another another DET DT det 4
    meeting meeting NOUN NN attr 2
    Wednesday Wednesday PROPN NNP npadvmod 2
    """
    assert dated(rows, "meeting", dt.date(2025, 3, 11), dates=[(5, 5)]).value == "2025-03-12"


def test_date_in_front_of_another_noun_names_that_happening():
    # "Lawmakers welcomed Tuesday 's announcement ." : the welcome is the day's news
    rows = """
    Lawmakers lawmaker NOUN NNS nsubj 2
    welcomed welcome VERB VBD ROOT 0
    Tuesday Tuesday PROPN NNP poss 5
    's 's PART POS case 3
    announcement announcement NOUN NN dobj 2
    """
    date = dated(rows, "welcomed", THU, dates=[(3, 4)])
    assert (date.value, date.basis) == ("2025-03-13", "published")
    assert dated(rows, "announcement", THU, dates=[(3, 4)]).value == "2025-03-11"  # the noun's own date


def test_date_in_front_of_the_occasion_counts():
    # "Envoy dismissed accusations at Friday 's meeting ."
    rows = """
    Envoy envoy NOUN NN nsubj 2
    dismissed dismiss VERB VBD ROOT 0
    accusations accusation NOUN NNS dobj 2
    at at ADP IN prep 2
    Friday Friday PROPN NNP poss 7
    's 's PART POS case 5
    meeting meeting NOUN NN pobj 4
    """
    assert dated(rows, "dismissed", dt.date(2024, 6, 28), dates=[(5, 6)]).value == "2024-06-28"


def test_year_in_another_happenings_clause_is_not_the_events():
    # "Fu blamed Washington for disrupting the deal by withdrawing in 2017 ."
    rows = """
    Fu Fu PROPN NNP nsubj 2
    blamed blame VERB VBD ROOT 0
    Washington Washington PROPN NNP dobj 2
    for for ADP IN prep 2
    disrupting disrupt VERB VBG pcomp 4
    the the DET DT det 7
    deal deal NOUN NN dobj 5
    by by ADP IN prep 5
    withdrawing withdraw VERB VBG pcomp 8
    in in ADP IN prep 9
    2017 2017 NUM CD pobj 10
    """
    assert dated(rows, "blamed", THU, dates=[(11, 11)]).basis == "published"
    assert dated(rows, "withdrawing", THU, dates=[(11, 11)]).value == "2017"


def test_date_in_a_that_clause_on_another_noun_is_not_the_events():
    # "Taliban rejected the allegation that the attack was planned Tuesday ."
    rows = """
    Taliban Taliban PROPN NNP nsubj 2
    rejected reject VERB VBD ROOT 0
    the the DET DT det 4
    allegation allegation NOUN NN dobj 2
    that that SCONJ IN mark 9
    the the DET DT det 7
    attack attack NOUN NN nsubjpass 9
    was be AUX VBD auxpass 9
    planned plan VERB VBN acl 4
    Tuesday Tuesday PROPN NNP npadvmod 9
    """
    assert dated(rows, "rejected", THU, dates=[(10, 10)]).basis == "published"


def test_the_triggers_own_clause_gives_its_date():
    # "An offensive launched earlier this month has met success ."
    rows = """
    An an DET DT det 2
    offensive offensive NOUN NN nsubj 8
    launched launch VERB VBN acl 2
    earlier early ADV RBR advmod 6
    this this DET DT det 6
    month month NOUN NN npadvmod 3
    has have AUX VBZ aux 8
    met meet VERB VBN ROOT 0
    success success NOUN NN dobj 8
    """
    assert dated(rows, "offensive", THU, dates=[(4, 6)]).value == "2025-03"


def test_when_clause_on_a_date_takes_that_date():
    # "Since 2011 , when the government sent soldiers , al-Shabab has fought them ."
    rows = """
    Since since ADP IN prep 11
    2011 2011 NUM CD pobj 1
    , , PUNCT , punct 2
    when when ADV WRB advmod 7
    the the DET DT det 6
    government government NOUN NN nsubj 7
    sent send VERB VBD relcl 2
    soldiers soldier NOUN NNS dobj 7
    , , PUNCT , punct 11
    al-Shabab al-Shabab PROPN NNP nsubj 11
    fought fight VERB VBN ROOT 0
    them they PRON PRP dobj 11
    """
    assert dated(rows, "sent", dt.date(2020, 2, 17), dates=[(2, 2)]).value == "2011"


def test_conjunct_with_its_own_subject_or_a_then_is_another_time():
    # "Assad was ousted in December but hope has been shaken by violence ."
    rows = """
    Assad Assad PROPN NNP nsubjpass 3
    was be AUX VBD auxpass 3
    ousted oust VERB VBN ROOT 0
    in in ADP IN prep 3
    December December PROPN NNP pobj 4
    but but CCONJ CC cc 3
    hope hope NOUN NN nsubjpass 10
    has have AUX VBZ aux 10
    been be AUX VBN auxpass 10
    shaken shake VERB VBN conj 3
    by by ADP IN agent 10
    violence violence NOUN NN pobj 11
    """
    assert dated(rows, "violence", THU, dates=[(5, 5)]).basis != "text"  # December is the ousting's
    assert dated(rows, "ousted", THU, dates=[(5, 5)]).value == "2024-12"
    # "Trump imposed tariffs Monday and then delayed them ."
    rows = """
    Trump Trump PROPN NNP nsubj 2
    imposed impose VERB VBD ROOT 0
    tariffs tariff NOUN NNS dobj 2
    Monday Monday PROPN NNP npadvmod 2
    and and CCONJ CC cc 2
    then then ADV RB advmod 7
    delayed delay VERB VBD conj 2
    them they PRON PRP dobj 7
    """
    assert dated(rows, "delayed", THU, dates=[(4, 4)]).basis == "published"
    assert dated(rows, "imposed", THU, dates=[(4, 4)]).value == "2025-03-10"
    # "Rubio spoke Monday and both ministers urged calm ." : "and", the same tense: one scene
    rows = """
    Rubio Rubio PROPN NNP nsubj 2
    spoke speak VERB VBD ROOT 0
    Monday Monday PROPN NNP npadvmod 2
    and and CCONJ CC cc 2
    both both DET DT det 6
    ministers minister NOUN NNS nsubj 7
    urged urge VERB VBD conj 2
    calm calm NOUN NN dobj 7
    """
    assert dated(rows, "urged", THU, dates=[(3, 3)]).value == "2025-03-10"


def test_participle_shares_the_clause_date():
    # "On Friday , lawmakers passed a resolution , decrying the move ." published on a Sunday
    rows = """
    On on ADP IN prep 5
    Friday Friday PROPN NNP pobj 1
    , , PUNCT , punct 5
    lawmakers lawmaker NOUN NNS nsubj 5
    passed pass VERB VBD ROOT 0
    a a DET DT det 7
    resolution resolution NOUN NN dobj 5
    , , PUNCT , punct 5
    decrying decry VERB VBG advcl 5
    the the DET DT det 11
    move move NOUN NN dobj 9
    """
    assert dated(rows, "decrying", dt.date(2024, 6, 30), dates=[(2, 2)]).value == "2024-06-28"


# "The United States said Tuesday that it would resume aid ."
RESUME = """
The the DET DT det 3
United United PROPN NNP compound 3
States States PROPN NNP nsubj 4
said say VERB VBD ROOT 0
Tuesday Tuesday PROPN NNP npadvmod 4
that that SCONJ IN mark 9
it it PRON PRP nsubj 9
would would AUX MD aux 9
resume resume VERB VB ccomp 4
aid aid NOUN NN dobj 9
"""


def test_announced_act_takes_the_announcements_date():
    # the reporting verb's tense (past) resolves it, not the announced act's (future)
    date = dated(RESUME, "resume", dt.date(2025, 3, 12), dates=[(5, 5)])
    assert (date.text, date.value, date.basis) == ("Tuesday", "2025-03-11", "text")


def test_pluperfect_report_does_not_take_the_reports_date():
    rows = RESUME.replace("would would AUX MD aux 9", "had have AUX VBD aux 9").replace(
        "resume resume VERB VB ccomp 4", "resumed resume VERB VBN ccomp 4")
    assert dated(rows, "resumed", dt.date(2025, 3, 12), dates=[(5, 5)]).value is None  # before the report: no date


def test_sentence_opening_date_frames_the_sentence_whatever_the_parse():
    # "Earlier this month , Trump hosted Erdogan ." as a small model parsed it (no verb as root)
    rows = """
    Earlier early ADV RBR advmod 3
    this this DET DT det 3
    month month NOUN NN npadvmod 7
    , , PUNCT , punct 7
    Trump Trump PROPN NNP nmod 7
    hosted host VERB VBN amod 7
    Erdogan Erdogan PROPN NNP ROOT 0
    """
    date = dated(rows, "hosted", dt.date(2019, 11, 25), dates=[(1, 3)])
    assert (date.value, date.granularity) == ("2019-11", "month")


def test_relative_cue_on_the_trigger_stops_the_search():
    # "Officials said Sunday rebels attacked a day earlier ." : not Sunday, and no day to resolve
    rows = """
    Officials official NOUN NNS nsubj 2
    said say VERB VBD ROOT 0
    Sunday Sunday PROPN NNP npadvmod 2
    rebels rebel NOUN NNS nsubj 5
    attacked attack VERB VBD ccomp 2
    a a DET DT det 7
    day day NOUN NN npadvmod 8
    earlier early ADV RBR advmod 5
    """
    assert dated(rows, "attacked", dt.date(2021, 5, 10), dates=[(3, 3), (6, 8)]).basis == "published"


def test_until_a_month_is_the_coming_one():
    # "The truce was extended until at least February ." in a January story
    rows = """
    The the DET DT det 2
    truce truce NOUN NN nsubjpass 4
    was be AUX VBD auxpass 4
    extended extend VERB VBN ROOT 0
    until until ADP IN prep 4
    at at ADV RB advmod 7
    least least ADV RBS advmod 8
    February February PROPN NNP pobj 5
    """
    assert dated(rows, "extended", dt.date(2024, 1, 15), dates=[(8, 8)]).value == "2024-02"


def test_what_is_told_as_before_the_days_news_has_no_date():
    # Codebook: the publication date stands in only for the day's news; a recent or background
    # happening with no cue has none.
    pluperfect = """
    The The DET DT det 2
    Taliban Taliban PROPN NNP nsubj 4
    had have AUX VBD aux 4
    banned ban VERB VBN ROOT 0
    her her PRON PRP$ poss 6
    book book NOUN NN dobj 4
    """
    assert dated(pluperfect, "banned", THU).value is None
    simple_past = """
    The The DET DT det 2
    Taliban Taliban PROPN NNP nsubj 3
    banned ban VERB VBD ROOT 0
    her her PRON PRP$ poss 5
    book book NOUN NN dobj 3
    """
    assert dated(simple_past, "banned", THU).value == THU.isoformat()
    bare_noun = """
    This this DET DT det 3
    latest late ADJ JJS amod 3
    announcement announcement NOUN NN nsubj 4
    followed follow VERB VBD ROOT 0
    another another DET DT det 6
    crackdown crackdown NOUN NN dobj 4
    """
    assert dated(bare_noun, "crackdown", THU).value is None


def test_days_later_is_told_from_the_happening_before(sentence_engine):
    doc = sentence_engine("Last month, insurgents ambushed a bus near Kalat and killed 18 passengers. "
                          "Days later, a roadside bomb killed 11 coal miners near the mine.",
                          published=dt.date(2025, 3, 12))
    later = next(e for e in doc.events if e.sentence == 1 and e.event_type == "ASSAULT")
    assert (later.date.text, later.date.value, later.date.granularity) == ("Days later", "2025-02", "month")


@pytest.mark.model
@pytest.mark.parametrize(("text", "trigger", "counted_from", "value", "expression"), [
    # counted back from the day's news (a present tense) or from a day the text gives
    ("His comments come two days after the envoy denounced the raid.", "denounced", None, "2024-04-26",
     "two days after"),
    ("Troops killed ten fighters on Friday, a day after an attack on the base.", "attack", "killed", "2024-04-25",
     "a day after"),
    ("The strike comes a week before the two sides meet in Geneva.", "meet", None, "2024-05-05", "a week before"),
    # counted from a day the text does not give: no date is made up
    ("She visited the prisoners the day after the men were deported.", "deported", "visited", "2024-04-28", None),
])  # fmt: skip
def test_an_act_told_as_an_interval_from_a_known_day_is_dated_from_it(parse_text, text, trigger, counted_from,
                                                                        value, expression):
    doc = parse_text(text, published=SUN)
    anchors = [next(t.i for t in doc.tokens if t.text == w) for w in (trigger, counted_from) if w]
    date = run(doc, *anchors)[0]
    assert (date.value, date.text) == (value, expression)


@pytest.mark.model
@pytest.mark.parametrize(("text", "value", "expression"), [
    # "since" starts a span that runs to the news: the smallest unit holding it
    ("Police have detained 30 people since April 3.", "2024-04", "April 3"),
    ("Police have detained 30 people since February 1.", "2024", "February 1"),
    ("Rebels have attacked the troops since 2011.", None, "2011"),  # years: no one date
])  # fmt: skip
def test_a_span_since_a_day_is_dated_by_the_unit_that_holds_it(parse_text, text, value, expression):
    doc = parse_text(text, published=SUN)
    anchor = next(t.i for t in doc.tokens if t.lemma in ("detain", "attack"))
    (date,) = run(doc, anchor)
    assert (date.value, date.text) == (value, expression)
