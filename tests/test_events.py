"""The events stage on hand-built parses: triggers, roles, folding, modality."""

from __future__ import annotations

from builders import hand_doc

from lapwing.stages.events import EventFinder

FINDER = EventFinder()


def events(doc):
    return FINDER(doc).events


def summary(doc):
    return [
        (e.event_type, e.mode, e.modality, [a.country for a in e.actors], [r.country for r in e.recipients])
        for e in events(doc)
    ]


def test_active_verb_codes_subject_as_actor_and_object_as_recipient():
    doc = hand_doc(
        """
        Israel Israel PROPN NNP nsubj 2
        attacked attack VERB VBD ROOT 0
        Lebanon Lebanon PROPN NNP dobj 2
        . . PUNCT . punct 2
        """,
        mentions=[(1, 1, "ISR", None), (3, 3, "LBN", None)],
    )
    (event,) = events(doc)
    assert (event.event_type, event.quad, event.intensity) == ("ASSAULT", 4, -9.0)
    assert [a.country for a in event.actors] == ["ISR"] and [r.country for r in event.recipients] == ["LBN"]
    assert event.trigger.text == "attacked" and doc.text[event.trigger.start : event.trigger.end] == "attacked"
    assert event.evidence.text == doc.text and event.modality == "asserted"


def test_passive_voice_agent_acts_and_subject_suffers():
    doc = hand_doc(
        """
        Seven seven NUM CD nummod 2
        workers worker NOUN NNS nsubjpass 4
        were be AUX VBD auxpass 4
        killed kill VERB VBN ROOT 0
        by by ADP IN agent 4
        drones drone NOUN NNS pobj 5
        """,
        mentions=[(2, 2, None, "CVL"), (6, 6, "ISR", "MIL")],
    )
    assert summary(doc) == [("ASSAULT", None, "asserted", ["ISR"], [None])]


def test_negation_and_future_auxiliaries_set_modality():
    negated = hand_doc(
        """
        Egypt Egypt PROPN NNP nsubj 4
        did do AUX VBD aux 4
        not not PART RB neg 4
        attack attack VERB VB ROOT 0
        Libya Libya PROPN NNP dobj 4
        """,
        mentions=[(1, 1, "EGY", None), (5, 5, "LBY", None)],
    )
    future = hand_doc(
        """
        Egypt Egypt PROPN NNP nsubj 3
        will will AUX MD aux 3
        visit visit VERB VB ROOT 0
        Libya Libya PROPN NNP dobj 3
        """,
        mentions=[(1, 1, "EGY", None), (4, 4, "LBY", None)],
    )
    assert summary(negated)[0][2] == "negated"
    # A declared intention to cooperate is AGREE in PLOVER; the modality still says future.
    assert summary(future) == [("AGREE", None, "future", ["EGY"], ["LBY"])]


def test_declared_conflict_intention_is_a_threat_and_negated_cooperation_a_rejection():
    threat = hand_doc(
        """
        Egypt Egypt PROPN NNP nsubj 3
        will will AUX MD aux 3
        attack attack VERB VB ROOT 0
        Libya Libya PROPN NNP dobj 3
        """,
        mentions=[(1, 1, "EGY", None), (4, 4, "LBY", None)],
    )
    refusal = hand_doc(
        """
        Syria Syria PROPN NNP nsubj 4
        will will AUX MD aux 4
        not not PART RB neg 4
        allow allow VERB VB ROOT 0
        refugees refugee NOUN NNS dobj 4
        """,
        mentions=[(1, 1, "SYR", None), (5, 5, None, "REF")],
    )
    assert summary(threat) == [("THREATEN", "violence", "future", ["EGY"], ["LBY"])]
    assert summary(refusal) == [("REJECT", None, "asserted", ["SYR"], [None])]


def test_complement_of_control_verb_is_content_not_a_second_event():
    doc = hand_doc(
        """
        Hamas Hamas PROPN NNP nsubj 2
        threatened threaten VERB VBD ROOT 0
        to to PART TO aux 4
        attack attack VERB VB xcomp 2
        Israel Israel PROPN NNP dobj 4
        """,
        mentions=[(1, 1, "PSE", "REB"), (5, 5, "ISR", None)],
    )
    assert summary(doc) == [("THREATEN", "violence", "asserted", ["PSE"], ["ISR"])]


