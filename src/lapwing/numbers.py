"""Numbers as the news writes them: counts, durations and sums of money. Pure text in, value out.

Conventions (docs/quantities.md has the full table):
- `approximate` is True when the text does not claim the exact figure: a hedge ("about",
  "nearly", "some", "at least", "more than", "up to", ...) or a vague count ("hundreds", "dozens").
  The value is always the figure the text gives, so "at least 12" is 12 and "over a million" is
  1,000,000; a bound is not moved.
- A vague plural is twice its unit, the least it can mean: "dozens" 24, "scores" 40, "hundreds" 200,
  "thousands" 2,000, "tens of thousands" 20,000, "hundreds of thousands" 200,000.
- "several" and "a few" count as 3, "a couple of" as 2, all approximate.
- Durations are in days: hour 1/24, day 1, week 7, fortnight 14, month 30, year 365.

Words for whole numbers ("forty-two", "one hundred and five") are read by text2num, a maintained
parser; this module adds what news needs around it. Failures raise ValueError, as int() does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from text_to_num import text2num


@dataclass(frozen=True, slots=True)
class ParsedNumber:
    """A number read from text; `approximate` when the text hedges or counts vaguely."""

    value: float
    approximate: bool


@dataclass(frozen=True, slots=True)
class ParsedMoney:
    """A sum of money: `currency` is an ISO 4217 code."""

    value: float
    currency: str
    approximate: bool


# Longest first so "more than" wins over "more"; all mark the figure as not exact.
HEDGES = tuple(
    sorted(
        (
            "about", "around", "approximately", "approx.", "roughly", "nearly", "almost", "some",
            "over", "more than", "at least", "up to", "as many as", "an estimated", "estimated",
            "close to", "upwards of", "in excess of", "just over", "well over", "just under",
            "fewer than", "less than", "under", "at most", "no fewer than", "no less than",
            "not less than",
        ),
        key=len,
        reverse=True,
    )
)

SCALES = {
    "dozen": 12,
    "score": 20,
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}
# Abbreviations written straight after digits: "20bn", "5m", "300k".
ABBREVIATIONS = {"k": 1_000, "m": 1_000_000, "mn": 1_000_000, "mln": 1_000_000, "bn": 1_000_000_000,
                 "b": 1_000_000_000, "tn": 1_000_000_000_000}
# Plural vague counts, valued at twice the unit (the least the plural can mean).
VAGUE = {"tens": 10, "dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1_000, "millions": 1_000_000,
         "billions": 1_000_000_000}
# Small indefinite multipliers before a scale word: "several hundred", "a few thousand".
INDEFINITE = {"several": 3, "a few": 3, "a couple of": 2, "a couple": 2}

DAYS_PER_UNIT = {"hour": 1 / 24, "day": 1, "week": 7, "fortnight": 14, "month": 30, "year": 365}

# Symbols and prefixes before the amount; longest first so "US$" wins over "$".
CURRENCY_PREFIXES = tuple(
    sorted(
        {
            "us$": "USD", "$": "USD", "a$": "AUD", "c$": "CAD", "nz$": "NZD", "hk$": "HKD", "€": "EUR",
            "£": "GBP", "¥": "JPY", "₹": "INR", "₪": "ILS", "₽": "RUB", "₺": "TRY", "rs": "INR",
            "rs.": "INR", "usd": "USD", "eur": "EUR", "gbp": "GBP", "jpy": "JPY", "cny": "CNY",
            "ils": "ILS", "rub": "RUB", "inr": "INR", "chf": "CHF", "egp": "EGP", "qar": "QAR",
            "sar": "SAR", "aed": "AED", "uah": "UAH", "try": "TRY",
        }.items(),
        key=lambda kv: len(kv[0]),
        reverse=True,
    )
)
# Names after the amount: "5 million dollars", "20 billion euros".
CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "us dollars": "USD", "u.s. dollars": "USD", "euro": "EUR",
    "euros": "EUR", "pound": "GBP", "pounds": "GBP", "pounds sterling": "GBP", "sterling": "GBP",
    "yen": "JPY", "yuan": "CNY", "renminbi": "CNY", "rupee": "INR", "rupees": "INR", "shekel": "ILS",
    "shekels": "ILS", "ruble": "RUB", "rubles": "RUB", "rouble": "RUB", "roubles": "RUB",
    "hryvnia": "UAH", "hryvnias": "UAH", "riyal": "SAR", "riyals": "SAR", "dirham": "AED",
    "dirhams": "AED", "lira": "TRY", "liras": "TRY", "francs": "CHF", "swiss francs": "CHF",
    "usd": "USD", "eur": "EUR", "gbp": "GBP",
}

_DIGITS = re.compile(r"^-?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_ABBREVIATED = re.compile(r"^(?P<num>\d[\d,]*(\.\d+)?)\s?(?P<abbr>k|m|mn|mln|bn|b|tn)$")
_DURATION = re.compile(
    r"^(?P<num>.*?)[\s-]*(?P<unit>hours?|days?|weeks?|fortnights?|months?|years?)(?:[\s-]+long)?$"
)
_DASHES = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u00a0": " "})


def _normalize(text: str) -> str:
    return " ".join(text.translate(_DASHES).lower().split())


def _strip_hedges(text: str) -> tuple[str, bool]:
    """The text without leading hedges, and whether there were any."""
    hedged = False
    changed = True
    while changed:
        changed = False
        for hedge in HEDGES:
            if text.startswith(hedge + " "):
                text = text[len(hedge) + 1 :]
                hedged = changed = True
                break
    return text, hedged


def _decimal(text: str) -> Decimal:
    if not _DIGITS.match(text):
        raise ValueError(f"not a number: {text!r}")
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {text!r}") from exc


def _words(text: str) -> Decimal:
    """A whole number in words."""
    words = text.replace(" and ", " ")
    try:
        return Decimal(text2num(words, "en"))
    except ValueError as exc:
        raise ValueError(f"not a number: {text!r}; write it in digits or in number words") from exc


def _core(text: str) -> tuple[Decimal, bool]:
    """Value and vagueness of a number without hedges."""
    if _DIGITS.match(text):
        return _decimal(text), False
    m = _ABBREVIATED.match(text)
    if m:
        return _decimal(m["num"]) * ABBREVIATIONS[m["abbr"]], False
    parts = text.split(" ")
    # "hundreds of thousands", "tens of millions": the vague count times the scale.
    if len(parts) == 3 and parts[0] in VAGUE and parts[1] == "of" and parts[2] in VAGUE:
        return Decimal(2 * VAGUE[parts[0]] * VAGUE[parts[2]]), True
    if len(parts) == 1 and parts[0] in VAGUE:
        return Decimal(2 * VAGUE[parts[0]]), True
    if parts[0] == "half" and len(parts) == 3 and parts[1] in ("a", "an") and parts[2] in SCALES:
        return Decimal(SCALES[parts[2]]) / 2, False
    for lead, factor in INDEFINITE.items():
        rest = text[len(lead) + 1 :]
        if text.startswith(lead + " ") and rest in SCALES:
            return Decimal(factor * SCALES[rest]), True
    if len(parts) >= 2 and parts[-1] in SCALES:
        lead = " ".join(parts[:-1])
        if lead in ("a", "an"):
            return Decimal(SCALES[parts[-1]]), False
        if _DIGITS.match(lead):
            # "1.5 million", "3.2 billion": digits before a scale word, where text2num wants integers.
            return _decimal(lead) * SCALES[parts[-1]], False
        if parts[-1] in ("dozen", "score"):
            # text2num knows no dozens: "two dozen" is two times twelve.
            return _words(lead) * SCALES[parts[-1]], False
    return _words(text), False


def parse_number(text: str) -> ParsedNumber:
    """A count as written ("1,200", "forty-two", "a dozen", "hundreds", "over a million")."""
    norm = _normalize(text)
    if not norm:
        raise ValueError("not a number: empty text")
    core, hedged = _strip_hedges(norm)
    value, vague = _core(core)
    return ParsedNumber(float(value), hedged or vague)


def parse_duration(text: str) -> ParsedNumber:
    """A length of time in days ("six-week" 42, "48-hour" 2, "a month-long" 30, "three months" 90)."""
    norm, hedged = _strip_hedges(_normalize(text))
    m = _DURATION.match(norm)
    if not m:
        raise ValueError(f"not a duration: {text!r}; expected a number and a unit (hour, day, week, month, year)")
    unit = m["unit"].rstrip("s")
    num = m["num"].strip(" -")
    if num in ("", "a", "an", "one"):
        count, vague = Decimal(1), False
    elif num in INDEFINITE:
        count, vague = Decimal(INDEFINITE[num]), True
    else:
        parsed = parse_number(num)
        count, vague = Decimal(repr(parsed.value)), parsed.approximate
    # Hours divide rather than multiply by 1/24, so "48-hour" is exactly 2.
    days = count / 24 if unit == "hour" else count * Decimal(int(DAYS_PER_UNIT[unit]))
    return ParsedNumber(float(days), hedged or vague)


def parse_money(text: str) -> ParsedMoney:
    """A sum with its ISO currency ("$5 million", "5 million dollars", "€20bn", "£3.2 billion")."""
    norm, hedged = _strip_hedges(_normalize(text))
    currency = None
    for prefix, code in CURRENCY_PREFIXES:
        if norm.startswith(prefix):
            rest = norm[len(prefix) :].lstrip()
            # A letter code must stand apart from the amount ("usd 5", not "usda").
            if prefix[-1].isalpha() and rest == norm[len(prefix) :]:
                continue
            norm, currency = rest, code
            break
    if currency is None:
        for word in sorted(CURRENCY_WORDS, key=len, reverse=True):
            if norm.endswith(" " + word):
                norm, currency = norm[: -len(word) - 1], CURRENCY_WORDS[word]
                break
    if currency is None:
        raise ValueError(f"no currency in {text!r}; expected a symbol ($, €, £), a code (USD) or a name (dollars)")
    inner, inner_hedged = _strip_hedges(norm)
    value, vague = _core(inner)
    return ParsedMoney(float(value), currency, hedged or inner_hedged or vague)
