"""Whole articles written by the team, through the real pipeline."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import lapwing

pytestmark = pytest.mark.model
ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden" / "sudan-talks.json"

BORDER_STORY = """\
Ethiopian and Eritrean foreign ministers met in Nairobi on Thursday to discuss the reopening of their shared border, Kenya's foreign ministry said.

Eritrea will release 30 Ethiopian prisoners of war next month as a goodwill gesture, the Eritrean information minister told reporters.

Hours before the meeting, gunmen killed four soldiers in an ambush near the city of Gondar, according to local officials. No group claimed the attack.
"""

PROTEST_STORY = """\
Thousands of protesters marched through central Nairobi on Monday to demand lower fuel prices. Police fired tear gas at the crowd and arrested 40 people, a rights group said.

The opposition leader, Raila Odinga, condemned the arrests and urged the government to release the detainees.
"""


def coded(text: str, published: str):
    return lapwing.extract(text, published=published).events


def find(events, event_type, trigger=None):
    hits = [e for e in events if e.event_type == event_type and (trigger is None or e.trigger.text == trigger)]
    assert hits, f"no {event_type} {trigger or ''} among {[(e.event_type, e.trigger.text) for e in events]}"
    return hits[0]


def test_meeting_prisoner_release_and_ambush():
    events = coded(BORDER_STORY, "2024-03-16")  # a Saturday
    meeting = find(events, "CONSULT", "met")
    assert {a.country for a in meeting.actors} == {"ETH", "ERI"}
    assert meeting.date.value == "2024-03-14" and meeting.date.basis == "text"
    assert meeting.location is not None and meeting.location.country == "KEN"
    assert meeting.modality == "asserted"

    release = find(events, "AGREE")  # a declared future release is an intention (PLOVER AGREE)
    assert release.modality == "future" and [a.country for a in release.actors] == ["ERI"]
    assert release.date.value == "2024-04" and release.date.granularity == "month"
    assert release.attribution is not None and "information minister" in release.attribution.text

    ambush = find(events, "ASSAULT")
    assert [q.kind for q in ambush.quantities] == ["killed"] and ambush.quantities[0].value == 4
    assert ambush.location is not None and ambush.location.country == "ETH"


def test_protest_repression_and_reactions():
    events = coded(PROTEST_STORY, "2024-07-09")
    march = find(events, "PROTEST")
    assert march.date.value == "2024-07-08" and march.location is not None and march.location.name == "Nairobi"
    arrests = find(events, "COERCE")
    assert arrests.quantities and arrests.quantities[0].kind == "arrested" and arrests.quantities[0].value == 40
    condemn = find(events, "ACCUSE")
    assert condemn.actors[0].name == "Raila Odinga"
    request = find(events, "REQUEST")
    assert request.actors[0].name == "Raila Odinga" and request.mode == "yield"


def test_every_offset_points_at_its_words():
    doc = lapwing.extract(BORDER_STORY + PROTEST_STORY, published="2024-07-09")
    assert doc.events
    for event in doc.events:
        spans = [event.trigger, event.evidence, *event.actors, *event.recipients, *event.quantities]
        spans += [s for s in (event.location, event.attribution) if s is not None]
        for span in spans:
            assert doc.text[span.start : span.end] == span.text


def test_statements_and_states_are_not_events():
    events = coded("The minister said the economy remains fragile. Relations between the two countries remain strained.", "2024-01-02")
    assert events == ()


def _projection(doc) -> list[dict]:
    return [
        {
            "type": e.event_type, "mode": e.mode, "modality": e.modality, "trigger": e.trigger.text,
            "actors": [a.country for a in e.actors], "recipients": [a.country for a in e.recipients],
            "date": e.date.value, "place": e.location.name if e.location else None,
            "quantities": {q.kind: q.value for q in e.quantities},
        }
        for e in doc.events
    ]


def test_example_article_matches_its_golden_file():
    """A regression guard on the README's example. After an intended change, review the diff and
    regenerate with: UPDATE_GOLDEN=1 pytest tests/test_end_to_end.py"""
    text = (ROOT / "examples" / "sudan-talks.txt").read_text(encoding="utf-8")
    got = _projection(lapwing.extract(text, published="2025-03-12"))
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert got == json.loads(GOLDEN.read_text(encoding="utf-8"))


@pytest.mark.model
def test_a_counterpart_of_the_home_country_keeps_the_other_side_out_of_it():
    # The article's dominant country fills missing countries, but not that of someone speaking with
    # "his Israeli counterpart": he is not Israeli.
    doc = lapwing.extract(
        "Israeli police clashed with Palestinians in Jerusalem. Israel said it would respond. "
        "The United States voiced concern, with adviser Tom Varga speaking by phone on Sunday with "
        "his Israeli counterpart Meir Adler.", published="2021-05-10")
    calls = [e for e in doc.events if e.event_type == "CONSULT"]
    assert calls and all(a.country != "ISR" for a in calls[0].actors), [(e.event_type, e.actors) for e in doc.events]
