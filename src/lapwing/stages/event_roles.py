"""Who acts and who is acted on: an event's roles from the dependency parse.

Subject (own or inherited), passive agent, object and prepositions give actors and recipients,
expanded over coordination and resolved to the doc's actor mentions. When a trigger names no
recipient, fallbacks look where news puts one: the subject of a reported clause, the agent of a
nominal object, the objects inside a promised or threatened act, a purpose clause.
"""

from __future__ import annotations

from ..ontology import EVENT_TYPES
from ..records import Actor, Mention, Token
from .event_candidates import Candidate, demanded, for_clause
from .places import MOVING_NOUNS
from .sentence_graph import SentenceGraph

# Prepositions whose object is the one acted on; "between" makes joint actors.
RECIPIENT_PREPS = frozenset({"with", "against", "on", "upon", "at", "to", "toward", "towards", "into", "from", "including"})
# Meetings named after where they are held ("the Geneva talks").
_VENUE_TYPES = frozenset({"CONSULT", "AGREE"})
# Prepositions that aim an act at its object ("sanctions on", "a war against").
_AIMED_PREPS = frozenset({"against", "on", "upon", "toward", "towards"})
# Prepositions after which a place is where the event happened, not a participant.
PLACE_PREPS = frozenset({"in", "at", "near", "inside", "outside", "across", "throughout", "around"})
# Nouns that end or resume an act: the act's parties are whom a call for it is aimed at.
_ENDINGS = frozenset({"end", "halt", "stop", "cessation", "resumption", "easing", "de-escalation"})
# Verbs whose past-participle complement is done to their subject ("stand accused", "remain detained").
_PASSIVE_HOSTS = frozenset({"stand", "remain", "get", "become", "stay", "go"})
# Gatherings at which something is said or done: "at a meeting" is when and where, not at whom.
_OCCASIONS = frozenset({
    "meeting", "summit", "conference", "session", "hearing", "forum", "event", "ceremony", "rally",
    "gathering", "briefing", "assembly", "convention", "congress", "talk", "dialogue", "debate",
})
# Types aimed at someone: the subject of their reported clause is that someone.
DIRECTED_TYPES = frozenset({"REQUEST", "ACCUSE", "REJECT", "THREATEN", "SUPPORT"})


