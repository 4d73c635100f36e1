"""PlaceFinder and EventLocator: hand-built Docs with a tiny fake gazetteer, plus a few real parses."""

from __future__ import annotations

import dataclasses

import pytest
from builders import hand_doc

from lapwing.doc import Doc
from lapwing.gazetteer import Gazetteer, GazetteerEntry, normalize_name
from lapwing.records import Actor, Event, Place, Span
from lapwing.stages.places import EventLocator, EventLocatorConfig, PlaceFinder, PlaceFinderConfig


def _city(name, country, population, feature="city"):
    return GazetteerEntry(name, country, None, 1.0, 2.0, 1, population, feature)


RAFAH_PS = _city("Rafah", "PSE", 126000)
RAFAH_EG = _city("Rafah", "EGY", 44000)
PARIS_FR = _city("Paris", "FRA", 2100000)
PARIS_US = _city("Paris", "USA", 25000)
ENTRIES = {
    "rafah": [RAFAH_PS, RAFAH_EG],
    "gaza": [_city("Gaza", "PSE", 410000)],
    "gaza strip": [_city("Gaza Strip", "PSE", 0, "region")],
    "qatar": [_city("Qatar", "QAT", 2800000, "country")],
    "egypt": [_city("Egypt", "EGY", 98000000, "country")],
    "united states": [_city("United States", "USA", 327000000, "country")],
    "cairo": [_city("Cairo", "EGY", 9600000)],
    "doha": [_city("Doha", "QAT", 345000)],
    "khan younis": [_city("Khan Yunis", "PSE", 173000)],
    "paris": [PARIS_FR, PARIS_US],
    "bush": [_city("Bush", "EGY", 136000)],
    "smalltown": [_city("Smalltown", "PSE", 2000)],
    "bangui": [_city("Bangui", "CAF", 812000)],
    "canada": [_city("Canada", "CAN", 37000000, "country")],
    "taiwan": [_city("Taiwan", "TWN", 23000000, "country")],
    "jeddah": [_city("Jeddah", "SAU", 4700000)],
    "saudi arabia": [_city("Saudi Arabia", "SAU", 34000000, "country")],
    "nigeria": [_city("Nigeria", "NGA", 200000000, "country")],
    "anbar desert": [_city("Al Anbar", "IRQ", 0, "region")],
    "beledweyne": [_city("Beledweyne", "SOM", 55000)],
    "mozambique gaza": [_city("Gaza", "PSE", 410000), _city("Gaza", "MOZ", 0, "region")],
}
# Towns under 15,000 people (like Gazetteer.lookup_small_town).
SMALL = {"chibok": [_city("Chibok", "NGA", 0)], "kotey": [_city("Kotey", "NGA", 1200)]}
# Found only through spelling variants (like Gazetteer.lookup's fallback).
VARIANTS = {"deir al balah": [_city("Dayr al Balah", "PSE", 59000)]}


class FakeGazetteer:
    """A dozen places, looked up by normalized name."""

    def lookup(self, name: str, *, variants: bool = True) -> list[GazetteerEntry]:
        key = normalize_name(name)
        return list(ENTRIES.get(key) or (VARIANTS.get(key, []) if variants else []))

    def lookup_small_town(self, name: str) -> list[GazetteerEntry]:
        return list(SMALL.get(normalize_name(name), []))


def find(doc: Doc) -> Doc:
    return PlaceFinder(gazetteer=FakeGazetteer())(doc)


def rows(*lines: str) -> str:
    return "\n".join(lines)


# --- PlaceFinder -------------------------------------------------------------------------------

TARGET_RAFAH = rows(
    "Israel Israel PROPN NNP nsubj 2",
    "prepared prepare VERB VBD ROOT 0",
    "to to PART TO aux 4",
    "target target VERB VB xcomp 2",
    "Rafah Rafah PROPN NNP dobj 4",
    ". . PUNCT . punct 2",
)


