"""The actor knowledge base (data/actor_kb.tsv.gz, built by scripts/build_actor_kb.py): the shipped
file, resolution at a date, the builder's reading of the source format, and its use in the actors
stage after the hand-kept dictionary."""

from __future__ import annotations

import datetime as dt
import gzip
import importlib.util
import sys
from importlib import resources
from pathlib import Path

import pytest
from builders import hand_doc

from lapwing.actors.dictionary import ActorDictionary, DictionaryEntry, default_dictionary
from lapwing.actors.kb import KB_FILE, ActorKB, default_kb
from lapwing.errors import ResourceError
from lapwing.records import Actor
from lapwing.stages.actors import ActorResolver

ROOT = Path(__file__).resolve().parents[1]
DATA = resources.files("lapwing") / "data"


def _builder():
    spec = importlib.util.spec_from_file_location("build_actor_kb", ROOT / "scripts" / "build_actor_kb.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _kb(tmp_path: Path, rows: list[str]) -> ActorKB:
    path = tmp_path / "kb.tsv.gz"
    path.write_bytes(gzip.compress(("# test\n" + "\n".join(rows) + "\n").encode("utf-8")))
    return ActorKB.read(path)


# -- the shipped file ----------------------------------------------------------------------------
def test_shipped_kb_is_there_with_its_source_and_licence():
    path = DATA / KB_FILE
    assert path.is_file(), "data/actor_kb.tsv.gz is missing: run scripts/build_actor_kb.py (docs/actors.md)"
    header = [line for line in gzip.decompress(path.read_bytes()).decode("utf-8").splitlines()[:20]
              if line.startswith("#")]
    text = "\n".join(header)
    assert "openeventdata/petrarch2" in text and "676801cd9cb2924bbbad09f86d15c9323e7097bf" in text
    assert "MIT" in text and "Open Event Data Alliance" in text
    licence = (DATA / "actor_kb.LICENSE.txt").read_text(encoding="utf-8")
    assert "Permission is hereby granted" in licence and "Open Event Data Alliance" in licence
    assert len(path.read_bytes()) < 3_000_000  # a few MB at most


def test_shipped_kb_is_large():
    # Its load time is measured by benchmarks/startup.py, not asserted here (the machine is shared).
    kb = ActorKB.read(DATA / KB_FILE)
    assert len(kb) > 20_000 and len(kb.index) > 20_000


@pytest.mark.parametrize(("name", "when", "expected"), [
    # One person, two offices: foreign minister of South Korea, then UN secretary-general.
    ("Ban Ki-moon", "2005-06-01", ("KOR", "GOV", "dated")),
    ("Ban Ki-moon", "2010-06-01", ("UNO", None, "dated")),
    # Before office the source codes an elite; in office, government.
    ("Hamid Karzai", "1990-06-01", ("AFG", "ELI", "dated")),
    ("Hamid Karzai", "2005-06-01", ("AFG", "GOV", "dated")),
    ("Kofi Annan", "2012-06-01", ("UNO", "ELI", "default")),  # after office: the entry's undated code
    ("Taliban", "2000-01-01", ("AFG", "REB", "default")),
    ("DGSE", None, ("FRA", "SPY", "undated")),
])
def test_shipped_kb_resolves_names_at_a_date(name, when, expected):
    match = default_kb().resolve(name, when)
    assert match is not None, name
    assert (match.country, match.sector, match.basis) == expected
    assert match.kb_id and default_kb().candidates(name)


def test_shipped_kb_has_no_bare_surnames_of_people_and_no_country_names():
    kb = default_kb()
    assert not kb.candidates("Karzai", "person")  # a surname alone is the article's to resolve
    assert not kb.candidates("Afghanistan") and not kb.candidates("Kandahar")
    assert kb.resolve("Nobody Inparticular Atall", "2020-01-01") is None


# -- resolution rules ----------------------------------------------------------------------------
def test_resolution_prefers_the_covering_range_then_the_default_then_the_nearest(tmp_path):
    kb = _kb(tmp_path, [
        "T:LENA_VARGA\tperson\tLena Varga\tlena varga\tHUN:ELI:1990-01-01:2001-12-31;HUN:GOV:2002-01-01:2010-06-30;HUN:ELI::",
        "T:ODA_KERR\tperson\tOda Kerr\toda kerr|o kerr\tIRL:MIL:1995-01-01:1999-12-31;IRL:GOV:2004-01-01:2006-12-31",
        "T:ANA_NULL\tperson\tAna Null\tana null\tROU:GOV:2000-01-01:2004-12-31;-:::",
    ])
    varga = kb.resolve("Lena Varga", "2005-03-01")
    assert (varga.kb_id, varga.country, varga.sector, varga.basis) == ("T:LENA_VARGA", "HUN", "GOV", "dated")
    assert kb.resolve("LENA VARGA", dt.date(1995, 1, 1)).sector == "ELI"  # case and date type do not matter
    assert (kb.resolve("Lena Varga", "2015-01-01").sector, kb.resolve("Lena Varga", "2015-01-01").basis) == ("ELI", "default")
    # No undated code: the nearest range, marked as such.
    assert (kb.resolve("Oda Kerr", "2001-01-01").sector, kb.resolve("Oda Kerr", "2001-01-01").basis) == ("MIL", "nearest")
    assert kb.resolve("O. Kerr", "2003-06-01").sector == "GOV"  # nearer the second range; an alias
    assert kb.resolve("Oda Kerr", None).sector == "GOV"  # no date: the latest range
    # The source's null code: nobody outside the dated range.
    assert kb.resolve("Ana Null", "2002-01-01").country == "ROU"
    assert kb.resolve("Ana Null", "2010-01-01") is None


def test_a_name_shared_across_countries_resolves_only_when_the_date_decides(tmp_path):
    kb = _kb(tmp_path, [
        "T:A\tperson\tJon Moor\tjon moor\tIRL:GOV:2000-01-01:2005-12-31",
        "T:B\tperson\tJon Moor\tjon moor\tNZL:GOV:2010-01-01:2015-12-31",
        "T:C\torg\tBlue Front\tblue front\tHUN:REB::",
    ])
    assert kb.resolve("Jon Moor", "2003-01-01").kb_id == "T:A"
    assert kb.resolve("Jon Moor", "2012-01-01").kb_id == "T:B"
    assert kb.resolve("Jon Moor", "2008-01-01") is None  # both are only "nearest": no guess
    assert kb.resolve("Blue Front", None, "person") is None and kb.resolve("Blue Front", None, "org").country == "HUN"


def test_a_broken_file_is_a_resource_error(tmp_path):
    bad = tmp_path / "bad.tsv.gz"
    bad.write_bytes(b"not gzip")
    with pytest.raises(ResourceError, match="knowledge base"):
        ActorKB.read(bad)
    with pytest.raises(ResourceError, match="columns"):
        _kb(tmp_path, ["T:A\tperson\tJon Moor"])


# -- the builder -----------------------------------------------------------------------------------
SAMPLE = """\
# a hand-written sample in the TABARI actor format
ELSA_MARTEN_  # CountryInfo.txt
\t[NORELI 700101-011031]
\t[NORGOVMED 011101-050930]
\t[NORELI]
+E._MARTEN_
GRAY_LIBERATION_FRONT_(GLF)_ [COLREB] # note
+GRAY_FRONT_
ATLANTIS_ [NOR]
+ATLANTIS_CITY_
PAN_TRADING_ [MNC]
REGIONAL_BAND_ [AFRREB]
MARA_VOSS_\t[IGOUNO >070101] [ELI]# IGOrulers.txt
"""


def test_builder_reads_the_source_format_and_maps_codes():
    b = _builder()
    entries = b.read_source(SAMPLE, "sample")
    assert [e.phrase for e in entries] == ["ELSA_MARTEN_", "GRAY_LIBERATION_FRONT_(GLF)_", "ATLANTIS_", "PAN_TRADING_",
                                           "REGIONAL_BAND_", "MARA_VOSS_"]
    marten = entries[0]
    assert marten.aliases == ["E._MARTEN_"] and len(marten.codes) == 3
    spans = b.parse_codes(marten.codes)
    assert [(s.country, s.sector, s.start, s.end) for s in spans] == [
        ("NOR", "ELI", "1970-01-01", "2001-10-31"), ("NOR", "GOV", "2001-11-01", "2005-09-30"), ("NOR", "ELI", "", "")]
    assert b.map_code("NGOHLH") == ("NGO", "MED") and b.map_code("USAMED") == ("USA", "JRN")
    assert b.map_code("IGOEUREEC") == ("EUR", None) and b.map_code("IMGMUSALQ") == ("IMG", "REB")
    assert b.map_code("AFRREB") is None and b.map_code("TMPGOV") == ("TLS", "GOV")
    voss = b.parse_codes(entries[5].codes)
    assert [(s.country, s.sector, s.start) for s in voss] == [("UNO", None, "2007-01-01"), ("UNO", "ELI", "")]
    assert b.plain_names("GRAY_LIBERATION_FRONT_(GLF)_") == ["GRAY LIBERATION FRONT", "GLF"]


def test_builder_output_keeps_people_orgs_and_drops_country_names(tmp_path):
    b = _builder()
    rows, stats = b.build({name: (SAMPLE if tag == "C" else "") for tag, name in b.FILES})
    kb = _kb(tmp_path, rows)
    assert stats["bare_state"] == 1 and stats["no_code"] == 1  # Atlantis (a country name); the regional band
    assert (kb.resolve("Elsa Marten", "2003-01-01").sector, kb.resolve("E. Marten", "2003-01-01").kind) == ("GOV", "person")
    assert kb.resolve("GLF", None).country == "COL" and kb.resolve("Gray Front", None).kind == "org"
    assert kb.resolve("Pan Trading", None).country == "MNC"
    assert not kb.candidates("Marten")


# -- in the actors stage ---------------------------------------------------------------------------
SAID = """
Elsa Elsa PROPN NNP compound 2
Marten Marten PROPN NNP nsubj 3
said say VERB VBD ROOT 0
"""


def _resolve(doc, dictionary):
    return [(m.actor.name, m.actor.country, m.actor.sector, m.actor.kb_id)
            for m in ActorResolver(dictionary=dictionary)(doc).mentions]


def test_a_person_the_dictionary_lacks_takes_codes_from_the_kb_at_the_article_date(tmp_path):
    kb = _kb(tmp_path, ["T:ELSA_MARTEN\tperson\tElsa Marten\telsa marten\tNOR:ELI:1970-01-01:2001-10-31;"
                        "NOR:GOV:2001-11-01:2005-09-30;NOR:ELI::"])
    d = ActorDictionary([], kb=kb)
    doc = hand_doc(SAID, entities=[(1, 2, "PERSON")], published=dt.date(2003, 5, 1))
    assert _resolve(doc, d) == [("Elsa Marten", "NOR", "GOV", "T:ELSA_MARTEN")]
    later = hand_doc(SAID, entities=[(1, 2, "PERSON")], published=dt.date(2012, 5, 1))
    assert _resolve(later, d) == [("Elsa Marten", "NOR", "ELI", "T:ELSA_MARTEN")]
    assert _resolve(doc, ActorDictionary([])) == [("Elsa Marten", None, None, None)]  # no KB, no codes


def test_the_hand_dictionary_and_the_article_stay_first(tmp_path):
    kb = _kb(tmp_path, ["T:ELSA_MARTEN\tperson\tElsa Marten\telsa marten\tNOR:GOV::"])
    mine = DictionaryEntry("Elsa Marten", (), "DNK", "MIL", "person", "user", (2000, None))
    doc = hand_doc(SAID, entities=[(1, 2, "PERSON")], published=dt.date(2003, 5, 1))
    assert _resolve(doc, ActorDictionary([mine], kb=kb)) == [("Elsa Marten", "DNK", "MIL", None)]
    rows = """
    Swedish Swedish ADJ JJ amod 2
    envoy envoy NOUN NN compound 4
    Elsa Elsa PROPN NNP compound 4
    Marten Marten PROPN NNP nsubj 5
    said say VERB VBD ROOT 0
    """
    doc = hand_doc(rows, entities=[(3, 4, "PERSON")], published=dt.date(2003, 5, 1))
    # The article names another country: the knowledge base does not overrule it.
    found = _resolve(doc, ActorDictionary([], kb=kb))
    assert [(c, k) for _, c, _, k in found] == [("SWE", None)]


def test_an_organization_the_dictionary_lacks_takes_codes_from_the_kb(tmp_path):
    kb = _kb(tmp_path, ["T:GRAY_FRONT\torg\tGray Liberation Front\tgray liberation front|glf\tCOL:REB::"])
    rows = """
    Gray Gray PROPN NNP compound 3
    Liberation Liberation PROPN NNP compound 3
    Front Front PROPN NNP nsubj 4
    attacked attack VERB VBD ROOT 0
    """
    doc = hand_doc(rows, entities=[(1, 3, "ORG")], published=dt.date(2003, 5, 1))
    assert _resolve(doc, ActorDictionary([], kb=kb)) == [("Gray Liberation Front", "COL", "REB", "T:GRAY_FRONT")]


def test_the_shipped_dictionary_carries_the_shipped_kb():
    assert default_dictionary().kb is default_kb()
    assert ActorDictionary.load(include_shipped=False).kb is None
    actor = Actor("x", "x", None, None, 0, 1)
    assert actor.kb_id is None and actor.to_dict()["kb_id"] is None


def test_end_to_end_a_minister_known_only_to_the_kb():
    import lapwing

    text = "Rangin Dadfar Spanta met the visiting delegation in Kabul on Monday."
    doc = lapwing.extract(text, published="2008-03-12")
    found = {m.actor.name: m.actor for m in doc.mentions}
    spanta = found.get("Rangin Dadfar Spanta")
    assert spanta is not None, found
    assert (spanta.country, spanta.sector) == ("AFG", "GOV") and spanta.kb_id == "C:RANGIN_DADFAR_SPANTA"


# -- parties (Party Facts) ----------------------------------------------------------------------
def test_shipped_kb_names_its_party_source_and_licence():
    header = "\n".join(line for line in gzip.decompress((DATA / KB_FILE).read_bytes()).decode("utf-8").splitlines()[:40]
                       if line.startswith("#"))
    assert "hdigital/partyfactsdata" in header and "764de8978f84ba41a1c88752d6a00b9a4d05f599" in header
    assert "Party Facts authors" in (DATA / "actor_kb.LICENSE.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("name, country", [
    ("Bharatiya Janata Party", "IND"), ("BJP", "IND"), ("Georgian Dream", "GEO"), ("ZANU-PF", "ZWE"),
    ("The Awami League", "BGD"), ("Pakistan Tehreek-e-Insaf", "PAK"), ("Kurdistan Democratic Party", "IRQ"),
])
def test_shipped_kb_knows_parties(name, country):
    match = default_kb().resolve(name, "2024-05-01", "org")
    assert match is not None and (match.country, match.sector) == (country, "PTY") and match.kb_id.startswith("P:")


