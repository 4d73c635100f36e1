"""Resolve a temporal expression ("last Friday", "in November", "March 3, 2024") to an ISO value.

Pure functions over strings and dates; no Doc. The words come from data/date_rules.yaml.

Decisions, so that readers of the output know what a value means:
- Weekdays: in past sentences, the most recent such day on or before publication (news published on
  a Sunday saying "on Sunday" means that day); in future sentences the first one on or after it (a
  story published on a Thursday about a meeting "on Thursday" means that day); in present ones,
  which point neither way ("There's another meeting Wednesday"), the nearer of the two. "last
  Friday" is the most recent before publication, "next Tuesday" the first after it.
- Weeks ("last week", "earlier this week", "the past week") are no grain of the codebook (a day, a
  month, a year): the value is the smallest calendar unit that holds the days meant, so "last
  week" is its month when the whole week lies in one month, else its year. Those days are the
  whole ISO week (Monday to Sunday) for "last/next week"; for "this week" the days up to
  publication in past and present sentences and from it on in future ones; the seven days up to
  publication for "the past week". "the weekend" is its Saturday.
- Months and years named alone ("in November") are the most recent up to publication in past and
  present sentences and the next from publication on in future ones.
- "N weeks ago" is the day 7*N days back (day grain); "N months ago" a month, "N years ago" a year.
- Decades are ISO 8601-2 values with an unspecified last digit: "the 1990s" -> "199X".
- Vague phrases ("recently", "in the coming days") stay value None: precision is never invented.
- Durations ("a four-week suspension", "for two hours") are not dates: kind "duration", value None.
- Without a publication date, relative expressions give None; absolute ones still resolve.
- A time told from another happening ("two days later", "months later", "the next day") is resolved
  by `relative_to` against that happening's date, never against publication.
- The day an undated happening stands in for (`news_day`) is the publication day, except for a
  story stamped in UTC before 06:00: its newsroom's evening, in the Americas or Europe, was still
  the day before, and so is the news it tells (on the VOA gold, 24 of 28 such happenings).
- Absolute forms the rules do not know go to the `dateparser` package (about 1-2 ms a call, so it
  is kept off the hot path and cached); only results whose text gives a year are kept.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from .errors import InputError, ResourceError

TENSES = ("past", "present", "future")
KINDS = ("date", "vague", "duration", "unparsed")


@dataclass(frozen=True, slots=True)
class ResolvedDate:
    """What an expression names: ISO `value` (or None), its grain, and whether it hangs on `published`."""

    value: str | None
    granularity: str
    relative: bool
    kind: str = "date"  # date | vague | duration | unparsed

    @property
    def is_duration(self) -> bool:
        return self.kind == "duration"


@dataclass(frozen=True)
class DateVocabulary:
    """The word lists of data/date_rules.yaml."""

    numbers: dict[str, int]
    vague_counts: frozenset[str]
    months: dict[str, int]
    weekdays: dict[str, int]
    day_offsets: dict[str, int]
    dayparts: frozenset[str]
    leading: tuple[str, ...]
    modifiers: tuple[str, ...]
    vague: frozenset[str]
    relative_cues: frozenset[str]
    prefixes: tuple[str, ...] = ()  # modifiers and leading words, longest first


def _need(data: dict[str, Any], key: str, kind: type) -> Any:
    value = data.get(key)
    if not isinstance(value, kind):
        raise ResourceError(
            f"date_rules.yaml: {key!r} should be a {kind.__name__}, got {type(value).__name__}; "
            "fix the file in lapwing/data"
        )
    return value


def _words(data: dict[str, Any], key: str) -> list[str]:
    words = _need(data, key, list)
    bad = [w for w in words if not isinstance(w, str)]
    if bad:
        # YAML reads a bare on/off/yes/no as a boolean: quote such words in the file.
        raise ResourceError(f"date_rules.yaml: {key!r} holds non-text entries {bad!r}; quote them in lapwing/data")
    return words


def _longest_first(words: list[str]) -> tuple[str, ...]:
    # Longest first: "the end of" must be tried before "the".
    return tuple(sorted(words, key=len, reverse=True))


def vocabulary_from_dict(data: dict[str, Any]) -> DateVocabulary:
    """Build the vocabulary from the parsed YAML mapping, checking its shape."""
    months = {calendar.month_name[m].lower(): m for m in range(1, 13)}
    months.update({str(k): int(v) for k, v in _need(data, "month_abbreviations", dict).items()})
    weekdays = {calendar.day_name[d].lower(): d for d in range(7)}
    weekdays.update({str(k): int(v) for k, v in _need(data, "weekday_abbreviations", dict).items()})
    return DateVocabulary(
        numbers={str(k): int(v) for k, v in _need(data, "number_words", dict).items()},
        vague_counts=frozenset(_words(data, "vague_counts")),
        months=months,
        weekdays=weekdays,
        day_offsets={str(k): int(v) for k, v in _need(data, "day_offsets", dict).items()},
        dayparts=frozenset(_words(data, "dayparts")),
        leading=_longest_first(_words(data, "leading_words")),
        modifiers=_longest_first(_words(data, "modifiers")),
        vague=frozenset(_words(data, "vague")),
        relative_cues=frozenset(_words(data, "relative_cues")),
        prefixes=_longest_first(_words(data, "modifiers") + _words(data, "leading_words")),
    )


@functools.lru_cache(maxsize=1)
def load_vocabulary() -> DateVocabulary:
    """The packaged vocabulary, read once."""
    try:
        text = resources.files("lapwing").joinpath("data/date_rules.yaml").read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ResourceError("lapwing/data/date_rules.yaml is missing; reinstall the package") from exc
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ResourceError("date_rules.yaml should hold a mapping of word lists; fix the file in lapwing/data")
    return vocabulary_from_dict(data)


_SEQUEL = re.compile(
    r"^(?:just |only |some )?(?:(a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+|a few|several|few) )?"
    r"(hour|day|week|month|year)s? (later|earlier|afterwards|after|before)$"
)
_NEXT_DAY = {"the next day": 1, "the following day": 1, "the day after": 1, "the previous day": -1,
             "the day before": -1, "a day later": 1, "a day earlier": -1}
_SMALL = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10}


def relative_to(expression: str, anchor: str | None, grain: str) -> tuple[str, str] | None:
    """Resolve "days later", "a week earlier", "several months later" against the date of the
    happening told just before (`anchor`, ISO, of grain day, month or year): (value, grain), no
    finer than what the words and the anchor allow, or None.

    "two days later" after 2025-02-10 is 2025-02-12; "days later" after February 2025 is February
    2025 (the days are not said); "months later" is the anchor's year; "years later" is unknown.
    """
    text = expression.strip().lower()
    if not anchor or grain not in ("day", "month", "year"):
        return None
    step = _NEXT_DAY.get(text)
    if step is not None:  # "the next day", "the day before"
        if grain != "day":
            return anchor[:7] if grain == "month" else anchor, grain
        return (dt.date.fromisoformat(anchor) + dt.timedelta(days=step)).isoformat(), "day"
    m = _SEQUEL.match(text)
    if m is None:
        return None
    count_word, unit, direction = m.groups()
    count = _SMALL.get(count_word or "") or (int(count_word) if count_word and count_word.isdigit() else None)
    sign = -1 if direction in ("earlier", "before") else 1
    try:
        if grain == "day":
            day = dt.date.fromisoformat(anchor)
            if unit == "hour":
                return anchor, "day"  # "hours later": the same day, as told
            if count is not None and unit in ("day", "week"):
                return (day + dt.timedelta(days=sign * count * (7 if unit == "week" else 1))).isoformat(), "day"
            if unit in ("day", "week"):
                return anchor[:7], "month"
        if grain in ("day", "month") and unit in ("hour", "day", "week"):
            return anchor[:7], "month"
        if unit == "month" and count is not None and grain in ("day", "month"):
            year, month = int(anchor[:4]), int(anchor[5:7]) + sign * count
            year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
            return f"{year:04d}-{month:02d}", "month"
        if unit == "month" or (unit in ("hour", "day", "week") and grain == "year"):
            return anchor[:4], "year"
        if unit == "year" and count is not None:
            return f"{int(anchor[:4]) + sign * count:04d}", "year"
    except ValueError:
        return None
    return None


# A story stamped in UTC before this hour tells the previous day's news.
NEWS_DAY_STARTS_UTC = 6


def news_day(published: dt.date | None, stamp: str | None) -> dt.date | None:
    """The day an article's undated news happened: `published`, or the day before when `stamp`
    (the publication time as written) is a UTC time in the small hours."""
    if published is None or not stamp or len(stamp.strip()) <= 10:
        return published
    try:
        when = dt.datetime.fromisoformat(stamp.strip().upper().replace(",", "."))
    except ValueError:
        return published
    if when.utcoffset() != dt.timedelta(0) or when.date() != published:
        return published  # a local stamp is the writer's own day; a caller's date wins
    if when.hour < NEWS_DAY_STARTS_UTC:
        return published - dt.timedelta(days=1)
    return published


def resolve(expression: str, published: dt.date | None, tense: str) -> ResolvedDate:
    """Resolve `expression` against `published` for a sentence in `tense` (past, present, future)."""
    if tense not in TENSES:
        raise InputError(f"tense {tense!r} is not one of {', '.join(TENSES)}; pass one of them")
    if isinstance(published, dt.datetime):
        published = published.date()
    return _resolve_cached(expression, published, tense)


@functools.lru_cache(maxsize=8192)
def _resolve_cached(expression: str, published: dt.date | None, tense: str) -> ResolvedDate:
    return _Resolver(load_vocabulary(), published, tense).run(expression)


UNKNOWN = ResolvedDate(None, "unknown", False, "unparsed")
VAGUE = ResolvedDate(None, "unknown", True, "vague")
DURATION = ResolvedDate(None, "unknown", False, "duration")

_ISO = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
_CLOCK = re.compile(
    r"\b\d{1,2}(?::\d{2})?\s*[ap]\.?m\b\.?|\b\d{1,2}:\d{2}\b|\b\d{4}\s*(?:gmt|utc)\b|\b(?:local time|gmt|utc)\b"
)
_PUNCT = re.compile(r"[,.;:()\"!?\[\]]")
_UNITS = {
    "second": "second", "minute": "minute", "hour": "hour", "day": "day", "week": "week",
    "fortnight": "fortnight", "month": "month", "year": "year", "decade": "decade", "century": "century",
}  # fmt: skip
_UNIT_RE = r"(second|minute|hour|day|week|fortnight|month|year|decade|century)s?"
_MONDAY_OFFSET = {"this": 0, "last": -7, "previous": -7, "next": 7, "coming": 7}
_WEEKDAY_MODS = frozenset({"this", "last", "next", "past", "previous", "coming"})
_SHIFT = {"this": 0, "last": -1, "previous": -1, "next": 1, "coming": 1}


class _Resolver:
    def __init__(self, vocab: DateVocabulary, published: dt.date | None, tense: str) -> None:
        self.v = vocab
        self.published = published
        self.future = tense == "future"
        self.present = tense == "present"

    def run(self, expression: str) -> ResolvedDate:
        raw = expression.strip().lower().replace("’", "'")
        iso = _ISO.match(raw)
        if iso:
            return self._iso(iso)
        s = _CLOCK.sub(" ", raw)
        s = re.sub(r"'s\b", "", s)
        s = _PUNCT.sub(" ", s).replace("-", " ")
        s = " ".join(s.split())
        s = re.sub(r"( (at|on|in|of|and|or))+$", "", s)  # left behind by a dropped clock time or the NER
        s = self._strip(s, self.v.leading)
        if not s:
            return VAGUE if raw else UNKNOWN
        if s in self.v.day_offsets:
            return self._days(self.v.day_offsets[s])
        if s in self.v.vague:
            return VAGUE
        words = [w for w in s.split() if w not in self.v.dayparts]
        s = self._strip(" ".join(words), self.v.prefixes)
        if not s:
            return VAGUE
        for rule in (self._offset, self._ago, self._duration, self._weekday, self._calendar, self._span):
            found = rule(s)
            if found is not None:
                return found
        words = s.split()
        if s in self.v.vague or self.v.relative_cues & set(words):
            return VAGUE
        # Only what looks like a whole date goes to dateparser: it costs ~2 ms a call and ~0.5 s to
        # import, and a year range ("2001 to 2019") is no single date anyway.
        if re.search(r"\b\d{4}\b", raw) and (re.search(r"\d[/.]\d", raw) or any(w in self.v.months for w in words)):
            return _dateparser_fallback(raw)
        return UNKNOWN

    def _strip(self, s: str, prefixes: tuple[str, ...]) -> str:
        """Drop leading words that do not change the date ("on", "since", "early", "the")."""
        changed = True
        while changed and s:
            changed = False
            for p in prefixes:
                if s == p or s.startswith(p + " "):
                    s = s[len(p) :].lstrip()
                    changed = True
                    break
        return s

    # -- results -------------------------------------------------------------------------------
    def _days(self, offset: int) -> ResolvedDate:
        if self.published is None:
            return ResolvedDate(None, "unknown", True)
        try:
            return ResolvedDate((self.published + dt.timedelta(days=offset)).isoformat(), "day", True)
        except OverflowError:
            return UNKNOWN  # "900000 days ago": outside the calendar, so no date

    def _count(self, word: str) -> int | None:
        if word.isdigit():
            return int(word)
        return self.v.numbers.get(word)

    # -- rules ---------------------------------------------------------------------------------
    def _iso(self, m: re.Match[str]) -> ResolvedDate:
        year, month, day = int(m[1]), int(m[2]), m[3]
        if day is None:
            return ResolvedDate(f"{year:04d}-{month:02d}", "month", False) if 1 <= month <= 12 else UNKNOWN
        return _day_value(year, month, int(day), relative=False)

    def _offset(self, s: str) -> ResolvedDate | None:
        """Day words after dayparts are dropped: "yesterday morning", "tomorrow evening"."""
        if s in self.v.day_offsets:
            return self._days(self.v.day_offsets[s])
        return None

    def _ago(self, s: str) -> ResolvedDate | None:
        m = re.fullmatch(r"(.+?) " + _UNIT_RE + r" (ago|back|earlier|later|before|after|from now|hence)", s)
        if m is None:
            return None
        count = self._count(m[1])
        if count is None or m[3] not in ("ago", "back", "from now", "hence"):
            # "two days later" counts from another event, not from publication.
            return VAGUE
        sign = -1 if m[3] in ("ago", "back") else 1
        unit = _UNITS[m[2]]
        if self.published is None:
            return ResolvedDate(None, "unknown", True)
        p = self.published
        if unit in ("second", "minute", "hour"):
            return self._days(0)
        if unit in ("day", "week", "fortnight"):
            days = {"day": 1, "week": 7, "fortnight": 14}[unit] * count
            return self._days(sign * days)
        if unit == "month":
            index = p.year * 12 + p.month - 1 + sign * count
            if not 1 <= index // 12 <= 9999:
                return UNKNOWN
            return ResolvedDate(f"{index // 12:04d}-{index % 12 + 1:02d}", "month", True)
        years = sign * count * {"year": 1, "decade": 10, "century": 100}[unit]
        if not 1 <= p.year + years <= 9999:
            return UNKNOWN
        if unit == "decade":
            return ResolvedDate(_decade(p.year + years), "decade", True)
        return ResolvedDate(f"{p.year + years:04d}", "year", True)

    def _duration(self, s: str) -> ResolvedDate | None:
        words = s.split()
        if words and words[-1] in ("long", "old"):
            words = words[:-1]
        elif len(words) >= 3 and re.fullmatch(_UNIT_RE, words[-2]):
            words = words[:-1]  # "a six-week ceasefire": the count and unit describe the noun
        if not words or not re.fullmatch(_UNIT_RE, words[-1]):
            return None
        count = " ".join(words[:-1])
        if not count and not words[-1].endswith("s"):
            return VAGUE  # "the day", "the year": which one is told elsewhere
        if count.startswith(("a ", "an ")) and self._count(count.split(" ", 1)[1]) is not None:
            count = count.split(" ", 1)[1]  # "a four-week suspension"
        if count == "" or self._count(count) is not None or count in self.v.vague_counts:
            return DURATION
        return None

    def _weekday(self, s: str) -> ResolvedDate | None:
        words = s.split()
        mod = words[0] if len(words) == 2 and words[0] in _WEEKDAY_MODS else None
        if len(words) != (2 if mod else 1) or words[-1] not in self.v.weekdays:
            return None
        if self.published is None:
            return ResolvedDate(None, "unknown", True)
        back = (self.published.weekday() - self.v.weekdays[words[-1]]) % 7  # days since the latest one
        if mod in ("last", "past", "previous"):
            offset = -(back or 7)
        elif mod in ("next", "coming"):
            offset = (7 - back) or 7
        elif self.future:
            offset = (-back) % 7  # "on Thursday" in a Thursday's story about what is to come: that day
        elif self.present and mod is None and back > 3:
            offset = 7 - back  # the present tense points neither way: the nearer day
        else:
            offset = -back
        return self._days(offset)

    def _calendar(self, s: str) -> ResolvedDate | None:
        """Named months and years, with or without a day: "March 3, 2024", "3 March", "November"."""
        words = s.split()
        if len(words) > 1 and words[0] in self.v.weekdays:
            words = words[1:]  # "Monday, March 3": the date says more than the weekday
        months = self.v.months
        mod = None
        if len(words) == 2 and words[0] in _SHIFT and words[1] in months:
            mod, words = words[0], words[1:]
        day = month = year = None
        rest = []
        for w in words:
            if w in months and month is None:
                month = months[w]
            elif re.fullmatch(r"\d{4}", w) and year is None:
                year = int(w)
            elif re.fullmatch(r"\d{1,2}(st|nd|rd|th)?", w) and day is None:
                day = int(re.sub(r"\D", "", w))
            elif w != "of":
                rest.append(w)
        if rest or (month is None and year is None) or (day is not None and month is None):
            decade = re.fullmatch(r"'?(\d{3}0)'?s", s)
            return ResolvedDate(_decade(int(decade[1])), "decade", False) if decade else None
        if year is not None:
            if month is None:
                return ResolvedDate(f"{year:04d}", "year", False)
            if day is None:
                return ResolvedDate(f"{year:04d}-{month:02d}", "month", False)
            return _day_value(year, month, day, relative=False)
        if self.published is None:
            return ResolvedDate(None, "unknown", True)
        p = self.published
        assert month is not None
        if day is None:
            return ResolvedDate(f"{self._month_year(month, mod):04d}-{month:02d}", "month", True)
        # Month and day without a year: the latest on or before publication, or for future
        # sentences the first on or after it (Feb 29 may need a few years).
        step = 1 if self.future else -1
        for k in range(9):
            try:
                when = dt.date(p.year + step * k, month, day)
            except ValueError:
                continue
            if (when >= p) if self.future else (when <= p):
                return ResolvedDate(when.isoformat(), "day", True)
        return UNKNOWN

    def _month_year(self, month: int, mod: str | None) -> int:
        p = self.published
        assert p is not None
        if mod == "this":
            return p.year
        if mod in ("last", "previous"):
            return p.year if month < p.month else p.year - 1
        if mod in ("next", "coming") or (mod is None and self.future):
            strictly = mod is not None
            return p.year if (month > p.month or (month == p.month and not strictly)) else p.year + 1
        return p.year if month <= p.month else p.year - 1

    def _span(self, s: str) -> ResolvedDate | None:
        """Weeks, weekends, months and years counted from publication: "last week", "this year"."""
        words = s.split()
        if words == ["past", "week"]:
            if self.published is None:
                return ResolvedDate(None, "unknown", True)
            return _holding(self.published - dt.timedelta(days=6), self.published)
        if len(words) == 1 and words[0] == "weekend":
            words = ["this" if not self.future else "coming", "weekend"]
            bare = True
        else:
            bare = False
        if len(words) != 2 or words[0] not in _SHIFT or words[1] not in ("week", "weekend", "month", "year"):
            return None
        if self.published is None:
            return ResolvedDate(None, "unknown", True)
        p = self.published
        shift = _SHIFT[words[0]]
        unit = words[1]
        monday = p - dt.timedelta(days=p.weekday())
        if unit == "week":
            first = monday + dt.timedelta(days=7 * shift)
            last = first + dt.timedelta(days=6)
            if shift == 0:  # "this week": the part of it the sentence's tense points to
                first, last = (p, last) if self.future else (first, p)
            return _holding(first, last)
        if unit == "weekend":
            if bare:
                # "at the weekend": the latest Saturday up to publication, or the next one from it.
                back = (p.weekday() - 5) % 7
                offset = ((7 - back) % 7) if self.future else -back
                return self._days(offset)
            return ResolvedDate((monday + dt.timedelta(days=7 * shift + 5)).isoformat(), "day", True)
        if unit == "month":
            index = p.year * 12 + p.month - 1 + shift
            return ResolvedDate(f"{index // 12:04d}-{index % 12 + 1:02d}", "month", True)
        return ResolvedDate(f"{p.year + shift:04d}", "year", True)


def _holding(first: dt.date, last: dt.date) -> ResolvedDate:
    """The smallest calendar unit holding the days first..last: their month, else the year most of them are in."""
    if (first.year, first.month) == (last.year, last.month):
        return ResolvedDate(f"{first.year:04d}-{first.month:02d}", "month", True)
    if first.year == last.year:
        return ResolvedDate(f"{first.year:04d}", "year", True)
    in_first = (dt.date(first.year, 12, 31) - first).days + 1
    year = first.year if in_first > (last - first).days + 1 - in_first else last.year
    return ResolvedDate(f"{year:04d}", "year", True)


def _decade(year: int) -> str:
    return f"{year // 10:03d}X"


def _day_value(year: int, month: int, day: int, relative: bool) -> ResolvedDate:
    try:
        return ResolvedDate(dt.date(year, month, day).isoformat(), "day", relative)
    except ValueError:
        return UNKNOWN  # "February 30": the text is wrong, and no date is better than a guessed one


@functools.lru_cache(maxsize=1)
def _date_parser() -> Any:
    import dateparser.date

    # A fixed base: the fields the text lacks must not leak from today's date.
    settings = {"RELATIVE_BASE": dt.datetime(2000, 1, 1), "PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["year"]}
    return dateparser.date.DateDataParser(languages=["en"], settings=settings)


@functools.lru_cache(maxsize=2048)
def _dateparser_fallback(text: str) -> ResolvedDate:
    """Absolute dates in forms the rules do not know ("3/15/2024"), via the dateparser package."""
    data = _date_parser().get_date_data(text)
    if data.date_obj is None:
        return UNKNOWN
    when = data.date_obj.date()
    if data.period == "year":
        return ResolvedDate(f"{when.year:04d}", "year", False)
    if data.period == "month":
        return ResolvedDate(f"{when.year:04d}-{when.month:02d}", "month", False)
    if data.period == "day":
        return ResolvedDate(when.isoformat(), "day", False)
    return UNKNOWN