def test_places_resolve_with_exact_offsets_in_text_order():
    doc = hand_doc(
        rows(
            "Qatar’s Qatar PROPN NNP poss 2",
            "envoy envoy NOUN NN nsubj 3",
            "met meet VERB VBD ROOT 0",
            "officials official NOUN NNS dobj 3",
            "in in ADP IN prep 3",
            "the the DET DT det 7",
            "Gaza Gaza PROPN NNP compound 8",
            "Strip Strip PROPN NNP pobj 5",
        ),
        entities=[(6, 8, "GPE"), (1, 1, "GPE")],
    )
    out = find(doc)
    assert [(p.text, p.country, p.feature) for p in out.places] == [
        ("Qatar", "QAT", "country"),
        ("Gaza Strip", "PSE", "region"),
    ]
    for p in out.places:
        assert out.text[p.start : p.end] == p.text


def test_direction_words_are_trimmed_only_when_the_whole_name_fails():
    doc = hand_doc(
        rows(
            "strikes strike NOUN NNS ROOT 0",
            "in in ADP IN prep 1",
            "northern northern ADJ JJ amod 4",
            "Gaza Gaza PROPN NNP pobj 2",
        ),
        entities=[(3, 4, "LOC")],
    )
    (place,) = find(doc).places
    assert place.text == "Gaza"


def test_mislabelled_person_in_place_context_becomes_gpe():
    doc = hand_doc(TARGET_RAFAH, entities=[(1, 1, "GPE"), (5, 5, "PERSON")])
    out = find(doc)
    assert [(e.text, e.label) for e in out.entities] == [("Israel", "GPE"), ("Rafah", "GPE")]
    assert [p.text for p in out.places] == ["Rafah"]


def test_person_outside_place_context_stays_a_person():
    doc = hand_doc(rows("Rafah Rafah PROPN NNP nsubj 2", "said say VERB VBD ROOT 0"), entities=[(1, 1, "PERSON")])
    out = find(doc)
    assert out.entities[0].label == "PERSON" and out.places == ()


def test_relabelling_can_be_turned_off():
    doc = hand_doc(TARGET_RAFAH, entities=[(5, 5, "PERSON")])
    out = PlaceFinder(PlaceFinderConfig(relabel=False), gazetteer=FakeGazetteer())(doc)
    assert out.entities[0].label == "PERSON" and out.places == ()


def test_small_towns_are_not_relabelled():
    doc = hand_doc(
        rows("fled flee VERB VBD ROOT 0", "into into ADP IN prep 1", "Smalltown Smalltown PROPN NNP pobj 2"),
        entities=[(3, 3, "PERSON")],
    )
    assert find(doc).places == ()


KHAN_YOUNIS = rows(
    "fighting fighting NOUN NN ROOT 0",
    "in in ADP IN prep 1",
    "Khan Khan PROPN NNP compound 4",
    "Younis Younis PROPN NNP pobj 2",
    "near near ADP IN prep 1",
    "Gaza Gaza PROPN NNP pobj 5",
)


def test_two_word_person_needs_its_country_named_elsewhere():
    alone = find(hand_doc(KHAN_YOUNIS, entities=[(3, 4, "PERSON")]))
    assert alone.entities[0].label == "PERSON"
    with_gaza = find(hand_doc(KHAN_YOUNIS, entities=[(3, 4, "PERSON"), (6, 6, "GPE")]))
    assert [(e.text, e.label) for e in with_gaza.entities] == [("Khan Younis", "GPE"), ("Gaza", "GPE")]


def test_a_person_tag_ending_in_an_admin_word_bans_no_place_name():
    # "... targeting Rafah. Rafah District Commissioner said ...": the parser made "Rafah District"
    # a PERSON, which is no one's name, so "Rafah" stays a place where the words say one goes.
    doc = hand_doc(
        rows(
            TARGET_RAFAH,
            "Rafah Rafah PROPN NNP compound 8",
            "District District PROPN NNP compound 9",
            "Commissioner Commissioner PROPN NNP nsubj 10",
            "spoke speak VERB VBD ROOT 10",
        ),
        entities=[(1, 1, "GPE"), (5, 5, "PERSON"), (7, 8, "PERSON")],
    )
    assert "Rafah" in [p.text for p in find(doc).places]


def test_weak_context_needs_the_country_named():
    letter = rows(
        "a a DET DT det 2", "letter letter NOUN NN ROOT 0", "to to ADP IN prep 2", "Bush Bush PROPN NNP pobj 3"
    )
    assert find(hand_doc(letter, entities=[(4, 4, "PERSON")])).places == ()


