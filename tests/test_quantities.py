"""QuantityFinder: numbers tied to events, with the kind the text gives them."""

from __future__ import annotations

import pytest

from lapwing.doc import Doc
from lapwing.errors import ResourceError
from lapwing.records import Actor, Article, Event, Sentence, Span, Token
from lapwing.stages.quantities import QUANTITY_KINDS, QuantityFinder, QuantityVocabulary


def build(spec: str, triggers: tuple[int, ...]) -> Doc:
    """A one-sentence Doc from "text/lemma/POS/TAG/dep/head[/ENT]" words, one event per trigger index."""
    tokens, text = [], ""
    for i, word in enumerate(spec.split()):
        form, lemma, pos, tag, dep, head, *ent = word.split("/")
        glued = form.startswith("+")  # "+" marks a token written straight after the previous one
        form = form.lstrip("+")
        if text and not glued:
            text += " "
        start = len(text)
        text += form
        tokens.append(Token(i, form, start, len(text), lemma, pos, tag, dep, int(head), 0, ent[0] if ent else ""))
    tokens = [
        Token(t.i, t.text, t.start, t.end, t.lemma, t.pos, t.tag, t.dep, t.head, 0, t.ent_type, "O",
              whitespace=t.i + 1 < len(tokens) and tokens[t.i + 1].start > t.end)
        for t in tokens
    ]
    events = tuple(event_at(tokens[i]) for i in triggers)
    doc = Doc(Article(text=text), tokens=tuple(tokens), sentences=(Sentence(0, len(text), 0, len(tokens)),))
    return doc.replace(events=events)


def event_at(tok: Token, recipients: tuple[Actor, ...] = ()) -> Event:
    span = Span(tok.text, tok.start, tok.end)
    return Event(f"e{tok.i}", "a", "ASSAULT", None, 4, -9.0, (), "asserted", (), recipients, span, span, 0.9,
                 anchor=tok.i, sentence=tok.sent)


def found(doc: Doc) -> list[list[tuple]]:
    out = QuantityFinder()(doc)
    for event in out.events:
        for q in event.quantities:
            assert out.text[q.start : q.end] == q.text
    return [[(q.kind, q.value, q.approximate, q.unit, q.text) for q in e.quantities] for e in out.events]


KILLED_AT_LEAST = (
    "Troops/troop/NOUN/NNS/nsubj/1 killed/kill/VERB/VBD/ROOT/1 at/at/ADV/RB/advmod/3 least/least/ADV/RBS/advmod/4 "
    "12/12/NUM/CD/nummod/5/CARDINAL civilians/civilian/NOUN/NNS/dobj/1 +././PUNCT/./punct/1"
)


def test_killed_at_least_is_approximate_with_exact_offsets():
    assert found(build(KILLED_AT_LEAST, (1,))) == [[("killed", 12.0, True, None, "at least 12")]]


def test_killing_of_counts_the_victims():
    spec = (
        "The/the/DET/DT/det/1 killing/killing/NOUN/NN/nsubj/6 of/of/ADP/IN/prep/1 seven/seven/NUM/CD/nummod/5/CARDINAL "
        "aid/aid/NOUN/NN/compound/5 workers/worker/NOUN/NNS/pobj/2 drew/draw/VERB/VBD/ROOT/6 ire/ire/NOUN/NN/dobj/6"
    )
    assert found(build(spec, (1,))) == [[("killed", 7.0, False, None, "seven")]]


def test_passive_subject_and_verb_beats_noun():
    # "Three hostages were killed": the verb says what happened, the noun only who.
    spec = (
        "Three/three/NUM/CD/nummod/1/CARDINAL hostages/hostage/NOUN/NNS/nsubjpass/3 were/be/AUX/VBD/auxpass/3 "
        "killed/kill/VERB/VBN/ROOT/3"
    )
    assert found(build(spec, (3,))) == [[("killed", 3.0, False, None, "Three")]]


