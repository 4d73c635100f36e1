"""Places: toponyms -> gazetteer entries (PlaceFinder), and each event's location (EventLocator).

PlaceFinder resolves the parser's GPE/LOC/FAC entities and corrects its mistakes: a PERSON/ORG/NORP
entity or an unlabelled proper noun that names a town, used where a place goes ("preparations to
target Rafah"), becomes GPE. EventLocator then picks, for every event, the object of a place verb
trigger ("shelled Kharkiv"), else a town or region in a locative phrase of the trigger's clause,
else a town of the same sentence that no other clause locates, else a country named as a locative.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
from dataclasses import dataclass
from typing import Protocol

from ..actors.countries import load_countries
from ..datelines import DATELINE
from ..doc import Doc
from ..lexicon import load_lexicon
from ..gazetteer import ADMIN_SUFFIXES, Gazetteer, GazetteerEntry, normalize_name
from ..records import Entity, Event, Place, Token
from .sentence_graph import mentions_near

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# A town named in a sentence the parser skipped is taken alone only this big (else with its country
# named in the article): there is no parse to say a place goes there.
UNPARSED_MIN_POPULATION = 100_000
_NAME_WORD = re.compile(r"[\w][\w.'’-]*[\w]|[\w]")
_NAME_LINKS = frozenset({"of", "al", "el", "de", "del", "la", "le", "the", "upon", "on"})
RELABEL_LABELS = frozenset({"PERSON", "ORG", "NORP"})
# Words before a name that say a place follows ("in Rafah", "toward Gaza"). "to" and "from" also
# take people ("a letter to Bush"), so they count only with a country the article names.
CONTEXT_PREPS = frozenset(
    {"in", "at", "near", "into", "toward", "towards", "across", "outside", "inside", "through", "around"}
)
# Nouns a place name modifies as a compound ("the Rafah crossing", "Jabalia camp").
PLACE_NOUNS = frozenset(
    {"crossing", "border", "camp", "city", "town", "village", "area", "province", "governorate", "district", "port"}
)
# Nouns whose apposition or of-phrase is a place ("the capital, Bangui", "the towns of Bocaranga").
NAMING_NOUNS = PLACE_NOUNS | frozenset(
    {"capital", "county", "state", "region", "neighborhood", "neighbourhood", "suburb", "towns", "villages"}
)
WEAK_CONTEXT_PREPS = frozenset({"to", "from"})
# Acts whose "on" phrase is a place when it names one.
_ATTACK_WORDS = frozenset({
    "strike", "airstrike", "attack", "raid", "assault", "offensive", "bombardment", "shelling", "bombing",
    "advance", "march", "push", "onslaught", "barrage", "fire", "rocket", "missile", "drone",
})
# Words of coming and going whose "to" phrase is where the happening is ("a visit to Beijing",
# "travel to Canada"); "deported to Honduras" names a destination only, as the codebook says.
MOTION_WORDS = frozenset({"visit", "travel", "trip", "tour", "fly", "arrive", "journey", "go", "come", "head"})
# Verbs whose object is where the subject went ("visited Taiwan"): a location, but not a reason to
# read a name as a place (people are visited too).
VISIT_VERBS = frozenset({"visit", "tour"})
# Verbs whose object is a place when it names one ("target Rafah", "entered Jenin").
# fmt: off
PLACE_VERBS = frozenset({
    "target", "enter", "strike", "reach", "attack", "bomb", "shell", "invade", "storm", "capture",
    "seize", "besiege", "raid", "encircle", "surround", "occupy", "evacuate", "overrun", "liberate",
    "retake", "recapture", "flee", "storm",
})
# fmt: on
# Prepositions that locate an event ("fighting in Khan Younis", "strikes on Rafah").
LOCATIVE_PREPS = frozenset(
    {"in", "at", "near", "outside", "inside", "from", "into", "across", "on", "around", "throughout", "within"}
)
# Dependents through which a name still belongs to the noun phrase a preposition governs.
_PHRASE_DEPS = frozenset({"compound", "appos", "conj", "poss", "nmod", "amod"})
_MODIFIER_DEPS = frozenset({"compound", "nmod", "amod"})
# Happenings a town's name modifies where they took place ("at the Singapore summit", "the Kabul
# attack"); a country's name before them says whose they are more often than where.
_VENUE_NOUNS = frozenset({
    "summit", "talks", "meeting", "conference", "forum", "attack", "bombing", "blast", "raid",
    "massacre", "siege", "rally", "protest", "trial", "negotiations",
})
# Prepositions that say where whatever the event; "on", "from", "into" say where only of acts done
# to a place (a strike on Rafah, troops pulled from Gaza).
_WHERE_PREPS = frozenset({"in", "at", "near", "outside", "inside", "across", "around", "throughout", "within"})
# Nouns of people and goods on the move: their "from X" is whence they come, not where anything
# happened ("restrictions on travel from India", "refugees from Syria").
MOVING_NOUNS = frozenset({
    "travel", "traveler", "traveller", "visitor", "flight", "import", "export", "good", "product", "shipment",
    "arrival", "passenger", "migrant", "refugee", "national", "citizen", "tourist", "entry", "trade", "visa",
})  # fmt: skip
_PHYSICAL_TYPES = frozenset({"ASSAULT", "COERCE", "MOBILIZE", "RETREAT", "AID", "PROTEST"})
# fmt: off
DIRECTIONS = frozenset({
    "north", "northern", "south", "southern", "east", "eastern", "west", "western", "central",
    "northeast", "northeastern", "northwest", "northwestern", "southeast", "southeastern",
    "southwest", "southwestern",
})
# fmt: on
_POSSESSIVE = re.compile(r"\s*['’]s?$")
_CONNECTORS = frozenset({"-", "al", "el", "ad", "ash", "as", "az", "an", "ar", "at", "ed", "es", "en", "er"})
_FEATURE_RANK = {"city": 0, "region": 1, "country": 2}
# A town known only by an alternate name ("Africa" is an old name of Mahdia, Tunisia) counts
# without its country named in the article only if it is at least this big.
ALTERNATE_MIN_POPULATION = 100000
# A candidate in an article's country wins unless the top candidate is this many times bigger.
CONTEXT_RATIO = 5


class PlaceLookup(Protocol):
    """What the stages need of a gazetteer; tests pass a tiny fake."""

    def lookup(self, name: str, *, variants: bool = True) -> list[GazetteerEntry]: ...


@dataclass(frozen=True)
class PlaceFinderConfig:
    relabel: bool = True
    # A mislabelled name becomes a place only if the town is at least this big: small towns share
    # names with people far more often than news names them.
    min_relabel_population: int = 30000


@dataclass(frozen=True, slots=True)
class _Span:
    token_start: int
    token_end: int
    start: int
    end: int
    candidates: tuple[GazetteerEntry, ...]
    entity: int | None  # index into doc.entities; None for an unlabelled proper noun run
    relabel: bool
    # Weak evidence (after "to"/"from", a spelling variant, a two-word PERSON): the name is a place
    # only if the article names the place's country too.
    needs_country: bool = False
    small: bool = False  # found only among the towns under 15,000 people
    # The words say a place goes here ("attacked Gwoza", "in Manbij") and the parser did not call
    # it a person: a town of any size is then meant.
    strong: bool = False


def dateline_place(doc: Doc) -> Place | None:
    """The place the article's dateline names, if it has one (found by PlaceFinder)."""
    m = DATELINE.match(doc.text)
    if m is None:
        return None
    return next((p for p in doc.places if p.start >= m.start("town") and p.end <= m.end() and p.feature != "country"), None)