def test_person_word_of_a_full_name_is_not_relabelled():
    text = rows(
        "George George PROPN NNP compound 2",
        "Bush Bush PROPN NNP nsubj 3",
        "flew fly VERB VBD ROOT 0",
        "into into ADP IN prep 3",
        "Bush Bush PROPN NNP pobj 4",
        "in in ADP IN prep 3",
        "Egypt Egypt PROPN NNP pobj 6",
    )
    out = find(hand_doc(text, entities=[(1, 2, "PERSON"), (5, 5, "PERSON"), (7, 7, "GPE")]))
    assert [p.text for p in out.places] == ["Egypt"]


def test_unlabelled_proper_noun_in_place_context_is_added_as_gpe():
    doc = hand_doc(
        rows(
            "fled flee VERB VBD ROOT 0",
            "to to ADP IN prep 1",
            "Rafah Rafah PROPN NNP pobj 2",
            "in in ADP IN prep 1",
            "Gaza Gaza PROPN NNP pobj 4",
        ),
        entities=[(5, 5, "GPE")],
    )
    out = find(doc)
    assert [(e.text, e.label) for e in out.entities] == [("Rafah", "GPE"), ("Gaza", "GPE")]
    assert [p.text for p in out.places] == ["Rafah", "Gaza"]


def test_ambiguity_prefers_a_country_named_in_the_article():
    base = rows("troops troop NOUN NNS ROOT 0", "in in ADP IN prep 1", "Rafah Rafah PROPN NNP pobj 2")
    assert find(hand_doc(base, entities=[(3, 3, "GPE")])).places[0].country == "PSE"
    with_egypt = base + "\n" + rows("and and CCONJ CC cc 1", "Egypt Egypt PROPN NNP conj 1")
    assert find(hand_doc(with_egypt, entities=[(3, 3, "GPE"), (5, 5, "GPE")])).places[0].country == "EGY"


def test_a_much_smaller_namesake_does_not_win_by_context():
    doc = hand_doc(
        rows(
            "Paris Paris PROPN NNP ROOT 0",
            "and and CCONJ CC cc 1",
            "the the DET DT det 4",
            "United United PROPN NNP compound 5",
            "States States PROPN NNP conj 1",
        ),
        entities=[(1, 1, "GPE"), (3, 5, "GPE")],
    )
    assert find(doc).places[0].country == "FRA"


def test_spelling_variants_need_the_country_named():
    tokens = rows("Deir Deir PROPN NNP compound 3", "al al PROPN NNP compound 3", "Balah Balah PROPN NNP ROOT 0")
    assert find(hand_doc(tokens, entities=[(1, 3, "GPE")])).places == ()
    with_gaza = tokens + "\n" + rows("in in ADP IN prep 3", "Gaza Gaza PROPN NNP pobj 4")
    places = find(hand_doc(with_gaza, entities=[(1, 3, "GPE"), (5, 5, "GPE")])).places
    assert [p.name for p in places] == ["Dayr al Balah", "Gaza"]


# --- EventLocator ------------------------------------------------------------------------------


def event(doc: Doc, anchor: int, actors=(), recipients=()) -> Event:
    tok = doc.tokens[anchor]
    span = Span(tok.text, tok.start, tok.end)
    return Event(
        "e1",
        doc.article.id,
        "ASSAULT",
        None,
        4,
        -9.0,
        (),
        "asserted",
        tuple(actors),
        tuple(recipients),
        span,
        span,
        0.9,
        anchor=anchor,
        sentence=tok.sent,
    )


def actor_at(doc: Doc, i: int, country: str) -> Actor:
    tok = doc.tokens[i]
    return Actor(tok.text, tok.text, country, None, tok.start, tok.end)


def locate(doc: Doc, anchor: int, **kw) -> Place | None:
    doc = find(doc)
    doc = doc.replace(events=(event(doc, anchor, **kw),))
    return EventLocator()(doc).events[0].location


STRUCK = rows(
    "jets jet NOUN NNS nsubj 2",
    "struck strike VERB VBD ROOT 0",
    "targets target NOUN NNS dobj 2",
    "in in ADP IN prep 2",
    "Rafah Rafah PROPN NNP pobj 4",
    "in in ADP IN prep 2",
    "Egypt Egypt PROPN NNP pobj 6",
)


def test_locative_phrase_of_the_trigger_prefers_the_town():
    doc = hand_doc(STRUCK, entities=[(5, 5, "GPE"), (7, 7, "GPE")])
    place = locate(doc, 1)
    assert (place.text, place.country) == ("Rafah", "EGY")


