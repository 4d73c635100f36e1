"""Typed, frozen records that cross module boundaries.

Every record that comes from the text carries `start`/`end` character offsets into the
article's text, so `article.text[start:end] == text` always holds. JSON exists only at the
edges (`to_dict`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import unicodedata
from dataclasses import dataclass, field
from typing import Any

MODALITIES = ("asserted", "future", "hypothetical", "negated")
DATE_BASES = ("text", "published", "unknown")
GRANULARITIES = ("day", "week", "month", "year", "decade", "unknown")


def normalize_text(text: str) -> str:
    """NFC, unified newlines and collapsed blank runs: the form an article's id is hashed from."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return " ".join(text.split())


def text_id(text: str) -> str:
    """A stable id for a text: sha256 of its normalized form, 16 hex digits."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of the article text."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Article:
    """One input article. `id` is the record's id when given, else a hash of the text."""

    text: str
    id: str = ""
    title: str | None = None
    url: str | None = None
    source: str | None = None
    published: dt.date | None = None
    published_text: str | None = None

    def __post_init__(self) -> None:
        if not self.id:
            object.__setattr__(self, "id", text_id(self.text))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "source": self.source,
            "published": self.published.isoformat() if self.published else None,
            "chars": len(self.text),
        }


@dataclass(frozen=True, slots=True)
class Token:
    """One token of the parse. `i` and `head` index `Doc.tokens`; `sent` indexes `Doc.sentences`."""

    i: int
    text: str
    start: int
    end: int
    lemma: str
    pos: str
    tag: str
    dep: str
    head: int
    sent: int
    ent_type: str = ""
    ent_iob: str = "O"
    whitespace: bool = True


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence. `parsed` is False when the pre-filter found nothing that could hold an event."""

    start: int
    end: int
    token_start: int
    token_end: int
    parsed: bool = True


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity: from the parser, corrected against the gazetteer and actor dictionary."""

    text: str
    label: str
    start: int
    end: int
    token_start: int
    token_end: int


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acts or is acted on: resolved to a country (ISO alpha-3 or PLOVER code) and sector."""

    text: str
    name: str
    country: str | None
    sector: str | None
    start: int
    end: int
    kb_id: str | None = None  # the knowledge-base entry that gave the country or sector (docs/actors.md)
    # Where the country came from, for an analyst to check: "text" (the phrase or the dictionary),
    # "knowledge base", "coreference" (an earlier mention: a surname, a pronoun, "the group"),
    # "place" (a place visited stands for its country), "article" (the article's dominant country
    # filled it in), "answered act" (a response's target: who made what it answers; a call for
    # someone's release: who holds them), "implied" (a
    # state's act told without its agent: the authorities where it happened).
    basis: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True, slots=True)
class Mention:
    """An actor mention found in the text, with the tokens it covers; events pick from these."""

    actor: Actor
    token_start: int
    token_end: int
    head: int
    kind: str = "entity"  # entity | role | demonym | coref | target (the words of what an act is done to)


@dataclass(frozen=True, slots=True)
class DateRef:
    """When: `value` is ISO and as precise as the text allows; `basis` says where it came from."""

    text: str | None
    value: str | None
    granularity: str
    basis: str
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True, slots=True)
class Place:
    """Where: a gazetteer entry anchored to the words that named it."""

    text: str
    name: str
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    geonameid: int | None
    start: int
    end: int
    feature: str = "city"  # city | country | region

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number attached to an event; `kind` is from quantities.QUANTITY_KINDS."""

    kind: str
    value: float
    approximate: bool
    unit: str | None
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who the text says reported the event."""

    text: str
    name: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


# Moves in talks (codebook section 3), and the states a process goes through.
MOVES = ("proposal", "counter_proposal", "accept", "reject", "talks", "mediation", "agreement",
         "implementation", "violation", "suspension", "collapse")


@dataclass(frozen=True, slots=True)
class Term:
    """One term on the table: "six weeks" (duration_days 42), "40 civilian hostages" (hostages 40)."""

    kind: str  # duration_days | hostages | prisoners | phases | aid | withdrawal | money | exchange
    value: float | None  # None when the text gives no number ("hundreds of prisoners" keeps its words)
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True, slots=True)
class Negotiation:
    """What a move in talks is: the process it belongs to, the move, the terms, the mediators.

    `process` is the parties and the subject in a few words ("Israel-Hamas ceasefire"); `responds_to`
    is the id of the earlier move in the same article it answers, where the article says so.
    """

    process: str
    subject: str
    move: str
    parties: tuple[str, ...] = ()
    mediators: tuple[Actor, ...] = ()
    terms: tuple[Term, ...] = ()
    responds_to: str | None = None
    rule: str = ""  # which cue decided the move, so an analyst can check it

    def to_dict(self) -> dict[str, Any]:
        return {
            "process": self.process,
            "subject": self.subject,
            "move": self.move,
            "parties": list(self.parties),
            "mediators": [m.to_dict() for m in self.mediators],
            "terms": [t.to_dict() for t in self.terms],
            "responds_to": self.responds_to,
            "rule": self.rule,
        }


@dataclass(frozen=True, slots=True)
class Event:
    """One coded PLOVER event. `anchor` is the trigger's head token, for later stages only."""

    id: str
    article_id: str
    event_type: str
    mode: str | None
    quad: int
    intensity: float
    contexts: tuple[str, ...]
    modality: str
    actors: tuple[Actor, ...]
    recipients: tuple[Actor, ...]
    trigger: Span
    evidence: Span
    confidence: float
    date: DateRef = field(default_factory=lambda: DateRef(None, None, "unknown", "unknown"))
    location: Place | None = None
    quantities: tuple[Quantity, ...] = ()
    attribution: Attribution | None = None
    anchor: int = -1
    sentence: int = -1
    # Every sentence that tells this happening, in text order; empty until the article pass.
    mentions: tuple[Span, ...] = ()
    negotiation: Negotiation | None = None  # for moves in talks over a ceasefire, a deal, a release

    def to_dict(self) -> dict[str, Any]:
        """The event contract shared by the CLI, the store and the API."""
        return {
            "id": self.id,
            "article_id": self.article_id,
            "event_type": self.event_type,
            "mode": self.mode,
            "quad": self.quad,
            "intensity": self.intensity,
            "contexts": list(self.contexts),
            "modality": self.modality,
            "actors": [a.to_dict() for a in self.actors],
            "recipients": [a.to_dict() for a in self.recipients],
            "date": self.date.to_dict(),
            "location": self.location.to_dict() if self.location else None,
            "quantities": [q.to_dict() for q in self.quantities],
            "attribution": self.attribution.to_dict() if self.attribution else None,
            "trigger": dataclasses.asdict(self.trigger),
            "evidence": dataclasses.asdict(self.evidence),
            "mentions": [dataclasses.asdict(m) for m in (self.mentions or (self.evidence,))],
            "negotiation": self.negotiation.to_dict() if self.negotiation else None,
            "confidence": round(self.confidence, 3),
        }


def event_id(article_id: str, event_type: str, trigger_start: int, engine_version: str) -> str:
    """Stable for the same text and engine version."""
    key = f"{article_id}|{event_type}|{trigger_start}|{engine_version}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class StageRun:
    """Provenance of one stage on one doc."""

    name: str
    version: str
    seconds: float
