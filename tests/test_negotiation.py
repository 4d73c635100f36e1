"""Moves in talks: which records are steps of a negotiation, the move, its terms, mediators and answers.

The texts are the team's own. Each test runs the whole engine, so the records are those a user gets.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from lapwing import api
from lapwing.records import MOVES


@pytest.fixture(scope="module")
def code():
    return lambda text: api.extract(text, published=dt.date(2025, 3, 12)).events


def moves(events):
    return [(e.event_type, e.negotiation.move) for e in events if e.negotiation is not None]


def only_move(events, move):
    found = [e for e in events if e.negotiation is not None and e.negotiation.move == move]
    assert found, [(e.event_type, e.trigger.text, e.negotiation and e.negotiation.move) for e in events]
    return found[0]


def test_a_proposal_carries_its_terms_in_words_and_numbers(code):
    events = code("The rebels proposed a six-week truce on Monday in which 40 hostages would be freed "
                  "in exchange for hundreds of prisoners held by the government.")
    move = only_move(events, "proposal").negotiation
    assert move.subject == "truce"
    terms = {(t.kind, t.value) for t in move.terms}
    assert ("duration_days", 42.0) in terms
    assert ("hostages", 40.0) in terms
    assert ("prisoners", None) in terms  # "hundreds of prisoners" keeps its words, not a made-up number
    assert any(t.kind == "exchange" for t in move.terms)
    text = "The rebels proposed a six-week truce on Monday in which 40 hostages would be freed in exchange for hundreds of prisoners held by the government."
    for t in move.terms:
        assert text[t.start : t.end] == t.text  # every term points at its words


def test_a_rejection_answers_the_proposal_before_it(code):
    events = code("Egypt proposed a new ceasefire plan on Sunday. Israel rejected the proposal on Monday.")
    proposal = only_move(events, "proposal")
    rejection = only_move(events, "reject")
    assert rejection.negotiation.responds_to == proposal.id
    assert "Israel" in rejection.negotiation.process


def test_a_brokered_deal_is_an_agreement_with_its_mediators(code):
    events = code("A ceasefire deal brokered by Qatar and Egypt was signed in Doha on Tuesday by the two sides.")
    move = next(e.negotiation for e in events if e.negotiation is not None)
    assert move.move == "agreement"
    assert {m.country for m in move.mediators} == {"QAT", "EGY"}


def test_hosting_talks_between_two_sides_is_mediation(code):
    events = code("Norway will host talks between the government of Colombia and the rebels next week.")
    move = only_move(events, "mediation").negotiation
    assert [m.country for m in move.mediators] == ["NOR"]
    assert "NOR" not in move.parties


@pytest.mark.parametrize("text, move", [
    ("The army accused the rebels of violating the ceasefire on Friday.", "violation"),
    ("Talks between the two governments collapsed on Thursday.", "collapse"),
    ("Iran suspended the nuclear talks with the United States on Monday.", "suspension"),

    ("Both sides signed a peace agreement in Addis Ababa on Friday.", "agreement"),
    ("The foreign ministers of Armenia and Azerbaijan held peace talks in Washington on Monday.", "talks"),
])
def test_the_move_follows_the_words_of_the_clause(code, text, move):
    assert move in [m for _, m in moves(code(text))]


def test_records_that_are_no_step_in_talks_carry_no_negotiation(code):
    events = code("Police arrested 12 protesters in the capital on Monday. The minister visited a hospital.")
    assert events and moves(events) == []


def test_a_meeting_between_the_sides_joins_the_talks_the_article_tells(code):
    events = code("The United States and Iran agreed to resume nuclear talks on Friday. "
                  "The American envoy met the Iranian foreign minister in Oman on Saturday.")
    met = [e for e in events if e.event_type == "CONSULT" and "met" in e.trigger.text]
    assert met and met[0].negotiation is not None and met[0].negotiation.move == "talks"
    assert "joined" in met[0].negotiation.rule


def test_a_call_that_lasted_an_hour_has_no_duration_term(code):
    events = code("In a call between the two presidents that lasted an hour, both agreed to keep the ceasefire.")
    for e in events:
        if e.negotiation is not None:
            assert all(t.kind != "duration_days" for t in e.negotiation.terms)


def test_the_record_contract_carries_the_negotiation(code):
    events = code("Hamas rejected the latest ceasefire proposal on Monday.")
    record = next(e.to_dict() for e in events if e.negotiation is not None)
    n = record["negotiation"]
    assert n["move"] in MOVES and n["subject"] == "ceasefire" and isinstance(n["terms"], list) and n["rule"]
    assert json.loads(json.dumps(record)) == record


def test_a_pause_in_aid_is_no_suspension_of_talks(code):
    events = code("The two ministers held talks on Tuesday about the pause in military aid.")
    assert "suspension" not in [m for _, m in moves(events)]


@pytest.fixture(scope="module")
def candidates():
    """The sentence-level records (before the judge keeps or drops them), with their moves."""
    from lapwing.api import EngineOptions
    from lapwing.doc import Doc
    from lapwing.pipeline import Pipeline
    from lapwing.records import Article
    from lapwing.stages import default_stages
    from lapwing.stages.negotiation import NegotiationFinder

    pipeline = Pipeline(default_stages(EngineOptions(prefilter=False), with_article_pass=False))
    finder = NegotiationFinder()
    return lambda text: finder(pipeline(Doc(Article(text=text)))).events


@pytest.mark.parametrize("text, move", [
    ("The rebels said they were prepared to sign a ceasefire deal with the government.", "proposal"),
    ("The rebels said they were ready to accept the ceasefire proposal.", "accept"),
])
def test_an_offer_is_a_proposal_and_readiness_to_accept_an_acceptance(candidates, text, move):
    assert move in [m for _, m in moves(candidates(text))]
