"""What an attack or coercion is done to, demands whose content is a noun, characterisations with
"as", what a speaker only supposes, and documents released. The texts are the team's own."""

from __future__ import annotations

import datetime as dt

import pytest


@pytest.fixture(scope="module")
def run(sentence_engine):
    return sentence_engine


def _typed(doc, event_type):
    return [e for e in doc.events if e.event_type == event_type]


def _events(doc):
    return [(e.event_type, e.trigger.text, [r.text for r in e.recipients]) for e in doc.events]


# 1. The one acted on is the recipient of an attack or a coercion, person or thing.

@pytest.mark.parametrize("text, trigger, target", [
    ("Rebels ambushed a bus carrying workers near the Velmar crossing.", "ambushed", "a bus"),
    ("The agency said it closed 12 media outlets linked to the militants.", "closed", "12 media outlets"),
    ("Soldiers opened fire on protesters outside the ministry.", "opened", "protesters"),
])
def test_what_an_attack_is_done_to_is_its_recipient(run, text, trigger, target):
    doc = run(text)
    found = [e for e in doc.events if e.event_type in ("ASSAULT", "COERCE") and e.trigger.text.startswith(trigger)]
    assert found, _events(doc)
    assert [r.text for r in found[0].recipients] == [target]


@pytest.mark.parametrize("text", [
    "Police arrested him on Monday.",  # an unresolved pronoun: not the day it happened
    "The army seized power in the capital.",  # power is what is taken, not whom
])
def test_no_target_is_made_of_a_day_or_of_what_is_taken(run, text):
    doc = run(text)
    found = _typed(doc, "COERCE")
    assert found, _events(doc)
    assert found[0].recipients == ()


def test_a_target_acted_on_in_a_place_is_of_its_country(run):
    doc = run("Police dismantled a smuggling ring in Lyon on Monday.")
    (e,) = _typed(doc, "COERCE")
    assert [(r.text, r.country) for r in e.recipients] == [("a smuggling ring", "FRA")]


# 2. "said X must maintain sanctions": the demand is the verb's, the noun only its content.

def test_a_demand_whose_content_is_a_noun_is_a_request(run):
    doc = run("A ministry spokesperson said the Security Council must maintain sanctions on Kandor.",
              published=dt.date(2025, 3, 12))
    found = _typed(doc, "REQUEST")
    assert found and not _typed(doc, "SANCTION"), _events(doc)
    assert [r.text for r in found[0].recipients] == ["the Security Council"]
    assert found[0].date.value == "2025-03-12"  # the demand is the day's news


# 3. "dismissed X as ...": a characterisation (ACCUSE); a claim dismissed is rejected.

def test_dismissing_as_characterises(run):
    doc = run("Velmar's envoy dismissed the tribunal as a tool of Kandor.")
    assert [r.text for e in _typed(doc, "ACCUSE") for r in e.recipients] == ["the tribunal"], _events(doc)
    doc = run("The ministry dismissed the claim as baseless.")
    assert _typed(doc, "REJECT") and not _typed(doc, "ACCUSE"), _events(doc)


# 4. A condemning word in what the speaker only supposes is no charge.

def test_a_supposed_provocation_accuses_no_one(run):
    doc = run('The envoy said, "A provocation by Kandor could bring the talks to an end."')
    assert not [e for e in _typed(doc, "ACCUSE") if e.trigger.text == "said"], _events(doc)
    doc = run("The envoy said the provocation by Kandor was reckless.")
    assert [e for e in _typed(doc, "ACCUSE") if e.trigger.text == "said"], _events(doc)


# 5. A document released is no release of people.

def test_a_report_released_is_no_release(run):
    doc = run("A report released Thursday by the ministry showed that prices had doubled.")
    assert not _typed(doc, "RETREAT"), _events(doc)
    doc = run("The prisoners released by the rebels on Monday arrived in the capital.")
    assert _typed(doc, "RETREAT"), _events(doc)


