"""Article gold for `lapwing eval`: whole articles coded into happenings, the texts kept apart.

An article-gold file (format: ../shared/data/articles/README.md, docs/gold-format.md) holds one
article's happenings a line and quotes the text by exact phrases (`key`, `also`) instead of
carrying it, so it is always read together with an articles file (JSON Lines with id and text,
what `lapwing extract` reads). It is told apart from the other gold formats by content: a JSON
object a line whose `events` items have `key` and `types`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import GoldError, InputError
from ..records import MOVES, Article
from .gold import _plover_type, _published, jsonl_objects

MODALITIES = ("asserted", "future", "hypothetical", "negated")


@dataclass(frozen=True, slots=True)
class GoldParty:
    """An actor or recipient of a gold happening; country and sector may be unknown (None)."""

    text: str
    country: str | None
    sector: str | None


@dataclass(frozen=True, slots=True)
class GoldPlace:
    """Where a gold happening took place."""

    name: str
    country: str | None


@dataclass(frozen=True, slots=True)
class GoldHappening:
    """One hand-coded happening of an article; `types` lists the acceptable types, preferred first."""

    id: str
    core: bool  # False: borderline, coding it or not is neither credited nor charged
    key: str  # the words holding the trigger of the main mention, verbatim from the text
    also: tuple[str, ...]  # words of each other sentence telling the same happening
    types: tuple[str, ...]
    mode: str | None
    modality: str
    actors: tuple[GoldParty, ...]
    recipients: tuple[GoldParty, ...]
    date: str | None  # YYYY-MM-DD, YYYY-MM or YYYY
    place: GoldPlace | None
    quantities: tuple[tuple[str, float], ...]  # (kind, number), in the file's order
    note: str | None = None
    move: str | None = None  # the negotiation move, for a move in talks (codebook section 3)

    @property
    def phrases(self) -> tuple[str, ...]:
        """The key, then the other mention phrases."""
        return (self.key, *self.also)


@dataclass(frozen=True, slots=True)
class ArticleGold:
    """One article's gold joined with its text from the articles file."""

    article: Article  # as `lapwing extract` would read it from the articles file
    events: tuple[GoldHappening, ...]

    @property
    def id(self) -> str:
        return self.article.id

    @property
    def text(self) -> str:
        return self.article.text

    @property
    def published(self) -> dt.date | None:
        return self.article.published


def is_article_gold(path: str | Path) -> bool:
    """True when the file is article gold: a JSON object a line whose events have key and types."""
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if not line.strip():
                    continue
                record = json.loads(line)
                if not isinstance(record, dict):
                    return False
                events = record.get("events")
                if not isinstance(events, list):
                    return False
                if events:  # an article with no event says nothing; the next line decides
                    first = events[0]
                    return isinstance(first, dict) and "key" in first and "types" in first
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False  # not ours to report: the other loaders name what is wrong with the file
    return False


def load_article_gold(gold_path: str | Path, articles_path: str | Path) -> list[ArticleGold]:
    """Read an article-gold file and join each article with its text from the articles file."""
    gold_path, articles_path = Path(gold_path), Path(articles_path)
    records = list(_gold_records(gold_path))
    if not records:
        raise GoldError(f"{gold_path}: holds no gold articles; add at least one coded article")
    texts = load_articles(articles_path)
    items = []
    for article_id, published, events in records:
        article = texts.get(article_id)
        if article is None:
            raise GoldError(
                f"{gold_path}: article id {article_id!r} is not in {articles_path}; "
                "give the articles file the gold was coded from"
            )
        if article.published is None and published is not None:
            article = _with_published(article, published)
        items.append(ArticleGold(article=article, events=events))
    return items


def load_articles(path: str | Path) -> dict[str, Article]:
    """The articles of a JSON Lines file by id, read exactly as `lapwing extract` reads them."""
    from ..io.readers import read_articles

    path = Path(path)
    if not path.is_file():
        raise GoldError(f"{path}: no such articles file; pass --articles the JSON Lines file of the texts")
    out: dict[str, Article] = {}
    # Read as `lapwing extract` does, so the offsets the engine reports index the same text.
    for item in read_articles([str(path)]):
        if isinstance(item, InputError):
            raise GoldError(f"articles file {item}")
        if item.id in out:
            raise GoldError(f"{path}: article id {item.id!r} occurs twice; give every article its own id")
        out[item.id] = item
    return out


def missing_articles_error(gold_path: str | Path) -> GoldError:
    """The error for article gold given without its articles file."""
    return GoldError(
        f"{gold_path}: is article gold, which quotes the texts but does not carry them; "
        "pass --articles FILE, the JSON Lines file of the articles (id and text)"
    )


def _with_published(article: Article, published: dt.date) -> Article:
    return dataclasses.replace(article, published=published)


# --- the gold file ------------------------------------------------------------------------------