def test_counted_nouns_after_of_and_in_prepositions():
    spec = (
        "Israel/Israel/PROPN/NNP/nsubj/1/GPE released/release/VERB/VBD/ROOT/1 "
        "hundreds/hundred/NOUN/NNS/dobj/1/CARDINAL "
        "of/of/ADP/IN/prep/2 Palestinian/palestinian/ADJ/JJ/amod/5/NORP prisoners/prisoner/NOUN/NNS/pobj/3 "
        "for/for/ADP/IN/prep/1 33/33/NUM/CD/nummod/8/CARDINAL hostages/hostage/NOUN/NNS/pobj/6"
    )
    assert found(build(spec, (1,))) == [
        [("prisoners", 200.0, True, None, "hundreds"), ("hostages", 33.0, False, None, "33")]
    ]


def test_ages_and_years_are_not_counts():
    spec = (
        "A/a/DET/DT/det/6 35/35/NUM/CD/nummod/3/DATE +-/-/PUNCT/HYPH/punct/3 +year/year/NOUN/NN/npadvmod/5/DATE "
        "+-/-/PUNCT/HYPH/punct/5 +old/old/ADJ/JJ/amod/6/DATE man/man/NOUN/NN/nsubjpass/8 was/be/AUX/VBD/auxpass/8 "
        "detained/detain/VERB/VBN/ROOT/8 in/in/ADP/IN/prep/8 2024/2024/NUM/CD/pobj/9"
    )
    assert found(build(spec, (8,))) == [[]]


def test_duration_on_a_noun_trigger():
    spec = (
        "They/they/PRON/PRP/nsubj/1 agreed/agree/VERB/VBD/ROOT/1 to/to/ADP/IN/prep/1 a/a/DET/DT/det/7 "
        "six/six/NUM/CD/nummod/6/DATE +-/-/PUNCT/HYPH/punct/6 +week/week/NOUN/NN/compound/7/DATE "
        "ceasefire/ceasefire/NOUN/NN/pobj/2"
    )
    assert found(build(spec, (7,))) == [[("duration_days", 42.0, False, "day", "six-week")]]


def test_duration_goes_to_the_subject_of_last():
    spec = (
        "The/the/DET/DT/det/1 talks/talk/NOUN/NNS/nsubj/2 lasted/last/VERB/VBD/ROOT/2 two/two/NUM/CD/nummod/4/DATE "
        "days/day/NOUN/NNS/npadvmod/2/DATE"
    )
    assert found(build(spec, (1,))) == [[("duration_days", 2.0, False, "day", "two days")]]


def test_time_frame_is_not_a_duration():
    spec = (
        "Talks/talk/NOUN/NNS/nsubj/1 resumed/resume/VERB/VBD/ROOT/1 two/two/NUM/CD/nummod/3/DATE "
        "weeks/week/NOUN/NNS/npadvmod/4/DATE ago/ago/ADV/RB/advmod/1/DATE"
    )
    assert found(build(spec, (1,))) == [[]]


def test_money_with_currency_symbol():
    spec = (
        "The/the/DET/DT/det/1 bank/bank/NOUN/NN/nsubj/2 pledged/pledge/VERB/VBD/ROOT/2 $/$/SYM/$/quantmod/5/MONEY "
        "+5/5/NUM/CD/compound/5/MONEY million/million/NUM/CD/dobj/2/MONEY"
    )
    assert found(build(spec, (2,))) == [[("money", 5e6, False, "USD", "$5 million")]]


def test_each_number_goes_to_the_nearest_trigger():
    spec = (
        "Troops/troop/NOUN/NNS/nsubj/1 killed/kill/VERB/VBD/ROOT/1 12/12/NUM/CD/nummod/3/CARDINAL "
        "people/people/NOUN/NNS/dobj/1 and/and/CCONJ/CC/cc/1 arrested/arrest/VERB/VBD/conj/1 "
        "40/40/NUM/CD/nummod/7/CARDINAL others/other/NOUN/NNS/dobj/5"
    )
    assert found(build(spec, (1, 5))) == [
        [("killed", 12.0, False, None, "12")],
        [("arrested", 40.0, False, None, "40")],
    ]


