"""The actors stage: phrase finding, resolution and coreference, on hand-built and parsed Docs."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from lapwing.actors import ActorDictionary, DictionaryEntry
from lapwing.doc import Doc
from lapwing.records import Article, Entity, Sentence, Token
from lapwing.stages.actors import ActorResolver, ActorsConfig

_NO_SPACE_BEFORE = {".", ",", "’s", "'s"}


@dataclass
class T:
    """One hand-written token: `head` is its head's index within the sentence."""

    text: str
    pos: str
    dep: str
    head: int
    ent: str = ""
    tag: str = ""
    lemma: str = ""


def build(*sentences) -> Doc:
    """A Doc from sentences: a str is an unparsed sentence, a list of T a parsed one."""
    text, tokens, sents = "", [], []
    for n, sentence in enumerate(sentences):
        words = [sentence] if isinstance(sentence, str) else [t.text for t in sentence]
        first_char, first_tok = len(text) + (1 if text else 0), len(tokens)
        for k, word in enumerate(words):
            if text and word not in _NO_SPACE_BEFORE:
                text += " "
            start = len(text)
            text += word
            if isinstance(sentence, str):
                continue
            t = sentence[k]
            nxt = words[k + 1] if k + 1 < len(words) else ""
            tag = t.tag or ("NNS" if t.text.endswith("s") and t.pos == "NOUN" else "NN")
            lemma = t.lemma or (t.text if t.pos == "PROPN" else t.text.lower())
            tokens.append(Token(len(tokens), word, start, start + len(word), lemma, t.pos, tag, t.dep,
                                first_tok + t.head, n, t.ent, "O", nxt not in _NO_SPACE_BEFORE))
        sents.append(Sentence(first_char, len(text), first_tok, len(tokens), parsed=not isinstance(sentence, str)))
    ents, i = [], 0
    while i < len(tokens):
        j = i
        while tokens[i].ent_type and j + 1 < len(tokens) and tokens[j + 1].ent_type == tokens[i].ent_type:
            j += 1
        if tokens[i].ent_type:
            ents.append(Entity(text[tokens[i].start : tokens[j].end], tokens[i].ent_type, tokens[i].start,
                               tokens[j].end, i, j + 1))
        i = j + 1
    return Doc(Article(text=text), tokens=tuple(tokens), sentences=tuple(sents), entities=tuple(ents))


@pytest.fixture(scope="module")
def resolver():
    return ActorResolver()


def mentions(resolver, doc):
    return [(m.actor.text, m.actor.name, m.actor.country, m.actor.sector, m.kind, doc.tokens[m.head].text)
            for m in resolver(doc).mentions]


BIDEN = [T("US", "PROPN", "compound", 1, "GPE"), T("President", "PROPN", "compound", 3),
         T("Joe", "PROPN", "compound", 3, "PERSON"), T("Biden", "PROPN", "nsubj", 4, "PERSON"),
         T("called", "VERB", "ROOT", 4), T("Egypt", "PROPN", "dobj", 4, "GPE"), T(".", "PUNCT", "punct", 4)]


def test_title_country_and_name_make_one_actor(resolver):
    found = mentions(resolver, build(BIDEN))
    assert found[0] == ("US President Joe Biden", "Joe Biden", "USA", "GOV", "entity", "Biden")
    assert found[1] == ("Egypt", "Egypt", "EGY", None, "entity", "Egypt")
    assert len(found) == 2


def test_place_after_in_is_not_an_actor(resolver):
    doc = build([T("Talks", "NOUN", "nsubj", 1), T("began", "VERB", "ROOT", 1), T("in", "ADP", "prep", 1),
                 T("Egypt", "PROPN", "pobj", 2, "GPE"), T(".", "PUNCT", "punct", 1)])
    assert mentions(resolver, doc) == []


def test_surname_takes_full_name_and_codes_from_an_unparsed_sentence(resolver):
    doc = build("Israeli Prime Minister Benjamin Netanyahu spoke on Monday.",
                [T("Netanyahu", "PROPN", "nsubj", 1, "PERSON"), T("agreed", "VERB", "ROOT", 1),
                 T(".", "PUNCT", "punct", 1)])
    assert mentions(resolver, doc) == [("Netanyahu", "Benjamin Netanyahu", "ISR", "GOV", "entity", "Netanyahu")]