def test_phrase_attached_to_the_head_verb_of_a_noun_trigger():
    doc = hand_doc(
        rows(
            "Israel Israel PROPN NNP nsubj 2",
            "launched launch VERB VBD ROOT 0",
            "strikes strike NOUN NNS dobj 2",
            "on on ADP IN prep 2",
            "Rafah Rafah PROPN NNP pobj 4",
        ),
        entities=[(1, 1, "GPE"), (5, 5, "GPE")],
    )
    assert locate(doc, 2).text == "Rafah"


def test_of_phrase_inside_a_locative_phrase():
    doc = hand_doc(
        rows(
            "fighting fight VERB VBG ROOT 0",
            "in in ADP IN prep 1",
            "the the DET DT det 4",
            "city city NOUN NN pobj 2",
            "of of ADP IN prep 4",
            "Rafah Rafah PROPN NNP pobj 5",
        ),
        entities=[(6, 6, "GPE")],
    )
    assert locate(doc, 0).text == "Rafah"


def test_country_as_locative_only_when_nothing_finer():
    doc = hand_doc(
        rows(
            "protesters protester NOUN NNS nsubj 2",
            "rallied rally VERB VBD ROOT 0",
            "in in ADP IN prep 2",
            "Egypt Egypt PROPN NNP pobj 3",
        ),
        entities=[(4, 4, "GPE")],
    )
    assert locate(doc, 1).feature == "country"
    out = EventLocator(EventLocatorConfig(allow_countries=False))(find(doc).replace(events=(event(doc, 1),)))
    assert out.events[0].location is None


HOSTED = rows(
    "Egypt Egypt PROPN NNP nsubj 2",
    "hosted host VERB VBD ROOT 0",
    "talks talk NOUN NNS dobj 2",
    "with with ADP IN prep 3",
    "Qatar Qatar PROPN NNP pobj 4",
)


def test_country_actor_is_never_the_location():
    doc = hand_doc(HOSTED, entities=[(1, 1, "GPE"), (5, 5, "GPE")])
    assert locate(doc, 1, actors=[actor_at(doc, 0, "EGY")], recipients=[actor_at(doc, 4, "QAT")]) is None


def test_town_in_the_same_sentence_when_no_phrase_locates():
    doc = hand_doc(
        rows(
            "Rafah Rafah PROPN NNP compound 2",
            "residents resident NOUN NNS nsubj 3",
            "reported report VERB VBD ROOT 0",
            "shelling shelling NOUN NN dobj 3",
        ),
        entities=[(1, 1, "GPE")],
    )
    assert locate(doc, 3).text == "Rafah"
    assert locate(doc, 3, actors=[actor_at(doc, 0, "PSE")]) is None


def test_events_without_an_anchor_use_the_sentence_only():
    doc = find(hand_doc(STRUCK, entities=[(5, 5, "GPE"), (7, 7, "GPE")]))
    ev = dataclasses.replace(event(doc, 1), anchor=-1, sentence=-1)
    located = EventLocator()(doc.replace(events=(ev,))).events[0].location
    assert located is not None and located.text == "Rafah"


def test_doc_without_places_is_returned_as_is():
    doc = hand_doc(HOSTED)
    doc = doc.replace(events=(event(doc, 1),))
    assert EventLocator()(doc) is doc


# --- real model and gazetteer ------------------------------------------------------------------


@pytest.fixture(scope="module")
def finder() -> PlaceFinder:
    return PlaceFinder(gazetteer=Gazetteer.default())


def test_real_parse_finds_rafah_as_a_place(parse_text, finder):
    doc = finder(parse_text("Israel is making preparations to target Rafah, the last refuge in the Gaza Strip."))
    assert [(p.text, p.country) for p in doc.places] == [("Israel", "ISR"), ("Rafah", "PSE"), ("Gaza Strip", "PSE")]
    assert all(e.label == "GPE" for e in doc.entities if e.text == "Rafah")


