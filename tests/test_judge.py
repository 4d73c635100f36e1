"""The judge (lapwing.judge): its linear models, the model file, the features, and the training helpers.

Model-free: features are read off hand-built parses; sklearn is needed only by `fit`/`fit_calibration`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math

import pytest
from builders import hand_doc, join_docs

from lapwing.doc import Doc
from lapwing.errors import ResourceError
from lapwing.judge import JudgeModel, LinearModel, default_model, event_features, pair_features
from lapwing.judge import train as T
from lapwing.records import Actor, Article, Attribution, DateRef, Event, Place, Quantity, Span
from lapwing.stages.happenings import HappeningFinder
from lapwing.stages.sentence_graph import SentenceGraph


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def model(event=None, merge=None, **kw) -> JudgeModel:
    return JudgeModel(event or LinearModel({}, 0.0), merge or LinearModel({}, 0.0), "t", **kw)


# --- LinearModel and JudgeModel -------------------------------------------------------------------


def test_probability_is_the_sigmoid_of_bias_plus_the_weights_present():
    m = LinearModel({"a": 1.5, "b": -0.5, "c": 2.0}, bias=-1.0)
    assert m.probability([]) == pytest.approx(sigmoid(-1.0))
    assert m.probability(["a"]) == pytest.approx(sigmoid(0.5))
    assert m.probability(["a", "b"]) == pytest.approx(sigmoid(0.0)) == pytest.approx(0.5)
    assert m.probability(["a", "b", "c", "unknown"]) == pytest.approx(sigmoid(2.0))  # unknown weighs nothing
    assert LinearModel({}, 0.0).probability(["anything"]) == 0.5


def test_probability_stays_finite_and_inside_zero_one_for_huge_sums():
    m = LinearModel({"up": 1e6, "down": -1e6}, 0.0)
    hi, lo = m.probability(["up"]), m.probability(["down"])
    assert 0.999 < hi < 1.0 and 0.0 < lo < 0.001


def test_calibrated_is_the_identity_for_one_zero():
    m = model(calibration=(1.0, 0.0))
    for s in (0.01, 0.2, 0.5, 0.73, 0.99):
        assert m.calibrated(s) == pytest.approx(s)


def test_calibrated_is_platt_scaling_and_monotone():
    a, b = 0.9, -0.65
    m = model(calibration=(a, b))
    assert m.calibrated(0.8) == pytest.approx(sigmoid(a * math.log(0.8 / 0.2) + b))
    scores = [0.0, 0.05, 0.2, 0.45, 0.5, 0.6, 0.8, 0.95, 1.0]
    out = [m.calibrated(s) for s in scores]
    assert out == sorted(out) and len(set(out)) == len(out)  # strictly increasing
    assert all(0.0 < c < 1.0 for c in out)  # the ends are clamped, not infinite
    assert m.calibrated(0.5) == pytest.approx(sigmoid(b)) and sigmoid(b) < 0.5  # a negative b lowers scores


def test_candidate_score_blends_the_event_model_with_the_rules():
    event = LinearModel({"t=ASSAULT": 2.0}, 0.0)
    p = sigmoid(2.0)
    assert model(event, rule_weight=0.0).candidate_score(["t=ASSAULT"], 0.1) == pytest.approx(p)
    assert model(event, rule_weight=1.0).candidate_score(["t=ASSAULT"], 0.1) == pytest.approx(0.1)
    assert model(event, rule_weight=0.25).candidate_score(["t=ASSAULT"], 0.1) == pytest.approx(0.75 * p + 0.025)


def test_save_and_load_round_trip(tmp_path):
    m = JudgeModel(
        event=LinearModel({"t=ASSAULT": 1.25, "habitual": -2.5}, -0.5),
        merge=LinearModel({"act=name": 3.0}, -1.75),
        version="7",
        event_threshold=0.4,
        merge_threshold=0.6,
        rule_weight=0.3,
        calibration=(0.9, -0.25),
        info={"articles": 3},
    )
    path = tmp_path / "judge.json"
    m.save(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == 1 and list(data["event"]["weights"]) == ["habitual", "t=ASSAULT"]  # sorted
    back = JudgeModel.load(path)
    assert back == m
    assert back.calibration == (0.9, -0.25) and isinstance(back.calibration, tuple)


def test_save_drops_zero_weights():
    m = model(LinearModel({"kept": 1.0, "zero": 0.0}, 0.0))
    assert m.to_dict()["event"]["weights"] == {"kept": 1.0}


def test_a_model_file_of_another_format_is_a_resource_error_naming_it(tmp_path):
    path = tmp_path / "old-judge.json"
    data = model().to_dict()
    data["format"] = 0
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ResourceError, match="old-judge.json"):
        JudgeModel.load(path)
    path.write_text(json.dumps([1, 2, 3]), encoding="utf-8")
    with pytest.raises(ResourceError, match="old-judge.json.*format"):
        JudgeModel.load(path)


def test_a_model_file_that_is_not_json_or_absent_is_a_resource_error_naming_it(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ResourceError, match="broken.json"):
        JudgeModel.load(path)
    with pytest.raises(ResourceError, match="missing.json"):
        JudgeModel.load(tmp_path / "missing.json")


@pytest.mark.parametrize(
    "change",
    [
        {"event": {"bias": 0.0}},  # no weights
        {"merge": None},
        {"event": {"weights": {"a": "heavy"}, "bias": 0.0}},
        {"merge": {"weights": {}, "bias": None}},
        {"calibration": [1.0]},
        {"calibration": "steep"},
        {"event_threshold": "high"},
        {"info": [1, 2]},
    ],
)
def test_a_malformed_model_part_is_a_resource_error_naming_the_file(tmp_path, change):
    path = tmp_path / "bad-part.json"
    path.write_text(json.dumps({**model().to_dict(), **change}), encoding="utf-8")
    with pytest.raises(ResourceError, match="bad-part.json"):
        JudgeModel.load(path)


def test_the_shipped_model_loads_with_thresholds_inside_zero_one():
    m = default_model()
    assert isinstance(m, JudgeModel)
    assert 0.0 < m.event_threshold < 1.0 and 0.0 < m.merge_threshold < 1.0
    assert 0.0 <= m.rule_weight <= 1.0
    assert len(m.calibration) == 2 and m.calibration[0] > 0  # a Platt slope > 0 keeps the order of scores
    assert m.event.weights and m.merge.weights
    assert HappeningFinder().version == f"1+judge-{m.version}"


# --- features -------------------------------------------------------------------------------------


def cand(doc: Doc, i: int, etype: str = "ASSAULT", actors=(), recipients=(), sentence: int | None = None,
         **fields) -> Event:  # fmt: skip
    """A candidate anchored at token index `i` (0-based) whose evidence is the token's sentence."""
    tok = doc.tokens[i]
    s = doc.sentences[tok.sent]
    trigger = Span(tok.text, tok.start, tok.end)
    evidence = Span(doc.text[s.start : s.end], s.start, s.end)
    base = dict(id=f"e{i}", article_id=doc.article.id, event_type=etype, mode=None, quad=4, intensity=-9.0,
                contexts=(), modality="asserted", actors=tuple(actors), recipients=tuple(recipients),
                trigger=trigger, evidence=evidence, confidence=0.95, anchor=i, sentence=tok.sent)  # fmt: skip
    return Event(**{**base, **fields})


