"""Stories: events from different articles that report the same happening, clustered incrementally.

An event joins the story of its best-scoring earlier member from another article when the score
reaches the threshold, else it starts a story. Only members of compatible types within the date
window are ever compared (held in memory for a sliding window of dates: `story_window`), and of
each story at most its latest `max_compared`, so the work per event does not grow with the size
of a story or of the store. Every membership keeps the reasons it was linked for. docs/store.md
("Stories") describes the rules and the measured accuracy.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

from ..errors import InputError, StoreError
from .store import Store, _explain, _now
from .story_window import CandidateWindow, PlaceMembers

# Pairs of different types that may report one happening: a meeting and the agreement it produced
# (CONSULT/AGREE), an agreement signed or endorsed (AGREE/SUPPORT), a ceasefire or withdrawal
# declared or carried out (CONCEDE/RETREAT). Everything else links only within its own type.
COMPATIBLE_TYPES: frozenset[frozenset[str]] = frozenset(
    frozenset(pair) for pair in (("CONSULT", "AGREE"), ("AGREE", "SUPPORT"), ("CONCEDE", "RETREAT"))
)
_USABLE_GRANULARITY = ("day", "week", "month")  # a year or decade says too little to tell happenings apart
_LONGEST_RANGE = 31  # days a usable date range can span (a month), to bound the index scan
# Words that say nothing about which happening a sentence reports (dates are compared apart).
_STOPWORDS = frozenset((
    "a", "an", "the", "and", "or", "but", "of", "in", "on", "at", "to", "for", "from", "by", "with", "as", "into",
    "over", "after", "before", "during", "about", "said", "says", "say", "told", "tells", "according", "officials",
    "official", "also", "was", "were", "is", "are", "be", "been", "being", "has", "have", "had", "it", "its",
    "this", "that", "these", "those", "their", "they", "them", "he", "she", "his", "her", "who", "which", "while",
    "than", "then", "there", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today",
    "yesterday", "night", "morning", "late", "early", "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
))
# Capitalised only because they open a sentence: not names.
_NUMBER_WORDS = frozenset((
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
    "twenty", "thirty", "forty", "fifty", "hundreds", "thousands", "dozens", "at", "least", "more", "some", "about",
    "nearly",
))
_WORD = re.compile(r"\w+", re.UNICODE)
_NAME = re.compile(r"[A-Z][\w-]*", re.UNICODE)


@dataclass(frozen=True, slots=True)
class StoryConfig:
    """How events are linked; the defaults are tuned on the dev split of tests/data/stories."""

    threshold: float = 0.6
    window_days: int = 3  # day-granular dates this far apart may still be one happening
    number_ratio: float = 0.6  # reported counts agree when smaller/larger is at least this
    max_km: float = 100.0  # two named cities further apart than this are two happenings
    weights: Mapping[str, float] = field(
        default_factory=lambda: {
            "type": 0.10, "date": 0.20, "place": 0.15, "actors": 0.15, "names": 0.20, "text": 0.10, "numbers": 0.10,
        }
    )
    linkage: str = "blend"  # a story's score for an event: "max" (single link), "mean" or "blend" of both
    batch_size: int = 500  # events per transaction
    # Members of one story an event is compared with: its latest-dated ones in the window. Bounds
    # the work per event when a story has grown to hundreds of reports; never binds on the team's set.
    max_compared: int = 12

    def __post_init__(self) -> None:
        if self.linkage not in ("max", "mean", "blend"):
            raise InputError(f"story linkage {self.linkage!r} is unknown: use max, mean or blend")
        if self.max_compared < 1:
            raise InputError(f"max_compared={self.max_compared!r}: compare at least one member per story")


@dataclass(frozen=True, slots=True)
class EventFeatures:
    """What the clustering compares, read once from a stored event record."""

    id: str
    article_id: str
    event_type: str
    modality: str
    first: dt.date | None  # None when the date is unknown or coarser than a month
    last: dt.date | None
    granularity: str
    confidence: float
    published: str | None
    place_name: str | None  # folded for comparison (Rafaḩ -> rafah)
    place_raw: str | None  # as stored in events.place_name, for index lookups
    place_country: str | None
    place_admin1: str | None
    place_geonameid: int | None
    place_is_country: bool
    place_point: tuple[float, float] | None  # lat, lon of a city; regions and countries have none here
    actor_countries: frozenset[str]
    recipient_countries: frozenset[str]
    words: frozenset[str]  # content words of the evidence sentence
    names: frozenset[str]  # its capitalised words: places, people, organisations the report names
    numbers: Mapping[str, float]  # largest value per quantity kind
    story_id: int | None = None

    @classmethod
    def from_record(cls, record: Mapping[str, Any], published: str | None = None, story_id: int | None = None) -> EventFeatures:
        """Features of an event in the JSON contract (docs/events.md)."""
        from .store import date_range

        date = record.get("date") or {}
        granularity = date.get("granularity") or "unknown"
        first = last = None
        if granularity in _USABLE_GRANULARITY:
            a, b = date_range(date.get("value"), granularity)
            if a and b:
                first, last = dt.date.fromisoformat(a), dt.date.fromisoformat(b)
        place = record.get("location") or {}
        evidence = (record.get("evidence") or {}).get("text") or ""
        numbers: dict[str, float] = {}
        for q in record.get("quantities") or ():
            numbers[q["kind"]] = max(numbers.get(q["kind"], q["value"]), q["value"])
        return cls(
            id=record["id"], article_id=record["article_id"], event_type=record["event_type"],
            modality=record.get("modality") or "asserted", first=first, last=last, granularity=granularity,
            confidence=float(record.get("confidence") or 0.0), published=published,
            place_name=_fold(place["name"]) if place.get("name") else None, place_raw=place.get("name"),
            place_country=place.get("country"),
            place_admin1=place.get("admin1"), place_geonameid=place.get("geonameid"),
            place_is_country=place.get("feature") == "country",
            place_point=(place["lat"], place["lon"]) if place.get("feature", "city") == "city"
            and place.get("lat") is not None and place.get("lon") is not None else None,
            actor_countries=frozenset(a["country"] for a in record.get("actors") or () if a.get("country")),
            recipient_countries=frozenset(a["country"] for a in record.get("recipients") or () if a.get("country")),
            words=frozenset(_words(evidence)), names=frozenset(_names(evidence)),
            numbers=numbers, story_id=story_id,
        )


class Vocabulary(Protocol):
    """Inverse document frequency of a (folded, lower-case) word."""

    def idf(self, word: str) -> float: ...


class UniformVocabulary:
    """Every word weighs the same: for tests and stores without articles."""

    def idf(self, word: str) -> float:
        """1.0 for every word."""
        return 1.0


class _Weights:
    """A vocabulary's squared IDF per word and the squared norm per word set, each computed once.

    Every event is compared with many others: recomputing a set's weights for each pair was most
    of the clustering's time. The sums run over the same sets in the same order as before, so the
    cosines are bit-for-bit the same.
    """

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.squares: dict[str, float] = {}
        self.norms: dict[frozenset[str], float] = {}

    def square(self, word: str) -> float:
        value = self.squares.get(word)
        if value is None:
            value = self.squares[word] = self.vocabulary.idf(word) ** 2
        return value

    def norm(self, words: frozenset[str]) -> float:
        value = self.norms.get(words)
        if value is None:
            if len(self.norms) > 200_000:
                self.norms.clear()  # held per run; bounded like the feature cache
            value = self.norms[words] = sum(self.square(w) for w in words)
        return value

    def idf(self, word: str) -> float:
        return self.vocabulary.idf(word)


class StoreVocabulary:
    """IDF from the store's full-text index of articles (articles_vocab), cached per run."""

    def __init__(self, store: Store) -> None:
        self._db = store.db
        self._n = store.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        self._cache: dict[str, float] = {}

    def idf(self, word: str) -> float:
        """log((N + 1) / (df + 1)) + 1: rare words (place names) outweigh common ones (killed)."""
        value = self._cache.get(word)
        if value is None:
            row = self._db.execute("SELECT doc FROM articles_vocab WHERE term = ?", (word,)).fetchone()
            value = math.log((self._n + 1) / ((row[0] if row else 0) + 1)) + 1.0
            self._cache[word] = value
        return value