def test_number_outside_any_trigger_is_left_alone():
    spec = (
        "Troops/troop/NOUN/NNS/nsubj/1 withdrew/withdraw/VERB/VBD/ROOT/1 as/as/SCONJ/IN/mark/5 "
        "12/12/NUM/CD/nummod/4/CARDINAL people/people/NOUN/NNS/nsubj/5 died/die/VERB/VBD/advcl/1"
    )
    doc = build(spec, (1,))
    assert found(doc) == [[]]
    # With the dying as its own event the count lands there.
    assert found(build(spec, (1, 5))) == [[], [("killed", 12.0, False, None, "12")]]


def test_unlisted_noun_is_a_person_when_it_is_the_events_recipient():
    spec = (
        "Gunmen/gunman/NOUN/NNS/nsubj/1 killed/kill/VERB/VBD/ROOT/1 five/five/NUM/CD/nummod/3/CARDINAL "
        "herders/herder/NOUN/NNS/dobj/1 and/and/CCONJ/CC/cc/1 burned/burn/VERB/VBD/conj/1 "
        "ten/ten/NUM/CD/nummod/7/CARDINAL huts/hut/NOUN/NNS/dobj/1"
    )
    doc = build(spec, (1,))
    assert found(doc) == [[]]  # "herders" is no listed person, "huts" no kind
    herders = doc.tokens[3]
    victims = (Actor("herders", "herders", None, "CVL", herders.start, herders.end),)
    doc = doc.replace(events=(event_at(doc.tokens[1], victims),))
    assert found(doc) == [[("killed", 5.0, False, None, "five")]]


def test_a_tiny_vocabulary_changes_the_kind():
    spec = (
        "They/they/PRON/PRP/nsubj/1 sent/send/VERB/VBD/ROOT/1 200/200/NUM/CD/nummod/3/CARDINAL "
        "lorries/lorry/NOUN/NNS/dobj/1"
    )
    vocab = QuantityVocabulary.from_mapping({"nouns": {"troops": ["lorry"]}})
    out = QuantityFinder(vocabulary=vocab)(build(spec, (1,)))
    assert [q.kind for q in out.events[0].quantities] == ["troops"]


def test_vocabulary_rejects_unknown_kind():
    with pytest.raises(ResourceError, match="aid_workers"):
        QuantityVocabulary.from_mapping({"nouns": {"aid_workers": ["worker"]}})


def test_package_vocabulary_uses_known_kinds_only():
    vocab = QuantityVocabulary.load()
    kinds = {*vocab.nouns.values(), *vocab.patients.values(), *vocab.subjects.values(), *vocab.gatherings.values()}
    assert kinds <= set(QUANTITY_KINDS) and "hostage" in vocab.nouns


def test_doc_without_events_is_returned_unchanged():
    doc = build(KILLED_AT_LEAST, ())
    assert QuantityFinder()(doc) is doc


def real_events(doc: Doc, *words: str) -> Doc:
    """Events anchored at the first token spelled like each word."""
    anchors = [next(t for t in doc.tokens if t.text == w) for w in words]
    return doc.replace(events=tuple(event_at(t) for t in anchors))


@pytest.mark.model
def test_real_parse_counts(parse_text):
    doc = real_events(
        parse_text(
            "Gunmen abducted 15 students and a dozen teachers, and at least 3 guards died during the two-day raid."
        ),
        "abducted", "died", "raid",
    )
    assert found(doc) == [
        [("abducted", 27.0, False, None, "15 students and a dozen teachers")],  # one kind joined by "and": the sum
        [("killed", 3.0, True, None, "at least 3")],
        [("duration_days", 2.0, False, "day", "two-day")],
    ]