def test_light_verb_gives_its_subject_to_the_noun_trigger():
    doc = hand_doc(
        """
        Biden Biden PROPN NNP nsubj 2
        held hold VERB VBD ROOT 0
        talks talk NOUN NNS dobj 2
        with with ADP IN prep 2
        Netanyahu Netanyahu PROPN NNP pobj 4
        """,
        mentions=[(1, 1, "USA", "GOV"), (5, 5, "ISR", "GOV")],
    )
    (event,) = events(doc)
    assert (event.event_type, event.trigger.text) == ("CONSULT", "held talks")
    assert [a.country for a in event.actors] == ["USA"] and [r.country for r in event.recipients] == ["ISR"]


def test_nominal_event_takes_of_as_victim_and_by_as_perpetrator():
    doc = hand_doc(
        """
        the the DET DT det 2
        killing killing NOUN NN ROOT 0
        of of ADP IN prep 2
        seven seven NUM CD nummod 5
        workers worker NOUN NNS pobj 3
        by by ADP IN prep 2
        drones drone NOUN NNS pobj 6
        """,
        mentions=[(5, 5, None, "CVL"), (7, 7, "ISR", "MIL")],
    )
    assert summary(doc) == [("ASSAULT", "drone", "asserted", ["ISR"], [None])]  # "by drones" sets the mode


def test_coordinated_subjects_are_all_actors():
    doc = hand_doc(
        """
        Qatar Qatar PROPN NNP nsubj 4
        and and CCONJ CC cc 1
        Egypt Egypt PROPN NNP conj 1
        urged urge VERB VBD ROOT 0
        Hamas Hamas PROPN NNP dobj 4
        """,
        mentions=[(1, 1, "QAT", None), (3, 3, "EGY", None), (5, 5, "PSE", None)],
    )
    assert summary(doc) == [("REQUEST", None, "asserted", ["QAT", "EGY"], ["PSE"])]


def test_object_constraints_keep_statements_out():
    doc = hand_doc(
        """
        Iran Iran PROPN NNP nsubj 2
        released release VERB VBD ROOT 0
        a a DET DT det 4
        statement statement NOUN NN dobj 2
        """,
        mentions=[(1, 1, "IRN", None)],
    )
    assert events(doc) == ()


def test_event_without_any_participant_is_dropped():
    doc = hand_doc(
        """
        fighting fighting NOUN NN nsubj 2
        continued continue VERB VBD ROOT 0
        """
    )
    assert events(doc) == ()


def test_obligation_in_a_reported_clause_is_a_request():
    doc = hand_doc(
        """
        Russia Russia PROPN NNP nsubj 2
        said say VERB VBD ROOT 0
        Sudan Sudan PROPN NNP nsubj 5
        must must AUX MD aux 5
        release release VERB VB ccomp 2
        prisoners prisoner NOUN NNS dobj 5
        """,
        mentions=[(1, 1, "RUS", None), (3, 3, "SDN", None), (6, 6, None, "CVL")],
    )
    # The demand was made: asserted (the codebook and the article gold code it so), whatever "must" says of the release.
    assert summary(doc) == [("REQUEST", "yield", "asserted", ["RUS"], ["SDN"])]


def test_scheduled_event_keeps_its_type():
    doc = hand_doc(
        """
        a a DET DT det 2
        delegation delegation NOUN NN nsubjpass 4
        is be AUX VBZ auxpass 4
        slated slat VERB VBN ROOT 0
        to to PART TO aux 6
        discuss discuss VERB VB xcomp 4
        proposals proposal NOUN NNS dobj 6
        """,
        mentions=[(2, 2, "ISR", "GOV")],
    )
    assert summary(doc) == [("CONSULT", None, "future", ["ISR"], [])]


def test_event_ids_are_stable_and_distinct():
    doc = hand_doc(
        """
        Israel Israel PROPN NNP nsubj 2
        attacked attack VERB VBD ROOT 0
        Lebanon Lebanon PROPN NNP dobj 2
        """,
        mentions=[(1, 1, "ISR", None), (3, 3, "LBN", None)],
    )
    first, again = events(doc), events(doc)
    assert first[0].id == again[0].id and len(first[0].id) == 16
    other = EventFinder(engine_version="other")(doc).events
    assert other[0].id != first[0].id