def find_roles(graph: SentenceGraph, cand: Candidate) -> tuple[list[Mention], list[Mention]]:
    """Actors and recipients of a candidate event, resolved to the doc's actor mentions."""
    actors: list[Mention] = []
    recipients: list[Mention] = []
    gov = cand.governor
    noun = cand.token if cand.entry.pos == "noun" else None
    nouns = [] if noun is None else [noun] + ([gov] if gov.pos == "NOUN" and gov is not noun else [])
    # Subjects: the governor's own, or inherited through xcomp/conj/advcl chains.
    subject, passive = graph.subject_of(gov.i)
    if gov.tag == "VBN" and gov.dep in ("xcomp", "advcl", "acomp", "oprd") and (up := graph.token(gov.head)) is not None \
            and up.lemma.lower() in _PASSIVE_HOSTS:
        passive = True  # "stand accused of", "remain detained": the subject undergoes the act
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
            _prep_roles(graph, child, actors, recipients, cand)
    if noun is None and not any(c.dep in ("dobj", "dative") for c in graph.children(gov.i)):
        # "killed and injured dozens of fighters", "arrested and charged three activists": the
        # object the parser hung on the next verb of the pair is this verb's too.
        for conj in graph.children(gov.i):
            if conj.dep == "conj" and conj.pos == "VERB" and conj.i == gov.i + 2 and graph.own_subject(conj.i) is None:
                for child in graph.children(conj.i):
                    if child.dep == "dobj":
                        recipients.extend(graph.mentions_for(child))
    for node in nouns:
        # "Dodik's arrest": the possessor is arrested; "Boko Haram's abduction of the girls": it abducts.
        has_of_object = any(c.dep == "prep" and c.text.lower() == "of" for c in graph.children(node.i))
        for child in graph.children(node.i):
            if child.dep == "poss" and cand.entry.poss_is_patient and not has_of_object:
                recipients.extend(graph.mentions_for(child))  # "Dodik's arrest"
            elif child.dep == "poss" or (child.dep in ("amod", "compound", "nmod") and child.ent_type in ("NORP", "GPE", "ORG", "PERSON")):
                found = graph.mentions_for(child)
                if child.dep == "compound" and cand.entry.event_type in _VENUE_TYPES:
                    # "the Singapore summit", "the Doha talks": the place they were held, not a party.
                    found = [m for m in found if not graph.is_place(m)]
                actors.extend(found)
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
                    _prep_roles(graph, child, actors, recipients, cand)
    if noun is not None and gov is noun and noun.dep == "dobj" and (carrier := graph.token(noun.head)) is not None:
        # "spearheaded the offensive against Assad's leadership": the carrying verb holds the target
        for child in graph.children(carrier.i):
            if child.dep == "prep" and child.i > noun.i and child.text.lower() in _AIMED_PREPS:
                _prep_roles(graph, child, actors, recipients, cand)
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
    if cand.entry.needs_predicate and not recipients and not any(c.dep == "dobj" for c in graph.children(gov.i)):
        # "called [Canada] [one of the highest tariffing nations]", "called [the EU move] ...": the
        # parser makes the one characterised a second predicate.
        for c in graph.children(gov.i):
            if c.dep == "oprd" and c.i > gov.i:
                recipients.extend(graph.mentions_for(c) or graph.argument_mentions(c.i))
                break
    if cand.entry.needs_condemnation:
        recipients = []  # "told reporters that Iran is defying ...": the audience is not the one condemned
    if cand.entry.needs_demand and (root := demanded(graph, gov)) is not None:
        subject = graph.own_subject(root.i)
        recipients = graph.mentions_for(subject) if subject is not None else []  # the one asked, not the audience
    if not recipients and cand.entry.event_type in DIRECTED_TYPES:
        # "demanded that Pyongyang abandon ...": the reported clause's subject is the target.
        clauses = [c for c in graph.children(gov.i) if c.dep == "ccomp" or for_clause(graph, c)]
        for obj in graph.children(gov.i):
            if obj.dep == "dobj" and not graph.mentions_for(obj):
                # "welcomed the announcement [that Ukraine had agreed ...]": the clause says whose act
                clauses += [c for c in graph.children(obj.i) if c.dep in ("acl", "ccomp")
                            and any(m.dep == "mark" and m.text.lower() == "that" for m in graph.children(c.i))]
        for child in clauses:
            subject = graph.own_subject(child.i)
            if subject is not None and not (subject.pos == "PRON" and _same_parties(graph.mentions_for(subject), actors)):
                # "warned that it will ...": the actor speaking of itself is not its own target.
                found = graph.mentions_for(subject)
                if not found and subject.pos in ("NOUN", "VERB"):
                    # "warned that expanding cooperation between Russia and North Korea is
                    # dangerous": the clause's subject is an act; its parties are the ones warned of.
                    acts = [subject] + [c for c in graph.children(subject.i) if c.dep == "dobj" and subject.pos == "VERB"]
                    found = [m for act in acts for m in (*graph.argument_mentions(act.i), *_between_parties(graph, act))]
                if not found and cand.entry.event_type == "ACCUSE":
                    # "the claim that the attack was orchestrated by militants": the agent is blamed
                    found = [m for a in graph.children(child.i) if a.dep == "agent"
                             for p in graph.pobjs(a.i) for m in graph.mentions_for(p)]
                recipients.extend(found)
    content_tokens = {inner.token.i for inner in cand.content}
    if not recipients:
        # "rejected calls by Belarus's rulers", "demanded the withdrawal of Serbian forces":
        # the object names an act; its agent or theme is who the event is aimed at.
        for child in graph.children(gov.i):
            if child.dep in ("dobj", "nsubjpass") and child is not noun and not graph.mentions_for(child):
                # a threat's object is the act threatened: "threatened retaliation against Washington"
                directed = child.i in content_tokens or cand.entry.event_type == "THREATEN"
                found = graph.argument_mentions(child.i, directed=directed)
                if not found and child.lemma.lower() in _ENDINGS:
                    # "urged an end to the tariff fight between the U.S. and Europe": the parties
                    # of the act to be ended
                    acts = [p for c in graph.children(child.i) if c.dep == "prep" and c.text.lower() in ("to", "of")
                            for p in graph.pobjs(c.i)]
                    if not acts:  # "urged the end to ...", the "to" hung on the verb
                        acts = [p for c in graph.children(gov.i) if c.dep == "prep" and c.text.lower() == "to" and c.i > child.i
                                for p in graph.pobjs(c.i)]
                    for act in acts:
                        found = graph.argument_mentions(act.i) + _between_parties(graph, act)
                recipients.extend(found)
    if not recipients:
        # "staged a hunger strike to protest against Sweden's decision": the purpose names the target.
        for inner in cand.content:
            if inner.entry.pos == "verb" and inner.token.dep in ("advcl", "xcomp") and not cand.entry.control:
                for obj in [inner.token, *graph.clause_objects(inner.token.i, RECIPIENT_PREPS | {"for"})]:
                    if obj is inner.token:
                        continue
                    recipients.extend(graph.mentions_for(obj) or graph.argument_mentions(obj.i))
    if not recipients and cand.entry.event_type in _RESTRICTING:
        # "tightened restrictions on travel from India", "banned imports from Europe": whence the
        # people or goods restricted come.
        recipients.extend(_origins(graph, gov))
    if not recipients and cand.entry.control:
        # "threatened to attack Israel", "promised to continue aid to Mozambique": who the
        # promised or threatened act is aimed at.
        for child in graph.children(gov.i):
            if child.dep in ("xcomp", "ccomp") or (child.dep == "acl" and gov.pos == "NOUN") or for_clause(graph, child):
                for obj in graph.clause_objects(child.i, RECIPIENT_PREPS | {"for"}):
                    recipients.extend(graph.mentions_for(obj))
    if not recipients and cand.entry.event_type == "SANCTION" and noun is not None and noun.dep == "dobj":
        # "kept tariffs in place on Mexico, Canada and China": the verb holding the measure aims it;
        # a country named there is the one sanctioned, not where it happened.
        verb = graph.token(noun.head)
        for child in graph.children(verb.i) if verb is not None else ():
            if child.dep == "prep" and child.text.lower() in ("on", "against", "upon"):
                for pobj in graph.pobjs(child.i):
                    recipients.extend(graph.mentions_for(pobj))
    if not recipients and cand.entry.event_type in _HARMING:
        recipients.extend(_target(graph, cand, noun))

    return dedupe(actors), dedupe(recipients)


