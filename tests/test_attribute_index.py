"""The attribute ruler's table lookup gives every token what spaCy's own Matcher gives it."""

from __future__ import annotations

import functools
import json

import pytest

from lapwing.stages.attribute_index import AttributeIndex, index_attribute_ruler
from lapwing.stages.parse import load_model

from conftest import shared_path

# Written for this test: contractions and the ruler's word exceptions ("ain't", "gonna", "I" as a
# subject, "but" as an adverb), whitespace tokens, quotes, numbers and abbreviations.
TEXT = """The ministers ain't gonna sign, I said, but you know they'll try again.  Police said 14 people
were killed on Monday in Kabul's old city.

"We won't retreat," the group said. It's the U.S.-backed force's third offensive -- all but over.
Officials couldn't say whether talks would resume, but aid agencies said they'd wait."""


def _attrs(doc):
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_type_) for t in doc]


@functools.lru_cache(maxsize=1)
def _plain():
    return load_model()  # spaCy's pipeline exactly as it ships: its ruler keeps the Matcher


def test_the_parse_stage_pipeline_uses_the_index(parser):
    assert isinstance(parser.nlp.get_pipe("attribute_ruler").match, AttributeIndex)
    assert not isinstance(_plain().get_pipe("attribute_ruler").match, AttributeIndex)


def test_the_index_finds_the_matchers_matches(parser):
    plain = _plain()
    for text in (TEXT, *TEXT.split("\n")):
        doc = plain.make_doc(text)
        for _, proc in plain.pipeline[: plain.pipe_names.index("attribute_ruler")]:
            doc = proc(doc)
        ruler = plain.get_pipe("attribute_ruler")
        assert AttributeIndex.of(ruler)(doc) == ruler.match(doc), text


def test_tokens_get_the_same_attributes(parser):
    assert _attrs(parser.nlp(TEXT)) == _attrs(_plain()(TEXT))


def test_tokens_of_real_articles_get_the_same_attributes(parser):
    path = shared_path("data", "voa", "voa_stories.jsonl")
    texts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()[:12] if line.strip()]
    for ours, theirs in zip(parser.nlp.pipe(texts), _plain().pipe(texts)):
        assert _attrs(ours) == _attrs(theirs)


class _Strings(dict):
    def __getitem__(self, key):
        return hash(key)


class _Ruler:
    """An attribute ruler's face: its patterns and vocabulary."""

    def __init__(self, patterns):
        self.patterns = patterns
        self.vocab = type("Vocab", (), {"strings": _Strings()})()


@pytest.mark.parametrize("spec", [
    {"TAG": "NN", "OP": "?"},             # a quantifier
    {"ENT_TYPE": "GPE"},                  # an attribute the index does not read
    {"LOWER": {"FUZZY": "colour"}},       # a predicate it does not know
    {"LOWER": {"IN": "abc"}},             # a malformed set
])
def test_patterns_beyond_the_index_leave_the_matcher(spec):
    ruler = _Ruler([{"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN"}, "index": 0},
                    {"patterns": [[spec]], "attrs": {"POS": "X"}, "index": 0}])
    assert AttributeIndex.of(ruler) is None


def test_a_pipeline_without_a_ruler_is_left_alone():
    nlp = type("NLP", (), {"pipe_names": ["tok2vec", "parser"]})()
    assert index_attribute_ruler(nlp) is False