# 6. A SANCTION needs a recipient (PLOVER): a ban aimed at no one abroad is a restriction.

@pytest.mark.parametrize("text, event_type", [
    ("The council also imposed restrictions on printing newspapers.", "COERCE"),
    ("The governor imposed a ban on the radio station.", "COERCE"),
    ("Velmar banned the import of poultry from the south.", "SANCTION"),  # trade: aimed abroad
    ("Velmar imposed sanctions on Kandor.", "SANCTION"),
])
def test_a_ban_aimed_at_no_one_abroad_is_coercion(run, text, event_type):
    doc = run(text)
    types = {e.event_type for e in doc.events} & {"COERCE", "SANCTION"}
    assert types == {event_type}, _events(doc)


# 7. A verb of travel tells a visit only when a traveller acts.

@pytest.mark.parametrize("text, visit", [
    ("Officials said 40 detainees were flown to Velmar on Tuesday.", False),
    ("The agency removed the migrants, flying them to the border.", False),
    ("The foreign minister flew to Velmar on Monday.", True),
])
def test_someone_carried_is_no_visit(run, text, visit):
    doc = run(text)
    assert bool([e for e in doc.events if e.event_type == "CONSULT"]) == visit, _events(doc)


# 8. Words the lexicon lacked: people caught are arrested; boats swarming a reef are deployed.

@pytest.mark.parametrize("text, event_type", [
    ("Twenty of the prisoners who escaped have been caught by the guards.", "COERCE"),
    ("Kandor's fishing boats swarmed the disputed reef on Sunday.", "MOBILIZE"),
    ("The army launched an operation to flush out rebel fighters from the forest.", "ASSAULT"),
    ("The minister said the government will not succumb to pressure from the gangs.", "REJECT"),
    ("The opposition party challenged the ruling of the electoral court.", "REJECT"),
])
def test_caught_and_swarmed(run, text, event_type):
    assert _typed(run(text), event_type), _events(run(text))


def test_catching_fire_is_no_arrest(run):
    assert not _typed(run("The warehouse caught fire on Sunday."), "COERCE")


# 9. Not yet agreed is no refusal; a refusal declared or done is.

@pytest.mark.parametrize("text, event_type, modality", [
    ("Kandor has not agreed to the ceasefire.", "AGREE", "negated"),
    ("Kandor did not accept the demands.", "REJECT", "asserted"),
    ("Kandor will not accept the proposal.", "REJECT", "asserted"),
])
def test_not_yet_agreed_is_no_refusal(run, text, event_type, modality):
    found = [(e.event_type, e.modality) for e in run(text).events if e.event_type in ("AGREE", "REJECT")]
    assert found == [(event_type, modality)], _events(run(text))


# 3. A state's act told without its agent is the act of the authorities where it happened.

def test_an_agentless_arrest_is_the_act_of_the_state_it_happened_in():
    import lapwing
    doc = lapwing.extract("Two journalists were arrested in Harare on Tuesday.", published="2025-03-12")
    (e,) = [e for e in doc.events if e.event_type == "COERCE"]
    (actor,) = e.actors
    assert (actor.country, actor.sector, actor.basis, actor.text) == ("ZWE", "GOV", "implied", "Harare")


def test_an_implied_agent_is_only_for_acts_only_a_state_does():
    import dataclasses
    from lapwing.records import Actor, Event, Place, Span
    from lapwing.stages.happenings import fill_implied_agent
    span = Span("x", 0, 1)
    harare = Place("Harare", "Harare", "ZWE", None, None, None, None, 0, 6, "city")
    arrest = Event(id="e1", article_id="a1", event_type="COERCE", mode="arrest", quad=3, intensity=-5.0, contexts=(),
                   modality="asserted", actors=(), recipients=(), trigger=span, evidence=span, confidence=0.9,
                   location=harare)
    attack = dataclasses.replace(arrest, event_type="ASSAULT", mode=None)  # gunmen unknown: no state implied
    police = Actor("police", "police", None, "COP", 0, 6)
    foreign = Actor("Kandor's envoy", "envoy", "KDR", "GOV", 0, 6)
    out = fill_implied_agent([arrest, attack, dataclasses.replace(arrest, actors=(police,)),
                              dataclasses.replace(arrest, actors=(foreign,)), dataclasses.replace(arrest, location=None)])
    assert [[(a.country, a.basis) for a in e.actors] for e in out] == [
        [("ZWE", "implied")], [], [("ZWE", "place")], [("KDR", None)], []]