# Acts whose target is their recipient whatever it is: "ambushed a bus", "closed 12 media outlets".
_HARMING = frozenset({"ASSAULT", "COERCE"})
# Objects that are what is imposed or taken, not whom: "imposed martial law", "seized power".
_NOT_TARGETS = frozenset({
    "power", "control", "law", "measure", "restriction", "curb", "rule", "order", "curfew", "ban", "responsibility",
    "credit", "blame", "part", "role", "step", "action", "effort", "operation", "campaign", "attack", "offensive",
    "fire", "device", "bomb", "weapon", "explosive", "shot", "round", "way", "time", "place", "lead", "charge",
})  # fmt: skip


def _between_parties(graph: SentenceGraph, act: Token) -> list[Mention]:
    """The parties of "a fight (over spirits) between the U.S. and Europe", the "between" hung on
    the act noun or on a noun of its own phrase."""
    found: list[Mention] = []
    frontier = [act]
    for _ in range(2):
        nxt = []
        for tok in frontier:
            for c in graph.children(tok.i):
                if c.dep == "prep" and c.text.lower() == "between":
                    found.extend(m for p in graph.pobjs(c.i) for m in graph.mentions_for(p))
                elif c.dep == "prep":
                    nxt.extend(graph.pobjs(c.i))
        frontier = nxt
    return found


