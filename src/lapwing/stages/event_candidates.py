"""Trigger candidates of a sentence, and the folding that makes one happening one event.

A verb or noun whose lemma and constraints match the lexicon is a candidate. A noun under a light
verb takes the verb's roles ("held talks"); a nominal trigger that is the object of a trigger verb,
the complement of a control verb ("threatened to attack") and anything inside it, a purpose clause,
a condition and a same-type consequence are the content of the event that holds them.
"""

from __future__ import annotations

import dataclasses

from ..lexicon import Entry, Lexicon
from ..ontology import EVENT_TYPES
from ..records import Mention, Token
from .sentence_graph import SentenceGraph

# Complement verbs of a control trigger give REQUEST/REJECT/THREATEN their PLOVER mode.
COMPLEMENT_MODES = {
    "REQUEST": {"AID": "assist", "CONSULT": "meet", "RETREAT": "yield", "CONCEDE": "yield"},
    "REJECT": {"AID": "assist", "CONSULT": "meet", "RETREAT": "yield", "CONCEDE": "yield"},
    "THREATEN": {"ASSAULT": "violence", "MOBILIZE": "violence", "SANCTION": "relations", "COERCE": "restrict"},
}
# Types whose "of"/"for" complement is the allegation or reason, not an event of its own.
REASON_TYPES = frozenset({"ACCUSE", "SUPPORT", "COERCE", "SANCTION", "REJECT"})
# Prepositions that introduce an event's content ("called for a ceasefire", "talks on the release").
CONTENT_PREPS = frozenset({"for", "of", "on", "upon", "over", "about", "to", "against"})


# Nouns of taking part whose possessor is the actor of the event they are "in".
FRAME_NOUNS = frozenset({"involvement", "participation", "role", "engagement", "part"})
# Nouns that count or group events: "a series of warnings", "a new round of talks".
WRAPPER_NOUNS = frozenset({"series", "wave", "spate", "round", "string", "flurry", "barrage", "volley", "number", "set", "raft", "slew", "host",
                           "minute", "hour", "day", "week", "month", "year"})  # "led eight hours of talks"


@dataclasses.dataclass(slots=True)
class Candidate:
    """A trigger being considered; mutable while the sentence's candidates are folded."""

    token: Token
    entry: Entry
    governor: Token  # the verb whose roles the event takes (the trigger itself, or a light verb)
    folded_into: int | None = None  # token index of the trigger whose content this is
    mode: str | None = None
    content: list[Candidate] = dataclasses.field(default_factory=list)  # folded complements
    conditional: bool = False  # an if/unless clause hangs on it
    parties: list[Mention] = dataclasses.field(default_factory=list)  # "between A and B"


# Verbs that also report speech: after a quote, with the speaker after them ("“...,” agreed
# Polat Sayim"), they say who spoke, not what was done.
_REPORTING_USE = frozenset({"agree", "add", "note", "concede", "admit", "acknowledge", "insist", "explain",
                            "argue", "recall", "counter", "reply", "respond", "complain", "urge", "plead"})
# Verbs of a standing position: in the plain present they state a stance ("The group opposes
# Chinese investment"), not a happening.
_STANCE_VERBS = frozenset({"oppose", "favor", "favour"})


def _reports_a_quote(graph: SentenceGraph, tok: Token) -> bool:
    if tok.lemma.lower() not in _REPORTING_USE:
        return False
    kids = graph.children(tok.i)
    inverted = any(c.dep == "nsubj" and c.i > tok.i for c in kids)
    quoted = any(c.dep in ("ccomp", "parataxis") and c.i < tok.i for c in kids)
    return inverted and quoted


# Adverbs of habit: "mainly targets security vehicles" tells what a group does, not what it did.
_HABITUAL = frozenset({"mainly", "usually", "often", "routinely", "regularly", "frequently", "typically",
                       "generally", "always", "normally", "habitually", "commonly", "mostly", "constantly",
                       "consistently", "continually", "persistently", "seldom", "rarely"})
