"""`lapwing eval` on article gold: loading, the matching, each field rule, report, floors, CLI.

Every text here is written for the test; events are built by hand (no spaCy model). The last test
checks the figures against the project's reference scorer on the shared VOA gold when it is there.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

from lapwing.cli import main
from lapwing.doc import Doc
from lapwing.errors import GoldError
from lapwing.eval import (
    ArticleEvalResult,
    ArticleGold,
    article_to_dict,
    check_floors,
    format_article_report,
    is_article_gold,
    load_article_gold,
    load_gold,
    run_eval,
    score_articles,
)
from lapwing.records import Actor, DateRef, Event, Place, Quantity, Span

SHARED = Path(__file__).resolve().parents[2] / "shared"

# --- a small hand-written article and its gold ---------------------------------------------------

A1 = (
    "Rebels attacked the river town of Port Vela on Monday, killing 12 soldiers. "
    "The army said the rebels attacked at dawn from the hills. "
    "Governor Ana Ruiz condemned the attack and urged calm. "
    "Envoys from both sides met in the capital to discuss a truce. "
    "The weather stayed mild all week."
)
B1 = "Relief agencies flew tents to the flooded valley on Friday. Nothing else happened there."


def happening(key, types, core=True, also=(), **fields):
    base = {"id": f"E-{key[:6]}", "core": core, "key": key, "also": list(also), "types": list(types),
            "mode": None, "modality": "asserted", "actors": [], "recipients": [], "date": None, "place": None,
            "quantities": {}, "negotiation": None}  # fmt: skip
    return {**base, **fields}


def party(country, text="someone"):
    return {"text": text, "country": country, "sector": None}


ASSAULT_E1 = happening(
    "Rebels attacked the river town of Port Vela", ["ASSAULT"], also=["the rebels attacked at dawn"],
    actors=[party("IMG", "Rebels")], recipients=[party("MLI", "soldiers")], date="2024-05-06",
    place={"name": "Port Vela", "country": "MLI"}, quantities={"killed": 12},
)  # fmt: skip
ACCUSE_E2 = happening("Governor Ana Ruiz condemned the attack", ["ACCUSE"], actors=[party("MLI")])
REQUEST_E3 = happening("urged calm", ["REQUEST", "ACCUSE"])
CONSULT_E4 = happening("Envoys from both sides met in the capital", ["CONSULT", "AGREE"], core=False)
AID_B1 = happening("Relief agencies flew tents", ["AID"])


def write_files(tmp_path, gold_lines, texts, gold_name="gold.jsonl", articles_name="articles.jsonl"):
    """Write an article-gold file and its articles file; returns (gold path, articles path)."""
    gold = tmp_path / gold_name
    gold.write_text("\n".join(json.dumps(g) for g in gold_lines) + "\n", encoding="utf-8")
    articles = tmp_path / articles_name
    rows = [{"id": aid, "title": f"story {aid}", "published": "2024-05-07 09:00:00Z", "text": text}
            for aid, text in texts.items()]  # fmt: skip
    articles.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return gold, articles


def gold_items(tmp_path, events_by_article, texts=None):
    texts = texts or {"a1": A1, "b1": B1}
    lines = [{"id": aid, "published": "2024-05-07", "events": evs} for aid, evs in events_by_article.items()]
    return load_article_gold(*write_files(tmp_path, lines, {aid: texts[aid] for aid in events_by_article}))


def ev(text, event_type, words, *, actors=(), recipients=(), date=None, place=None, quantities=(),
       modality="asserted", evidence=True, article_id="a1") -> Event:  # fmt: skip
    """An Event whose evidence is the first occurrence of `words` (trigger: its first word)."""
    start = text.index(words)
    first = words.split()[0]

    def actor(code):
        return Actor(text=code, name=code, country=code, sector=None, start=0, end=0)

    loc = None
    if place is not None:
        name, words_in_text = place
        loc = Place(text=words_in_text, name=name, country=None, admin1=None, lat=None, lon=None, geonameid=None,
                    start=0, end=0)  # fmt: skip
    return Event(
        id=f"{event_type}-{start}",
        article_id=article_id,
        event_type=event_type,
        mode=None,
        quad=1,
        intensity=0.0,
        contexts=(),
        modality=modality,
        actors=tuple(actor(c) for c in actors),
        recipients=tuple(actor(c) for c in recipients),
        trigger=Span(first, start, start + len(first)),
        evidence=Span(words, start, start + len(words)) if evidence else None,  # type: ignore[arg-type]
        confidence=0.5,
        date=DateRef(text=None, value=date, granularity="day", basis="text"),
        location=loc,
        quantities=tuple(Quantity(k, v, False, None, str(v), 0, 0) for k, v in quantities),
    )


# --- loading --------------------------------------------------------------------------------------


def test_loader_joins_gold_with_texts_and_detects_by_content(tmp_path):
    lines = [{"id": "a1", "published": "2024-05-06", "events": [ASSAULT_E1, CONSULT_E4]}]
    gold, articles = write_files(tmp_path, lines, {"a1": A1, "zz": "An article the gold does not code."},
                                 gold_name="coded.txt")  # fmt: skip
    assert is_article_gold(gold) and not is_article_gold(articles)
    (item,) = load_article_gold(gold, articles)
    assert isinstance(item, ArticleGold) and item.id == "a1" and item.text == A1
    assert str(item.published) == "2024-05-07"  # the articles file's date, as `lapwing extract` reads it
    e1, e4 = item.events
    assert e1.types == ("ASSAULT",) and e1.also == ("the rebels attacked at dawn",) and e1.core
    assert e1.actors[0].country == "IMG" and e1.place.name == "Port Vela" and e1.quantities == (("killed", 12.0),)
    assert e4.types == ("CONSULT", "AGREE") and not e4.core


def test_missing_articles_option_is_a_one_line_error_naming_the_gold(tmp_path):
    gold, _ = write_files(tmp_path, [{"id": "a1", "events": [ASSAULT_E1]}], {"a1": A1})
    for call in (lambda: run_eval(gold, extract=lambda item: []), lambda: load_gold(gold)):
        with pytest.raises(GoldError) as exc:
            call()
        message = str(exc.value)
        assert str(gold) in message and "--articles" in message and "\n" not in message


def test_gold_id_absent_from_articles_names_the_id_and_both_files(tmp_path):
    gold, articles = write_files(tmp_path, [{"id": "a1", "events": [ASSAULT_E1]}], {"other": B1})
    with pytest.raises(GoldError) as exc:
        load_article_gold(gold, articles)
    message = str(exc.value)
    assert "'a1'" in message and str(gold) in message and str(articles) in message and "\n" not in message


def test_articles_option_on_other_gold_is_refused(tmp_path):
    gold = tmp_path / "plain.jsonl"
    gold.write_text(json.dumps({"id": "x", "text": "Police arrested protesters.", "events": []}) + "\n")
    with pytest.raises(GoldError, match="not article gold"):
        run_eval(gold, articles=tmp_path / "whatever.jsonl", extract=lambda item: [])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"types": ["DANCE"]}, "unknown event type 'DANCE'"),
        ({"types": ["FIGHT"]}, "PLOVER v0.5 name"),
        ({"core": "yes"}, "'core' must be true or false"),
        ({"key": ""}, "'key' must be the words"),
        ({"quantities": {"killed": "many"}}, "quantity 'killed' must be a number"),
        ({"modality": "maybe"}, "'modality' 'maybe' is not one of"),
        ({"place": {"country": "MLI"}}, "'place' must be null or {name, country}"),
    ],
)
def test_malformed_gold_names_line_and_event(tmp_path, change, message):
    gold, articles = write_files(tmp_path, [{"id": "a1", "events": [{**ASSAULT_E1, **change}]}], {"a1": A1})
    with pytest.raises(GoldError, match=message) as exc:
        load_article_gold(gold, articles)
    assert f"{gold}: line 1: event 0" in str(exc.value)


def test_articles_file_problems_are_gold_errors(tmp_path):
    gold, articles = write_files(tmp_path, [{"id": "a1", "events": []}], {"a1": A1})
    with pytest.raises(GoldError, match="no such articles file"):
        load_article_gold(gold, tmp_path / "absent.jsonl")
    articles.write_text('{"id": "a1", "text": "one"}\n{"id": "a1", "text": "two"}\n', encoding="utf-8")
    with pytest.raises(GoldError, match="'a1' occurs twice"):
        load_article_gold(gold, articles)


# --- the matching ---------------------------------------------------------------------------------


def test_hits_duplicates_neutral_wrong_type_no_event_and_misses(tmp_path):
    items = gold_items(tmp_path, {"a1": [ASSAULT_E1, ACCUSE_E2, REQUEST_E3, CONSULT_E4], "b1": [AID_B1]})
    a1 = [
        ev(A1, "ASSAULT", "the rebels attacked at dawn"),  # listed first but later in the text: duplicate
        ev(A1, "ASSAULT", "Rebels attacked the river town"),  # hit on E1
        ev(A1, "PROTEST", "Governor Ana Ruiz condemned"),  # meets E2 with a wrong type
        ev(A1, "ACCUSE", "urged calm"),  # hit on E3 by its second acceptable type
        ev(A1, "AGREE", "Envoys from both sides met"),  # meets only the non-core E4: neutral
        ev(A1, "AID", "The weather stayed mild"),  # meets nothing
    ]
    result = score_articles(items, [a1, []])
    assert (result.articles, result.gold_core, result.coded) == (2, 4, 6)
    assert (result.hits, result.neutral, result.duplicates, result.wrong_type, result.no_event) == (2, 1, 1, 1, 1)
    assert result.charged == 5 and result.missed == 2
    assert result.precision == 2 / 5 and result.recall == 2 / 4
    assert result.f1 == pytest.approx(2 * 0.4 * 0.5 / 0.9)
    assert (result.duplicate_rate, result.wrong_type_rate, result.no_event_rate) == (0.2, 0.2, 0.2)
    kinds = [(e.article_id, e.label, e.event_type) for e in result.errors]
    assert kinds == [
        ("a1", "duplicate", "ASSAULT"),
        ("a1", "wrong type (gold ACCUSE)", "PROTEST"),
        ("a1", "no event", "AID"),
        ("a1", "missed", "ACCUSE"),
        ("b1", "missed", "AID"),
    ]
    assert result.errors[0].words == "the rebels attacked at dawn"
    assert result.errors[-1].words == "Relief agencies flew tents"
    per_type = {s.event_type: (s.gold, s.hit, s.false) for s in result.per_type}
    # Hits count under the gold's preferred type (REQUEST), false alarms under the coded type.
    assert per_type == {"AID": (1, 0, 1), "REQUEST": (1, 1, 0), "ACCUSE": (1, 0, 0), "PROTEST": (0, 0, 1),
                        "ASSAULT": (1, 1, 1)}  # fmt: skip
    assert [s.event_type for s in result.per_type] == ["AID", "REQUEST", "ACCUSE", "PROTEST", "ASSAULT"]
    assert result.per_type[-1].precision == 0.5 and result.per_type[-1].recall == 1.0


def test_a_second_match_of_a_non_core_happening_is_a_duplicate(tmp_path):
    items = gold_items(tmp_path, {"a1": [CONSULT_E4]})
    result = score_articles(items, [[ev(A1, "CONSULT", "Envoys from"), ev(A1, "CONSULT", "both sides met")]])
    assert (result.neutral, result.duplicates, result.charged) == (1, 1, 1)
    assert result.precision == 0.0 and result.recall == 0.0  # no core gold: nothing to recall


def test_core_happening_is_credited_before_a_borderline_one_in_the_same_words(tmp_path):
    borderline = happening("Rebels attacked the river town", ["ASSAULT"], core=False)
    items = gold_items(tmp_path, {"a1": [borderline, ASSAULT_E1]})
    result = score_articles(items, [[ev(A1, "ASSAULT", "Rebels attacked")]])
    assert (result.hits, result.neutral) == (1, 0)


def test_evidence_sentence_overlap_decides_and_trigger_stands_in_without_evidence(tmp_path):
    items = gold_items(tmp_path, {"a1": [ASSAULT_E1]})
    # The whole first sentence overlaps the key even though the event's words are not the key's.
    whole = ev(A1, "ASSAULT", "Rebels attacked the river town of Port Vela on Monday, killing 12 soldiers.")
    assert score_articles(items, [[whole]]).hits == 1
    assert score_articles(items, [[ev(A1, "ASSAULT", "killing 12 soldiers")]]).no_event == 1
    no_evidence = ev(A1, "ASSAULT", "the rebels attacked at dawn", evidence=False)
    assert score_articles(items, [[no_evidence]]).hits == 1  # its trigger "the" lies in an also-phrase


def test_every_occurrence_of_a_phrase_is_a_mention_and_unfound_phrases_are_reported(tmp_path):
    text = "Troops fired shots. Calm returned. Troops fired shots."
    gold = happening("Troops fired shots", ["ASSAULT"], also=["a phrase the text lacks"])
    items = gold_items(tmp_path, {"a1": [gold]}, texts={"a1": text})
    later = dataclasses.replace(ev(text, "ASSAULT", "Calm"), evidence=Span("Troops", 35, 41))
    result = score_articles(items, [[later]])
    assert result.hits == 1
    assert result.unfound_phrases == (("a1", gold["id"], "a phrase the text lacks"),)
    assert "gold phrases not found" in format_article_report(result)


def test_predictions_must_pair_with_items(tmp_path):
    items = gold_items(tmp_path, {"a1": [ASSAULT_E1]})
    with pytest.raises(Exception, match="1 gold articles but 0 predictions"):
        score_articles(items, [])


# --- the field rules (on hits) ---------------------------------------------------------------------

PLACE_TEXT = "Troops shelled the hamlet of Saint-Éloi in Charlevoix, Québec, on Tuesday, killing 3 people."


def judged(tmp_path, gold_fields, **event_fields):
    """{field: (right, total)} after one hit on a gold ASSAULT with `gold_fields`."""
    gold = happening("Troops shelled the hamlet", ["ASSAULT"], **gold_fields)
    items = gold_items(tmp_path, {"a1": [gold]}, texts={"a1": PLACE_TEXT})
    result = score_articles(items, [[ev(PLACE_TEXT, "ASSAULT", "Troops shelled", **event_fields)]])
    assert result.hits == 1
    return {f.name: (f.right, f.total) for f in result.fields}


def test_actors_need_every_gold_country_among_the_coded(tmp_path):
    gold = {"actors": [party("USA"), party("IRQ"), party(None)], "recipients": [party(None)]}
    assert judged(tmp_path, gold, actors=["USA"])["actor"] == (0, 1)
    assert judged(tmp_path, gold, actors=["IRQ", "USA", "GBR"])["actor"] == (1, 1)
    assert judged(tmp_path, gold, actors=["IRQ"], recipients=["USA"])["actor"] == (0, 1)
    assert judged(tmp_path, gold, actors=["USA", "IRQ"])["recipient"] == (0, 0)  # no gold country: not judged


def test_gold_igo_is_met_by_coded_un_or_eu_but_not_the_reverse(tmp_path):
    assert judged(tmp_path, {"recipients": [party("IGO")]}, recipients=["UNO"])["recipient"] == (1, 1)
    assert judged(tmp_path, {"recipients": [party("IGO")]}, recipients=["EUR"])["recipient"] == (1, 1)
    assert judged(tmp_path, {"recipients": [party("UNO")]}, recipients=["IGO"])["recipient"] == (0, 1)


def test_date_must_be_the_same_string(tmp_path):
    assert judged(tmp_path, {"date": "2024-05-07"}, date="2024-05-07")["date"] == (1, 1)
    assert judged(tmp_path, {"date": "2024-05"}, date="2024-05-07")["date"] == (0, 1)
    assert judged(tmp_path, {"date": "2024-05-07"})["date"] == (0, 1)
    assert judged(tmp_path, {}, date="2024-05-07")["date"] == (0, 0)


@pytest.mark.parametrize(
    ("gold_place", "coded", "right"),
    [
        ("Saint-Éloi", ("Saint Eloi", "the hamlet"), 1),  # folded: case, accents, punctuation
        ("Charlevoix, Québec", ("Quebec", "Québec"), 1),  # a part of the gold place
        ("Charlevoix, Québec", ("Lévis", "Charlevoix"), 1),  # the words in the text meet it
        ("Charlevoix, Québec", ("Que", "Que"), 0),  # a part shorter than four characters
        ("Québec", ("Charlevoix, Quebec", "Charlevoix, Quebec"), 0),  # a wider place does not
        ("Québec", None, 0),  # no place coded
    ],
)
def test_place_is_the_gold_place_or_a_part_of_it(tmp_path, gold_place, coded, right):
    result = judged(tmp_path, {"place": {"name": gold_place, "country": "CAN"}}, place=coded)
    assert result["place"] == (right, 1)


def test_modality_is_always_judged(tmp_path):
    assert judged(tmp_path, {})["modality"] == (1, 1)
    assert judged(tmp_path, {"modality": "future"})["modality"] == (0, 1)


def test_quantities_need_every_gold_number(tmp_path):
    gold = {"quantities": {"killed": 3, "injured": 2}}
    assert judged(tmp_path, gold, quantities=[("killed", 3.0), ("injured", 2), ("arrested", 9)])["quantities"] == (1, 1)
    assert judged(tmp_path, gold, quantities=[("killed", 3)])["quantities"] == (0, 1)
    assert judged(tmp_path, gold, quantities=[("killed", 3), ("injured", 4)])["quantities"] == (0, 1)
    assert judged(tmp_path, {})["quantities"] == (0, 0)


def test_all_fields_is_every_field_the_gold_gives(tmp_path):
    gold = {"actors": [party("CAN")], "date": "2024-05-07", "quantities": {"killed": 3}}
    right = {"actors": ["CAN"], "date": "2024-05-07", "quantities": [("killed", 3)]}
    assert judged(tmp_path, gold, **right)["full"] == (1, 1)
    assert judged(tmp_path, gold, **{**right, "date": "2024-05-08"})["full"] == (0, 1)
    assert judged(tmp_path, gold, **{**right, "modality": "negated"})["full"] == (0, 1)


# --- report, JSON, floors, run_eval, CLI -----------------------------------------------------------


def _mixed(tmp_path) -> ArticleEvalResult:
    items = gold_items(tmp_path, {"a1": [ASSAULT_E1, ACCUSE_E2, CONSULT_E4], "b1": [AID_B1]})
    a1 = [
        ev(A1, "ASSAULT", "Rebels attacked", actors=["IMG"], date="2024-05-06", quantities=[("killed", 12)]),
        ev(A1, "ASSAULT", "the rebels attacked at dawn"),
        ev(A1, "CONSULT", "Envoys from both sides met"),
        ev(A1, "AID", "The weather stayed mild"),
    ]
    return score_articles(items, [a1, [ev(B1, "AID", "Relief agencies flew", article_id="b1")]], seconds=2.0)


def test_text_report(tmp_path):
    text = format_article_report(_mixed(tmp_path), errors=2)
    assert "2 articles, 3 gold events (core), 5 coded events (2 hits, 1 neutral, 2 false alarms, 1 missed)" in text
    assert "precision 0.500  recall 0.667  F1 0.571" in text
    assert "no event 0.250, duplicate 0.250, wrong type 0.000" in text
    assert "  actor      1.000  (1/1)" in text and "  recipient  0.000  (0/1)" in text
    assert "  place      0.000  (0/1)" in text and "  numbers    1.000  (1/1)" in text
    assert "  ASSAULT      1      1      1  0.500  1.000" in text
    assert "  ACCUSE       1      0      0    n/a  0.000" in text
    assert "CONSULT" not in text  # a neutral event leaves no row
    assert "First 2 of 3 errors" in text
    assert "a1         duplicate  ASSAULT   'the rebels attacked at dawn'" in text
    assert "a1         no event   AID       'The weather stayed mild'" in text
    assert text.rstrip().endswith("all fields 0.50")
    assert "missed" not in text.split("First 2 of 3 errors")[1]


def test_json_form_uses_the_reference_names(tmp_path):
    data = json.loads(json.dumps(article_to_dict(_mixed(tmp_path), errors=5)))
    assert (data["articles"], data["gold_core"], data["coded"]) == (2, 3, 5)
    assert data["precision"] == 0.5 and data["duplicate_rate"] == 0.25 and data["actor"] == 1.0
    assert data["per_type"]["AID"] == {"gold": 1, "hit": 1, "false": 1, "precision": 0.5, "recall": 1.0}
    assert data["counts"]["neutral"] == 1 and data["fields"]["recipient"] == {"right": 0, "total": 1}
    assert [e["label"] for e in data["errors"]] == ["duplicate", "no event", "missed"]
    assert data["errors"][2] == {"article_id": "a1", "kind": "missed", "label": "missed", "event_type": "ACCUSE",
                                 "gold_types": None, "words": "Governor Ana Ruiz condemned the attack"}  # fmt: skip


def test_floors_and_ceilings_on_article_gold(tmp_path):
    result = _mixed(tmp_path)
    assert check_floors(result, {"precision": 0.5, "recall": 0.6, "full": 0.0, "duplicate_rate": 0.5}) == []
    failures = check_floors(
        result, {"precision": 0.6, "duplicate_rate": 0.2, "recall.ACCUSE": 0.1, "recall.PROTEST": 0.1, "nope": 1}
    )
    assert failures == [
        "precision = 0.500 is below its floor 0.600",
        "duplicate_rate = 0.250 is above its ceiling 0.200",
        "recall.ACCUSE = 0.000 is below its floor 0.100",
        "recall.PROTEST was not measured (no gold for it) but has floor 0.1",
        failures[-1],
    ]
    assert failures[-1].startswith("unknown metric 'nope'; known: actor, date, duplicate_rate, f1, full")


def test_run_eval_with_fake_extract_text_and_json(tmp_path):
    gold, articles = write_files(tmp_path, [{"id": "a1", "events": [ASSAULT_E1, ACCUSE_E2]}], {"a1": A1})
    seen = []

    def fake(item):
        seen.append((item.id, item.text[:6]))
        return [ev(item.text, "ASSAULT", "Rebels attacked")]

    text, result = run_eval(gold, articles=articles, errors=3, extract=fake)
    assert seen == [("a1", "Rebels")] and isinstance(result, ArticleEvalResult)
    assert result.hits == 1 and result.recall == 0.5 and "First 1 of 1 errors" in text
    out, _ = run_eval(gold, articles=articles, as_json=True, errors=3, extract=fake)
    assert json.loads(out)["errors"][0]["kind"] == "missed"


def test_cli_reads_article_gold_with_articles(tmp_path, capsys, monkeypatch):
    gold, articles = write_files(tmp_path, [{"id": "a1", "events": [ASSAULT_E1]}], {"a1": A1})
    calls = []

    def fake_extract_many(items, *, workers=1, options=None):  # the engine, without spaCy
        for article in items:
            calls.append((article.id, workers))
            yield Doc(article, events=(ev(article.text, "ASSAULT", "Rebels attacked"),))

    monkeypatch.setattr("lapwing.eval.extract_many", fake_extract_many)
    assert main(["eval", str(gold), "--articles", str(articles), "--json", "--errors", "2", "--workers", "3"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["precision"] == 1.0 and data["recall"] == 1.0 and data["errors"] == []
    assert ("a1", 3) in calls
    assert main(["eval", str(gold)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"lapwing: error: {gold}: is article gold") and "--articles" in err and "\n" not in err


# --- the same figures as the reference scorer --------------------------------------------------------


def _reference_paths() -> tuple[Path, Path, Path]:
    gold = SHARED / "data" / "articles" / "voa-gold.jsonl"
    articles = SHARED / "data" / "voa" / "voa_stories.jsonl"
    scorer = SHARED / "tools" / "score_articles.py"
    for path in (gold, articles, scorer):
        if not path.exists():
            pytest.skip(f"{path} is absent: the comparison with the reference scorer needs ../shared beside the repo")
    return gold, articles, scorer


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around text[start:end], cut at '. ' and newlines (good enough for a fake)."""
    left = max(text.rfind(". ", 0, start) + 2, text.rfind("\n", 0, start) + 1, 0)
    stops = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    return left, (min(stops) + 1 if stops else len(text))


