"""AttributionFinder: who the text says reported each event."""

from __future__ import annotations

import dataclasses

import pytest

from lapwing.doc import Doc
from lapwing.errors import PipelineError
from lapwing.pipeline import Pipeline
from lapwing.records import Actor, Article, Attribution, Event, Mention, Sentence, Span, Token
from lapwing.stages.attribution import AttributionFinder


def build(spec: str, triggers: tuple[int, ...], mentions: tuple[Mention, ...] = ()) -> Doc:
    """A one-sentence Doc from "text/lemma/POS/dep/head" words, one event per trigger index."""
    tokens, text = [], ""
    for i, word in enumerate(spec.split()):
        form, lemma, pos, dep, head = word.split("/")
        if text and pos != "PUNCT":
            text += " "
        start = len(text)
        text += form
        tokens.append(Token(i, form, start, len(text), lemma, pos, pos, dep, int(head), 0))
    doc = Doc(Article(text=text), tokens=tuple(tokens), sentences=(Sentence(0, len(text), 0, len(tokens)),))
    return doc.replace(mentions=mentions, events=tuple(event_at(tokens[i]) for i in triggers))


def event_at(tok: Token) -> Event:
    span = Span(tok.text, tok.start, tok.end)
    return Event(f"e{tok.i}", "a", "RETREAT", None, 2, 6.5, (), "asserted", (), (), span, span, 0.9,
                 anchor=tok.i, sentence=tok.sent)


def attributions(doc: Doc) -> list[tuple[str, str] | None]:
    out = AttributionFinder()(doc)
    result = []
    for e in out.events:
        a = e.attribution
        if a is not None:
            assert out.text[a.start : a.end] == a.text
        result.append((a.text, a.name) if a else None)
    return result


OFFICIALS_SAID = (
    "Troops/troop/NOUN/nsubj/1 withdrew/withdraw/VERB/ccomp/5 from/from/ADP/prep/1 Rafah/Rafah/PROPN/pobj/2 "
    ",/,/PUNCT/punct/5 said/say/VERB/ROOT/5 the/the/DET/det/9 senior/senior/ADJ/amod/9 Hamas/Hamas/PROPN/compound/9 "
    "official/official/NOUN/nsubj/5 ././PUNCT/punct/5"
)


def test_said_after_the_clause_gives_its_subject():
    assert attributions(build(OFFICIALS_SAID, (1,))) == [("the senior Hamas official", "the senior Hamas official")]


def test_the_name_comes_from_the_mention_covering_the_reporter():
    official = Actor("Hamas official", "Basem Naim", "PSE", "REB", 0, 0)
    doc = build(OFFICIALS_SAID, (1,), (Mention(official, 8, 10, 9, kind="coref"),))
    assert attributions(doc) == [("the senior Hamas official", "Basem Naim")]


def test_a_mention_that_only_covers_a_modifier_is_not_the_reporter():
    hamas = Actor("Hamas", "Hamas", "PSE", "REB", 0, 0)
    doc = build(OFFICIALS_SAID, (1,), (Mention(hamas, 8, 9, 8),))
    assert attributions(doc) == [("the senior Hamas official", "the senior Hamas official")]


def test_according_to():
    spec = (
        "According/accord/VERB/prep/9 to/to/ADP/prep/0 the/the/DET/det/4 Health/Health/PROPN/compound/4 "
        "Ministry/Ministry/PROPN/pobj/1 ,/,/PUNCT/punct/9 42/42/NUM/nummod/7 people/people/NOUN/nsubjpass/9 "
        "were/be/AUX/auxpass/9 wounded/wound/VERB/ROOT/9"
    )
    assert attributions(build(spec, (9,))) == [("the Health Ministry", "the Health Ministry")]


def test_as_confirmed_by_gives_the_agent():
    spec = (
        "They/they/PRON/nsubj/1 agreed/agree/VERB/ROOT/1 to/to/ADP/prep/1 a/a/DET/det/4 truce/truce/NOUN/pobj/2 "
        ",/,/PUNCT/punct/1 as/as/SCONJ/mark/7 confirmed/confirm/VERB/advcl/1 by/by/ADP/agent/7 "
        "Basem/Basem/PROPN/compound/10 Naim/Naim/PROPN/pobj/8"
    )
    assert attributions(build(spec, (4, 1))) == [("Basem Naim", "Basem Naim"), ("Basem Naim", "Basem Naim")]


def test_reporting_verb_that_takes_the_event_as_object_is_no_source():
    spec = "Israel/Israel/PROPN/nsubj/1 announced/announce/VERB/ROOT/1 a/a/DET/det/3 ceasefire/ceasefire/NOUN/dobj/1"
    assert attributions(build(spec, (3, 1))) == [None, None]


def test_a_clause_under_a_non_reporting_verb_stays_unattributed():
    spec = (
        "Troops/troop/NOUN/nsubj/1 withdrew/withdraw/VERB/ccomp/4 ,/,/PUNCT/punct/4 Hamas/Hamas/PROPN/nsubj/4 "
        "denied/deny/VERB/ROOT/4"
    )
    assert attributions(build(spec, (1,))) == [None]


def test_a_participle_shares_the_speakers_subject():
    spec = (
        "Witnesses/witness/NOUN/nsubj/1 said/say/VERB/ROOT/1 ,/,/PUNCT/punct/1 adding/add/VERB/advcl/1 "
        "that/that/SCONJ/mark/7 police/police/NOUN/nsubj/7 had/have/AUX/aux/7 fired/fire/VERB/ccomp/3"
    )
    assert attributions(build(spec, (7,))) == [("Witnesses", "Witnesses")]


def test_existing_attribution_is_kept_and_unchanged_doc_is_returned():
    doc = build(OFFICIALS_SAID, (1,))
    given = Attribution("x", "x", 0, 1)
    doc = doc.replace(events=(dataclasses.replace(doc.events[0], attribution=given),))
    assert AttributionFinder()(doc) is doc


def test_stage_declares_its_layers():
    with pytest.raises(PipelineError, match="requires parse, mentions, events"):
        Pipeline([AttributionFinder()])


def real_events(doc: Doc, *words: str) -> Doc:
    anchors = [next(t for t in doc.tokens if t.text == w) for w in words]
    return doc.replace(events=tuple(event_at(t) for t in anchors))


@pytest.mark.model
def test_real_parse_sources(parse_text):
    doc = real_events(
        parse_text("Gunmen seized two villages overnight, the regional governor told reporters on Friday."), "seized"
    )
    assert attributions(doc) == [("the regional governor", "the regional governor")]
    doc = real_events(parse_text("According to local medics, the shelling wounded nine farmers."), "wounded")
    assert attributions(doc) == [("local medics", "local medics")]
    doc = real_events(parse_text("The rebels announced a truce and freed four soldiers."), "truce", "freed")
    assert attributions(doc) == [None, None]