# Those that make a past tense a habit too: "seldom criticized China" tells of no criticism. (Not
# "routinely beat up detainees": the PLOVER gold codes that one, told in the past, as an assault.)
_PAST_HABITUAL = frozenset({"seldom", "rarely"})
_SPANS = frozenset({"years", "decades", "months", "generations", "centuries"})


def _standing_position(graph: SentenceGraph, tok: Token) -> bool:
    """A stance or a habit, not a happening: "The group opposes Chinese investment", "mainly
    targets our security vehicles", "has been targeted over her work for years"."""
    kids = graph.children(tok.i)
    auxes = {c.lemma.lower() for c in kids if c.dep in ("aux", "auxpass")}
    present = tok.tag in ("VBZ", "VBP") and not auxes
    if present and tok.lemma.lower() in _STANCE_VERBS:
        return True
    habit = any(c.dep == "advmod" and c.text.lower() in _HABITUAL for c in kids)
    if tok.tag == "VBD" and not auxes and any(c.dep == "advmod" and c.text.lower() in _PAST_HABITUAL for c in kids):
        return True
    passive = [c for c in kids if c.dep == "auxpass"]
    perfect = any(c.dep == "aux" and c.lemma.lower() == "have" and c.tag in ("VBZ", "VBP") for c in kids)
    if habit and (present or perfect or (passive and all(c.tag in ("VBZ", "VBP") for c in passive))):
        # "mainly targets", "We have consistently urged", "is usually deported": what is done, not what was
        return True
    if tok.tag == "VBN" and passive and all(c.tag in ("VBZ", "VBP") for c in passive) and not (auxes - {"be"}) \
            and any(c.dep == "agent" for c in kids):
        return True  # "Both vessels are sanctioned by the Treasury", "is threatened by": a state
    # "has been targeted ... for years": the present perfect over years is a condition
    return "have" in auxes and any(
        c.dep == "prep" and c.text.lower() == "for" and any(o.text.lower() in _SPANS for o in graph.pobjs(c.i))
        for c in kids
    )


# Verbs of belief: what they hold about the future is someone's guess, not an event (codebook).
_BELIEF_VERBS = frozenset({"believe", "think", "guess", "speculate", "suspect", "predict", "reckon", "doubt", "imagine", "assume"})
_GUESSING_AUX = frozenset({"will", "would", "could", "may", "might", "'ll", "wo"})


def _speculated(graph: SentenceGraph, tok: Token) -> bool:
    """Is the act what someone believes will or could happen ("believes leaders from the U.S. and
    China will meet at some point", "thinks Moscow could strike again")?"""
    node = tok
    for _ in range(3):
        if any(c.dep == "aux" and c.text.lower() in _GUESSING_AUX for c in graph.children(node.i)):
            break
        if node.dep != "xcomp":
            return False
        node = graph.token(node.head)  # "will try to meet": the guess is on the governing verb
        if node is None:
            return False
    else:
        return False
    head = graph.token(node.head)
    return node.dep == "ccomp" and head is not None and head.lemma.lower() in _BELIEF_VERBS


def _not_done(graph: SentenceGraph, tok: Token) -> bool:
    """Is the act named as what was not done ("instead of calling for", "rather than attacking"),
    or as a state of mind ("Encouraged by the reception, ...")?"""
    if tok.dep == "pcomp":
        prep = graph.token(tok.head)
        if prep is not None and any(c.text.lower() in ("instead", "rather") for c in graph.children(prep.i)):
            return True
    return tok.tag == "VBN" and tok.dep == "advcl" and tok.i < tok.head and any(
        c.dep == "agent" for c in graph.children(tok.i)
    ) and tok.lemma.lower() in ("encourage", "embolden", "inspire", "motivate", "prompt", "alarm", "anger", "frustrate")


# People named by what they deal with ("sanctions experts", "aid monitors"), when no actor reads them.
_WHO_NOUNS = frozenset({"expert", "monitor", "inspector", "investigator", "worker", "alien", "analyst", "observer",
                        "panel", "team", "negotiator", "coordinator", "specialist", "researcher", "lawyer", "advocate"})
