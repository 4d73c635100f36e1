"""The actor knowledge base: people and organizations with dated country-sector codes, built from a
public source by scripts/build_actor_kb.py into data/actor_kb.tsv.gz (docs/actors.md, "The knowledge base").

It is consulted after the hand-kept dictionary (data/actors.yaml, data/people.yaml and the user's
files), only for a name the article treats as a person or organization and leaves without a
country or sector. A lookup is one dict access on the normalized name (the same `person_key` the
dictionary uses); the file is read once per process, on the first lookup.

A name resolves at the article's date: the code whose date range covers it, else the entry's
undated code (the source's "otherwise", such as ELI for a former office holder), else the nearest
range. `KBMatch.basis` says which: "dated", "default", "nearest", or "undated" (no article date:
the latest range). Names shared by entries of several countries resolve only when the date picks
one country.
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import ResourceError
from .dictionary import person_key

KB_FILE = "actor_kb.tsv.gz"
_RANK = {"dated": 0, "default": 1, "undated": 2, "nearest": 3}


@dataclass(frozen=True, slots=True)
class KBSpan:
    """One code of an entry: country (None for the source's null code), sector, ISO dates or ""."""

    country: str | None
    sector: str | None
    start: str
    end: str


@dataclass(frozen=True, slots=True)
class KBEntry:
    """One person or organization of the knowledge base."""

    kb_id: str
    kind: str  # person | org
    name: str
    spans: tuple[KBSpan, ...]


@dataclass(frozen=True, slots=True)
class KBMatch:
    """What a name resolved to at a date, and how (`basis`)."""

    kb_id: str
    kind: str
    name: str
    country: str
    sector: str | None
    basis: str  # dated | default | nearest | undated


def _ordinal(iso: str) -> int:
    return dt.date.fromisoformat(iso).toordinal()


def resolve_entry(entry: KBEntry, when: str | None) -> KBMatch | None:
    """The entry's code at ISO date `when` (see the module's docstring); None for a null code."""
    dated = [s for s in entry.spans if s.start or s.end]
    default = next((s for s in entry.spans if not (s.start or s.end)), None)
    chosen: KBSpan | None
    if when is None:
        chosen, basis = (max(dated, key=lambda s: s.start) if dated else default), "undated"
    else:
        covering = [s for s in dated if (not s.start or s.start <= when) and (not s.end or when <= s.end)]
        if covering:
            chosen, basis = max(covering, key=lambda s: s.start), "dated"
        elif default is not None:
            chosen, basis = default, "default"
        elif dated:
            day = _ordinal(when)

            def gap(s: KBSpan) -> int:
                if s.end and s.end < when:
                    return day - _ordinal(s.end)
                return _ordinal(s.start) - day if s.start else 0

            chosen, basis = min(dated, key=gap), "nearest"
        else:
            chosen, basis = None, "default"
    if chosen is None or chosen.country is None:
        return None
    return KBMatch(entry.kb_id, entry.kind, entry.name, chosen.country, chosen.sector, basis)


class ActorKB:
    """The knowledge base's entries and the index from normalized names to them.

    Reading the file only splits each line and indexes its names; an entry's codes are parsed the
    first time a lookup reaches it (most of the 27,000 entries are never asked for in a run).
    """

    def __init__(self, rows: list[list[str]], index: dict[str, Any], source: str = "<memory>") -> None:
        self._rows = rows  # kb_id, kind, name, keys, spans: the file's columns
        self._entries: dict[int, KBEntry] = {}
        self.index = index  # normalized name -> row number, or a tuple of them when several share it
        self.source = source

    def __len__(self) -> int:
        return len(self._rows)

    @classmethod
    def read(cls, path: Path | Any) -> ActorKB:
        """Read a file written by scripts/build_actor_kb.py (gzipped TSV; '#' lines are its header)."""
        try:
            with path.open("rb") as raw:
                text = gzip.decompress(raw.read()).decode("utf-8")
        except (OSError, EOFError, ValueError) as exc:
            raise ResourceError(f"cannot read the actor knowledge base {path}: {exc}; "
                                "reinstall Lapwing or rebuild it with scripts/build_actor_kb.py") from exc
        rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
        index: dict[str, Any] = {}
        for n, row in enumerate(rows):
            if len(row) != 5:
                raise ResourceError(f"actor knowledge base {path}: entry {n + 1} ({row[0]!r}) has {len(row)} columns, "
                                    "not 5; rebuild it with scripts/build_actor_kb.py")
            for key in row[3].split("|"):
                old = index.get(key)
                index[key] = n if old is None else (*old, n) if isinstance(old, tuple) else (old, n)
        return cls(rows, index, str(path))

    def entry(self, n: int) -> KBEntry:
        """Entry number `n`, its codes parsed once."""
        found = self._entries.get(n)
        if found is None:
            kb_id, kind, name, _, span_text = self._rows[n]
            spans = []
            for item in span_text.split(";"):
                country, sector, start, end = item.split(":")
                spans.append(KBSpan(None if country == "-" else country, sector or None, start, end))
            found = self._entries[n] = KBEntry(kb_id, kind, name, tuple(spans))
        return found

    def candidates(self, text: str, kind: str | None = None) -> list[KBEntry]:
        """Every entry one of whose names is `text` (case, accents and punctuation ignored)."""
        key = person_key(text).lower()
        found = self.index.get(key)
        if found is None and key.startswith("the "):
            found = self.index.get(key[4:])  # "The Awami League"
        if found is None:
            return []
        entries = [self.entry(n) for n in (found if isinstance(found, tuple) else (found,))]
        return [e for e in entries if kind is None or e.kind == kind]

    def resolve(self, text: str, when: dt.date | str | None = None, kind: str | None = None,
                country: str | None = None) -> KBMatch | None:
        """What `text` names at the date `when`, or None when nothing or several countries fit;
        with `country` (the text names it: "South Africa's Democratic Alliance"), only its entries."""
        found = self.candidates(text, kind)
        if country is not None:
            found = [e for e in found if any(s.country == country for s in e.spans)]
        if not found:
            return None
        day = when.isoformat() if isinstance(when, dt.date) else when
        matches = [m for m in (resolve_entry(e, day) for e in found) if m is not None]
        if not matches:
            return None
        best = min(_RANK[m.basis] for m in matches)
        matches = [m for m in matches if _RANK[m.basis] == best]
        if len({m.country for m in matches}) > 1:
            return None
        return matches[0]


@functools.lru_cache(maxsize=1)
def default_kb() -> ActorKB:
    """The shipped knowledge base (data/actor_kb.tsv.gz), read once per process."""
    return ActorKB.read(resources.files("lapwing") / "data" / KB_FILE)
