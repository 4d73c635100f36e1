"""The trigger lexicon: loaded once from data/triggers.yaml, validated, indexed by lemma."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from . import cache
from .errors import ResourceError
from .ontology import CONTEXTS, EVENT_TYPES

_ENTRY_KEYS = {
    "mode", "contexts", "needs", "not_needs", "objects", "not_objects", "control", "swap", "symmetric",
    "weight", "modifiers", "not_modifiers", "conflict_type", "needs_content", "by_civilians", "poss_is_patient", "needs_complement",
    "needs_predicate", "praise_type", "by_military", "needs_condemnation", "needs_demand", "not_with",
}


@dataclass(frozen=True, slots=True)
class Entry:
    """One trigger word for one event type, with the constraints that make it count."""

    lemma: str
    pos: str  # "verb" | "noun"
    event_type: str
    mode: str | None = None
    contexts: tuple[str, ...] = ()
    needs: frozenset[str] = frozenset()
    not_needs: frozenset[str] = frozenset()
    objects: frozenset[str] = frozenset()
    not_objects: frozenset[str] = frozenset()
    modifiers: frozenset[str] = frozenset()
    not_modifiers: frozenset[str] = frozenset()
    control: bool = False
    swap: bool = False
    symmetric: bool = False
    weight: float = 1.0
    conflict_type: str | None = None
    needs_content: bool = False  # counts only with a folded complement ("warned it would strike")
    by_civilians: str | None = None  # the type when every actor is civilian ("protesters blocked roads")
    poss_is_patient: bool = False  # "Dodik's arrest": the possessor is acted on
    needs_complement: bool = False  # "asked X to leave" is a request; "she asked" is not
    needs_predicate: bool = False  # "called the ruling arbitrary", "described it as deplorable"
    praise_type: str | None = None  # the type when that predicate praises ("called it an achievement")
    by_military: str | None = None  # the type when every actor is armed forces ("peacekeepers arrived")
    needs_condemnation: bool = False  # "said Iran is flagrantly defying": counts when what is said condemns
    needs_demand: bool = False  # "said Russia must withdraw": counts when what is said is another's duty
    not_with: frozenset[str] = frozenset()  # never when its "with"/"to"/"for" object is among these ("met with criticism")

    @property
    def specificity(self) -> int:
        """Entries with more constraints are tried first: "call for" before "call"."""
        return bool(self.needs) + bool(self.objects) + bool(self.modifiers) + self.needs_predicate + self.needs_condemnation + self.needs_demand


@dataclass(frozen=True)
class Lexicon:
    """Trigger entries by (pos, lemma), light verbs, mode and context cues."""

    entries: dict[tuple[str, str], tuple[Entry, ...]]
    light_verbs: frozenset[str]
    light_preps: dict[str, frozenset[str]]
    mode_cues: dict[str, dict[str, str]]
    context_cues: dict[str, str]
    surface_forms: frozenset[str] = field(default=frozenset())
    # Forms of constrained triggers ("give" counts only with "aid", "call" with "for"), with the
    # words one of which must also be in the sentence.
    constrained_forms: dict[str, frozenset[str]] = field(default_factory=dict)
    # Words that make a characterisation praise ("called it a historic achievement").
    praise_words: frozenset[str] = field(default=frozenset())
    # Words that make what a speaker says a condemnation ("said the detention is arbitrary"), and
    # words that do when negated ("is not legal").
    condemnation_words: frozenset[str] = field(default=frozenset())
    condemned_when_negated: frozenset[str] = field(default=frozenset())

    def lookup(self, pos: str, lemma: str) -> tuple[Entry, ...]:
        found = self.entries.get((pos, lemma), ())
        if not found and pos == "verb" and lemma in _PAST_TO_VERB:
            found = self.entries.get((pos, _PAST_TO_VERB[lemma]), ())
        return found

    def could_hold_event(self, words: Iterable[str]) -> bool:
        """Cheap test on lower-cased words: could any trigger's constraints hold here?"""
        present = set(words)
        if present & self.surface_forms:
            return True
        return any(self.constrained_forms[w] & present for w in present & self.constrained_forms.keys())