@dataclass(frozen=True, slots=True)
class Link:
    """Why two events were judged to report one happening; `reasons` is stored as JSON."""

    score: float
    reasons: dict[str, Any]


def score_pair(a: EventFeatures, b: EventFeatures, config: StoryConfig = StoryConfig(),
               vocabulary: Vocabulary | None = None) -> Link | None:
    """The weighted evidence that `a` and `b` report one happening, or None when something rules it out."""
    scored = _score(a, b, config, vocabulary)
    return None if scored is None else _link(a, b, scored)


# What _score found: score, components, type reason, date gap, place reason, shared countries, numbers.
_Scored = tuple[float, dict[str, float], str, "int | None", str, list[str], dict[str, list[float]]]


def _score(a: EventFeatures, b: EventFeatures, config: StoryConfig, vocabulary: Vocabulary | None) -> _Scored | None:
    # score_pair without its reasons: clustering scores many pairs and keeps the reasons of one.
    if a.article_id == b.article_id or a.modality != b.modality:
        return None
    if a.event_type == b.event_type:
        type_score, type_reason = 1.0, "same"
    elif frozenset((a.event_type, b.event_type)) in COMPATIBLE_TYPES:
        type_score, type_reason = 0.5, "compatible"
    else:
        return None
    place_score, place_reason = _place(a, b, config.max_km)
    if place_score is None:
        return None  # places in different countries
    actor_score, shared = _actors(a, b)
    gap = _gap(a, b)
    if gap is None:
        # Unknown or vague dates say nothing; only the same named place and agreeing actors link them.
        if place_score < 1.0 or actor_score < 0.5:
            return None
        date_score = 0.0
    elif gap > config.window_days:
        return None
    else:
        date_score = 1.0 - gap / (config.window_days + 1)
        if a.granularity != "day" or b.granularity != "day":
            date_score *= 0.5  # overlapping weeks or months are compatible, not evidence
    vocabulary = vocabulary or UniformVocabulary()
    text_score = _cosine(a.words, b.words, vocabulary)
    names_score = _cosine(a.names, b.names, vocabulary) if a.names and b.names else 0.5
    number_score, number_reason = _numbers(a, b, config.number_ratio)
    parts = {"type": type_score, "date": date_score, "place": place_score, "actors": actor_score,
             "names": names_score, "text": text_score, "numbers": number_score}
    score = sum(config.weights.get(k, 0.0) * v for k, v in parts.items())
    return score, parts, type_reason, gap, place_reason, shared, number_reason