def feats(doc: Doc, event: Event, n: int = 1) -> list[str]:
    return event_features(doc, event, SentenceGraph(doc, event.sentence), n)


def actor(name, country=None, sector=None, start=0, end=None) -> Actor:
    return Actor(name, name, country, sector, start, start + len(name) if end is None else end)


ATTACKED = """
    Israel Israel PROPN NNP nsubj 2
    attacked attack VERB VBD ROOT 0
    Lebanon Lebanon PROPN NNP dobj 2
    . . PUNCT . punct 2
"""


def test_event_features_name_type_lemma_modality_and_participants():
    doc = hand_doc(ATTACKED)
    e = cand(doc, 1, actors=[actor("Israel", "ISR", "GOV")], recipients=[actor("Lebanon", "LBN", start=16)])
    f = feats(doc, e)
    expected = {
        "t=ASSAULT", "m=asserted", "mt=asserted|ASSAULT", "l=attack", "lt=attack|ASSAULT", "tt=VBD",
        "dep=ROOT", "gov=same", "vt=VBD", "vl=attack", "active", "a=some", "ac=yes", "as=GOV",
        "r=some", "rc=yes", "rs=none", "dyad", "d=unknown|unknown", "noloc", "pos=0+", "nsent=1+", "conf=9",
    }  # fmt: skip
    assert expected <= set(f)
    # A simple past with its subject: none of the background cues.
    assert not {"pres_simple", "habitual", "quoted", "modal", "perfect", "background", "question"} & set(f)

    negated = feats(doc, dataclasses.replace(e, modality="negated", actors=(), recipients=()))
    assert {"m=negated", "mt=negated|ASSAULT", "a=none", "r=none"} <= set(negated)
    assert "dyad" not in negated and "a=some" not in negated