def test_real_parse_locates_a_meeting(parse_text, finder):
    doc = finder(parse_text("Qatar’s prime minister met Egyptian officials in Cairo on Sunday."))
    assert [p.text for p in doc.places] == ["Qatar", "Cairo"]
    met = next(t.i for t in doc.tokens if t.text == "met")
    qatar = doc.places[0]
    actor = Actor("Qatar’s prime minister", "prime minister", "QAT", "GOV", qatar.start, doc.tokens[2].end)
    located = EventLocator()(doc.replace(events=(event(doc, met, actors=[actor]),))).events[0].location
    assert located is not None and located.name == "Cairo"


def test_object_of_a_place_verb_is_the_location():
    doc = hand_doc(
        rows(
            "troops troop NOUN NNS nsubj 2",
            "shelled shell VERB VBD ROOT 0",
            "Rafah Rafah PROPN NNP dobj 2",
            "from from ADP IN prep 2",
            "Gaza Gaza PROPN NNP pobj 4",
        ),
        entities=[(3, 3, "GPE"), (5, 5, "GPE")],
    )
    assert locate(doc, 1).text == "Rafah"


SLATED = rows(
    "delegates delegate NOUN NNS nsubjpass 3",
    "are be AUX VBP auxpass 3",
    "slated slate VERB VBN ROOT 0",
    "to to PART TO aux 5",
    "discuss discuss VERB VB xcomp 3",
    "proposals proposal NOUN NNS dobj 5",
    "in in ADP IN prep 5",
    "Egypt Egypt PROPN NNP pobj 7",
    "while while SCONJ IN mark 12",
    "envoys envoy NOUN NNS nsubj 12",
    "will will AUX MD aux 12",
    "talk talk VERB VB advcl 3",
    "in in ADP IN prep 12",
    "Cairo Cairo PROPN NNP pobj 13",
)


def test_a_town_in_another_clauses_locative_phrase_is_not_taken():
    doc = hand_doc(SLATED, entities=[(8, 8, "GPE"), (14, 14, "GPE")])
    assert locate(doc, 4).text == "Egypt"  # "talk in Cairo" is another event's place
    assert locate(doc, 11).text == "Cairo"
    assert locate(doc, 2).text == "Egypt"  # the root reaches "discuss" (xcomp) but not the advcl


def test_compound_of_a_place_noun_is_a_place_context():
    doc = hand_doc(
        rows(
            "through through ADP IN ROOT 0",
            "the the DET DT det 4",
            "Rafah Rafah PROPN NNP compound 4",
            "crossing crossing NOUN NN pobj 1",
        ),
        entities=[(3, 3, "PERSON")],
    )
    assert [(e.text, e.label) for e in find(doc).entities] == [("Rafah", "GPE")]


# --- context rules: appositions, "the town of", region words, small towns ------------------------


def test_apposition_of_a_capital_in_a_locative_phrase_is_a_place():
    doc = hand_doc(
        rows(
            "officials official NOUN NNS nsubj 2",
            "met meet VERB VBD ROOT 0",
            "in in ADP IN prep 2",
            "the the DET DT det 5",
            "capital capital NOUN NN pobj 3",
            ", , PUNCT , punct 5",
            "Bangui Bangui PROPN NNP appos 5",
        ),
        entities=[(7, 7, "ORG")],
    )
    out = find(doc)
    assert [(e.text, e.label) for e in out.entities] == [("Bangui", "GPE")]
    assert [p.name for p in out.places] == ["Bangui"]


def test_of_phrase_of_a_place_noun_is_a_place_context():
    doc = hand_doc(
        rows(
            "siege siege NOUN NN ROOT 0",
            "in in ADP IN prep 1",
            "the the DET DT det 4",
            "town town NOUN NN pobj 2",
            "of of ADP IN prep 4",
            "Beledweyne Beledweyne PROPN NNP pobj 5",
        ),
        entities=[(6, 6, "PERSON")],
    )
    assert [p.name for p in find(doc).places] == ["Beledweyne"]


def test_a_region_word_after_a_proper_noun_joins_the_name():
    doc = hand_doc(
        rows(
            "killed kill VERB VBN ROOT 0",
            "in in ADP IN prep 1",
            "the the DET DT det 5",
            "Anbar Anbar PROPN NNP compound 5",
            "desert desert NOUN NN pobj 2",
        )
    )
    out = find(doc)
    assert [(p.text, p.name, p.feature) for p in out.places] == [("Anbar desert", "Al Anbar", "region")]
    assert [(e.text, e.label) for e in out.entities] == [("Anbar desert", "GPE")]


