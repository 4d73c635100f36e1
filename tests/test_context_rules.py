"""Rules that read beyond one clause, on parsed text: responses, continued subjects, NGO roles,
a named person's government, wrapper nouns and wire datelines."""

from __future__ import annotations

import pytest

from lapwing.actors.dictionary import default_roles, read_roles
from lapwing.errors import ResourceError
from lapwing.stages.happenings import fill_from_article
from lapwing.stages.places import dateline_place

# Sentences with no actor and no event, to put distance between two that matter.
FILLER = ["The weather was cold.", "The trains were late.", "The shops were closed.", "The rain fell.",
          "The roads flooded.", "The buses stopped.", "The markets emptied.", "The lights went out."]


@pytest.fixture(scope="module")
def run(sentence_engine):
    return sentence_engine


def _events(doc, event_type):
    return [e for e in doc.events if e.event_type == event_type]


def _response(run, text, event_type="REJECT"):
    """The last event of `event_type`, as (actor countries or names, recipient countries or names)."""
    doc = run(text)
    found = _events(doc, event_type)
    assert found, [(e.event_type, e.trigger.text) for e in doc.events]
    e = found[-1]
    assert e.sentence == len(doc.sentences) - 1, "the response is in the last sentence"
    return [a.country or a.name for a in e.actors], [r.country or r.name for r in e.recipients]


def _mention_at(doc, word):
    """The mention whose text is exactly `word` (the first such), or None."""
    return next((m for m in doc.mentions if doc.text[m.actor.start : m.actor.end] == word), None)


# 1. A response with no recipient answers whoever made what it names.


def test_denying_the_allegations_answers_the_accuser(run):
    text = "The United States accused China of hacking government computers. Beijing denies the allegations."
    assert _response(run, text) == (["CHN"], ["USA"])


def test_rejecting_the_request_answers_who_asked(run):
    assert _response(run, "Japan asked China to release the fishermen. China rejected the request.") == (["CHN"], ["JPN"])


def test_rejecting_the_proposal_answers_who_proposed(run):
    assert _response(run, "Germany proposed a ceasefire plan to Russia. Moscow rejected the proposal.") == (["RUS"], ["DEU"])


def test_rejecting_the_resolution_answers_the_body_that_demanded(run):
    text = "The Security Council called on Israel to halt its offensive. Israel rejected the resolution."
    assert _response(run, text) == (["ISR"], ["UNO"])


def test_denying_any_involvement_answers_the_accuser(run):
    text = "Ukraine accused Belarus of helping Russian troops. Belarus denied any involvement."
    assert _response(run, text) == (["BLR"], ["UKR"])


def test_the_most_recent_matching_act_is_answered(run):
    text = "The United States accused China of hacking. Britain accused China of spying. Beijing denies the allegations."
    assert _response(run, text) == (["CHN"], ["GBR"])


def test_a_bare_refusal_answers_the_request_made_of_the_refuser(run):
    text = "Police asked the relatives to leave the hospital. The relatives refused."
    assert _response(run, text) == (["relatives"], ["Police"])


def test_a_bare_refusal_does_not_answer_a_request_made_of_someone_else(run):
    text = "Police asked the journalists to leave the hospital. The relatives refused."
    assert _response(run, text) == (["relatives"], [])


def test_a_response_with_nothing_earlier_to_answer_has_no_recipient(run):
    assert _response(run, "China denies the allegations.") == (["CHN"], [])


def test_an_earlier_act_of_another_kind_is_not_answered(run):
    # A request is not an allegation.
    assert _response(run, "Japan asked China to release the fishermen. China rejected the allegations.") == (["CHN"], [])


def test_the_responders_own_earlier_act_is_not_answered(run):
    assert _response(run, "China accused Japan of provocation. China denies the allegations.") == (["CHN"], [])


def test_the_answered_act_is_at_most_eight_sentences_back(run):
    accused, denied = "The United States accused China of hacking.", "Beijing denies the allegations."
    within = " ".join([accused, *FILLER[:7], denied])
    beyond = " ".join([accused, *FILLER, denied])
    assert len(run(within).sentences) == 9 and len(run(beyond).sentences) == 10
    assert _response(run, within) == (["CHN"], ["USA"])  # 8 sentences back
    assert _response(run, beyond) == (["CHN"], [])  # 9 sentences back