class PlaceFinder:
    """Assigns places (every resolvable place name, in text order) and corrects entity labels."""

    name = "places"
    version = "1"
    requires = ("parse", "entities")
    assigns = ("places", "entities")

    def __init__(self, config: PlaceFinderConfig = PlaceFinderConfig(), gazetteer: PlaceLookup | None = None) -> None:
        self.config = config
        if gazetteer is None:
            gazetteer = Gazetteer.default()
            gazetteer.load()  # pay the index build at pipeline construction, not in the first doc
        self.gazetteer = gazetteer

    def __call__(self, doc: Doc) -> Doc:
        spans = _read_demonym_apposition(doc, _read_town_and_region(doc, self._find_spans(doc))) if doc.tokens else []
        unparsed = self._unparsed_names(doc)
        context = _context_countries(spans) | {
            c[0].country for _, _, c, _, _ in unparsed if c[0].feature == "country" and c[0].country
        } | _demonym_countries(doc)
        person_words = {
            normalize_name(doc.tokens[i].text)
            for e in doc.entities
            if e.label == "PERSON" and e.token_end - e.token_start >= 2
            and not _ends_in_admin_word(_key(e.text))  # "Beledweyne District [Commissioner]" is no one's name
            for i in range(e.token_start, e.token_end)
        } | _surnames_taken_for_places(doc)
        entities = list(doc.entities)
        added: list[Entity] = []
        places: list[Place] = []
        for span in spans:
            text = doc.text[span.start : span.end]
            key = _key(text)
            entry = _choose(span.candidates, key, context, span.needs_country)
            if entry is None:
                continue
            if not span.relabel and key in person_words and entry.feature != "country" \
                    and span.token_end - span.token_start == 1 and _place_context(doc, span.token_start, span.token_end) != STRONG:
                continue  # "Medina promised ...": the surname of a person the article names in full
            if span.relabel:
                # "Borno State", or a region where the words say a place goes ("across the Sahel")
                named_region = entry.feature == "region" and (_ends_in_admin_word(key) or not span.needs_country)
                big_enough = (
                    entry.population >= self.config.min_relabel_population or span.small or named_region or span.strong
                )
                if not big_enough or key in person_words:
                    continue  # a small town or a surname: the parser was probably right
                if not _own_name(entry, key) and entry.country not in context:
                    continue  # only an alternate name, of a country the article never names
                if span.entity is not None:
                    entities[span.entity] = dataclasses.replace(entities[span.entity], label="GPE")
                else:
                    added.append(Entity(text, "GPE", span.start, span.end, span.token_start, span.token_end))
            places.append(
                Place(
                    text,
                    entry.name,
                    entry.country,
                    entry.admin1,
                    entry.lat,
                    entry.lon,
                    entry.geonameid,
                    span.start,
                    span.end,
                    entry.feature,
                )
            )
        places += self._unparsed_places(unparsed, context, person_words)
        line = self._dateline(doc, context)
        if line is not None and not any(p.start < line.end and line.start < p.end and p.feature != "country" for p in places):
            places = [p for p in places if not (p.start < line.end and line.start < p.end)] + [line]
        places.sort(key=lambda p: p.start)
        if added:
            entities = sorted([*entities, *added], key=lambda e: (e.start, e.end))
        return doc.replace(places=tuple(places), entities=tuple(entities))

    def _unparsed_names(self, doc: Doc) -> list[tuple[int, int, tuple[GazetteerEntry, ...], bool, str]]:
        """Gazetteer names in the sentences the parser skipped (no trigger word): the article's place
        layer covers them too, because the other places decide the homonyms. Capitalised word runs,
        longest name first: (start, end, candidates, whether it is a lone word opening the sentence, text)."""
        found = []
        for sent in doc.sentences:
            if sent.parsed:
                continue
            text = doc.text[sent.start : sent.end]
            words = [(m.start() + sent.start, m.end() + sent.start, m.group()) for m in _NAME_WORD.finditer(text)]
            i = 0
            while i < len(words):
                if not words[i][2][:1].isupper():
                    i += 1
                    continue
                j = i + 1
                while j < len(words) and (words[j][2][:1].isupper() or (words[j][2] in _NAME_LINKS and j + 1 < len(words)
                                                                      and words[j + 1][2][:1].isupper())) \
                        and doc.text[words[j - 1][1] : words[j][0]].strip() == "":
                    j += 1
                hit = None
                for k in range(min(j, i + 4), i, -1):
                    name = doc.text[words[i][0] : words[k - 1][1]]
                    candidates = tuple(self.gazetteer.lookup(name, variants=False))
                    if candidates:
                        hit = (words[i][0], words[k - 1][1], candidates, k == i + 1 and words[i][0] == sent.start, name)
                        i = k
                        break
                if hit is None:
                    i += 1
                else:
                    found.append(hit)
        return found

    def _unparsed_places(self, names, context: frozenset[str], person_words: set[str]) -> list[Place]:
        """The names of `_unparsed_names` that are surely places: countries, regions, and big towns
        (or towns of a country the article names); never a lone sentence-opening word of a country
        the article does not name ("Mobile phones ..."), nor a word of a person's name."""
        places = []
        for start, end, candidates, opening, text in names:
            entry = candidates[0]
            key = normalize_name(entry.name)
            if key in person_words:
                continue
            if entry.feature == "city":
                sure = entry.population >= UNPARSED_MIN_POPULATION or entry.country in context
                if not sure or (opening and entry.country not in context) or len({c.country for c in candidates}) > 1 \
                        and entry.country not in context:
                    continue
            elif entry.feature == "region" and entry.country is not None and entry.country not in context:
                continue
            places.append(Place(text, entry.name, entry.country, entry.admin1, entry.lat,
                                entry.lon, entry.geonameid, start, end, entry.feature))
        return places

    def _dateline(self, doc: Doc, context: frozenset[str]) -> Place | None:
        """The town of a wire dateline ("BEIRUT (Reuters) -", "MARANCHON, SPAIN —"), resolved."""
        m = DATELINE.match(doc.text)
        if m is None:
            return None
        town = m.group("town").strip().title()
        hint = (m.group("hint") or "").strip().title()
        hints = {e.country for e in self.gazetteer.lookup(hint, variants=False) if e.feature != "city"} if hint else set()
        hint_regions = {e.admin1 for e in self.gazetteer.lookup(hint, variants=False) if e.feature == "region"} if hint else set()
        candidates = self.gazetteer.lookup(town, variants=False)
        small = getattr(self.gazetteer, "lookup_small_town", None)
        if not candidates and small is not None and hints:
            candidates = small(town)
        if hints:
            candidates = [e for e in candidates if e.country in hints or (e.admin1 and e.admin1 in hint_regions)]
        entry = _choose(tuple(candidates), _key(town), context | frozenset(hints), False) if candidates else None
        if entry is None or entry.feature == "country":
            return None
        start = m.start("town")
        end = m.end("hint") if m.group("hint") else m.end("town")
        return Place(doc.text[start:end].strip(), entry.name, entry.country, entry.admin1, entry.lat, entry.lon,
                     entry.geonameid, start, start + len(doc.text[start:end].strip()), entry.feature)

    def _find_spans(self, doc: Doc) -> list[_Span]:
        spans: list[_Span] = []
        covered: set[int] = set()
        for index, entity in enumerate(doc.entities):
            covered.update(range(entity.token_start, entity.token_end))
            if entity.label in PLACE_LABELS:
                span = self._resolve(doc, entity.token_start, entity.token_end, variants=True, small=True)
                if span is not None:
                    spans.append(dataclasses.replace(span, entity=index))
                else:
                    # "between Abuja and Kaduna" tagged as one entity: each name is a place
                    for a, b in _conjuncts(doc, entity.token_start, entity.token_end):
                        part = self._resolve(doc, a, b, variants=True, small=True)
                        if part is not None:
                            spans.append(part)
            elif self.config.relabel and (entity.label in RELABEL_LABELS or _wordy_date(entity)):
                strength = _place_context(doc, entity.token_start, entity.token_end)
                # A person's name is never read as a small town ("Kotey" is no village), nor by a
                # spelling variant ("Kotey" folds like "Quetta"); another label, where the words
                # say a place goes ("entered Wad Madani"), may be either.
                small = strength == STRONG and entity.label != "PERSON"
                span = (
                    self._resolve(doc, entity.token_start, entity.token_end,
                                  variants=strength == STRONG and entity.label != "PERSON", small=small)
                    if strength
                    else None
                )
                if span is not None:
                    # "Joe Biden" never resolves; a two-word PERSON that does ("Khan Younis"), and
                    # any small town, is taken only with its country named elsewhere.
                    several = entity.label == "PERSON" and entity.token_end - entity.token_start >= 2
                    needs_country = strength == WEAK or several or span.needs_country
                    spans.append(dataclasses.replace(
                        span, entity=index, relabel=True, needs_country=needs_country,
                        strong=strength == STRONG and entity.label != "PERSON",
                    ))
        if self.config.relabel:
            for start, end in _proper_noun_runs(doc, covered):
                strength = _place_context(doc, start, end)
                span = self._resolve(doc, start, end, variants=strength == STRONG, small=strength == STRONG) if strength else None
                if span is not None:
                    spans.append(dataclasses.replace(span, relabel=True, needs_country=strength == WEAK, strong=strength == STRONG))
        return spans

    def _resolve(self, doc: Doc, start: int, end: int, variants: bool, small: bool = False) -> _Span | None:
        """The gazetteer entries for tokens [start, end), trimmed of 'the', possessives, directions.

        With `small`, a name the main index lacks is looked up among towns under 15,000 people
        too; such a town counts only with its country named in the article (`needs_country`).
        """
        tokens = doc.tokens
        start, end = _trim(tokens, start, end, frozenset())
        small_towns = getattr(self.gazetteer, "lookup_small_town", None) if small else None
        texts: list[tuple[int, int, int, str]] = []
        for attempt in (0, 1):
            if attempt:
                # "southern Lebanon" -> "Lebanon", tried only after the whole name failed so that
                # "South Sudan" and "West Bank" stay themselves.
                trimmed = _trim(tokens, start, end, DIRECTIONS)
                if trimmed == (start, end):
                    break
                start, end = trimmed
            if start >= end:
                break
            char_start, char_end = tokens[start].start, tokens[end - 1].end
            text = doc.text[char_start:char_end]
            possessive = _POSSESSIVE.search(text)
            if possessive and possessive.start() > 0:
                char_end = char_start + possessive.start()
                text = text[: possessive.start()]
            candidates = self.gazetteer.lookup(text, variants=False)
            if candidates:
                return _Span(start, end, char_start, char_end, tuple(candidates), None, False)
            if variants and (candidates := self.gazetteer.lookup(text)):
                # A spelling variant is a guess ("Kaabu" folds like "Kobe"): keep it only when
                # the article names the country.
                return _Span(start, end, char_start, char_end, tuple(candidates), None, False, needs_country=True)
            texts.append((start, end, char_start, text))
        if small_towns is not None:
            for start, end, char_start, text in texts:
                # Own names only, and a capitalised word: "in town" is no town called Town.
                if text[:1].isupper() and (candidates := small_towns(text)):
                    char_end = char_start + len(text)
                    return _Span(start, end, char_start, char_end, tuple(candidates), None, False, True, True)
        return None


