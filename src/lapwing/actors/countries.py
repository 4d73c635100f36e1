"""Country names, demonyms and metonyms -> ISO 3166 alpha-3.

Official and common names come from `pycountry`, demonyms from `countryinfo`; both are kept current
by their maintainers. The project adds only what news writing uses and those packages lack: the short
names below, capitals and buildings that stand for a government ("the Kremlin said"), and
data/demonyms.tsv (demonyms the package lacks or maps to a minor territory).
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Generic, TypeVar

import pycountry

from ..errors import ResourceError

V = TypeVar("V")
_WORD = re.compile(r"\w+")

# PLOVER's non-state "country" codes, and the two codes ISO lacks that the project uses.
NON_STATE_CODES = frozenset({"IGO", "UNO", "EUR", "NGO", "ISM", "IMG", "MNC"})
EXTRA_STATE_CODES = frozenset({"PSE", "XKX"})

# News names pycountry lacks or spells officially ("Iran, Islamic Republic of").
NEWS_NAMES: dict[str, str] = {
    "Europe": "EUR", "US": "USA", "U.S.": "USA", "U.S.A.": "USA", "USA": "USA", "United States": "USA", "America": "USA",
    "UK": "GBR", "U.K.": "GBR", "Britain": "GBR", "Great Britain": "GBR", "England": "GBR",
    "Russia": "RUS", "Iran": "IRN", "Syria": "SYR", "South Korea": "KOR", "North Korea": "PRK",
    "Taiwan": "TWN", "Vietnam": "VNM", "Laos": "LAO", "Bolivia": "BOL", "Venezuela": "VEN",
    "Tanzania": "TZA", "Moldova": "MDA", "Micronesia": "FSM", "Brunei": "BRN", "Czech Republic": "CZE",
    "Congo": "COD", "DRC": "COD", "DR Congo": "COD", "Democratic Republic of Congo": "COD",
    "Democratic Republic of the Congo": "COD", "Congo-Kinshasa": "COD", "Republic of Congo": "COG",
    "Congo-Brazzaville": "COG", "Ivory Coast": "CIV", "Cote d'Ivoire": "CIV", "Burma": "MMR",
    "East Timor": "TLS", "Cape Verde": "CPV", "Swaziland": "SWZ", "Macedonia": "MKD", "Turkey": "TUR",
    "the Netherlands": "NLD", "Holland": "NLD", "the Philippines": "PHL", "the Vatican": "VAT",
    "Vatican": "VAT", "the Gambia": "GMB", "UAE": "ARE", "U.A.E.": "ARE", "Emirates": "ARE",
    "Palestine": "PSE", "State of Palestine": "PSE", "Palestinian territories": "PSE",
    "Palestinian Territories": "PSE", "occupied Palestinian territories": "PSE", "Gaza": "PSE",
    "Gaza Strip": "PSE", "West Bank": "PSE", "Kosovo": "XKX",
    "Bosnia": "BIH", "Herzegovina": "BIH", "Bosnia-Herzegovina": "BIH", "Bosnia and Herzegovina": "BIH",
    "Kirghizia": "KGZ", "Byelorussia": "BLR", "Belorussia": "BLR", "Turkiye": "TUR", "Türkiye": "TUR",
    "Vatican City": "VAT", "Holy See": "VAT", "DPRK": "PRK", "Republic of Korea": "KOR", "Korea": "KOR", "PRC": "CHN",
    "Scotland": "GBR", "Northern Ireland": "GBR",
    # Former names that archive and historical news still uses, coded as the successor state
    # (the PLOVER/CAMEO convention: the Soviet Union is RUS, Yugoslavia SRB).
    "Soviet Union": "RUS", "USSR": "RUS", "U.S.S.R.": "RUS", "Yugoslavia": "SRB", "Serbia and Montenegro": "SRB",
    "Federal Republic of Yugoslavia": "SRB", "Zaire": "COD", "Czechoslovakia": "CZE", "Kampuchea": "KHM",
    "Rhodesia": "ZWE", "Ceylon": "LKA", "Siam": "THA", "Persia": "IRN", "Dahomey": "BEN", "Upper Volta": "BFA",
    "West Germany": "DEU", "East Germany": "DEU", "South Vietnam": "VNM", "North Vietnam": "VNM",
}

# Capitals and buildings used as actors: "Moscow warned", "the White House said".
METONYMS: dict[str, tuple[str, str]] = {
    "Washington": ("USA", "GOV"), "White House": ("USA", "GOV"), "Pentagon": ("USA", "MIL"),
    "State Department": ("USA", "GOV"), "Capitol Hill": ("USA", "LEG"), "Moscow": ("RUS", "GOV"),
    "Kremlin": ("RUS", "GOV"), "Beijing": ("CHN", "GOV"), "Kyiv": ("UKR", "GOV"), "Kiev": ("UKR", "GOV"),
    "Tehran": ("IRN", "GOV"), "Downing Street": ("GBR", "GOV"), "Whitehall": ("GBR", "GOV"),
    "London": ("GBR", "GOV"), "Paris": ("FRA", "GOV"), "Elysee": ("FRA", "GOV"), "Élysée": ("FRA", "GOV"),
    "Berlin": ("DEU", "GOV"), "Ankara": ("TUR", "GOV"), "Damascus": ("SYR", "GOV"), "Cairo": ("EGY", "GOV"),
    "Riyadh": ("SAU", "GOV"), "Doha": ("QAT", "GOV"), "Amman": ("JOR", "GOV"), "Baghdad": ("IRQ", "GOV"),
    "Beirut": ("LBN", "GOV"), "Islamabad": ("PAK", "GOV"), "New Delhi": ("IND", "GOV"),
    "Tokyo": ("JPN", "GOV"), "Seoul": ("KOR", "GOV"), "Pyongyang": ("PRK", "GOV"), "Taipei": ("TWN", "GOV"),
    "Khartoum": ("SDN", "GOV"), "Addis Ababa": ("ETH", "GOV"), "Kinshasa": ("COD", "GOV"),
    "Kigali": ("RWA", "GOV"), "Kabul": ("AFG", "GOV"), "Caracas": ("VEN", "GOV"), "Havana": ("CUB", "GOV"),
    "Brussels": ("EUR", "GOV"), "Minsk": ("BLR", "GOV"), "Tripoli": ("LBY", "GOV"), "Sanaa": ("YEM", "GOV"),
}


def name_words(text: str) -> list[str]:
    """The words a name is matched by: "al-Qaida" and "al - Qaida" both give ["al", "Qaida"]."""
    words = _WORD.findall(text)
    # A leading article is not part of a name: "the Netherlands" is found as "Netherlands".
    if len(words) > 1 and words[0].lower() == "the":
        words = words[1:]
    return words


@functools.lru_cache(maxsize=65536)
def _pieces(token: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(token))


class PhraseTable(Generic[V]):
    """Names -> values, matched longest-first over token texts.

    Names with no lowercase letter (acronyms: "WHO", "IS", "U.N.") match only in that case, so the
    pronoun "who" or the verb "is" never match; other names match in any case but need one word
    that starts with a capital in the text, so "congress" in running prose is not "Congress".
    """

    def __init__(self, require_capital: bool = True) -> None:
        self.require_capital = require_capital
        self.exact: dict[str, V] = {}
        self.folded: dict[str, V] = {}
        self.max_words = 1
        self.prefixes: set[str] = set()

    def add(self, name: str, value: V) -> None:
        """Add one name (later additions of the same name win)."""
        words = name_words(name)
        if not words:
            return
        key = " ".join(words)
        if any(c.islower() for c in key):
            self.folded[key.lower()] = value
        else:
            self.exact[key] = value
        self.max_words = max(self.max_words, len(words))
        # Every lowercased prefix, so `find` stops extending a span as soon as no name can follow.
        for n in range(1, len(words) + 1):
            self.prefixes.add(" ".join(words[:n]).lower())

    def _get(self, words: list[str]) -> V | None:
        key = " ".join(words)
        hit = self.exact.get(key)
        if hit is not None:
            return hit
        if self.require_capital and not any(w[0].isupper() for w in words):
            return None
        return self.folded.get(key.lower())

    def lookup(self, text: str) -> V | None:
        """The value for a whole string, or None when the string is no known name."""
        words = name_words(text)
        return self._get(words) if words else None

    def find(self, texts: Sequence[str]) -> list[tuple[int, int, V]]:
        """Non-overlapping matches as (start, end, value) over token texts, longest first, left to right."""
        pieces = [_pieces(t) for t in texts]
        found: list[tuple[int, int, V]] = []
        i, n = 0, len(texts)
        while i < n:
            best: tuple[int, V] | None = None
            if pieces[i] and pieces[i][0].lower() != "the":
                words: list[str] = []
                if pieces[i][0].lower() not in self.prefixes:
                    i += 1
                    continue
                for j in range(i, n):
                    if not pieces[j]:
                        continue
                    words.extend(pieces[j])
                    if len(words) > self.max_words or " ".join(words).lower() not in self.prefixes:
                        break
                    hit = self._get(words)
                    if hit is not None:
                        best = (j + 1, hit)
            if best is None:
                i += 1
                continue
            found.append((i, best[0], best[1]))
            i = best[0]
        return found


@dataclass(frozen=True)
class CountryMatch:
    """A country named in the text: `kind` is name | demonym | metonym; `sector` only for metonyms."""

    code: str
    kind: str
    sector: str | None = None
    plural: bool = False


def is_known_code(code: str) -> bool:
    """True for an ISO alpha-3 code, PSE, XKX, or one of PLOVER's non-state codes."""
    if len(code) != 3 or not code.isupper():
        return False
    return code in NON_STATE_CODES or code in EXTRA_STATE_CODES or pycountry.countries.get(alpha_3=code) is not None


