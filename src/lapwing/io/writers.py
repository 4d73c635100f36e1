"""Output writers: a coded Doc -> JSON, JSON Lines or a table an analyst can read in a terminal."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import TextIO

from ..doc import Doc
from ..errors import InputError
from ..records import Actor, Event, Quantity

FORMATS = ("table", "json", "jsonl")

ELLIPSIS = "\u2026"
EVIDENCE_WIDTH = 150
EVIDENCE_INDENT = "    "
_SEP = "  "

ROW_WIDTH = 158
# (header, narrowest the column may shrink to): columns keep their natural width while the row
# fits in ROW_WIDTH; otherwise the widest shrinkable column gives way first.
_COLUMNS: tuple[tuple[str, int], ...] = (
    ("TYPE", 16),
    ("MODALITY", 12),
    ("ACTORS", 12),
    ("RECIPIENTS", 12),
    ("DATE", 10),
    ("PLACE", 8),
    ("QUANTITIES", 10),
    ("TRIGGER", 8),
    ("CONF", 4),
)


def write_json(doc: Doc, out: TextIO) -> None:
    """Write one article and its events as an indented JSON object."""
    out.write(json.dumps(doc.to_dict(), ensure_ascii=False, indent=2))
    out.write("\n")


def write_jsonl(doc: Doc, out: TextIO) -> None:
    """Write each event as one compact JSON line."""
    for event in doc.events:
        out.write(json.dumps(event.to_dict(), ensure_ascii=False, separators=(",", ":")))
        out.write("\n")


class JsonDocument:
    """`--format json` over a run: one article's object as it is, several as one JSON array of them.

    The first article waits until a second one comes (or the run ends), so the output is always a
    single JSON document: an object for one article, an array of objects for several, [] for none.
    """

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.first: str | None = None
        self.count = 0

    def add(self, doc: Doc) -> None:
        text = json.dumps(doc.to_dict(), ensure_ascii=False, indent=2)
        self.count += 1
        if self.count == 1:
            self.first = text
            return
        if self.count == 2:
            self.out.write("[\n" + self.first + ",\n")  # type: ignore[operator]
            self.first = None
        else:
            self.out.write(",\n")
        self.out.write(text)

    def close(self) -> None:
        if self.count == 0:
            self.out.write("[]\n")
        elif self.count == 1:
            self.out.write(self.first + "\n")  # type: ignore[operator]
        else:
            self.out.write("\n]\n")


def write_table(doc: Doc, out: TextIO) -> None:
    """Write the table of one article, followed by a blank line to separate articles."""
    out.write(format_table(doc))
    out.write("\n\n")


_WRITERS: dict[str, Callable[[Doc, TextIO], None]] = {"table": write_table, "json": write_json, "jsonl": write_jsonl}


def write(doc: Doc, fmt: str, out: TextIO) -> None:
    """Write a Doc in one of FORMATS."""
    writer = _WRITERS.get(fmt)
    if writer is None:
        raise InputError(f"unknown output format {fmt!r}: choose one of {', '.join(FORMATS)}")
    writer(doc, out)


def format_table(doc: Doc) -> str:
    """A terminal table: an article header, then a row and an evidence line per event."""
    lines = [_header(doc)]
    if not doc.events:
        lines.append(f"{EVIDENCE_INDENT}no events found")
        return "\n".join(lines)
    rows = [_cells(event) for event in doc.events]
    widths = _widths(rows)
    lines.append(_row([header for header, _ in _COLUMNS], widths))
    for event, cells in zip(doc.events, rows):
        lines.append(_row(cells, widths))
        lines.append(f'{EVIDENCE_INDENT}"{_evidence(event, EVIDENCE_WIDTH)}"')
    return "\n".join(lines)


def _widths(rows: Sequence[Sequence[str]]) -> list[int]:
    """Natural column widths, shrunk widest-first until a row fits in ROW_WIDTH."""
    widths = [max(len(header), *(len(row[i]) for row in rows)) for i, (header, _) in enumerate(_COLUMNS)]
    budget = ROW_WIDTH - len(_SEP) * (len(_COLUMNS) - 1)
    while sum(widths) > budget:
        excess = [(w - floor, i) for i, (w, (_, floor)) in enumerate(zip(widths, _COLUMNS)) if w > floor]
        if not excess:
            break
        widest = max(excess, key=lambda item: (widths[item[1]], -item[1]))[1]
        widths[widest] -= 1
    return widths


def _header(doc: Doc) -> str:
    article = doc.article
    parts = [f"article {article.id}"]
    if article.title:
        parts.append(f'"{_truncate(_flat(article.title), 80)}"')
    parts.append(f"published {article.published.isoformat() if article.published else 'unknown'}")
    count = len(doc.events)
    parts.append(f"{count} event{'' if count == 1 else 's'}")
    return " | ".join(parts)


def _cells(event: Event) -> list[str]:
    kind = f"{event.event_type} ({event.mode})" if event.mode else event.event_type
    return [
        kind,
        event.modality,
        _actors(event.actors),
        _actors(event.recipients),
        date_cell(event.date.value, event.date.text),
        _flat(event.location.name) if event.location else "",
        ", ".join(_quantity(q) for q in event.quantities),
        _flat(event.trigger.text),
        f"{event.confidence:.2f}",
    ]


def date_cell(value: str | None, words: str | None) -> str:
    """A table's date: the ISO value, else the text's own words for it ("last week"), else "?"."""
    return value or (_flat(words) if words and words.strip() else "?")


def _actors(actors: Sequence[Actor]) -> str:
    if not actors:
        return "-"
    return " + ".join(f"{_flat(a.name)} ({a.country})" if a.country else _flat(a.name) for a in actors)


def _quantity(quantity: Quantity) -> str:
    value = quantity.value
    number = str(int(value)) if value.is_integer() else f"{value:g}"
    unit = f" {quantity.unit}" if quantity.unit else ""
    return f"{quantity.kind}={'~' if quantity.approximate else ''}{number}{unit}"


def _row(cells: Sequence[str], widths: Sequence[int]) -> str:
    padded = [_truncate(cell, width).ljust(width) for cell, width in zip(cells, widths)]
    return _SEP.join(padded).rstrip()


def _evidence(event: Event, width: int) -> str:
    """The evidence sentence, cut to `width` around the trigger so the reason for the event shows."""
    text = event.evidence.text
    if len(_flat(text)) <= width:
        return _flat(text)
    # Centre the window on the trigger, then flatten: offsets are computed on the original text.
    focus = max(0, min(len(text), event.trigger.start - event.evidence.start))
    start = max(0, min(focus - width // 2, len(text) - width))
    end = start + width
    snippet = _flat(text[start:end])
    if start > 0:
        snippet = ELLIPSIS + snippet[1:]
    if end < len(text):
        snippet = snippet[:-1] + ELLIPSIS
    return snippet


def _flat(text: str) -> str:
    # Newlines or tabs inside a cell would break the row.
    return " ".join(text.split())


def _truncate(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + ELLIPSIS