def _frozen(value: Any, where: str) -> frozenset[str]:
    if value is None:
        return frozenset()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ResourceError(f"{where}: expected a list of words, got {value!r}")
    return frozenset(v.lower() for v in value)


def _entry(type_name: str, pos: str, lemma: str, attrs: dict[str, Any] | None, where: str) -> Entry:
    attrs = attrs or {}
    unknown = set(attrs) - _ENTRY_KEYS
    if unknown:
        raise ResourceError(f"{where}: unknown attribute(s) {sorted(unknown)}; known: {sorted(_ENTRY_KEYS)}")
    mode = attrs.get("mode")
    if mode is not None and mode not in EVENT_TYPES[type_name].modes:
        raise ResourceError(f"{where}: mode {mode!r} is not a PLOVER mode of {type_name}")
    contexts = tuple(attrs.get("contexts") or ())
    bad = [c for c in contexts if c not in CONTEXTS]
    if bad:
        raise ResourceError(f"{where}: unknown context(s) {bad}")
    conflict_type = attrs.get("conflict_type")
    if conflict_type is not None and conflict_type not in EVENT_TYPES:
        raise ResourceError(f"{where}: conflict_type {conflict_type!r} is not a PLOVER type")
    by_civilians = attrs.get("by_civilians")
    if by_civilians is not None and by_civilians not in EVENT_TYPES and by_civilians != "NONE":
        raise ResourceError(f"{where}: by_civilians {by_civilians!r} is not a PLOVER type")
    praise_type = attrs.get("praise_type")
    if praise_type is not None and praise_type not in EVENT_TYPES:
        raise ResourceError(f"{where}: praise_type {praise_type!r} is not a PLOVER type")
    by_military = attrs.get("by_military")
    if by_military is not None and by_military not in EVENT_TYPES:
        raise ResourceError(f"{where}: by_military {by_military!r} is not a PLOVER type")
    return Entry(
        lemma=lemma,
        pos=pos,
        event_type=type_name,
        mode=mode,
        contexts=contexts,
        needs=_frozen(attrs.get("needs"), where),
        not_needs=_frozen(attrs.get("not_needs"), where),
        objects=_frozen(attrs.get("objects"), where),
        not_objects=_frozen(attrs.get("not_objects"), where),
        modifiers=_frozen(attrs.get("modifiers"), where),
        not_modifiers=_frozen(attrs.get("not_modifiers"), where),
        control=bool(attrs.get("control", False)),
        swap=bool(attrs.get("swap", False)),
        symmetric=bool(attrs.get("symmetric", False)),
        weight=float(attrs.get("weight", 1.0)),
        conflict_type=conflict_type,
        needs_content=bool(attrs.get("needs_content", False)),
        by_civilians=by_civilians,
        poss_is_patient=bool(attrs.get("poss_is_patient", False)),
        needs_complement=bool(attrs.get("needs_complement", False)),
        needs_predicate=bool(attrs.get("needs_predicate", False)),
        praise_type=praise_type,
        by_military=by_military,
        needs_condemnation=bool(attrs.get("needs_condemnation", False)),
        needs_demand=bool(attrs.get("needs_demand", False)),
        not_with=_frozen(attrs.get("not_with"), where),
    )


def inflections(lemma: str, pos: str) -> set[str]:
    """Generous surface forms of a lemma for the pre-filter; over-generation is harmless."""
    forms = {lemma, lemma + "s", lemma + "es"}
    if pos == "noun":
        # A noun trigger matches a noun's lemma or text: its plural at most ("accords", not "according").
        if lemma.endswith("y"):
            forms.add(lemma[:-1] + "ies")
        if lemma.endswith("sis"):
            forms.add(lemma[:-3] + "ses")
        return forms
    stem = lemma.removesuffix("e")
    forms |= {lemma + "ed", lemma + "d", stem + "ing", stem + "ed"}
    if lemma.endswith("y"):
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if len(lemma) > 2 and lemma[-1] not in "aeiouwxy" and lemma[-2] in "aeiou":
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    irregular = _IRREGULAR.get(lemma)
    if irregular:
        forms |= set(irregular)
    return forms