SMALL_TOWN = rows(
    "girls girl NOUN NNS nsubjpass 3",
    "were be AUX VBD auxpass 3",
    "abducted abduct VERB VBN ROOT 0",
    "in in ADP IN prep 3",
    "Chibok Chibok PROPN NNP pobj 4",
)


def test_small_town_needs_its_country_named():
    assert find(hand_doc(SMALL_TOWN, entities=[(5, 5, "GPE")])).places == ()
    with_nigeria = SMALL_TOWN + "\n" + rows("in in ADP IN prep 3", "Nigeria Nigeria PROPN NNP pobj 6")
    places = find(hand_doc(with_nigeria, entities=[(5, 5, "GPE"), (7, 7, "GPE")])).places
    assert [(p.name, p.country) for p in places] == [("Chibok", "NGA"), ("Nigeria", "NGA")]


def test_small_town_is_found_for_an_unlabelled_name_in_strong_context():
    with_nigeria = SMALL_TOWN + "\n" + rows("in in ADP IN prep 3", "Nigeria Nigeria PROPN NNP pobj 6")
    out = find(hand_doc(with_nigeria, entities=[(7, 7, "GPE")]))
    assert [p.name for p in out.places] == ["Chibok", "Nigeria"]
    assert [(e.text, e.label) for e in out.entities] == [("Chibok", "GPE"), ("Nigeria", "GPE")]


def test_a_person_is_never_read_as_a_small_town():
    text = rows(
        "troops troop NOUN NNS nsubj 2",
        "fought fight VERB VBD ROOT 0",
        "in in ADP IN prep 2",
        "Kotey Kotey PROPN NNP pobj 3",
        "in in ADP IN prep 2",
        "Nigeria Nigeria PROPN NNP pobj 5",
    )
    out = find(hand_doc(text, entities=[(4, 4, "PERSON"), (6, 6, "GPE")]))
    assert [p.name for p in out.places] == ["Nigeria"]
    assert out.entities[0].label == "PERSON"


def test_a_province_namesake_does_not_make_a_town_ambiguous():
    # This "Gaza" is also a province of Mozambique; the article still names Palestine for sure,
    # so a spelling variant of a Palestinian town is believed.
    text = rows(
        "strikes strike NOUN NNS ROOT 0",
        "in in ADP IN prep 1",
        "Mozambique Mozambique PROPN NNP compound 4",
        "Gaza Gaza PROPN NNP pobj 2",
        "near near ADP IN prep 1",
        "Deir Deir PROPN NNP compound 8",
        "al al PROPN NNP compound 8",
        "Balah Balah PROPN NNP pobj 5",
    )
    places = find(hand_doc(text, entities=[(3, 4, "GPE"), (6, 8, "GPE")])).places
    assert [p.name for p in places] == ["Gaza", "Dayr al Balah"]


# --- EventLocator: the clause that tells the happening -----------------------------------------


def test_to_phrase_of_a_journey_is_the_place():
    doc = hand_doc(
        rows(
            "he he PRON PRP nsubj 3",
            "will will AUX MD aux 3",
            "travel travel VERB VB ROOT 0",
            "to to ADP IN prep 3",
            "Canada Canada PROPN NNP pobj 4",
            "for for ADP IN prep 3",
            "meetings meeting NOUN NNS pobj 6",
        ),
        entities=[(5, 5, "GPE")],
    )
    assert locate(doc, 6).name == "Canada"  # the meetings' verb is "travel"


def test_to_phrase_of_other_verbs_is_only_a_destination():
    doc = hand_doc(
        rows(
            "they they PRON PRP nsubj 2",
            "deported deport VERB VBD ROOT 0",
            "migrants migrant NOUN NNS dobj 2",
            "to to ADP IN prep 2",
            "Canada Canada PROPN NNP pobj 4",
        ),
        entities=[(5, 5, "GPE")],
    )
    assert locate(doc, 1) is None


def test_object_of_visit_is_the_place():
    doc = hand_doc(
        rows("Ishiba Ishiba PROPN NNP nsubj 2", "visited visit VERB VBD ROOT 0", "Taiwan Taiwan PROPN NNP dobj 2"),
        entities=[(1, 1, "PERSON"), (3, 3, "GPE")],
    )
    assert locate(doc, 1).name == "Taiwan"


