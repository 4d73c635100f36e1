"""The actor dictionary, role table and country names: loading, checking and matching."""

from __future__ import annotations

import pytest

from lapwing.actors import (
    ActorDictionary,
    DictionaryEntry,
    default_dictionary,
    default_roles,
    is_known_code,
    load_countries,
    read_roles,
)
from lapwing.errors import ResourceError


def test_shipped_dictionary_loads_with_conflict_organizations():
    d = default_dictionary()
    assert len(d) >= 150
    assert d.lookup("UNRWA").country == "UNO"
    assert d.lookup("Ansar Allah").name == "Houthis"
    assert (d.lookup("Rapid Support Forces").country, d.lookup("RSF").sector) == ("SDN", "REB")
    assert d.lookup("Daesh").country == "IMG"
    assert d.lookup("Doctors without borders").name == "Doctors Without Borders"
    assert d.lookup("save the children") is None  # names need a capital in the text


def test_acronyms_match_only_in_capitals():
    d = default_dictionary()
    assert d.lookup("WHO").name == "World Health Organization"
    assert d.lookup("who") is None
    assert [e.name for _, _, e in d.find(["IS", "is", "WHO", "who"])] == ["Islamic State", "World Health Organization"]


def test_find_prefers_the_longest_name_and_reads_split_tokens():
    d = default_dictionary()
    found = d.find(["Palestinian", "Islamic", "Jihad", "and", "al", "-", "Qaida", "'s", "rivals"])
    assert [(a, b, e.name) for a, b, e in found] == [(0, 3, "Palestinian Islamic Jihad"), (4, 7, "al-Qaida")]


