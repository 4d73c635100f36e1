"""Gold-standard files for `lapwing eval`: the PLOVER GSR JSON and the project's own JSONL.

Both load into the same frozen records. The format is told apart by content, not by file name:
a JSON list is the GSR, one JSON object per line is the project's format (docs/gold-format.md).
Article gold, the third format, quotes texts kept in a separate file and is read by articles.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import GoldError

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "SANCTION", "PROTEST", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip

# PLOVER v0.5 names (used by the GSR) -> (current type, mode it implies or None to keep the record's).
LEGACY_TYPES: dict[str, tuple[str, str | None]] = {
    "DEMAND": ("REQUEST", None),
    "DISAPPROVE": ("ACCUSE", None),
    "INVESTIGATE": ("ACCUSE", "investigate"),
    "FIGHT": ("ASSAULT", None),
}

# Actor codes that are not countries but PLOVER's non-state codes; XKX (Kosovo) is user-assigned
# in ISO 3166 and so not in pycountry.
NON_STATE_CODES = frozenset({"IGO", "UNO", "EUR", "NGO", "ISM", "IMG", "MNC", "XKX"})

# Legacy (CAMEO-era) country codes -> ISO 3166 alpha-3. The first three occur in the GSR file;
# the rest are CAMEO codes other gold sets are likely to carry.
COUNTRY_ALIASES: dict[str, str] = {
    "JAP": "JPN",  # CAMEO's Japan; the GSR codes "Japan" and "Tokyo" with it
    "ITL": "ITA",  # CAMEO's Italy; the GSR codes "Italy" with it
    "VTN": "VNM",  # CAMEO's Vietnam; the GSR codes "Vietnamese-led forces" with it
    "ROM": "ROU",  # Romania's alpha-3 before ISO changed it in 2002
    "ZAR": "COD",  # Zaire, now the Democratic Republic of the Congo
    "TMP": "TLS",  # East Timor's alpha-3 before 2002
    "KOS": "XKX",  # CAMEO's Kosovo; XKX is the code in common use
}


@dataclass(frozen=True, slots=True)
class GoldEvent:
    """One hand-coded event. Countries are ISO alpha-3 or PLOVER non-state codes."""

    event_type: str
    mode: str | None
    actor_countries: tuple[str, ...]
    recipient_countries: tuple[str, ...]
    trigger: str | None = None  # shown in error analysis, never scored
    unmapped_codes: tuple[str, ...] = ()  # codes the alias table could not map: left out of scoring


@dataclass(frozen=True, slots=True)
class GoldItem:
    """One gold text (a sentence or an article) with every event coded in it."""

    id: str
    text: str
    published: dt.date | None
    events: tuple[GoldEvent, ...]


@functools.lru_cache(maxsize=1)
def _iso_alpha3() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.countries)


def normalize_country(code: str) -> str | None:
    """An actor code as ISO alpha-3 (or a PLOVER non-state code); None when it cannot be mapped."""
    code = code.strip().upper()
    code = COUNTRY_ALIASES.get(code, code)
    if code in NON_STATE_CODES or code in _iso_alpha3():
        return code
    return None


def load_gold(path: str | Path) -> list[GoldItem]:
    """Read a gold file, PLOVER GSR JSON or Lapwing JSONL, telling them apart by content."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{path}: cannot read gold file ({exc}); give a UTF-8 JSON or JSONL file") from exc
    head = raw.lstrip()
    if head.startswith("["):
        items = _load_gsr(path, raw)
    elif head.startswith("{"):
        from .articles import is_article_gold, missing_articles_error

        if is_article_gold(path):
            raise missing_articles_error(path)  # it quotes texts it does not carry: see articles.py
        items = _load_jsonl(path, raw)
        _check_unique_ids(path, items)
    else:
        raise GoldError(
            f"{path}: neither a JSON list (PLOVER GSR) nor JSON lines (one object per line); "
            "see docs/gold-format.md for the formats `lapwing eval` reads"
        )
    if not items:
        raise GoldError(f"{path}: holds no gold items; add at least one coded text")
    return items