def _fake_events(item: ArticleGold) -> list[Event]:
    """Events a plausible engine could code: one per gold happening, some fields right, some wrong, extras."""
    text, events = item.text, []
    types = ("ASSAULT", "ACCUSE", "REQUEST", "CONSULT", "AGREE")
    for k, g in enumerate(item.events):
        at = text.find(g.key)
        start, end = _sentence(text, at, at + len(g.key))
        codes = [p.country for p in g.actors if p.country]
        event_type = g.types[-1] if k % 7 else types[k % len(types)]  # now and then a wrong type
        place = None
        if g.place and k % 3 != 2:
            words = g.place.name.split(",")[-1].strip()
            place = Place(text=words, name=g.place.name if k % 2 else "Elsewhere", country=g.place.country,
                          admin1=None, lat=None, lon=None, geonameid=None, start=0, end=0)  # fmt: skip
        events.append(
            Event(
                id=f"{item.id}-{k}", article_id=item.id, event_type=event_type, mode=None, quad=1, intensity=0.0,
                contexts=(), modality=g.modality if k % 5 else "asserted",
                actors=tuple(Actor(c, c, c, None, 0, 0) for c in (codes if k % 2 else codes[:1])),
                recipients=tuple(Actor(p.text, p.text, "UNO" if p.country == "IGO" else p.country, None, 0, 0)
                                 for p in g.recipients),
                trigger=Span(text[at : at + 3], at, at + 3), evidence=Span(text[start:end], start, end),
                confidence=0.5,
                date=DateRef(None, g.date if k % 3 else None, "day", "text"), location=place,
                quantities=tuple(Quantity(kind, n + (k % 2), False, None, "", 0, 0) for kind, n in g.quantities),
            )
        )  # fmt: skip
        if k % 3 == 0 and g.also:  # a second event on another mention: a duplicate
            at2 = text.find(g.also[0])
            events.append(dataclass_copy(events[-1], f"{item.id}-{k}b", at2, at2 + len(g.also[0]), text))
    if events:  # extras at the first and the last sentence: mostly no event, now and then a match
        events.append(dataclass_copy(events[0], f"{item.id}-x", 0, _sentence(text, 0, 1)[1], text))
        last = _sentence(text, len(text) - 2, len(text) - 1)
        events.append(dataclasses.replace(dataclass_copy(events[-1], f"{item.id}-y", *last, text), event_type="AID"))
    return events


