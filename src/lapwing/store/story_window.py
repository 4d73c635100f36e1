"""The story members an event is compared with, held in memory for a sliding window of dates.

`update_stories` places events oldest first. Asking SQLite for every member of a compatible type
near each event's date read more rows the denser the store, so clustering slowed down as the
store grew. The window reads each member once, groups members by story, and for an event picks
only its date range in each story of a compatible type (a bisection per story). Members dated
before the earliest date any later event can reach are dropped, so memory holds about
`_LONGEST_RANGE + 2 * slack` days of members, not the store.

The candidates are those the SQL query gave, in its order within each story ((event_type,
date_first, rowid), the index's order), so the clustering decides exactly as before.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

# Same bounds as the SQL query they replace: members whose date_first lies within
# [first - SLACK - LONGEST, last + SLACK] and whose date_last reaches first - SLACK.
SLACK = dt.timedelta(days=7)


@dataclass(slots=True)
class _Story:
    # Members of one event type in one story, sorted by (date_first, rowid).
    keys: list[tuple[str, int]] = field(default_factory=list)
    members: list[tuple[str, str, Any]] = field(default_factory=list)  # (date_last, article_id, features)

    def add(self, date_first: str, rowid: int, date_last: str, article_id: str, features: Any) -> None:
        i = bisect.bisect_left(self.keys, (date_first, rowid))
        if i < len(self.keys) and self.keys[i] == (date_first, rowid):
            return  # already held
        self.keys.insert(i, (date_first, rowid))
        self.members.insert(i, (date_last, article_id, features))

    def drop_before(self, date_first: str) -> None:
        i = bisect.bisect_left(self.keys, (date_first, -1))
        if i:
            del self.keys[:i], self.members[:i]


class CandidateWindow:
    """Members of stories by event type and story, loaded from the store as the dates advance.

    `load(types, since, until)` is called with the rows of members whose date_first lies in
    (since, until]; `add` takes a member placed during the run.
    """

    def __init__(self, longest_range: dt.timedelta,
                 load: Callable[[str | None, str], Iterable[tuple[str, int, str, str, str, int, Any]]]) -> None:
        self._longest = longest_range
        self._load = load
        self._loaded_until: str | None = None  # every member dated up to here is held
        self._dropped_before: str | None = None
        self._by_type: dict[str, dict[int, _Story]] = {}

    def candidates(self, types: list[str], article_id: str, first: dt.date, last: dt.date,
                   limit: int) -> tuple[list[Any], dict[int, Any]]:
        """Members of `types` (sorted) in the date bounds: each story's last `limit` of them, and each
        story's first member with a place (what `_choose` lets an unplaced member borrow).

        Walking only those ends of each story keeps the work per story small however many reports
        it has gathered.
        """
        low = (first - SLACK - self._longest).isoformat()
        high = (last + SLACK).isoformat()
        reach = (first - SLACK).isoformat()
        self._advance(low, high)
        spans: dict[int, list[tuple[list[tuple[str, str, Any]], int, int]]] = {}
        for event_type in types:
            for story_id, story in self._by_type.get(event_type, {}).items():
                a = bisect.bisect_left(story.keys, (low, -1))
                b = bisect.bisect_right(story.keys, (high, 2**63))
                if a < b:
                    spans.setdefault(story_id, []).append((story.members, a, b))
        out: list[Any] = []
        located: dict[int, Any] = {}
        for story_id, parts in spans.items():
            latest: list[Any] = []
            for members, a, b in reversed(parts):
                for i in range(b - 1, a - 1, -1):
                    date_last, member_article, features = members[i]
                    if date_last >= reach and member_article != article_id:
                        latest.append(features)
                        if len(latest) == limit:
                            break
                if len(latest) == limit:
                    break
            if not latest:
                continue
            latest.reverse()
            out += latest
            for members, a, b in parts:
                found = next((members[i][2] for i in range(a, b) if members[i][0] >= reach
                              and members[i][1] != article_id and members[i][2].place_name is not None), None)
                if found is not None:
                    located[story_id] = found
                    break
        return out, located

    def add(self, event_type: str, story_id: int, date_first: str | None, rowid: int, date_last: str | None,
            article_id: str, features: Any) -> None:
        """A member placed during the run; held only when it falls inside what the window holds."""
        if date_first is None or date_last is None or self._loaded_until is None:
            return
        if date_first > self._loaded_until or (self._dropped_before and date_first < self._dropped_before):
            return  # the loading (or nothing) will read it from the store
        self._story(event_type, story_id).add(date_first, rowid, date_last, article_id, features)

    def _advance(self, low: str, high: str) -> None:
        if self._loaded_until is None or low < (self._dropped_before or low) or low > self._loaded_until:
            # First use; an event earlier than what was dropped (runs are in date order, so only an
            # unsorted caller gets here); or one past everything held, where reading the days in
            # between would be wasted: start again from this event's bounds.
            self._by_type.clear()
            self._rows(self._load(_before(low), high))
            self._loaded_until, self._dropped_before = high, low
            return
        if high > self._loaded_until:
            self._rows(self._load(self._loaded_until, high))
            self._loaded_until = high
        if low > self._dropped_before:
            for stories in self._by_type.values():
                emptied = []
                for story_id, story in stories.items():
                    story.drop_before(low)
                    if not story.keys:
                        emptied.append(story_id)
                for story_id in emptied:
                    del stories[story_id]
            self._dropped_before = low

    def _rows(self, rows: Iterable[tuple[str, int, str, str, str, int, Any]]) -> None:
        for event_type, rowid, date_first, date_last, article_id, story_id, features in rows:
            self._story(event_type, story_id).add(date_first, rowid, date_last, article_id, features)

    def _story(self, event_type: str, story_id: int) -> _Story:
        stories = self._by_type.setdefault(event_type, {})
        story = stories.get(story_id)
        if story is None:
            story = stories[story_id] = _Story()
        return story


def _before(day: str) -> str:
    # The exclusive lower bound just under `day`: ISO dates sort as strings.
    return (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()


class PlaceMembers:
    """Story members at each named place, read from the store once per place and run.

    Undated events are compared with the members at their place. Asking the store each time read
    every event at the place, dated or not, so it slowed down as reports of a place piled up. Held
    per place and event type, in rowid order: all members, and the undated ones apart (a dated
    event looks only at those).
    """

    def __init__(self, load: Callable[[str], Iterable[tuple[int, str, str, str, bool]]], most: int = 1_000_000) -> None:
        self._load = load
        self._most = most
        self._held = 0
        # place -> event type -> (every member, undated members), each a list of (rowid, id, article id)
        self._by_place: dict[str, dict[str, tuple[list[tuple[int, str, str]], list[tuple[int, str, str]]]]] = {}

    def ids(self, place: str, types: list[str], article_id: str, undated_only: bool, limit: int) -> list[str]:
        """Ids of members at `place` of `types` from other articles (only undated ones if asked): the
        first `limit` in rowid order."""
        held = self._members(place)
        lists = [held[t][1 if undated_only else 0] for t in types if t in held]
        out = []
        for _, event_id, member_article in heapq.merge(*lists):
            if member_article != article_id:
                out.append(event_id)
                if len(out) == limit:
                    break
        return out

    def add(self, place: str, rowid: int, event_id: str, event_type: str, article_id: str, undated: bool) -> None:
        """A member placed during the run (only where the place is held: otherwise the store has it)."""
        held = self._by_place.get(place)
        if held is not None:
            self._put(held, (rowid, event_id, event_type, article_id, undated))

    def _members(self, place: str) -> dict[str, tuple[list[tuple[int, str, str]], list[tuple[int, str, str]]]]:
        held = self._by_place.get(place)
        if held is None:
            if self._held > self._most:
                self._by_place.clear()  # read again rather than held without bound
                self._held = 0
            held = self._by_place[place] = {}
            for row in sorted(self._load(place)):
                self._put(held, row)
        return held

    def _put(self, held: dict[str, tuple[list[tuple[int, str, str]], list[tuple[int, str, str]]]],
             row: tuple[int, str, str, str, bool]) -> None:
        rowid, event_id, event_type, article_id, undated = row
        every, undated_ones = held.setdefault(event_type, ([], []))
        bisect.insort(every, (rowid, event_id, article_id))
        if undated:
            bisect.insort(undated_ones, (rowid, event_id, article_id))
        self._held += 1