def test_possessor_of_an_arrest_is_arrested_but_of_an_abduction_with_object_is_the_agent():
    arrest = hand_doc(
        """
        Dodik Dodik PROPN NNP poss 3
        's 's PART POS case 1
        arrest arrest NOUN NN ROOT 0
        """,
        mentions=[(1, 1, "BIH", "GOV")],
    )
    abduction = hand_doc(
        """
        Boko Boko PROPN NNP compound 2
        Haram Haram PROPN NNP poss 4
        's 's PART POS case 2
        abduction abduction NOUN NN ROOT 0
        of of ADP IN prep 4
        schoolgirls schoolgirl NOUN NNS pobj 5
        """,
        mentions=[(1, 2, "NGA", "REB"), (6, 6, None, "CVL")],
    )
    assert summary(arrest) == [("COERCE", "arrest", "asserted", [], ["BIH"])]
    assert summary(abduction) == [("ASSAULT", "abduct", "asserted", ["NGA"], [None])]


def test_figurative_wars_are_not_assaults():
    doc = hand_doc(
        """
        Trump Trump PROPN NNP nsubj 2
        escalated escalate VERB VBD ROOT 0
        the the DET DT det 5
        trade trade NOUN NN compound 5
        war war NOUN NN dobj 2
        with with ADP IN prep 5
        Canada Canada PROPN NNP pobj 6
        """,
        mentions=[(1, 1, "USA", "GOV"), (7, 7, "CAN", None)],
    )
    assert events(doc) == ()


def test_passive_voice_carries_over_coordinated_verbs():
    doc = hand_doc(
        """
        Zamora Zamora PROPN NNP nsubjpass 4
        had have AUX VBD aux 4
        been be AUX VBN auxpass 4
        arrested arrest VERB VBN ROOT 0
        and and CCONJ CC cc 4
        jailed jail VERB VBN conj 4
        """,
        mentions=[(1, 1, "GTM", "JRN")],
    )
    # one happening (conjoined, same type), and Zamora is arrested, not arresting
    assert summary(doc) == [("COERCE", "arrest", "asserted", [], ["GTM"])]


def test_negation_does_not_leak_into_an_adverbial_clause():
    doc = hand_doc(
        """
        They they PRON PRP nsubj 3
        never never ADV RB neg 3
        arrived arrive VERB VBD ROOT 0
        as as SCONJ IN mark 7
        the the DET DT det 6
        convoy convoy NOUN NN nsubjpass 7
        attacked attack VERB VBN advcl 3
        """,
        mentions=[(6, 6, None, "CVL")],
    )
    assert summary(doc) == [("ASSAULT", None, "asserted", [], [None])]


def test_would_in_a_past_report_is_future_not_hypothetical():
    doc = hand_doc(
        """
        Erdogan Erdogan PROPN NNP nsubj 2
        said say VERB VBD ROOT 0
        he he PRON PRP nsubj 5
        would would AUX MD aux 5
        visit visit VERB VB ccomp 2
        Moscow Moscow PROPN NNP dobj 5
        """,
        mentions=[(1, 1, "TUR", "GOV"), (3, 3, "TUR", "GOV"), (6, 6, "RUS", "GOV")],
    )
    (event,) = events(doc)
    assert event.modality == "future" and event.event_type == "AGREE"  # a declared intention


def test_a_relative_clause_of_the_same_type_is_the_same_happening():
    doc = hand_doc(
        """
        the the DET DT det 2
        bombing bombing NOUN NN ROOT 0
        that that PRON WDT nsubj 4
        killed kill VERB VBD relcl 2
        nine nine NUM CD nummod 6
        soldiers soldier NOUN NNS dobj 4
        """,
        mentions=[(6, 6, None, "MIL")],
    )
    (event,) = events(doc)
    assert (event.event_type, event.trigger.text, [r.sector for r in event.recipients]) == ("ASSAULT", "bombing", ["MIL"])


