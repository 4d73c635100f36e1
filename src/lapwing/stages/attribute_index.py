"""The same matches as spaCy's attribute ruler, found by table lookup instead of its Matcher.

The English pipeline's `attribute_ruler` (tag -> POS and morphology, a few word exceptions) asks
its Matcher to try each of its 179 one-token patterns at every token: on the VOA stories that was
about a sixth of the parse, as much as the dependency parser. Its patterns only test a token's
tag, lower-cased text, dependency label and is-space flag, so the rules a token matches depend on
those four values alone; they are worked out once per distinct combination and kept. The ruler
then sets the attributes exactly as before (its own `set_annotations`, rules in the same order),
so every token gets the same POS, morphology and lemma (tests/test_attribute_index.py compares
the two on whole articles).

Patterns this module cannot read (operators such as "OP", other attributes or predicates) leave
the ruler as spaCy built it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

# The token attributes a pattern may test here: their places in a token's key (`_key`).
_POSITION = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
_PREDICATES = {"IN", "NOT_IN", "REGEX"}

Test = Callable[[tuple], bool]  # over a token's key: (tag, lower, dep, is_space)


def _key(token: Any) -> tuple:
    return (token.tag_, token.lower_, token.dep_, token.is_space)


def _value_test(position: int, value: Any) -> Test | None:
    if isinstance(value, dict):
        if not value or set(value) - _PREDICATES:
            return None
        tests = []
        for op, arg in value.items():
            if op == "REGEX":
                pattern = re.compile(arg)
                tests.append(lambda k, p=pattern: isinstance(k[position], str) and p.search(k[position]) is not None)
            else:
                if not isinstance(arg, (list, tuple, set, frozenset)):
                    return None
                members = frozenset(arg)
                tests.append((lambda k, m=members: k[position] in m) if op == "IN" else (lambda k, m=members: k[position] not in m))
        return lambda k: all(t(k) for t in tests)
    if isinstance(value, (str, bool)):
        return lambda k: k[position] == value
    return None


def _token_test(spec: dict) -> Test | None:
    tests = []
    for attr, value in spec.items():
        if attr not in _POSITION:
            return None
        test = _value_test(_POSITION[attr], value)
        if test is None:
            return None
        tests.append(test)
    return lambda k: all(t(k) for t in tests)


class AttributeIndex:
    """A drop-in `match` for an AttributeRuler: the same (rule, id, start, end) matches, in order."""

    def __init__(self, patterns: list[tuple[int, int, list[Test], dict]]) -> None:
        # Each pattern filed under what its first token must be, so a token tries only its own few.
        self.by_lower: dict[str, list] = {}
        self.by_tag: dict[str, list] = {}
        self.others: list = []
        for rule, mid, tests, first in patterns:
            lower, tag = first.get("LOWER"), first.get("TAG")
            if isinstance(lower, str):
                self.by_lower.setdefault(lower, []).append((rule, mid, tests))
            elif isinstance(tag, str) or (isinstance(tag, dict) and set(tag) == {"IN"}):
                for t in ([tag] if isinstance(tag, str) else tag["IN"]):
                    self.by_tag.setdefault(t, []).append((rule, mid, tests))
            else:
                self.others.append((rule, mid, tests))
        self._seen: dict[tuple, tuple] = {}  # token key -> the patterns it starts; bounded

    @classmethod
    def of(cls, ruler: Any) -> AttributeIndex | None:
        """The index for this ruler's patterns, or None when one of them is beyond it."""
        patterns = []
        for rule, entry in enumerate(ruler.patterns):
            mid = ruler.vocab.strings[str(rule)]
            for pattern in entry["patterns"]:
                if not pattern:
                    return None
                tests = [_token_test(spec) for spec in pattern]
                if any(t is None for t in tests):
                    return None
                patterns.append((rule, mid, tests, pattern[0]))
        return cls(patterns)

    def __call__(self, doc: Any) -> list[tuple[int, int, int, int]]:
        keys = [_key(t) for t in doc]
        matches = []
        for i, k in enumerate(keys):
            starts = self._seen.get(k)
            if starts is None:
                tried = (*self.by_lower.get(k[1], ()), *self.by_tag.get(k[0], ()), *self.others)
                starts = tuple(p for p in tried if p[2][0](k))
                if len(self._seen) >= _MAX_SEEN:
                    self._seen.clear()
                self._seen[k] = starts
            for rule, mid, tests in starts:
                end = i + len(tests)
                if end <= len(keys) and all(test(keys[i + j]) for j, test in enumerate(tests[1:], 1)):
                    matches.append((rule, mid, i, end))
        matches.sort()  # by rule, as the ruler sorts its Matcher's matches: later rules win
        return matches


# Distinct (tag, word, label, space) keys remembered; a long run starts over past this.
_MAX_SEEN = 100_000


def index_attribute_ruler(nlp: Any) -> bool:
    """Give the pipeline's attribute ruler the table lookup; False when it has none or it cannot."""
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    ruler = nlp.get_pipe("attribute_ruler")
    if not hasattr(ruler, "match") or not hasattr(ruler, "set_annotations"):
        return False
    index = AttributeIndex.of(ruler)
    if index is None:
        return False
    ruler.match = index  # the instance's own match; the class and other pipelines keep spaCy's
    return True