@pytest.mark.parametrize("text, parties", [
    # a bare refusal answers an offer made earlier, in its own sentence too
    ("During the talks, the Chinese side proposed a minimum import price, but the European side refused.",
     (["EUR"], ["CHN"])),
    ("Hamas offered a truce. Israel rejected it.", (["ISR"], ["PSE"])),  # "it": as with no object
    ("Israel offered a truce. Israel rejected it.", (["ISR"], [])),  # never the rejecter's own act
])
def test_a_refusal_with_no_named_object_answers_an_offer_before(run, text, parties):
    assert _response(run, text) == parties


def _first(run, text, event_type):
    e = _events(run(text), event_type)[0]
    return [a.country or a.name for a in e.actors], [r.country or r.name for r in e.recipients]


def test_an_offer_made_to_no_one_was_made_to_whoever_refused_it(run):
    text = "During the talks, the Chinese side proposed a minimum import price, but the European side refused."
    assert _first(run, text, "AGREE") == (["CHN"], ["EUR"])


def test_an_allegation_aimed_at_no_one_was_aimed_at_whoever_denied_it(run):
    text = "Pakistan alleged that the attack was planned abroad. The Taliban rejected the allegation."
    assert _first(run, text, "ACCUSE") == (["PAK"], ["AFG"])


def test_an_act_aimed_at_someone_keeps_its_recipient_when_another_answers(run):
    # Britain's denial answers the accuser, but the accusation stays aimed at China
    text = "The United States accused China of hacking. Britain denies the allegations."
    assert _response(run, text) == (["GBR"], ["USA"])
    assert _first(run, text, "ACCUSE") == (["USA"], ["CHN"])


# 2. A sentence-opening "They"/"It" continues the last sentence's main subject.


def test_they_continues_a_plural_subject_counted_with_of(run):
    doc = run("Tens of thousands of Sudanese began protesting in Khartoum on Monday. They demanded reforms.")
    they = _mention_at(doc, "They")
    assert they is not None and they.actor.country == "SDN"
    (demand,) = [e for e in _events(doc, "REQUEST") if e.sentence == 1]
    assert [a.country for a in demand.actors] == ["SDN"]


def test_it_continues_a_singular_subject(run):
    doc = run("Russia invaded Ukraine in February. It said the operation would continue.")
    it = _mention_at(doc, "It")
    assert it is not None and it.actor.country == "RUS"


def test_a_noun_before_the_pronoun_stops_the_continuation(run):
    doc = run("Russia invaded Ukraine in February. In a statement, it said the operation would continue.")
    it = _mention_at(doc, "it")
    assert it is None or it.actor.country != "RUS"


def test_it_does_not_continue_a_plural_subject(run):
    doc = run("Russian officials met on Monday. It said the talks would continue.")
    it = _mention_at(doc, "It")
    assert it is None or it.actor.country != "RUS"
    doc = run("The ministers met on Monday. It said the talks would continue.")
    it = _mention_at(doc, "It")
    assert it is None or it.actor.name != "ministers"


def test_they_does_not_continue_a_singular_subject(run):
    doc = run("Russia invaded Ukraine in February. They said the operation would continue.")
    they = _mention_at(doc, "They")
    assert they is None or they.actor.country != "RUS"


# 3. Non-governmental roles are NGO unless the phrase names a country.


@pytest.mark.parametrize("text, phrase", [
    ("Rights groups condemned the arrests.", "Rights groups"),
    ("A media watchdog condemned the arrest of the journalist.", "A media watchdog"),
    ("Environment groups criticised the government's plan.", "Environment groups"),
    ("Press freedom and rights groups condemned the raid.", "Press freedom and rights groups"),
])
def test_ngo_roles_are_ngo(run, text, phrase):
    doc = run(text)
    m = _mention_at(doc, phrase)
    assert m is not None, [doc.text[x.actor.start : x.actor.end] for x in doc.mentions]
    assert (m.actor.country, m.actor.sector) == ("NGO", "SOC")
    (accuse,) = _events(doc, "ACCUSE")
    assert [a.country for a in accuse.actors] == ["NGO"]


def test_a_rights_group_named_for_a_country_is_of_that_country(run):
    doc = run("A Kenyan rights group condemned the killings.")
    m = _mention_at(doc, "A Kenyan rights group")
    assert m is not None and (m.actor.country, m.actor.sector) == ("KEN", "SOC")


def test_shipped_roles_give_ngo_to_rights_groups_only():
    roles = default_roles()
    assert roles.lookup("rights group").country == "NGO"
    assert roles.lookup("media watchdog").country == "NGO"
    assert roles.lookup("minister").country is None