def country_name(code: str) -> str:
    """A short English name for a code ("Iran" for IRN), or the code itself when it names no state."""
    if code in NON_STATE_CODES:
        return code
    if code == "XKX":
        return "Kosovo"
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name.split(",")[0]


class CountryNames:
    """Finds country names, demonyms and metonyms in token sequences."""

    def __init__(self, names: dict[str, str], demonyms: dict[str, str], metonyms: dict[str, tuple[str, str]]):
        self.table: PhraseTable[CountryMatch] = PhraseTable(require_capital=True)
        for demonym, code in demonyms.items():
            if _plural(demonym) != demonym:
                self.table.add(_plural(demonym), CountryMatch(code, "demonym", plural=True))
            self.table.add(demonym, CountryMatch(code, "demonym"))
        for name, code in names.items():
            self.table.add(name, CountryMatch(code, "name"))
        for name, (code, sector) in metonyms.items():
            self.table.add(name, CountryMatch(code, "metonym", sector))

    def lookup(self, text: str) -> CountryMatch | None:
        """The match for a whole string ("Qatar", "Israeli", "the Kremlin"), if any."""
        return self.table.lookup(text)


def _plural(demonym: str) -> str:
    # "Chinese", "Swiss", "French", "British" take no -s: "the French".
    if demonym.endswith(("ese", "ss", "sh", "ch")):
        return demonym
    return demonym + "s"