# Past forms of irregular verbs the lexicon uses (English grammar, not data about the news).
_IRREGULAR = {
    "meet": ("met",), "hold": ("held",), "fight": ("fought",), "shoot": ("shot",), "strike": ("struck", "stricken"),
    "give": ("gave", "given"), "send": ("sent",), "take": ("took", "taken"), "break": ("broke", "broken"),
    "withdraw": ("withdrew", "withdrawn"), "beat": ("beaten",), "seek": ("sought",), "lead": ("led",),
    "forbid": ("forbade", "forbidden"), "fly": ("flew", "flown"), "blow": ("blew", "blown"), "sit": ("sat",),
    "shut": ("shut",), "cut": ("cut",), "hit": ("hit",), "lend": ("lent",), "feed": ("fed",), "quit": ("quit",),
    "undertake": ("undertook", "undertaken"), "slay": ("slew", "slain"), "forgive": ("forgave", "forgiven"),
    "forgo": ("forwent", "forgone"), "freeze": ("froze", "frozen"), "speak": ("spoke", "spoken"),
    "overthrow": ("overthrew", "overthrown"), "deal": ("dealt",), "have": ("had", "has"), "make": ("made",),
    "begin": ("began", "begun"), "run": ("ran",), "wage": ("waged",), "step": ("stepped",), "go": ("went",),
    "sentence": ("sentenced",), "rise": ("rose", "risen"), "arise": ("arose",), "bring": ("brought",),
    "say": ("said",), "tell": ("told",), "write": ("wrote", "written"),
    "retake": ("retook", "retaken"), "overrun": ("overran",),
}
# The lemmatizer leaves some past forms as they are ("retook"): read them back to their verb.
_PAST_TO_VERB = {form: verb for verb, forms in _IRREGULAR.items() for form in forms if form != verb}


# libyaml's parser when PyYAML has it (its wheels do): ten times the pure-Python one. Both share
# the resolvers set below, so they read a file alike.
_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _WordLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """YAML 1.1 reads on/off/yes/no as booleans; in a lexicon they are words ("call on")."""


_WordLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_WordLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|false|False)$"), list("tTfF")
)


def load_words_yaml(text: str, name: str = "yaml") -> Any:
    """Parse a project data file, keeping on/off/yes/no as words.

    The parsed data is kept in Lapwing's on-disk cache under `name`, keyed by the text, so a later
    start reads it back instead of parsing it again.
    """
    key = cache.make_key(_LOADER_VERSION, yaml.__version__, text)
    return cache.cached(name, key, lambda: yaml.load(text, Loader=_WordLoader))


# Part of the cache key: bump when the loader above reads words differently.
_LOADER_VERSION = "words-2"


_WORD_LISTS = ("light_verbs", "mode_cues", "context_cues", "praise_words", "condemnation_words", "condemned_when_negated")