def test_role_country_must_be_a_non_state_code(tmp_path):
    path = tmp_path / "roles.yaml"
    path.write_text("roles:\n  charity: {sector: SOC, country: NGO}\n", encoding="utf-8")
    assert read_roles(path).lookup("charity").country == "NGO"
    path.write_text("roles:\n  kenyan charity: {sector: SOC, country: KEN}\n", encoding="utf-8")
    with pytest.raises(ResourceError, match="role 'kenyan charity'.*'country' must be one of"):
        read_roles(path)


# 4. A role phrase holding a named person takes that person's country.


def test_a_named_leaders_administration_is_of_the_leaders_country(run):
    doc = run("The Trump administration imposed sanctions on Iran.")
    m = _mention_at(doc, "The Trump administration")
    assert m is not None and (m.actor.country, m.actor.sector) == ("USA", "GOV")
    (sanction,) = _events(doc, "SANCTION")
    assert [a.country for a in sanction.actors] == ["USA"] and [r.country for r in sanction.recipients] == ["IRN"]


# 5. A noun counted by "a series of" takes the light verb's subject as actor.


def test_a_series_of_warnings_is_a_threat_by_the_issuer(run):
    doc = run("Pyongyang issued a series of warnings on Monday.")
    (threat,) = _events(doc, "THREATEN")
    assert [(a.country, a.name) for a in threat.actors] == [("PRK", "Pyongyang")]
    doc = run("North Korea issued a series of warnings to South Korea on Monday.")
    (threat,) = _events(doc, "THREATEN")
    assert [a.country for a in threat.actors] == ["PRK"] and [r.country for r in threat.recipients] == ["KOR"]


# 6. Wire datelines.


def test_a_bare_dateline_is_its_town(run):
    doc = run("BLANTYRE — Police fired tear gas at protesters on Monday, officials in Malawi said.")
    line = dateline_place(doc)
    assert line is not None and (line.name, line.country, line.feature) == ("Blantyre", "MWI", "city")
    assert (line.start, doc.text[line.start : line.end]) == (0, "BLANTYRE")


def test_a_dateline_country_hint_resolves_a_small_town(run):
    doc = run("MARANCHON, SPAIN — Firefighters battled a wildfire on Tuesday.")
    line = dateline_place(doc)
    assert line is not None and (line.country, line.feature) == ("ESP", "city")
    assert line.name.lower().startswith("maranch") and line.start == 0


def test_a_dateline_with_an_agency(run):
    doc = run("BEIRUT (Reuters) - Lebanese police arrested protesters on Sunday.")
    line = dateline_place(doc)
    assert line is not None and (line.name, line.country, line.feature) == ("Beirut", "LBN", "city")


def test_an_acronym_opening_a_sentence_is_no_dateline(run):
    doc = run("US-China talks - a new round of negotiations - began in Geneva on Monday.")
    assert dateline_place(doc) is None
    assert not [p for p in doc.places if p.start == 0 and p.feature != "country"]


def test_the_dateline_fills_placeless_events_of_the_home_country(run):
    doc = run("BLANTYRE — Police fired tear gas at protesters on Monday, officials in Malawi said. "
              "Malawi's government condemned the violence.")
    (fired,) = _events(doc, "ASSAULT")
    assert fired.location is None  # the sentence-level locator leaves the dateline alone
    filled = {e.event_type: e for e in fill_from_article(doc, doc.events)}
    assert (filled["ASSAULT"].location.name, filled["ASSAULT"].location.feature) == ("Blantyre", "city")
    assert filled["ACCUSE"].location.name == "Blantyre"


def test_the_dateline_town_refines_the_home_country(run):
    doc = run("BLANTYRE — Police fired tear gas at protesters in Malawi on Monday. "
              "Malawi's government condemned the violence.")
    (fired,) = _events(doc, "ASSAULT")
    assert (fired.location.name, fired.location.feature) == ("Malawi", "country")
    (filled,) = [e for e in fill_from_article(doc, doc.events) if e.event_type == "ASSAULT"]
    assert (filled.location.name, filled.location.feature) == ("Blantyre", "city")


def test_a_story_filed_from_abroad_does_not_take_the_dateline(run):
    doc = run("BEIRUT (Reuters) - Syrian troops shelled rebel positions on Sunday, Syria's opposition said. "
              "Syria's government denied the reports.")
    assert dateline_place(doc).country == "LBN"
    (shelled,) = _events(doc, "ASSAULT")
    assert shelled.location is None
    (filled,) = [e for e in fill_from_article(doc, doc.events) if e.event_type == "ASSAULT"]
    assert (filled.location.name, filled.location.country, filled.location.feature) == ("Syria", "SYR", "country")