def test_present_simple_and_habitual_adverb_are_features():
    doc = hand_doc(
        """
        Militants militant NOUN NNS nsubj 3
        frequently frequently ADV RB advmod 3
        attack attack VERB VBP ROOT 0
        convoys convoy NOUN NNS dobj 3
        """
    )
    f = feats(doc, cand(doc, 2))
    assert {"pres_simple", "habitual", "generic_subj", "vt=VBP", "l=attack"} <= set(f)


def test_auxiliaries_make_perfect_and_modal_not_present_simple():
    perfect = hand_doc(
        """
        Israel Israel PROPN NNP nsubj 3
        has have AUX VBZ aux 3
        attacked attack VERB VBN ROOT 0
        Gaza Gaza PROPN NNP dobj 3
        """
    )
    modal = hand_doc(
        """
        They they PRON PRP nsubj 3
        may may AUX MD aux 3
        attack attack VERB VB ROOT 0
        Gaza Gaza PROPN NNP dobj 3
        """
    )
    fp, fm = feats(perfect, cand(perfect, 2)), feats(modal, cand(modal, 2))
    assert "perfect" in fp and "modal" not in fp and "pres_simple" not in fp
    assert {"modal", "subj=they", "active"} <= set(fm) and "perfect" not in fm
    # a perfect in the lead ("has agreed to ..., officials said") is marked as such; later it is not
    assert "perfect_lead" in fp
    later = join_docs(hand_doc(ATTACKED), hand_doc(ATTACKED), perfect)
    assert "perfect_lead" not in feats(later, cand(later, 10)) and "perfect" in feats(later, cand(later, 10))


def test_a_governing_hope_and_a_passive_subject_are_features():
    hope = hand_doc(
        """
        Israel Israel PROPN NNP nsubj 2
        hopes hope VERB VBZ ROOT 0
        to to PART TO aux 4
        attack attack VERB VB xcomp 2
        Gaza Gaza PROPN NNP dobj 4
        """
    )
    f = feats(hope, cand(hope, 3))
    assert {"hd=xcomp|hope", "hp=xcomp|VERB", "gc=hope", "dep=xcomp"} <= set(f)
    passive = hand_doc(
        """
        Soldiers soldier NOUN NNS nsubjpass 3
        were be AUX VBD auxpass 3
        attacked attack VERB VBN ROOT 0
        """
    )
    assert "passive" in feats(passive, cand(passive, 2))


def test_a_trigger_inside_quotes_is_quoted():
    quoted = hand_doc(
        """
        " " PUNCT `` punct 3
        Israel Israel PROPN NNP nsubj 3
        attacked attack VERB VBD ROOT 0
        Gaza Gaza PROPN NNP dobj 3
        " " PUNCT '' punct 3
        , , PUNCT , punct 7
        he he PRON PRP nsubj 8
        said say VERB VBD ROOT 0
        """
    )
    f = feats(quoted, cand(quoted, 2))
    assert "quoted" in f
    # After a closed quote the words are outside it.
    assert "quoted" not in feats(quoted, cand(quoted, 7, "ACCUSE"))
    curly = hand_doc(
        """
        “ “ PUNCT `` punct 3
        Israel Israel PROPN NNP nsubj 3
        attacked attack VERB VBD ROOT 0
        """
    )
    assert "quoted" in feats(curly, cand(curly, 2))


