"""Negotiation processes: moves in talks threaded across articles, their states and terms history.

The articles are the team's own: a fictional truce process between Arvenia (coded ARM) and Azoria
(AZE), mediated by Norway and Oman, told by three invented outlets over nine weeks, plus
distractors (a trade deal between the same two, Sudan's ceasefire talks, an Arvenia-Kestria
ceasefire, a new Arvenia-Azoria truce proposal four months later, events that are no moves).
The records are written by hand in the event contract, as the engine would code them, and stored
through Store.write_records, the path ingest and load use.
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pytest

from lapwing.cli import main
from lapwing.store import Store
from lapwing.store.talk_history import Move, follow_states, term_changes
from lapwing.store.talks import MoveFeatures, ProcessFeatures, list_processes, members, move_dates, process, score_move

ARM, AZE, NOR, OMN = "ARM", "AZE", "NOR", "OMN"


def _span(text: str, words: str) -> tuple[int, int]:
    start = text.find(words)
    assert start >= 0, (words, text)
    return start, start + len(words)


def _actor(text: str, words: str, name: str, country: str, sector: str | None = "GOV") -> dict:
    start, end = _span(text, words)
    return {"text": words, "name": name, "country": country, "sector": sector, "start": start, "end": end, "kb_id": None}


def record(article_id: str, n: int, text: str, *, move: str | None, trigger: str, date: str, granularity: str = "day",
           actors=(), recipients=(), parties=(ARM, AZE), mediators=(), terms=(), process: str = "Arvenia-Azoria truce",
           subject: str = "truce", modality: str = "asserted", event_type: str = "AGREE", responds_to=None) -> dict:
    """One event in the contract (docs/events.md); `move=None` makes an event that is no move in talks.

    actors, recipients and mediators are (words in the text, name, country); terms are
    (kind, value, words in the text).
    """
    t0, t1 = _span(text, trigger)
    negotiation = None
    if move is not None:
        negotiation = {
            "process": process, "subject": subject, "move": move, "parties": list(parties),
            "mediators": [_actor(text, w, name, c) for w, name, c in mediators],
            "terms": [dict(kind=k, value=v, text=w, start=_span(text, w)[0], end=_span(text, w)[1]) for k, v, w in terms],
            "responds_to": responds_to, "rule": f"test cue {trigger}",
        }
    return {
        "id": f"{article_id}-e{n}", "article_id": article_id, "event_type": event_type, "mode": None, "quad": 1,
        "intensity": 1.0, "contexts": [], "modality": modality,
        "actors": [_actor(text, w, name, c) for w, name, c in actors],
        "recipients": [_actor(text, w, name, c) for w, name, c in recipients],
        "date": {"text": None, "value": date, "granularity": granularity, "basis": "text", "start": None, "end": None},
        "location": None, "quantities": [], "attribution": None,
        "trigger": {"text": trigger, "start": t0, "end": t1},
        "evidence": {"text": text, "start": 0, "end": len(text)}, "mentions": [{"text": text, "start": 0, "end": len(text)}],
        "negotiation": negotiation, "confidence": 0.8,
    }


ARV = ("Arvenia", "Arvenia", ARM)
AZO = ("Azoria", "Azoria", AZE)
NORWAY, OMAN = ("Norway", "Norway", NOR), ("Oman", "Oman", OMN)


def _thread() -> list[tuple[dict, list[dict]]]:
    """The thread: 13 articles, 2024-04-02 to 2024-05-27, as (article, records)."""
    out = []

    def article(aid, published, source, text, *specs):
        out.append(({"id": aid, "title": text[:40], "source": source, "published": published, "text": text},
                    [record(aid, i, text, **spec) for i, spec in enumerate(specs)]))

    t = ("Arvenia proposed a six-week truce to Azoria on Tuesday, offering to free hundreds of prisoners "
         "in exchange for 40 hostages held by Azorian forces.")
    article("a01", "2024-04-02", "Riverside Wire", t, dict(
        move="proposal", trigger="proposed", date="2024-04-02", actors=[ARV], recipients=[AZO],
        terms=[("duration_days", 42.0, "six-week"), ("prisoners", None, "hundreds of prisoners"),
               ("hostages", 40.0, "40 hostages")]))
    t = ("The Arvenian government has put forward a plan for a six-week truce with Azoria that would see 40 hostages "
         "released in return for hundreds of prisoners, officials said on Tuesday.")
    article("a02", "2024-04-03", "Harbor Post", t, dict(
        move="proposal", trigger="put forward", date="2024-04-02",
        actors=[("The Arvenian government", "Arvenian government", ARM)], recipients=[AZO],
        terms=[("duration_days", 42.0, "six-week"), ("hostages", 40.0, "40 hostages"),
               ("prisoners", None, "hundreds of prisoners")]))
    t = "Norway hosted talks between Arvenian and Azorian negotiators in Oslo on Monday, the Norwegian foreign ministry said."
    article("a03", "2024-04-08", "Riverside Wire", t, dict(
        move="mediation", trigger="hosted", date="2024-04-08", event_type="CONSULT", actors=[NORWAY],
        recipients=[("Arvenian", "Arvenian negotiators", ARM), ("Azorian negotiators", "Azorian negotiators", AZE)],
        mediators=[NORWAY], process="Arvenia-Azoria ceasefire talks", subject="talks"))
    t = ("Omani mediators shuttled between the Arvenian and Azorian delegations in Muscat on Friday in an effort "
         "to save the truce talks.")
    article("a04", "2024-04-12", "Gulf Ledger", t, dict(
        move="mediation", trigger="shuttled", date="2024-04-12", event_type="CONSULT",
        actors=[("Omani mediators", "Omani mediators", OMN)],
        recipients=[("Arvenian", "Arvenian delegation", ARM), ("Azorian delegations", "Azorian delegation", AZE)],
        mediators=[("Omani mediators", "Oman", OMN)], process="Arvenia-Azoria truce talks", subject="talks"))
    t = ("Azoria answered with a counter-proposal on Tuesday: a 90-day truce, the release of 25 hostages for 1,000 "
         "prisoners and the withdrawal of Arvenian troops from the border districts.")
    article("a05", "2024-04-16", "Harbor Post", t, dict(
        move="counter_proposal", trigger="counter-proposal", date="2024-04-16", actors=[AZO],
        recipients=[("Arvenian troops", "Arvenian troops", ARM)],
        terms=[("duration_days", 90.0, "90-day"), ("hostages", 25.0, "25 hostages"),
               ("prisoners", 1000.0, "1,000 prisoners"), ("withdrawal", None, "withdrawal of Arvenian troops")]))
    t = "Arvenia rejected Azoria's counter-proposal on Friday, calling the demand for a troop withdrawal unacceptable."
    article("a06", "2024-04-19", "Riverside Wire", t, dict(
        move="reject", trigger="rejected", date="2024-04-19", event_type="REJECT", actors=[ARV],
        recipients=[("Azoria", "Azoria", AZE)], process="Azoria counter-proposal", subject="proposal"))
    t = ("Arvenian and Azorian negotiators resumed talks in Muscat on Thursday with Omani and Norwegian officials "
         "in the room.")
    article("a07", "2024-04-25", "Gulf Ledger", t, dict(
        move="talks", trigger="resumed talks", date="2024-04-25", event_type="CONSULT",
        actors=[("Arvenian", "Arvenian negotiators", ARM), ("Azorian negotiators", "Azorian negotiators", AZE)],
        mediators=[("Omani", "Oman", OMN), ("Norwegian officials", "Norway", NOR)],
        process="Arvenia-Azoria talks", subject="talks"))
    t = ("Arvenia tabled a new proposal on Thursday: a 60-day truce in two phases, with 33 hostages freed in "
         "exchange for 600 prisoners.")
    article("a08", "2024-05-02", "Harbor Post", t, dict(
        move="proposal", trigger="tabled", date="2024-05-02", actors=[ARV],
        terms=[("duration_days", 60.0, "60-day"), ("phases", 2.0, "two phases"), ("hostages", 33.0, "33 hostages"),
               ("prisoners", 600.0, "600 prisoners")]))
    t = ("Arvenia and Azoria reached a truce agreement on Monday, brokered by Norway and Oman: a 60-day truce in two "
         "phases, with 33 hostages freed in exchange for 600 prisoners.")
    article("a09", "2024-05-06", "Riverside Wire", t, dict(
        move="agreement", trigger="reached", date="2024-05-06", actors=[ARV, AZO], mediators=[NORWAY, OMAN],
        terms=[("duration_days", 60.0, "60-day"), ("phases", 2.0, "two phases"), ("hostages", 33.0, "33 hostages"),
               ("prisoners", 600.0, "600 prisoners")]))
    t = "Azoria's ruling council formally accepted the truce deal on Tuesday."
    article("a10", "2024-05-07", "Gulf Ledger", t, dict(
        move="accept", trigger="accepted", date="2024-05-07", actors=[("Azoria's ruling council", "Azorian council", AZE)],
        parties=(AZE,), process="Azoria truce deal", subject="deal"))
    t = ("The truce between Arvenia and Azoria took effect on Sunday as the first 11 hostages crossed the border "
         "and Arvenia freed 200 prisoners.")
    article("a11", "2024-05-12", "Harbor Post", t, dict(
        move="implementation", trigger="took effect", date="2024-05-12", event_type="RETREAT", actors=[ARV, AZO],
        terms=[("hostages", 11.0, "11 hostages"), ("prisoners", 200.0, "200 prisoners")]))
    t = ("Azoria accused Arvenian forces of violating the truce on Monday with shelling near the border town of Ketra. "
         "Arvenian artillery shelled Ketra, killing two people.")
    article("a12", "2024-05-20", "Riverside Wire", t, dict(
        move="violation", trigger="violating", date="2024-05-20", event_type="ACCUSE", actors=[AZO],
        recipients=[("Arvenian forces", "Arvenian forces", ARM)]), dict(
        move=None, trigger="shelled", date="2024-05-20", event_type="ASSAULT",
        actors=[("Arvenian artillery", "Arvenian artillery", ARM)]))
    t = "Negotiators from Arvenia and Azoria will meet in Oslo next week to discuss the truce's second phase, Norway said."
    article("a13", "2024-05-27", "Gulf Ledger", t, dict(
        move="talks", trigger="meet", date="2024-06-03", granularity="week", modality="future", event_type="CONSULT",
        actors=[ARV, AZO], mediators=[NORWAY], process="Arvenia-Azoria truce talks", subject="talks"))
    return out


def _distractors() -> list[tuple[dict, list[dict]]]:
    out = []

    def article(aid, published, source, text, *specs):
        out.append(({"id": aid, "title": text[:40], "source": source, "published": published, "text": text},
                    [record(aid, i, text, **spec) for i, spec in enumerate(specs)]))

    t = "Arvenia and Azoria trade ministers proposed a tariff deal on Wednesday to reopen border crossings to freight."
    article("x01", "2024-04-10", "Harbor Post", t, dict(
        move="proposal", trigger="proposed", date="2024-04-10", actors=[ARV, AZO],
        process="Arvenia-Azoria trade deal", subject="deal"))
    t = ("Saudi Arabia and the United States hosted ceasefire talks between Sudan's army and the Rapid Support "
         "Forces in Jeddah on Monday.")
    sudan = [("Sudan's army", "Sudan's army", "SDN"), ("the Rapid Support Forces", "Rapid Support Forces", "SDN")]
    article("x02", "2024-04-15", "Gulf Ledger", t, dict(
        move="mediation", trigger="hosted", date="2024-04-15", event_type="CONSULT",
        actors=[("Saudi Arabia", "Saudi Arabia", "SAU"), ("the United States", "United States", "USA")],
        recipients=sudan, parties=("SDN",),
        mediators=[("Saudi Arabia", "Saudi Arabia", "SAU"), ("the United States", "United States", "USA")],
        process="Sudan ceasefire talks", subject="ceasefire"))
    t = "Sudan's army rejected the Jeddah ceasefire proposal on Saturday, a military spokesman said."
    article("x03", "2024-04-20", "Riverside Wire", t, dict(
        move="reject", trigger="rejected", date="2024-04-20", event_type="REJECT",
        actors=[("Sudan's army", "Sudan's army", "SDN")], parties=("SDN",), process="Sudan ceasefire",
        subject="ceasefire"))
    t = "Arvenia and Kestria agreed a ceasefire along their northern border on Monday."
    article("x04", "2024-04-22", "Riverside Wire", t, dict(
        move="agreement", trigger="agreed", date="2024-04-22", actors=[ARV, ("Kestria", "Kestria", "GEO")],
        parties=(ARM, "GEO"), process="Arvenia-Kestria ceasefire", subject="ceasefire"))
    t = "Arvenia proposed a new truce with Azoria on Friday after weeks of renewed fighting."
    article("x05", "2024-09-20", "Harbor Post", t, dict(
        move="proposal", trigger="proposed", date="2024-09-20", actors=[ARV], recipients=[AZO]))
    t = "Protesters clashed with police in the Azorian capital on Thursday."
    article("x06", "2024-04-18", "Gulf Ledger", t, dict(
        move=None, trigger="clashed", date="2024-04-18", event_type="PROTEST",
        actors=[("Protesters", "Protesters", AZE)]))
    return out


def _store(path: Path | str, articles) -> Path | str:
    with Store.open(path) as store:
        for article, records in articles:
            store.write_records(article, records, "test", {})
    return path


def _in_date_order():
    return sorted(_thread() + _distractors(), key=lambda a: a[0]["published"])


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return _store(tmp_path_factory.mktemp("talks") / "talks.db", _in_date_order())


def _thread_process(store) -> dict:
    (found,) = [p for p in list_processes(store) if p["process"].startswith("Arvenia-Azoria truce")
                and p["first_date"] == "2024-04-02"]
    return process(store, found["id"])


def _partition(store) -> set[frozenset[str]]:
    return {frozenset(m.event_id for m in members(store, p["id"])) for p in list_processes(store)}


THREAD_MOVES = {f"a{i:02d}-e0" for i in range(1, 14)}
EXPECTED_STATES = [("proposed", "proposal", "a01-e0"), ("under talks", "mediation", "a03-e0"),
                   ("proposed", "counter_proposal", "a05-e0"), ("under talks", "reject", "a06-e0"),
                   ("proposed", "proposal", "a08-e0"), ("agreed", "agreement", "a09-e0"),
                   ("in effect", "implementation", "a11-e0"), ("violated", "violation", "a12-e0")]


def test_the_thread_is_one_process_and_distractors_stay_out(db):
    with Store.open(db, readonly=True) as store:
        assert _partition(store) == {
            frozenset(THREAD_MOVES), frozenset({"x01-e0"}), frozenset({"x02-e0", "x03-e0"}), frozenset({"x04-e0"}),
            frozenset({"x05-e0"}),
        }
        p = _thread_process(store)
        reasons = {m["event_id"]: m["reasons"] for m in p["timeline"]}
    assert p["moves"] == 13 and p["articles"] == 13
    assert set(p["parties"]) == {ARM, AZE}
    assert {m["name"] for m in p["mediators"]} == {"Norway", "Oman"}
    assert p["first_date"] == "2024-04-02" and p["last_date"] == "2024-06-09"  # the expected talks' week
    assert p["state"] == "violated" and p["state_event_id"] == "a12-e0"
    assert p["last_move"] == "talks" and p["last_event_id"] == "a13-e0"
    # Why moves joined: the generic "talks" shared sides, words and mediators with the process.
    assert reasons["a01-e0"] == {"started": True}
    assert reasons["a07-e0"]["subject"] == "generic" and reasons["a07-e0"]["shared_mediators"] == [NOR, OMN]
    assert reasons["a10-e0"]["parties"] == "parties within the process's"


def test_states_follow_the_moves_in_date_order(db):
    with Store.open(db, readonly=True) as store:
        p = _thread_process(store)
    assert [(s["state"], s["move"], s["event_id"]) for s in p["states"]] == EXPECTED_STATES
    after = {m["event_id"]: m["state"] for m in p["timeline"]}
    assert after["a06-e0"] == "under talks"  # the rejected counter-proposal: back to the talks before it
    assert after["a13-e0"] == "violated"  # expected talks are on the timeline but change nothing yet
    assert [m["event_id"] for m in p["timeline"]] == sorted(THREAD_MOVES)


def _terms(round_) -> dict:
    return {t["kind"]: t["value"] for t in round_["terms"]}


def test_terms_history_shows_each_round_beside_the_previous(db):
    with Store.open(db, readonly=True) as store:
        rounds = _thread_process(store)["terms_history"]
    assert [(r["move"], r["by"], r["reports"]) for r in rounds] == [
        ("proposal", [ARM], ["a01-e0", "a02-e0"]),  # two outlets, one proposal
        ("counter_proposal", [AZE], ["a05-e0"]),
        ("proposal", [ARM], ["a08-e0"]),
        ("agreement", [ARM, AZE], ["a09-e0"]),
    ]
    assert _terms(rounds[0]) == {"duration_days": 42.0, "prisoners": None, "hostages": 40.0}
    assert rounds[0]["changes"] is None
    second = rounds[1]["changes"]
    assert {c["kind"]: (c["from"]["value"], c["to"]["value"]) for c in second["changed"]} == {
        "duration_days": (42.0, 90.0), "hostages": (40.0, 25.0), "prisoners": (None, 1000.0)}
    assert [t["kind"] for t in second["added"]] == ["withdrawal"] and second["removed"] == []
    third = rounds[2]["changes"]
    assert {c["kind"]: (c["from"]["value"], c["to"]["value"]) for c in third["changed"]} == {
        "duration_days": (90.0, 60.0), "hostages": (25.0, 33.0), "prisoners": (1000.0, 600.0)}
    assert [t["kind"] for t in third["added"]] == ["phases"]
    assert [t["kind"] for t in third["removed"]] == ["withdrawal"]
    assert rounds[3]["changes"] == {"added": [], "removed": [], "changed": []}  # agreed as last proposed
    assert [(a["move"], a["event_id"]) for a in rounds[1]["responses"]] == [("reject", "a06-e0")]
    assert [(a["move"], a["event_id"]) for a in rounds[3]["responses"]] == [("accept", "a10-e0")]


def test_arrival_order_does_not_change_processes_states_or_terms(db, tmp_path):
    articles = _thread() + _distractors()
    random.Random(7).shuffle(articles)
    shuffled = _store(tmp_path / "shuffled.db", articles)
    with Store.open(db, readonly=True) as a, Store.open(shuffled, readonly=True) as b:
        assert _partition(a) == _partition(b)
        pa, pb = _thread_process(a), _thread_process(b)
    assert pa["states"] == pb["states"] and pa["terms_history"] == pb["terms_history"]


def test_recoding_an_article_re_summarises_its_process(db, tmp_path):
    copy = tmp_path / "copy.db"
    copy.write_bytes(db.read_bytes())
    agreement_article, agreement_records = next(a for a in _thread() if a[0]["id"] == "a09")
    with Store.open(copy) as store:
        store.write_records(agreement_article, [dict(agreement_records[0], negotiation=None)], "test", {})
        p = _thread_process(store)
        assert p["moves"] == 12 and "a09-e0" not in {m["event_id"] for m in p["timeline"]}
        assert ("agreed", "accept", "a10-e0") in [(s["state"], s["move"], s["event_id"]) for s in p["states"]]
        store.write_records(agreement_article, agreement_records, "test", {})  # coded again as before
        p = _thread_process(store)
        assert p["moves"] == 13 and [(s["state"], s["move"], s["event_id"]) for s in p["states"]] == EXPECTED_STATES
        assert store.db.execute("SELECT COUNT(*) FROM talk_processes WHERE stale = 1").fetchone()[0] == 0


def test_a_process_losing_its_only_move_is_dropped(tmp_path):
    kestria = [a for a in _distractors() if a[0]["id"] == "x04"]
    path = _store(tmp_path / "one.db", kestria)
    with Store.open(path) as store:
        assert len(list_processes(store)) == 1
        article, records = kestria[0]
        store.write_records(article, [dict(records[0], negotiation=None)], "test", {})
        assert list_processes(store) == []
        assert store.db.execute("SELECT COUNT(*) FROM talk_processes").fetchone()[0] == 0


# -- the rules, one at a time -----------------------------------------------------------------


def _features(**changes) -> MoveFeatures:
    text = "Arvenia proposed a truce to Azoria on Monday."
    base = record("m", 0, text, move="proposal", trigger="proposed", date="2024-04-01", actors=[ARV])
    base["negotiation"].update(changes)
    return MoveFeatures.from_record(base)


def _process(sides=(ARM, AZE), families=("ceasefire",), first="2024-03-01", last="2024-03-20") -> ProcessFeatures:
    import datetime as dt

    return ProcessFeatures(1, frozenset(sides), frozenset(), frozenset(families), frozenset({"arvenia", "azoria"}),
                           frozenset(), dt.date.fromisoformat(first), dt.date.fromisoformat(last))


def test_what_rules_a_link_out():
    assert score_move(_features(), _process()).score >= 0.55
    assert score_move(_features(process="Arvenia-Azoria trade deal", subject="deal"), _process()) is None
    assert score_move(_features(parties=[ARM, "GEO"]), _process()) is None  # a third of the sides shared
    assert score_move(_features(parties=["SDN"]), _process()) is None
    assert score_move(_features(), _process(first="2023-12-01", last="2024-01-20")) is None  # 72 days apart
    related = score_move(_features(process="Arvenia-Azoria hostage release", subject="hostage release"), _process())
    assert related.reasons["subject"] == "related" and related.score >= 0.55


def _move(event_id: str, move: str, day: str, modality: str = "asserted") -> Move:
    rec = {"id": event_id, "modality": modality, "actors": [], "evidence": {"start": 0},
           "negotiation": {"move": move, "terms": []}}
    return Move(event_id, "a", rec, day, day, "event")


def test_a_rejection_goes_back_to_the_open_state_before_the_offer():
    moves = [_move("1", "talks", "2024-01-01"), _move("2", "proposal", "2024-01-02"), _move("3", "reject", "2024-01-03")]
    transitions, after = follow_states(moves)
    assert [t["state"] for t in transitions] == ["under talks", "proposed", "under talks"]
    _, after = follow_states([_move("1", "reject", "2024-01-01")])
    assert after["1"] == "proposed"  # something was refused, so something had been offered
    _, after = follow_states([_move("1", "implementation", "2024-01-01"), _move("2", "reject", "2024-01-02")])
    assert after["2"] == "in effect"  # nothing on the table to refuse
    _, after = follow_states([_move("1", "talks", "2024-01-01"), _move("2", "collapse", "2024-01-02", "hypothetical")])
    assert after["2"] == "under talks"


def test_term_changes_compare_kind_by_kind():
    before = [{"kind": "hostages", "value": 40.0, "text": "40 hostages"},
              {"kind": "prisoners", "value": None, "text": "hundreds of prisoners"}]
    after = [{"kind": "hostages", "value": 40.0, "text": "forty hostages"},
             {"kind": "prisoners", "value": None, "text": "hundreds of Azorian prisoners"},
             {"kind": "aid", "value": None, "text": "aid"}]
    changes = term_changes(before, after)
    assert changes["changed"] == [] and [t["kind"] for t in changes["added"]] == ["aid"] and changes["removed"] == []


# -- the command and the API ------------------------------------------------------------------


def _run(args, capsys) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_lists_processes_without_writing(db, capsys):
    before = db.read_bytes()
    code, out, err = _run(["talks", "--db", str(db)], capsys)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split()[:4] == ["ID", "STATE", "LAST", "MOVE"] and lines[-1] == "5 processes"
    row = next(line for line in lines if "Arvenia-Azoria truce" in line and "2024-04-02" in line)
    assert "violated" in row and "talks" in row and "13" in row and "Norway (NOR)" in row
    assert db.read_bytes() == before
    code, out, _ = _run(["talks", "--db", str(db), "--party", "SDN", "--format", "jsonl"], capsys)
    (sudan,) = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and sudan["parties"] == ["SDN"] and sudan["state"] == "under talks" and sudan["moves"] == 2
    code, out, _ = _run(["talks", "--db", str(db), "--state", "agreed", "--format", "json"], capsys)
    assert code == 0 and [p["process"] for p in json.loads(out)] == ["Arvenia-Kestria ceasefire"]


def test_cli_prints_one_process_timeline(db, capsys):
    with Store.open(db, readonly=True) as store:
        expected = _thread_process(store)
    code, out, _ = _run(["talks", "--db", str(db), str(expected["id"])], capsys)
    assert code == 0
    assert ("states: proposed (2024-04-02, proposal) -> under talks (2024-04-08, mediation) -> proposed (2024-04-16, "
            "counter_proposal) -> under talks (2024-04-19, reject)") in out
    assert "changes: duration_days 90 -> 60; hostages 25 -> 33; prisoners 1000 -> 600; added phases 2; removed withdrawal" in out
    assert "round 1 2024-04-02 proposal by ARM, 2 reports" in out
    assert "2024-04-19  reject  Arvenia (ARM) -> Azoria (AZE)  => under talks" in out
    assert "talks [future]" in out and '"Arvenia rejected Azoria\'s counter-proposal on Friday' in out
    code, out, _ = _run(["talks", "--db", str(db), str(expected["id"]), "--format", "json"], capsys)
    assert code == 0 and json.loads(out) == expected


@pytest.mark.parametrize("args, message", [
    (["999"], "there is no negotiation process 999"),
    (["0"], "process id '0' is not a positive whole number"),
    (["--state", "frozen"], "--state 'frozen' is unknown: use one of proposed, under talks"),
    (["--party", "Arvenia"], "--party 'Arvenia' is not a three-letter country code"),
    (["--export", "out.xlsx"], "cannot tell the export format from its name"),
    (["--format", "xml"], "unknown --format 'xml'"),
])
def test_cli_errors_are_one_line(db, capsys, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    code, out, err = _run(["talks", "--db", str(db), *args], capsys)
    assert code == 2 and out == "" and err.count("\n") == 1 and message in err and err.startswith("lapwing: error: ")


def test_exports_in_ceasefire_dataset_columns(db, tmp_path, capsys):
    processes, moves = tmp_path / "processes.csv", tmp_path / "moves.jsonl"
    code, out, _ = _run(["talks", "--db", str(db), "--export", str(processes), "--export-moves", str(moves)], capsys)
    assert code == 0 and out.splitlines() == [f"{processes}: 5 processes written", f"{moves}: 18 moves written"]
    rows = list(csv.DictReader(processes.open(encoding="utf-8")))
    truce = next(r for r in rows if r["process"].startswith("Arvenia-Azoria truce") and r["first_date"] == "2024-04-02")
    assert {k: truce[k] for k in ("declared_date", "declared_event_id", "effective_date", "fixed_duration_days",
                                  "third_parties", "third_party_roles", "purpose", "stage", "status", "status_date",
                                  "end_date")} == {
        "declared_date": "2024-05-06", "declared_event_id": "a09-e0", "effective_date": "2024-05-12",
        "fixed_duration_days": "60", "third_parties": "Norway; Oman", "third_party_roles": "mediator; mediator",
        "purpose": "release/exchange", "stage": "implementation", "status": "violated", "status_date": "2024-05-20",
        "end_date": "",
    }
    assert truce["agreed_terms"] == "duration_days=60; phases=2; hostages=33; prisoners=600"
    kestria = next(r for r in rows if r["process"] == "Arvenia-Kestria ceasefire")
    assert kestria["stage"] == "agreement" and kestria["effective_date"] == "" and kestria["fixed_duration_days"] == ""
    lines = [json.loads(line) for line in moves.read_text(encoding="utf-8").splitlines()]
    counter = next(m for m in lines if m["event_id"] == "a05-e0")
    assert counter["round"] == 2 and counter["state_after"] == "proposed" and counter["changes"].startswith(
        "duration_days 42 -> 90; hostages 40 -> 25; prisoners \"hundreds of prisoners\" -> 1000; added withdrawal")


@pytest.fixture(scope="module")
def client(db):
    from fastapi.testclient import TestClient

    from lapwing.api_http import create_app

    return TestClient(create_app(db, api_key="k"))


def test_api_lists_and_shows_processes(client, db):
    listed = client.get("/talks").json()
    assert listed["limit"] == 50 and len(listed["processes"]) == 5
    with Store.open(db, readonly=True) as store:
        expected = _thread_process(store)
        assert listed["processes"] == list_processes(store, limit=50)
    one = client.get(f"/talks/{expected['id']}")
    assert one.status_code == 200 and one.json() == expected
    assert [p["parties"] for p in client.get("/talks", params={"party": "GEO"}).json()["processes"]] == [[ARM, "GEO"]]


def test_api_errors(client):
    missing = client.get("/talks/999")
    assert missing.status_code == 404 and "no negotiation process 999" in missing.json()["error"]["message"]
    assert client.get("/talks/0").status_code == 422
    bad = client.get("/talks", params={"state": "frozen"})
    assert bad.status_code == 422 and "state 'frozen' is unknown" in bad.json()["error"]["message"]


def test_a_month_grain_move_is_clipped_at_its_publication_day():
    # "would sign the deal next week", published 2025-03-21: the week is inside March, so the date
    # is the month; a move still to come cannot start the process on 2025-03-01.
    month = {"value": "2025-03", "granularity": "month"}
    assert move_dates({"date": month, "modality": "future"}, "2025-03-21") == ("2025-03-21", "2025-03-31", "event")
    assert move_dates({"date": month, "modality": "asserted"}, "2025-03-21") == ("2025-03-01", "2025-03-21", "event")
    # a date wholly before or after publication keeps its days
    assert move_dates({"date": month, "modality": "future"}, "2025-02-20") == ("2025-03-01", "2025-03-31", "event")
    assert move_dates({"date": {"value": "2025-03-04", "granularity": "day"}, "modality": "asserted"},
                      "2025-03-21") == ("2025-03-04", "2025-03-04", "event")