# Nouns of a long-running state a trigger noun may modify ("the tariff war", "a tit-for-tat tariff
# fight", "the AI race"): the compound names the contest, not one act in it.
_CONTEST_NOUNS = frozenset({"war", "fight", "battle", "dispute", "row", "feud", "spat", "standoff", "tension",
                            "rivalry", "race", "saga"})
_NAMING_VERBS = frozenset({"call", "describe", "term", "dub", "label", "brand", "characterize", "characterise", "name"})
_REFLEXIVES = frozenset({"itself", "themselves", "himself", "herself"})


def _names_something(graph: SentenceGraph, tok: Token) -> bool:
    """A naming, not a characterisation made to someone: "a cell calling itself the Lions",
    "celebrated what they called a victory", "sending what officials described as aliens",
    "a militia called the anti-Balaka fought back" (the parser's verb for the named one)."""
    if tok.lemma.lower() not in _NAMING_VERBS:
        return False
    for c in graph.children(tok.i):
        if c.dep in ("dobj", "nsubjpass") and (c.text.lower() in _REFLEXIVES or (c.tag == "WP" and c.i < tok.i)):
            return True
        if c.dep == "oprd" and c.pos == "VERB" and any(g.dep in ("nsubj", "nsubjpass") for g in graph.children(c.i)):
            return True
    return False


_BACKING_VERBS = frozenset({"back", "support", "fund", "finance", "sponsor", "arm", "train", "equip"})


_HEDGES = frozenset({"allege", "suspect", "accuse", "purport", "claim", "report", "presume"})


def _hedges_a_noun(tok: Token) -> bool:
    """ "the alleged violations", "a suspected militant": a hedge on a noun, nobody's accusation."""
    return tok.dep == "amod" and tok.lemma.lower() in _HEDGES


def _describes_backing(graph: SentenceGraph, tok: Token) -> bool:
    """ "soldiers backed by African Union troops": who stands behind an actor describes it."""
    return tok.dep == "acl" and tok.tag == "VBN" and tok.lemma.lower() in _BACKING_VERBS


def _temporal(graph: SentenceGraph, prep: Token) -> bool:
    """Does this preposition only place the act in time ("on Monday", "in March")?"""
    objs = graph.pobjs(prep.i)
    return bool(objs) and all(o.ent_type in ("DATE", "TIME") for o in objs)


_WH = frozenset({"what", "who", "whom", "whose", "which", "why", "how", "where", "when", "whether", "if"})


def _question(graph: SentenceGraph, clause: Token) -> bool:
    """Is this complement clause a question ("whether he might back off", "what he wants")?"""
    return any(
        c.text.lower() in _WH and c.dep in ("mark", "dobj", "nsubj", "nsubjpass", "advmod", "attr", "det")
        for c in graph.children(clause.i)
    ) or any(
        c.dep in ("dobj", "nsubj", "attr") and any(g.text.lower() in _WH and g.dep == "det" for g in graph.children(c.i))
        for c in graph.children(clause.i)
    )


def for_clause(graph: SentenceGraph, tok: Token) -> bool:
    """Is `tok` a "for X to do" clause ("called for Russia to reciprocate"), parsed as advcl + mark?"""
    return tok.dep == "advcl" and any(c.dep == "mark" and c.text.lower() == "for" for c in graph.children(tok.i))


FUTURE_AUX = frozenset({"will", "would", "'ll", "shall"})
# Acts that are happenings of their own when a condemnation names who did them.
_DONE_ACTS = frozenset({"ASSAULT", "COERCE", "MOBILIZE"})
# A warning of what the speaker itself could do is a threat too ("warned it could turn to Russia").
_PROMISE_AUX = FUTURE_AUX | {"could", "might", "may"}
SELF_PRONOUNS = frozenset({"i", "we"})