def _demonyms_from_package() -> dict[str, str]:
    from countryinfo import CountryInfo

    best: dict[str, tuple[int, str]] = {}
    for info in CountryInfo.all().values():
        iso = info.get("ISO") or {}
        code = iso.get("alpha3") if isinstance(iso, dict) else None
        if not code or not is_known_code(code):
            continue
        population = info.get("population") or 0
        for demonym in str(info.get("demonym") or "").split(","):
            demonym = demonym.strip()
            # A demonym several territories share ("French", "Chinese") goes to the most populous.
            if demonym and (demonym not in best or best[demonym][0] < population):
                best[demonym] = (population, code)
    return {d: code for d, (_, code) in best.items()}


# Capitals that are also common words or other places' names first ("Victoria", "Kingston"), or
# claimed by two states ("Jerusalem"): never read as a government.
_NOT_METONYMS = frozenset({"Jerusalem", "Santiago", "Kingston", "Georgetown", "George Town", "Hamilton", "Victoria",
                           "City of Victoria", "Douglas", "Stanley", "Plymouth", "Malé", "Male", "Nicosia", "Sucre"})
# States this populous name their government by their capital in the news ("Ottawa said").
_CAPITAL_MIN_POPULATION = 1_000_000


def _capitals_from_package() -> dict[str, tuple[str, str]]:
    """National capitals standing for their governments ("Manila accused Beijing"), from countryinfo."""
    from countryinfo import CountryInfo

    out: dict[str, tuple[str, str]] = {}
    for info in CountryInfo.all().values():
        iso = info.get("ISO") or {}
        code = iso.get("alpha3") if isinstance(iso, dict) else None
        capital = info.get("capital")
        if not code or not is_known_code(code) or not isinstance(capital, str) or capital in _NOT_METONYMS:
            continue
        if (info.get("population") or 0) < _CAPITAL_MIN_POPULATION or "/" in capital:
            continue
        out[capital] = (code, "GOV")
        folded = unicodedata.normalize("NFKD", capital).encode("ascii", "ignore").decode()
        if folded and folded != capital:
            out.setdefault(folded, (code, "GOV"))  # "Bogota" as well as "Bogotá"
    return out


def _demonyms_from_file() -> dict[str, str]:
    path = resources.files("lapwing") / "data" / "demonyms.tsv"
    out: dict[str, str] = {}
    with path.open(encoding="utf-8") as handle:
        for n, row in enumerate(csv.reader(handle, delimiter="\t"), 1):
            if not row or row[0].startswith("#"):
                continue
            if len(row) != 2 or not is_known_code(row[1].strip()):
                raise ResourceError(
                    f"{path}:{n}: expected 'demonym<TAB>ISO alpha-3 code', got {row!r}; fix the line"
                )
            out[row[0].strip()] = row[1].strip()
    return out


def _names_from_package() -> dict[str, str]:
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                names[value] = country.alpha_3
    return names


@functools.lru_cache(maxsize=1)
def load_countries() -> CountryNames:
    """The process-wide table of country names, demonyms and metonyms (built once)."""
    names = _names_from_package()
    names.update(NEWS_NAMES)
    demonyms = _demonyms_from_package()
    demonyms.update(_demonyms_from_file())
    return CountryNames(names, demonyms, {**_capitals_from_package(), **METONYMS})