def test_civilians_arriving_are_not_a_visit_and_a_bare_question_is_not_a_request():
    arrival = hand_doc(
        """
        passengers passenger NOUN NNS nsubj 2
        arrived arrive VERB VBD ROOT 0
        in in ADP IN prep 2
        Quetta Quetta PROPN NNP pobj 3
        """,
        mentions=[(1, 1, None, "CVL")],
    )
    question = hand_doc(
        """
        she she PRON PRP nsubj 2
        asked ask VERB VBD ROOT 0
        the the DET DT det 4
        minister minister NOUN NN dobj 2
        """,
        mentions=[(1, 1, "SOM", "JRN"), (4, 4, "SOM", "GOV")],
    )
    assert events(arrival) == () and events(question) == ()


def test_called_for_x_to_do_is_a_request_of_x():
    # spaCy parses "for" as the mark of the "to" clause, not as a preposition of "called".
    doc = hand_doc(
        """
        Ministers minister NOUN NNS nsubj 2
        called call VERB VBD ROOT 0
        for for SCONJ IN mark 6
        Russia Russia PROPN NNP nsubj 6
        to to PART TO aux 6
        reciprocate reciprocate VERB VB advcl 2
        . . PUNCT . punct 2
        """,
        mentions=[(1, 1, None, "GOV"), (4, 4, "RUS", None)],
    )
    assert summary(doc) == [("REQUEST", None, "asserted", [None], ["RUS"])]


def _called(predicate_word, predicate_lemma):
    return hand_doc(
        f"""
        Kenya Kenya PROPN NNP nsubj 2
        called call VERB VBD ROOT 0
        the the DET DT det 4
        ruling ruling NOUN NN dobj 2
        {predicate_word} {predicate_lemma} ADJ JJ oprd 2
        . . PUNCT . punct 2
        """,
        mentions=[(1, 1, "KEN", "GOV")],
    )


def test_characterising_is_criticism_unless_the_words_praise():
    assert [e.event_type for e in events(_called("arbitrary", "arbitrary"))] == ["ACCUSE"]
    assert [e.event_type for e in events(_called("historic", "historic"))] == ["SUPPORT"]


def test_a_participle_that_names_is_no_characterisation():
    doc = hand_doc(
        """
        a a DET DT det 2
        group group NOUN NN nsubj 5
        called call VERB VBN acl 2
        Hamas Hamas PROPN NNP oprd 3
        protested protest VERB VBD ROOT 0
        """,
        mentions=[(2, 2, None, "REB")],
    )
    assert "ACCUSE" not in [e.event_type for e in events(doc)]


def _warned(inner_subject, inner_lemma, tag, aux):
    return hand_doc(
        f"""
        Iran Iran PROPN NNP nsubj 2
        warned warn VERB VBD ROOT 0
        that that SCONJ IN mark 6
        {inner_subject} {inner_lemma} {tag} {"PRP" if tag == "PRON" else "NN"} nsubj 6
        {aux} {aux} AUX MD aux 6
        respond respond VERB VB ccomp 2
        . . PUNCT . punct 2
        """,
        mentions=[(1, 1, "IRN", "GOV")] + ([(4, 4, "IRN", "GOV")] if tag == "PRON" else []),
    )


def test_a_warning_of_what_the_warner_itself_will_do_is_a_threat():
    assert [(e.event_type, e.recipients) for e in events(_warned("it", "it", "PRON", "will"))] == [("THREATEN", ())]
    assert [e.event_type for e in events(_warned("we", "we", "PRON", "would"))] == ["THREATEN"]
    # "warned that it could respond": what the warner itself may do is a threat too.
    assert [e.event_type for e in events(_warned("it", "it", "PRON", "could"))] == ["THREATEN"]
    # "warned that prices could rise" says what others may do: no threat.
    assert events(_warned("prices", "price", "NOUN", "could")) == ()


def test_a_verb_the_lemmatizer_mangles_is_found_by_its_stem():
    doc = hand_doc(
        """
        Police police NOUN NNS nsubj 2
        rearrested rearreste VERB VBD ROOT 0
        him he PRON PRP dobj 2
        """,
        mentions=[(1, 1, None, "COP")],
    )
    assert [(e.event_type, e.mode) for e in events(doc)] == [("COERCE", "arrest")]


