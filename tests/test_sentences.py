"""The rule that splits an article into sentences before the parse (on the model's tokenizer)."""

from __future__ import annotations

import pytest

from lapwing.stages.parse import split_sentences


@pytest.fixture(scope="module")
def sentences(parser):
    def run(text: str) -> list[str]:
        words = [(t.text, t.idx, t.whitespace_) for t in parser.nlp.tokenizer(text)]
        return [text[words[a][1] : words[b - 1][1] + len(words[b - 1][0])] for a, b in split_sentences(words)]

    return run


def test_a_full_stop_ends_a_sentence(sentences):
    assert sentences("Troops left. Talks resumed.") == ["Troops left.", "Talks resumed."]


@pytest.mark.parametrize("text, count", [
    ("Drugs flow into the U.S. The troops were sent on Monday.", 2),  # a sentence starter after "U.S."
    ("Officials in the U.S. But they said nothing.", 2),
    ("The U.S. State Department said nothing.", 1),  # a name goes on
    ("She met Mr. He on Monday.", 1),  # after a title a name follows, even "He"
])
def test_an_abbreviation_ends_a_sentence_only_before_a_sentence_starter(sentences, text, count):
    assert len(sentences(text)) == count, sentences(text)