def self_promise(graph: SentenceGraph, tok: Token) -> bool:
    """Does the verb report what its own subject will do ("warned that it will continue to exert
    pressure", "warned we would respond")? Then a warning is a threat, whatever the act."""
    subject, passive = graph.subject_of(tok.i)
    if subject is None or passive:
        return False
    own = {m.actor.country for m in graph.mentions_for(subject) if m.actor.country} | {subject.text.lower()}
    for clause in graph.children(tok.i):
        if clause.dep != "ccomp" or not any(c.dep == "aux" and c.text.lower() in _PROMISE_AUX for c in graph.children(clause.i)):
            continue
        inner = graph.own_subject(clause.i)
        if inner is None:
            continue
        if inner.text.lower() in SELF_PRONOUNS:
            return True
        theirs = {m.actor.country for m in graph.mentions_for(inner) if m.actor.country} | {inner.text.lower()}
        if inner.pos == "PRON" and own & theirs:
            return True
    return False


def predicate_of(graph: SentenceGraph, tok: Token) -> Token | None:
    """What a verb of characterising says its object is: "called the ruling [arbitrary]",
    "described the jailbreak [as deplorable]", "dismissed the findings [as propaganda]"."""
    if tok.tag == "VBN" and tok.dep in ("acl", "amod"):
        return None  # "a group called Hamas" names, it does not characterise
    kids = graph.children(tok.i)
    for c in kids:
        if c.dep == "oprd":
            return c
        if c.dep == "advcl" and c.i > tok.i and any(m.dep in ("mark", "advmod") and m.text.lower() == "as" and m.i < c.i for m in graph.children(c.i)):
            return c  # "dismissed as baseless", "as controlled by the West": the parser makes "as" a clause mark
    obj = next((c for c in kids if c.dep == "dobj"), None)
    for holder in [tok] + ([obj] if obj is not None else []):
        for c in graph.children(holder.i):
            if c.dep == "prep" and c.text.lower() == "as" and graph.children(c.i):
                return c
            if holder is obj and c.dep == "amod" and c.pos == "ADJ" and c.i > obj.i:
                return c  # "called Ford's comments egregious": an adjective after its noun is the predicate
    return None


# Links into what a speaker says: "said [Iran is defying ...]", "[“It is illegal,”] he said".
_SAID = ("ccomp", "parataxis")
_NOT_SAID = frozenset({"relcl", "advcl", "acl", "appos", "ccomp", "parataxis"})


def condemns(graph: SentenceGraph, verb: Token, lexicon: Lexicon) -> list[Token] | None:
    """What this speech verb reports, if it condemns someone: "said the detention is arbitrary",
    "wrote that Iran is flagrantly defying the Council", "“This case is not legal,” Duale said".
    Returns the path from the reported clause down to the condemning word. Clauses nested in what
    is said (what others did or said) are not read, nor a condemning word that is negated."""
    roots = [c for c in graph.children(verb.i) if c.dep in _SAID]
    head = graph.token(verb.head)
    if verb.dep in _SAID and head is not None and head.i != verb.i and head.i < verb.i:
        roots.append(head)  # the quote came first and the parser hung "he said" on it
    for root in roots:
        stack = [(root, [root])]
        while stack:
            tok, path = stack.pop()
            lemma = tok.lemma.lower()
            if lemma in lexicon.condemnation_words or tok.text.lower() in lexicon.condemnation_words:
                dismay = lemma in _DISMAY or tok.text.lower() in _DISMAY
                if not _negated(graph, tok) and (not dismay or _dismay_at(graph, tok)) and not _supposed(graph, path):
                    return path  # "would not be that provocative" condemns nothing
            elif lemma in lexicon.condemned_when_negated and _negated(graph, tok):
                return path
            for c in graph.children(tok.i):
                if c.i == verb.i or c.dep in _NOT_SAID and not (c.dep == "ccomp" and not _speech(lexicon, tok)):
                    continue  # "we have to understand [that Putin is the aggressor]" is read; "others said [...]" is not
                stack.append((c, path + [c]))
    return None


_SUPPOSING = frozenset({"could", "might", "may", "if"})  # "would" is often a reported "will"