def test_armed_forces_arriving_somewhere_deploy_rather_than_visit():
    rows = """
        {who} {who_lemma} NOUN NNS nsubj 2
        arrived arrive VERB VBD ROOT 0
        in in ADP IN prep 2
        Bosnia Bosnia PROPN NNP pobj 3
        """
    troops = hand_doc(rows.format(who="peacekeepers", who_lemma="peacekeeper"), mentions=[(1, 1, None, "MIL")])
    envoys = hand_doc(rows.format(who="envoys", who_lemma="envoy"), mentions=[(1, 1, None, "GOV")])
    assert [(e.event_type, e.mode) for e in events(troops)] == [("MOBILIZE", "troops")]
    assert [(e.event_type, e.mode) for e in events(envoys)] == [("CONSULT", "visit")]


def test_withdrawing_ambassadors_is_a_sanction_and_withdrawing_troops_a_retreat():
    rows = """
        Turkey Turkey PROPN NNP nsubj 2
        withdrew withdraw VERB VBD ROOT 0
        its its PRON PRP$ poss 4
        {obj} {obj_lemma} NOUN NNS dobj 2
        """
    diplomats = hand_doc(rows.format(obj="ambassadors", obj_lemma="ambassador"), mentions=[(1, 1, "TUR", None)])
    soldiers = hand_doc(rows.format(obj="troops", obj_lemma="troop"), mentions=[(1, 1, "TUR", None)])
    assert [(e.event_type, e.mode) for e in events(diplomats)] == [("SANCTION", "withdraw")]
    assert [(e.event_type, e.mode) for e in events(soldiers)] == [("RETREAT", "withdraw")]


def test_a_threat_of_what_the_warner_will_do_to_someone_names_that_someone():
    doc = hand_doc(
        """
        Iran Iran PROPN NNP nsubj 2
        warned warn VERB VBD ROOT 0
        that that SCONJ IN mark 6
        it it PRON PRP nsubj 6
        will will AUX MD aux 6
        strike strike VERB VB ccomp 2
        Israel Israel PROPN NNP dobj 6
        """,
        mentions=[(1, 1, "IRN", "GOV"), (4, 4, "IRN", "GOV"), (7, 7, "ISR", None)],
    )
    threats = [e for e in events(doc) if e.event_type == "THREATEN"]
    assert [[r.country for r in e.recipients] for e in threats] == [["ISR"]]


def test_the_subject_of_the_verb_over_a_noun_trigger_acts_even_when_a_recipient_is_named():
    doc = hand_doc(
        """
        Canada Canada PROPN NNP nsubj 2
        announced announce VERB VBD ROOT 0
        sanctions sanction NOUN NNS dobj 2
        on on ADP IN prep 3
        Iran Iran PROPN NNP pobj 4
        """,
        mentions=[(1, 1, "CAN", None), (5, 5, "IRN", None)],
    )
    assert summary(doc) == [("SANCTION", "discontinue", "asserted", ["CAN"], ["IRN"])]


def test_calling_a_claim_baseless_rejects_it():
    doc = hand_doc(
        """
        Kabul Kabul PROPN NNP nsubj 2
        called call VERB VBD ROOT 0
        the the DET DT det 4
        claims claim NOUN NNS dobj 2
        baseless baseless ADJ JJ oprd 2
        """,
        mentions=[(1, 1, "AFG", "GOV")],
    )
    assert [e.event_type for e in events(doc)] == ["REJECT"]


def test_leaving_an_international_body_is_a_sanction_and_leaving_a_town_a_retreat():
    rows = """
        Mali Mali PROPN NNP nsubj 2
        withdrew withdraw VERB VBD ROOT 0
        from from ADP IN prep 2
        {what} {what} PROPN NNP pobj 3
        """
    body = hand_doc(rows.format(what="ECOWAS"), mentions=[(1, 1, "MLI", None), (4, 4, "IGO", None)])
    town = hand_doc(rows.format(what="Gao"), mentions=[(1, 1, "MLI", None)])
    assert [e.event_type for e in events(body)] == ["SANCTION"]
    assert [e.event_type for e in events(town)] == ["RETREAT"]