def test_a_where_clause_takes_the_place_it_refers_to():
    doc = hand_doc(
        rows(
            "talks talk NOUN NNS ROOT 0",
            "in in ADP IN prep 1",
            "Jeddah Jeddah PROPN NNP pobj 2",
            ", , PUNCT , punct 3",
            "Saudi Saudi PROPN NNP compound 6",
            "Arabia Arabia PROPN NNP appos 3",
            ", , PUNCT , punct 6",
            "where where SCONJ WRB advmod 10",
            "Ukraine Ukraine PROPN NNP nsubj 10",
            "agreed agree VERB VBD relcl 6",
        ),
        entities=[(3, 3, "GPE"), (5, 6, "GPE"), (9, 9, "GPE")],
    )
    assert locate(doc, 9).name == "Jeddah"


SPEAKING = rows(
    "Speaking speak VERB VBG advcl 6",
    "in in ADP IN prep 1",
    "Jeddah Jeddah PROPN NNP pobj 2",
    ", , PUNCT , punct 6",
    "he he PRON PRP nsubj 6",
    "rejected reject VERB VBD ROOT 0",
    "the the DET DT det 8",
    "plan plan NOUN NN dobj 6",
)


def test_a_subjectless_participle_clause_shares_the_place():
    doc = hand_doc(SPEAKING, entities=[(3, 3, "GPE")])
    assert locate(doc, 5).name == "Jeddah"


def test_a_participle_clause_with_its_own_subject_does_not():
    doc = hand_doc(
        rows(
            "he he PRON PRP nsubj 2",
            "rejected reject VERB VBD ROOT 0",
            "the the DET DT det 4",
            "plan plan NOUN NN dobj 2",
            "envoys envoy NOUN NNS nsubj 6",
            "arriving arrive VERB VBG advcl 2",
            "in in ADP IN prep 6",
            "Rafah Rafah PROPN NNP pobj 7",
        ),
        entities=[(8, 8, "GPE")],
    )
    assert locate(doc, 1) is None  # the envoys' arrival is another happening
    assert locate(doc, 5).name == "Rafah"


def test_a_modifier_trigger_takes_its_clause_verbs_phrase():
    doc = hand_doc(
        rows(
            "in in ADP IN prep 3",
            "Cairo Cairo PROPN NNP pobj 1",
            "Blinken Blinken PROPN NNP nsubj 4",
            "assured assure VERB VBD ROOT 0",
            "visiting visit VERB VBG amod 6",
            "ministers minister NOUN NNS dobj 4",
        ),
        entities=[(2, 2, "GPE"), (3, 3, "PERSON")],
    )
    assert locate(doc, 4).name == "Cairo"


@pytest.mark.parametrize("text, trigger, place", [
    # "in the city": the town just named
    ("Gunmen ambushed a bus in Kalat last month. Days later, a roadside bomb killed 11 miners in the city.", "killed",
     "Kalat"),
    # "the city of X" names its own; with no town before it, "the city" is left unresolved
    ("A roadside bomb killed 11 miners in the city.", "killed", None),
    # "there": the finest place the sentence before named
    ("The leaders met at a summit in Hanoi, Vietnam, in February. There, Kim asked Trump for relief.", "asked",
     "Hanoi"),
    # with no place before it, "there" is left unresolved; an expletive "there is" points nowhere
    ("There, Kim asked Trump for relief.", "asked", None),
    ("Talks opened in Hanoi. There is no sign that Kim asked Trump for relief.", "asked", None),
])
def test_the_city_and_there_are_the_place_just_named(sentence_engine, text, trigger, place):
    doc = sentence_engine(text)
    found = [e for e in doc.events if e.trigger.text.startswith(trigger)]
    assert found, [(e.event_type, e.trigger.text) for e in doc.events]
    assert (found[0].location.name if found[0].location else None) == place


@pytest.mark.parametrize("text, place", [
    ("Kandor sent 10,000 troops to Belarus on Monday.", "Belarus"),  # forces sent somewhere deploy there
    ("Kandor deployed police officers to Haiti.", "Haiti"),
])
def test_forces_sent_somewhere_are_placed_there(sentence_engine, text, place):
    (moved,) = [e for e in sentence_engine(text).events if e.event_type == "MOBILIZE"]
    assert moved.location is not None and moved.location.name == place
