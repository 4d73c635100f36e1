"""Modality: whether an event happened, will, might, or did not; and declared intentions.

The cues are the project's data (data/modality.yaml); they are looked for on the trigger, its
light verb, and the words that govern it through complement clauses.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

from ..lexicon import load_words_yaml
from ..ontology import EVENT_TYPES
from ..records import Token
from .event_candidates import COMPLEMENT_MODES, Candidate
from .sentence_graph import SentenceGraph

REPORTING = frozenset({"say", "tell", "announce", "add", "state", "confirm", "insist", "warn", "promise", "report", "write", "declare"})
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
    doing_verbs: frozenset[str] = frozenset()


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
        doing_verbs=frozenset(str(w) for w in data.get("doing_verbs", ())),
    )


def modality_of(graph: SentenceGraph, cand: Candidate, cues: ModalityCues) -> str:
    """asserted, future, hypothetical or negated, from the trigger and the words governing it."""
    found = "asserted"
    chain = graph.governing_chain(cand.governor.i, include_subject_heads=cand.entry.pos == "noun")
    own = [(cand.token, "")] + ([(cand.governor, "")] if cand.governor is not cand.token else [])
    reported_past = any(via == "ccomp" and node.tag == "VBD" and node.lemma.lower() in REPORTING for node, via in chain)
    for node, via in own + chain:
        # The lemmatizer is unreliable on rare participles ("slated" -> "slat"): try the word too.
        word = cues.governors.get(node.lemma.lower()) or cues.governors.get(node.text.lower())
        # A conjoined sibling shares auxiliaries and negation, not the verb's meaning:
        # "denied involvement and blamed the army" does not deny the blaming.
        if via and via != "conj" and word:
            found = stronger(found, word)
        for child in graph.children(node.i):
            low = child.text.lower()
            if child.dep == "neg" or (child.dep == "det" and low == "no" and node.pos == "NOUN"):
                found = stronger(found, "negated")
            elif child.dep == "aux" and low in cues.aux:
                value = cues.aux[low]
                if low in ("would", "'d") and reported_past:
                    value = "future"  # "he said he would ask": the future of a past report
                found = stronger(found, value)
            elif child.dep == "aux" and low == "to" and node is not cand.governor:
                pass
            elif child.dep == "amod" and child.lemma.lower() in cues.governors and node is cand.token:
                found = stronger(found, cues.governors[child.lemma.lower()])
            elif child.dep == "mark" and low in cues.conditional:
                found = stronger(found, "hypothetical")
        if node.dep == "advcl" and any(c.dep == "mark" and c.text.lower() in cues.conditional for c in graph.children(node.i)):
            found = stronger(found, "hypothetical")
    return found


def declared_intent(graph: SentenceGraph, cand: Candidate, cues: ModalityCues) -> bool:
    """Is the event announced as the actor's intention ("will", "ready to"), not a schedule?"""
    nodes = [cand.governor] + [n for n, via in graph.governing_chain(cand.governor.i) if via in ("xcomp", "acomp", "prep", "pcomp")
                               or (via == "dobj" and n.lemma.lower() in cues.doing_verbs)]
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


def obligation(graph: SentenceGraph, cand: Candidate, cues: ModalityCues) -> Token | None:
    """The subject of the reporting verb when the event is an obligation it states ("must")."""
    node: Token | None = cand.governor
    if node.pos == "NOUN" and node.dep == "dobj" and (verb := graph.token(node.head)) is not None and verb.pos == "VERB":
        node = verb  # "said the U.N. must maintain sanctions": the duty is the verb's, the noun its content
    obliged = False
    for _ in range(4):
        if node is None:
            return None
        if any(c.dep == "aux" and c.text.lower() in cues.obligation_aux for c in graph.children(node.i)):
            obliged = True
        if node.dep != "xcomp" and node.dep != "acomp":
            break
        node = graph.token(node.head)  # "must be ready to mediate"
        if node is not None and node.lemma.lower() in ("need", "have") and node.pos in ("VERB", "AUX"):
            obliged = True  # "needs to withdraw", "has to stop"
    if not obliged or node is None or node.dep != "ccomp":
        return None
    reporter = graph.token(node.head)
    if reporter is None:
        return None
    subject, passive = graph.subject_of(reporter.i)
    if subject is None or passive or not graph.mentions_for(subject):
        return None
    return subject


def intent_type(type_name: str, mode: str | None, modality: str) -> tuple[str, str | None]:
    """The PLOVER type of a declared intention to do `type_name`."""
    quad = EVENT_TYPES[type_name].quad
    if quad <= 2:
        return ("REJECT", None) if modality == "negated" else ("AGREE", None)
    if quad == 4 or type_name == "SANCTION":
        return "THREATEN", COMPLEMENT_MODES["THREATEN"].get(type_name, "violence")
    return type_name, mode


def stronger(a: str, b: str) -> str:
    return a if MODALITY_RANK[a] >= MODALITY_RANK[b] else b