def _trim(tokens: tuple[Token, ...], start: int, end: int, leading: frozenset[str]) -> tuple[int, int]:
    while start < end and (tokens[start].text.lower() == "the" or tokens[start].text.lower() in leading):
        start += 1
    while end > start and tokens[end - 1].text in ("'s", "’s", "'", "’"):
        end -= 1
    return start, end


def _span_head(tokens: tuple[Token, ...], start: int, end: int) -> Token:
    for t in tokens[start:end]:
        if not start <= t.head < end or t.head == t.i:
            return t
    return tokens[end - 1]


NO_CONTEXT, WEAK, STRONG = 0, 1, 2


# Words a DATE entity rightly holds; a "date" of other words is the parser's mistake ("in Manbij").
_DATE_WORDS = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today", "yesterday",
    "tomorrow", "tonight", "christmas", "easter", "ramadan", "eid", "new", "year", "years", "day", "days",
    "week", "weeks", "month", "months", "decade", "century", "spring", "summer", "autumn", "fall", "winter",
    "the", "this", "last", "next", "early", "late", "mid", "ago", "earlier", "later", "of", "and",
})


def _wordy_date(entity: Entity) -> bool:
    """Is this DATE entity a capitalised name with no date word or digit in it ("Manbij")?"""
    if entity.label != "DATE" or any(c.isdigit() for c in entity.text):
        return False
    words = entity.text.lower().replace("-", " ").split()
    return bool(words) and entity.text[:1].isupper() and not any(w.strip(".,'’") in _DATE_WORDS for w in words)