def test_a_measure_kept_on_countries_is_aimed_at_them(run):
    doc = run("Washington kept tariffs in place on Mexico, Canada and China.")
    (e,) = _typed(doc, "SANCTION")
    assert [r.country for r in e.recipients] == ["MEX", "CAN", "CHN"]
    assert e.location is None  # the countries sanctioned are not where it happened


# 4. The place of an act spoken of is not the place of the speech act.

@pytest.mark.parametrize("text, place", [
    ("Officials condemned the attack in Kabul.", None),  # where the attack was, not the condemnation
    ("Officials in Kabul condemned the attack.", "Kabul"),
    ("Police arrested two men after the attack in Kabul.", "Kabul"),  # a physical act keeps it
])
def test_a_place_inside_the_act_spoken_of_is_that_acts(run, text, place):
    doc = run(text)
    found = [e for e in doc.events if e.event_type in ("ACCUSE", "COERCE")]
    assert found, _events(doc)
    assert (found[0].location.name if found[0].location else None) == place


# 5. "asked X for Y": the parser hangs the "for" on the one asked; it is still a request of them,
# and a refusal of "the request" answers the one who asked.

def test_asking_someone_for_something_is_a_request_a_denial_answers(run):
    doc = run("At the summit, Kandor's president asked Velmar's prime minister for sanctions relief. "
              "The prime minister denied the request.")
    (request,) = _typed(doc, "REQUEST")
    assert [r.text for r in request.recipients] == ["Velmar's prime minister"], _events(doc)
    assert not _typed(doc, "SANCTION"), _events(doc)  # the relief asked for is no sanction lifted
    (refusal,) = _typed(doc, "REJECT")
    assert [a.text for a in refusal.recipients] == ["Kandor's president"], _events(doc)


# 6. A measure announced through the verb that does it ("will raise the tariffs") is a threat; a
# measure only named as the object of another act ("would violate an embargo") is not announced.

@pytest.mark.parametrize("text, event_type", [
    ("Kandor's president said he will sharply raise the tariffs on Velmar's steel next month.", "THREATEN"),
    ("Such shipments would violate the embargo on Velmar.", None),
])
def test_a_measure_announced_by_its_doing_verb_is_a_threat(run, text, event_type):
    doc = run(text, published=dt.date(2025, 3, 12))
    types = {e.event_type for e in doc.events}
    if event_type:
        assert event_type in types and "SANCTION" not in types, _events(doc)
    else:
        assert "THREATEN" not in types, _events(doc)


def test_a_warrant_rejected_answers_the_court_that_issued_it(run):
    doc = run("A Velmar court ordered the arrest of opposition leader Tamsin Orrel on Monday. "
              "Orrel rejected the warrant as politically motivated.")
    refusals = _typed(doc, "REJECT")
    assert refusals and [a.text for a in refusals[0].recipients] == ["A Velmar court"], _events(doc)


# 7. Europe as a party: "the European side refused", "Europe retaliated with tariffs".

def test_europe_acts_as_a_party(run):
    doc = run("Kandor's side proposed a minimum price, but the European side refused. "
              "Europe later retaliated with tariffs on Kandor's steel.")
    assert [a.country for e in _typed(doc, "REJECT") for a in e.actors] == ["EUR"], _events(doc)
    (measure,) = _typed(doc, "SANCTION")
    assert [a.country for a in measure.actors] == ["EUR"], _events(doc)
    assert measure.trigger.text == "retaliated with tariffs"  # the verb carries the subject


