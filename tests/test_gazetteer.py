"""The gazetteer: name normalization, spelling-variant folding, and real lookups."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lapwing.errors import ResourceError
from lapwing.gazetteer import Gazetteer, _fold_many, _normalize_many, fold_variants, normalize_name


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Dayr al Balaḩ", "dayr al balah"),
        ("Deir el-Balah", "deir el balah"),
        ("Sana'a", "sanaa"),
        ("San’a", "sana"),
        ("  The   Hague ", "hague"),
        ("Tel-Aviv", "tel aviv"),
        ("U.S.", "u s"),
        ("Łódź", "lodz"),
        ("Газа", ""),
        ("غزة", ""),
    ],
)
def test_normalize_name(raw, expected):
    assert normalize_name(raw) == expected


@pytest.mark.parametrize(
    "variants",
    [
        ("Deir al-Balah", "Dayr al Balah", "Dair el-Balah", "Deir el Balah"),
        ("Khan Younis", "Khan Yunis", "Khan Yunus", "Khan Younes"),
        ("Mohammed", "Muhammad", "Mohamed"),
        ("Nuseirat", "Nusayrat", "An Nusayrat"),
        ("Jabalia", "Jabaliya", "Jabalya"),
        ("Qalqilya", "Kalkilya"),
        ("Beit Hanoun", "Beit Hanun", "Bayt Hanun"),
    ],
)
def test_fold_variants_joins_spellings(variants):
    keys = {fold_variants(normalize_name(v)) for v in variants}
    assert len(keys) == 1, keys


@pytest.mark.parametrize(("a", "b"), [("Gaza", "Doha"), ("Rafah", "Raqqa"), ("Yemen", "Amman"), ("Idlib", "Aleppo")])
def test_fold_variants_keeps_different_names_apart(a, b):
    assert fold_variants(normalize_name(a)) != fold_variants(normalize_name(b))


def test_fold_keeps_a_lone_article_word():
    assert fold_variants("al") == "al"
    assert fold_variants("al arish") == fold_variants("arish")


@given(st.lists(st.text(max_size=12), max_size=6))
def test_batch_normalization_matches_one_by_one(names):
    assert _normalize_many(names) == [normalize_name(n) for n in names]
    keys = [k for k in _normalize_many(names) if k]
    assert _fold_many(keys) == [fold_variants(k) for k in keys]


def test_unknown_city_set_is_refused():
    with pytest.raises(ResourceError, match="min_city_population=12345"):
        Gazetteer(min_city_population=12345)


def test_bad_variants_file_is_refused(tmp_path: Path):
    bad = tmp_path / "variants.yaml"
    bad.write_text("regions:\n  - {name: Nowhere}\n", encoding="utf-8")
    with pytest.raises(ResourceError, match="Nowhere"):
        Gazetteer(variants_path=bad).lookup("Gaza")


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.default()


def _first(gazetteer: Gazetteer, name: str, **kw):
    found = gazetteer.lookup(name, **kw)
    assert found, f"{name!r} not found"
    return found[0]


@pytest.mark.parametrize(
    ("query", "name", "country", "feature"),
    [
        ("Gaza", "Gaza", "PSE", "city"),
        ("Doha", "Doha", "QAT", "city"),
        ("Deir al-Balah", "Dayr al Balaḩ", "PSE", "city"),
        ("Khan Younis", "Khān Yūnis", "PSE", "city"),
        ("Kiev", "Kyiv", "UKR", "city"),
        ("Washington", "Washington", "USA", "city"),
        ("Islamabad", "Islamabad", "PAK", "city"),
        ("the United States", "United States", "USA", "country"),
        ("U.S.", "United States", "USA", "country"),
        ("Britain", "United Kingdom", "GBR", "country"),
        ("Georgia", "Georgia", "GEO", "country"),
        ("Albania", "Albania", "ALB", "country"),
        ("Gaza Strip", "Gaza Strip", "PSE", "region"),
        ("West Bank", "West Bank", "PSE", "region"),
        ("Donbass", "Donbas", "UKR", "region"),
        ("Texas", "Texas", "USA", "region"),
        ("Africa", "Africa", None, "region"),
    ],
)
def test_real_lookups(gazetteer, query, name, country, feature):
    entry = _first(gazetteer, query)
    assert (entry.name, entry.country, entry.feature) == (name, country, feature)
    assert entry.lat is not None and entry.lon is not None


def test_ambiguous_name_ranks_by_population(gazetteer):
    found = [e for e in gazetteer.lookup("Rafah") if e.feature == "city"]
    assert [e.country for e in found[:2]] == ["PSE", "EGY"]


def test_variants_can_be_turned_off(gazetteer):
    assert gazetteer.lookup("Deir al-Balah", variants=False) == []
    assert gazetteer.lookup("Deir el-Balah", variants=False)  # a listed alternate name


def test_country_coordinates_fall_inside_the_country(gazetteer):
    egypt = _first(gazetteer, "Egypt")
    assert 22 < egypt.lat < 32 and 25 < egypt.lon < 36


def test_words_news_means_otherwise_are_not_places(gazetteer):
    assert gazetteer.lookup("Hamas") == []
    assert gazetteer.lookup("") == []


# --- ISO 3166-2 subdivisions and small towns ---------------------------------------------------


@pytest.mark.parametrize(
    ("query", "name", "country"),
    [
        ("Anbar", "Al Anbār", "IRQ"),  # the Arabic article dropped
        ("Al Anbar", "Al Anbār", "IRQ"),
        ("Anbar desert", "Al Anbār", "IRQ"),
        ("Borno State", "Borno", "NGA"),
        ("Zamfara state", "Zamfara", "NGA"),
        ("Shan State", "Shan", "MMR"),
        ("Shan", "Shan", "MMR"),  # no longer an alternate name of a Chinese town
        ("Helmand", "Helmand", "AFG"),
        ("Kabul province", "Kābul", "AFG"),
        ("Balochistan province", "Balochistan", "PAK"),  # the project's own entry, not a duplicate
    ],
)
def test_first_level_subdivisions_are_regions(gazetteer, query, name, country):
    entry = _first(gazetteer, query)
    assert (entry.name, entry.country, entry.feature) == (name, country, "region")


def test_subdivision_codes_are_kept():
    assert Gazetteer.default().lookup("Borno State")[0].admin1 == "NG-BO"


def test_a_town_outranks_its_own_countrys_namesake_province(gazetteer):
    assert _first(gazetteer, "Kabul").feature == "city"
    assert _first(gazetteer, "Deir al-Balah").feature == "city"
    assert _first(gazetteer, "Idlib").feature == "city"


def test_an_admin_word_falls_back_to_a_town(gazetteer):
    entry = _first(gazetteer, "Donetsk region")
    assert (entry.name, entry.country) == ("Donetsk", "UKR")


def test_generic_subdivision_names_are_not_regions(gazetteer):
    assert all(e.feature != "region" for e in gazetteer.lookup("Central"))
    assert gazetteer.lookup("Islamic State") == []


def test_small_towns_are_a_separate_lookup(gazetteer):
    (chibok,) = gazetteer.lookup_small_town("Chibok")
    assert (chibok.country, chibok.feature) == ("NGA", "city")
    assert all(e.name != "Chibok" for e in gazetteer.lookup("Chibok"))
    assert gazetteer.lookup_small_town("Chubek") == []  # exact own names only, no variants
    assert gazetteer.lookup_small_town("") == []


def test_small_towns_are_empty_when_the_main_index_holds_them():
    assert Gazetteer(min_city_population=1000).lookup_small_town("Chibok") == []