def test_record_fields_become_features():
    doc = hand_doc(ATTACKED + "? ? PUNCT . punct 2\n", published=dt.date(2024, 5, 10))
    e = cand(
        doc, 1,
        actors=[actor("UN", "UNO", "IGO")],
        date=DateRef("in January", "2024-01", "month", "text"),
        location=Place("Gaza", "Gaza", "PSE", None, 31.5, 34.4, 1, 0, 4, "city"),
        quantities=(Quantity("killed", 5.0, False, None, "5", 0, 1),),
        attribution=Attribution("officials said", "officials", 0, 5),
        confidence=0.42,
    )  # fmt: skip
    f = feats(doc, e, n=3)
    assert {"d=text|month", "d_old", "loc", "qty", "q=killed", "attributed", "ans", "conf=4", "nsent=3+",
            "question"} <= set(f)  # fmt: skip
    assert "noloc" not in f
    recent = feats(doc, dataclasses.replace(e, date=DateRef("May 1", "2024-05-01", "day", "text")))
    assert "d_recent" in recent and "d_old" not in recent
    week = feats(doc, dataclasses.replace(e, date=DateRef("Monday", "2024-05-06", "day", "text")))
    assert "d_week" in week
    future = feats(doc, dataclasses.replace(e, date=DateRef("June 1", "2024-06-01", "day", "text")))
    assert "d_future" in future
    # The publication date gives no age.
    published = feats(doc, dataclasses.replace(e, date=DateRef(None, "2024-05-10", "day", "published")))
    assert not {"d_old", "d_recent", "d_week", "d_future"} & set(published)


def test_a_sentence_of_newsroom_boilerplate_is_a_feature():
    doc = hand_doc(
        """
        Officials official NOUN NNS nsubj 4
        did do AUX VBD aux 4
        not not PART RB neg 4
        respond respond VERB VB ROOT 0
        to to ADP IN prep 4
        a a DET DT det 7
        Request request NOUN NN pobj 5
        for for ADP IN prep 7
        comment comment NOUN NN pobj 8
        """
    )
    assert "boilerplate" in feats(doc, cand(doc, 3, "REJECT"))
    assert "boilerplate" not in feats(hand_doc(ATTACKED), cand(hand_doc(ATTACKED), 1))


def test_sentence_position_is_bucketed():
    docs = [hand_doc(ATTACKED) for _ in range(4)]
    doc = join_docs(*docs)
    assert "pos=0+" in feats(doc, cand(doc, 1))
    assert "pos=1+" in feats(doc, cand(doc, 5))
    assert "pos=3+" in feats(doc, cand(doc, 13))


# --- pair features --------------------------------------------------------------------------------

TWO = join_docs(
    hand_doc(ATTACKED),
    hand_doc(
        """
        the the DET DT det 2
        attack attack NOUN NN nsubj 3
        killed kill VERB VBD ROOT 0
        five five NUM CD dobj 3
        """
    ),
    hand_doc(ATTACKED),
)


def day(value):
    return DateRef(value, value, "day" if value.count("-") == 2 else "month", "text")


def place(name, country, feature="city"):
    return Place(name, name, country, None, None, None, None, 0, len(name), feature)


def test_pair_features_distance_lemma_and_anaphor():
    a, b, c = cand(TWO, 1), cand(TWO, 5), cand(TWO, 9)
    ab, ac = pair_features(TWO, a, b), pair_features(TWO, a, c)
    assert {"pt=ASSAULT", "dist=1+", "pt|dist=ASSAULT|1+", "anaphor", "lead"} <= set(ab)
    assert "same_lemma" in ab  # "attacked" and "the attack"
    assert "dist=2+" in ac and "same_lemma" in ac and "anaphor" not in ac  # a verb is no anaphor
    kill = cand(TWO, 6)
    assert "same_lemma" not in pair_features(TWO, a, kill)
    same = pair_features(TWO, a, cand(TWO, 1, "COERCE"))
    assert {"same_sentence", "dist=0+", "types_differ"} <= set(same)
    assert "same_sentence" not in ab and "types_differ" not in ab


