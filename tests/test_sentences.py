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


def test_a_sentence_naming_someone_by_title_is_parsed_though_it_holds_no_event():
    from lapwing.actors.dictionary import default_roles
    from lapwing.doc import Doc
    from lapwing.lexicon import load_lexicon
    from lapwing.records import Article
    from lapwing.stages.parse import Parser

    parser = Parser(could_hold_event=load_lexicon().could_hold_event, titles=default_roles().person_words)
    doc = parser(Doc(Article(text="Speaking on Monday, Kandor's Chief Minister Lena Varga said tickets were sold. "
                                  "The weather was cold in the capital.")))
    assert [s.parsed for s in doc.sentences] == [True, False]