def _target(graph: SentenceGraph, cand: Candidate, noun: Token | None) -> list[Mention]:
    """The words of what an attack or a coercion is done to, when no actor names it ("ambushed a
    bus transporting troops", "closed 12 media outlets", "a crackdown on websites"): the codebook's
    recipient is the one acted on, person or thing; its country is left to the article's context."""
    gov = cand.governor
    if noun is None:
        objects = [c for c in graph.children(gov.i) if c.dep in ("dobj", "nsubjpass") and c.i != gov.i]
        if not objects:  # "fired on the crowd"; an object pronoun left unresolved ends the search
            objects = [p for c in graph.children(gov.i) if c.dep == "prep" and c.text.lower() in ("on", "against", "at")
                       for p in graph.pobjs(c.i)]
    else:
        objects = [p for c in graph.children(noun.i) if c.dep == "prep" and c.text.lower() in _AIMED_PREPS | {"of"}
                   for p in graph.pobjs(c.i)]
    for obj in objects:
        if obj.pos not in ("NOUN", "PROPN") or obj.lemma.lower() in _NOT_TARGETS or graph.names_place(obj) \
                or obj.ent_type in ("DATE", "TIME", "MONEY", "PERCENT", "QUANTITY"):
            continue
        first = min([obj.i] + [c.i for c in graph.children(obj.i) if c.i < obj.i])
        start_tok = graph.token(first)
        if start_tok is None:
            continue
        text = graph.doc_text[start_tok.start : obj.end]
        actor = Actor(text, text, None, None, start_tok.start, obj.end)
        return [Mention(actor, first, obj.i + 1, obj.i, kind="target")]
    return []


_RESTRICTING = frozenset({"SANCTION", "COERCE"})
def _origins(graph: SentenceGraph, gov: Token) -> list[Mention]:
    """Mentions named by "from X" on a moving noun in the verb's object phrase (two levels down)."""
    found: list[Mention] = []
    frontier = [c for c in graph.children(gov.i) if c.dep in ("dobj", "nsubjpass")]
    for _ in range(3):
        nxt = []
        for tok in frontier:
            for c in graph.children(tok.i):
                if c.dep == "prep" and c.text.lower() == "from" and tok.lemma.lower() in MOVING_NOUNS:
                    for pobj in graph.pobjs(c.i):
                        found.extend(graph.mentions_for(pobj))
                elif c.dep == "prep":
                    nxt.extend(graph.pobjs(c.i))
        frontier = nxt
    return found


def _prep_roles(graph: SentenceGraph, prep: Token, actors: list[Mention], recipients: list[Mention], cand: Candidate) -> None:
    word = prep.text.lower()
    if word == "between" or (word == "among" and cand.entry.symmetric):
        for pobj in graph.pobjs(prep.i):
            cand.parties.extend(graph.mentions_for(pobj))
        return
    if word not in RECIPIENT_PREPS:
        return
    if word in ("to", "into") and cand.entry.mode in ("deport", "expel"):
        return  # "deported 173 Uyghurs to Turkey": where they were sent, not who was acted on
    for pobj in graph.pobjs(prep.i):
        if word == "at" and pobj.lemma.lower() in _OCCASIONS:
            continue  # "criticized at a Security Council meeting": the occasion, not the one criticised
        found = graph.mentions_for(pobj)
        if not found and word in _AIMED_PREPS:
            # "the offensive against Assad's leadership", "tariffs on U.S. exports": whose thing is hit.
            found = [m for m in graph.argument_mentions(pobj.i) if m.kind != "place"]
        for mention in found:
            if word in PLACE_PREPS and graph.is_place(mention):
                continue
            recipients.append(mention)

# -- step 4: modality, trigger span, confidence, contexts ---------------------------------------


def _same_parties(these: list[Mention], those: list[Mention]) -> bool:
    """Do the mentions name the same parties (a pronoun and its antecedent)?"""
    def key(m: Mention) -> tuple:
        return (m.actor.country, m.actor.sector) if m.actor.country else (m.actor.name,)
    return bool(these) and {key(m) for m in these} <= {key(m) for m in those}


def dedupe(mentions: list[Mention]) -> list[Mention]:
    seen: set[tuple[int, int, str | None]] = set()
    out = []
    for m in mentions:
        key = (m.actor.start, m.actor.end, m.actor.name)
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out