def test_a_speaker_of_no_known_country_addressing_a_foreign_party_speaks_for_the_story(run):
    doc = run("Pakistan's army said the attack was planned abroad. Pakistan closed its border crossings. "
              "Pakistani police arrested ten men. Khan urged Afghanistan to hand over the attackers.")
    (urge,) = [e for e in fill_from_article(doc, doc.events) if e.event_type == "REQUEST"]
    assert [(a.text, a.country) for a in urge.actors] == [("Khan", "PAK")]
    # nor a speaker whose words name his own body: an aid group is of no country
    doc = run("Pakistan's army said the attack was planned abroad. Pakistan closed its border crossings. "
              "Pakistani police arrested ten men. The aid group urged Afghanistan to open its border.")
    (urge,) = [e for e in fill_from_article(doc, doc.events) if e.event_type == "REQUEST"]
    assert [a.country for a in urge.actors] == [None]


def test_those_a_state_deports_do_not_take_its_country(run):
    doc = run("Thailand's police said the men entered illegally. Thailand closed two camps. "
              "Thailand deported 40 men last month.")
    (deported,) = [e for e in fill_from_article(doc, doc.events) if e.event_type == "COERCE" and e.mode == "deport"]
    assert [a.country for a in deported.actors] == ["THA"] and [a.country for a in deported.recipients] == [None]


def test_the_dateline_is_not_part_of_the_first_actor(run):
    doc = run("BLANTYRE — Police fired tear gas at protesters on Monday.")
    (event,) = _events(doc, "ASSAULT")
    assert [a.text for a in event.actors] == ["Police"]
    assert all(m.actor.start > 0 for m in doc.mentions)


# 7. Triggers: acts that cut trade or aid, ease restrictions, lay blame or brush off findings.

@pytest.mark.parametrize("text, event_type, word", [
    ("Trump blocked the sale of the jets to Turkey.", "SANCTION", "blocked"),
    ("The government placed blame on the leaders of the two regions.", "ACCUSE", "blame"),
    ("China imposed punitive measures on Australia.", "SANCTION", "measures"),
    ("Washington ceased military aid to the junta last year.", "SANCTION", "ceased"),
    ("The city relaxed its curfew on Monday.", "CONCEDE", "relaxed"),
    ("The court lifted the injunction against the election.", "CONCEDE", "lifted"),
    ("The United States barred three officials from entering the country.", "SANCTION", "barred"),
    ("The World Food Programme distributed food parcels in the camp.", "AID", "distributed"),
    ("The minister dismissed the findings as propaganda.", "REJECT", "dismissed"),
    ("The general ignored a court summons on Tuesday.", "REJECT", "ignored"),
])
def test_new_triggers(run, text, event_type, word):
    found = [e for e in run(text).events if e.event_type == event_type]
    assert found and word in found[0].trigger.text, [(e.event_type, e.trigger.text) for e in run(text).events]


@pytest.mark.parametrize("text", [
    "Protesters blocked the road to the airport.",  # an obstruction, not a sanction
    "The rain ceased on Monday.",
])
def test_new_triggers_keep_their_limits(run, text):
    assert not [e for e in run(text).events if e.event_type == "SANCTION"]


def test_a_protests_demand_is_the_protest_not_a_request_of_its_own(run):
    doc = run("About 300 farmers blocked the highway near the capital demanding higher prices for grain.")
    assert [e.event_type for e in doc.events] == ["PROTEST"]


def test_each_actor_says_where_its_country_came_from(run):
    doc = run("The United States accused China of cyberattacks. Beijing denies the allegations. "
              "It said the charges were baseless.")
    denial = [e for e in doc.events if e.event_type == "REJECT"][0]
    assert [a.basis for a in denial.actors] == ["text"]
    assert [a.basis for a in denial.recipients] == ["answered act"]
    it = [m.actor for m in doc.mentions if m.actor.text == "It"]
    assert it and it[0].basis == "coreference"


def test_the_article_fill_is_marked_as_such():
    from lapwing.records import Actor
    from lapwing.stages.happenings import _with_country

    bare = Actor("the police", "police", None, "COP", 0, 10)
    assert _with_country(bare, "KEN").basis == "article" and _with_country(bare, "KEN").country == "KEN"


def test_a_town_naming_a_meeting_or_an_attack_is_where_it_happened(run):
    (met,) = _events(run("The two presidents met at the Hanoi summit last year."), "CONSULT")
    assert met.location is not None and met.location.name == "Hanoi"
    (killed,) = _events(run("Rebels killed 12 people in the Kabul attack on Monday."), "ASSAULT")
    assert killed.location is not None and killed.location.name == "Kabul"