def _check_unique_ids(path: Path, items: Iterable[GoldItem]) -> None:
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise GoldError(f"{path}: id {item.id!r} occurs twice; give every item its own id")
        seen.add(item.id)


# --- PLOVER GSR -------------------------------------------------------------------------------


def _load_gsr(path: Path, raw: str) -> list[GoldItem]:
    try:
        records = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise GoldError(f"{path}: line {exc.lineno}: invalid JSON ({exc.msg}); fix the JSON syntax") from exc
    if not isinstance(records, list):
        raise GoldError(f"{path}: a GSR file is one JSON list of records; got {type(records).__name__}")
    items = []
    seen: set[str] = set()
    for n, record in enumerate(records):
        where = f"{path}: record {n}"
        if not isinstance(record, dict):
            raise GoldError(f"{where}: expected a JSON object, got {type(record).__name__}; each record is one object")
        if record.get("event") == "DOCUMENT":
            continue  # the header record documents the file; it codes nothing
        where = f"{where} (id {record.get('id')!r})"
        item = _gsr_item(where, record)
        if item.id in seen:
            # The published GSR reuses one id for two different sentences; keep both, apart.
            item = dataclasses.replace(item, id=f"{item.id}#{n}")
        seen.add(item.id)
        items.append(item)
    return items


def _gsr_item(where: str, record: dict[str, Any]) -> GoldItem:
    for key in ("id", "text", "event"):
        if not isinstance(record.get(key), str) or not record[key].strip():
            raise GoldError(f"{where}: missing or empty {key!r}; every GSR record needs id, text and event")
    event_type, mode = _plover_type(where, record["event"], legacy_ok=True)
    raw_mode = record.get("mode")
    if mode is None and isinstance(raw_mode, str) and raw_mode.strip():
        mode = raw_mode.strip()  # v0.5 modes (e.g. strike-hun) are kept as written: modes are not scored
    actors, bad_a = _gsr_codes(where, record, "source")
    recipients, bad_r = _gsr_codes(where, record, "target")
    event = GoldEvent(
        event_type=event_type,
        mode=mode,
        actor_countries=actors,
        recipient_countries=recipients,
        trigger=record.get("eventText") or None,
        unmapped_codes=bad_a + bad_r,
    )
    # Every GSR date is the placeholder 2000-01-01, so it says nothing about publication.
    return GoldItem(id=record["id"], text=record["text"], published=None, events=(event,))