def _place_context(doc: Doc, start: int, end: int) -> int:
    """STRONG when tokens [start, end) stand where a place goes ('in X', 'target X'); WEAK after 'to'/'from'."""
    tokens = doc.tokens
    first = doc.sentences[tokens[start].sent].token_start
    j = start - 1
    # Look past a determiner or adjective: "in the north Gaza", "into southern Rafah".
    while j >= first and j >= start - 3 and (tokens[j].pos in ("DET", "ADJ") or tokens[j].text.lower() in DIRECTIONS):
        j -= 1
    before = tokens[j].text.lower() if j >= first else ""
    head = _span_head(tokens, start, end)
    governor = tokens[head.head]
    prep = governor.text.lower() if head.dep == "pobj" else ""
    if before in CONTEXT_PREPS or prep in CONTEXT_PREPS:
        return STRONG
    if prep == "on" and governor.head != governor.i and tokens[governor.head].lemma.lower() in _ATTACK_WORDS:
        return STRONG  # "strikes on Rafah": what is struck is where (not "sanctions on Russia")
    if head.dep in ("dobj", "obj") and governor.lemma.lower() in PLACE_VERBS:
        return STRONG
    if head.dep == "compound" and governor.lemma.lower() in PLACE_NOUNS:
        return STRONG
    if head.dep == "appos" and governor.lemma.lower() in NAMING_NOUNS:
        return STRONG  # "the regional capital, Banja Luka"
    if head.dep == "pobj" and governor.text.lower() == "of" and tokens[governor.head].lemma.lower() in NAMING_NOUNS:
        return STRONG  # "the town of Beledweyne"
    if head.dep in ("appos", "conj") and governor.i != head.i and governor.pos == "PROPN":
        # "Jeddah, Saudi Arabia", "Bocaranga and Bazoum": as the name it stands beside.
        outer = _place_context(doc, governor.i, governor.i + 1) if governor.i < start else NO_CONTEXT
        if outer:
            return outer
    if head.dep == "appos" and governor.dep == "pobj" and tokens[governor.head].text.lower() in CONTEXT_PREPS:
        return STRONG  # "in the C.A.R.'s capital, Bangui"
    return WEAK if before in WEAK_CONTEXT_PREPS or prep in WEAK_CONTEXT_PREPS else NO_CONTEXT


def _proper_noun_runs(doc: Doc, covered: set[int]) -> list[tuple[int, int]]:
    """Token ranges of proper nouns outside any entity; 'al'/'-' may join two of them."""
    runs: list[tuple[int, int]] = []
    tokens = doc.tokens
    i, n = 0, len(tokens)
    while i < n:
        if tokens[i].pos != "PROPN" or i in covered:
            i += 1
            continue
        j = i + 1
        while j < n and j not in covered and tokens[j].sent == tokens[i].sent:
            if tokens[j].pos == "PROPN":
                j += 1
            elif (
                tokens[j].text.lower() in _CONNECTORS
                and j + 1 < n
                and tokens[j + 1].pos == "PROPN"
                and j + 1 not in covered
            ):
                j += 2
            else:
                break
        if j < n and j not in covered and tokens[j].sent == tokens[i].sent and tokens[j].text.lower() in ADMIN_SUFFIXES:
            j += 1  # "Anbar desert", "Borno state": the word that says what the name is
        runs.append((i, j))
        i = j
    return runs


