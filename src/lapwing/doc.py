"""The Doc: one article and every layer the stages have assigned to it."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from .records import Article, Entity, Event, Mention, Place, Sentence, StageRun, Token

# Layer names a stage may declare in `requires` / `assigns`.
LAYERS = ("parse", "entities", "places", "mentions", "events", "dates", "locations", "quantities", "attributions", "happenings")


@dataclass(frozen=True, slots=True)
class Doc:
    """Immutable; stages return a new Doc with `doc.replace(...)`."""

    article: Article
    tokens: tuple[Token, ...] = ()
    sentences: tuple[Sentence, ...] = ()
    entities: tuple[Entity, ...] = ()
    places: tuple[Place, ...] = ()
    mentions: tuple[Mention, ...] = ()
    events: tuple[Event, ...] = ()
    provenance: tuple[StageRun, ...] = ()

    @property
    def text(self) -> str:
        return self.article.text

    def replace(self, **changes: Any) -> Doc:
        """A copy with some layers replaced."""
        return dataclasses.replace(self, **changes)

    def sentence_tokens(self, sent: int) -> tuple[Token, ...]:
        """The tokens of sentence `sent`."""
        s = self.sentences[sent]
        return self.tokens[s.token_start : s.token_end]

    def children(self, i: int) -> list[Token]:
        """Dependents of token `i`, in text order (within its sentence)."""
        s = self.sentences[self.tokens[i].sent]
        return [t for t in self.tokens[s.token_start : s.token_end] if t.head == i and t.i != i]

    def subtree_span(self, i: int) -> tuple[int, int]:
        """Token range [start, end) of the subtree headed by `i`."""
        s = self.sentences[self.tokens[i].sent]
        toks = self.tokens[s.token_start : s.token_end]
        members = {i}
        changed = True
        while changed:
            changed = False
            for t in toks:
                if t.i not in members and t.head in members and t.head != t.i:
                    members.add(t.i)
                    changed = True
        return min(members), max(members) + 1

    def to_dict(self) -> dict[str, Any]:
        return {"article": self.article.to_dict(), "events": [e.to_dict() for e in self.events]}