def _gsr_codes(where: str, record: dict[str, Any], field: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    value = record.get(field, "")
    if isinstance(value, str):
        # "" and a missing field mean no actor; the GSR also has one stray word ("diplomatic")
        # where a list belongs, which names no code and is read as no actor too.
        return (), ()
    if not isinstance(value, list):
        raise GoldError(f'{where}: {field!r} must be a list of actors or "", got {type(value).__name__}')
    codes: list[str] = []
    unmapped: list[str] = []
    for actor in value:
        code = actor.get("code") if isinstance(actor, dict) else None
        if not isinstance(code, str) or not code.strip():
            raise GoldError(f"{where}: an actor in {field!r} has no 'code'; give each actor a country code")
        norm = normalize_country(code)
        if norm is None:
            unmapped.append(code)
        elif norm not in codes:
            codes.append(norm)
    return tuple(codes), tuple(unmapped)


def _plover_type(where: str, name: Any, *, legacy_ok: bool) -> tuple[str, str | None]:
    if not isinstance(name, str):
        raise GoldError(f"{where}: event type must be a string, got {name!r}")
    upper = name.strip().upper()
    if upper in PLOVER_TYPES:
        return upper, None
    if upper in LEGACY_TYPES:
        if legacy_ok:
            return LEGACY_TYPES[upper]
        new, mode = LEGACY_TYPES[upper]
        hint = f" with mode {mode!r}" if mode else ""
        raise GoldError(f"{where}: {name!r} is a PLOVER v0.5 name; write {new!r}{hint}")
    raise GoldError(f"{where}: unknown event type {name!r}; use one of {', '.join(PLOVER_TYPES)}")


# --- Lapwing JSONL ----------------------------------------------------------------------------


def jsonl_objects(path: Path, raw: str) -> Iterable[tuple[str, dict[str, Any]]]:
    """("file: line N", object) for every non-blank line of a JSON Lines gold file."""
    for lineno, line in enumerate(raw.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}: line {lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise GoldError(f"{where}: invalid JSON ({exc.msg}); write one JSON object per line") from exc
        if not isinstance(record, dict):
            raise GoldError(f"{where}: expected a JSON object, got {type(record).__name__}")
        yield where, record


def _load_jsonl(path: Path, raw: str) -> list[GoldItem]:
    return [_jsonl_item(where, record) for where, record in jsonl_objects(path, raw)]


def _jsonl_item(where: str, record: dict[str, Any]) -> GoldItem:
    unknown = set(record) - {"id", "text", "published", "events"}
    if unknown:
        raise GoldError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}; allowed: id, text, published, events")
    item_id = record.get("id")
    if isinstance(item_id, int) and not isinstance(item_id, bool):
        item_id = str(item_id)
    if not isinstance(item_id, str) or not item_id.strip():
        raise GoldError(f"{where}: missing 'id'; give every article a unique string id")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise GoldError(f"{where}: missing or empty 'text'; give the article text")
    published = _published(where, record.get("published"))
    events = record.get("events")
    if not isinstance(events, list):
        raise GoldError(f"{where}: 'events' must be a list (use [] for a text with no event)")
    gold = tuple(_jsonl_event(f"{where}: event {k}", e) for k, e in enumerate(events))
    return GoldItem(id=item_id, text=text, published=published, events=gold)


def _published(where: str, value: Any) -> dt.date | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise GoldError(f"{where}: 'published' must be an ISO date string such as \"2024-03-01\", got {value!r}")
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError as exc:
        raise GoldError(f"{where}: 'published' {value!r} is not an ISO date; write YYYY-MM-DD") from exc


def _jsonl_event(where: str, event: Any) -> GoldEvent:
    if not isinstance(event, dict):
        raise GoldError(f"{where}: expected an object with event_type, actors, recipients")
    unknown = set(event) - {"event_type", "mode", "actors", "recipients", "trigger"}
    if unknown:
        raise GoldError(
            f"{where}: unknown field(s) {', '.join(sorted(unknown))}; allowed: event_type, mode, actors, recipients, trigger"
        )
    event_type, _ = _plover_type(where, event.get("event_type"), legacy_ok=False)
    mode = event.get("mode")
    if mode is not None and not isinstance(mode, str):
        raise GoldError(f"{where}: 'mode' must be a string or absent, got {mode!r}")
    trigger = event.get("trigger")
    if trigger is not None and not isinstance(trigger, str):
        raise GoldError(f"{where}: 'trigger' must be a string or absent, got {trigger!r}")
    return GoldEvent(
        event_type=event_type,
        mode=mode or None,
        actor_countries=_jsonl_codes(where, event, "actors"),
        recipient_countries=_jsonl_codes(where, event, "recipients"),
        trigger=trigger or None,
    )


def _jsonl_codes(where: str, event: dict[str, Any], field: str) -> tuple[str, ...]:
    value = event.get(field, [])
    if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
        raise GoldError(f'{where}: {field!r} must be a list of country codes such as ["USA"], got {value!r}')
    codes: list[str] = []
    for code in value:
        norm = normalize_country(code)
        if norm is None:
            raise GoldError(
                f"{where}: {field} code {code!r} is neither ISO 3166 alpha-3 nor a PLOVER non-state code "
                f"({', '.join(sorted(NON_STATE_CODES))}); fix the code"
            )
        if norm not in codes:
            codes.append(norm)
    return tuple(codes)