def _load(text: str, where: str) -> Lexicon:
    try:
        data = load_words_yaml(text, "lexicon" if where == _DEFAULT_WHERE else "yaml")
    except yaml.YAMLError as exc:
        raise ResourceError(f"{where}: not valid YAML ({exc}); fix the file") from exc
    if not isinstance(data, dict):
        raise ResourceError(f"{where}: expected a mapping of event types")
    entries: dict[tuple[str, str], list[Entry]] = {}
    for type_name, block in data.items():
        if type_name in _WORD_LISTS:
            continue
        if type_name not in EVENT_TYPES:
            raise ResourceError(f"{where}: {type_name!r} is not a PLOVER event type; known: {', '.join(EVENT_TYPES)}")
        for pos_key, pos in (("verbs", "verb"), ("nouns", "noun")):
            for lemma, attrs in (block.get(pos_key) or {}).items():
                entry = _entry(type_name, pos, str(lemma).lower(), attrs, f"{where}: {type_name}.{pos_key}.{lemma}")
                entries.setdefault((pos, entry.lemma), []).append(entry)
    light = data.get("light_verbs") or {}
    light_verbs = frozenset(light.get("direct") or ())
    light_preps = {v: frozenset(p) for v, p in (light.get("prepositional") or {}).items()}
    mode_cues = {t: {k.lower(): v for k, v in cues.items()} for t, cues in (data.get("mode_cues") or {}).items()}
    for t, cues in mode_cues.items():
        for word, mode in cues.items():
            if t not in EVENT_TYPES or mode not in EVENT_TYPES[t].modes:
                raise ResourceError(f"{where}: mode_cues.{t}.{word}: {mode!r} is not a PLOVER mode of {t}")
    context_cues: dict[str, str] = {}
    for context, words in (data.get("context_cues") or {}).items():
        if context not in CONTEXTS:
            raise ResourceError(f"{where}: context_cues: unknown context {context!r}")
        for w in words:
            context_cues[str(w).lower()] = context
    condemning = _frozen(data.get("condemnation_words"), f"{where}: condemnation_words")
    negated = _frozen(data.get("condemned_when_negated"), f"{where}: condemned_when_negated")
    free, constrained = _prefilter_forms([e for group in entries.values() for e in group], condemning | negated)
    ordered = {
        key: tuple(sorted(group, key=lambda e: (-e.specificity, -e.weight))) for key, group in entries.items()
    }
    praise = _frozen(data.get("praise_words"), f"{where}: praise_words")
    return Lexicon(ordered, light_verbs, light_preps, mode_cues, context_cues, free, constrained, praise, condemning, negated)


# Words that state another's duty in what a speaker says ("must withdraw", "needs to act").
DEMAND_WORDS = frozenset({"must", "should", "ought", "need"})


def _prefilter_forms(
    entries: list[Entry], condemning: frozenset[str] = frozenset()
) -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    """Surface forms that alone may hold an event, and those that need a companion word."""
    free: set[str] = set()
    needing: dict[str, set[str]] = {}
    for entry in entries:
        if entry.weight <= 0:
            continue
        forms = inflections(entry.lemma, entry.pos)
        cues = entry.needs | entry.objects | entry.modifiers | (condemning if entry.needs_condemnation else frozenset()) \
            | (DEMAND_WORDS if entry.needs_demand else frozenset())
        if not cues or "#place" in entry.objects:  # a place name is no word the pre-filter can look for
            free |= forms
            continue
        companions = set()
        for cue in cues:
            companions |= inflections(cue, "noun")
            if cue in condemning:
                companions |= inflections(cue, "verb")  # "defying", "violated"
        for form in forms:
            needing.setdefault(form, set()).update(companions)
    # A form some entry takes alone is free; only forms that always need a companion stay constrained.
    constrained = {form: frozenset(c) for form, c in needing.items() if form not in free}
    return frozenset(free), constrained


def load_lexicon(path: str | Path | None = None) -> Lexicon:
    """Load a trigger lexicon: the shipped one by default, or a user's YAML file of the same form."""
    if path is None:
        return _default_lexicon()
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise ResourceError(f"{p}: cannot read the lexicon ({exc.strerror})") from exc
    return _load(text, str(p))


@functools.lru_cache(maxsize=1)
def _default_lexicon() -> Lexicon:
    text = resources.files("lapwing").joinpath("data/triggers.yaml").read_text(encoding="utf-8")
    return _load(text, _DEFAULT_WHERE)


_DEFAULT_WHERE = "lapwing/data/triggers.yaml"