def test_a_mention_told_as_another_time_is_marked_shifted():
    doc = join_docs(
        hand_doc(ATTACKED),
        hand_doc(
            """
            days day NOUN NNS npadvmod 2
            later later ADV RB advmod 4
            rebels rebel NOUN NNS nsubj 4
            attacked attack VERB VBD ROOT 0
            """
        ),
    )
    later = cand(doc, 7)
    assert doc.tokens[later.anchor].text == "attacked"
    assert "shift" in pair_features(doc, cand(doc, 1), later)
    assert "shift" not in pair_features(TWO, cand(TWO, 1), cand(TWO, 9))


@pytest.mark.parametrize(
    ("da", "db", "relation"),
    [
        (day("2024-05-01"), day("2024-05-03"), "conflict"),
        (day("2024-05-01"), day("2024-05-01"), "eq"),
        (day("2024-05"), day("2024-05-03"), "compat"),
        (day("2024-05-01"), DateRef(None, "2024-05-09", "day", "published"), "one"),
        (DateRef(None, "2024-05-09", "day", "published"), DateRef(None, None, "unknown", "unknown"), "none"),
    ],
)
def test_pair_date_relation(da, db, relation):
    a, b = cand(TWO, 1, date=da), cand(TWO, 9, date=db)
    f = pair_features(TWO, a, b)
    assert f"date={relation}" in f
    assert [x for x in f if x.startswith("date=")] == [f"date={relation}"]


@pytest.mark.parametrize(
    ("pa", "pb", "relation"),
    [
        (place("Kyiv", "UKR"), place("Moscow", "RUS"), "conflict"),
        (place("Kyiv", "UKR"), place("Kyiv", "UKR"), "eq"),
        (place("Kyiv", "UKR"), place("Ukraine", "UKR", "country"), "within"),
        (place("Kyiv", "UKR"), place("Donetsk Oblast", "UKR", "region"), "within"),
        (place("Kyiv", "UKR"), place("Lviv", "UKR"), "sibling"),
        (place("Kyiv", "UKR"), None, "one"),
        (None, None, "none"),
    ],
)
def test_pair_place_relation(pa, pb, relation):
    f = pair_features(TWO, cand(TWO, 1, location=pa), cand(TWO, 9, location=pb))
    assert f"place={relation}" in f and f"pt|place=ASSAULT|{relation}" in f
    assert [x for x in f if x.startswith("place=")] == [f"place={relation}"]


@pytest.mark.parametrize(
    ("xs", "ys", "relation"),
    [
        ([actor("The  Army", "ISR")], [actor("the army", None)], "name"),  # folded case and spaces
        ([actor("Israel", "ISR")], [actor("Israeli troops", "ISR")], "country"),
        ([actor("Israel", "ISR")], [actor("Hezbollah", "LBN")], "disjoint"),
        ([actor("rebels")], [actor("soldiers")], "unknown"),
        ([actor("rebels")], [], "one"),
        ([], [], "none"),
    ],
)
def test_pair_actor_relation(xs, ys, relation):
    f = pair_features(TWO, cand(TWO, 1, actors=xs), cand(TWO, 9, actors=ys))
    assert f"act={relation}" in f and f"pt|act=ASSAULT|{relation}" in f and f"act|rcp={relation}|none" in f


def test_pair_roles_modality_and_numbers():
    killed = lambda v: Quantity("killed", v, False, None, str(v), 0, 1)  # noqa: E731
    a = cand(TWO, 1, actors=[actor("Israel", "ISR")], recipients=[actor("Hezbollah", "LBN")],
             quantities=(killed(5.0),))  # fmt: skip
    b = cand(TWO, 9, actors=[actor("Hezbollah", "LBN")], modality="future", quantities=(killed(5.0),))
    f = pair_features(TWO, a, b)
    assert {"role_cross", "mod=asserted|future", "qty_eq"} <= set(f) and "mod_eq" not in f
    c = cand(TWO, 9, quantities=(killed(7.0),))
    g = pair_features(TWO, a, c)
    assert {"qty_diff", "mod_eq"} <= set(g) and "role_cross" not in g and "qty_eq" not in g


