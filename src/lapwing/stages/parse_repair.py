"""Repairs of parser mistakes that cost an event its actor.

The small English model sometimes hangs a clause's subject on its auxiliary ("Iran [is] defying
the Council": Iran <- is), so the verb has no subject; in a short sentence opening with a name it
sometimes takes the main verb for a participle modifying the name ("Leavitt called Ford's comments
egregious": called <- Leavitt, acl), so the sentence has no verb at its root; and it takes a name
set off by commas after a role for a conjunct ("the spokesperson for the ministry, Ambassador
Khan,"), so the name loses the role's country. All are undone here, on one sentence's tokens, before any stage reads them.
"""

from __future__ import annotations

import dataclasses

from ..records import Token

_AUX_DEPS = ("aux", "auxpass")
_OBJECT_DEPS = {"dobj", "oprd", "ccomp", "xcomp", "dative"}


def repair(tokens: list[Token]) -> list[Token]:
    """The sentence's tokens with the two mistakes above undone (indices are the doc's)."""
    if not tokens:
        return tokens
    base = tokens[0].i
    out = list(tokens)

    def at(i: int) -> Token:
        return out[i - base]

    def set_(tok: Token, **changes) -> None:
        out[tok.i - base] = dataclasses.replace(tok, **changes)

    for tok in tokens:
        if tok.dep in ("nsubj", "nsubjpass"):
            aux = at(tok.head)
            if aux.dep in _AUX_DEPS and aux.head != aux.i and not _has_child(out, aux.head, ("nsubj", "nsubjpass")):
                set_(tok, head=aux.head)  # "Iran is defying": Iran is the subject of "defying"
    roots = [t for t in out if t.dep == "ROOT"]
    if len(roots) == 1 and roots[0].pos in ("PROPN", "NOUN") and not any(t.pos == "VERB" and t.dep == "ROOT" for t in out):
        root = roots[0]
        verbs = [
            t for t in out
            if t.head == root.i and t.dep == "acl" and t.pos == "VERB" and t.i > root.i
            # "a man called John Smith" names: only a past tense, or a participle with an object, acts
            and (
                t.tag == "VBD" and _has_child(out, t.i, _OBJECT_DEPS)
                or t.tag == "VBN" and _has_child(out, t.i, ("dobj",))
                # a name is not "called" anything: "Trump called Canada ..." is Trump calling
                or t.tag == "VBN" and root.pos == "PROPN" and _has_child(out, t.i, ("oprd",))
            )
        ]
        if len(verbs) == 1 and not any(t.dep == "appos" and root.i < t.i < verbs[0].i for t in out):
            verb = verbs[0]
            # Everything the parser hung on the name after the verb belongs to the verb.
            for t in list(out):
                if t.head == root.i and t.i > verb.i:
                    set_(t, head=verb.i)
            set_(at(verb.i), dep="ROOT", head=verb.i)
            set_(at(root.i), dep="nsubj", head=verb.i)
    for tok in list(out):
        # "the spokesperson for the ministry, Ambassador Shafqat Ali Khan, repeated": a name set off
        # by commas after a role, with no "and" or "or" anywhere in the list, renames the role.
        if tok.dep == "conj" and tok.pos == "PROPN" and tok.ent_type == "PERSON" and at(tok.head).pos == "NOUN" \
                and _comma_before_span(out, base, tok) and not _in_list(out, at(tok.head)):
            set_(tok, dep="appos")
    return out


def _comma_before_span(tokens: list[Token], base: int, tok: Token) -> bool:
    """Is the phrase `tok` heads (its compounds before it) preceded by a comma?"""
    first = tok.i
    while first - 1 >= base and tokens[first - 1 - base].head == tok.i and tokens[first - 1 - base].dep in ("compound", "amod", "det"):
        first -= 1
    return first - 1 >= base and tokens[first - 1 - base].text == ","


def _in_list(tokens: list[Token], head: Token) -> bool:
    """Does `head` coordinate a list ("A, B and C"): a coordinator on it or one of its conjuncts?"""
    members = {head.i} | {t.i for t in tokens if t.dep == "conj" and t.head == head.i}
    return any(t.dep in ("cc", "preconj") and t.head in members for t in tokens)


def _has_child(tokens: list[Token], head: int, deps) -> bool:
    return any(t.head == head and t.i != head and t.dep in deps for t in tokens)