@pytest.mark.model
def test_real_parse_money_and_trucks(parse_text):
    doc = real_events(
        parse_text("On Monday 2025 aid groups said some 120 trucks crossed, carrying supplies worth €3.5bn."),
        "crossed",
    )
    assert found(doc) == [[("trucks", 120.0, True, None, "some 120"), ("money", 3.5e9, False, "EUR", "€3.5bn")]]


def _arrest_of(spec: str, first: int, last: int) -> Doc:
    doc = build(spec, ())
    a, b = doc.tokens[first], doc.tokens[last]
    whom = Actor(doc.text[a.start : b.end], doc.text[a.start : b.end], None, None, a.start, b.end)
    return doc.replace(events=(event_at(doc.tokens[1], recipients=(whom,)),))


def test_one_named_person_arrested_counts_one():
    doc = _arrest_of("Police/police/NOUN/NNS/nsubj/1 arrested/arrest/VERB/VBD/ROOT/1 "
                     "Jose/Jose/PROPN/NNP/compound/3/PERSON Zamora/Zamora/PROPN/NNP/dobj/1/PERSON", 2, 3)
    assert found(doc) == [[("arrested", 1.0, False, None, "Jose Zamora")]]


def test_a_group_or_an_unnamed_phrase_is_not_counted_as_one():
    group = _arrest_of("Police/police/NOUN/NNS/nsubj/1 arrested/arrest/VERB/VBD/ROOT/1 "
                       "protesters/protester/NOUN/NNS/dobj/1", 2, 2)
    assert found(group) == [[]]
    # An attack on one named person is no count of the killed: the trigger kills nobody by its words.
    doc = build("Gunmen/gunman/NOUN/NNS/nsubj/1 attacked/attack/VERB/VBD/ROOT/1 Zamora/Zamora/PROPN/NNP/dobj/1/PERSON", ())
    whom = Actor("Zamora", "Zamora", None, None, doc.tokens[2].start, doc.tokens[2].end)
    assert found(doc.replace(events=(event_at(doc.tokens[1], recipients=(whom,)),))) == [[]]


def test_several_named_people_arrested_count_one_each():
    doc = build("Police/police/NOUN/NNS/nsubj/1 arrested/arrest/VERB/VBD/ROOT/1 "
                "Kemal/Kemal/PROPN/NNP/dobj/1/PERSON and/and/CCONJ/CC/cc/2 Ruslan/Ruslan/PROPN/NNP/conj/2/PERSON", ())
    people = tuple(Actor(t.text, t.text, None, None, t.start, t.end) for t in (doc.tokens[2], doc.tokens[4]))
    doc = doc.replace(events=(event_at(doc.tokens[1], recipients=people),))
    assert found(doc) == [[("arrested", 2.0, False, None, "Kemal and Ruslan")]]


def test_counts_of_one_kind_joined_by_and_add_up():
    spec = (
        "Gunmen/gunman/NOUN/NNS/nsubj/1 killed/kill/VERB/VBD/ROOT/1 three/three/NUM/CD/nummod/3/CARDINAL "
        "policemen/policeman/NOUN/NNS/dobj/1 and/and/CCONJ/CC/cc/3 two/two/NUM/CD/nummod/6/CARDINAL "
        "civilians/civilian/NOUN/NNS/conj/3 +././PUNCT/./punct/1"
    )
    assert found(build(spec, (1,))) == [[("killed", 5.0, False, None, "three policemen and two civilians")]]
    ranged = spec.replace("and/and/CCONJ/CC/cc/3", "or/or/CCONJ/CC/cc/3")
    assert [q[1] for q in found(build(ranged, (1,)))[0]] == [3.0, 2.0]  # "three or two": no sum
    # "a policeman and two civilians": the singular noun is one more
    one = spec.replace("three/three/NUM/CD/nummod/3/CARDINAL policemen/policeman/NOUN/NNS/dobj/1",
                       "a/a/DET/DT/det/3 policeman/policeman/NOUN/NN/dobj/1")
    assert found(build(one, (1,))) == [[("killed", 3.0, False, None, "a policeman and two civilians")]]