def _link(a: EventFeatures, b: EventFeatures, scored: _Scored) -> Link:
    score, parts, type_reason, gap, place_reason, shared, number_reason = scored
    reasons = {
        "matched_event": b.id, "matched_article": b.article_id,
        "type": type_reason, "types": sorted({a.event_type, b.event_type}),
        "date_gap_days": gap, "place": place_reason, "shared_countries": shared, "numbers": number_reason,
        "components": {k: round(v, 3) for k, v in parts.items()}, "score": round(score, 3),
    }
    return Link(score, reasons)


def _gap(a: EventFeatures, b: EventFeatures) -> int | None:
    if a.first is None or b.first is None or a.last is None or b.last is None:
        return None
    return max(0, (b.first - a.last).days, (a.first - b.last).days)


def _place(a: EventFeatures, b: EventFeatures, max_km: float) -> tuple[float | None, str]:
    if a.place_name is None or b.place_name is None:
        known, other = (a, b) if a.place_name is not None else (b, a)
        if known.place_name is not None and set(known.place_name.split()) <= other.names:
            # The locator found no place for one report, but its sentence names the other's place.
            return 1.0, f"same place ({known.place_name}, named in the other report)"
        return 0.5, "unknown" if a.place_name == b.place_name else "one unknown"
    if (a.place_geonameid and a.place_geonameid == b.place_geonameid) or a.place_name == b.place_name:
        return 1.0, f"same place ({a.place_name})"
    if a.place_country and b.place_country and a.place_country != b.place_country:
        return None, "different countries"
    if a.place_is_country or b.place_is_country:
        return 0.6, f"{a.place_name} lies in {b.place_name}" if b.place_is_country else f"{b.place_name} lies in {a.place_name}"
    if a.place_point and b.place_point:
        km = _km(a.place_point, b.place_point)
        if km > max_km:
            return None, f"{a.place_name} and {b.place_name} are {km:.0f} km apart"
        # Near places are often one happening located at different words ("Rafah", "southern Gaza").
        return 0.8 - 0.6 * km / max_km, f"near places ({a.place_name}, {b.place_name}, {km:.0f} km)"
    if a.place_admin1 and a.place_admin1 == b.place_admin1:
        return 0.5, f"same region ({a.place_admin1})"
    return 0.2, f"different places in one country ({a.place_name}, {b.place_name})"


