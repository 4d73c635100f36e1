"""Quotations and their speakers: "we" inside a quotation is whoever the article says speaks it."""

from __future__ import annotations

import datetime as dt

import pytest

from lapwing.actors.quotes import inside, quote_spans

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _quoted(text: str) -> list[str]:
    return [text[q.start:q.end] for q in quote_spans(text)]


def test_curly_and_straight_quotations_pair():
    text = 'He said “we will go” and later "we stay" again.'
    assert _quoted(text) == ["we will go", "we stay"]


def test_mixed_marks_close_each_other():
    # A straight mark opened, a curly one closed: still one quotation, and the next pairs anew.
    text = '"We have urged them to act,” the spokesperson said. "It also matters," she added.'
    assert _quoted(text) == ["We have urged them to act,", "It also matters,"]


def test_a_paragraph_end_closes_an_open_quotation():
    text = '"We will not stop.\nThe talks went on.'
    assert _quoted(text) == ["We will not stop."]
    assert inside(quote_spans(text), text.index("talks")) is None


@pytest.fixture(scope="module")
def engine():
    """The shipped engine, pre-filter and article pass included, as `lapwing extract` runs it."""
    from lapwing.api import extract

    return extract


def _events(engine, text):
    return engine(text, published=dt.date(2024, 5, 2)).events


def _actor_countries(events, event_type):
    return [sorted({a.country for a in e.actors}) for e in events if e.event_type == event_type]


def test_speaker_named_after_a_quotation_of_two_sentences(engine):
    text = (
        "Kenya's interior minister spoke after the raid on Tuesday. "
        '"We condemn the attack on the police station in Garissa. Our forces will find those responsible," '
        "the minister told reporters in Nairobi."
    )
    assert ["KEN"] in _actor_countries(_events(engine, text), "ACCUSE")


def test_an_unattributed_quotation_continues_the_last_speaker(engine):
    text = (
        'Peru\'s foreign minister rejected the claim on Monday. "The decision is unlawful," the minister said. '
        '"So we urged Bolivia to return to the talks at once."'
    )
    events = _events(engine, text)
    requests = [e for e in events if e.event_type == "REQUEST"]
    assert requests and {a.country for a in requests[0].actors} == {"PER"}
    assert {a.country for a in requests[0].recipients} == {"BOL"}


def test_a_quotation_with_prose_between_does_not_continue_the_speaker(engine):
    text = (
        '"The decision is unlawful," Peru\'s foreign minister said on Monday. Bolivia\'s envoy left the room. '
        '"We urge everyone to return to the talks."'
    )
    events = _events(engine, text)
    assert all("PER" not in {a.country for a in e.actors} for e in events if e.event_type == "REQUEST")


def test_a_name_set_off_after_a_role_is_that_role(sentence_engine):
    doc = sentence_engine("On Thursday, the spokesman for Chile's Ministry of Defense, Colonel Pedro Rojas, "
                          "accused Bolivia of moving troops.")
    named = [m.actor for m in doc.mentions if "Rojas" in m.actor.text]
    assert named and named[0].country == "CHL"


def _tok(i, text, pos, dep, head, ent=""):
    from lapwing.records import Token

    return Token(i=i, text=text, start=0, end=0, lemma=text.lower(), pos=pos, tag="", dep=dep, head=head, sent=0,
                 ent_type=ent, ent_iob="B" if ent else "O", whitespace=True)


def test_a_list_of_names_stays_a_list():
    from lapwing.stages.parse_repair import repair

    # "the envoys, Rojas and Diaz, met": a coordinator makes it a list, not a renaming.
    words = [("the", "DET", "det", 1, ""), ("envoys", "NOUN", "nsubj", 7, ""), (",", "PUNCT", "punct", 1, ""),
             ("Rojas", "PROPN", "conj", 1, "PERSON"), ("and", "CCONJ", "cc", 3, ""),
             ("Diaz", "PROPN", "conj", 3, "PERSON"), (",", "PUNCT", "punct", 1, ""), ("met", "VERB", "ROOT", 7, "")]
    tokens = [_tok(i, *w) for i, w in enumerate(words)]
    assert [t.dep for t in repair(tokens)] == [t.dep for t in tokens]
    alone = [t for t in tokens if t.text not in ("and", "Diaz")]
    alone = [_tok(i, t.text, t.pos, t.dep, {0: 1, 1: 5, 2: 1, 3: 1, 6: 1, 7: 5}[t.i], t.ent_type)
             for i, t in enumerate(alone)]
    assert repair(alone)[3].dep == "appos"


def test_an_arrest_in_a_city_is_aimed_at_its_people_not_its_government(sentence_engine):
    doc = sentence_engine("Police dismantled a smuggling ring in Lyon on Monday.")
    coerce = [e for e in doc.events if e.event_type == "COERCE"]
    assert coerce and [(a.country, a.sector) for a in coerce[0].recipients] == [("FRA", None)]
    assert coerce[0].location is not None and coerce[0].location.name == "Lyon"


def test_a_visit_to_a_city_still_has_its_country_as_host(sentence_engine):
    doc = sentence_engine("The Turkish foreign minister arrived in Cairo on Monday for a two-day visit.")
    visits = [e for e in doc.events if e.event_type == "CONSULT"]
    assert visits and any(a.country == "EGY" for e in visits for a in e.recipients)


def test_words_said_in_a_city_are_not_aimed_at_its_country(sentence_engine):
    for text, event_type in [("The Kenyan minister repeated the accusations in Geneva on Monday.", "ACCUSE"),
                             ("Kenyan officials denied the claims at a news conference in Geneva.", "REJECT")]:
        found = [e for e in sentence_engine(text).events if e.event_type == event_type]
        assert found and not any(a.country == "CHE" for a in found[0].recipients), text
