"""Named people in the actor dictionary: loading, lookup rules, and resolution in the actors stage."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from builders import hand_doc

from lapwing.actors.dictionary import ActorDictionary, DictionaryEntry, PeopleIndex, default_dictionary, person_key
from lapwing.errors import ResourceError
from lapwing.stages.actors import ActorResolver


def person(name, aliases=(), country="HUN", sector="GOV", years=(2010, None), surname=None) -> DictionaryEntry:
    return DictionaryEntry(name, tuple(aliases), country, sector, "person", "test", years, surname)


VARGA = person("Lena Varga", ["Varga"])
FAKE = ActorDictionary([
    VARGA,
    person("Tomas Kerr", ["Kerr"], country="IRL", years=(1990, 1999)),
    person("Ilse Kerr", ["Kerr"], country="IRL", years=(2005, 2012)),
    person("Mohamed Dagalo", ["Hemedti", "Dagalo"], country="SDN", sector="REB", years=(2013, None)),
    DictionaryEntry("Blue Brigade", ("BB",), "IMG", "REB", "armed_group", "test"),
])


def mentions(doc, dictionary=FAKE):
    return [(m.actor.text, m.actor.country, m.actor.sector) for m in ActorResolver(dictionary=dictionary)(doc).mentions]


# -- the shipped file ----------------------------------------------------------------------------
def test_shipped_people_load_with_broad_coverage():
    d = default_dictionary()
    people = d.people
    assert len(people) >= 400
    expected = {
        "Putin": ("RUS", "GOV"), "Zelenskiy": ("UKR", "GOV"), "Netanyahu": ("ISR", "GOV"),
        "Hemedti": ("SDN", "REB"), "Burhan": ("SDN", "MIL"), "Prigozhin": ("RUS", "MIL"),
        "Ocalan": ("TUR", "REB"), "Prabhakaran": ("LKA", "REB"), "Guterres": ("UNO", "GOV"),
        "Stoltenberg": ("IGO", "MIL"), "Fatou Bensouda": ("IGO", "JUD"), "Erdoğan": ("TUR", "GOV"),
        "Abdul-Malik al-Houthi": ("YEM", "REB"), "Museveni": ("UGA", "GOV"), "Tokayev": ("KAZ", "GOV"),
    }
    found = {name: (e.country, e.sector) for name in expected if (e := d.person(name))}
    assert found == expected
    assert d.person("Bush").country == "USA"  # both Bushes are American: the surname is safe
    assert d.lookup("Putin") is None and d.find(["Vladimir", "Putin"]) == []  # people are no organizations


def test_shipped_people_are_well_formed():
    people = default_dictionary().people
    assert all(e.years is not None for e in people.entries)
    # Surnames and given names that name many people in world news are never bare aliases.
    for word in ("Kim", "Khan", "Li", "Wang", "Hussein", "Mohammed", "Abdullah", "Ali", "Ahmed", "Singh", "Gandhi"):
        assert not people.candidates(word), word
    # A name shared across countries is one person in two roles, or has exactly one holder in office.
    for key, entries in people.ambiguous().items():
        current = {e.country for e in entries if e.years and e.years[1] is None}
        assert len({e.name for e in entries}) == 1 or len(current) == 1, key


def test_shipped_people_load_quickly():
    t0 = time.perf_counter()
    ActorDictionary.load()
    assert time.perf_counter() - t0 < 2.0


# -- lookup rules ---------------------------------------------------------------------------------
def test_names_match_without_accents_case_or_punctuation():
    assert person_key("Recep Tayyip Erdoğan") == person_key("recep tayyip ERDOGAN")
    assert person_key("Ahmed al-Sharaa") == "ahmed al sharaa"
    assert person_key("MBS") == "MBS"  # acronyms keep their case
    index = PeopleIndex([person("Mohammed bin Salman", ["MBS"], country="SAU")])
    assert index.resolve("MBS").country == "SAU"
    assert index.resolve("mbs") is None


def test_shared_alias_resolves_when_the_country_agrees_and_year_picks_the_person():
    assert FAKE.person("Kerr").country == "IRL"
    assert FAKE.person("Kerr").name == "Ilse Kerr"  # no date: the latest
    assert FAKE.person("Kerr", year=1995).name == "Tomas Kerr"


def test_alias_across_countries_needs_a_year_or_one_holder_in_office():
    index = PeopleIndex([
        person("Ana Ruiz", ["Ruiz"], country="ESP", years=(1990, 1999)),
        person("Ana Ruiz", ["Ruiz"], country="EUR", years=(2000, 2004)),
        person("Jon Ode", ["Ode"], country="NOR", years=(1990, 1999)),
        person("Kai Ode", ["Ode"], country="DNK", years=(2015, None)),
    ])
    assert len(index) == 4  # one person in two roles keeps both entries
    assert index.resolve("Ruiz") is None
    assert index.resolve("Ruiz", year=1995).country == "ESP"
    assert index.resolve("Ruiz", year=2002).country == "EUR"
    assert index.resolve("Ode").country == "DNK"  # the one still in office
    assert index.resolve("Ode", year=1995).country == "NOR"
    assert index.resolve("Ode", year=1980) is None  # an archive year that fits neither
    assert set(index.ambiguous()) == {"ruiz", "ana ruiz", "ode"}


def test_surname_after_a_title_only_and_only_for_one_country():
    index = PeopleIndex([
        person("Kim Jong Un", country="PRK", years=(2011, None), surname="Kim"),
        person("Kim Dae-jung", country="KOR", years=(1998, 2003), surname="Kim"),
        person("Bashar al-Assad", country="SYR", years=(2000, 2024)),
    ])
    assert index.resolve("Kim") is None
    assert index.resolve("Kim", titled=True) is None  # North or South: a title alone cannot tell
    assert index.resolve("Kim", year=2000, titled=True).country == "KOR"
    assert index.resolve("Kim", year=2015, titled=True).country == "PRK"
    assert index.resolve("Assad", titled=True).country == "SYR"  # "President Assad": the particle drops
    assert index.resolve("Assad") is None


def test_nicknames_are_not_surnames():
    assert FAKE.people.is_nickname("Hemedti")
    assert not FAKE.people.is_nickname("Dagalo") and not FAKE.people.is_nickname("Varga")


def test_official_is_eli_once_the_article_dates_after_the_role():
    kerr = FAKE.person("Kerr", year=1995)
    assert FAKE.people.sector(kerr, 1995) == "GOV" and FAKE.people.sector(kerr, 2001) == "ELI"
    rebel = person("Ola Ndu", country="NGA", sector="REB", years=(2002, 2009))
    assert FAKE.people.sector(rebel, 2020) == "REB"


@pytest.mark.parametrize(
    "line, fragment",
    [
        ("{name: Bad One, country: HUN, type: person, years: [2001]}", "'years' must be [start, end]"),
        ("{name: Bad One, country: HUN, type: person, years: [2005, 2001]}", "'years' must be [start, end]"),
        ("{name: Bad One, country: HUN, years: [2001, null]}", "add 'type: person'"),
        ("{name: Bad One, country: HUN, type: person, surname: ''}", "'surname' must be a non-empty string"),
    ],
)
def test_bad_person_entries_are_refused(tmp_path, line, fragment):
    path = tmp_path / "people.yaml"
    path.write_text(f"actors:\n  - {line}\n", encoding="utf-8")
    with pytest.raises(ResourceError) as err:
        ActorDictionary.load([path], include_shipped=False)
    assert "entry 1 ('Bad One')" in str(err.value) and fragment in str(err.value)


def test_user_file_replaces_a_shipped_person(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("actors:\n  - {name: Vladimir Putin, aliases: [Putin], country: RUS, sector: ELI, "
                    "type: person, years: [1999, 2008]}\n", encoding="utf-8")
    assert ActorDictionary.load([path]).person("Putin").sector == "ELI"


# -- the actors stage -----------------------------------------------------------------------------
SAID = """
Varga Varga PROPN NNP nsubj 2
said say VERB VBD ROOT 0
. . PUNCT . punct 2
"""


def test_person_with_no_country_in_the_article_takes_the_dictionary_codes():
    assert mentions(hand_doc(SAID, entities=[(1, 1, "PERSON")])) == [("Varga", "HUN", "GOV")]


def test_a_listed_alias_the_parser_calls_an_organisation_is_still_the_person():
    # The dictionary lists a bare surname as an alias only where it is unambiguous ("Trump" tagged ORG).
    assert mentions(hand_doc(SAID, entities=[(1, 1, "ORG")])) == [("Varga", "HUN", "GOV")]


def test_an_unlisted_surname_the_parser_does_not_call_a_person_stays_open():
    found = mentions(hand_doc(SAID.replace("Varga", "Dalca"), entities=[(1, 1, "ORG")]))
    assert found == [("Dalca", None, None)]


def test_surname_after_a_title_resolves_whatever_the_parser_said():
    rows = """
    President President PROPN NNP compound 2
    Varga Varga PROPN NNP nsubj 3
    said say VERB VBD ROOT 0
    """
    assert mentions(hand_doc(rows)) == [("President Varga", "HUN", "GOV")]


def test_full_name_resolves_even_when_labelled_a_place():
    rows = """
    Lena Lena PROPN NNP compound 2
    Varga Varga PROPN NNP nsubj 3
    said say VERB VBD ROOT 0
    """
    assert mentions(hand_doc(rows, entities=[(1, 2, "GPE")])) == [("Lena Varga", "HUN", "GOV")]


def test_nickname_resolves_whatever_the_parser_said():
    rows = """
    Hemedti Hemedti PROPN NNP nsubj 2
    said say VERB VBD ROOT 0
    """
    assert mentions(hand_doc(rows, entities=[(1, 1, "GPE")])) == [("Hemedti", "SDN", "REB")]


def test_the_article_wins_over_the_dictionary():
    rows = """
    Romanian romanian ADJ JJ amod 3
    army army NOUN NN compound 3
    commander commander NOUN NN compound 5
    Lena Lena PROPN NNP compound 5
    Varga Varga PROPN NNP nsubj 6
    said say VERB VBD ROOT 0
    """
    found = mentions(hand_doc(rows, entities=[(1, 1, "NORP"), (4, 5, "PERSON")]))
    assert found == [("Romanian army commander Lena Varga", "ROU", "MIL")]


def test_publication_year_makes_a_past_official_eli():
    rows = SAID.replace("Varga", "Kerr")
    assert mentions(hand_doc(rows, entities=[(1, 1, "PERSON")], published=dt.date(1996, 5, 1))) == \
        [("Kerr", "IRL", "GOV")]
    assert mentions(hand_doc(rows, entities=[(1, 1, "PERSON")], published=dt.date(2020, 5, 1))) == \
        [("Kerr", "IRL", "ELI")]


def test_shipped_people_on_parsed_text(parse_text):
    doc = ActorResolver()(parse_text("President Bush warned Iraq. Netanyahu rejected the proposal from Hamas."))
    found = {m.actor.text: (m.actor.country, m.actor.sector) for m in doc.mentions}
    assert found["President Bush"] == ("USA", "GOV")
    assert found["Netanyahu"] == ("ISR", "GOV")
    assert found["Hamas"] == ("PSE", "REB")