def _km(p: tuple[float, float], q: tuple[float, float]) -> float:
    """Great-circle distance in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*p, *q))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _actors(a: EventFeatures, b: EventFeatures) -> tuple[float, list[str]]:
    """Overlap of actor countries with actor countries and recipients with recipients (roles matter:
    Hamas freeing hostages is not Israel freeing prisoners); 0.5 when no role can be compared."""
    scores, shared = [], set()
    for x, y in ((a.actor_countries, b.actor_countries), (a.recipient_countries, b.recipient_countries)):
        if x and y:
            common = x & y
            scores.append(len(common) / min(len(x), len(y)))
            shared |= common
    return (sum(scores) / len(scores) if scores else 0.5), sorted(shared)


def _numbers(a: EventFeatures, b: EventFeatures, ratio: float) -> tuple[float, dict[str, list[float]]]:
    """Share of the quantity kinds both report whose values roughly agree (7 and 8 killed do)."""
    kinds = sorted(set(a.numbers) & set(b.numbers))
    if not kinds:
        return 0.5, {}
    agree = sum(1 for k in kinds if min(a.numbers[k], b.numbers[k]) / max(a.numbers[k], b.numbers[k], 1e-9) >= ratio)
    return agree / len(kinds), {k: [a.numbers[k], b.numbers[k]] for k in kinds}


def _cosine(x: frozenset[str], y: frozenset[str], vocabulary: Vocabulary) -> float:
    if not x or not y:
        return 0.0
    if isinstance(vocabulary, _Weights):
        shared = x & y
        if not shared:
            return 0.0
        return sum(vocabulary.square(w) for w in shared) / math.sqrt(vocabulary.norm(x) * vocabulary.norm(y))
    weight = {w: vocabulary.idf(w) ** 2 for w in x | y}
    common = sum(weight[w] for w in x & y)
    return common / math.sqrt(sum(weight[w] for w in x) * sum(weight[w] for w in y))


def _fold(text: str) -> str:
    """Lower case without diacritics, as the FTS5 unicode61 tokenizer indexes words (Rafaḩ -> rafah)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _names(text: str) -> list[str]:
    """Folded capitalised words; the sentence's first word only when it is not a common one (The, Nine)."""
    out = []
    for i, match in enumerate(_NAME.finditer(text)):
        word = _fold(match.group()).removesuffix("'s")
        if i == 0 and match.start() == 0 and (word in _STOPWORDS or word in _NUMBER_WORDS or len(word) < 3):
            continue
        if word not in _STOPWORDS:
            out.append(word)
    return out


def _words(text: str) -> list[str]:
    return [w for w in _WORD.findall(_fold(text)) if w not in _STOPWORDS and (len(w) > 2 or w.isdigit())]


# -- updating the stored stories ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StoryUpdate:
    """What one `update_stories` run did."""

    assigned: int  # events given a story
    joined: int  # of which joined an existing story
    started: int  # of which started a new one
    refreshed: int  # stories re-summarised because recoding removed members


_PLACE_FIELDS = ("place_name", "place_raw", "place_country", "place_admin1", "place_geonameid", "place_is_country",
                 "place_point")
_FEATURE_COLUMNS = "e.id, e.record, a.published, se.story_id"
_FEATURE_FROM = "events e JOIN articles a ON a.id = e.article_id LEFT JOIN story_events se ON se.event_id = e.id"


def update_stories(store: Store, article_ids: Iterable[str] | None = None, *,
                   config: StoryConfig = StoryConfig()) -> StoryUpdate:
    """Give every event without a story (of `article_ids`, or all) one; idempotent, incremental."""
    try:
        refreshed = _refresh_stale(store)
        pending = _unassigned(store, article_ids)
        vocabulary = _Weights(StoreVocabulary(store))
        cache: dict[str, EventFeatures] = {}
        window = CandidateWindow(dt.timedelta(days=_LONGEST_RANGE),
                                 lambda since, until: _window_rows(store, since, until))
        places = PlaceMembers(lambda place: _place_rows(store, place))
        joined = started = 0
        for start in range(0, len(pending), config.batch_size):
            store.db.execute("BEGIN IMMEDIATE")
            touched: set[int] = set()
            batch = pending[start : start + config.batch_size]
            dates = _dates(store, batch)
            for event in _features(store, batch):
                candidates, located = _candidates(store, event, cache, window, places, config.max_compared)
                best, best_story = _choose(event, candidates, config, vocabulary, located)
                if best is None:
                    best_story = _start_story(store, event)
                    reasons, score = {"started": True}, None
                    started += 1
                else:
                    reasons, score = best.reasons, round(best.score, 4)
                    joined += 1
                store.db.execute(
                    "INSERT INTO story_events (event_id, story_id, score, reasons) VALUES (?, ?, ?, ?)",
                    (event.id, best_story, score, json.dumps(reasons)),
                )
                assert best_story is not None
                rowid, date_first, date_last, granularity = dates[event.id]
                window.add(event.event_type, best_story, date_first, rowid, date_last, event.article_id,
                           dataclasses.replace(event, story_id=best_story))
                if event.place_raw is not None:
                    undated = date_first is None or (granularity is not None and granularity not in _USABLE_GRANULARITY)
                    places.add(event.place_raw, rowid, event.id, event.event_type, event.article_id, undated)
                touched.add(best_story)
            for story_id in touched:
                _summarise(store, story_id)
            store.db.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        store._rollback()
        raise StoreError(_explain(store.path, exc)) from exc
    except BaseException:
        store._rollback()  # memberships and summaries of a batch are written together or not at all
        raise
    return StoryUpdate(joined + started, joined, started, refreshed)