def test_role_phrase_with_demonym(resolver):
    doc = build([T("A", "DET", "det", 2), T("Qatari", "ADJ", "amod", 2, "NORP"), T("official", "NOUN", "nsubj", 3),
                 T("said", "VERB", "ROOT", 3), T(".", "PUNCT", "punct", 3)])
    assert mentions(resolver, doc) == [("A Qatari official", "Qatari official", "QAT", "GOV", "role", "official")]


def test_organization_in_phrase_gives_country_and_sector_to_generic_role(resolver):
    doc = build([T("Senior", "ADJ", "amod", 2), T("Hamas", "PROPN", "compound", 2, "ORG"),
                 T("official", "NOUN", "compound", 4), T("Basem", "PROPN", "compound", 4, "PERSON"),
                 T("Naim", "PROPN", "nsubj", 5, "PERSON"), T("spoke", "VERB", "ROOT", 5), T(".", "PUNCT", "punct", 5)])
    assert mentions(resolver, doc) == [
        ("Senior Hamas official Basem Naim", "Basem Naim", "PSE", "REB", "entity", "Naim")]


def test_from_attachment_is_part_of_the_actor(resolver):
    doc = build([T("Omar", "PROPN", "compound", 1, "PERSON"), T("Haddad", "PROPN", "nsubj", 7, "PERSON"),
                 T("from", "ADP", "prep", 1), T("Egypt", "PROPN", "poss", 6, "GPE"), T("’s", "PART", "case", 3),
                 T("foreign", "ADJ", "amod", 6), T("ministry", "NOUN", "pobj", 2), T("said", "VERB", "ROOT", 7),
                 T(".", "PUNCT", "punct", 7)])
    assert mentions(resolver, doc) == [
        ("Omar Haddad from Egypt’s foreign ministry", "Omar Haddad", "EGY", "GOV", "entity", "Haddad")]


def test_both_leaders_gives_one_mention_per_leader(resolver):
    doc = build("Kenyan President Ana Odhiambo met Chadian Prime Minister Paul Deby.",
                [T("Both", "DET", "det", 1), T("leaders", "NOUN", "nsubj", 2, lemma="leader"),
                 T("agreed", "VERB", "ROOT", 2), T(".", "PUNCT", "punct", 2)])
    found = mentions(resolver, doc)
    assert [(f[1], f[2], f[4], f[5]) for f in found] == [
        ("Ana Odhiambo", "KEN", "coref", "leaders"), ("Paul Deby", "TCD", "coref", "leaders")]


def test_the_title_refers_to_the_last_person_with_it(resolver):
    doc = build("Kenyan President Ana Odhiambo met Chadian Prime Minister Paul Deby.",
                [T("The", "DET", "det", 1), T("president", "NOUN", "nsubj", 2), T("left", "VERB", "ROOT", 2),
                 T(".", "PUNCT", "punct", 2)])
    assert mentions(resolver, doc) == [("The president", "Ana Odhiambo", "KEN", "GOV", "coref", "president")]


def test_the_group_refers_to_the_last_organization(resolver):
    doc = build("Hezbollah fired rockets on Sunday.",
                [T("The", "DET", "det", 1), T("group", "NOUN", "nsubj", 2), T("said", "VERB", "ROOT", 2),
                 T(".", "PUNCT", "punct", 2)])
    assert mentions(resolver, doc) == [("The group", "Hezbollah", "LBN", "REB", "coref", "group")]


def test_pronoun_resolves_only_when_one_person_is_in_view(resolver):
    he = [T("He", "PRON", "nsubj", 1, tag="PRP"), T("left", "VERB", "ROOT", 1), T(".", "PUNCT", "punct", 1)]
    one = mentions(resolver, build("Chadian Prime Minister Paul Deby arrived.", he))
    assert one == [("He", "Paul Deby", "TCD", "GOV", "coref", "He")]
    two = mentions(resolver, build("Ana Odhiambo met Paul Deby on Monday.", he))
    assert two == []
    off = ActorResolver(ActorsConfig(pronouns=False))
    assert mentions(off, build("Chadian Prime Minister Paul Deby arrived.", he)) == []


