"""Repairs of two parser mistakes that cost an event its actor.

The small English model sometimes hangs a clause's subject on its auxiliary ("Iran [is] defying
the Council": Iran <- is), so the verb has no subject; and in a short sentence opening with a name
it sometimes takes the main verb for a participle modifying the name ("Leavitt called Ford's
comments egregious": called <- Leavitt, acl), so the sentence has no verb at its root. Both are
undone here, on one sentence's tokens, before any stage reads them.
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
    return out


def _has_child(tokens: list[Token], head: int, deps) -> bool:
    return any(t.head == head and t.i != head and t.dep in deps for t in tokens)