def _choose(event: EventFeatures, candidates: list[EventFeatures], config: StoryConfig,
            vocabulary: Vocabulary, located: dict[int, EventFeatures] | None = None) -> tuple[Link | None, int | None]:
    """The story to join: by its members' scores under `config.linkage`, if that reaches the threshold.

    `located`: each story's first candidate with a place, when the caller found it already.
    """
    by_story: dict[int, list[tuple[float, tuple[EventFeatures, _Scored] | None]]] = {}
    located = dict(located or {})
    for candidate in candidates:
        if candidate.place_name is not None and candidate.story_id is not None:
            located.setdefault(candidate.story_id, candidate)
    for candidate in _latest_per_story(candidates, config.max_compared):
        assert candidate.story_id is not None
        place = located.get(candidate.story_id)
        if candidate.place_name is None and place is not None:
            # A report the locator could not place takes its story's place: the story knows where it happened.
            candidate = dataclasses.replace(candidate, **{f: getattr(place, f) for f in _PLACE_FIELDS})
        found = _score(event, candidate, config, vocabulary)
        by_story.setdefault(candidate.story_id, []).append((found[0], (candidate, found)) if found else (0.0, None))
    best: tuple[float, int, tuple[EventFeatures, _Scored]] | None = None
    for story_id, scored in sorted(by_story.items()):
        top, link = max(scored, key=lambda s: s[0])
        if link is None:
            continue
        mean = sum(s for s, _ in scored) / len(scored)
        # "max" is single link; "mean" and "blend" make a lookalike that resembles one member but
        # not the others score lower, which stops chains of near misses.
        value = {"max": top, "mean": mean, "blend": (top + mean) / 2}[config.linkage]
        if value >= config.threshold and (best is None or value > best[0]):
            best = (value, story_id, link)
    if best is None:
        return None, None
    value, story_id, (member, found) = best
    link = _link(event, member, found)
    reasons = dict(link.reasons, story_score=round(value, 3), members_compared=len(by_story[story_id]))
    return Link(value, reasons), story_id


def _latest_per_story(candidates: list[EventFeatures], limit: int) -> list[EventFeatures]:
    """The candidates, keeping only each story's last `limit` (candidates come in date order)."""
    counts: dict[int | None, int] = {}
    for candidate in candidates:
        counts[candidate.story_id] = counts.get(candidate.story_id, 0) + 1
    if max(counts.values(), default=0) <= limit:
        return candidates
    keep = []
    for candidate in candidates:
        counts[candidate.story_id] -= 1
        if counts[candidate.story_id] < limit:
            keep.append(candidate)
    return keep


def _refresh_stale(store: Store) -> int:
    """Re-summarise stories whose members were removed by recoding (the FK cascade), drop empty ones."""
    stale = [r[0] for r in store.db.execute(
        "SELECT s.id FROM stories s WHERE s.events != (SELECT COUNT(*) FROM story_events se WHERE se.story_id = s.id)"
    )]
    if stale:
        store.db.execute("BEGIN IMMEDIATE")
        for story_id in stale:
            _summarise(store, story_id)
        store.db.execute("COMMIT")
    return len(stale)


def _unassigned(store: Store, article_ids: Iterable[str] | None) -> list[str]:
    # Oldest first, so a story's founder is usually its earliest report.
    order = " ORDER BY e.date_first IS NULL, e.date_first, a.published IS NULL, a.published, e.article_id, e.id"
    sql = "SELECT e.id FROM " + _FEATURE_FROM + " WHERE se.event_id IS NULL"
    if article_ids is None:
        return [r[0] for r in store.db.execute(sql + order)]
    ids = list(dict.fromkeys(article_ids))
    found: list[str] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        found += [r[0] for r in store.db.execute(sql + f" AND e.article_id IN ({','.join('?' * len(chunk))})" + order, chunk)]
    return found