def test_a_place_describing_a_victim_locates_the_attack_but_not_another_events_place(run):
    (ambush,) = _events(run("Gunmen ambushed a truck carrying soldiers in Kalat on Monday."), "ASSAULT")
    assert ambush.location is not None and ambush.location.name == "Kalat"
    doc = run("Troops killed four gunmen who had stormed a school in Kalat.")
    by_trigger = {e.trigger.text: e for e in doc.events}
    assert by_trigger["stormed"].location.name == "Kalat"
    assert by_trigger["killed"].location is None  # the storming's place, told in its own clause


def test_an_article_that_names_its_country_only_by_demonym_is_placed_there(run):
    doc = run("A Kenyan court suspended the order on Monday. Kenyan police arrested two protesters.")
    filled = {e.event_type: e for e in fill_from_article(doc, doc.events)}
    place = filled["COERCE"].location
    assert (place.name, place.country, place.feature) == ("Kenya", "KEN", "country")
    assert doc.text[place.start : place.end] == "Kenyan"  # it points at the word that names it


def _places(doc):
    return {p.text: (p.name, p.country, p.feature) for p in doc.places}


def test_the_surname_of_a_person_named_in_full_is_no_place(run):
    doc = run("Peruvian President Alejandro Toledo declared a state of emergency. Toledo ordered troops to Puno.")
    assert "Toledo" not in _places(doc)
    assert _places(run("Spanish police raided a warehouse in Toledo."))["Toledo"][1] == "ESP"


def test_a_town_set_in_its_country_by_the_words_after_it(run):
    assert _places(run("Protesters burned tyres in Tripoli, in northern Lebanon, on Sunday."))["Tripoli"][1] == "LBN"
    assert _places(run("Thousands marched in San Jose, the Costa Rican capital, on Friday."))["San Jose"][1] == "CRI"


def test_bare_country_names_news_uses(run):
    assert _places(run("Fighting spread in eastern Congo, near Goma."))["Congo"][1] == "COD"
    assert _places(run("Officials in Korea and Japan signed the pact."))["Korea"][:2] == ("South Korea", "KOR")


def test_restrictions_on_travel_or_goods_from_a_country_are_aimed_at_it_not_placed_there(run):
    (event,) = [e for e in run("Kandor has tightened restrictions on all travel from India and Sri Lanka.").events
                if e.event_type == "COERCE"]
    assert {r.country for r in event.recipients} == {"IND", "LKA"}
    assert event.location is None  # whence the travellers come, not where anything happened
    (ban,) = [e for e in run("Cameroon banned the import of chicks from Egypt.").events if e.event_type == "SANCTION"]
    assert [r.country for r in ban.recipients] == ["EGY"] and ban.location is None


@pytest.mark.parametrize("text, event_type, victims", [
    ("Government forces killed and injured dozens of Taliban fighters.", "ASSAULT", "dozens of Taliban fighters"),
    ("Police arrested and charged three opposition activists.", "COERCE", "three opposition activists"),
])
def test_a_verb_pair_shares_the_object_hung_on_its_second_verb(run, text, event_type, victims):
    (event,) = _events(run(text), event_type)
    assert [r.text for r in event.recipients] == [victims]


@pytest.mark.parametrize("text, country, words", [
    ("Kenya deported 40 refugees to Somalia in February.", "KEN", "Kenya"),
    ("The Moroccan counterterror agency broke up a terrorist cell on Monday.", "MAR", "Moroccan"),
])
def test_a_coercion_by_a_states_organs_took_place_in_that_state(run, text, country, words):
    doc = run(text)
    (event,) = [e for e in fill_from_article(doc, doc.events) if e.event_type == "COERCE"]
    assert (event.location.country, event.location.feature) == (country, "country")
    assert doc.text[event.location.start : event.location.end] == words


def test_a_coercion_by_rebels_is_not_placed_by_their_country(run):
    doc = run("Al-Shabab militants detained two aid workers on Monday.")
    (event,) = [e for e in fill_from_article(doc, doc.events) if e.event_type == "COERCE"]
    assert event.actors[0].sector == "REB" and event.location is None  # rebels act across borders


def test_a_charge_rejected_in_a_relative_clause_answers_the_accuser(run):
    text = "Pakistani officials blamed India, accusing it of arming militants, a charge New Delhi quickly rejected."
    assert _response(run, text) == (["IND"], ["PAK"])