def _ends_in_admin_word(key: str) -> bool:
    """True for "borno state", "anbar desert": a name that says it is a region."""
    words = key.split(" ")
    return len(words) >= 2 and words[-1] in ADMIN_SUFFIXES


def _conjuncts(doc: Doc, start: int, end: int) -> list[tuple[int, int]]:
    """The token ranges between "and", "or" and commas in [start, end), when there are several."""
    parts, a = [], start
    for i in range(start, end):
        if doc.tokens[i].pos == "CCONJ" or doc.tokens[i].text == ",":
            if a < i:
                parts.append((a, i))
            a = i + 1
    if a < end:
        parts.append((a, end))
    return parts if len(parts) > 1 else []


def _read_town_and_region(doc: Doc, spans: list[_Span]) -> list[_Span]:
    """ "Dublin, Ohio", "London, Ontario", "Atlanta, Georgia": a town followed by its state,
    province or country is the town there, and the second name is that region, not a namesake."""
    spans = sorted(spans, key=lambda sp: sp.start)
    out = list(spans)
    for n in range(len(spans) - 1):
        town, region = spans[n], spans[n + 1]
        between = doc.text[town.end : region.start].strip().lower().split()
        # "Tripoli, Lebanon", "Tripoli, in northern Lebanon"
        if not between or between[0] != "," or not (
            len(between) == 1 or (between[1] == "in" and all(w in DIRECTIONS for w in between[2:]))
        ):
            continue
        for a in town.candidates:
            b = next((b for b in region.candidates if b.feature in ("region", "country") and b.country == a.country
                      and (b.feature == "country" or _same_admin(a, b))), None)
            if b is not None and a.feature == "city":
                out[n] = dataclasses.replace(town, candidates=(a,))
                out[n + 1] = dataclasses.replace(region, candidates=(b,))
                break
        else:
            regions = [b for b in region.candidates if b.feature in ("region", "country")]
            if regions and len({b.country for b in regions}) == 1 and town.candidates \
                    and all(a.feature == "city" and a.country != regions[0].country for a in town.candidates):
                # "Charlevoix, Quebec" when the gazetteer knows only a Charlevoix in Michigan: the
                # town is one it lacks, and the region says where it is.
                out[n] = None
                out[n + 1] = dataclasses.replace(region, candidates=tuple(regions))
    return [sp for sp in out if sp is not None]


_DEMONYM_APPOSITION = re.compile(
    r"\s*,\s+the\s+([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)?)\s+(?:capital|city|town|port|village|border town)\b")
# Words that open a place's own name ("Greater Manchester", "Upper Nile"), not a person's.
_NAME_PREFIXES = frozenset({"greater", "upper", "lower", "new", "old", "saint", "st.", "san", "port", "fort",
                            "mount", "lake", "cape", "el", "al", "la", "le"})


def _demonym_countries(doc: Doc) -> frozenset[str]:
    """Countries the article names by nationality ("Spanish police"): Toledo is then Spain's."""
    names = load_countries()
    found = set()
    for e in doc.entities:
        if e.label == "NORP":
            match = names.lookup(e.text)
            if match is not None and match.kind == "demonym":
                found.add(match.code)
    return frozenset(found)


def _surnames_taken_for_places(doc: Doc) -> set[str]:
    """One-word "places" the parser found after a given name ("President Alejandro Toledo"): a
    first name outside any entity, joined to the word as a compound, makes it a surname."""
    out = set()
    for e in doc.entities:
        if e.label in PLACE_LABELS and e.token_end - e.token_start == 1 and e.token_start > 0:
            first = doc.tokens[e.token_start - 1]
            if first.pos == "PROPN" and first.ent_type == "" and first.head == e.token_start \
                    and first.text.lower() not in DIRECTIONS and first.text.lower() not in _NAME_PREFIXES \
                    and first.dep == "compound" and first.text[:1].isupper() and first.sent == doc.tokens[e.token_start].sent:
                out.add(normalize_name(e.text))
    return out


def _read_demonym_apposition(doc: Doc, spans: list[_Span]) -> list[_Span]:
    """ "San Jose, the Costa Rican capital": the town of that nationality's country."""
    out = []
    for span in spans:
        m = _DEMONYM_APPOSITION.match(doc.text, span.end)
        match = load_countries().lookup(m.group(1)) if m else None
        if match is not None and match.kind == "demonym":
            there = tuple(c for c in span.candidates if c.country == match.code and c.feature == "city")
            if there:
                span = dataclasses.replace(span, candidates=there)
        out.append(span)
    return out


def _same_admin(town: GazetteerEntry, region: GazetteerEntry) -> bool:
    """Is the town in the region? Codes of two schemes ("08" and "CA-ON") cannot say no."""
    if not town.admin1 or not region.admin1:
        return True
    if ("-" in town.admin1) != ("-" in region.admin1):
        return True
    return town.admin1 == region.admin1


def _context_countries(spans: list[_Span]) -> frozenset[str]:
    """Countries the article names for sure: from place names whose candidates share one country."""
    countries: set[str] = set()
    for span in spans:
        if span.relabel or span.needs_country:
            continue
        # A province that shares a town's name ("Gaza" in Mozambique) does not make it ambiguous.
        found = {
            c.country
            for c in span.candidates
            if c is span.candidates[0] or c.feature != "region" or c.population or _bare_region(span.candidates[0])
        }
        if len(found) == 1 and None not in found:
            countries.update(found)  # type: ignore[arg-type]
    return frozenset(countries)


def _bare_region(entry: GazetteerEntry) -> bool:
    return entry.feature == "region" and not entry.population


@functools.lru_cache(maxsize=8192)
def _key(name: str) -> str:
    return normalize_name(name)


def _own_name(entry: GazetteerEntry, key: str) -> bool:
    """True when `key` is the entry's own name (countries and regions have only curated names)."""
    return entry.feature != "city" or _key(entry.name) == key