# 8. Who is accused or warned of: the subject of "stand accused", the parties of an act warned
# of, the one whose words are called insulting; a meeting is where criticism was made, not at whom.

def test_those_who_stand_accused_are_the_accused(run):
    doc = run("Two Kandorian soldiers stand accused of the 2019 bombing of the army base.")
    (e,) = _typed(doc, "ACCUSE")
    assert (e.actors, [r.text for r in e.recipients]) == ((), ["Two Kandorian soldiers"]), _events(doc)


def test_the_parties_of_an_act_warned_of_are_its_recipients(run):
    doc = run("The United States warned on Friday that expanding military cooperation between Russia "
              "and North Korea is dangerous and illegal.")
    (e,) = _typed(doc, "ACCUSE")
    assert [r.country for r in e.recipients] == ["RUS", "PRK"], _events(doc)


def test_a_meeting_criticism_is_made_at_is_no_recipient(run):
    doc = run("The premier was criticized by French diplomats at a Security Council meeting on Monday.")
    (e,) = _typed(doc, "ACCUSE")
    assert all(r.country != "UNO" for r in e.recipients), _events(doc)


@pytest.mark.parametrize("text, accused", [
    # words called insulting accuse their speaker
    ("Ontario Premier Doug Ford threatened to cut power exports. "
     "The White House spokeswoman called Ford's comments egregious and insulting.", "Ford"),
    # a ruling called arbitrary answers the court, though the parser makes "ruling" a modifier
    ("On Monday a Velmar court revoked the house arrest of journalist Tamsin Orrel. "
     "Orrel attended the hearing. Near the end of the hearing, Orrel called the ruling arbitrary.", "a Velmar court"),
])
def test_what_is_called_arbitrary_or_insulting_accuses_whose_it_is(run, text, accused):
    doc = run(text)
    accusations = [e for e in _typed(doc, "ACCUSE") if e.trigger.text == "called"]
    assert accusations and [r.text for r in accusations[0].recipients] == [accused], _events(doc)


def test_a_call_for_someones_release_is_made_of_whoever_holds_them(run):
    doc = run("In 2022, Velmar police arrested the journalist Tamsin Orrel. A court later sentenced Orrel "
              "to six years in prison. Nine press freedom groups this week called for Orrel's immediate release.")
    calls = [e for e in _typed(doc, "REQUEST") if e.trigger.text.startswith("called")]
    assert calls and [(r.text, r.basis) for r in calls[0].recipients] == [("A court", "answered act")], _events(doc)


# 9. No one acts: a named storm, animals killed for meat, an assessment released.

@pytest.mark.parametrize("text", [
    "Cyclone Orla flattened villages in the south. A week later the coast was struck by Orla again.",
    "Millions of dogs are killed for their meat every year.",
    "A preliminary assessment from the disaster agency released Thursday showed that 45,000 people were affected.",
])
def test_no_political_event_where_no_one_acts(run, text):
    doc = run(text)
    assert not [e for e in doc.events if e.event_type in ("ASSAULT", "RETREAT")], _events(doc)


def test_people_killed_are_still_an_assault(run):
    doc = run("Gunmen killed two shepherds and their dogs near the village.")
    assert _typed(doc, "ASSAULT"), _events(doc)


def test_a_call_to_end_a_fight_is_aimed_at_its_parties(run):
    doc = run("He urged an end to a tariff fight over spirits between the U.S. and Europe.")
    (e,) = _typed(doc, "REQUEST")
    assert [r.country for r in e.recipients] == ["USA", "EUR"], _events(doc)