def _gold_records(path: Path) -> Iterator[tuple[str, dt.date | None, tuple[GoldHappening, ...]]]:
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldError(f"{path}: cannot read gold file ({exc}); give a UTF-8 JSON Lines file") from exc
    seen: set[str] = set()
    for where, record in jsonl_objects(path, raw):
        article_id = record.get("id")
        if isinstance(article_id, int) and not isinstance(article_id, bool):
            article_id = str(article_id)
        if not isinstance(article_id, str) or not article_id.strip():
            raise GoldError(f"{where}: missing 'id'; give the id of the article in the articles file")
        if article_id in seen:
            raise GoldError(f"{where}: article id {article_id!r} occurs twice; code each article on one line")
        seen.add(article_id)
        events = record.get("events")
        if not isinstance(events, list):
            raise GoldError(f"{where}: 'events' must be a list (use [] for an article with no event)")
        happenings = tuple(_happening(f"{where}: event {k}", e) for k, e in enumerate(events))
        yield article_id, _published(where, record.get("published")), happenings


def _happening(where: str, event: Any) -> GoldHappening:
    if not isinstance(event, dict):
        raise GoldError(f"{where}: expected an object with core, key, types, modality")
    if isinstance(event.get("id"), str):
        where = f"{where} ({event['id']})"
    core = event.get("core")
    if not isinstance(core, bool):
        raise GoldError(f"{where}: 'core' must be true or false, got {core!r}")
    key = event.get("key")
    if not isinstance(key, str) or not key:
        raise GoldError(f"{where}: 'key' must be the words of the text that hold the trigger, got {key!r}")
    also = event.get("also") or []
    if not isinstance(also, list) or not all(isinstance(p, str) for p in also):
        raise GoldError(f"{where}: 'also' must be a list of phrases of the text, got {also!r}")
    types = event.get("types")
    if not isinstance(types, list) or not types:
        raise GoldError(f'{where}: \'types\' must be a non-empty list such as ["ASSAULT"], got {types!r}')
    modality = event.get("modality")
    if modality not in MODALITIES:
        raise GoldError(f"{where}: 'modality' {modality!r} is not one of {', '.join(MODALITIES)}")
    date = event.get("date")
    if date is not None and not isinstance(date, str):
        raise GoldError(f"{where}: 'date' must be YYYY-MM-DD, YYYY-MM, YYYY or null, got {date!r}")
    mode, note = event.get("mode"), event.get("note")
    return GoldHappening(
        id=str(event.get("id") or ""),
        core=core,
        key=key,
        also=tuple(also),
        types=tuple(_plover_type(where, t, legacy_ok=False)[0] for t in types),
        mode=mode if isinstance(mode, str) and mode else None,
        modality=modality,
        actors=_parties(where, event, "actors"),
        recipients=_parties(where, event, "recipients"),
        date=date or None,
        place=_place(where, event.get("place")),
        quantities=_quantities(where, event.get("quantities")),
        note=note if isinstance(note, str) else None,
        move=_move(where, event.get("negotiation")),
    )


def _move(where: str, negotiation: Any) -> str | None:
    if negotiation is None:
        return None
    move = negotiation.get("move") if isinstance(negotiation, dict) else None
    if move not in MOVES:
        raise GoldError(f"{where}: 'negotiation' must be null or an object whose 'move' is one of {', '.join(MOVES)}, got {negotiation!r}")
    return move


def _parties(where: str, event: dict[str, Any], field: str) -> tuple[GoldParty, ...]:
    value = event.get(field) or []
    if not isinstance(value, list):
        raise GoldError(f"{where}: {field!r} must be a list of {{text, country, sector}}, got {value!r}")
    parties = []
    for party in value:
        if not isinstance(party, dict):
            raise GoldError(f"{where}: each of {field!r} must be an object {{text, country, sector}}, got {party!r}")
        country, sector = party.get("country"), party.get("sector")
        for name, v in (("country", country), ("sector", sector)):
            if v is not None and not isinstance(v, str):
                raise GoldError(f"{where}: the {name} of an actor in {field!r} must be a code or null, got {v!r}")
        parties.append(GoldParty(text=str(party.get("text") or ""), country=country or None, sector=sector or None))
    return tuple(parties)


def _place(where: str, value: Any) -> GoldPlace | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("name"), str) or not value["name"].strip():
        raise GoldError(f"{where}: 'place' must be null or {{name, country}} with a name, got {value!r}")
    country = value.get("country")
    return GoldPlace(name=value["name"], country=country if isinstance(country, str) and country else None)


def _quantities(where: str, value: Any) -> tuple[tuple[str, float], ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise GoldError(f'{where}: \'quantities\' must be an object of kind to number such as {{"killed": 3}}')
    out = []
    for kind, number in value.items():
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            raise GoldError(f"{where}: quantity {kind!r} must be a number, got {number!r}")
        out.append((kind, float(number)))
    return tuple(out)
