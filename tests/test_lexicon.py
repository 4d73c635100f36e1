"""The trigger lexicon: validation of the data file, lookup order, and the pre-filter."""

from __future__ import annotations

import pytest

from lapwing.errors import ResourceError
from lapwing.lexicon import inflections, load_lexicon


def write(tmp_path, body: str):
    path = tmp_path / "lexicon.yaml"
    path.write_text(body, encoding="utf-8")
    return path


def test_shipped_lexicon_loads_and_covers_every_plover_type():
    lexicon = load_lexicon()
    types = {e.event_type for group in lexicon.entries.values() for e in group}
    assert len(types) == 16


def test_constrained_entries_are_tried_before_plain_ones():
    call = load_lexicon().lookup("verb", "call")
    assert call[0].specificity >= call[-1].specificity
    assert any(e.event_type == "REQUEST" and "for" in e.needs for e in call)


def test_words_like_on_stay_words_not_booleans(tmp_path):
    lexicon = load_lexicon(write(tmp_path, "REQUEST:\n  verbs:\n    call: {needs: [on, off, yes]}\n"))
    assert lexicon.lookup("verb", "call")[0].needs == {"on", "off", "yes"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("PARLEY:\n  verbs:\n    talk: {}\n", "'PARLEY' is not a PLOVER event type"),
        ("CONSULT:\n  verbs:\n    talk: {mode: dinner}\n", "mode 'dinner' is not a PLOVER mode of CONSULT"),
        ("CONSULT:\n  verbs:\n    talk: {colour: red}\n", "unknown attribute(s) ['colour']"),
        ("CONSULT:\n  verbs:\n    talk: {contexts: [gossip]}\n", "unknown context(s) ['gossip']"),
        ("CONSULT: [talk\n", "not valid YAML"),
    ],
)
def test_malformed_lexicon_is_refused_with_the_entry_named(tmp_path, body, message):
    with pytest.raises(ResourceError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        load_lexicon(write(tmp_path, body))


def test_inflections_cover_regular_and_irregular_forms():
    assert {"attacks", "attacked", "attacking"} <= inflections("attack", "verb")
    assert {"shelled", "shelling"} <= inflections("shell", "verb")
    assert {"met", "meets"} <= inflections("meet", "verb")
    assert "talks" in inflections("talk", "noun")
    assert {"crises", "allies"} <= inflections("crisis", "noun") | inflections("ally", "noun")


def test_a_noun_trigger_does_not_put_verb_forms_in_the_prefilter():
    # "according to" is no accord: a noun matches its lemma or text, so only plurals can hold it.
    assert inflections("accord", "noun") == {"accord", "accords", "accordes"}
    lexicon = load_lexicon()
    assert not lexicon.could_hold_event(["according", "to", "the", "report"])
    assert lexicon.could_hold_event(["two", "accords", "now"])


def test_prefilter_passes_trigger_sentences_and_skips_others():
    lexicon = load_lexicon()
    assert lexicon.could_hold_event(["troops", "shelled", "the", "city"])
    assert not lexicon.could_hold_event(["the", "economy", "remains", "fragile", "this", "year"])
    # "gave" alone is no event; with "aid" it may be.
    assert not lexicon.could_hold_event(["she", "gave", "a", "speech"])
    assert lexicon.could_hold_event(["they", "gave", "aid", "to", "the", "town"])