def dataclass_copy(event: Event, new_id: str, start: int, end: int, text: str) -> Event:
    """The event again with another id and evidence."""
    return dataclasses.replace(event, id=new_id, evidence=Span(text[start:end], start, end))


def test_figures_equal_the_reference_scorers(tmp_path):
    gold_path, articles_path, scorer = _reference_paths()
    gold_lines = [line for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()][:10]
    subset = tmp_path / "gold-10.jsonl"
    subset.write_text("\n".join(gold_lines) + "\n", encoding="utf-8")
    items = load_article_gold(subset, articles_path)
    predictions = [_fake_events(item) for item in items]
    events = tmp_path / "events.jsonl"
    with events.open("w", encoding="utf-8") as out:  # as `lapwing extract --format jsonl` writes them
        for event in (e for p in predictions for e in p):
            out.write(json.dumps(event.to_dict(), ensure_ascii=False, separators=(",", ":")) + "\n")
    mine = article_to_dict(score_articles(items, predictions), errors=10_000)

    run = [sys.executable, str(scorer), str(articles_path), str(subset), str(events)]
    done = subprocess.run([*run, "--json"], capture_output=True, text=True, check=True)
    reference, _ = json.JSONDecoder().raw_decode(done.stdout)
    assert reference["coded"] > 30 and 0 < reference["precision"] < 1  # the fake exercises every case
    for key, value in reference.items():
        if key == "per_type":
            continue
        expected = None if value != value else value  # the reference prints NaN where mine says null
        assert mine[key] == expected, key
    for event_type, counts in reference["per_type"].items():
        assert {k: mine["per_type"][event_type][k] for k in counts} == counts, event_type
    assert set(mine["per_type"]) == set(reference["per_type"])

    # The errors too, in the same order: the reference prints them as "  id kind type 'words'".
    done = subprocess.run([*run, "--errors", "10000"], capture_output=True, text=True, check=True)
    lines = [line for line in done.stdout.splitlines() if line.startswith("  ")]
    assert len(lines) == len(mine["errors"]) > 10
    for line, error in zip(lines, mine["errors"]):
        assert line.split()[0] == error["article_id"] and error["label"] in line
        assert f" {error['event_type']} " in line
        assert line.rstrip().endswith(repr(error["words"][:110]))
