"""Events: triggers from the lexicon, roles from the dependency parse, modality from its governors.

For each parsed sentence the candidate finder proposes and folds triggers (event_candidates.py),
the roles come from event_roles.py, modality and declared intentions from modality.py; this stage
builds the Event records, applies the PLOVER recoding rules, and scores confidence.
See docs/lexicon.md for the rules in order.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable

from dataclasses import dataclass

from ..doc import Doc
from ..lexicon import Lexicon, load_lexicon
from ..numbers import parse_number
from ..ontology import EVENT_TYPES
from ..records import Actor, Event, Mention, Span, Token, event_id
from .event_candidates import COMPLEMENT_MODES, Candidate, CandidateFinder, predicate_of
from .event_roles import find_roles
from .modality import ModalityCues, declared_intent, intent_type, load_modality_cues, modality_of, obligation
from .sentence_graph import COLLECTIVE_NOUNS, SentenceGraph

# Leaving an international body is a sanction (cutting ties), not a military withdrawal.
INTERNATIONAL_BODIES = frozenset({"IGO", "UNO", "EUR"})
BODY_WORDS = frozenset({"organization", "organisation", "alliance", "bloc", "union", "community", "commonwealth"})
# Armed forces: their arrival somewhere is a deployment, not a visit.
MILITARY_SECTORS = frozenset({"MIL", "UAF"})
# Sectors of actors who are not the state: their blockades are protests.
CIVILIAN_SECTORS = frozenset({"CVL", "OPP", "LAB", "EDU", "REL", "SOC", "AGR", "JRN", "MED", "REF", "PTY", "BUS"})

# Responses whose target is whoever made what they answer.
RESPONSE_TYPES = frozenset({"REJECT", "ACCUSE", "SUPPORT", "AGREE", "CONCEDE"})
# An object noun of a response and the earlier acts it can name.
RESPONSE_OBJECTS: dict[str, frozenset[str]] = {
    **dict.fromkeys(("allegation", "accusation", "charge", "claim", "criticism", "assertion", "involvement", "indictment"),
                    frozenset({"ACCUSE"})),
    **dict.fromkeys(("request", "demand", "call", "appeal", "plea", "resolution", "petition"), frozenset({"REQUEST"})),
    **dict.fromkeys(("proposal", "offer", "plan", "initiative"), frozenset({"AGREE"})),
    **dict.fromkeys(("sanction", "tariff", "ban", "restriction", "embargo"), frozenset({"SANCTION", "COERCE"})),
    **dict.fromkeys(("threat", "warning", "ultimatum"), frozenset({"THREATEN"})),
    **dict.fromkeys(("ruling", "verdict", "conviction", "sentence", "warrant", "prosecution", "proceeding", "trial"),
                    frozenset({"COERCE", "ACCUSE", "SANCTION"})),
}
RESPONSE_WINDOW = 8  # sentences back


# Words whose place is only where they were said: an accusation "in Geneva" is not aimed at
# Switzerland. (A protest "in Manila" is, as PLOVER codes it, aimed at the Philippines' government.)
_NOT_HOSTED = frozenset({"ACCUSE", "THREATEN", "REJECT"})
# Acts done to people where they are: "arrested in Lebanon" acts on Lebanon's people, not on its
# government, so the place gives the recipient's country and no sector.
_DONE_THERE = frozenset({"ASSAULT", "COERCE"})


@dataclass(frozen=True)
class EventConfig:
    min_confidence: float = 0.3
    require_participant: bool = True  # an event with no actor and no recipient is dropped


class EventFinder:
    """Assigns `events` from parse, entities and actor mentions."""

    name = "events"
    version = "1"
    requires = ("parse", "entities", "mentions")
    assigns = ("events",)

    def __init__(
        self,
        lexicon: Lexicon | None = None,
        config: EventConfig = EventConfig(),
        engine_version: str = "0",
        modality: ModalityCues | None = None,
    ) -> None:
        self.lexicon = lexicon or load_lexicon()
        self.config = config
        self.engine_version = engine_version
        self.modality = modality or load_modality_cues()
        self.candidates = CandidateFinder(self.lexicon, self.modality.conditional)

    def __call__(self, doc: Doc) -> Doc:
        events: list[Event] = []
        for sent_i, sentence in enumerate(doc.sentences):
            if not sentence.parsed or sentence.token_end <= sentence.token_start:
                continue
            graph = SentenceGraph(doc, sent_i)
            start = len(events)
            for cand in self.candidates.find(graph):
                # earlier acts of this sentence count too: "X proposed a price, but Y refused"
                event = self._build(doc, graph, cand, events)
                if event is not None:
                    events.append(event)
            events[start:] = self._merge_conjoined(graph, events[start:])
        return doc.replace(events=tuple(addressed_by_answers(events)))

    def _act_types(self, lemma: str) -> frozenset[str]:
        """The event types a noun names when it is a trigger ("arrest" -> COERCE), for responses to it."""
        return frozenset(e.event_type for e in self.lexicon.lookup("noun", lemma) if not e.objects and not e.needs)

    def _tally(self, graph: SentenceGraph, cand: Candidate) -> bool:
        """Does the event count many happenings of its kind ("launched 504 attacks", "in over 500
        attacks")? A tally of ten or more is background, however it is phrased."""
        nodes = [cand.token] if cand.entry.pos == "noun" else []
        holders = [cand.governor] + [c for c in graph.children(cand.governor.i) if c.dep == "dobj"]
        for holder in holders:  # "in 500 attacks" hangs on the verb or on its object
            for prep in graph.children(holder.i):
                if prep.dep == "prep" and prep.text.lower() == "in":
                    nodes.extend(graph.pobjs(prep.i))
        for node in nodes:
            if node.tag != "NNS" or not self.lexicon.lookup("noun", node.lemma.lower()):
                continue
            for num in graph.children(node.i):
                if num.dep != "nummod":
                    continue
                try:
                    if parse_number(num.text).value >= TALLY_MIN:
                        return True
                except ValueError:
                    continue
        return False

    def _build(self, doc: Doc, graph: SentenceGraph, cand: Candidate, earlier: list[Event]) -> Event | None:
        gov = cand.governor
        if gov.dep == "relcl" and gov.tag in ("VBP", "VBZ") and not any(c.dep == "aux" for c in graph.children(gov.i)):
            return None  # "Qatar, which hosts the office", "where a million people seek refuge": a state
        if self._tally(graph, cand):
            return None  # "killed nearly 400 people in over 500 attacks": a year's count, not a happening
        if _natural_subject(graph, gov):
            return None  # "Tropical Cyclone Jude slammed into ...", "collapsing buildings injured 15": no one acts
        if cand.entry.event_type == "ASSAULT" and _animals_only(graph, gov):
            return None  # "millions of dogs are killed for their meat": no political violence
        actors, recipients = find_roles(graph, cand)
        if self._carried(graph, cand, actors):
            return None  # "40 detainees were flown to Louisiana", "the train was traveling north": no visit
        weak = False
        if not actors and cand.entry.pos == "noun" and cand.governor.pos == "NOUN":
            # "negotiators return to Geneva for talks", "Trump levied tariffs on Canada": the nearest
            # verb's subject takes part.
            verb = graph.verb_above(cand.governor.i)
            if verb is None and cand.entry.event_type == "CONSULT":
                verb = _occasion_verb(graph, cand.governor)  # "said during a visit to Beijing"
            if verb is not None:
                subject, passive = graph.subject_of(verb.i)
                if subject is not None and not passive:
                    actors = graph.mentions_for(subject)
                    weak = True
        placed = False
        if recipients and all(m.kind == "target" for m in recipients) and cand.entry.event_type in _DONE_THERE:
            # "dismantled a smuggling ring in Lyon": what was acted on there is of that country.
            hosts = graph.visited_places(cand.governor.i, doc.places)
            countries = {m.actor.country for m in hosts if m.actor.country}
            if len(countries) == 1:
                (country,) = countries
                recipients = [dataclasses.replace(m, actor=dataclasses.replace(m.actor, country=country, basis="place"))
                              for m in recipients]
        if not recipients:
            # A place acted on stands for its country: the host of a visit or talks, the territory
            # a curfew is lifted in, the country refuge is sought in, the people attacked or
            # arrested there. Where an accusation or a protest was made only places it.
            hosts = graph.visited_places(cand.governor.i, doc.places)
            placed = bool(hosts)
            if cand.entry.event_type in _DONE_THERE:
                hosts = [dataclasses.replace(m, actor=dataclasses.replace(m.actor, sector=None)) for m in hosts]
            recipients = hosts if cand.entry.event_type not in _NOT_HOSTED else []
        if self.config.require_participant and not actors and not recipients and not placed:
            return None
        modality = modality_of(graph, cand, self.modality)
        type_name, mode = cand.entry.event_type, cand.mode
        if cand.entry.praise_type and self._praises(doc, graph, cand):
            type_name, mode = cand.entry.praise_type, None  # "called the death a security achievement"
        if type_name == "RETREAT" and mode == "withdraw" and self._from_organisation(graph, cand):
            type_name = "SANCTION"  # "Mali and Niger withdrew from ECOWAS": leaving a body cuts ties
        elif type_name == "RETREAT" and mode == "withdraw" and _left_agreement(graph, cand):
            type_name, mode = "REJECT", None  # "pulled out of the nuclear deal": an agreement renounced
        elif type_name == "AGREE" and cand.entry.pos == "noun" and _agreement_ended(graph, cand):
            type_name, mode = "REJECT", None  # "stopped implementing its commitments"
        if cand.entry.by_military and actors and all(m.actor.sector in MILITARY_SECTORS for m in actors):
            type_name, mode = cand.entry.by_military, "troops"  # "peacekeepers arrived in Bosnia": a deployment
        if cand.entry.by_civilians and actors and all(m.actor.sector in CIVILIAN_SECTORS for m in actors):
            if cand.entry.by_civilians == "NONE":
                return None
            type_name, mode = cand.entry.by_civilians, "obstruct"
        if type_name == "SANCTION" and _restricts_own_people(actors, recipients):
            type_name, mode = "COERCE", "restrict"  # "barred girls from attending school": repression at home
        elif type_name == "SANCTION" and not recipients and self._bans_at_home(graph, cand):
            # A SANCTION needs a recipient (PLOVER); a ban aimed at no one abroad is a restriction:
            # "imposed restrictions on printing books", "banned the trade", "a ban on the outlet".
            type_name, mode = "COERCE", "restrict"
        requester = obligation(graph, cand, self.modality)
        if requester is not None:
            # "X said Y must withdraw": X requests of Y what the clause names.
            recipients = actors
            actors = graph.mentions_for(requester)
            mode = COMPLEMENT_MODES["REQUEST"].get(type_name, "change")
            type_name = "REQUEST"
            modality = "asserted"  # the demand was made; "must" is what makes it one
        elif modality in ("future", "hypothetical", "negated") and type_name != "AGREE" and declared_intent(graph, cand, self.modality):
            type_name, mode = intent_type(type_name, mode, modality)
            if cand.conditional and type_name == "AGREE":
                # "will withdraw its force unless ...": an ultimatum
                type_name, mode = "THREATEN", None
        elif modality == "negated" and type_name in ("AGREE", "CONCEDE") and not _not_yet(graph, cand):
            type_name, mode = "REJECT", None  # "failed to reach agreement", "did not accept the demands"
        if type_name != cand.entry.event_type and modality == "negated" and type_name == "REJECT":
            modality = "asserted"  # "will not accept" is an asserted rejection
        etype = EVENT_TYPES[type_name]
        recipients = [m for m in recipients if all(m.actor != a.actor for a in actors)]
        # "X warned that it will ...": a pronoun standing for the actor is not also the recipient.
        recipients = [m for m in recipients if not (doc.tokens[m.head].pos == "PRON" and any(_same_party(m, a) for a in actors))]
        responded = ()
        if not recipients and type_name in RESPONSE_TYPES:
            responded = responded_to(graph, cand, tuple(m.actor for m in actors), earlier, self._act_types)
        elif not recipients and type_name == "REQUEST":
            responded = captors(graph, cand, earlier)
        trigger = self._trigger_span(doc, graph, cand)
        sentence = doc.sentences[cand.token.sent]
        evidence = Span(doc.text[sentence.start : sentence.end], sentence.start, sentence.end)
        confidence = self._confidence(graph, cand, bool(actors), bool(recipients)) - (0.1 if weak else 0.0)
        if confidence < self.config.min_confidence:
            return None
        contexts = self._contexts(graph, cand)
        return Event(
            id=event_id(doc.article.id, etype.name, trigger.start, self.engine_version),
            article_id=doc.article.id,
            event_type=etype.name,
            mode=mode,
            quad=etype.quad,
            intensity=etype.intensity,
            contexts=contexts,
            modality=modality,
            actors=_unique(m.actor for m in actors),
            recipients=_unique(m.actor for m in recipients) or tuple(dataclasses.replace(a, basis="answered act") for a in responded),
            trigger=trigger,
            evidence=evidence,
            confidence=confidence,
            anchor=cand.governor.i,
            sentence=cand.token.sent,
        )

    def _from_organisation(self, graph: SentenceGraph, cand: Candidate) -> bool:
        """Is what the trigger withdraws from an international body ("ECOWAS", "the alliance")?"""
        for child in graph.children(cand.token.i):
            if child.dep == "prep" and child.text.lower() in ("from", "of"):
                for pobj in graph.pobjs(child.i):
                    if pobj.lemma.lower() in BODY_WORDS:
                        return True
                    if any(m.actor.country in INTERNATIONAL_BODIES for m in graph.mentions_for(pobj)):
                        return True
        return False

    @staticmethod
    def _carried(graph: SentenceGraph, cand: Candidate, actors: list[Mention]) -> bool:
        """Is a verb of travel telling someone moved, or something travelling, not a visit made?
        A visit needs a traveller who acts: not a passive ("were flown to"), not an object carried
        ("flying them to"), not a subject that is no actor ("the train was traveling")."""
        if cand.entry.event_type != "CONSULT" or cand.entry.mode != "visit" or cand.entry.pos != "verb" \
                or cand.token.lemma.lower() not in _TRAVEL_VERBS:
            return False
        kids = graph.children(cand.token.i)
        if any(c.dep in ("auxpass", "nsubjpass", "dobj") for c in kids):
            return True
        subject, _ = graph.subject_of(cand.token.i)
        return subject is not None and not actors and subject.pos in ("NOUN", "PROPN")

    @staticmethod
    def _bans_at_home(graph: SentenceGraph, cand: Candidate) -> bool:
        """Is the trigger a ban or restriction whose content is no cross-border trade?"""
        obj = graph.object_of(cand.token.i)
        if cand.token.lemma.lower() not in _BAN_WORDS and (obj is None or obj.lemma.lower() not in _BAN_WORDS):
            return False  # "banned", "imposed restrictions on"
        frontier = list(graph.children(cand.token.i))
        for _ in range(3):  # "banned the import of chicks", "a ban on exports of rice"
            if any(t.lemma.lower() in _TRADE_WORDS for t in frontier):
                return False
            frontier = [c for t in frontier for c in graph.children(t.i)]
        return True

    def _praises(self, doc: Doc, graph: SentenceGraph, cand: Candidate) -> bool:
        predicate = predicate_of(graph, cand.token)
        if predicate is None:
            return False
        start, end = doc.subtree_span(predicate.i)
        return any(t.lemma.lower() in self.lexicon.praise_words for t in doc.tokens[start:end])

    def _trigger_span(self, doc: Doc, graph: SentenceGraph, cand: Candidate) -> Span:
        tok, gov = cand.token, cand.governor
        start, end = tok.start, tok.end
        if gov is not tok and 0 < tok.i - gov.i <= 3:
            start = gov.start  # "engaged in dialogue", "held talks"
        for child in graph.children(tok.i):
            if child.dep == "prt" and child.i == tok.i + 1:
                end = child.end  # "pulled out", "cracked down"
        return Span(doc.text[start:end], start, end)

    def _confidence(self, graph: SentenceGraph, cand: Candidate, has_actor: bool, has_recipient: bool) -> float:
        score = 0.45 + 0.2 * has_actor + 0.15 * has_recipient
        if cand.entry.pos == "verb" or cand.governor is not cand.token:
            score += 0.1
        depth = graph.depth(cand.governor.i)
        score += 0.08 if depth == 0 else -0.02 * min(depth, 4)
        if graph.in_background_clause(cand.governor.i):
            score -= 0.06  # relative clauses and "after ..." phrases tell the background
        return max(0.0, min(0.97, score * (0.6 + 0.4 * min(cand.entry.weight, 1.0))))

    def _contexts(self, graph: SentenceGraph, cand: Candidate) -> tuple[str, ...]:
        found = list(cand.entry.contexts)
        cues = self.lexicon.context_cues
        for tok in graph.tokens:
            context = cues.get(tok.text.lower())
            if context and context not in found:
                found.append(context)
        return tuple(found)

    def _merge_conjoined(self, graph: SentenceGraph, events: list[Event]) -> list[Event]:
        """"attacked and killed": one happening, one event (the first), with both verbs' roles.

        "marched toward the palace demanding reforms": a demand that only says what the protest
        was for is the protest's, not a request of its own.
        """
        by_anchor = {e.anchor: e for e in events}
        out: list[Event] = []
        dropped: set[int] = set()
        for event in events:
            tok = graph.token(event.anchor)
            if event.event_type == "REQUEST" and tok is not None and tok.tag == "VBG" and tok.dep in ("advcl", "acl") \
                    and graph.own_subject(tok.i) is None and _protest_above(graph, tok, by_anchor):
                continue
            if tok is not None and tok.dep == "conj" and tok.head in by_anchor:
                first = by_anchor[tok.head]
                if first.event_type == event.event_type and first.anchor not in dropped:
                    dropped.add(event.anchor)
                    continue
            out.append(event)
        return out


def _protest_above(graph: SentenceGraph, tok: Token, by_anchor: dict[int, Event]) -> bool:
    """Is a protest the verb `tok` hangs on, directly or through the noun the parser tied it to
    ("marched toward the palace demanding ...")?"""
    node = graph.token(tok.head)
    for _ in range(3):
        if node is None:
            return False
        found = by_anchor.get(node.i)
        if found is not None:
            return found.event_type == "PROTEST"
        if node.head == node.i:
            return False
        node = graph.token(node.head)
    return False


def responded_to(
    graph: SentenceGraph, cand: Candidate, actors: tuple[Actor, ...], earlier: list[Event],
    act_types: Callable[[str], frozenset[str]] = lambda lemma: frozenset(),
) -> tuple[Actor, ...]:
    """Who made what a response answers: "Beijing denies the allegations" answers the accusers.

    The object names an earlier act ("the allegations", "the request", "the proposal"); with no
    object, a refusal answers the last request made of the actor ("The relatives refused."). The act
    is looked for in the few sentences before, and its actors are the response's recipients.
    """
    objects = [c for c in graph.children(cand.governor.i) if c.dep in ("dobj", "nsubjpass")]
    for child in graph.children(cand.governor.i):
        if child.dep == "prep" and child.text.lower() in ("to", "against"):
            objects.extend(graph.pobjs(child.i))
        elif child.dep == "oprd" and cand.entry.needs_predicate and not objects:
            objects.append(child)  # "called [the arrest] ...": the parser's second predicate
            # "called the ruling arbitrary", parsed with "ruling" as a modifier of "arbitrary"
            objects.extend(c for c in graph.children(child.i) if c.dep in ("amod", "compound", "nsubj") and c.i < child.i)
        elif child.dep in ("ccomp", "parataxis") and cand.entry.needs_condemnation:
            subject = graph.own_subject(child.i)
            if subject is not None:
                objects.append(subject)  # "said [the arrest of Mhlanga] sent a chilling message"
    gov = cand.governor
    if gov.dep == "relcl" and all(o.text.lower() in _RELATIVE_WORDS for o in objects) \
            and (head := graph.token(gov.head)) is not None and head.pos == "NOUN":
        objects = [head]  # "accusing it of backing militants, a charge New Delhi rejected"
    elif objects and all(o.text.lower() in _PRONOUN_OBJECTS for o in objects):
        objects = []  # "Hamas offered a truce. Israel rejected it.": as with no object
    sent = cand.token.sent
    recent = []
    for e in reversed(earlier):  # text order: stop at the window's edge
        if e.sentence < sent - RESPONSE_WINDOW:
            break
        if e.sentence <= sent and e.actors:
            recent.append(e)
    if objects:
        # "the allegations" answers an accusation; an act's own noun ("condemned the arrest") its kind
        wanted = set().union(*(RESPONSE_OBJECTS.get(o.lemma.lower()) or RESPONSE_OBJECTS.get(o.text.lower())
                               or act_types(o.lemma.lower()) for o in objects))
        for e in recent:
            if e.event_type in wanted and not _shares_party(e.actors, actors):
                return e.actors
        return ()
    if cand.entry.event_type in ("REJECT", "AGREE") and actors:
        for e in recent:
            if _shares_party(e.actors, actors):
                continue
            if e.event_type == "REQUEST" and _shares_party(e.recipients, actors):
                return e.actors
            if e.event_type == "AGREE" and e.trigger.text.lower().startswith(_PROPOSING) \
                    and (not e.recipients or _shares_party(e.recipients, actors)):
                return e.actors  # "the Chinese side proposed a price, but the European side refused"
    return ()


_PRONOUN_OBJECTS = frozenset({"it", "this", "that", "them"})
_RELATIVE_WORDS = frozenset({"which", "that", "who", "whom"})
# Words of an offer made (AGREE): a refusal or acceptance with no object answers it.
_PROPOSING = ("propos", "offer", "suggest")


def addressed_by_answers(events: list[Event]) -> list[Event]:
    """An act told with no one it was aimed at was aimed at whoever answered it: "the Chinese side
    proposed a price, but the European side refused", "Pakistan alleged ... The Taliban rejected
    the allegation" (the answer's recipients are the act's actors, basis "answered act")."""
    out = list(events)
    for k, answer in enumerate(events):
        if not answer.actors or not answer.recipients or any(r.basis != "answered act" for r in answer.recipients):
            continue
        spans = {(r.start, r.end) for r in answer.recipients}
        for j in range(k - 1, -1, -1):
            act = out[j]
            if act.sentence < answer.sentence - RESPONSE_WINDOW:
                break  # the answered act is never further back (`responded_to`)
            if act.event_type in _ANSWERABLE and {(a.start, a.end) for a in act.actors} == spans:
                if not act.recipients:
                    addressed = tuple(dataclasses.replace(a, basis="answered by") for a in answer.actors)
                    out[j] = dataclasses.replace(act, recipients=addressed)
                break
    return out


# Acts an answer may be the only sign of whom they were aimed at.
_ANSWERABLE = frozenset({"AGREE", "REQUEST", "ACCUSE"})


# What is agreed, and the verbs that stop keeping it.
_AGREEMENT_NOUNS = frozenset({"agreement", "deal", "accord", "treaty", "pact", "commitment", "obligation",
                              "ceasefire", "cease-fire", "truce", "memorandum"})
_KEEPING_VERBS = frozenset({"implement", "honor", "honour", "respect", "observe", "fulfil", "fulfill", "abide", "keep"})
_ENDING_VERBS = frozenset({"stop", "cease", "halt", "quit", "end", "suspend"})
_RENOUNCING_VERBS = frozenset({"abandon", "renounce", "scrap", "ditch", "violate", "breach", "exit", "repudiate"})


def _left_agreement(graph: SentenceGraph, cand: Candidate) -> bool:
    """Does the withdrawal leave an agreement ("pulled out of the deal", "which X pulled out of")?"""
    preps = [c for c in graph.children(cand.token.i) if c.dep == "prep" and c.text.lower() in ("from", "of")]
    for out in graph.children(cand.token.i):  # "pulled out of": "of" may hang on the particle
        if out.text.lower() == "out":
            preps += [c for c in graph.children(out.i) if c.dep == "prep" and c.text.lower() == "of"]
    return any(pobj.lemma.lower() in _AGREEMENT_NOUNS for prep in preps for pobj in graph.pobjs(prep.i))


def _agreement_ended(graph: SentenceGraph, cand: Candidate) -> bool:
    """Is the agreement noun what a verb stops keeping or renounces ("stopped implementing its
    commitments", "abandoned the deal")?"""
    noun = cand.token
    if noun.lemma.lower() not in _AGREEMENT_NOUNS or noun.dep != "dobj":
        return False
    verb = graph.token(noun.head)
    if verb is None:
        return False
    if verb.lemma.lower() in _RENOUNCING_VERBS:
        return True
    up = graph.token(verb.head) if verb.dep == "xcomp" else None
    return verb.lemma.lower() in _KEEPING_VERBS and up is not None and up.lemma.lower() in _ENDING_VERBS


# What a call for someone's release asks for.
_RELEASE_NOUNS = frozenset({"release", "freedom", "freeing"})


def captors(graph: SentenceGraph, cand: Candidate, earlier: list[Event]) -> tuple[Actor, ...]:
    """Who holds the one a call for release is about: "called for Zamora's immediate release" asks
    it of whoever arrested, jailed or sentenced Zamora earlier in the article."""
    gov = cand.governor
    nouns = [p for c in graph.children(gov.i) if c.dep == "prep" and c.text.lower() == "for" for p in graph.pobjs(c.i)]
    nouns += [c for c in graph.children(gov.i) if c.dep == "dobj"]
    for noun in nouns:
        if noun.lemma.lower() not in _RELEASE_NOUNS:
            continue
        held = [m for c in graph.children(noun.i) if c.dep == "poss" for m in graph.mentions_for(c)]
        held += [m for c in graph.children(noun.i) if c.dep == "prep" and c.text.lower() == "of"
                 for p in graph.pobjs(c.i) for m in graph.mentions_for(p)]
        names = {_surname(m.actor.name) for m in held} - {""}
        for e in reversed(earlier):
            if e.event_type in ("COERCE", "SANCTION") and e.actors and any(_surname(r.name) in names for r in e.recipients):
                return e.actors
    return ()


def _surname(name: str) -> str:
    words = name.replace("’s", "").replace("'s", "").split()
    return words[-1].lower() if words else ""


def _shares_party(these: tuple[Actor, ...], those: tuple[Actor, ...]) -> bool:
    def key(a: Actor) -> tuple:
        return (a.country, a.sector) if a.country else (a.name.lower(),)
    return bool({key(a) for a in these} & {key(a) for a in those})


def _same_party(a: Mention, b: Mention) -> bool:
    return a.actor.name == b.actor.name or (a.actor.country is not None and (a.actor.country, a.actor.sector) == (b.actor.country, b.actor.sector))


def _unique(actors) -> tuple[Actor, ...]:
    out: list[Actor] = []
    for a in actors:
        if a not in out:
            out.append(a)
    return tuple(out)


def _occasion_verb(graph: SentenceGraph, noun: Token) -> Token | None:
    """The verb a meeting noun is the occasion of ("said during a visit", "spoke after talks with"):
    its subject was there, so took part."""
    prep = graph.token(noun.head) if noun.dep == "pobj" else None
    if prep is None or prep.text.lower() not in ("during", "after", "following", "before"):
        return None
    verb = graph.token(prep.head)
    return verb if verb is not None and verb.pos == "VERB" and verb.i != prep.i else None


# Happenings counted in tens or more are a tally, not one happening.
TALLY_MIN = 10

# Forces of nature and accidents: what they do to people is news, but no political event.
NATURAL_FORCES = frozenset({
    "cyclone", "storm", "hurricane", "typhoon", "tornado", "earthquake", "quake", "tremor", "aftershock", "tsunami",
    "flood", "flooding", "floodwater", "wildfire", "bushfire", "blaze", "drought", "landslide", "mudslide",
    "avalanche", "eruption", "volcano", "disaster", "virus", "pandemic", "epidemic", "outbreak", "disease",
    "heatwave", "rain", "rainfall", "wind", "lightning", "building", "collapse", "accident", "crash", "weather",
})


def _natural_subject(graph: SentenceGraph, verb: Token) -> bool:
    """Is the active subject of this verb a force of nature or an accident ("Cyclone Jude", "buildings")?"""
    subject, passive = graph.subject_of(verb.i)
    if passive or any(c.dep == "agent" for c in graph.children(verb.i)):
        # "houses were destroyed or submerged by floods": the agent of the verb or of its pair
        verbs = [verb] + [c for c in graph.children(verb.i) if c.dep == "conj"]
        agents = [p for v in verbs for c in graph.children(v.i) if c.dep == "agent" for p in graph.pobjs(c.i)]
        return any(a.lemma.lower() in NATURAL_FORCES or _named_storm(graph, a) for a in agents)
    if subject is None:
        return False
    words = [subject] + [c for c in graph.children(subject.i) if c.dep == "compound"]
    return any(w.lemma.lower() in NATURAL_FORCES for w in words) or _named_storm(graph, subject)


# Animals: killing them is trade, farming or hunting news, not violence against anyone.
ANIMALS = frozenset({
    "dog", "cat", "animal", "cattle", "livestock", "cow", "pig", "sheep", "goat", "chicken", "bird", "poultry",
    "horse", "camel", "donkey", "elephant", "rhino", "rhinoceros", "lion", "tiger", "whale", "dolphin", "shark",
    "fish", "wildlife", "deer", "bear", "wolf", "monkey", "ape", "gorilla", "bat", "rat",
})


def _animals_only(graph: SentenceGraph, verb: Token) -> bool:
    """Is what the verb kills or hurts only animals ("13,700 dogs are slaughtered")?"""
    patients = [c for c in graph.children(verb.i) if c.dep in ("dobj", "nsubjpass")]
    if verb.dep == "acl" and verb.tag == "VBN" and (head := graph.token(verb.head)) is not None:
        patients.append(head)  # "dogs killed for their meat"
    # "millions of dogs": the counted noun after "of"
    patients = [next((o for c in graph.children(p.i) if c.dep == "prep" and c.text.lower() == "of" for o in graph.pobjs(c.i)), p)
                if p.pos == "NUM" or p.lemma.lower() in COLLECTIVE_NOUNS else p
                for p in patients]
    return bool(patients) and all(p.lemma.lower() in ANIMALS for p in patients)


@functools.lru_cache(maxsize=4)
def _lowered(text: str) -> str:
    return text.lower()


_STORM_WORDS = ("cyclone", "storm", "hurricane", "typhoon", "tropical storm")


def _named_storm(graph: SentenceGraph, tok: Token) -> bool:
    """Is this name a storm the article names as one ("was struck by Chido" after "Cyclone Chido")?"""
    if tok.pos != "PROPN" or not tok.text[:1].isupper():
        return False
    text = _lowered(graph.doc_text)  # once per article, not per candidate
    name = tok.text.lower()
    return any(f"{w} {name}" in text or f"{w}s {name}" in text for w in _STORM_WORDS)


# Sectors of a state's own people: a ban or restriction on them is repression (COERCE), not a
# sanction of another actor.
PEOPLE_SECTORS = frozenset({"CVL", "EDU", "JRN", "MED", "REL", "LAB", "REF", "OPP", "SOC"})


def _not_yet(graph: SentenceGraph, cand: Candidate) -> bool:
    """ "Russia has not agreed to the ceasefire": a negated present perfect tells what has not
    happened yet, no refusal made (codebook: negated modality, the type kept)."""
    kids = graph.children(cand.governor.i)
    return cand.governor.tag == "VBN" and any(c.dep == "aux" and c.lemma.lower() == "have" and c.tag in ("VBZ", "VBP") for c in kids)


_TRAVEL_VERBS = frozenset({"fly", "travel", "arrive", "journey", "head", "return"})
_BAN_WORDS = frozenset({"ban", "bar", "restrict", "restriction", "prohibit", "prohibition", "outlaw", "forbid"})
# What crosses a border: a ban on it is a trade measure, aimed abroad even when no one is named.
_TRADE_WORDS = frozenset({"import", "export", "shipment", "tariff", "duty"})


def _restricts_own_people(actors: list[Mention], recipients: list[Mention]) -> bool:
    if not actors or not recipients:
        return False
    rulers = {m.actor.country for m in actors if m.actor.sector in ("GOV", "MIL", "COP", "REB", "PRE", None)}
    return all(
        m.actor.sector in PEOPLE_SECTORS and (m.actor.country is None or m.actor.country in rulers)
        for m in recipients
    ) and bool(rulers)