def _supposed(graph: SentenceGraph, path: list[Token]) -> bool:
    """Is the condemning word inside what is only supposed ("a provocation could end the talks",
    "he may tease the U.S. by defying it"): a scenario weighed, not a charge made?"""
    return any(
        c.dep in ("aux", "mark") and c.text.lower() in _SUPPOSING for t in path if t.pos in ("VERB", "AUX")
        for c in graph.children(t.i)
    )


_OBLIGATION = frozenset({"must", "should", "ought"})
# The speaker's own dismay condemns only someone it is about ("concerned about Dodik's actions"),
# not a mood ("we are very concerned") or a prospect ("concerned that a crisis could develop").
_DISMAY = frozenset({"concerned", "disappointed", "alarmed", "dismayed", "appalled", "outraged", "horrified",
                     "worried", "troubled"})
_DISMAY_PREPS = frozenset({"about", "by", "with", "at", "over", "for"})


def _dismay_at(graph: SentenceGraph, word: Token) -> bool:
    """Is the dismay about something done ("disappointed by the approval", "concerned about X's
    actions") or someone, not a bare mood or a prospect?"""
    kids = graph.children(word.i)
    return any(c.dep == "prep" and c.text.lower() in _DISMAY_PREPS for c in kids) or _names_a_party(graph, word)


def _names_a_party(graph: SentenceGraph, word: Token) -> bool:
    """Does anything below `word` (five levels) name an actor?"""
    frontier = list(graph.children(word.i))
    for _ in range(5):
        if any(graph.mentions_for(t) for t in frontier):
            return True
        frontier = [c for t in frontier for c in graph.children(t.i)]
    return False
_DUTY_VERBS = frozenset({"need", "have"})  # "needs to act", "has to stop"
_SPEAKERS = frozenset({"i", "we", "me", "us"})  # a speaker's own duty is a pledge, not a demand
_ANYONE = frozenset({"each", "every", "any", "everyone", "everybody", "anyone", "anybody", "one", "no"})
# Speakers whose "should" is commentary, not a demand made of a party (codebook: analysis).
_COMMENTATORS = frozenset({"analyst", "observer", "commentator", "columnist", "pundit", "critic"})


def demanded(graph: SentenceGraph, verb: Token) -> Token | None:
    """The verb of a clause this speech verb reports as another party's duty ("said Russia must
    withdraw", "“Washington needs to act,” the senator said"), or None. Its subject is the one asked."""
    speaker = graph.own_subject(verb.i)
    if speaker is not None and speaker.lemma.lower() in _COMMENTATORS:
        return None
    roots = [c for c in graph.children(verb.i) if c.dep in _SAID]
    head = graph.token(verb.head)
    if verb.dep in _SAID and head is not None and head.i != verb.i and head.i < verb.i:
        roots.append(head)  # the quote came first
    for root in roots:
        kids = graph.children(root.i)
        duty = any(c.dep == "aux" and c.text.lower() in _OBLIGATION for c in kids) or (
            root.lemma.lower() in _DUTY_VERBS
            and any(c.dep == "xcomp" and any(m.text.lower() == "to" for m in graph.children(c.i)) for c in kids)
        )
        subject = graph.own_subject(root.i)
        if not duty or subject is None or subject.dep != "nsubj" or subject.text.lower() in _SPEAKERS:
            continue
        if subject.text.lower() in _ANYONE or any(
            c.dep == "det" and c.text.lower() in _ANYONE for c in graph.children(subject.i)
        ):
            continue  # "each company must fend for itself": a rule of no one in particular
        if graph.mentions_for(subject):
            return root
    return None


def _demands(graph: SentenceGraph, root: Token) -> bool:
    return any(c.dep == "aux" and c.text.lower() in _OBLIGATION for c in graph.children(root.i))


def _governed_within(graph: SentenceGraph, i: int, root: int) -> bool:
    """Is token `i` inside the clause of `root`, through complements and objects only?"""
    tok = graph.token(i)
    for _ in range(4):
        if tok is None or tok.head == tok.i or tok.dep not in ("xcomp", "dobj", "pobj", "prep", "conj"):
            return False
        if tok.head == root:
            return True
        tok = graph.token(tok.head)
    return False


