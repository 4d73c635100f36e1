"""`lapwing eval`: gold loaders, scoring maths, report, floors. Events are built by hand."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import shared_path

from lapwing.errors import GoldError
from lapwing.eval import (
    EvalResult,
    GoldEvent,
    GoldItem,
    check_floors,
    evaluate,
    format_report,
    load_gold,
    normalize_country,
    primary_event,
    run_eval,
    score_predictions,
    to_dict,
)
from lapwing.records import Actor, Event, Span

# --- helpers ------------------------------------------------------------------------------------


def ev(event_type, conf=0.5, start=0, actors=(), recipients=(), mode=None) -> Event:
    def actor(code):
        return Actor(text=code, name=code, country=code, sector=None, start=0, end=0)

    return Event(
        id=f"{event_type}-{start}-{conf}",
        article_id="a",
        event_type=event_type,
        mode=mode,
        quad=1,
        intensity=0.0,
        contexts=(),
        modality="asserted",
        actors=tuple(actor(c) for c in actors),
        recipients=tuple(actor(c) for c in recipients),
        trigger=Span("said", start, start + 4),
        evidence=Span("said", start, start + 4),
        confidence=conf,
    )


def gold(item_id, *events) -> GoldItem:
    return GoldItem(id=item_id, text=f"text of {item_id}", published=None, events=tuple(events))


def g(event_type, actors=(), recipients=()) -> GoldEvent:
    return GoldEvent(event_type, None, tuple(actors), tuple(recipients))


def write_gsr(tmp_path, records, name="gsr.json"):
    header = {"id": "X-DOCUMENT-0001", "event": "DOCUMENT", "eventText": "header"}
    path = tmp_path / name
    path.write_text(json.dumps([header, *records]), encoding="utf-8")
    return path


def gsr_record(rid, event, text="The ministers met.", **extra):
    return {"id": rid, "date": "2000-01-01", "event": event, "text": text, "eventText": "met", **extra}


def write_jsonl(tmp_path, lines, name="gold.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    return path


# --- loaders ------------------------------------------------------------------------------------


def test_gsr_loader_maps_types_actors_and_skips_header(tmp_path):
    path = write_gsr(
        tmp_path,
        [
            gsr_record("G-1", "DEMAND", source=[{"actorText": "Tokyo", "code": "JAP"}], target=""),
            gsr_record("G-2", "DISAPPROVE", source=[{"actorText": "Rome", "code": "ITL", "sector": "GOV"}]),
            gsr_record("G-3", "INVESTIGATE", mode="", target=[{"actorText": "Hanoi", "code": "VTN"}]),
            gsr_record("G-4", "FIGHT", mode="heavy-weapons", source=[{"actorText": "x", "code": "USA"}],
                       target=[{"actorText": "y", "code": "ZZQ"}, {"actorText": "z", "code": "IGO"}]),
            gsr_record("G-5", "AGREE", target="diplomatic"),
        ],
    )  # fmt: skip
    items = load_gold(path)
    assert [i.id for i in items] == ["G-1", "G-2", "G-3", "G-4", "G-5"]
    types = [(i.events[0].event_type, i.events[0].mode) for i in items]
    assert types == [("REQUEST", None), ("ACCUSE", None), ("ACCUSE", "investigate"), ("ASSAULT", "heavy-weapons"),
                     ("AGREE", None)]  # fmt: skip
    assert items[0].events[0].actor_countries == ("JPN",) and items[0].events[0].recipient_countries == ()
    assert items[1].events[0].actor_countries == ("ITA",)
    assert items[2].events[0].recipient_countries == ("VNM",) and items[2].events[0].actor_countries == ()
    assert items[3].events[0].recipient_countries == ("IGO",)
    assert items[3].events[0].unmapped_codes == ("ZZQ",)
    assert items[4].events[0].recipient_countries == ()
    assert all(i.published is None for i in items)
    assert items[0].events[0].trigger == "met"


def test_gsr_duplicate_ids_are_kept_apart(tmp_path):
    path = write_gsr(tmp_path, [gsr_record("G-1", "AGREE"), gsr_record("G-1", "REJECT", text="They refused.")])
    items = load_gold(path)
    assert [i.id for i in items] == ["G-1", "G-1#2"]


def test_jsonl_loader(tmp_path):
    path = write_jsonl(
        tmp_path,
        [
            {"id": "a1", "text": "Troops shelled the town.", "published": "2024-03-05",
             "events": [{"event_type": "ASSAULT", "mode": "heavy-weapons", "actors": ["rus"],
                         "recipients": ["UKR", "UKR"], "trigger": "shelled"}]},
            "",
            {"id": 7, "text": "Nothing happened today.", "events": []},
        ],
    )  # fmt: skip
    first, second = load_gold(path)
    assert first.published == dt.date(2024, 3, 5)
    assert first.events == (GoldEvent("ASSAULT", "heavy-weapons", ("RUS",), ("UKR",), "shelled"),)
    assert second.id == "7" and second.events == () and second.published is None


@pytest.mark.parametrize(
    ("code", "expected"),
    [("JAP", "JPN"), ("ITL", "ITA"), ("VTN", "VNM"), ("ROM", "ROU"), ("usa", "USA"), ("PSE", "PSE"),
     ("XKX", "XKX"), ("IGO", "IGO"), ("ZZQ", None), ("", None)],
)  # fmt: skip
def test_normalize_country(code, expected):
    assert normalize_country(code) == expected


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"id": "a", "text": "x", "events": []}\n{"id": "b", "text": ', "line 2"),
        ('{"id": "a", "text": "x", "events": [{"event_type": "FIGHT"}]}', "write 'ASSAULT'"),
        ('{"id": "a", "text": "x", "events": [{"event_type": "DANCE"}]}', "unknown event type 'DANCE'"),
        ('{"id": "a", "text": "x", "events": [{"event_type": "AID", "actors": ["QQQ"]}]}', "'QQQ'"),
        ('{"id": "a", "text": "x", "events": [{"event_type": "AID", "actors": "USA"}]}', "list of country codes"),
        ('{"id": "a", "text": "", "events": []}', "'text'"),
        ('{"id": "a", "text": "x"}', "'events' must be a list"),
        ('{"id": "a", "text": "x", "events": [], "published": "March 5"}', "YYYY-MM-DD"),
        ('{"id": "a", "text": "x", "events": [], "extra": 1}', "unknown field(s) extra"),
        ('{"id": "a", "text": "x", "events": []}\n{"id": "a", "text": "y", "events": []}', "occurs twice"),
        ("", "neither a JSON list"),
        ("id,text\n", "neither a JSON list"),
        ('[{"id": "X", "event": "DOCUMENT"}]', "holds no gold items"),
        ('[{"id": "G", "event": "AGREE"}]', "record 0 (id 'G'): missing or empty 'text'"),
        ('[{"id": "G", "event": "AGREE", "text": "t", "source": {"code": "USA"}}]', "'source' must be a list"),
        ('[{"id": "G", "event": "AGREE", "text": "t", "source": [{"actorText": "x"}]}]', "has no 'code'"),
        ('[{"id": "G", "event": "AGREE", "text": "t"},]', "invalid JSON"),
    ],
)
def test_bad_gold_files_raise_gold_error(tmp_path, content, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GoldError) as err:
        load_gold(path)
    assert message in str(err.value)
    assert str(path) in str(err.value)


def test_missing_gold_file_raises_gold_error(tmp_path):
    with pytest.raises(GoldError, match="cannot read"):
        load_gold(tmp_path / "absent.json")


def test_real_gsr_file_loads():
    items = load_gold(shared_path("data", "plover", "PLOVER_GSR_CAMEO.json"))
    assert len(items) == 322
    assert len({i.id for i in items}) == 322
    types = {e.event_type for i in items for e in i.events}
    assert types <= {"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
                     "REJECT", "THREATEN", "SANCTION", "PROTEST", "MOBILIZE", "COERCE", "ASSAULT"}  # fmt: skip
    codes = {c for i in items for e in i.events for c in (*e.actor_countries, *e.recipient_countries)}
    assert "JPN" in codes and "JAP" not in codes
    assert sum(len(e.unmapped_codes) for i in items for e in i.events) == 0


# --- scoring ------------------------------------------------------------------------------------


def test_primary_event_prefers_confidence_then_earliest_trigger():
    late_high = ev("ASSAULT", conf=0.9, start=50)
    early_low = ev("ACCUSE", conf=0.4, start=0)
    assert primary_event([early_low, late_high]) is late_high
    tie_late = ev("ASSAULT", conf=0.7, start=30)
    tie_early = ev("REJECT", conf=0.7, start=10)
    assert primary_event([tie_late, tie_early]) is tie_early
    assert primary_event([]) is None


def test_perfect_scores():
    items = [gold("1", g("AGREE", ["USA"], ["CHN"])), gold("2", g("ASSAULT", ["RUS"], ["UKR"]))]
    preds = [[ev("AGREE", actors=["USA"], recipients=["CHN"])], [ev("ASSAULT", actors=["RUS"], recipients=["UKR"])]]
    result = score_predictions(items, preds)
    for scores in (result.primary, result.set):
        assert scores.micro_f1 == 1.0 and scores.macro_f1 == 1.0
    assert result.countries.actor == 1.0 and result.countries.recipient == 1.0 and result.countries.combined == 1.0
    assert result.misses == ()
    assert result.confusion == {"AGREE": {"AGREE": 1}, "ASSAULT": {"ASSAULT": 1}}


def test_all_wrong_counts_fp_for_predicted_and_fn_for_gold():
    items = [gold("1", g("AGREE")), gold("2", g("AGREE")), gold("3", g("REJECT"))]
    preds = [[ev("REJECT")], [ev("ASSAULT")], [ev("AGREE")]]
    result = score_predictions(items, preds)
    p = result.primary
    assert p.micro_f1 == 0.0 and p.macro_f1 == 0.0
    assert (p.get("AGREE").tp, p.get("AGREE").fp, p.get("AGREE").fn) == (0, 1, 2)
    assert (p.get("REJECT").fp, p.get("REJECT").fn) == (1, 1)
    assert (p.get("ASSAULT").fp, p.get("ASSAULT").support) == (1, 0)
    assert result.confusion == {"AGREE": {"REJECT": 1, "ASSAULT": 1}, "REJECT": {"AGREE": 1}}
    assert len(result.misses) == 3
    assert result.countries.actor is None  # nothing matched, nothing to measure


def test_missing_predictions_make_micro_f1_differ_from_accuracy():
    items = [gold(str(k), g("PROTEST")) for k in range(4)]
    preds = [[ev("PROTEST")], [ev("PROTEST")], [], [ev("COERCE")]]
    p = score_predictions(items, preds).primary
    # accuracy would be 2/4; micro P = 2/3 (three predictions), R = 2/4
    assert p.micro_precision == pytest.approx(2 / 3)
    assert p.micro_recall == pytest.approx(0.5)
    assert p.micro_f1 == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))
    assert p.get("PROTEST").fn == 2
    # macro is over gold types only: COERCE (never gold) does not drag it down
    assert p.macro_f1 == pytest.approx(p.get("PROTEST").f1)
    result = score_predictions(items, preds)
    assert result.confusion["PROTEST"] == {"PROTEST": 2, "NONE": 1, "COERCE": 1}


def test_extra_events_hurt_set_precision_only():
    items = [gold("1", g("ASSAULT", ["ISR"], ["PSE"]))]
    preds = [
        [ev("ACCUSE", conf=0.3, start=40), ev("ASSAULT", conf=0.8, start=10, actors=["ISR"]), ev("ASSAULT", 0.2, 60)]
    ]
    result = score_predictions(items, preds)
    assert result.primary.micro_f1 == 1.0
    s = result.set
    assert (s.tp, s.fp, s.fn) == (1, 2, 0)
    assert s.micro_precision == pytest.approx(1 / 3) and s.micro_recall == 1.0
    assert result.items[0].set_pairs == ((0, 1),)  # the ASSAULT sharing a country is matched
    assert not result.items[0].miss  # primary-scored items miss only on a wrong primary type


def test_set_matching_prefers_country_overlap_and_counts_fn():
    item = gold("1", g("ASSAULT", ["RUS"], ["UKR"]), g("ASSAULT", ["SDN"], []), g("AID", ["USA"], []))
    preds = [[ev("ASSAULT", actors=["SDN"]), ev("ASSAULT", actors=["RUS"], recipients=["UKR"])]]
    result = score_predictions([item], preds)
    assert result.items[0].set_pairs == ((0, 1), (1, 0))
    assert (result.set.tp, result.set.fp, result.set.fn) == (2, 0, 1)
    assert result.set.get("AID").fn == 1
    # several gold events: primary scoring is undefined, so the item is left out of it
    assert result.primary_scored == 0 and result.primary.per_type == ()
    assert result.items[0].miss  # set FN makes it a miss


def test_item_without_gold_event_counts_prediction_as_fp():
    items = [gold("1"), gold("2", g("AID"))]
    preds = [[ev("AID")], [ev("AID")]]
    result = score_predictions(items, preds)
    assert result.primary.get("AID").fp == 1 and result.primary.get("AID").tp == 1
    assert result.confusion["NONE"] == {"AID": 1}


def test_country_accuracy_by_role_and_role_free():
    items = [
        gold("1", g("CONSULT", ["RUS"], ["JPN"])),  # roles swapped by the engine
        gold("2", g("AID", ["USA", "GBR"], ["UKR"])),  # one actor missed
        gold("3", g("REJECT", ["FRA"], ["DEU"])),  # wrong type: not counted
    ]
    preds = [
        [ev("CONSULT", actors=["JPN"], recipients=["RUS"])],
        [ev("AID", actors=["USA"], recipients=["UKR"])],
        [ev("ACCUSE", actors=["FRA"], recipients=["DEU"])],
    ]
    c = score_predictions(items, preds).countries
    assert (c.actor_correct, c.actor_total) == (1, 3)
    assert (c.recipient_correct, c.recipient_total) == (1, 2)
    assert c.combined == pytest.approx(2 / 5)
    assert (c.role_free_correct, c.role_free_total) == (4, 5)


def test_evaluate_calls_extract_per_item():
    items = [gold("1", g("AGREE")), gold("2", g("SUPPORT"))]
    seen = []

    def fake(item):
        seen.append(item.id)
        return [ev("AGREE")]

    result = evaluate(items, fake)
    assert seen == ["1", "2"]
    assert result.primary.micro_f1 == 0.5 and result.seconds >= 0


# --- floors, report, run_eval ---------------------------------------------------------------------


def _mixed_result() -> EvalResult:
    items = [gold("1", g("AGREE", ["USA"])), gold("2", g("ASSAULT", ["RUS"], ["UKR"]))]
    return score_predictions(items, [[ev("AGREE", actors=["USA"])], [ev("COERCE", actors=["RUS"])]], seconds=2.0)


def test_check_floors():
    result = _mixed_result()
    assert check_floors(result, {"primary.micro_f1": 0.5, "countries.actor": 1.0, "primary.f1.AGREE": 1.0}) == []
    failures = check_floors(result, {"primary.micro_f1": 0.6, "primary.f1.ASSAULT": 0.1, "countries.recipient": 0.5})
    assert len(failures) == 3
    assert "primary.micro_f1 = 0.500 is below its floor 0.600" in failures[0]
    assert "not measured" in failures[2]
    assert check_floors(result, {"primary.f1.MOBILIZE": 0.1}) == [
        "primary.f1.MOBILIZE = 0.000 is below its floor 0.100"
    ]
    assert "unknown metric 'primary.f1.DANCE'" in check_floors(result, {"primary.f1.DANCE": 0.1})[0]


def test_text_report_and_json():
    result = _mixed_result()
    text = format_report(result, errors=5)
    assert "2 items, 2 gold events, 2 predicted events, 1 misses; 2.0 s, 1.0 items/s" in text
    assert "  AGREE    1.000  1.000  1.000        1" in text
    assert "  micro    0.500  0.500  0.500        2" in text
    assert "First 1 of 1 misses" in text and "[2] text of 2" in text
    assert "gold:      ASSAULT  RUS -> UKR" in text and "predicted: *COERCE  RUS -> -" in text
    data = json.loads(json.dumps(to_dict(result, errors=1)))
    assert data["primary"]["micro"]["f1"] == 0.5
    assert data["confusion"]["ASSAULT"] == {"COERCE": 1}
    assert data["errors"][0]["predicted"][0]["primary"] is True
    assert result.to_dict()["counts"]["misses"] == 1


def test_run_eval_with_fake_extract(tmp_path):
    path = write_jsonl(
        tmp_path,
        [{"id": "a", "text": "Police arrested protesters.", "events": [{"event_type": "COERCE", "actors": ["EGY"]}]},
         {"id": "b", "text": "Crowds marched.", "events": [{"event_type": "PROTEST"}]}],
    )  # fmt: skip
    fake = {"a": [ev("COERCE", actors=["EGY"])], "b": []}
    text, result = run_eval(path, extract=lambda item: fake[item.id])
    assert result.primary.micro_precision == 1.0 and result.primary.micro_recall == 0.5
    assert "Primary event" in text
    out, _ = run_eval(path, as_json=True, errors=3, extract=lambda item: fake[item.id])
    data = json.loads(out)
    assert data["counts"]["items"] == 2 and data["errors"][0]["id"] == "b"


def test_predicted_un_satisfies_gold_igo_but_not_the_reverse():
    items = [gold("1", g("AID", ["IGO"], ["LBR"])), gold("2", g("AID", ["UNO"], ["SDN"]))]
    preds = [[ev("AID", actors=["UNO"], recipients=["LBR"])], [ev("AID", actors=["IGO"], recipients=["SDN"])]]
    c = score_predictions(items, preds).countries
    assert (c.actor_correct, c.actor_total) == (1, 2)