def test_a_phoenix_name_stays_the_armed_group_and_generic_words_are_no_party():
    kb = default_kb()
    assert kb.resolve("Hamas", "2024-05-01", "org").kb_id == "M:HAMAS"
    assert kb.resolve("Conservatives", "2024-05-01", "org") is None


_PARTIES_CSV = """country,partyfacts_id,technical,name_short,name,name_english,name_other,year_first,year_last
ZAF,1,,DA,Demokratiese Alliansie,Democratic Alliance,,2000,
GRC,2,,,Dimokratiki Symmachia,Democratic Alliance,,2010,2012
HUN,3,,Fidesz,Fidesz – Magyar Polgári Szövetség,Fidesz – Hungarian Civic Alliance,,1988,
GBR,4,,,Conservatives,Conservatives,,1834,
BGD,5,,BAL,Bangladesh Awami League,Bangladesh People's League,,1949,
AFG,6,10,unknown,unknown,unknown,,1800,
"""


def test_builder_reads_party_facts_rows(tmp_path):
    build = _builder()
    stats = {"parties": 0, "keys": 0}
    rows = build.build_parties(_PARTIES_CSV, stats, taken={"hamas"})
    assert stats["parties"] == 4  # the placeholder row and the generic one-word name are dropped
    kb = _kb(tmp_path, rows)
    assert kb.resolve("Democratic Alliance", "2011-06-01", "org") is None  # two countries at once
    assert kb.resolve("Democratic Alliance", "2011-06-01", "org", country="ZAF").country == "ZAF"
    assert kb.resolve("Fidesz", "2020-01-01", "org").country == "HUN"
    assert kb.resolve("Awami League", "2020-01-01", "org").country == "BGD"
    assert kb.resolve("Conservatives", "2020-01-01", "org") is None
    assert kb.resolve("Democratic Alliance", "2020-01-01", "org").sector == "PTY"  # Greece's ended in 2012