@pytest.mark.parametrize("text, coded", [
    ("Washington doubled a 10% duty on Kandor's exports.", True),
    ("Velmar is adding a 25% levy on electricity from Kandor.", True),
    ("The officer was on duty on Monday.", False),
    ("States have a duty to protect civilians.", False),
])
def test_a_duty_or_levy_on_goods_is_a_sanction(run, text, coded):
    assert bool(_typed(run(text), "SANCTION")) == coded


def test_hours_of_talks_led_by_someone_are_theirs(run):
    doc = run("Kandor's foreign minister led more than eight hours of talks with Velmar's envoys in Lome.")
    (e,) = _typed(doc, "CONSULT")
    assert [a.text for a in e.actors] == ["Kandor's foreign minister"], _events(doc)


def test_the_speaker_during_a_visit_is_the_visitor(run):
    doc = run("Kandor's prime minister said during a visit to Lome that trade would grow.")
    visits = _typed(doc, "CONSULT")
    assert visits and [a.text for a in visits[0].actors] == ["Kandor's prime minister"], _events(doc)
    doc = run("Kandor's prime minister spoke during the war about trade.")
    assert not [a for e in _typed(doc, "ASSAULT") for a in e.actors], _events(doc)  # a war is no occasion


@pytest.mark.parametrize("text, event_type, recipients", [
    # the verb carrying an act noun holds its target
    ("The rebels spearheaded the offensive against Kandor's leadership in December.", "ASSAULT", ["Kandor's leadership"]),
    # a threat's object is the act threatened, and that act's target the one threatened
    ("Kandor is threatening retaliation against Varno if hit by sanctions.", "THREATEN", ["Varno"]),
    # where deportees are sent is not whom the deportation acts on
    ("Kandor deported 173 refugees to Varno in 2015.", "COERCE", ["173 refugees"]),
])
def test_targets_held_by_a_carrying_verb_a_threatened_act_or_none(run, text, event_type, recipients):
    (event,) = _typed(run(text), event_type)
    assert [r.text for r in event.recipients] == recipients, _events(run(text))


def test_a_date_after_a_carried_act_is_no_target(run):
    (event,) = _typed(run("The rebels spearheaded the offensive on Monday."), "ASSAULT")
    assert event.recipients == ()


def test_a_claim_that_an_act_was_done_by_someone_accuses_them(run):
    doc = run("The ministers reiterated the claim that the attack was orchestrated by militants from Chad.")
    (claim,) = _typed(doc, "ACCUSE")
    assert [(r.text, r.country) for r in claim.recipients] == [("militants from Chad", "TCD")], _events(doc)


def test_a_word_stands_for_the_one_its_apposition_names(run):
    doc = run("The school refused to enroll her daughter, Lena Varga, because of her hair.")
    (refusal,) = _typed(doc, "REJECT")
    assert [r.text for r in refusal.recipients] == ["Lena Varga"], _events(doc)


@pytest.mark.parametrize("text, event_type", [
    ("In February, Kandor stopped implementing its commitments altogether.", "REJECT"),
    ("Kandor pulled out of the agreement in 2018.", "REJECT"),
    ("Kandor abandoned the deal.", "REJECT"),
    ("Kandor pulled out of the town in 2018.", "RETREAT"),  # a place left is a withdrawal
    ("Kandor said it would keep its commitments.", "AGREE"),
])
def test_an_agreement_renounced_is_a_rejection(run, text, event_type):
    assert event_type in [e.event_type for e in run(text).events], _events(run(text))
    assert not ({"REJECT", "AGREE"} - {event_type}) & {e.event_type for e in run(text).events}


def test_an_act_a_condemnation_names_the_doer_of_is_a_happening_too(run):
    doc = run("Kandor condemned Russia's invasion of Ukraine.")
    assert {e.event_type for e in doc.events} == {"ACCUSE", "ASSAULT"}, _events(doc)
    # with no doer named, the attack condemned is only what the condemnation is about
    assert {e.event_type for e in run("Kandor condemned the attack on the embassy.").events} == {"ACCUSE"}