def _features(store: Store, event_ids: list[str]) -> list[EventFeatures]:
    rows = store.db.execute(
        f"SELECT {_FEATURE_COLUMNS} FROM {_FEATURE_FROM} WHERE e.id IN ({','.join('?' * len(event_ids))})", event_ids
    ).fetchall()
    by_id = {r["id"]: EventFeatures.from_record(json.loads(r["record"]), r["published"], r["story_id"]) for r in rows}
    return [by_id[i] for i in event_ids if i in by_id]


def _candidates(store: Store, event: EventFeatures, cache: dict[str, EventFeatures], window: CandidateWindow,
                places: PlaceMembers, limit: int) -> tuple[list[EventFeatures], dict[int, EventFeatures]]:
    """Story members of compatible type near the event's date, or at its named place when undated,
    and each story's first located one among the dated.

    Dated members come from the in-memory `window` (a generous date bound; score_pair applies the
    real one), at most each story's last `limit`; undated ones at the same place from `places`,
    their features kept in `cache`.
    """
    types = sorted({event.event_type} | {t for pair in COMPATIBLE_TYPES if event.event_type in pair for t in pair})
    out: list[EventFeatures] = []
    located: dict[int, EventFeatures] = {}
    if event.first is not None and event.last is not None:
        out, located = window.candidates(types, event.article_id, event.first, event.last, limit)
    ids: list[str] = []
    if event.place_raw is not None:
        # Undated events match only at the same named place: look them up by it, never scan them all.
        ids = places.ids(event.place_raw, types, event.article_id, undated_only=event.first is not None, limit=2000)
    if len(cache) > 100_000:
        cache.clear()  # members are read again rather than held without bound
    missing = [i for i in dict.fromkeys(ids) if i not in cache]
    for start in range(0, len(missing), 500):
        chunk = missing[start : start + 500]
        for r in store.db.execute(
            f"SELECT {_FEATURE_COLUMNS} FROM {_FEATURE_FROM} WHERE e.id IN ({','.join('?' * len(chunk))})", chunk
        ):
            cache[r["id"]] = EventFeatures.from_record(json.loads(r["record"]), r["published"], r["story_id"])
    return out + [cache[i] for i in ids], located


def _window_rows(store: Store, since: str | None,
                 until: str) -> Iterator[tuple[str, int, str, str, str, int, EventFeatures]]:
    """Story members whose date_first lies in (since, until], for the CandidateWindow."""
    sql = ("SELECT e.event_type, e.rowid, e.date_first, e.date_last, e.article_id, se.story_id, e.record, a.published "
           "FROM events e JOIN story_events se ON se.event_id = e.id JOIN articles a ON a.id = e.article_id "
           "WHERE e.date_first <= ?")
    params: list[Any] = [until]
    if since is not None:
        sql += " AND e.date_first > ?"
        params.append(since)
    for r in store.db.execute(sql, params).fetchall():
        features = EventFeatures.from_record(json.loads(r["record"]), r["published"], r["story_id"])
        yield r["event_type"], r["rowid"], r["date_first"], r["date_last"], r["article_id"], r["story_id"], features


def _place_rows(store: Store, place: str) -> list[tuple[int, str, str, str, bool]]:
    """(rowid, id, type, article id, undated?) of the story members at `place`, for PlaceMembers."""
    return [(r[0], r[1], r[2], r[3], bool(r[4])) for r in store.db.execute(
        "SELECT e.rowid, e.id, e.event_type, e.article_id, "
        "(e.date_first IS NULL OR e.date_granularity NOT IN ('day', 'week', 'month')) "
        "FROM events e JOIN story_events se ON se.event_id = e.id WHERE e.place_name = ?", (place,))]


def _dates(store: Store, event_ids: list[str]) -> dict[str, tuple[int, str | None, str | None, str | None]]:
    """Event id -> (rowid, date_first, date_last, date_granularity): where a newly placed member goes."""
    out = {}
    for start in range(0, len(event_ids), 500):
        chunk = event_ids[start : start + 500]
        for r in store.db.execute(
            f"SELECT id, rowid, date_first, date_last, date_granularity FROM events "
            f"WHERE id IN ({','.join('?' * len(chunk))})", chunk
        ):
            out[r[0]] = (r[1], r[2], r[3], r[4])
    return out