def test_modifier_of_a_non_actor_noun_is_its_own_mention(resolver):
    doc = build([T("Israeli", "ADJ", "amod", 1, "NORP"), T("strikes", "NOUN", "nsubj", 2, lemma="strike"),
                 T("hit", "VERB", "ROOT", 2), T("Hamas", "PROPN", "poss", 5, "ORG"), T("’s", "PART", "case", 3),
                 T("headquarters", "NOUN", "dobj", 2), T(".", "PUNCT", "punct", 2)])
    found = mentions(resolver, doc)
    assert [(f[0], f[2], f[4], f[5]) for f in found] == [
        ("Israeli", "ISR", "demonym", "Israeli"), ("Hamas", "PSE", "entity", "Hamas")]


def test_plural_demonym_is_civilians(resolver):
    doc = build([T("Palestinians", "PROPN", "nsubj", 1, "NORP", tag="NNPS"), T("fled", "VERB", "ROOT", 1),
                 T(".", "PUNCT", "punct", 1)])
    assert mentions(resolver, doc) == [("Palestinians", "Palestinians", "PSE", "CVL", "demonym", "Palestinians")]


def test_a_fake_dictionary_is_used_instead_of_the_shipped_one():
    fake = ActorDictionary([DictionaryEntry("Blue Brigade", (), "IMG", "REB", "armed_group", "test")])
    doc = build([T("Blue", "PROPN", "compound", 1), T("Brigade", "PROPN", "nsubj", 2), T("attacked", "VERB", "ROOT", 2),
                 T("Hamas", "PROPN", "dobj", 2, "ORG"), T(".", "PUNCT", "punct", 2)])
    found = mentions(ActorResolver(dictionary=fake), doc)
    assert found[0][1:5] == ("Blue Brigade", "IMG", "REB", "entity")
    assert found[1][1:3] == ("Hamas", None)  # not in the fake dictionary: an ORG of unknown country


def test_mentions_point_into_the_text(resolver):
    doc = resolver(build(BIDEN))
    for m in doc.mentions:
        assert doc.text[m.actor.start : m.actor.end] == m.actor.text
        assert m.token_start <= m.head < m.token_end


# -- with the real model (phrase finding on parsed text) ------------------------------------------

STORY = (
    "Kenyan President Ana Odhiambo spoke with Chadian Prime Minister Paul Deby on Monday. "
    "A Sudanese official said Israeli military drones had not been seen near the border. "
    "Omar Haddad from Egypt’s foreign ministry said both leaders agreed. "
    "World Central Kitchen paused its work in Gaza after the strike. "
    "Deby said the organization would be consulted."
)


@pytest.mark.model
def test_phrases_on_parsed_text(parse_text):
    doc = ActorResolver()(parse_text(STORY))
    by_text = {m.actor.text: m for m in doc.mentions}
    assert by_text["Kenyan President Ana Odhiambo"].actor.name == "Ana Odhiambo"
    assert by_text["Kenyan President Ana Odhiambo"].actor.country == "KEN"
    assert by_text["Chadian Prime Minister Paul Deby"].actor.sector == "GOV"
    assert (by_text["A Sudanese official"].actor.country, by_text["A Sudanese official"].kind) == ("SDN", "role")
    assert by_text["Israeli military drones"].actor.sector == "MIL"
    haddad = by_text["Omar Haddad from Egypt’s foreign ministry"]
    assert (haddad.actor.country, doc.tokens[haddad.head].text) == ("EGY", "Haddad")
    leaders = [m.actor.name for m in doc.mentions if m.actor.text == "both leaders"]
    assert leaders == ["Ana Odhiambo", "Paul Deby"]
    assert by_text["World Central Kitchen"].actor.country == "NGO"
    assert by_text["Deby"].actor.name == "Paul Deby"
    assert by_text["the organization"].actor.name == "World Central Kitchen"
    assert "Gaza" not in by_text  # a place after "in"
