"""Events: triggers from the lexicon, roles from the dependency parse, modality from its governors.

For each parsed sentence:
1. every verb or noun whose lemma the lexicon knows, and whose constraints hold, is a candidate;
2. a noun trigger under a light verb ("held talks", "engaged in dialogue") takes the verb's roles;
   a noun trigger that is the object of another trigger ("proposed a ceasefire") and a clause that
   is the complement of a control trigger ("threatened to attack") are the content of that event,
   not events of their own;
3. actors and recipients come from the trigger's (or governor's) subject, passive agent, object and
   prepositions, expanded over coordination, and resolved to the actor mentions of the doc;
4. modality comes from negation, auxiliaries, conditionals and governing words (modality.yaml).
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from importlib import resources

from ..doc import Doc
from ..lexicon import Entry, Lexicon, load_lexicon, load_words_yaml
from ..ontology import EVENT_TYPES
from ..records import Actor, Event, Mention, Span, Token, event_id
from .sentence_graph import SentenceGraph

SUBJECT_DEPS = ("nsubj", "csubj")
PASSIVE_SUBJECT_DEPS = ("nsubjpass", "csubjpass")
# Prepositions whose object is the one acted on; "between" makes joint actors.
RECIPIENT_PREPS = frozenset({"with", "against", "on", "upon", "at", "to", "toward", "towards", "into", "from", "including"})
# Prepositions after which a place is where the event happened, not a participant.
PLACE_PREPS = frozenset({"in", "at", "near", "inside", "outside", "across", "throughout", "around"})
# Complement verbs of a control trigger give REQUEST/REJECT their PLOVER mode.
COMPLEMENT_MODES = {
    "REQUEST": {"AID": "assist", "CONSULT": "meet", "RETREAT": "yield", "CONCEDE": "yield"},
    "REJECT": {"AID": "assist", "CONSULT": "meet", "RETREAT": "yield", "CONCEDE": "yield"},
    "THREATEN": {"ASSAULT": "violence", "MOBILIZE": "violence", "SANCTION": "relations", "COERCE": "restrict"},
}
# Prepositions that introduce an event's content ("called for a ceasefire", "talks on the release").
CONTENT_PREPS = frozenset({"for", "of", "on", "upon", "over", "about", "to", "against"})
# Sectors of actors who are not the state: their blockades are protests.
CIVILIAN_SECTORS = frozenset({"CVL", "OPP", "LAB", "EDU", "REL", "SOC", "AGR", "JRN", "MED", "REF", "PTY", "BUS"})
# Types aimed at someone: the subject of their reported clause is that someone.
DIRECTED_TYPES = frozenset({"REQUEST", "ACCUSE", "REJECT", "THREATEN", "SUPPORT"})
MODALITY_RANK = {"asserted": 0, "future": 1, "hypothetical": 2, "negated": 3}


@dataclass(frozen=True, slots=True)
class ModalityCues:
    aux: dict[str, str]
    governors: dict[str, str]
    negation: frozenset[str]
    conditional: frozenset[str]
    intent_aux: frozenset[str]
    intent_governors: frozenset[str]
    schedule_governors: frozenset[str]
    obligation_aux: frozenset[str]


@functools.lru_cache(maxsize=1)
def load_modality_cues() -> ModalityCues:
    """The shipped modality cues (data/modality.yaml)."""
    data = load_words_yaml(resources.files("lapwing").joinpath("data/modality.yaml").read_text(encoding="utf-8"))
    return ModalityCues(
        aux={str(k): v for k, v in data["aux"].items()},
        governors={str(k): v for k, v in data["governors"].items()},
        negation=frozenset(str(w) for w in data["negation"]),
        conditional=frozenset(str(w) for w in data["conditional"]),
        intent_aux=frozenset(str(w) for w in data["intent_aux"]),
        intent_governors=frozenset(str(w) for w in data["intent_governors"]),
        schedule_governors=frozenset(str(w) for w in data["schedule_governors"]),
        obligation_aux=frozenset(str(w) for w in data["obligation_aux"]),
    )


@dataclass(frozen=True)
class EventConfig:
    min_confidence: float = 0.3
    require_participant: bool = True  # an event with no actor and no recipient is dropped


@dataclass(slots=True)
class _Candidate:
    token: Token
    entry: Entry
    governor: Token  # the verb whose roles the event takes (the trigger itself, or a light verb)
    folded_into: int | None = None  # token index of the trigger whose content this is
    mode: str | None = None
    content: list["_Candidate"] = dataclasses.field(default_factory=list)  # folded complements
    conditional: bool = False  # an if/unless clause hangs on it
    parties: list[Mention] = dataclasses.field(default_factory=list)  # "between A and B"


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

    def __call__(self, doc: Doc) -> Doc:
        events: list[Event] = []
        for sent_i, sentence in enumerate(doc.sentences):
            if not sentence.parsed or sentence.token_end <= sentence.token_start:
                continue
            graph = SentenceGraph(doc, sent_i)
            events.extend(self._sentence_events(doc, graph))
        return doc.replace(events=tuple(events))

    # -- step 1 and 2: candidates, light verbs, folding ------------------------------------------

    def _sentence_events(self, doc: Doc, graph: SentenceGraph) -> list[Event]:
        candidates: dict[int, _Candidate] = {}
        for tok in graph.tokens:
            entry = self._match(graph, tok)
            if entry is not None:
                candidates[tok.i] = _Candidate(tok, entry, tok, mode=entry.mode)
        if not candidates:
            return []
        for cand in candidates.values():
            if cand.mode is None:
                cand.mode = self._mode_cue(graph, cand)
        for cand in candidates.values():
            if cand.entry.pos == "noun":
                site = cand.token
                head = graph.token(site.head)
                if site.dep == "compound" and head is not None and head.pos == "NOUN" and head.i not in candidates:
                    site = head  # "a mediation effort": the compound's head carries the syntax
                    cand.governor = site
                light = self._light_governor(graph, site)
                if light is not None:
                    cand.governor = light
                    # A light verb that is itself a trigger ("host talks") yields to the noun.
                    if light.i in candidates and candidates[light.i].entry.pos == "verb":
                        candidates[light.i].folded_into = cand.token.i
        by_governor = {c.governor.i: c for c in candidates.values() if c.folded_into is None}
        for cand in candidates.values():
            outer = by_governor.get(cand.token.head)
            if (
                cand.folded_into is None and cand.entry.pos == "verb" and outer is not None and outer is not cand
                and cand.token.dep in ("advcl", "xcomp")
                and any(c.dep == "aux" and c.text.lower() == "to" for c in graph.children(cand.token.i))
                and graph.own_subject(cand.token.i) is None
            ):
                # A purpose clause ("staged rallies to demand reforms") says why, not what.
                cand.folded_into = outer.token.i
                self._absorb(outer, cand)
        for cand in candidates.values():
            outer = by_governor.get(cand.token.head)
            if (
                cand.folded_into is None and cand.entry.pos == "verb" and outer is not None and outer is not cand
                and cand.token.dep == "advcl" and cand.token.tag == "VBG"
                and outer.entry.event_type == cand.entry.event_type and graph.own_subject(cand.token.i) is None
            ):
                # "shelled the city, killing three people": the consequence of the same act.
                cand.folded_into = outer.token.i
                outer.content.append(cand)
                continue
            if (
                cand.folded_into is None and cand.entry.pos == "verb" and outer is not None and outer is not cand
                and cand.token.dep == "advcl"
                and any(c.dep == "mark" and c.text.lower() in self.modality.conditional for c in graph.children(cand.token.i))
            ):
                # "will withdraw unless X agrees": the condition belongs to the main event.
                cand.folded_into = outer.token.i
                outer.conditional = True
        for cand in candidates.values():
            if cand.folded_into is None:
                outer = self._outer_trigger(graph, cand, candidates)
                while outer is not None and outer.folded_into is not None and outer.folded_into in candidates:
                    outer = candidates[outer.folded_into]  # "opened the bridge to allow the delivery"
                if outer is not None:
                    cand.folded_into = outer.token.i
                    self._absorb(outer, cand)
        for cand in candidates.values():
            if cand.folded_into is None:
                outer = self._enclosing_content(graph, cand, candidates)
                if outer is not None:
                    cand.folded_into = outer.token.i
        events = []
        kept = [
            c for c in candidates.values()
            if c.folded_into is None and (not c.entry.needs_content or any(i.entry.event_type for i in c.content))
        ]
        for cand in kept:
            event = self._build(doc, graph, cand)
            if event is not None:
                events.append(event)
        return self._merge_conjoined(graph, events)

    def _mode_cue(self, graph: SentenceGraph, cand: _Candidate) -> str | None:
        """Mode from modifiers ("suicide bombing", "hunger strike") or "by phone"."""
        cues = self.lexicon.mode_cues.get(cand.entry.event_type, {})
        for child in graph.children(cand.token.i):
            if child.dep in ("compound", "amod", "nmod", "npadvmod") and child.lemma.lower() in cues:
                return cues[child.lemma.lower()]
            if child.dep == "prep" and child.text.lower() in ("by", "over", "via"):
                for pobj in graph.pobjs(child.i):
                    if pobj.lemma.lower() in cues:
                        return cues[pobj.lemma.lower()]
        return None

    def _match(self, graph: SentenceGraph, tok: Token) -> Entry | None:
        if tok.pos in ("VERB",) or (tok.tag.startswith("VB") and tok.pos != "AUX"):
            pos = "verb"
        elif tok.pos == "NOUN" or (tok.pos == "PROPN" and tok.ent_type == ""):
            pos = "noun"
        else:
            return None
        entries = self.lexicon.lookup(pos, tok.lemma.lower())
        if not entries and pos == "noun":
            entries = self.lexicon.lookup(pos, tok.text.lower())
        if not entries:
            return None
        kids = graph.children(tok.i)
        particles = {c.text.lower() for c in kids if c.dep in ("prep", "prt", "agent", "dobj", "advmod", "dative")}
        obj = graph.object_of(tok.i)
        obj_lemma = obj.lemma.lower() if obj is not None else None
        obj_lemmas = {obj_lemma} | {c.lemma.lower() for c in graph.children(obj.i) if c.dep == "conj"} if obj is not None else {None}
        mods = {c.lemma.lower() for c in kids if c.dep in ("compound", "amod", "nmod", "npadvmod", "poss")}
        for entry in entries:
            if entry.weight <= 0:
                continue
            if entry.needs and not (entry.needs & particles):
                continue
            if entry.not_needs and entry.not_needs & particles:
                continue
            if entry.objects and not (entry.objects & obj_lemmas):
                continue
            if entry.not_objects and obj_lemma in entry.not_objects:
                continue
            if entry.modifiers and not (entry.modifiers & mods):
                continue
            if entry.not_modifiers and entry.not_modifiers & mods:
                continue
            return entry
        return None

    def _light_governor(self, graph: SentenceGraph, noun: Token) -> Token | None:
        head = graph.token(noun.head)
        if head is None or head.i == noun.i:
            return None
        if noun.dep in ("dobj", "attr", "nsubjpass") and head.lemma.lower() in self.lexicon.light_verbs:
            return head
        if noun.dep == "pobj":
            verb = graph.token(head.head)
            if verb is not None and head.text.lower() in self.lexicon.light_preps.get(verb.lemma.lower(), ()):
                return verb
        if noun.dep == "pobj" and head.text.lower() == "in":
            # "played a key role in brokering talks", "took part in talks"
            frame = graph.token(head.head)
            verb = graph.token(frame.head) if frame is not None else None
            if frame is not None and verb is not None and frame.lemma.lower() in ("role", "part", "hand") and verb.pos in ("VERB", "AUX"):
                return verb
        if noun.dep == "dobj" and head.lemma.lower() in self.lexicon.light_preps:
            # "take part in talks" parses with "part" as the object: "talks" hangs off "in".
            return head
        return None

    def _outer_trigger(self, graph: SentenceGraph, cand: _Candidate, candidates: dict[int, _Candidate]) -> _Candidate | None:
        """The trigger this candidate is the content of, if any."""
        tok = cand.governor
        if cand.entry.pos == "verb" and tok.dep == "amod" and tok.head in candidates:
            # "brokering negotiations": a participle on a noun trigger describes that event.
            outer = candidates[tok.head]
            if outer.entry.event_type == cand.entry.event_type and outer.folded_into is None:
                return outer
        if cand.entry.pos == "verb" or cand.governor.pos != "NOUN":
            # Complement clause of a control verb: "agreed to release", "urged X to withdraw".
            if tok.dep in ("xcomp", "ccomp", "acl") and tok.head in candidates:
                outer = candidates[tok.head]
                if outer.entry.control and (tok.dep != "acl" or outer.entry.pos == "noun"):
                    return outer
            return None
        head = graph.token(tok.head)
        if tok.dep == "compound" and head is not None and head.i in candidates and head.i != tok.i:
            return candidates[head.i]  # "ceasefire talks", "negotiation proposals": one event
        # A noun trigger that is the object (or object of a preposition) of a verb trigger.
        node = tok
        path: list[Token] = []
        for _ in range(3):
            if node.dep not in ("dobj", "pobj", "conj", "prep", "attr", "appos", "nsubj", "nsubjpass", "acl", "pcomp"):
                return None
            parent = graph.token(node.head)
            if parent is None or parent.i == node.i:
                return None
            if parent.i in candidates and candidates[parent.i].entry.pos == "verb":
                outer = candidates[parent.i]
                if node.dep in ("nsubj", "nsubjpass") and outer.entry.event_type != cand.entry.event_type:
                    return None  # "talks collapsed", "strikes prompted condemnation": separate events
                prep = next((n for n in path if n.dep == "prep"), None)
                if prep is not None and prep.text.lower() not in CONTENT_PREPS:
                    # "killed in an airstrike" is one event; "in a call, both agreed" is two.
                    if outer.entry.event_type != cand.entry.event_type:
                        return None
                return outer
            if parent.pos == "VERB":
                return None
            path.append(parent)
            node = parent
        return None

    def _enclosing_content(self, graph: SentenceGraph, cand: _Candidate, candidates: dict[int, _Candidate]) -> _Candidate | None:
        """The control trigger whose complement clause holds this candidate, however deep.

        "urged both sides to demonstrate commitment in the negotiations": the commitment and
        the negotiations are what is urged, not events of their own.
        """
        node = cand.governor
        via = ""
        for _ in range(8):
            if node.head == node.i:
                return None
            via, node = node.dep, graph.token(node.head)
            if node is None:
                return None
            other = candidates.get(node.i)
            if other is None or other is cand:
                continue
            if other.folded_into is not None and other.folded_into in candidates:
                outer = candidates[other.folded_into]
                return outer if outer.entry.control else None
            if other.entry.control and via in ("xcomp", "ccomp"):
                return other
            return None
        return None

    def _absorb(self, outer: _Candidate, inner: _Candidate) -> None:
        """The folded trigger's type informs the outer one's mode; its objects, the recipients."""
        outer.content.append(inner)
        inner_type = inner.entry.event_type
        if outer.entry.conflict_type and EVENT_TYPES[inner_type].quad == 4:
            outer.entry = dataclasses.replace(outer.entry, event_type=outer.entry.conflict_type, mode=None)
            outer.mode = None
        modes = COMPLEMENT_MODES.get(outer.entry.event_type)
        if outer.mode is None and modes and inner_type in modes:
            outer.mode = modes[inner_type]
        elif outer.mode is None and inner_type == outer.entry.event_type and inner.mode:
            outer.mode = inner.mode

    # -- step 3: roles ----------------------------------------------------------------------------

    def _build(self, doc: Doc, graph: SentenceGraph, cand: _Candidate) -> Event | None:
        gov = cand.governor
        if gov.dep == "relcl" and gov.tag in ("VBP", "VBZ") and not any(c.dep == "aux" for c in graph.children(gov.i)):
            return None  # "Qatar, which hosts the office", "where a million people seek refuge": a state
        actors, recipients = self._roles(graph, cand)
        weak = False
        if not actors and not recipients and cand.entry.pos == "noun" and cand.governor.pos == "NOUN":
            # "negotiators return to Geneva for talks": the nearest verb's subject takes part.
            verb = graph.verb_above(cand.governor.i)
            if verb is not None:
                subject, passive = graph.subject_of(verb.i)
                if subject is not None and not passive:
                    actors = graph.mentions_for(subject)
                    weak = True
        if not recipients:
            # A place acted on stands for its country: the host of a visit or talks, the territory
            # a curfew is lifted in, the country refuge is sought in.
            recipients = graph.visited_places(cand.governor.i, doc.places)
        if self.config.require_participant and not actors and not recipients:
            return None
        modality = self._modality(graph, cand)
        type_name, mode = cand.entry.event_type, cand.mode
        if cand.entry.by_civilians and actors and all(m.actor.sector in CIVILIAN_SECTORS for m in actors):
            type_name, mode = cand.entry.by_civilians, "obstruct"
        requester = self._obligation(graph, cand)
        if requester is not None:
            # "X said Y must withdraw": X requests of Y what the clause names.
            recipients = actors
            actors = graph.mentions_for(requester)
            mode = COMPLEMENT_MODES["REQUEST"].get(type_name, "change")
            type_name = "REQUEST"
        elif modality in ("future", "hypothetical", "negated") and type_name != "AGREE" and self._declared_intent(graph, cand):
            type_name, mode = _intent_type(type_name, mode, modality)
            if cand.conditional and type_name == "AGREE":
                # "will withdraw its force unless ...": an ultimatum
                type_name, mode = "THREATEN", None
        elif modality == "negated" and type_name in ("AGREE", "CONCEDE"):
            type_name, mode = "REJECT", None  # "failed to reach agreement", "did not accept the demands"
        if type_name != cand.entry.event_type and modality == "negated" and type_name == "REJECT":
            modality = "asserted"  # "will not accept" is an asserted rejection
        etype = EVENT_TYPES[type_name]
        recipients = [m for m in recipients if all(m.actor != a.actor for a in actors)]
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
            recipients=_unique(m.actor for m in recipients),
            trigger=trigger,
            evidence=evidence,
            confidence=confidence,
            anchor=cand.governor.i,
            sentence=cand.token.sent,
        )

    def _roles(self, graph: SentenceGraph, cand: _Candidate) -> tuple[list[Mention], list[Mention]]:
        actors: list[Mention] = []
        recipients: list[Mention] = []
        gov = cand.governor
        noun = cand.token if cand.entry.pos == "noun" else None
        nouns = [] if noun is None else [noun] + ([gov] if gov.pos == "NOUN" and gov is not noun else [])
        # Subjects: the governor's own, or inherited through xcomp/conj/advcl chains.
        subject, passive = graph.subject_of(gov.i)
        passive = passive and subject is not None
        if subject is not None:
            (recipients if passive else actors).extend(graph.mentions_for(subject))
        for child in graph.children(gov.i):
            if child.dep == "agent":
                for pobj in graph.children(child.i):
                    if pobj.dep == "pobj":
                        actors.extend(graph.mentions_for(pobj))
            elif child.dep in ("dobj", "dative", "iobj") and (noun is None or child.i != noun.i):
                recipients.extend(graph.mentions_for(child))
            elif child.dep == "prep" and child.text.lower() in ("along", "together"):
                # "the US, along with Egypt, played ...": a second subject hung on the verb.
                for sub in graph.children(child.i):
                    if sub.dep == "prep" and sub.text.lower() == "with":
                        for pobj in graph.pobjs(sub.i):
                            (recipients if passive else actors).extend(graph.mentions_for(pobj))
            elif child.dep == "prep":
                self._prep_roles(graph, child, actors, recipients, cand)
        for node in nouns:
            for child in graph.children(node.i):
                if child.dep == "poss" or (child.dep in ("amod", "compound", "nmod") and child.ent_type in ("NORP", "GPE", "ORG", "PERSON")):
                    actors.extend(graph.mentions_for(child))
                elif child.dep == "prep":
                    word = child.text.lower()
                    if word == "by":
                        for pobj in graph.pobjs(child.i):
                            actors.extend(graph.mentions_for(pobj))
                    elif word == "of" and EVENT_TYPES[cand.entry.event_type].quad >= 2:
                        for pobj in graph.pobjs(child.i):
                            (recipients if actors or cand.entry.event_type in ("ASSAULT", "COERCE", "RETREAT") else actors).extend(
                                graph.mentions_for(pobj)
                            )
                    else:
                        self._prep_roles(graph, child, actors, recipients, cand)
        if cand.parties:
            if actors and cand.entry.event_type == "CONSULT" and not any(p in actors for p in cand.parties):
                # "X launched a mediation effort between A and B": X mediates, A and B meet.
                cand.mode = "third-party"
                recipients.extend(cand.parties)
            else:
                actors.extend(cand.parties)
            cand.parties = []
        if cand.entry.swap and actors and recipients:
            actors, recipients = recipients, actors  # "Egypt hosted the Israeli delegation"
        for inner in cand.content:
            if inner.entry.pos == "verb" and inner.entry.event_type == cand.entry.event_type:
                for child in graph.children(inner.token.i):
                    if child.dep in ("dobj", "dative"):
                        recipients.extend(graph.mentions_for(child))  # "..., killing three people"
        for inner in cand.content:
            if inner.entry.pos == "noun" and inner.entry.event_type == cand.entry.event_type:
                parties: list[Mention] = []
                for child in graph.children(inner.token.i):
                    if child.dep == "prep" and child.text.lower() == "between":
                        for pobj in graph.pobjs(child.i):
                            parties.extend(graph.mentions_for(pobj))
                if parties and actors and cand.entry.event_type == "CONSULT":
                    # "X will host talks between A and B": X mediates, A and B meet.
                    cand.mode = "third-party"
                    recipients.extend(parties)
                elif parties:
                    actors.extend(parties)
        if not recipients and cand.entry.event_type in DIRECTED_TYPES:
            # "demanded that Pyongyang abandon ...": the reported clause's subject is the target.
            for child in graph.children(gov.i):
                if child.dep == "ccomp":
                    subject = graph.own_subject(child.i)
                    if subject is not None:
                        recipients.extend(graph.mentions_for(subject))
        content_tokens = {inner.token.i for inner in cand.content}
        if not recipients:
            # "rejected calls by Belarus's rulers", "demanded the withdrawal of Serbian forces":
            # the object names an act; its agent or theme is who the event is aimed at.
            for child in graph.children(gov.i):
                if child.dep in ("dobj", "nsubjpass") and child is not noun and not graph.mentions_for(child):
                    recipients.extend(graph.argument_mentions(child.i, directed=child.i in content_tokens))
        if not recipients:
            # "staged a hunger strike to protest against Sweden's decision": the purpose names the target.
            for inner in cand.content:
                if inner.entry.pos == "verb" and inner.token.dep in ("advcl", "xcomp") and not cand.entry.control:
                    for obj in [inner.token, *graph.clause_objects(inner.token.i, RECIPIENT_PREPS | {"for"})]:
                        if obj is inner.token:
                            continue
                        recipients.extend(graph.mentions_for(obj) or graph.argument_mentions(obj.i))
        if not recipients and cand.entry.control:
            # "threatened to attack Israel", "promised to continue aid to Mozambique": who the
            # promised or threatened act is aimed at.
            for child in graph.children(gov.i):
                if child.dep in ("xcomp", "ccomp") or (child.dep == "acl" and gov.pos == "NOUN"):
                    for obj in graph.clause_objects(child.i, RECIPIENT_PREPS | {"for"}):
                        recipients.extend(graph.mentions_for(obj))

        return _dedupe(actors), _dedupe(recipients)

    def _prep_roles(self, graph: SentenceGraph, prep: Token, actors: list[Mention], recipients: list[Mention], cand: _Candidate) -> None:
        word = prep.text.lower()
        if word == "between" or (word == "among" and cand.entry.symmetric):
            for pobj in graph.pobjs(prep.i):
                cand.parties.extend(graph.mentions_for(pobj))
            return
        if word not in RECIPIENT_PREPS:
            return
        for pobj in graph.pobjs(prep.i):
            for mention in graph.mentions_for(pobj):
                if word in PLACE_PREPS and graph.is_place(mention):
                    continue
                recipients.append(mention)

    # -- step 4: modality, trigger span, confidence, contexts ---------------------------------------

    def _modality(self, graph: SentenceGraph, cand: _Candidate) -> str:
        cues = self.modality
        found = "asserted"
        chain = graph.governing_chain(cand.governor.i, include_subject_heads=cand.entry.pos == "noun")
        own = [(cand.token, "")] + ([(cand.governor, "")] if cand.governor is not cand.token else [])
        for node, via in own + chain:
            # The lemmatizer is unreliable on rare participles ("slated" -> "slat"): try the word too.
            word = cues.governors.get(node.lemma.lower()) or cues.governors.get(node.text.lower())
            # A conjoined sibling shares auxiliaries and negation, not the verb's meaning:
            # "denied involvement and blamed the army" does not deny the blaming.
            if via and via != "conj" and word:
                found = _stronger(found, word)
            for child in graph.children(node.i):
                low = child.text.lower()
                if child.dep == "neg" or (child.dep == "det" and low == "no" and node.pos == "NOUN"):
                    found = _stronger(found, "negated")
                elif child.dep == "aux" and low in cues.aux:
                    found = _stronger(found, cues.aux[low])
                elif child.dep == "aux" and low == "to" and node is not cand.governor:
                    pass
                elif child.dep == "amod" and child.lemma.lower() in cues.governors and node is cand.token:
                    found = _stronger(found, cues.governors[child.lemma.lower()])
                elif child.dep == "mark" and low in cues.conditional:
                    found = _stronger(found, "hypothetical")
            if node.dep == "advcl" and any(c.dep == "mark" and c.text.lower() in cues.conditional for c in graph.children(node.i)):
                found = _stronger(found, "hypothetical")
        return found

    def _declared_intent(self, graph: SentenceGraph, cand: _Candidate) -> bool:
        """Is the event announced as the actor's intention ("will", "ready to"), not a schedule?"""
        cues = self.modality
        nodes = [cand.governor] + [n for n, via in graph.governing_chain(cand.governor.i) if via in ("xcomp", "acomp", "prep", "pcomp")]
        intent = False
        for node in nodes:
            word = node.lemma.lower()
            if node is not cand.governor and (word in cues.schedule_governors or node.text.lower() in cues.schedule_governors):
                return False
            if node is not cand.governor and word in cues.intent_governors:
                intent = True
            if any(c.dep == "aux" and c.text.lower() in cues.intent_aux for c in graph.children(node.i)):
                intent = True
        return intent

    def _obligation(self, graph: SentenceGraph, cand: _Candidate) -> Token | None:
        """The subject of the reporting verb when the event is an obligation it states ("must")."""
        node: Token | None = cand.governor
        obliged = False
        for _ in range(4):
            if node is None:
                return None
            if any(c.dep == "aux" and c.text.lower() in self.modality.obligation_aux for c in graph.children(node.i)):
                obliged = True
            if node.dep != "xcomp" and node.dep != "acomp":
                break
            node = graph.token(node.head)  # "must be ready to mediate"
        if not obliged or node is None or node.dep != "ccomp":
            return None
        reporter = graph.token(node.head)
        if reporter is None:
            return None
        subject, passive = graph.subject_of(reporter.i)
        if subject is None or passive or not graph.mentions_for(subject):
            return None
        return subject

    def _trigger_span(self, doc: Doc, graph: SentenceGraph, cand: _Candidate) -> Span:
        tok, gov = cand.token, cand.governor
        start, end = tok.start, tok.end
        if gov is not tok and 0 < tok.i - gov.i <= 3:
            start = gov.start  # "engaged in dialogue", "held talks"
        for child in graph.children(tok.i):
            if child.dep == "prt" and child.i == tok.i + 1:
                end = child.end  # "pulled out", "cracked down"
        return Span(doc.text[start:end], start, end)

    def _confidence(self, graph: SentenceGraph, cand: _Candidate, has_actor: bool, has_recipient: bool) -> float:
        score = 0.45 + 0.2 * has_actor + 0.15 * has_recipient
        if cand.entry.pos == "verb" or cand.governor is not cand.token:
            score += 0.1
        depth = graph.depth(cand.governor.i)
        score += 0.08 if depth == 0 else -0.02 * min(depth, 4)
        if graph.in_background_clause(cand.governor.i):
            score -= 0.06  # relative clauses and "after ..." phrases tell the background
        return max(0.0, min(0.97, score * (0.6 + 0.4 * min(cand.entry.weight, 1.0))))

    def _contexts(self, graph: SentenceGraph, cand: _Candidate) -> tuple[str, ...]:
        found = list(cand.entry.contexts)
        cues = self.lexicon.context_cues
        for tok in graph.tokens:
            context = cues.get(tok.text.lower())
            if context and context not in found:
                found.append(context)
        return tuple(found)

    def _merge_conjoined(self, graph: SentenceGraph, events: list[Event]) -> list[Event]:
        """"attacked and killed": one happening, one event (the first), with both verbs' roles."""
        by_anchor = {e.anchor: e for e in events}
        out: list[Event] = []
        dropped: set[int] = set()
        for event in events:
            tok = graph.token(event.anchor)
            if tok is not None and tok.dep == "conj" and tok.head in by_anchor:
                first = by_anchor[tok.head]
                if first.event_type == event.event_type and first.anchor not in dropped:
                    dropped.add(event.anchor)
                    continue
            out.append(event)
        return out


def _intent_type(type_name: str, mode: str | None, modality: str) -> tuple[str, str | None]:
    """The PLOVER type of a declared intention to do `type_name`."""
    quad = EVENT_TYPES[type_name].quad
    if quad <= 2:
        return ("REJECT", None) if modality == "negated" else ("AGREE", None)
    if quad == 4 or type_name == "SANCTION":
        return "THREATEN", COMPLEMENT_MODES["THREATEN"].get(type_name, "violence")
    return type_name, mode


def _stronger(a: str, b: str) -> str:
    return a if MODALITY_RANK[a] >= MODALITY_RANK[b] else b


def _dedupe(mentions: list[Mention]) -> list[Mention]:
    seen: set[tuple[int, int, str | None]] = set()
    out = []
    for m in mentions:
        key = (m.actor.start, m.actor.end, m.actor.name)
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


def _unique(actors) -> tuple[Actor, ...]:
    out: list[Actor] = []
    for a in actors:
        if a not in out:
            out.append(a)
    return tuple(out)