def _speech(lexicon: Lexicon, tok: Token) -> bool:
    return any(e.needs_condemnation for e in lexicon.lookup("verb", tok.lemma.lower()))


def _negated(graph: SentenceGraph, tok: Token) -> bool:
    """Is the word negated, itself or through its copula ("is not legal", "not acceptable")?"""
    holders = [tok]
    for _ in range(2):  # "would not be that provocative a step": the copula above the noun is negated
        h = graph.token(holders[-1].head)
        link = holders[-1].dep
        if h is None or h.i == holders[-1].i or not (link in ("acomp", "attr", "conj", "amod") or (link == "ccomp" and h.lemma.lower() == "be")):
            break
        holders.append(h)
    return any(c.dep == "neg" for t in holders for c in graph.children(t.i))


class CandidateFinder:
    """Finds and folds the trigger candidates of a sentence."""

    def __init__(self, lexicon: Lexicon, conditional_marks: frozenset[str]) -> None:
        self.lexicon = lexicon
        self.conditional_marks = conditional_marks

    def find(self, graph: SentenceGraph) -> list[Candidate]:
        """The candidates of one sentence that stand as events of their own."""
        candidates: dict[int, Candidate] = {}
        for tok in graph.tokens:
            entry = self._match(graph, tok)
            if entry is not None:
                candidates[tok.i] = Candidate(tok, entry, tok, mode=entry.mode)
        for i in [i for i, c in candidates.items() if c.entry.pos == "noun" and c.token.dep in ("compound", "nmod")]:
            head = graph.token(candidates[i].token.head)
            if head is not None and head.pos == "NOUN" and head.i not in candidates \
                    and (head.lemma.lower() in _WHO_NOUNS | _CONTEST_NOUNS or any(m.head == head.i for m in graph.mentions_for(head))):
                del candidates[i]  # "sanctions experts", "aid workers": who they are; "the tariff war": a contest
        for i in [i for i, c in candidates.items() if c.entry.pos == "verb" and c.token.dep == "amod" and c.token.tag == "VBG"]:
            head = graph.token(candidates[i].token.head)
            if head is not None and head.i not in candidates and any(m.head == head.i for m in graph.mentions_for(head)):
                del candidates[i]  # "striking dockworkers", "warring factions": it says who they are
        if not candidates:
            return []
        for i in [i for i, c in candidates.items() if c.entry.needs_condemnation]:
            path = condemns(graph, candidates[i].token, self.lexicon) or []
            if any(t.i in candidates and t.i != i for t in path[:-1]) or (path and _demands(graph, path[0])):
                # "said: we reject the baseless allegations": the rejection is the act; "declared that
                # China must drop its unfair barriers": a demand, coded as such
                del candidates[i]
        for i in [i for i, c in candidates.items() if c.entry.needs_demand]:
            root = demanded(graph, candidates[i].token)
            if root is not None and any(j != i and (j == root.i or _governed_within(graph, j, root.i)) for j in candidates):
                del candidates[i]  # "said Russia must withdraw": the withdrawal, demanded, is the REQUEST
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
        for i in [i for i, c in candidates.items() if c.entry.pos == "noun" and c.governor.pos in ("VERB", "AUX")
                  and c.governor is not c.token and (_standing_position(graph, c.governor) or _speculated(graph, c.governor))]:
            del candidates[i]  # "frequently conducts bombings": the light verb's habit is the noun's
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
                and any(c.dep == "mark" and c.text.lower() in self.conditional_marks for c in graph.children(cand.token.i))
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
            head = candidates.get(cand.token.head)
            if (
                cand.folded_into is None and head is not None and head is not cand
                and cand.token.dep in ("relcl", "conj") and head.entry.event_type == cand.entry.event_type
                and (cand.token.dep == "relcl" or head.folded_into is not None)
            ):
                # "a bombing that killed 11", "killing one and injuring four": one happening.
                root = head
                while root.folded_into is not None and root.folded_into in candidates:
                    root = candidates[root.folded_into]
                cand.folded_into = root.token.i
                root.content.append(cand)
        for cand in candidates.values():
            if cand.folded_into is None:
                outer = self._enclosing_content(graph, cand, candidates)
                if outer is not None:
                    cand.folded_into = outer.token.i
        return [
            c for c in candidates.values()
            if c.folded_into is None
            and (not c.entry.needs_content or any(i.entry.event_type for i in c.content) or self_promise(graph, c.token))
        ]

    def _mode_cue(self, graph: SentenceGraph, cand: Candidate) -> str | None:
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
        if not entries and pos == "verb":
            # The lemmatizer fails on rare verbs ("rearrested" -> "rearreste"): try the plain stems.
            word = tok.text.lower()
            for stem in (word[:-2], word[:-1], word[:-3]) if word.endswith(("ed", "es")) else (word[:-3],) if word.endswith("ing") else ():
                entries = self.lexicon.lookup(pos, stem)
                if entries:
                    break
        if not entries:
            return None
        # Only a trigger word pays for these reads of its clause.
        if pos == "verb" and (_reports_a_quote(graph, tok) or _standing_position(graph, tok) or _not_done(graph, tok) or _speculated(graph, tok)
                              or _names_something(graph, tok) or _describes_backing(graph, tok) or _hedges_a_noun(tok)):
            return None
        kids = graph.children(tok.i)
        # A fronted or temporal preposition is no particle: "On Wednesday, Macron called X unbearable"
        # is no "call on".
        particles = {
            c.text.lower() for c in kids
            if c.dep in ("prep", "prt", "agent", "dobj", "advmod", "dative")
            and not (c.dep == "prep" and (c.i < tok.i or _temporal(graph, c)))
        }
        if any(for_clause(graph, c) for c in kids):
            particles.add("for")  # "called for Russia to reciprocate": "for" marks the clause
        obj = graph.object_of(tok.i)
        predicates = [c for c in kids if c.dep == "oprd"]
        if obj is None and len(predicates) > 1:
            obj = predicates[0]  # "called [Pakistan's assertions] [baseless]": the parser makes both oprd
        obj_lemma = obj.lemma.lower() if obj is not None else None
        outer_lemma = None  # "an assessment from the agency released Thursday": the parser may hang
        if obj is not None and tok.dep == "acl" and obj.i == tok.head and obj.dep == "pobj":  # it on the agency
            prep = graph.token(obj.head)
            outer = graph.token(prep.head) if prep is not None and prep.head != prep.i else None
            outer_lemma = outer.lemma.lower() if outer is not None and outer.pos == "NOUN" else None
        obj_lemmas = (
            {obj_lemma} | {c.lemma.lower() for c in graph.children(obj.i) if c.dep in ("conj", "compound", "amod")}
            if obj is not None else {None}
        )  # "martial law" matches "martial"; "aid and fuel" matches "fuel"
        if obj is not None and graph.names_place(obj):
            obj_lemmas = obj_lemmas | {"#place"}  # "retook Lyman": the object names a place
        for c in kids:
            if c.dep == "acomp":  # "pleaded guilty", "pleaded not guilty" (a plea, not a state)
                negated = any(g.dep == "neg" for g in graph.children(c.i))
                obj_lemmas = obj_lemmas | {("not-" if negated else "") + c.lemma.lower()}
        has_complement = any(
            (c.dep in ("xcomp", "ccomp") and not _question(graph, c)) or (c.dep == "prep" and c.text.lower() == "for")
            or for_clause(graph, c) for c in kids
        ) or any(  # "asked Trump for sanctions relief": the parser hangs the "for" on the one asked
            c.dep == "prep" and c.text.lower() == "for" for o in kids if o.dep == "dobj" for c in graph.children(o.i)
        )  # "asked whether he might back off", "what person has a child, she asked": a question, no request
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
            if entry.not_objects and (obj_lemma in entry.not_objects or outer_lemma in entry.not_objects
                                      or ("#place" in obj_lemmas and "#place" in entry.not_objects)):
                continue
            if entry.needs_complement and not has_complement:
                continue
            if entry.needs_predicate and predicate_of(graph, tok) is None:
                continue
            if entry.needs_condemnation and condemns(graph, tok, self.lexicon) is None:
                continue
            if entry.needs_demand and demanded(graph, tok) is None:
                continue
            if entry.not_with and any(
                o.lemma.lower() in entry.not_with or o.text.lower() in entry.not_with
                or ("#number" in entry.not_with and o.pos == "NUM")
                for c in kids if c.dep == "prep" and c.text.lower() in ("with", "to", "for") for o in graph.pobjs(c.i)
            ):
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
        if noun.dep == "pobj" and head.text.lower() == "of":
            wrapper = graph.token(head.head)
            if wrapper is not None and wrapper.lemma.lower() in WRAPPER_NOUNS and wrapper.i != head.i:
                return self._light_governor(graph, wrapper)  # "issued a series of warnings"
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
            if frame is not None and frame.lemma.lower() in FRAME_NOUNS and any(c.dep == "poss" for c in graph.children(frame.i)):
                return frame  # "its involvement in the mediation efforts": the possessor takes part
        if noun.dep == "dobj" and head.lemma.lower() in self.lexicon.light_preps:
            # "take part in talks" parses with "part" as the object: "talks" hangs off "in".
            return head
        return None

    def _outer_trigger(self, graph: SentenceGraph, cand: Candidate, candidates: dict[int, Candidate]) -> Candidate | None:
        """The trigger this candidate is the content of, if any."""
        tok = cand.governor
        if cand.entry.pos == "verb" and tok.dep == "amod" and tok.head in candidates:
            # "brokering negotiations": a participle on a noun trigger describes that event.
            outer = candidates[tok.head]
            if outer.entry.event_type == cand.entry.event_type and outer.folded_into is None:
                return outer
        if cand.entry.pos == "verb" or cand.governor.pos != "NOUN":
            # Complement clause of a control verb: "agreed to release", "urged X to withdraw".
            if (tok.dep in ("xcomp", "ccomp", "acl") or for_clause(graph, tok)) and tok.head in candidates:
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
                if outer.entry.event_type == "ACCUSE" and cand.entry.event_type in _DONE_ACTS and not path \
                        and any(c.dep == "poss" and graph.mentions_for(c) for c in graph.children(tok.i)):
                    return None  # "condemned Russia's invasion of Ukraine": the invasion is a happening too
                prep = next((n for n in path if n.dep == "prep"), None)
                # "killed in an airstrike" is one event; "in a call, both agreed" is two.
                if (
                    prep is not None and prep.text.lower() not in CONTENT_PREPS
                    and outer.entry.event_type != cand.entry.event_type
                ):
                    return None
                return outer
            if parent.pos == "VERB":
                return None
            path.append(parent)
            node = parent
        return None

    def _enclosing_content(self, graph: SentenceGraph, cand: Candidate, candidates: dict[int, Candidate]) -> Candidate | None:
        """The control trigger whose complement clause holds this candidate, however deep.

        "urged both sides to demonstrate commitment in the negotiations": the commitment and
        the negotiations are what is urged, not events of their own.
        """
        node = cand.governor
        via = ""
        prev = node
        for _ in range(8):
            if node.head == node.i:
                return None
            prev = node
            via, node = node.dep, graph.token(node.head)
            if node is None:
                return None
            if via == "advcl" and graph.own_subject(prev.i) is not None:
                return None  # "warned it will continue ..., as Tehran rejected its offer": a clause of its own
            other = candidates.get(node.i)
            if other is None or other is cand:
                continue
            if via == "prep" and prev.text.lower() in ("of", "for") and other.entry.event_type in REASON_TYPES:
                return other  # "accused X of carrying out the attack", "arrested for protesting"
            if other.folded_into is not None and other.folded_into in candidates:
                outer = candidates[other.folded_into]
                return outer if outer.entry.control else None
            if other.entry.control and (via in ("xcomp", "ccomp") or for_clause(graph, prev)):
                return other
            return None
        return None

    def _absorb(self, outer: Candidate, inner: Candidate) -> None:
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
