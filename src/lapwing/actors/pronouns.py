"""Where a pronoun's antecedent sits in its sentence: the subject of the clause that reports it.

"Syria says it is willing to pull its troops": "it" is the subject of a clause reported by "says",
whose subject is Syria; "its" belongs to "troops", the object of a verb whose subject is that "it".
Only dependency links are read here; the actors stage decides which subject is a fitting actor.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from ..records import Token

THING_PRONOUNS = frozenset({"it", "its"})
PLURAL_PRONOUNS = frozenset({"they", "them", "their"})
POSSESSIVE_PRONOUNS = frozenset({"its", "their"})
# Links through which a clause is governed by another whose subject the pronoun may refer to.
_CLIMB_DEPS = frozenset({"ccomp", "xcomp", "acomp", "conj", "advcl", "pcomp", "prep", "dobj", "pobj", "attr", "oprd"})
# "It seems", "it is likely that": an expletive "it" names no actor.
_EXPLETIVE_VERBS = frozenset({"seem", "appear", "remain", "happen", "take", "rain", "matter"})
_IMPERSONAL = frozenset({
    "likely", "unlikely", "possible", "impossible", "clear", "unclear", "expect", "expected", "important",
    "necessary", "difficult", "hard", "easy", "time", "true", "believe", "believed", "think", "thought",
    "report", "reported", "say", "said", "fear", "feared", "hope", "hoped", "understand", "understood",
    "know", "known", "worth", "evident", "obvious", "certain", "uncertain", "essential", "vital", "crucial",
})
_MAX_HOPS = 6


def is_expletive(pron: Token, token: Callable[[int], Token], kids: Callable[[int], list[Token]]) -> bool:
    """True for the "it" of "it seems", "it is likely that", "it was reported that"."""
    if pron.text.lower() != "it" or pron.dep not in ("nsubj", "nsubjpass"):
        return False
    verb = token(pron.head)
    lemma = verb.lemma.lower()
    if lemma in _EXPLETIVE_VERBS or (pron.dep == "nsubjpass" and lemma in _IMPERSONAL):
        return True
    if lemma == "be":
        for c in kids(verb.i):
            if c.dep == "ccomp" or (c.dep in ("acomp", "attr") and c.lemma.lower() in _IMPERSONAL):
                return True
    return False


def clause_subjects(pron: Token, token: Callable[[int], Token], kids: Callable[[int], list[Token]]) -> Iterator[Token]:
    """Subjects of the clauses governing `pron`, nearest first, each written before the pronoun."""
    node = pron
    # The pronoun's own clause: "it" -> its verb; "its" -> the noun it owns -> that noun's verb.
    seen: set[int] = {pron.i}
    for _ in range(_MAX_HOPS):
        if node.head == node.i:
            break
        parent = token(node.head)
        if node.dep == "relcl":
            # "Maimane, who headed the party until he resigned": the clause is about the noun it
            # hangs on, which stands where its subject ("who") does.
            if parent.i < pron.i and parent.i not in seen:
                yield parent
            break
        if node.dep not in _CLIMB_DEPS and node.dep not in ("nsubj", "nsubjpass", "poss"):
            break
        node = parent
        if node.i in seen:
            break
        seen.add(node.i)
        for c in kids(node.i):
            if c.dep in ("nsubj", "nsubjpass") and c.i < pron.i and c.i not in seen:
                yield c