def test_a_party_named_with_its_country_resolves_among_namesakes(sentence_engine):
    doc = sentence_engine("Greece's Democratic Alliance rejected the budget on Tuesday.", dt.date(2011, 6, 1))
    assert any(m.actor.country == "GRC" for m in doc.mentions if "Democratic Alliance" in m.actor.text)


def test_a_party_among_namesakes_is_the_one_of_the_countries_the_article_names(sentence_engine):
    doc = sentence_engine("The Democratic Alliance accused President Cyril Ramaphosa of lying.", dt.date(2011, 6, 1))
    (da,) = [m.actor for m in doc.mentions if "Democratic Alliance" in m.actor.text]
    assert (da.country, da.sector, da.basis) == ("ZAF", "PTY", "knowledge base") and da.kb_id.startswith("P:")
    # Named in an article about neither country, it stays unresolved rather than guessed.
    doc = sentence_engine("The Democratic Alliance accused the Kandor government of lying.", dt.date(2011, 6, 1))
    (da,) = [m.actor for m in doc.mentions if "Democratic Alliance" in m.actor.text]
    assert da.country is None


def test_a_longer_name_holding_a_listed_party_is_not_that_party(sentence_engine):
    when = dt.date(2023, 9, 12)
    found = {m.actor.text: m.actor.country for m in sentence_engine(
        "The Kurdistan Democratic Party accused Baghdad of withholding salaries.", when).mentions}
    assert found["The Kurdistan Democratic Party"] == "IRQ"
    found = {m.actor.text: m.actor.country for m in sentence_engine(
        "Japan's Liberal Democratic Party won the election.", when).mentions}
    assert found["Japan's Liberal Democratic Party"] == "JPN"
    found = {m.actor.text: m.actor.country for m in sentence_engine(
        "The Japanese Liberal Democratic Party won the election.", when).mentions}
    assert found["The Japanese Liberal Democratic Party"] == "JPN"  # the demonym says whose
    found = {m.actor.text: m.actor.country for m in sentence_engine("The Democratic Party won the seat.", when).mentions}
    assert found["The Democratic Party"] == "USA"  # the listed one, unqualified


def test_a_body_named_for_a_region_is_of_that_regions_country(sentence_engine):
    when = dt.date(2020, 5, 29)
    found = {m.actor.text: m.actor for m in sentence_engine(
        "The Minnesota National Guard deployed 500 troops on Friday.", when).mentions}
    guard = found["The Minnesota National Guard"]
    assert (guard.country, guard.sector, guard.basis) == ("USA", "MIL", "place")
    # A region name two countries share says nothing.
    found = {m.actor.text: m.actor for m in sentence_engine("The Punjab Police arrested ten men.", when).mentions}
    assert found["The Punjab Police"].country is None
