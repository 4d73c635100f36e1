"""The pure resolver: a table of what news writes, and properties over any publication date."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lapwing.errors import InputError, ResourceError
from lapwing.temporal import load_vocabulary, relative_to, resolve, vocabulary_from_dict

SUN = dt.date(2024, 4, 28)  # a Sunday
WED = dt.date(2024, 4, 24)  # a Wednesday
TUE = dt.date(2024, 10, 1)  # a Tuesday whose week began on Monday 30 September

TABLE = [
    # weekdays: past/present -> latest on or before publication, future -> first on or after it
    ("Sunday", SUN, "past", "2024-04-28", "day"),
    ("on Sunday", SUN, "past", "2024-04-28", "day"),
    ("on Monday", SUN, "past", "2024-04-22", "day"),
    ("Monday", SUN, "future", "2024-04-29", "day"),
    ("Monday", SUN, "present", "2024-04-29", "day"),  # present: the nearer one, tomorrow
    ("Friday", SUN, "present", "2024-04-26", "day"),
    ("this Monday", SUN, "present", "2024-04-22", "day"),
    ("Wednesday", WED, "future", "2024-04-24", "day"),  # a Wednesday's story: that day
    ("on Thursday", WED, "future", "2024-04-25", "day"),
    ("next Wednesday", WED, "future", "2024-05-01", "day"),
    ("last Friday", SUN, "past", "2024-04-26", "day"),
    ("last Wednesday", WED, "past", "2024-04-17", "day"),
    ("next Tuesday", SUN, "past", "2024-04-30", "day"),
    ("this Wednesday", WED, "future", "2024-04-24", "day"),
    ("Sunday night", SUN, "past", "2024-04-28", "day"),
    ("early Saturday", SUN, "past", "2024-04-27", "day"),
    ("late on Friday", SUN, "past", "2024-04-26", "day"),
    ("Friday's", SUN, "past", "2024-04-26", "day"),
    ("Tuesday at 10 a.m. local time", WED, "past", "2024-04-23", "day"),
    # days
    ("today", SUN, "present", "2024-04-28", "day"),
    ("yesterday", SUN, "past", "2024-04-27", "day"),
    ("yesterday morning", SUN, "past", "2024-04-27", "day"),
    ("tomorrow", SUN, "future", "2024-04-29", "day"),
    ("tonight", SUN, "future", "2024-04-28", "day"),
    ("this morning", SUN, "past", "2024-04-28", "day"),
    ("last night", SUN, "past", "2024-04-27", "day"),
    # weeks: the month that holds the days meant (else their year), months, years
    ("last week", SUN, "past", "2024-04", "month"),
    ("next week", SUN, "future", "2024", "year"),  # 29 April to 5 May: two months, so the year
    ("earlier this week", WED, "past", "2024-04", "month"),
    ("this week", TUE, "past", "2024", "year"),  # 30 September and 1 October
    ("later this week", TUE, "future", "2024-10", "month"),  # 1 to 6 October
    ("last week", TUE, "past", "2024-09", "month"),
    ("the past week", SUN, "past", "2024-04", "month"),
    ("in the past week", TUE, "past", "2024", "year"),  # 25 September to 1 October
    ("over the weekend", WED, "past", "2024-04-20", "day"),
    ("last month", SUN, "past", "2024-03", "month"),
    ("next month", SUN, "future", "2024-05", "month"),
    ("earlier this month", SUN, "past", "2024-04", "month"),
    ("later this month", SUN, "future", "2024-04", "month"),
    ("this month", SUN, "present", "2024-04", "month"),
    ("last year", SUN, "past", "2023", "year"),
    ("next year", SUN, "future", "2025", "year"),
    ("earlier this year", SUN, "past", "2024", "year"),
    ("this year", SUN, "present", "2024", "year"),
    ("late last year", SUN, "past", "2023", "year"),
    # named months
    ("in November", SUN, "past", "2023-11", "month"),
    ("November", SUN, "future", "2024-11", "month"),
    ("in April", SUN, "past", "2024-04", "month"),
    ("mid-March", SUN, "past", "2024-03", "month"),
    ("last November", SUN, "past", "2023-11", "month"),
    ("the end of March", SUN, "past", "2024-03", "month"),
    # counted back
    ("four weeks ago", SUN, "past", "2024-03-31", "day"),
    ("two days ago", SUN, "past", "2024-04-26", "day"),
    ("three years ago", SUN, "past", "2021", "year"),
    ("a week ago", SUN, "past", "2024-04-21", "day"),
    ("six months ago", SUN, "past", "2023-10", "month"),
    ("about 20 years ago", SUN, "past", "2004", "year"),
    # vague: relative, but no value is invented
    ("in the days ahead", SUN, "future", None, "unknown"),
    ("in the coming days", SUN, "future", None, "unknown"),
    ("soon", SUN, "future", None, "unknown"),
    ("recently", SUN, "past", None, "unknown"),
    ("the past two weeks", SUN, "past", None, "unknown"),
    ("two days later", SUN, "past", None, "unknown"),
    ("a few days ago", SUN, "past", None, "unknown"),
    # absolute
    ("March 3, 2024", SUN, "past", "2024-03-03", "day"),
    ("3 March 2024", SUN, "past", "2024-03-03", "day"),
    ("March 2024", SUN, "past", "2024-03", "month"),
    ("2019", SUN, "past", "2019", "year"),
    ("since 2019", SUN, "past", "2019", "year"),
    ("early 2023", SUN, "future", "2023", "year"),
    ("Jan. 5", SUN, "past", "2024-01-05", "day"),
    ("Dec. 5", SUN, "past", "2023-12-05", "day"),
    ("Dec. 5", SUN, "future", "2024-12-05", "day"),
    ("Monday, March 4", SUN, "past", "2024-03-04", "day"),
    ("the 3rd of March, 2024", SUN, "past", "2024-03-03", "day"),
    ("2024-03-05", SUN, "past", "2024-03-05", "day"),
    ("the 1990s", SUN, "past", "199X", "decade"),
    ("February 30, 2024", SUN, "past", None, "unknown"),
    # durations are not dates
    ("a four-week suspension", SUN, "past", None, "unknown"),
    ("six-week", SUN, "past", None, "unknown"),
    ("for two hours", SUN, "past", None, "unknown"),
    ("48 hours", SUN, "past", None, "unknown"),
]


@pytest.mark.parametrize(("expression", "published", "tense", "value", "granularity"), TABLE)
def test_table(expression, published, tense, value, granularity):
    found = resolve(expression, published, tense)
    assert (found.value, found.granularity) == (value, granularity)


def test_table_is_large_enough():
    assert len(TABLE) >= 40


@pytest.mark.parametrize("expression", ["a four-week suspension", "for two hours", "six-week", "decades"])
def test_durations_are_marked(expression):
    found = resolve(expression, SUN, "past")
    assert found.is_duration and found.value is None


@pytest.mark.parametrize("expression", ["recently", "in the coming days", "a few days ago"])
def test_vague_is_relative_without_value(expression):
    found = resolve(expression, SUN, "future")
    assert found.kind == "vague" and found.relative and found.value is None


@pytest.mark.parametrize("expression", ["Sunday", "last week", "four weeks ago", "in November", "Jan. 5", "yesterday"])
def test_relative_without_published_gives_none(expression):
    found = resolve(expression, None, "past")
    assert found.value is None and found.relative


@pytest.mark.parametrize(
    ("expression", "value"), [("March 3, 2024", "2024-03-03"), ("2019", "2019"), ("the 1990s", "199X")]
)
def test_absolute_without_published_resolves(expression, value):
    found = resolve(expression, None, "past")
    assert found.value == value and not found.relative


def test_dateparser_fallback_for_numeric_dates():
    # Not a rule form: handed to the dateparser package, which reads US month/day order.
    assert resolve("3/15/2024", SUN, "past").value == "2024-03-15"


def test_fallback_needs_a_year():
    assert resolve("the first quarter", SUN, "past").value is None


def test_bad_tense_names_the_value():
    with pytest.raises(InputError, match="'later'"):
        resolve("Sunday", SUN, "later")


def test_datetime_published_is_taken_as_its_date():
    assert resolve("yesterday", dt.datetime(2024, 4, 28, 23, 59), "past").value == "2024-04-27"


def _vocab_data(**changes):
    data = {
        "number_words": {"one": 1},
        "vague_counts": [],
        "month_abbreviations": {},
        "weekday_abbreviations": {},
        "day_offsets": {},
        "dayparts": [],
        "leading_words": ["on"],
        "modifiers": [],
        "vague": [],
        "relative_cues": [],
    }
    return {**data, **changes}


def test_vocabulary_from_minimal_data():
    assert vocabulary_from_dict(_vocab_data()).leading == ("on",)


def test_vocabulary_rejects_yaml_booleans():
    with pytest.raises(ResourceError, match="leading_words"):
        vocabulary_from_dict(_vocab_data(leading_words=[True]))  # what YAML makes of a bare `on`


def test_vocabulary_rejects_wrong_shape():
    with pytest.raises(ResourceError, match="number_words"):
        vocabulary_from_dict(_vocab_data(number_words=["one"]))


def test_packaged_vocabulary_loads():
    vocab = load_vocabulary()
    assert "on" in vocab.leading and vocab.months["sept"] == 9 and vocab.weekdays["sunday"] == 6


WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2199, 12, 31))


@given(published=dates, day=st.sampled_from(WEEKDAYS), prefix=st.sampled_from(["", "on ", "this ", "last "]),
       tense=st.sampled_from(["past", "present"]))  # fmt: skip
def test_weekday_in_past_sentences_is_within_a_week_before(published, day, prefix, tense):
    found = resolve(prefix + day, published, tense)
    when = dt.date.fromisoformat(found.value)
    assert when.strftime("%A").lower() == day
    if tense == "present" and prefix in ("", "on "):  # the nearer one, either way
        assert abs((when - published).days) <= 3
        return
    assert dt.timedelta(0) <= published - when <= dt.timedelta(days=7)
    if prefix == "last ":
        assert when < published


@given(published=dates, day=st.sampled_from(WEEKDAYS), prefix=st.sampled_from(["", "on ", "next "]))
def test_weekday_in_future_sentences_is_within_a_week_after(published, day, prefix):
    found = resolve(prefix + day, published, "future")
    when = dt.date.fromisoformat(found.value)
    assert when.strftime("%A").lower() == day
    if prefix == "next ":
        assert dt.timedelta(days=1) <= when - published <= dt.timedelta(days=7)
    else:  # the publication's own weekday is that day
        assert dt.timedelta(0) <= when - published <= dt.timedelta(days=6)


@given(published=dates, prefix=st.sampled_from(["last", "this", "next", "earlier this", "later this", "the past"]),
       tense=st.sampled_from(["past", "present", "future"]))  # fmt: skip
def test_weeks_are_a_month_or_a_year_near_publication(published, prefix, tense):
    found = resolve(f"{prefix} week", published, tense)
    assert found.granularity in ("month", "year")
    if found.granularity == "month":
        year, month = map(int, found.value.split("-"))
        assert abs((year * 12 + month) - (published.year * 12 + published.month)) <= 1
    else:
        assert abs(int(found.value) - published.year) <= 1


@given(published=dates, month=st.integers(1, 12), tense=st.sampled_from(["past", "future"]))
def test_named_month_is_within_a_year_on_the_tense_side(published, month, tense):
    import calendar

    found = resolve(f"in {calendar.month_name[month]}", published, tense)
    year, mon = map(int, found.value.split("-"))
    index, now = year * 12 + mon, published.year * 12 + published.month
    assert mon == month
    assert (0 <= now - index < 12) if tense == "past" else (0 <= index - now < 12)


@given(text=st.text(max_size=40), published=st.one_of(st.none(), st.dates()),
       tense=st.sampled_from(["past", "present", "future"]))  # fmt: skip
def test_any_text_resolves_without_error(text, published, tense):
    found = resolve(text, published, tense)
    assert found.kind in ("date", "vague", "duration", "unparsed")
    assert (found.value is None) == (found.granularity == "unknown")


@given(count=st.integers(0, 10**7), unit=st.sampled_from(["days", "weeks", "months", "years", "decades"]),
       published=st.dates())  # fmt: skip
def test_counted_back_never_overflows(count, unit, published):
    found = resolve(f"{count} {unit} ago", published, "past")
    assert found.value is None or found.value.replace("X", "0") <= published.isoformat()


@pytest.mark.parametrize("expression, anchor, grain, expected", [
    ("two days later", "2025-02-10", "day", ("2025-02-12", "day")),
    ("a week earlier", "2025-03-05", "day", ("2025-02-26", "day")),
    ("the next day", "2025-02-28", "day", ("2025-03-01", "day")),
    ("hours later", "2025-03-11", "day", ("2025-03-11", "day")),
    ("Days later", "2025-02-10", "day", ("2025-02", "month")),  # the days are not said
    ("Just days later", "2025-02", "month", ("2025-02", "month")),
    ("three months later", "2024-11", "month", ("2025-02", "month")),
    ("Several months later", "1950", "year", ("1950", "year")),
    ("two years later", "2001", "year", ("2003", "year")),
    ("years later", "2001", "year", None),  # how many is not said
    ("later this month", "2025-02", "month", None),  # not told from another happening
    ("days later", None, "unknown", None),
])
def test_a_time_told_from_the_happening_before(expression, anchor, grain, expected):
    assert relative_to(expression, anchor, grain) == expected