def _choose(
    candidates: tuple[GazetteerEntry, ...], key: str, context: frozenset[str], needs_country: bool
) -> GazetteerEntry | None:
    """The candidate to use, or None when none is believable.

    A candidate in a country the article names wins over a bigger one elsewhere (Rafah in Gaza
    over Rafah in Egypt), unless it is dwarfed (Paris, Texas never beats Paris) or is named only
    by an alternate while the top candidate bears the name as its own (Albany's "Albania").
    """
    acceptable = [
        c
        for c in candidates
        if c.country in context
        or (not needs_country and (_own_name(c, key) or c.population >= ALTERNATE_MIN_POPULATION))
    ]
    if not acceptable:
        return None
    top = acceptable[0]
    top_own = _own_name(top, key)
    for c in acceptable:
        if (
            c.country in context
            and (not top_own or _own_name(c, key))
            and (c.population * CONTEXT_RATIO >= top.population or c.feature == top.feature == "country")
        ):  # of two countries of one name ("Congo"), the one the article's places are in
            return c
    return top


@dataclass(frozen=True)
class EventLocatorConfig:
    # Countries are a last resort: "in Egypt" locates an event only when no town or region does.
    allow_countries: bool = True


@dataclass(frozen=True, slots=True)
class _PlaceAt:
    place: Place
    token_start: int
    token_end: int
    head: int
    sentence: int


class EventLocator:
    """Assigns each event's `location`: a locative phrase of the trigger, else a town nearby."""

    name = "locations"
    version = "1"
    requires = ("events", "places", "parse")
    assigns = ("locations",)

    def __init__(self, config: EventLocatorConfig = EventLocatorConfig()) -> None:
        self.config = config

    def __call__(self, doc: Doc) -> Doc:
        if not doc.events or not doc.places:
            return doc
        line = dateline_place(doc)
        placed = [p for p in _place_tokens(doc) if p.place is not line]  # the dateline is filled in later, if at all
        by_sentence: dict[int, list[_PlaceAt]] = {}
        for p in placed:
            by_sentence.setdefault(p.sentence, []).append(p)
        # Each event looks at its own sentence's places only: linear in the article's length.
        events = tuple(
            dataclasses.replace(e, location=self.locate(doc, e, by_sentence.get(e.sentence, []) if e.sentence >= 0 else placed))
            for e in doc.events
        )
        return doc.replace(events=events)

    def locate(self, doc: Doc, event: Event, placed: list[_PlaceAt]) -> Place | None:
        """The event's place, or None when the sentence names none that fits."""
        sentence = event.sentence if event.sentence >= 0 else _sentence_at(doc, event.trigger.start)
        if sentence < 0:
            return None
        taken = [(a.start, a.end) for a in (*event.actors, *event.recipients)]
        # A place that is itself a participant (the host country) may be the location; a place
        # inside a longer participant phrase ("an official from Qatar's ministry") may not.
        in_sentence = [
            p for p in placed
            if p.sentence == sentence
            and not any(p.place.start < end and start < p.place.end and (start, end) != (p.place.start, p.place.end) for start, end in taken)
        ]
        here = [p for p in in_sentence if not any(p.place.start < end and start < p.place.end for start, end in taken)]
        if not in_sentence:
            return _anaphoric_place(doc, event, sentence)
        phrase: list[_PlaceAt] = []  # in a locative phrase of the trigger
        clause: list[_PlaceAt] = []  # in a locative phrase of the verb of the trigger's clause
        where: list[_PlaceAt] = []  # the place a "where" clause holding the trigger refers to
        elsewhere: set[int] = set()  # in a locative phrase of some other word: another event's place
        verbs: tuple[int, ...] | None = None
        if 0 <= event.anchor < len(doc.tokens) and doc.sentences[sentence].parsed:
            anchor = doc.tokens[event.anchor]
            verbs = _clause_verbs(doc, anchor)
            antecedent = _where_antecedent(doc, anchor)
            # Other events' anchors in the sentence: a place in their phrases is theirs ("the
            # attackers who laid siege to a hotel in Beledweyne"); one in a mere description of a
            # participant ("a bus transporting a force in Kalat") may still be where a violent act was.
            others = [e.anchor for e in doc.events if e.sentence == sentence and e.anchor not in (-1, anchor.i)]
            # A place in the trigger's own locative phrase is its location even when it also stands
            # for the host country as recipient ("talks in Egypt").
            for p in in_sentence:
                if p.head < 0:
                    continue
                head = doc.tokens[p.head]
                if head.dep in ("dobj", "obj") and head.head in (anchor.i, anchor.head, *verbs):
                    verb = doc.tokens[head.head]
                    lemma = verb.lemma.lower()
                    if lemma in PLACE_VERBS and head.head in (anchor.i, anchor.head):
                        return p.place  # "shelled Kharkiv", "target Rafah": the object is the place
                    if lemma in VISIT_VERBS:
                        return p.place  # "visited Taiwan": where the visit happened
                if antecedent is not None and p.head in antecedent:
                    where.append(p)
                prep = _locative_prep(doc, p.head, p.place.feature != "country")
                if prep is None:
                    continue
                if prep.text.lower() == "from" and doc.tokens[prep.head].lemma.lower() in MOVING_NOUNS:
                    continue  # an origin: "restrictions on travel from India"
                if (p.place.start, p.place.end) in taken and prep.text.lower() not in _WHERE_PREPS \
                        and event.event_type not in _PHYSICAL_TYPES and not _motion_to(doc, prep):
                    continue  # "called on China", "withdrew from talks with Iran": aimed at, not where
                if event.event_type not in _PHYSICAL_TYPES and _inside_physical_act(doc, prep.head, anchor.i):
                    # "accused of the 2004 bombing of the base near Bouake", "condemned the attack in
                    # Kabul": the place is the act spoken of, not where it was spoken of.
                    elsewhere.add(p.head)
                elif prep.head == anchor.head or _governed_by(doc, prep.head, anchor.i):
                    phrase.append(p)
                elif any(prep.head == v or _governed_by(doc, prep.head, v) for v in verbs):
                    clause.append(p)
                elif event.event_type not in _PHYSICAL_TYPES or _own_clause(doc, prep.head) or any(
                    prep.head == a or _governed_by(doc, prep.head, a) for a in others
                ):
                    elsewhere.add(p.head)  # another happening's place, or a non-physical act's aside

        def nearest(options: list[_PlaceAt]) -> Place:
            best = min(
                options, key=lambda p: (_FEATURE_RANK[p.place.feature], abs(p.place.start - event.trigger.start))
            )
            return best.place

        for group in (phrase, where, clause):
            finer = [p for p in group if p.place.feature != "country"]
            if finer:
                return nearest(finer)
        anaphor = _anaphoric_place(doc, event, sentence, verbs)
        if anaphor is not None:
            return anaphor  # "killed 11 miners in the city": the town just named
        # A capital that acts ("Pyongyang's demand", "Beijing said") is a government, not where.
        sent = doc.sentences[sentence]
        acting = {(m.actor.start, m.actor.end) for m in mentions_near(doc.mentions, sent.token_start, sent.token_end)
                  if m.kind != "place" and m.actor.sector is not None and sent.start <= m.actor.start < sent.end}
        towns = [p for p in here if p.place.feature == "city" and p.head not in elsewhere
                 and (p.place.start, p.place.end) not in acting]
        if towns:
            return nearest(towns)
        if self.config.allow_countries:
            for group in (phrase, where, clause):
                if group:
                    return nearest(group)
        return None


