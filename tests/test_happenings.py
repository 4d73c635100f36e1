"""The article pass (stages.happenings): merging mentions, the judge's decisions, the article's country.

Model-free: the judge is a hand-made JudgeModel whose weights make chosen features decisive.
"""

from __future__ import annotations

import dataclasses
import math

import pytest
from builders import hand_doc, join_docs

from lapwing.doc import Doc
from lapwing.judge import JudgeModel, LinearModel
from lapwing.records import Actor, Attribution, DateRef, Event, Mention, Place, Quantity, Span
from lapwing.stages.happenings import (
    DOMINANT_SHARE,
    HappeningFinder,
    HappeningsConfig,
    article_country,
    fill_from_article,
    in_boilerplate,
    merge_group,
)


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def actor(name, country=None, sector=None) -> Actor:
    return Actor(name, name, country, sector, 0, len(name))


def place(name, country, feature="city", start=0) -> Place:
    return Place(name, name, country, None, None, None, None, start, start + len(name), feature)


def text_date(value, granularity) -> DateRef:
    return DateRef(value, value, granularity, "text")


def killed(n, kind="killed") -> Quantity:
    return Quantity(kind, float(n), False, None, str(n), 0, 1)


def ev(start: int, confidence: float = 0.5, etype: str = "ASSAULT", length: int = 10, **fields) -> Event:
    """An event whose trigger starts at `start` and whose evidence is [start, start + length)."""
    span = Span("x" * length, start, start + length)
    trigger = Span("x", start, start + 1)
    base = dict(id=f"e{start}", article_id="a", event_type=etype, mode=None, quad=4, intensity=-9.0, contexts=(),
                modality="asserted", actors=(), recipients=(), trigger=trigger, evidence=span, confidence=confidence,
                sentence=start // 100)  # fmt: skip
    return Event(**{**base, **fields})


# --- merge_group ----------------------------------------------------------------------------------


def test_merge_takes_evidence_and_trigger_of_the_most_confident_mention():
    a, b, c = ev(0, 0.4), ev(100, 0.9, mode="heavy-weapons"), ev(200, 0.7)
    m = merge_group([a, b, c])
    assert (m.id, m.evidence, m.trigger, m.confidence, m.mode) == (b.id, b.evidence, b.trigger, 0.9, "heavy-weapons")
    # Ties go to the earliest mention.
    assert merge_group([ev(300, 0.8), ev(100, 0.8), ev(200, 0.8)]).trigger.start == 100


def test_merge_unites_actors_deduped_and_recipients_that_are_not_actors():
    a = ev(0, 0.9, actors=(actor("Rebels"), actor("Army", "KEN")), recipients=(actor("Police"),))
    b = ev(100, 0.5, actors=(actor("rebels"), actor("Police"), actor("Army", "UGA")), recipients=(actor("Town"),))
    m = merge_group([b, a])
    names = [(x.name, x.country) for x in m.actors]
    assert names == [("Rebels", None), ("Army", "KEN"), ("Police", None), ("Army", "UGA")]
    assert [x.name for x in m.recipients] == ["Town"]  # Police acts in another mention


def test_merge_keeps_a_mode_attribution_and_contexts_from_any_mention():
    said = Attribution("officials said", "officials", 0, 14)
    m = merge_group([ev(0, 0.9, contexts=("a",)), ev(100, 0.5, mode="x", attribution=said, contexts=("b", "a"))])
    assert (m.mode, m.attribution, m.contexts) == ("x", said, ("a", "b"))


def test_merge_prefers_a_text_date_and_the_most_precise_one():
    published = DateRef(None, "2024-05-10", "day", "published")
    main = ev(0, 0.9, date=published)
    month, exact = ev(100, 0.5, date=text_date("2024-05", "month")), ev(200, 0.4, date=text_date("2024-05-03", "day"))
    assert merge_group([main, month]).date == month.date  # text beats the publication date, though less precise
    assert merge_group([main, month, exact]).date == exact.date
    assert merge_group([ev(0, 0.9, date=text_date("2024", "year")), month]).date == month.date
    # Equally precise text dates: the main mention's.
    other_day = ev(300, 0.95, date=text_date("2024-05-04", "day"))
    assert merge_group([exact, other_day]).date == other_day.date
    # No text date: the main mention's.
    assert merge_group([main, ev(100, 0.5)]).date == published


def test_merge_takes_the_most_specific_place():
    city, region, country = place("Goma", "COD"), place("North Kivu", "COD", "region"), place("Congo", "COD", "country")
    assert merge_group([ev(0, 0.9, location=country), ev(100, 0.5, location=region)]).location == region
    assert merge_group([ev(0, 0.9, location=country), ev(100, 0.5, location=region), ev(200, 0.1, location=city),
                        ev(300, 0.3)]).location == city  # fmt: skip
    assert merge_group([ev(0, 0.9), ev(100, 0.5)]).location is None


def test_merge_keeps_the_main_mentions_own_town_or_region():
    # A finer place in a weaker mention may be another happening's ("arrests in Anbar ... in Irbil").
    region, city = place("Anbar", "IRQ", "region"), place("Irbil", "IRQ")
    assert merge_group([ev(0, 0.9, location=region), ev(100, 0.5, location=city)]).location == region


def test_merge_keeps_the_main_mentions_numbers_else_the_largest_of_each_kind():
    m = merge_group([
        ev(0, 0.9, quantities=(killed(3), killed(5, "wounded"))),
        ev(100, 0.5, quantities=(killed(12),)),
        ev(200, 0.4, quantities=(killed(7), killed(2, "wounded"), killed(40, "arrested"), killed(9, "injured"))),
        ev(300, 0.3, quantities=(killed(60, "injured"),)),
    ])  # fmt: skip
    # The main mention's toll stands (another mention's larger one may count something else);
    # a kind it lacks takes the largest the others give.
    assert sorted((q.kind, q.value) for q in m.quantities) == [
        ("arrested", 40.0), ("injured", 60.0), ("killed", 3.0), ("wounded", 5.0)]


def test_merge_lists_every_distinct_evidence_in_text_order():
    a, b, c = ev(200, 0.9), ev(0, 0.5), ev(100, 0.4)
    same_sentence = dataclasses.replace(ev(205, 0.3), evidence=a.evidence)
    m = merge_group([a, b, same_sentence, c])
    assert [s.start for s in m.mentions] == [0, 100, 200]
    assert m.to_dict()["mentions"] == [{"text": s.text, "start": s.start, "end": s.end} for s in m.mentions]
    assert m.to_dict()["evidence"]["start"] == 200
    # A single mention merged lists itself; a record never merged emits its evidence alone.
    assert merge_group([b]).mentions == (b.evidence,)
    assert b.mentions == () and b.to_dict()["mentions"] == [{"text": b.evidence.text, "start": 0, "end": 10}]


# --- HappeningFinder with hand-made models --------------------------------------------------------


def four_sentences() -> tuple[Doc, list[Event]]:
    """'Rebels attacked Vela .', 'Rebels attacked Tala .', 'Troops attacked Mora .', 'Police arrested Rebels .'"""
    pattern = "{0} {0} PROPN NNP nsubj 2\n{1} {2} VERB VBD ROOT 0\n{3} {3} PROPN NNP dobj 2\n. . PUNCT . punct 2"
    words = [("Rebels", "attacked", "attack", "Vela"), ("Rebels", "attacked", "attack", "Tala"),
             ("Troops", "attacked", "attack", "Mora"), ("Police", "arrested", "arrest", "Rebels")]  # fmt: skip
    rows = [pattern.format(*w) for w in words]
    doc = join_docs(*(hand_doc(r) for r in rows))
    spec = [("ASSAULT", ["Rebels"], []), ("ASSAULT", ["Rebels"], []), ("ASSAULT", ["Troops"], []),
            ("ARREST", ["Police"], ["Rebels"])]  # fmt: skip
    events = []
    for n, (etype, actors, recipients) in enumerate(spec):
        s = doc.sentences[n]
        verb = doc.tokens[s.token_start + 1]
        events.append(Event(
            f"e{n}", doc.article.id, etype, None, 4, -9.0, (), "asserted",
            tuple(actor(a) for a in actors), tuple(actor(r) for r in recipients),
            Span(verb.text, verb.start, verb.end), Span(doc.text[s.start : s.end], s.start, s.end), 0.5,
            anchor=verb.i, sentence=n,
        ))  # fmt: skip
    return doc, events


DOC, EVENTS = four_sentences()
KEEP_ALL = LinearModel({}, 5.0)
SHARED_ACTOR = LinearModel({"act=name": 6.0}, -3.0)  # merge only mentions that name the same actor


def judge(event=KEEP_ALL, merge=SHARED_ACTOR, **kw) -> JudgeModel:
    return JudgeModel(event, merge, "test", **kw)


def run(model: JudgeModel, events=EVENTS, doc=DOC, **config) -> tuple[Event, ...]:
    return HappeningFinder(HappeningsConfig(**config), model=model)(doc.replace(events=tuple(events))).events


def test_candidates_below_the_event_threshold_are_dropped():
    only_assaults = LinearModel({"t=ASSAULT": 4.0}, -2.0)  # ASSAULT 0.88, anything else 0.12
    out = run(judge(only_assaults, LinearModel({}, -5.0)))
    assert [e.event_type for e in out] == ["ASSAULT"] * 3
    assert run(judge(only_assaults, LinearModel({}, -5.0), event_threshold=0.9)) == ()
    # With the rules' weight at one the rules' confidence decides instead.
    ruled = [dataclasses.replace(e, confidence=0.9 if e.event_type == "ARREST" else 0.1) for e in EVENTS]
    out = run(judge(only_assaults, LinearModel({}, -5.0), rule_weight=1.0), ruled)
    assert [e.event_type for e in out] == ["ARREST"]


def test_same_type_candidates_merge_when_the_merge_model_says_so():
    out = run(judge())
    assert [(e.event_type, len(e.mentions)) for e in out] == [("ASSAULT", 2), ("ASSAULT", 1), ("ARREST", 1)]
    first = out[0]
    assert [m.start for m in first.mentions] == [DOC.sentences[0].start, DOC.sentences[1].start]
    assert [a.name for a in first.actors] == ["Rebels"]


def test_same_type_candidates_stay_apart_when_the_merge_model_says_no():
    out = run(judge(merge=LinearModel({}, -3.0)))
    assert len(out) == 4 and all(len(e.mentions) == 1 for e in out)
    # The threshold is the model's: the same weights with a lower merge threshold join them.
    assert len(run(judge(merge=LinearModel({}, -3.0), merge_threshold=0.04))) == 2


def test_different_types_are_never_merged():
    out = run(judge(merge=LinearModel({}, 10.0)))  # every pair "is" one happening
    assert [(e.event_type, len(e.mentions)) for e in out] == [("ASSAULT", 3), ("ARREST", 1)]


def test_two_parties_doing_the_same_in_one_sentence_are_two_happenings():
    # "Europe retaliated with tariffs on U.S. goods, while Canada imposed tariffs on U.S. goods":
    # even a merge model that joins everything keeps them apart; one side acting on the other
    # ("A attacked B, and B fired back") may still be one exchange.
    a, b = EVENTS[0], EVENTS[2]
    same = dataclasses.replace(b, sentence=a.sentence)
    europe = dataclasses.replace(a, actors=(actor("Europe", "EUR"),), recipients=(actor("U.S.", "USA"),))
    canada = dataclasses.replace(same, actors=(actor("Canada", "CAN"),), recipients=(actor("U.S.", "USA"),))
    assert len(run(judge(merge=LinearModel({}, 10.0)), [europe, canada])) == 2
    back = dataclasses.replace(same, actors=(actor("U.S.", "USA"),), recipients=(actor("Europe", "EUR"),))
    assert len(run(judge(merge=LinearModel({}, 10.0)), [europe, back])) == 1


def test_groups_are_joined_by_average_link_in_text_order():
    x, y = actor("Rebels"), actor("Militia")
    a = dataclasses.replace(EVENTS[0], actors=(x,))
    b = dataclasses.replace(EVENTS[1], actors=(x, y))
    c = dataclasses.replace(EVENTS[2], actors=(y,))  # names an actor of b, not of a
    # p(a,b) = p(b,c) = 0.95, p(a,c) = 0.05: c's average link to {a, b} is 0.5.
    strict = judge(merge_threshold=0.6)
    assert [len(e.mentions) for e in run(strict, [c, b, a])] == [2, 1]  # candidates given out of order
    assert [len(e.mentions) for e in run(judge(merge_threshold=0.45), [c, b, a])] == [3]
    out = run(strict, [c, b, a])
    assert out[0].evidence.start < out[1].evidence.start  # records in text order


def test_the_record_confidence_is_the_best_score_calibrated():
    scores = LinearModel({"t=ASSAULT": 6.0, "t=ARREST": 4.0}, -2.0)  # raw 0.98 and 0.88
    lowered = judge(scores, LinearModel({}, -5.0), calibration=(1.0, -3.0))  # calibrated 0.73 and 0.27
    out = run(lowered)
    assert [e.confidence for e in out] == pytest.approx([sigmoid(1.0)] * 3 + [sigmoid(-1.0)])
    # The event threshold (0.5) applies to the raw score: the ARREST record survives it calibrated at 0.27.
    assert out[-1].event_type == "ARREST"
    kept = run(lowered, min_confidence=0.5)
    assert [e.event_type for e in kept] == ["ASSAULT"] * 3
    assert run(lowered, min_confidence=0.8) == ()


def test_judge_off_returns_the_doc_unchanged():
    doc = DOC.replace(events=tuple(EVENTS))
    nobody = judge(LinearModel({}, -10.0))
    assert HappeningFinder(HappeningsConfig(judge=False), model=nobody)(doc) is doc
    assert HappeningFinder(model=nobody)(doc).events == ()
    assert HappeningFinder(model=nobody)(DOC) is DOC  # no candidates


def test_merge_off_keeps_every_candidate_kept():
    out = run(judge(merge=LinearModel({}, 10.0)), merge=False)
    assert len(out) == 4 and [len(e.mentions) for e in out] == [1, 1, 1, 1]


def test_a_trigger_inside_newsroom_boilerplate_is_dropped_and_its_sentence_mates_kept():
    text = ("officials did not respond to a request for comment ; Israel attacked Gaza ; "
            "the army did not respond to a request for comment")  # fmt: skip
    words = text.split()
    doc = hand_doc("\n".join(f"{w} {w.lower()} X X dep 1" for w in words))
    sent = Span(doc.text, 0, len(doc.text))

    def at(word, etype, nth=0):
        tok = [t for t in doc.tokens if t.text == word][nth]
        return Event(f"e{tok.i}", "a", etype, None, 1, 0.0, (), "asserted", (), (), Span(tok.text, tok.start, tok.end),
                     sent, 0.5, anchor=tok.i, sentence=0)  # fmt: skip

    # "attacked" comes after one boilerplate phrase and before another: it is no part of either.
    attacked, first = at("attacked", "ASSAULT"), at("respond", "CONSULT")
    second, comment = at("respond", "REJECT", 1), at("comment", "REQUEST", 1)
    assert not in_boilerplate(attacked)
    assert in_boilerplate(first) and in_boilerplate(second) and in_boilerplate(comment)
    out = run(judge(merge=LinearModel({}, -5.0)), [attacked, first, second, comment], doc=doc)
    assert [e.event_type for e in out] == ["ASSAULT"]

# --- the article's country ------------------------------------------------------------------------

KENYA_ROWS = """
    Police police NOUN NNS nsubj 2
    arrested arrest VERB VBD ROOT 0
    protesters protester NOUN NNS dobj 2
    in in ADP IN prep 2
    Kenya Kenya PROPN NNP pobj 4
"""


def doc_with(places=(), mentions=()) -> Doc:
    return hand_doc(KENYA_ROWS).replace(places=tuple(places), mentions=tuple(mentions))


def country_mention(name, country, kind="entity") -> Mention:
    return Mention(actor(name, country), 0, 1, 0, kind)


KENYA = place("Kenya", "KEN", "country", start=5)
KENYA_AGAIN = place("Kenya", "KEN", "country", start=50)


def test_a_country_named_twice_is_the_articles_country():
    doc = doc_with([KENYA, place("Nairobi", "KEN"), KENYA_AGAIN])
    assert article_country(doc) == KENYA  # its first naming as a country
    # Actor mentions of a state count; coreferences and non-state codes do not.
    assert article_country(doc_with([KENYA], [country_mention("Kenyan police", "KEN")])) == KENYA
    assert article_country(doc_with([KENYA], [country_mention("they", "KEN", "coref")])) is None
    # Six mentions of the UN would make Kenya's two namings 2 of 8 (< DOMINANT_SHARE), were they counted.
    assert article_country(doc_with([KENYA, KENYA_AGAIN], [country_mention("UN", "UNO")] * 6)) == KENYA
    assert article_country(doc_with([KENYA, KENYA_AGAIN], [country_mention("Uganda", "UGA")] * 6)) is None


def test_no_country_when_named_once_or_only_as_a_city():
    assert article_country(doc_with([KENYA])) is None
    assert article_country(doc_with([place("Nairobi", "KEN"), place("Mombasa", "KEN")])) is None
    assert article_country(doc_with()) is None


def test_a_country_named_once_as_both_place_and_actor_is_named_once():
    # "Israel said ...": the one word is a gazetteer place and an actor mention of the same span.
    israel = place("Israel", "ISR", "country")
    mention = Mention(Actor("Israel", "Israel", "ISR", None, 0, 6), 0, 1, 0)
    assert article_country(doc_with([israel], [mention])) is None


def test_no_country_when_none_dominates():
    others = [place(n, c, "country") for n, c in
              [("Uganda", "UGA"), ("Tanzania", "TZA"), ("Ethiopia", "ETH"), ("Somalia", "SOM"), ("Rwanda", "RWA"),
               ("Burundi", "BDI"), ("Sudan", "SDN"), ("Congo", "COD")]]  # fmt: skip
    three = [KENYA, KENYA_AGAIN, place("Kenya", "KEN", "country", start=80)]
    assert 3 < DOMINANT_SHARE * 11
    assert article_country(doc_with(three + others)) is None  # 3 of 11
    assert 3 >= DOMINANT_SHARE * 9
    assert article_country(doc_with(three + others[:6])) == KENYA  # 3 of 9


def test_the_dominant_country_fills_a_missing_place_and_participant_countries():
    doc = doc_with([KENYA, KENYA_AGAIN])
    bare = ev(0, 0.9, actors=(actor("Police", None, "COP"),), recipients=(actor("protesters", None, "CVL"),))
    placed = ev(100, 0.9, actors=(actor("Police", "KEN", "COP"),), location=place("Nairobi", "KEN"))
    with_un = ev(200, 0.9, actors=(actor("UN", "UNO", "IGO"), actor("aid workers")))
    out = fill_from_article(doc, [bare, placed, with_un])
    assert out[0].location == KENYA and [a.country for a in (*out[0].actors, *out[0].recipients)] == ["KEN", "KEN"]
    assert out[1].location == placed.location and out[1].actors == placed.actors  # what is known stays
    # A non-state participant is no foreign party; it keeps its code.
    assert out[2].location == KENYA and [a.country for a in out[2].actors] == ["UNO", "KEN"]


def test_no_filling_with_a_foreign_participant_or_without_a_dominant_country():
    foreign = ev(0, 0.9, actors=(actor("Police"),), recipients=(actor("Ugandan traders", "UGA"),))
    assert fill_from_article(doc_with([KENYA, KENYA_AGAIN]), [foreign]) == [foreign]
    bare = ev(0, 0.9, actors=(actor("Police"),))
    assert fill_from_article(doc_with([KENYA]), [bare]) == [bare]


def test_the_stage_fills_from_the_article_unless_told_not_to():
    doc = DOC.replace(places=(place("Vela", "VLA", "country", start=DOC.text.index("Vela")),
                              place("Vela", "VLA", "country", start=DOC.text.index("Vela"))))  # fmt: skip
    out = run(judge(merge=LinearModel({}, -5.0)), doc=doc)
    assert {e.location.country for e in out} == {"VLA"} and {a.country for e in out for a in e.actors} == {"VLA"}
    off = run(judge(merge=LinearModel({}, -5.0)), doc=doc, article_country=False)
    assert all(e.location is None for e in off) and all(a.country is None for e in off for a in e.actors)


def test_a_mention_told_as_another_time_starts_its_own_record():
    import lapwing

    text = ("Gunmen attacked a police station in Kalat on Tuesday, killing four officers. "
            "The attack was claimed by a separatist group. "
            "Days later, a roadside bomb killed two soldiers in the same district.")
    doc = lapwing.extract(text, published="2025-03-14")
    assaults = [e for e in doc.events if e.event_type == "ASSAULT"]
    told_later = [e for e in assaults if any(text[m.start:m.end].startswith("Days later") for m in e.mentions)]
    assert told_later, [(e.trigger.text, [text[m.start:m.end][:20] for m in e.mentions]) for e in assaults]
    assert all(len(e.mentions) == 1 for e in told_later)  # not merged into Tuesday's attack