def test_user_file_adds_entries_and_overrides_aliases(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(
        "actors:\n"
        "  - {name: Sahel Watch, aliases: [SW], country: NGO, type: ngo}\n"
        "  - {name: Hamas political bureau, aliases: [Hamas], country: PSE, sector: PTY}\n",
        encoding="utf-8",
    )
    d = ActorDictionary.load([path])
    assert d.lookup("SW").name == "Sahel Watch"
    assert d.lookup("Hamas").sector == "PTY"
    assert d.lookup("UNICEF").country == "UNO"


@pytest.mark.parametrize(
    "line, fragment",
    [
        ("{name: Bad One, country: XYZ}", "unknown country code 'XYZ'"),
        ("{name: Bad One, country: NGO, sector: ZZZ}", "unknown sector code 'ZZZ'"),
        ("{name: Bad One, country: NGO, kind: ngo}", "unknown keys ['kind']"),
        ("{name: Bad One, country: NGO, type: club}", "unknown type 'club'"),
        ("{name: Bad One, country: NGO, aliases: B1}", "'aliases' must be a list"),
    ],
)
def test_bad_entries_name_the_file_and_entry(tmp_path, line, fragment):
    path = tmp_path / "bad.yaml"
    path.write_text(f"actors:\n  - {{name: Fine, country: IGO}}\n  - {line}\n", encoding="utf-8")
    with pytest.raises(ResourceError) as err:
        ActorDictionary.load([path], include_shipped=False)
    message = str(err.value)
    assert "bad.yaml" in message and "entry 2 ('Bad One')" in message and fragment in message


def test_file_without_actor_list_is_refused(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- {name: X, country: IGO}\n", encoding="utf-8")
    with pytest.raises(ResourceError, match="'actors' list"):
        ActorDictionary.load([path], include_shipped=False)
    with pytest.raises(ResourceError, match="cannot read"):
        ActorDictionary.load([tmp_path / "missing.yaml"], include_shipped=False)


def test_dictionary_accepts_hand_built_entries():
    d = ActorDictionary([DictionaryEntry("Blue Brigade", ("BB",), "IMG", "REB", "armed_group", "test")])
    assert [(a, b) for a, b, _ in d.find(["the", "Blue", "Brigade", "and", "BB"])] == [(1, 3), (4, 5)]


def test_roles_match_longest_title_and_capitalized_forms():
    roles = default_roles()
    found = roles.find(["Israeli", "Prime", "Minister", "office"])
    assert [(a, b, r.key) for a, b, r in found] == [(1, 3, "prime minister"), (3, 4, "office")]
    assert roles.lookup("PM").key == "prime minister"
    assert roles.lookup("pm") is None
    assert roles.lookup("troop").sector == "MIL"
    assert roles.lookup("foreign minister").person


def test_role_file_is_checked(tmp_path):
    path = tmp_path / "roles.yaml"
    path.write_text("roles:\n  sheriff: {sector: XXX}\n", encoding="utf-8")
    with pytest.raises(ResourceError, match="role 'sheriff' needs a 'sector'"):
        read_roles(path)


def test_country_names_demonyms_and_metonyms():
    c = load_countries()
    assert {c.lookup(n).code for n in ("US", "U.S.", "United States", "America")} == {"USA"}
    assert c.lookup("us") is None
    assert (c.lookup("Britain").code, c.lookup("Gaza").code, c.lookup("Kosovo").code) == ("GBR", "PSE", "XKX")
    assert c.lookup("Democratic Republic of the Congo").code == "COD"
    israeli = c.lookup("Israeli")
    assert (israeli.code, israeli.kind, israeli.plural) == ("ISR", "demonym", False)
    assert (c.lookup("Palestinians").code, c.lookup("Palestinians").plural) == ("PSE", True)
    assert c.lookup("Congolese").code == "COD" and c.lookup("Saudi").code == "SAU"
    kremlin = c.lookup("the Kremlin")
    assert (kremlin.code, kremlin.kind, kremlin.sector) == ("RUS", "metonym", "GOV")


def test_demonym_coverage_is_broad():
    c = load_countries()
    codes = {m.code for m in c.table.folded.values() if m.kind == "demonym"}
    assert len(codes) >= 190
    for word in ("Qatari", "Egyptian", "Ukrainian", "Yemeni", "Somali", "Afghan", "Lebanese", "Sudanese"):
        assert c.lookup(word) is not None, word


def test_known_codes():
    assert all(is_known_code(c) for c in ("USA", "PSE", "XKX", "IGO", "UNO", "EUR", "NGO", "IMG"))
    assert not is_known_code("XYZ") and not is_known_code("usa")


def test_short_and_former_country_names_resolve():
    countries = load_countries()
    expected = {
        "Bosnia": "BIH", "Herzegovina": "BIH", "Czechia": "CZE", "Burma": "MMR", "Ivory Coast": "CIV",
        "Cote d'Ivoire": "CIV", "Zaire": "COD", "Soviet Union": "RUS", "USSR": "RUS", "Yugoslavia": "SRB",
        "East Timor": "TLS", "the Emirates": "ARE", "UAE": "ARE", "Britain": "GBR", "Holland": "NLD",
        "Macedonia": "MKD", "Moldova": "MDA", "Kirghizia": "KGZ", "Congo-Brazzaville": "COG",
    }
    assert {name: countries.lookup(name).code for name in expected} == expected
    assert (countries.lookup("Soviets").kind, countries.lookup("Soviets").code) == ("demonym", "RUS")
    assert countries.lookup("Bosnian Serbs").code == "BIH"  # longest match beats "Serbs"


def test_long_names_with_of_and_historical_groups_are_in_the_dictionary():
    d = default_dictionary()
    found = d.find(["the", "Liberation", "Tigers", "of", "Tamil", "Eelam", "said"])
    assert [(a, b, e.name, e.country, e.sector) for a, b, e in found] == [
        (1, 6, "Liberation Tigers of Tamil Eelam", "LKA", "REB")]
    assert d.lookup("National Union for the Total Independence of Angola").name == "UNITA"
    assert d.lookup("European Community").country == "EUR"