# "in the city", "near the town": a definite place noun standing for the last place of its kind.
_PLACE_ANAPHORS = {"city": "city", "town": "city", "village": "city", "capital": "city",
                   "province": "region", "district": "region", "region": "region", "state": "region"}
# Sentences back an anaphoric place may look for its antecedent.
_ANAPHOR_WINDOW = 2


def _anaphoric_place(doc: Doc, event: Event, sentence: int, verbs: tuple[int, ...] | None = None) -> Place | None:
    """The place a bare "the city" in the trigger's locative phrase refers to: the last town (or,
    for "the province", region) named before it in this or the two sentences before; or the place
    a "there" of the trigger's clause points back to. `verbs` are the trigger's clause verbs when
    the caller has them."""
    if not (0 <= event.anchor < len(doc.tokens)) or not doc.sentences[sentence].parsed:
        return None
    anchor = doc.tokens[event.anchor]
    if verbs is None:
        verbs = _clause_verbs(doc, anchor)
    sent = doc.sentences[sentence]
    for tok in doc.tokens[sent.token_start : sent.token_end]:
        feature = _PLACE_ANAPHORS.get(tok.lemma.lower())
        if feature is None or tok.dep != "pobj" or tok.text.lower() != tok.lemma.lower():
            continue
        kids = _children(doc, tok.i)
        if [c.text.lower() for c in kids] != ["the"]:
            continue  # "the city of Gaza", "the northern town", "the country's capital" name their own
        prep = doc.tokens[tok.head]
        if prep.text.lower() not in _WHERE_PREPS or prep.head == prep.i:
            continue
        if not (prep.head in (anchor.i, anchor.head, *verbs) or _governed_by(doc, prep.head, anchor.i)):
            continue
        earlier = [p for p in doc.places if p.end <= tok.start and p.feature == feature
                   and _sentence_at(doc, p.start) >= sentence - _ANAPHOR_WINDOW]
        return earlier[-1] if earlier else None
    for tok in doc.tokens[sent.token_start : sent.token_end]:
        if tok.text.lower() != "there" or tok.dep != "advmod" or tok.head != anchor.i or anchor.pos not in ("VERB", "AUX"):
            continue  # "met there", "held talks there"; not "insisted unrest there", another verb's
        # "There, Kim asked Trump for relief": the place the sentences before last named, the
        # finest of those named in the latest sentence that names any
        earlier = [p for p in doc.places if p.end <= tok.start and _sentence_at(doc, p.start) >= sentence - _ANAPHOR_WINDOW]
        if not earlier:
            return None
        latest = _sentence_at(doc, earlier[-1].start)
        named = [p for p in earlier if _sentence_at(doc, p.start) == latest]
        return min(reversed(named), key=lambda p: _FEATURE_RANK[p.feature])
    return None


def _is_participle_adjunct(doc: Doc, t: Token) -> bool:
    """An -ing/-ed clause with no subject of its own ("Speaking at X, he said"; "..., telling
    journalists in X"): its happening is its parent clause's, and so is its place."""
    if t.dep not in ("advcl", "xcomp") or t.tag not in ("VBG", "VBN"):
        return False
    sentence = doc.sentences[t.sent]
    words = doc.tokens[sentence.token_start : sentence.token_end]
    return not any(c.head == t.i and c.dep in ("nsubj", "nsubjpass", "csubj") for c in words)


def _clause_verbs(doc: Doc, anchor: Token) -> tuple[int, ...]:
    """The verbs whose clause tells the trigger's happening, beyond the trigger itself.

    A noun or modifier trigger ("for meetings", "visiting minister") belongs to the first verb
    above it; a subjectless participle clause belongs to its parent clause as well.
    """
    tokens = doc.tokens
    out: list[int] = []
    t = anchor
    for _ in range(10):
        if t.head == t.i:
            break
        if t.pos in ("VERB", "AUX") and t.dep in _CLAUSE_DEPS and not _is_participle_adjunct(doc, t):
            break  # the trigger heads a clause of its own
        parent = tokens[t.head]
        if parent.pos in ("VERB", "AUX"):
            out.append(parent.i)
            if not _is_participle_adjunct(doc, parent):
                break
        t = parent
    return tuple(out)