def _start_story(store: Store, event: EventFeatures) -> int:
    now = _now()
    cursor = store.db.execute(
        "INSERT INTO stories (representative_event_id, event_type, sources, articles, events, quantities, "
        "created_at, updated_at) VALUES (?, ?, 0, 0, 0, '{}', ?, ?)",
        (event.id, event.event_type, now, now),
    )
    return int(cursor.lastrowid)


def _summarise(store: Store, story_id: int) -> None:
    """Recompute a story's representative, dates, counts and number spreads from its members."""
    members = store.db.execute(
        "SELECT e.id, e.article_id, e.event_type, e.confidence, e.date_first, e.date_last, a.source, a.url, a.published "
        "FROM story_events se JOIN events e ON e.id = se.event_id JOIN articles a ON a.id = e.article_id "
        "WHERE se.story_id = ?", (story_id,),
    ).fetchall()
    if not members:
        store.db.execute("DELETE FROM stories WHERE id = ?", (story_id,))
        return
    # Highest confidence; the earliest report on ties; then the id, so the choice is stable.
    rep = min(members, key=lambda m: (-m["confidence"], m["published"] is None, m["published"] or "", m["id"]))
    firsts = [m["date_first"] for m in members if m["date_first"]]
    lasts = [m["date_last"] for m in members if m["date_last"]]
    published = [m["published"] for m in members if m["published"]]
    store.db.execute(
        "UPDATE stories SET representative_event_id = ?, event_type = ?, first_date = ?, last_date = ?, "
        "earliest_report = ?, sources = ?, articles = ?, events = ?, quantities = ?, updated_at = ? WHERE id = ?",
        (
            rep["id"], rep["event_type"], min(firsts) if firsts else None, max(lasts) if lasts else None,
            min(published) if published else None, len({source_key(m["source"], m["url"], m["article_id"]) for m in members}),
            len({m["article_id"] for m in members}), len(members), json.dumps(_spreads(store, story_id)), _now(), story_id,
        ),
    )


def _spreads(store: Store, story_id: int) -> dict[str, dict[str, Any]]:
    """Per quantity kind: min, max and each article's figure (its largest, when it gives several)."""
    per_article: dict[str, dict[str, dict[str, Any]]] = {}
    for row in store.db.execute(
        "SELECT q.kind, q.value, e.article_id, a.source, a.url FROM story_events se JOIN quantities q ON "
        "q.event_id = se.event_id JOIN events e ON e.id = se.event_id JOIN articles a ON a.id = e.article_id "
        "WHERE se.story_id = ? ORDER BY a.published, e.article_id", (story_id,),
    ):
        reports = per_article.setdefault(row["kind"], {})
        seen = reports.get(row["article_id"])
        if seen is None or row["value"] > seen["value"]:
            reports[row["article_id"]] = {"article_id": row["article_id"],
                                          "source": source_key(row["source"], row["url"], row["article_id"]),
                                          "value": row["value"]}
    return {
        kind: {"min": min(r["value"] for r in reports.values()), "max": max(r["value"] for r in reports.values()),
               "reports": list(reports.values())}
        for kind, reports in sorted(per_article.items())
    }


def source_key(source: str | None, url: str | None, article_id: str) -> str:
    """Who published an article: its `source`, else its URL's host (without www.), else the article id."""
    if source:
        return source
    if url:
        host = urlsplit(url).hostname
        if host:
            return host.removeprefix("www.")
    return f"article:{article_id}"


# -- reading stories ----------------------------------------------------------------------------

_STORY_COLUMNS = (
    "s.id, s.event_type, s.first_date, s.last_date, s.earliest_report, s.sources, s.articles, s.events, "
    "s.quantities, e.record"
)


# Orders of a story list: earliest first, latest first, most reports first.
STORY_SORTS: dict[str, str] = {
    "date": "s.first_date IS NULL, s.first_date, s.id",
    "-date": "s.first_date IS NULL, s.first_date DESC, s.last_date, s.id",
    "-reports": "s.events DESC, s.sources DESC, s.first_date IS NULL, s.first_date DESC, s.id",
}