# --- training helpers (no sklearn) ----------------------------------------------------------------

TEXT = "Rebels attacked Vela. Troops fought back. Rebels attacked again at dawn. Talks were held."


def gold_event(key, types, core=True, also=()):
    return {"key": key, "types": list(types), "core": core, "also": list(also)}


def span_of(phrase, text=TEXT, nth=0):
    i = -1
    for _ in range(nth + 1):
        i = text.index(phrase, i + 1)
    return Span(phrase, i, i + len(phrase))


def rec(evidence: Span, etype="ASSAULT", confidence=0.5, n=0) -> Event:
    return Event(f"r{n}", "a1", etype, None, 4, -9.0, (), "asserted", (), (), evidence, evidence, confidence)


def test_gold_mentions_finds_every_occurrence_of_key_and_also():
    ge = gold_event("Rebels attacked", ["ASSAULT"], also=["fought back", "", "absent phrase"])
    spans = T.gold_mentions(TEXT, ge)
    again, fought = TEXT.index("Rebels attacked again"), TEXT.index("fought back")
    assert sorted(spans) == [(0, 15), (fought, fought + 11), (again, again + 15)]
    assert all(TEXT[s:e] in ("Rebels attacked", "fought back") for s, e in spans)
    assert T.gold_mentions("aaa", gold_event("aa", ["X"])) == [(0, 2), (1, 3)]


def test_matches_needs_overlap_and_type():
    gold = [gold_event("Rebels attacked Vela", ["ASSAULT", "COERCE"]), gold_event("Talks were held", ["CONSULT"])]
    first = span_of("Rebels attacked Vela.")
    assert T.matches(rec(first), TEXT, gold) == {0}
    assert T.matches(rec(first, "COERCE"), TEXT, gold) == {0}
    assert T.matches(rec(first, "CONSULT"), TEXT, gold) == set()  # overlap, wrong type
    assert T.matches(rec(span_of("Troops fought back.")), TEXT, gold) == set()  # type, no overlap
    # Touching is not overlapping: evidence ending where the gold phrase starts.
    talks = TEXT.index("Talks")
    assert T.matches(rec(Span("x", talks - 5, talks), "CONSULT"), TEXT, gold) == set()
    assert T.matches(rec(Span("x", talks - 5, talks + 1), "CONSULT"), TEXT, gold) == {1}


def test_record_labels_credit_the_first_match_of_a_core_event_only():
    gold = {"a1": {"events": [
        gold_event("Rebels attacked", ["ASSAULT"]),                  # 0 core, told twice
        gold_event("Troops fought back", ["ASSAULT"], core=False),   # 1 borderline
        gold_event("Talks were held", ["CONSULT"]),                  # 2 core
        gold_event("were held", ["CONSULT"], core=False),            # 3 borderline, inside 2
    ]}}  # fmt: skip
    events = (
        rec(span_of("Rebels attacked again at dawn."), confidence=0.6, n=2),  # duplicate of 0 (later in text)
        rec(span_of("Rebels attacked Vela."), confidence=0.9, n=1),  # first match of 0
        rec(span_of("Troops fought back."), confidence=0.7, n=3),  # only the borderline 1: left out
        rec(span_of("Talks were held."), "CONSULT", confidence=0.8, n=4),  # core 2 preferred over borderline 3
        rec(span_of("Talks were held."), "AID", confidence=0.3, n=5),  # matches nothing
    )
    doc = Doc(Article(TEXT, id="a1"), events=events)
    assert sorted(T.record_labels([doc], gold)) == sorted([(0.9, 1), (0.6, 0), (0.8, 1), (0.3, 0)])