def _where_antecedent(doc: Doc, anchor: Token) -> frozenset[int] | None:
    """Tokens of the noun a "where" clause holding the trigger refers to ("in Jeddah, where
    Ukraine said ..."), with the name it stands in apposition to; None when there is none."""
    tokens = doc.tokens
    sentence = doc.sentences[anchor.sent]
    t = anchor
    for _ in range(10):
        if t.dep == "relcl":
            if any(
                c.head == t.i and c.text.lower() == "where" for c in tokens[sentence.token_start : sentence.token_end]
            ):
                noun = tokens[t.head]
                found = {noun.i}
                if noun.dep == "appos":
                    found.add(noun.head)
                return frozenset(found)
            return None
        if t.head == t.i:
            return None
        t = tokens[t.head]
    return None


# Dependencies that open another clause: a phrase below one belongs to that clause's own event.
_CLAUSE_DEPS = frozenset({"advcl", "ccomp", "conj", "relcl", "parataxis", "acl"})


def _inside_physical_act(doc: Doc, i: int, anchor: int) -> bool:
    """Is token `i` inside the phrase of a noun naming a physical act ("the bombing of the base
    near Bouake") that hangs below the trigger? That act's place is not the trigger's."""
    lexicon = load_lexicon()
    tokens = doc.tokens
    for _ in range(12):
        if i == anchor:
            return False
        t = tokens[i]
        if t.pos == "NOUN" and any(e.event_type in _PHYSICAL_TYPES for e in lexicon.lookup("noun", t.lemma.lower())):
            return _governed_by(doc, i, anchor)
        if t.head == t.i:
            return False
        i = t.head
    return False


def _governed_by(doc: Doc, i: int, anchor: int) -> bool:
    """True when token `i` is in the trigger's subtree without crossing into another clause."""
    tokens = doc.tokens
    for _ in range(12):
        if i == anchor:
            return True
        t = tokens[i]
        if t.head == t.i or (t.dep in _CLAUSE_DEPS and t.pos in ("VERB", "AUX") and not _is_participle_adjunct(doc, t)):
            return False
        i = t.head
    return False


def _own_clause(doc: Doc, i: int) -> bool:
    """Is token `i` in a clause with a subject of its own ("who had stormed a school", "envoys
    arriving in Rafah"), not a bare description ("a bus carrying soldiers")?"""
    tokens = doc.tokens
    t = tokens[i]
    for _ in range(6):
        if t.pos in ("VERB", "AUX"):
            return any(c.dep in ("nsubj", "nsubjpass") for c in _children(doc, t.i))
        if t.head == t.i:
            return False
        t = tokens[t.head]
    return False


def _children(doc: Doc, i: int) -> list[Token]:
    sent = doc.sentences[doc.tokens[i].sent]
    return [t for t in doc.tokens[sent.token_start : sent.token_end] if t.head == i and t.i != i]


def _motion_to(doc: Doc, prep: Token) -> bool:
    """ "a visit to Beijing", "travel to Canada", "deployed troops to Belarus": the "to" of coming
    and going, or of forces sent, says where."""
    if prep.text.lower() != "to" or prep.head == prep.i:
        return False
    head = doc.tokens[prep.head]
    lemma = head.lemma.lower()
    if lemma in MOTION_WORDS or lemma in _DEPLOYING:
        return True
    # "sent 10,000 troops to the border" (not "sent a letter to Russia")
    return lemma == "send" and any(t.head == head.i and t.dep == "dobj" and t.lemma.lower() in _SENT_FORCES
                                   for t in doc.tokens[max(0, head.i - 1) : prep.i])


# Verbs that move forces, and the forces "sent" somewhere.
_DEPLOYING = frozenset({"deploy", "redeploy", "dispatch"})
_SENT_FORCES = frozenset({"troop", "soldier", "force", "warship", "ship", "jet", "aircraft", "plane", "peacekeeper",
                          "reinforcement", "police", "officer", "unit", "battalion", "brigade", "contingent"})


def _locative_prep(doc: Doc, head: int, town: bool = False) -> Token | None:
    """The locative preposition whose object phrase holds token `head` ("in the city of Rafah");
    `town` when the name is finer than a country ("at the Singapore summit")."""
    tokens = doc.tokens
    t = tokens[head]
    for _ in range(6):
        if t.head == t.i:
            return None
        if t.dep in _PHRASE_DEPS:
            up = tokens[t.head]
            if t.dep in _MODIFIER_DEPS and up.pos == "NOUN" and up.lemma.lower() not in NAMING_NOUNS \
                    and not (town and up.lemma.lower() in _VENUE_NOUNS):
                return None  # "in the Russia-Ukraine war": the name modifies a thing, not a place
            t = up
            continue
        if t.dep != "pobj":
            return None
        prep = tokens[t.head]
        word = prep.text.lower()
        if word in LOCATIVE_PREPS:
            return prep
        if _motion_to(doc, prep):
            return prep  # "a visit to Beijing", "travel to Canada"
        if word != "of" or prep.head == prep.i:
            return None
        t = tokens[prep.head]  # "the city of Rafah", "the north of Gaza": climb to the noun
    return None


def _place_tokens(doc: Doc) -> list[_PlaceAt]:
    """Each place with its token range, head token and sentence, from its character offsets."""
    starts = [t.start for t in doc.tokens]
    sentence_starts = [s.start for s in doc.sentences]
    out: list[_PlaceAt] = []
    for place in doc.places:
        first = bisect.bisect_right(starts, place.start) - 1
        end = bisect.bisect_left(starts, place.end)
        if first < 0 or end <= first or doc.tokens[first].end <= place.start:
            # no token under it: a place in a sentence the parser skipped
            sentence = bisect.bisect_right(sentence_starts, place.start) - 1
            if sentence >= 0 and not doc.sentences[sentence].start <= place.start < doc.sentences[sentence].end:
                sentence = -1
            out.append(_PlaceAt(place, -1, -1, -1, sentence))
            continue
        head = _span_head(doc.tokens, first, end)
        out.append(_PlaceAt(place, first, end, head.i, doc.tokens[first].sent))
    return out


def _sentence_at(doc: Doc, char: int) -> int:
    """Index of the sentence holding character `char`, or -1."""
    for i, s in enumerate(doc.sentences):
        if s.start <= char < s.end:
            return i
    return -1
