"""The actors stage: phrase finding, resolution and coreference, on hand-built and parsed Docs."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from lapwing.actors import ActorDictionary, DictionaryEntry
from lapwing.doc import Doc
from lapwing.records import Article, Entity, Place, Sentence, Token
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


@pytest.mark.model
def test_both_ministers_are_the_two_officials_just_named(parse_text):
    # Not leaders, but two titled officials of one sector in this sentence or the one before.
    doc = ActorResolver()(parse_text(
        "Ghana's Foreign Minister Kofi Mensah met Togolese Defence Minister Awa Kpatcha in Lome on Monday, "
        "and both ministers called for calm. Residents of Accra were told to stay home. "
        "Both ministers later flew home."))
    pairs = [[m.actor.name for m in doc.mentions if m.actor.text.lower() == "both ministers" and m.actor.start == at]
             for at in sorted({m.actor.start for m in doc.mentions if m.actor.text.lower() == "both ministers"})]
    assert pairs[0] == ["Kofi Mensah", "Awa Kpatcha"]
    assert pairs[1] != ["Kofi Mensah", "Awa Kpatcha"]  # two sentences on: too far back to look


@pytest.mark.model
def test_both_countries_are_the_states_just_named(parse_text):
    doc = ActorResolver()(parse_text(
        "Mali, Burkina Faso and Niger left the regional bloc last year. "
        "The three military-led nations accused the bloc of serving foreign interests. "
        "Chad and Togo stayed. Both countries are members of the bloc."))
    three = [m.actor.country for m in doc.mentions if m.actor.text.startswith("The three")]
    assert three == ["MLI", "BFA", "NER"]
    both = [m.actor.country for m in doc.mentions if m.actor.text == "Both countries"]
    assert both == ["TCD", "TGO"]  # "both" is two: the last two named


@pytest.mark.model
@pytest.mark.parametrize("second", [
    "In the letter, they urged sanctions on the minister.",  # a fronted phrase is no antecedent
    '"We are deeply concerned about the minister," they wrote.',  # nor a quote the pronoun reports
])
def test_they_after_a_fronted_phrase_continues_the_last_subject(parse_text, second):
    doc = ActorResolver()(parse_text("Three U.S. senators criticized the Velmar minister on Thursday. " + second))
    they = [m.actor for m in doc.mentions if m.actor.text == "they"]
    assert [(a.country, a.sector) for a in they] == [("USA", "LEG")]


@pytest.mark.model
def test_the_bloc_and_the_regional_body_are_the_organization_just_named(parse_text):
    doc = ActorResolver()(parse_text(
        "Velmar criticized the European Union on Monday. Its president accused the bloc of hypocrisy. "
        "Kandor quit ECOWAS in January and accused the regional body of failing its members."))
    names = {m.actor.text: m.actor.name for m in doc.mentions}
    assert names["the bloc"] == "European Union" and names["the regional body"] == "ECOWAS"


@pytest.mark.model
def test_a_coordinated_title_in_an_apposition_gives_the_country(parse_text):
    doc = ActorResolver()(parse_text(
        "Jonas Orrel, a businessman and founder of the Apple Daily newspaper in Hong Kong, rejected the charges."))
    (orrel,) = [m.actor for m in doc.mentions if m.actor.text == "Jonas Orrel"]
    assert orrel.country == "HKG"


@pytest.mark.model
def test_the_army_and_the_court_are_the_bodies_just_named(parse_text):
    doc = ActorResolver()(parse_text(
        "Chad's army shelled the town on Monday. The army's spokesman, Tomas Reyl, accused the rebels of "
        "hiding among civilians. The army said the rebels had fled. The International Court of Justice "
        "opened hearings in the case. The court's president rejected a request to delay them."))
    by_text = {m.actor.text: m.actor for m in doc.mentions}
    assert (by_text["The army's spokesman"].country, by_text["The army's spokesman"].sector) == ("TCD", "MIL")
    assert (by_text["The army"].country, by_text["The army"].basis) == ("TCD", "coreference")
    assert by_text["The court's president"].country == "UNO"


@pytest.mark.model
def test_the_council_is_the_council_just_named(parse_text):
    text = ("The International Atomic Energy Agency said Velmar had enriched uranium. "
            "Velmar accused the agency of bias and urged the council to ignore its report.")
    assert _named(parse_text, text, "the agency") == [("International Atomic Energy Agency", "UNO")]
    assert _named(parse_text, text, "the council") == []  # no council was named


# -- coordination, attachments, appositions and pronouns ------------------------------------------

def _by_head(resolver, doc):
    return [(doc.tokens[m.head].text, m.actor.name, m.actor.country, m.kind) for m in resolver(doc).mentions]


def test_coordinated_country_modifiers_give_one_mention_each_on_the_same_head(resolver):
    doc = build([T("Senior", "ADJ", "amod", 4), T("Greek", "ADJ", "amod", 4, "NORP"), T("and", "CCONJ", "cc", 1),
                 T("Turkish", "ADJ", "conj", 1, "NORP"), T("officials", "NOUN", "nsubj", 5, lemma="official"),
                 T("met", "VERB", "ROOT", 5), T(".", "PUNCT", "punct", 5)])
    assert _by_head(resolver, doc) == [("officials", "Greek officials", "GRC", "role"),
                                       ("officials", "Turkish officials", "TUR", "role")]


def test_coordinated_modifiers_of_a_non_actor_noun_share_one_head(resolver):
    doc = build([T("The", "DET", "det", 4), T("Greek", "ADJ", "amod", 4, "NORP"), T("and", "CCONJ", "cc", 1),
                 T("Turkish", "ADJ", "conj", 1, "NORP"), T("sides", "NOUN", "nsubj", 5, lemma="side"),
                 T("met", "VERB", "ROOT", 5), T(".", "PUNCT", "punct", 5)])
    assert _by_head(resolver, doc) == [("Greek", "Greek", "GRC", "demonym"), ("Greek", "Turkish", "TUR", "demonym")]


def test_a_bare_conjunct_shares_its_partners_country(resolver):
    doc = build([T("Israeli", "ADJ", "amod", 1, "NORP"), T("jets", "NOUN", "nsubj", 4, lemma="jet"),
                 T("and", "CCONJ", "cc", 1), T("tanks", "NOUN", "conj", 1, lemma="tank"), T("fired", "VERB", "ROOT", 4),
                 T(".", "PUNCT", "punct", 4)])
    assert _by_head(resolver, doc) == [("jets", "Israeli jets", "ISR", "role"), ("tanks", "tanks", "ISR", "role")]


def test_of_phrase_gives_the_country_of_supporters(resolver):
    doc = build([T("Supporters", "NOUN", "nsubj", 3, lemma="supporter"), T("of", "ADP", "prep", 0),
                 T("Hezbollah", "PROPN", "pobj", 1, "ORG"), T("marched", "VERB", "ROOT", 3), T(".", "PUNCT", "punct", 3)])
    found = mentions(resolver, doc)
    assert [(f[0], f[2], f[3]) for f in found] == [("Supporters of Hezbollah", "LBN", "CVL")]


def _rebels_in(place_word, ent):
    return [T("Rebels", "NOUN", "nsubj", 3, lemma="rebel"), T("in", "ADP", "prep", 0),
            T(place_word, "PROPN", "pobj", 1, ent), T("attacked", "VERB", "ROOT", 3), T(".", "PUNCT", "punct", 3)]


def test_where_a_group_is_gives_its_country(resolver):
    assert _by_head(resolver, build(_rebels_in("Chad", "GPE"))) == [("Rebels", "Rebels", "TCD", "role")]
    # A city: the country comes from the places layer the place finder assigned.
    doc = build(_rebels_in("Marova", "GPE"))
    town = doc.tokens[2]
    doc = doc.replace(places=(Place("Marova", "Marova", "MLI", None, 1.0, 1.0, 1, town.start, town.end),))
    assert _by_head(resolver, doc) == [("Rebels", "Rebels", "MLI", "role")]


def test_ethnic_names_a_people_not_a_nationality(resolver):
    doc = build([T("Ethnic", "ADJ", "amod", 1), T("Serbs", "PROPN", "nsubj", 4, "NORP", tag="NNPS"),
                 T("in", "ADP", "prep", 1), T("Croatia", "PROPN", "pobj", 2, "GPE"), T("voted", "VERB", "ROOT", 4),
                 T(".", "PUNCT", "punct", 4)])
    assert [(f[1], f[2]) for f in mentions(resolver, doc)] == [("Ethnic Serbs", "HRV")]


def test_possessive_country_and_head_role(resolver):
    doc = build([T("Romania", "PROPN", "poss", 3, "GPE"), T("’s", "PART", "case", 0), T("new", "ADJ", "amod", 3),
                 T("government", "NOUN", "nsubj", 4), T("resigned", "VERB", "ROOT", 4), T(".", "PUNCT", "punct", 4)])
    assert [f[2:5] for f in mentions(resolver, doc)] == [("ROU", "GOV", "role")]


def test_dictionary_name_with_of_is_read_whole(resolver):
    doc = build([T("The", "DET", "det", 2), T("Liberation", "PROPN", "compound", 2, "ORG"),
                 T("Tigers", "PROPN", "nsubj", 6, "ORG"), T("of", "ADP", "prep", 2), T("Tamil", "PROPN", "compound", 5),
                 T("Eelam", "PROPN", "pobj", 3), T("attacked", "VERB", "ROOT", 6), T(".", "PUNCT", "punct", 6)])
    assert [f[:4] for f in mentions(resolver, doc)] == [
        ("The Liberation Tigers of Tamil Eelam", "Liberation Tigers of Tamil Eelam", "LKA", "REB")]


def test_apposition_gives_the_named_person_the_title_country(resolver):
    doc = build([T("Qatar", "PROPN", "poss", 2, "GPE"), T("’s", "PART", "case", 0), T("emir", "NOUN", "nsubj", 7),
                 T(",", "PUNCT", "punct", 2), T("Sheikh", "PROPN", "compound", 5, "PERSON"),
                 T("Tamim", "PROPN", "appos", 2, "PERSON"), T(",", "PUNCT", "punct", 2), T("arrived", "VERB", "ROOT", 7),
                 T(".", "PUNCT", "punct", 7)])
    assert [(f[1], f[2], f[5]) for f in mentions(resolver, doc)] == [
        ("Sheikh Tamim", "QAT", "emir"), ("Sheikh Tamim", "QAT", "Tamim")]


def test_apposition_names_an_actor_the_parser_did_not_label(resolver):
    doc = build([T("Lena", "PROPN", "compound", 1), T("Varga", "PROPN", "nsubj", 7, "GPE"), T(",", "PUNCT", "punct", 1),
                 T("the", "DET", "det", 5), T("UN", "PROPN", "compound", 5, "ORG"), T("envoy", "NOUN", "appos", 1),
                 T(",", "PUNCT", "punct", 1), T("spoke", "VERB", "ROOT", 7), T(".", "PUNCT", "punct", 7)])
    found = _by_head(resolver, doc)
    assert ("Varga", "Lena Varga", "UNO", "entity") in found


def test_surname_mislabelled_by_the_parser_is_still_the_person(resolver):
    doc = build("Russian President Vladimir Putin spoke on Monday.",
                [T("Putin", "PROPN", "nsubj", 1, "GPE"), T("agreed", "VERB", "ROOT", 1), T(".", "PUNCT", "punct", 1)])
    assert _by_head(resolver, doc) == [("Putin", "Vladimir Putin", "RUS", "entity")]


def test_name_scan_stops_at_titles_and_of(resolver):
    doc = build("Then-Secretary of State Antony Blinken arrived on Monday.",
                [T("Blinken", "PROPN", "nsubj", 1, "PERSON"), T("left", "VERB", "ROOT", 1), T(".", "PUNCT", "punct", 1)])
    assert _by_head(resolver, doc)[0][1] == "Antony Blinken"
    # A title the parser put inside the PERSON entity is not part of the name.
    doc = build([T("US", "PROPN", "compound", 1, "GPE"), T("Secretary", "PROPN", "compound", 5),
                 T("of", "ADP", "prep", 1), T("State", "PROPN", "pobj", 2, "PERSON"), T("Antony", "PROPN", "compound", 5, "PERSON"),
                 T("Blinken", "PROPN", "nsubj", 6, "PERSON"), T("left", "VERB", "ROOT", 6), T(".", "PUNCT", "punct", 6)])
    assert [f[1] for f in mentions(resolver, doc)] == ["Antony Blinken"]


SYRIA_SAYS = [T("Syria", "PROPN", "nsubj", 1, "GPE"), T("says", "VERB", "ROOT", 1), T("it", "PRON", "nsubj", 4),
              T("will", "AUX", "aux", 4), T("withdraw", "VERB", "ccomp", 1), T("its", "PRON", "poss", 6),
              T("troops", "NOUN", "dobj", 4, lemma="troop"), T(".", "PUNCT", "punct", 1)]


def test_it_and_its_take_the_subject_of_the_reporting_clause(resolver):
    # The sentence before names another country: "it" is still Syria, the reporting subject.
    doc = build("Lebanon and Jordan met on Monday.", SYRIA_SAYS)
    assert _by_head(resolver, doc) == [("Syria", "Syria", "SYR", "entity"), ("it", "Syria", "SYR", "coref"),
                                       ("troops", "its troops", "SYR", "role")]


def test_they_needs_a_plural_subject(resolver):
    they = [T("The", "DET", "det", 1), T("rebels", "NOUN", "nsubj", 2, lemma="rebel", tag="NNS"),
            T("said", "VERB", "ROOT", 2), T("they", "PRON", "nsubj", 5), T("would", "AUX", "aux", 5),
            T("leave", "VERB", "ccomp", 2), T(".", "PUNCT", "punct", 2)]
    assert ("they", "rebels", None, "coref") in _by_head(resolver, build(they))
    chad = [T("Chad", "PROPN", "nsubj", 1, "GPE", tag="NNP"), T("said", "VERB", "ROOT", 1), T("they", "PRON", "nsubj", 4),
            T("would", "AUX", "aux", 4), T("leave", "VERB", "ccomp", 1), T(".", "PUNCT", "punct", 1)]
    assert _by_head(resolver, build(chad)) == [("Chad", "Chad", "TCD", "entity")]


def test_expletive_it_names_no_actor(resolver):
    doc = build([T("Chad", "PROPN", "nsubj", 1, "GPE"), T("said", "VERB", "ROOT", 1), T("it", "PRON", "nsubj", 3),
                 T("is", "AUX", "ccomp", 1, lemma="be"), T("likely", "ADJ", "acomp", 3), T("that", "SCONJ", "mark", 7),
                 T("talks", "NOUN", "nsubj", 7), T("resume", "VERB", "ccomp", 3), T(".", "PUNCT", "punct", 1)])
    assert [f[0] for f in _by_head(resolver, doc)] == ["Chad"]


@pytest.mark.model
def test_coordination_pronouns_and_residence_on_parsed_text(parse_text):
    doc = ActorResolver()(parse_text(
        "Senior Greek and Turkish officials met in Vienna on Monday. "
        "Chad says it is willing to withdraw its troops. "
        "Rebels in Mali rejected the plan of the Liberation Tigers of Tamil Eelam."
    ))
    found = {(m.actor.name, m.actor.country) for m in doc.mentions}
    assert {("Greek officials", "GRC"), ("Turkish officials", "TUR")} <= found
    assert ("Chad", "TCD") in found and ("its troops", "TCD") in found
    assert ("Rebels", "MLI") in found and ("Liberation Tigers of Tamil Eelam", "LKA") in found


@pytest.mark.model
@pytest.mark.parametrize("text, head, country", [
    ("Militants based in Mali attacked the post.", "Militants", "MLI"),
    ("The attack was planned by fighters with bases in Chad.", "fighters", "TCD"),
    ("A charity headquartered in Kenya was sanctioned.", "charity", "KEN"),
])
def test_a_group_is_of_the_country_it_is_based_in(parse_text, text, head, country):
    doc = ActorResolver()(parse_text(text))
    assert [m.actor.country for m in doc.mentions if m.actor.text.split()[-1] == head or m.actor.text == head] == [country]


@pytest.mark.model
@pytest.mark.parametrize("text, country", [
    ("Ontario Premier Doug Ford said he would add a levy.", "CAN"),  # a region of one country
    ("Borno Governor Babagana Zulum condemned the attack.", "NGA"),
    ("Ontario's provincial leader accused Kandor of lying.", "CAN"),  # a title of that region
    ("Punjab police arrested ten men.", None),  # a region of two countries
])
def test_a_region_before_a_title_gives_its_country(parse_text, text, country):
    doc = ActorResolver()(parse_text(text))
    assert doc.mentions[0].actor.country == country, [(m.actor.text, m.actor.country) for m in doc.mentions]


def test_he_in_a_reported_clause_is_the_person_who_reports():
    from builders import hand_doc

    doc = hand_doc(
        """
        Lena Lena PROPN NNP compound 2
        Varga Varga PROPN NNP nsubj 3
        said say VERB VBD ROOT 0
        he he PRON PRP nsubj 6
        would would AUX MD aux 6
        resign resign VERB VB ccomp 3
        """,
        entities=[(1, 2, "PERSON")],
    )
    people = ActorDictionary.load([], include_shipped=False)
    found = ActorResolver(dictionary=people)(doc).mentions
    he = [m for m in found if m.actor.text == "he"]
    assert [(m.actor.name, m.kind) for m in he] == [("Lena Varga", "coref")]


def test_he_far_from_any_name_is_the_person_the_article_names_most():
    from lapwing.actors.context import ArticleContext, Seen

    context = ArticleContext([0, 100, 200, 300], set(), None, None)
    for pos, name in ((0, "Mech Dara"), (50, "Hun Sen"), (120, "Mech Dara")):
        context._merge(Seen(name, "KHM", "JRN", None, pos))
        context.people.append((pos, name))
    context.person_surnames = {"Dara", "Sen"}
    assert context.salient_person(350).name == "Mech Dara"
    context.people.append((130, "Hun Sen"))
    assert context.salient_person(350) is None  # a tie: nobody leads


def test_we_in_a_quotation_is_whoever_speaks_it():
    from builders import hand_doc

    rows = """
        " " PUNCT `` punct 3
        We we PRON PRP nsubj 3
        retreat retreat VERB VBP ccomp 7
        , , PUNCT , punct 7
        " " PUNCT '' punct 7
        rebels rebel NOUN NNS nsubj 7
        said say VERB VBD ROOT 0
        """
    resolver = ActorResolver(dictionary=ActorDictionary.load([], include_shipped=False))
    quoted = resolver(hand_doc(rows, entities=[])).mentions
    assert [(m.actor.text, m.actor.sector, m.kind) for m in quoted if m.actor.text == "We"] == [("We", "REB", "coref")]
    unquoted = resolver(hand_doc(rows.replace('" " PUNCT `` punct 3', 'so so ADV RB advmod 3'), entities=[])).mentions
    assert [m for m in unquoted if m.actor.text == "We"] == []


@pytest.mark.model
def test_a_family_name_written_first_is_the_person_named_before(parse_text):
    text = ("North Korean leader Kim Jong Un asked Trump for sanctions relief in Hanoi. "
            "Trump said he would meet with Kim if there is a prospect of a deal.")
    assert _named(parse_text, text, "Kim") == [("Kim Jong Un", "PRK")]


def _named(parse_text, text, words):
    """(name, country) of each mention whose words are exactly `words`."""
    return [(m.actor.name, m.actor.country) for m in ActorResolver()(parse_text(text)).mentions if m.actor.text == words]