def test_examples_label_candidates_and_same_type_pairs():
    s1 = hand_doc(ATTACKED)
    s2 = hand_doc(
        """
        Troops troop NOUN NNS nsubj 2
        fought fight VERB VBD ROOT 0
        back back ADV RB advmod 2
        """
    )
    doc = join_docs(s1, s2, s1, s2)
    doc = doc.replace(article=dataclasses.replace(doc.article, id="a1"))
    # Sentences: 0 "Israel attacked Lebanon ." (tokens 0-3), 1 "Troops fought back" (4-6), 2 = 0, 3 = 1.
    evs = (cand(doc, 1), cand(doc, 5), cand(doc, 8), cand(doc, 12), cand(doc, 1, "AID"))
    doc = doc.replace(events=evs)
    gold = {"a1": {"events": [
        {"key": "Israel attacked Lebanon", "types": ["ASSAULT"], "core": True},
        {"key": "Troops fought back", "types": ["ASSAULT"], "core": False},
    ]}, "other": {"events": []}}  # fmt: skip
    ev, pairs = T.examples([doc, Doc(Article("no gold", id="nogold"))], gold)
    # The two borderline-only candidates are neither credited nor charged.
    assert [e.label for e in ev] == [1, 1, 0]
    assert all(e.article == "a1" for e in ev) and "t=AID" in ev[2].features
    # Pairs of same-type candidates that both match (the borderline ones too): label 1 when they
    # match the same gold event, (s0, s2) and (s1, s3); the unmatched AID candidate pairs with none.
    by_sentences = sorted(
        ((next(x for x in p.features if x.startswith("dist=")), p.label) for p in pairs)
    )
    assert len(pairs) == 6  # every pair of the four matching ASSAULT candidates
    assert sum(p.label for p in pairs) == 2  # (s0, s2) and (s1, s3)
    assert ("dist=2+", 1) in by_sentences


def test_calibration_table_counts_records_by_band():
    table = T.calibration_table([(0.95, 1), (0.92, 0), (0.55, 1), (0.1, 0)])
    lines = table.splitlines()
    assert lines[0].startswith("confidence")
    assert lines[1].split() == ["0.0-0.3", "1", "0", "0.00"]
    assert lines[2].split() == ["0.5-0.6", "1", "1", "1.00"]
    assert lines[3].split() == ["0.9-1.0", "2", "1", "0.50"]
    assert len(lines) == 4  # empty bands are left out


# --- fitting (sklearn) ----------------------------------------------------------------------------


def test_fit_learns_the_sign_of_decisive_features():
    pytest.importorskip("sklearn", reason="fit needs scikit-learn (pip install lapwing[train])")
    rows = [T.Example("a", ["good", "common"], 1) for _ in range(20)]
    rows += [T.Example("b", ["bad", "common"], 0) for _ in range(20)]
    m = T.fit(rows, c=1.0)
    assert m.weights["good"] > 0 > m.weights["bad"]
    assert m.probability(["good", "common"]) > 0.8 > 0.2 > m.probability(["bad", "common"])


def test_fit_of_one_class_is_a_constant_model():
    pytest.importorskip("sklearn", reason="fit needs scikit-learn (pip install lapwing[train])")
    pos = T.fit([T.Example("a", ["x"], 1)] * 3, c=1.0)
    neg = T.fit([T.Example("a", ["x"], 0)] * 3, c=1.0)
    assert pos.weights == {} and pos.bias > 0 and neg.bias < 0
    assert T.fit([], c=1.0).probability(["x"]) == 0.5


def test_fit_calibration_corrects_overconfident_scores():
    pytest.importorskip("sklearn", reason="fit_calibration needs scikit-learn (pip install lapwing[train])")
    # Scores of 0.9 right half the time, scores of 0.6 right a tenth of the time.
    labelled = [(0.9, 1)] * 50 + [(0.9, 0)] * 50 + [(0.6, 1)] * 10 + [(0.6, 0)] * 90
    a, b = T.fit_calibration(labelled)
    m = model(calibration=(a, b))
    assert a > 0
    assert m.calibrated(0.9) == pytest.approx(0.5, abs=0.05)
    assert m.calibrated(0.6) == pytest.approx(0.1, abs=0.05)
    assert T.fit_calibration([(0.7, 1), (0.2, 1)]) == (1.0, 0.0)  # one class: the identity
