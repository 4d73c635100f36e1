"""lapwing.numbers: counts, durations and money as the news writes them."""

from __future__ import annotations

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lapwing.numbers import (
    CURRENCY_PREFIXES,
    CURRENCY_WORDS,
    ParsedMoney,
    ParsedNumber,
    parse_duration,
    parse_money,
    parse_number,
)


@pytest.mark.parametrize(
    "text, value, approximate",
    [
        ("1,200", 1200, False),
        ("2.5", 2.5, False),
        ("seven", 7, False),
        ("forty-two", 42, False),
        ("Forty-two", 42, False),
        ("one hundred and five", 105, False),
        ("a dozen", 12, False),
        ("two dozen", 24, False),
        ("half a million", 500_000, False),
        ("a million", 1_000_000, False),
        ("1.5 million", 1_500_000, False),
        ("20bn", 20_000_000_000, False),
        ("300k", 300_000, False),
        ("hundreds", 200, True),
        ("dozens", 24, True),
        ("thousands", 2000, True),
        ("tens of thousands", 20_000, True),
        ("hundreds of thousands", 200_000, True),
        ("several hundred", 300, True),
        ("over a million", 1_000_000, True),
        ("more than 40", 40, True),
        ("at least 12", 12, True),
        ("about 40", 40, True),
        ("nearly 300", 300, True),
        ("some 50", 50, True),
        ("up to 20", 20, True),
        ("an estimated 3,000", 3000, True),
    ],
)
def test_parse_number(text, value, approximate):
    assert parse_number(text) == ParsedNumber(float(value), approximate)


@pytest.mark.parametrize("text", ["", "abc", "1,20", "12,34,567", "seven people", "hundreds of", "2-3", "$"])
def test_parse_number_rejects(text):
    with pytest.raises(ValueError):
        parse_number(text)


@given(st.integers(min_value=-(10**15), max_value=10**15), st.booleans())
def test_any_int_parses_back_exactly(n, commas):
    text = f"{n:,}" if commas else str(n)
    assert parse_number(text) == ParsedNumber(float(n), False)
    assert int(parse_number(text).value) == n


@given(st.text(max_size=30))
def test_parse_number_fails_only_with_value_error(text):
    try:
        parsed = parse_number(text)
    except ValueError:
        return
    assert isinstance(parsed.value, float)


@pytest.mark.parametrize(
    "text, days, approximate",
    [
        ("six-week", 42, False),
        ("four-week", 28, False),
        ("two-day", 2, False),
        ("48-hour", 2, False),
        ("36-hour", 1.5, False),
        ("a month-long", 30, False),
        ("month-long", 30, False),
        ("three months", 90, False),
        ("two years", 730, False),
        ("several weeks", 21, True),
        ("about 10 days", 10, True),
    ],
)
def test_parse_duration(text, days, approximate):
    assert parse_duration(text) == ParsedNumber(float(days), approximate)


@pytest.mark.parametrize("text", ["six", "forty people", "weekly"])
def test_parse_duration_rejects(text):
    with pytest.raises(ValueError):
        parse_duration(text)


@pytest.mark.parametrize(
    "text, value, currency, approximate",
    [
        ("$5 million", 5e6, "USD", False),
        ("5 million dollars", 5e6, "USD", False),
        ("€20bn", 20e9, "EUR", False),
        ("£3.2 billion", 3.2e9, "GBP", False),
        ("US$5 million", 5e6, "USD", False),
        ("USD 5 billion", 5e9, "USD", False),
        ("20 billion euros", 20e9, "EUR", False),
        ("more than $1.2 trillion", 1.2e12, "USD", True),
        ("$ 300", 300, "USD", False),
    ],
)
def test_parse_money(text, value, currency, approximate):
    assert parse_money(text) == ParsedMoney(value, currency, approximate)


@pytest.mark.parametrize("text", ["5 million", "usda 5", "$ lots"])
def test_parse_money_rejects(text):
    with pytest.raises(ValueError):
        parse_money(text)


def test_currency_tables_use_iso_codes():
    codes = {code for _, code in CURRENCY_PREFIXES} | set(CURRENCY_WORDS.values())
    unknown = [c for c in codes if pycountry.currencies.get(alpha_3=c) is None]
    assert unknown == []
