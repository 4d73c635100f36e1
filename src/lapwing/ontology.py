"""PLOVER event types with their quad class and intensity, as ../shared/design/plover.md codes them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class EventType:
    name: str
    quad: int
    intensity: float
    modes: tuple[str, ...]
    needs_recipient: bool = False


EVENT_TYPES: dict[str, EventType] = {
    t.name: t
    for t in (
        EventType("AGREE", 1, 2.5, ()),
        EventType("CONSULT", 1, 2.5, ("visit", "third-party", "multilateral", "phone")),
        EventType("SUPPORT", 1, 5.0, ()),
        EventType("CONCEDE", 1, 4.5, ()),
        EventType("COOPERATE", 2, 9.5, (), needs_recipient=True),
        EventType("AID", 2, 10.0, (), needs_recipient=True),
        EventType("RETREAT", 2, 6.5, ("withdraw", "release", "disarm", "ceasefire", "access", "resign")),
        EventType("REQUEST", 3, 0.0, ("assist", "change", "yield", "meet")),
        EventType("ACCUSE", 3, -2.0, ("disapprove", "investigate", "allege")),
        EventType("REJECT", 3, -2.0, ("assist", "change", "yield", "meet")),
        EventType("THREATEN", 3, -3.5, ("restrict", "arrest", "relations", "expel", "territory", "violence")),
        EventType("SANCTION", 3, -6.0, ("convict", "expel", "withdraw", "discontinue"), needs_recipient=True),
        EventType("PROTEST", 4, -5.0, ("demo", "riot", "strike", "hunger", "boycott", "obstruct", "vandalize")),
        EventType("MOBILIZE", 4, -5.5, ("troops", "weapons", "police", "militia")),
        EventType(
            "COERCE", 4, -7.0,
            ("seize", "restrict", "censor", "curfew", "martial-law", "arrest", "deport", "withhold", "misinformation", "cyber"),
        ),
        EventType(
            "ASSAULT", 4, -9.0,
            ("abduct", "beat", "torture", "sexual", "targeted", "destroy", "primitive", "firearms", "explosives",
             "suicide-attack", "aerial", "drone", "heavy-weapons", "crowd-control", "unconventional"),
        ),
    )
}

CONTEXTS = frozenset(
    ["military", "intelligence", "executive", "legislative", "election", "political_institutions", "pro_democracy", "pro_autocracy", "economic", "legal", "reparations", "human_rights", "rights_freedoms", "repression", "human_security", "gender", "lgbt", "religion_ethnicity", "inequality", "diplomatic", "territory", "peacekeeping", "health", "asylum", "migration", "disasters", "natural_resource", "environment", "technology", "terrorism", "cbrn", "cyber", "misinformation", "crime", "corruption", "illegal_drugs", "trafficking", "humanitarian", "ceasefire"]
)

# Old PLOVER (v0.5) names still found in gold data.
LEGACY_TYPES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