def list_stories(store: Store, *, since: dt.date | str | None = None, until: dt.date | str | None = None,
                 event_type: str | None = None, min_sources: int = 1, limit: int | None = None,
                 offset: int = 0, sort: str = "date") -> list[dict[str, Any]]:
    """Stories whose dates overlap [since, until], of a type, with at least `min_sources` sources."""
    if sort not in STORY_SORTS:
        raise InputError(f"unknown story sort {sort!r}: use one of {', '.join(STORY_SORTS)}")
    condition, params = _story_filter(since, until, event_type, min_sources)
    sql = (f"SELECT {_STORY_COLUMNS} FROM stories s JOIN events e ON e.id = s.representative_event_id "
           f"WHERE {condition} ORDER BY {STORY_SORTS[sort]}")
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params += [limit, offset]
    return [_summary(row) for row in store.db.execute(sql, params)]


def count_stories(store: Store, *, since: dt.date | str | None = None, until: dt.date | str | None = None,
                  event_type: str | None = None, min_sources: int = 1) -> int:
    """How many stories `list_stories` with the same filters would list."""
    condition, params = _story_filter(since, until, event_type, min_sources)
    return store.db.execute(f"SELECT COUNT(*) FROM stories s WHERE {condition}", params).fetchone()[0]


def _story_filter(since, until, event_type, min_sources) -> tuple[str, list[Any]]:
    where, params = ["s.sources >= ?"], [min_sources]
    if since is not None:
        where.append("s.last_date >= ?")
        params.append(iso_date(since, "since"))
    if until is not None:
        where.append("s.first_date <= ?")
        params.append(iso_date(until, "until"))
    if event_type is not None:
        where.append("s.event_type = ?")
        params.append(event_type.upper())
    return " AND ".join(where), params


def story(store: Store, story_id: int) -> dict[str, Any]:
    """One story with its members: each event, its article and the reasons it joined."""
    row = store.db.execute(
        f"SELECT {_STORY_COLUMNS} FROM stories s JOIN events e ON e.id = s.representative_event_id WHERE s.id = ?",
        (story_id,),
    ).fetchone()
    if row is None:
        raise InputError(f"there is no story {story_id!r} in {store.path}: list the stories with `lapwing stories`")
    out = _summary(row)
    out["members"] = [
        {
            "event": json.loads(m["record"]),
            "article": {"id": m["article_id"], "title": m["title"], "source": source_key(m["source"], m["url"], m["article_id"]),
                        "url": m["url"], "published": m["published"]},
            "score": m["score"],
            "reasons": json.loads(m["reasons"]),
        }
        for m in store.db.execute(
            "SELECT e.record, e.article_id, a.title, a.source, a.url, a.published, se.score, se.reasons "
            "FROM story_events se JOIN events e ON e.id = se.event_id JOIN articles a ON a.id = e.article_id "
            "WHERE se.story_id = ? ORDER BY a.published IS NULL, a.published, e.article_id, e.id", (story_id,),
        )
    ]
    return out


def describe(reasons: Mapping[str, Any]) -> str:
    """One line of prose for a membership's stored reasons (for --explain and the web page)."""
    if reasons.get("started"):
        return "started the story (no earlier report scored above the threshold)"
    parts = [f"{reasons['type']} type ({'/'.join(reasons['types'])})"]
    gap = reasons.get("date_gap_days")
    parts.append("dates unknown" if gap is None else "same dates" if gap == 0 else f"{gap} day(s) apart")
    parts.append(reasons["place"])
    c = reasons["components"]
    shared = ", ".join(reasons.get("shared_countries") or ()) or "none shared"
    parts.append(f"actors {c['actors']:.2f} ({shared})")
    parts.append(f"names {c['names']:.2f}")
    parts.append(f"text {c['text']:.2f}")
    if reasons.get("numbers"):
        parts.append("numbers " + ", ".join(f"{k} {_n(v[0])}/{_n(v[1])}" for k, v in reasons["numbers"].items()))
    head = f"score {reasons['score']:.2f} with event {reasons['matched_event']}"
    if "story_score" in reasons:
        head += f" (story score {reasons['story_score']:.2f} over {reasons['members_compared']} member(s) compared)"
    return head + ": " + "; ".join(parts)


def _summary(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"], "event_type": row["event_type"], "first_date": row["first_date"], "last_date": row["last_date"],
        "earliest_report": row["earliest_report"], "sources": row["sources"], "articles": row["articles"],
        "events": row["events"], "quantities": json.loads(row["quantities"]), "representative": json.loads(row["record"]),
    }


def iso_date(value: dt.date | str, name: str) -> str:
    """A date filter as YYYY-MM-DD, or a one-line error naming the filter."""
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise InputError(f"{name} {value!r} is not a date: give YYYY-MM-DD") from None


def _n(value: float) -> str:
    return f"{value:g}"
