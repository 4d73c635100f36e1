"""The article pass: keep the candidates that are happenings, and make one record per happening.

The sentence-level stages propose candidates; many are background (states, habits, hopes, the
journalist's analysis) and one happening told in five sentences is five candidates. This stage,
after every sentence-level stage has filled its fields:

1. scores each candidate with the judge's event model (lapwing.judge), blended with the rules'
   confidence, and drops those below the model's threshold, and those whose trigger is part of
   newsroom boilerplate ("did not respond to a request for comment");
2. joins the candidates of one happening (same type, and the judge's merge model says the pair
   tells one happening, on average over the record's mentions so far), in text order;
3. merges each group into one record: the evidence and trigger of its most confident mention,
   every participant, the most precise date and place the mentions give, every number (the
   largest of each kind), and the list of every sentence that tells it (`Event.mentions`); its
   confidence is its best mention's score, calibrated on held-out articles (JudgeModel.calibrated);
4. lets the article's dominant country stand in for a record's missing place and for its
   participants' missing countries (`article_country`).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..actors.countries import NON_STATE_CODES, country_name, load_countries
from ..doc import Doc
from ..gazetteer import Gazetteer
from ..judge import JudgeModel, default_model, event_features, pair_features
from ..judge.features import BOILERPLATE, shifted
from ..records import Actor, DateRef, Event, Place, Quantity
from .places import dateline_place
from .sentence_graph import SentenceGraph

_GRANULARITY_RANK = {"day": 0, "week": 1, "month": 2, "year": 3, "decade": 4, "unknown": 5}
_FEATURE_RANK = {"city": 0, "region": 1, "country": 2}


@dataclass(frozen=True)
class HappeningsConfig:
    """`min_confidence`: also drop records whose (calibrated) confidence is below it; `judge`, `merge`
    and `article_country` switch those steps off (the judge's training codes raw candidates)."""

    min_confidence: float | None = None
    judge: bool = True
    merge: bool = True
    article_country: bool = True


class HappeningFinder:
    """Scores candidates, drops background, and merges the mentions of each happening."""

    name = "happenings"
    version = "1"
    requires = ("parse", "events", "dates", "locations", "quantities", "attributions")
    assigns = ("happenings",)

    def __init__(self, config: HappeningsConfig = HappeningsConfig(), model: JudgeModel | None = None) -> None:
        self.config = config
        self.model = model if model is not None else default_model()
        self.version = f"1+judge-{self.model.version}"

    def __call__(self, doc: Doc) -> Doc:
        if not doc.events:
            return doc
        if not self.config.judge:
            return doc
        kept = [e for e in self.score(doc) if e.confidence >= self.model.event_threshold and not in_boilerplate(e)]
        groups = self.group(doc, kept) if self.config.merge else [[e] for e in kept]
        merged = [merge_group(g) for g in groups]
        merged = [dataclasses.replace(e, confidence=self.model.calibrated(e.confidence)) for e in merged]
        if self.config.min_confidence is not None:
            merged = [e for e in merged if e.confidence >= self.config.min_confidence]
        if self.config.article_country:
            merged = fill_from_article(doc, merged)
        return doc.replace(events=tuple(merged))

    def score(self, doc: Doc) -> list[Event]:
        """Every candidate with its score (the event model blended with the rules) as its confidence."""
        return [
            dataclasses.replace(e, confidence=self.model.candidate_score(f, e.confidence))
            for e, f in zip(doc.events, self.features(doc))
        ]

    def features(self, doc: Doc) -> list[list[str]]:
        """The judge's features of every candidate, in order."""
        per_sentence = Counter(e.sentence for e in doc.events)
        graphs: dict[int, SentenceGraph] = {}
        out = []
        for event in doc.events:
            if event.sentence not in graphs:
                graphs[event.sentence] = SentenceGraph(doc, event.sentence)
            out.append(event_features(doc, event, graphs[event.sentence], per_sentence[event.sentence]))
        return out

    def group(self, doc: Doc, events: Sequence[Event]) -> list[list[Event]]:
        """Candidates grouped into happenings, in text order (average link over each group).

        Only mentions in the last MERGE_WINDOW sentences are compared, so a long document costs
        time in proportion to its length; a news article is shorter than the window.
        """
        groups: list[list[Event]] = []
        active: list[list[Event]] = []  # groups with a mention inside the window
        for event in sorted(events, key=lambda e: (e.trigger.start, e.trigger.end)):
            active = [g for g in active if event.sentence - g[-1].sentence <= MERGE_WINDOW]
            best, best_p = None, self.model.merge_threshold
            if shifted(doc, event):
                # "Days later, a bomb killed ...", "another attack": told as a different happening
                groups.append([event])
                active.append(groups[-1])
                continue
            for group in active:
                if group[0].event_type != event.event_type or any(_dates_conflict(m, event) for m in group):
                    continue  # "the single biggest attack, in 2009" is not this week's attack
                if any(_other_party_same_sentence(m, event) for m in group):
                    continue  # "Europe retaliated with tariffs ..., while Canada imposed tariffs ..."
                near = [m for m in group if event.sentence - m.sentence <= MERGE_WINDOW]
                p = sum(self.model.merge.probability(pair_features(doc, m, event)) for m in near) / len(near)
                if p >= best_p:
                    best, best_p = group, p
            if best is None:
                groups.append([event])
                active.append(groups[-1])
            else:
                best.append(event)
        return groups


def _dates_conflict(a: Event, b: Event) -> bool:
    """Do the two mentions' own dates, both given by the text, fall in different years ("in 2009"
    and "on Tuesday")?"""
    x, y = a.date, b.date
    if x.basis != "text" or y.basis != "text" or not x.value or not y.value:
        return False
    return x.value[:4] != y.value[:4]  # another year; days apart may be one happening misread


def _other_party_same_sentence(a: Event, b: Event) -> bool:
    """Two mentions in one sentence whose actors are of different countries, neither acting on the
    other: two parties doing the same thing, two happenings."""
    if a.sentence != b.sentence or a.sentence < 0:
        return False
    x = {p.country for p in a.actors if p.country}
    y = {p.country for p in b.actors if p.country}
    if not x or not y or x & y:
        return False
    targets = {p.country for p in (*a.recipients, *b.recipients) if p.country}
    return not (x & targets or y & targets)  # "A attacked B, and B fired back": one exchange


def in_boilerplate(event: Event) -> bool:
    """Is the trigger part of newsroom boilerplate ("did not respond to a request for comment")?"""
    low = event.evidence.text.lower()
    at = event.trigger.start - event.evidence.start
    end = event.trigger.end - event.evidence.start
    for phrase in BOILERPLATE:
        i = low.find(phrase)
        while i >= 0:
            if i <= at < i + len(phrase):
                return True
            between = low[end:i]
            if 0 <= i - end <= 24 and not any(c in between for c in ",;:.\"“”"):
                return True  # "ignored VOA requests for comment": the boilerplate is the trigger's object
            i = low.find(phrase, i + 1)
    return False


def merge_group(group: Sequence[Event]) -> Event:
    """One record from the mentions of one happening (see the module's docstring)."""
    main = max(group, key=lambda e: (e.confidence, -e.trigger.start))
    others = [e for e in group if e is not main]
    ordered = [main, *others]
    actors = _union(e.actors for e in ordered)
    recipients = [r for r in _union(e.recipients for e in ordered) if not any(_same(r, a) for a in actors)]
    mentions = sorted({(e.evidence.start, e.evidence.end): e.evidence for e in group}.values(), key=lambda s: s.start)
    return dataclasses.replace(
        main,
        mode=main.mode or next((e.mode for e in others if e.mode), None),
        contexts=tuple(dict.fromkeys(c for e in ordered for c in e.contexts)),
        actors=tuple(actors),
        recipients=tuple(recipients),
        date=_best_date(ordered),
        location=_best_place(ordered),
        quantities=_largest(ordered),
        attribution=main.attribution or next((e.attribution for e in others if e.attribution), None),
        mentions=tuple(mentions),
    )


# Sentences back that a mention is compared with (VOA stories have about 30).
MERGE_WINDOW = 60
# The article's country must hold this share of the state-country mentions, and be named twice.
DOMINANT_SHARE = 0.3


def article_country(doc: Doc) -> Place | None:
    """The country an article is about, when one dominates its places and actors (its first naming)."""
    counts: Counter[str] = Counter()
    first: dict[str, Place] = {}
    for place in doc.places:
        if place.country:
            counts[place.country] += 1
            if place.feature == "country" and place.country not in first:
                first[place.country] = place
    named = {(p.start, p.end) for p in doc.places}
    for mention in doc.mentions:
        country = mention.actor.country
        if (mention.actor.start, mention.actor.end) in named:
            continue  # "Israel said ...": one naming, already counted as a place
        if country and country not in NON_STATE_CODES and mention.kind != "coref":
            counts[country] += 1
    if not counts:
        return None
    top, n = counts.most_common(1)[0]
    if n < 2 or n < DOMINANT_SHARE * sum(counts.values()):
        return None
    return first.get(top) or _named_by_demonym(doc, top)


def _named_by_demonym(doc: Doc, country: str) -> Place | None:
    """The country as a place, anchored to its first demonym ("A Kenyan court"), for an article
    that never names the country itself."""
    return _country_named(doc, country, 0, len(doc.text), ("demonym",))


def _country_named(doc: Doc, country: str, start: int, end: int, kinds=("name", "demonym")) -> Place | None:
    """The country as a place, anchored to the first word between `start` and `end` that names it."""
    names = load_countries()
    entry = next((e for e in Gazetteer.default().lookup(country_name(country))
                  if e.feature == "country" and e.country == country), None)
    if entry is None:
        return None
    for t in doc.tokens:
        if t.end > end:
            break
        if t.start < start:
            continue
        match = names.lookup(t.text) if t.text[:1].isupper() else None
        if match is not None and match.kind in kinds and match.code == country:
            return Place(t.text, entry.name, entry.country, entry.admin1, entry.lat, entry.lon,
                         entry.geonameid, t.start, t.end, "country")
    return None


# Speech acts: their speaker is often named only by name, their country left to the story.
_SPOKEN = frozenset({"ACCUSE", "REQUEST", "REJECT", "THREATEN", "SUPPORT"})

# Acts a state does on its own ground: a coercion by a state's own organs is placed in that state.
_DONE_AT_HOME = frozenset({"COERCE"})
_STATE_ORGANS = frozenset({None, "GOV", "COP", "JUD", "SPY", "LEG"})


def fill_by_actor(doc: Doc, events: Sequence[Event]) -> list[Event]:
    """A coercion with no place, by one state's organs ("Thailand deported 173 Uyghurs", "the
    Moroccan counterterror agency broke up a cell"), took place in that state: its name in the
    actor's words is the record's place, at country level."""
    out = []
    for e in events:
        states = {a.country for a in e.actors}
        if e.location is not None or e.event_type not in _DONE_AT_HOME or len(states) != 1 \
                or not all(a.sector in _STATE_ORGANS for a in e.actors):
            out.append(e)
            continue
        (country,) = states
        actor = e.actors[0]
        place = None if country is None or country in NON_STATE_CODES else _country_named(doc, country, actor.start, actor.end)
        out.append(dataclasses.replace(e, location=place) if place is not None else e)
    return out


# What only a state does: arrests, deportations, censorship, curfews, seizures, convictions and
# expulsions. Told with no agent ("were arrested in Lyon", "his conviction"), the state where it
# happened did it.
_STATE_ACTS = frozenset({
    ("COERCE", "arrest"), ("COERCE", "deport"), ("COERCE", "censor"), ("COERCE", "curfew"),
    ("COERCE", "martial"), ("COERCE", "restrict"), ("COERCE", "seize"),
    ("SANCTION", "convict"), ("SANCTION", "expel"),
})


def fill_implied_agent(events: Sequence[Event]) -> list[Event]:
    """A state's act told without its agent takes the authorities of the state it happened in.

    "Sixty of those who escaped have been caught" in a story placed in Haiti: Haiti's authorities
    caught them. A named agent with no country ("the authorities", "police") takes that country
    too. The implied actor points at the place's words, with basis "implied".
    """
    out = []
    for e in events:
        place = e.location
        if (e.event_type, e.mode) not in _STATE_ACTS or place is None or not place.country \
                or place.country in NON_STATE_CODES or any(a.country for a in e.actors) \
                or not all(a.sector in _STATE_ORGANS for a in e.actors):
            out.append(e)
            continue
        if e.actors:
            actors = tuple(dataclasses.replace(a, country=place.country, basis="place") for a in e.actors)
        else:
            actors = (Actor(place.text, f"authorities of {country_name(place.country)}", place.country, "GOV",
                            place.start, place.end, basis="implied"),)
        out.append(dataclasses.replace(e, actors=actors))
    return out


def fill_from_article(doc: Doc, events: Sequence[Event]) -> list[Event]:
    """Where a record names no place, or a participant no country, the article's dominant country stands in.

    Only for records whose participants are all of that country or unknown: with a foreign party
    the happening may be theirs, or abroad.
    """
    events = fill_by_actor(doc, fill_by_place(fill_by_name(doc, events)))
    country = article_country(doc)
    line = dateline_place(doc)
    if line is not None and country is not None and line.country != country.country:
        line = None  # filed from abroad ("BEIRUT -" on Syria): the dateline is not where it happened
    home = country.country if country is not None else line.country if line is not None else None
    if home is None:
        return fill_implied_agent(events)
    out = []
    for e in events:
        known = {a.country for a in (*e.actors, *e.recipients) if a.country and a.country not in NON_STATE_CODES}
        if known - {home}:
            if e.event_type in _SPOKEN and e.actors and not any(a.country for a in e.actors) \
                    and all(a.sector in _STATE_ORGANS for a in e.actors) and home not in known:
                # "'We urge Afghanistan to ...,' Khan said" in a story about Pakistan: a speaker of
                # no known country addressing a foreign party speaks for the article's country
                e = dataclasses.replace(e, actors=tuple(_with_country(a, home) for a in e.actors))
            out.append(e)  # a foreign participant: the happening may be theirs, or abroad
            continue
        said = e.evidence.text.lower()
        if any(a.country == home and ("counterpart" in a.text.lower() or f"{a.text.lower()} counterpart" in said)
               for a in (*e.actors, *e.recipients)):
            # "Sullivan spoke with his Israeli counterpart": the other side is not of that country
            actors, recipients = e.actors, e.recipients
        else:
            actors = tuple(_with_country(a, home) for a in e.actors)
            # those a state deports are not its own people (one expelled from a party may be)
            foreign = e.event_type == "COERCE" and e.mode == "deport"
            recipients = e.recipients if foreign else tuple(_with_country(a, home) for a in e.recipients)
        location = e.location or line or country
        if e.location is not None and e.location.feature == "country" and line is not None and e.location.country == line.country:
            location = line  # "in Malawi" in a story filed from Blantyre: the dateline town is finer
        out.append(dataclasses.replace(e, actors=actors, recipients=recipients, location=location))
    return fill_implied_agent(out)


# Where a mention's country must have come from for its name to lend it to others.
_FIRM_BASES = (None, "text", "knowledge base")


def fill_by_name(doc: Doc, events: Sequence[Event]) -> list[Event]:
    """A participant with no country takes the one another mention of the same name has in the article.

    "Under the sanctions, Berisha ..." resolved to Albania lends it to "Berisha's opponents" later,
    before the article's dominant country (the United States) could stand in. Only names written
    with capitals, and only when every firm mention of the name agrees on the country.
    """
    known: dict[str, set[tuple[str, str | None]]] = {}
    for m in doc.mentions:
        a = m.actor
        key = _name_key(a.text)
        if key and a.country and a.basis in _FIRM_BASES:
            known.setdefault(key, set()).add((a.country, a.sector))
    if not known:
        return list(events)

    def fill(a: Actor) -> Actor:
        if a.country:
            return a
        found = known.get(_name_key(a.text) or "")
        if not found or len({c for c, _ in found}) != 1:
            return a
        country, sector = next(iter(found))
        return dataclasses.replace(a, country=country, sector=a.sector or sector, basis="coreference")

    return [
        dataclasses.replace(e, actors=tuple(fill(a) for a in e.actors), recipients=tuple(fill(a) for a in e.recipients))
        for e in events
    ]


# Who is of the place they act in: bandits, residents, police, rebels; not officials or armies,
# who travel and fight abroad.
LOCAL_SECTORS = frozenset({"CRM", "CVL", "REB", "UAF", "LAB", "JRN", "MED", "REL", "EDU", "BUS", "ELI", "AGR", "COP"})


def fill_by_place(events: Sequence[Event]) -> list[Event]:
    """A local participant with no country takes the country of the place the record happened in.

    "Bandits killed 20 villagers in Zamfara state": the bandits and the villagers are Nigerian.
    Only for sectors that are of the place they act in, and only when no participant is foreign.
    """
    out = []
    for e in events:
        here = e.location.country if e.location is not None else None
        known = {a.country for a in (*e.actors, *e.recipients) if a.country and a.country not in NON_STATE_CODES}
        if here is None or known - {here}:
            out.append(e)
            continue

        def fill(a: Actor) -> Actor:
            if a.country or a.sector not in LOCAL_SECTORS:
                return a
            return dataclasses.replace(a, country=here, basis="place")

        out.append(dataclasses.replace(e, actors=tuple(fill(a) for a in e.actors), recipients=tuple(fill(a) for a in e.recipients)))
    return out


def _name_key(text: str) -> str | None:
    """A name's last word, folded, when the phrase is a capitalised name ("Berisha's" -> "berisha")."""
    words = text.replace("’s", "").replace("'s", "").split()
    if not words or not all(w[:1].isupper() for w in words):
        return None
    return words[-1].lower()


def _with_country(actor: Actor, country: str | None) -> Actor:
    return actor if actor.country or country is None else dataclasses.replace(actor, country=country, basis="article")


def _same(a: Actor, b: Actor) -> bool:
    return a.name.lower() == b.name.lower() and a.country == b.country


def _union(lists: Iterable[Sequence[Actor]]) -> list[Actor]:
    out: list[Actor] = []
    for actors in lists:
        for actor in actors:
            if not any(_same(actor, o) for o in out):
                out.append(actor)
    return out


def _best_date(events: Sequence[Event]) -> DateRef:
    """A date the text gives beats the publication date; then the most precise, the main mention first."""
    text = [e.date for e in events if e.date.basis == "text" and e.date.value]
    if text:
        return min(text, key=lambda d: _GRANULARITY_RANK.get(d.granularity, 5))
    # One mention told as the day's news dates the happening; background mentions have none.
    return next((e.date for e in events if e.date.value), events[0].date)


def _best_place(events: Sequence[Event]) -> Place | None:
    """The main mention's town or region; else the most specific place another mention gives."""
    places = [e.location for e in events if e.location is not None]
    if not places:
        return None
    main = events[0].location
    if main is not None and main.feature != "country":
        return main  # the best mention's own town or region; a finer place elsewhere may be another's
    return min(places, key=lambda p: _FEATURE_RANK.get(p.feature, 3))


def _largest(events: Sequence[Event]) -> tuple[Quantity, ...]:
    """Per kind, the main mention's number; else the largest another mention gives."""
    by_kind: dict[str, Quantity] = {q.kind: q for q in events[0].quantities} if events else {}
    main = set(by_kind)
    for event in events[1:]:
        for q in event.quantities:
            if q.kind not in main and (q.kind not in by_kind or q.value > by_kind[q.kind].value):
                by_kind[q.kind] = q
    return tuple(by_kind.values())


__all__ = ["HappeningFinder", "HappeningsConfig", "merge_group"]
