"""A negotiation told by the team's own articles, through the real engine, the CLI, the API and the explorer.

tests/data/talks/articles.jsonl holds 13 short fictional news articles (three invented outlets,
2025-03-03 to 2025-04-16) about one fictional process: a Bolivia-Paraguay border truce mediated by
Brazil and Uruguay. Paraguay proposes a 30-day truce and 50 prisoners each (told twice), Brazil
hosts talks, Bolivia rejects, Uruguay hosts a second round, Bolivia tables a revised proposal (60
days, 80 prisoners, a withdrawal), Paraguay accepts, the two sign in a deal brokered by Brazil and
Uruguay, the truce takes effect, prisoners are freed, Bolivia accuses Paraguay of violating it,
envoys meet, more talks are expected. Four distractors: Peru-Chile trade talks, a market attack in
Paraguay, a Bolivia-Paraguay gas trade agreement and a Colombia-ELN ceasefire.

Nothing here is hand-coded: `lapwing ingest` codes the articles with the rule-based engine. The
tests assert what the engine and the threading get right, and mark with `xfail(strict=True)` each
specific mis-coding found while writing the thread (the texts were not reworded to hide them), so
a fix shows up as an unexpected pass.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = [pytest.mark.model]

DATA = Path(__file__).parent / "data" / "talks" / "articles.jsonl"
THREAD = [f"chaco-{i:02d}" for i in range(1, 14)]
DISTRACTORS = ["other-01", "other-02", "other-03", "other-04"]
# What the thread tells, as (state, the article whose move sets it), in order.
EXPECTED_STATES = [("proposed", "chaco-01"), ("under talks", "chaco-03"), ("proposed", "chaco-06"),
                   ("agreed", "chaco-07"), ("in effect", "chaco-09"), ("violated", "chaco-11"),
                   ("under talks", "chaco-12")]  # the envoys meet over the breach


def lapwing(*args: str) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("lapwing")
    command = [str(exe)] if exe.exists() else [shutil.which("lapwing") or "lapwing"]
    return subprocess.run([*command, *args], capture_output=True, text=True, timeout=600, check=False)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("talks-e2e") / "events.db"
    done = lapwing("ingest", str(DATA), "--db", str(path), "--workers", "1")
    assert done.returncode == 0, done.stderr
    assert "17 article(s) coded" in done.stdout + done.stderr
    return path


@pytest.fixture(scope="module")
def processes(db) -> list[dict]:
    done = lapwing("talks", "--db", str(db), "--format", "json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _articles(detail: dict) -> set[str]:
    return {m["article"]["id"] for m in detail["timeline"]}


@pytest.fixture(scope="module")
def thread(db, processes) -> dict:
    """The process of the thread's first proposal, as `lapwing talks ID --format json` prints it."""
    for p in processes:
        done = lapwing("talks", "--db", str(db), str(p["id"]), "--format", "json")
        assert done.returncode == 0, done.stderr
        detail = json.loads(done.stdout)
        if "chaco-01" in _articles(detail) and any(m["move"] == "proposal" for m in detail["timeline"]):
            return detail
    raise AssertionError("no process holds the thread's first proposal")


def _moves(detail: dict, article: str, move: str | None = None) -> list[dict]:
    return [m for m in detail["timeline"] if m["article"]["id"] == article and (move is None or m["move"] == move)]


def _terms(round_: dict) -> dict:
    return {t["kind"]: t["value"] if t["value"] is not None else t["text"] for t in round_["terms"]}


# -- the CLI ------------------------------------------------------------------------------------


def test_the_thread_is_threaded_into_one_process(thread):
    assert set(thread["parties"]) == {"BOL", "PRY"}
    assert {m["country"] for m in thread["mediators"]} == {"BRA", "URY"}
    assert thread["process"] == "Bolivia-Paraguay truce" and thread["subjects"] == ["ceasefire"]
    assert thread["first_date"] == "2025-03-03" and thread["last_date"] == "2025-04-16"
    # every article of the thread is in it
    assert set(THREAD) <= _articles(thread)
    # mediation by two states, each on its own day
    assert [(m["date"], [x["country"] for x in m["mediators"]]) for m in thread["timeline"] if m["move"] == "mediation"] == [
        ("2025-03-06", ["BRA"]), ("2025-03-14", ["URY"])]
    agreement = _moves(thread, "chaco-08", "agreement")
    assert agreement and all({x["country"] for x in m["mediators"]} == {"BRA", "URY"} for m in agreement)


def test_the_other_talks_and_the_violence_stay_out(thread, processes):
    assert not {"other-01", "other-02", "other-04"} & _articles(thread)
    assert any(set(p["parties"]) == {"PER", "CHL"} for p in processes)
    assert any(p["parties"] == ["COL"] for p in processes)


def test_the_gas_trade_deal_stays_out(thread):
    assert "other-03" not in _articles(thread)


def _subsequence(wanted: list, got: list) -> bool:
    it = iter(got)
    return all(any(w == g for g in it) for w in wanted)


def test_the_states_follow_the_thread_in_order(thread):
    got = [(s["state"], next(m["article"]["id"] for m in thread["timeline"] if m["event_id"] == s["event_id"]))
           for s in thread["states"]]
    # every state the thread tells is there, in its order ...
    wanted = EXPECTED_STATES
    assert _subsequence(wanted, got), got
    assert thread["state"] == "under talks"
    assert got[0] == ("proposed", "chaco-01") and got[-1] == ("under talks", "chaco-12")
    # the rejection of 2025-03-10 came with talks under way: nothing was left on the table
    reject = _moves(thread, "chaco-04", "reject")
    assert len(reject) == 1 and reject[0]["state"] == "under talks" and not reject[0]["state_changed"]
    # expected talks are on the timeline but set no state
    (future,) = _moves(thread, "chaco-13")
    assert future["move"] == "talks" and future["modality"] == "future" and future["state"] == "under talks"


def test_the_states_are_exactly_the_threads(thread):
    got = [(s["state"], next(m["article"]["id"] for m in thread["timeline"] if m["event_id"] == s["event_id"]))
           for s in thread["states"]]
    assert got == EXPECTED_STATES


def test_the_terms_history_shows_the_changed_terms(thread):
    rounds = thread["terms_history"]
    first, second = rounds[0], rounds[1]
    assert first["move"] == "proposal" and first["by"] == ["PRY"] and first["date"] == "2025-03-03"
    assert _terms(first) == {"duration_days": 30, "prisoners": 50}
    assert {m["article"]["id"] for m in thread["timeline"] if m["event_id"] in first["reports"]} == {"chaco-01", "chaco-02"}
    assert ("reject", ["BOL"], "2025-03-10") in [(r["move"], r["by"], r["date"]) for r in first["responses"]]

    assert second["move"] == "counter_proposal" and second["by"] == ["BOL"] and second["date"] == "2025-03-18"
    assert _terms(second) == {"duration_days": 60, "prisoners": 80,
                              "withdrawal": "withdrawal of troops from the disputed strip"}
    changed = {c["kind"]: (c["from"]["value"], c["to"]["value"]) for c in second["changes"]["changed"]}
    assert changed == {"duration_days": (30, 60), "prisoners": (50, 80)}
    assert [t["kind"] for t in second["changes"]["added"]] == ["withdrawal"]

    agreed = [r for r in rounds if r["move"] == "agreement"]
    assert agreed and all(_terms(r)["duration_days"] == 60 for r in agreed)
    assert {r["date"] for r in agreed} == {"2025-03-24"}


def test_the_envoys_meeting_after_the_violation_joins(thread):
    (meeting,) = _moves(thread, "chaco-12")
    assert meeting["move"] == "talks"


@pytest.mark.xfail(strict=True, reason=(
    "engine: 'both delegations had agreed to keep talking', told by Uruguay's foreign minister, is an "
    "acceptance by 'delegations' coded URY (the speaker's country), so it starts 'Uruguay talks'"))
def test_the_thread_makes_no_other_process(processes, thread):
    others = [p for p in processes if p["id"] != thread["id"]]
    assert all(set(p["parties"]) in ({"PER", "CHL"}, {"COL"}) for p in others), [p["process"] for p in others]


def test_the_cli_text_lists_the_process(db, thread):
    done = lapwing("talks", "--db", str(db))
    assert done.returncode == 0, done.stderr
    row = next(line for line in done.stdout.splitlines() if re.match(rf"\s*{thread['id']}\s", line))
    assert "under talks" in row and "Bolivia-Paraguay truce" in row and "Brazil (BRA), Uruguay (URY)" in row


# -- the API ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(db):
    from fastapi.testclient import TestClient

    from lapwing.api_http import create_app

    return TestClient(create_app(db, api_key="k"))


def test_the_api_agrees_with_the_cli(client, processes, thread):
    listed = client.get("/talks").json()["processes"]
    assert listed == processes
    one = client.get(f"/talks/{thread['id']}")
    assert one.status_code == 200 and one.json() == thread
    assert [p["id"] for p in client.get("/talks", params={"party": "PRY", "state": "under talks"}).json()["processes"]] == [thread["id"]]


# -- the explorer in Chromium -------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(db):
    from explorer_site import serve

    from lapwing import web

    if not web.built():
        pytest.skip("the explorer is not built: `npm run build` in web/ (pip install -e . does it)")
    with serve(db) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from explorer_site import browser_session

    with browser_session() as b:
        yield b


def _page(browser, **options):
    context = browser.new_context(**{"viewport": {"width": 1400, "height": 1000}, **options})
    pg = context.new_page()
    pg.problems = []
    pg.on("pageerror", lambda exc: pg.problems.append(f"page error: {exc}"))
    pg.on("console", lambda msg: pg.problems.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    pg.set_default_timeout(15_000)
    return pg


@pytest.fixture()
def page(browser, site):
    pg = _page(browser)
    yield pg
    pg.context.close()
    assert not pg.problems, pg.problems


def query_of(pg) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(pg.url).query).items()}


@pytest.mark.browser
def test_the_list_shows_the_process_and_opens_its_timeline(page, site, processes, thread):
    page.goto(f"{site}/")
    page.get_by_test_id("tab-talks").click()
    page.wait_for_selector("[data-testid=talk-row]")
    assert query_of(page) == {"view": "talks"}
    assert page.get_by_test_id("talk-row").count() == len(processes)
    row = page.locator(f"[data-testid=talk-row][data-id='{thread['id']}']")
    assert row.get_by_test_id("talk-parties").inner_text() == ", ".join(thread["parties"])
    assert row.get_by_test_id("talk-mediators").inner_text() == "Brazil (BRA), Uruguay (URY)"
    assert row.get_by_test_id("talk-state").inner_text() == "under talks"
    assert row.get_by_test_id("talk-moves").inner_text() == str(thread["moves"])
    assert row.get_by_test_id("talk-dates").inner_text() == "2025-03-03 \u2013 2025-04-16"
    # the state filter of the list
    same_state = sum(p["state"] == thread["state"] for p in processes)
    page.get_by_test_id("talks-state-filter").select_option(thread["state"])
    page.wait_for_function(f"() => document.querySelectorAll('[data-testid=talk-row]').length === {same_state}")
    assert query_of(page) == {"view": "talks", "talk_state": thread["state"]}
    row.get_by_test_id("talk-link").click()
    page.wait_for_selector("[data-testid=talks-move]")
    assert query_of(page)["view"] == "talk" and query_of(page)["id"] == str(thread["id"])
    assert "Bolivia-Paraguay truce" in page.get_by_test_id("talk-title").inner_text()


@pytest.mark.browser
def test_the_timeline_has_a_lane_per_party_and_mediator_and_a_mark_per_move(page, site, thread):
    page.goto(f"{site}/?view=talk&id={thread['id']}")
    page.wait_for_selector("[data-testid=talks-move]")
    lanes = page.locator("[data-testid=talks-lane]").evaluate_all("els => els.map(e => [e.dataset.lane, e.dataset.role])")
    assert [tuple(x) for x in lanes][:4] == [(c, "party") for c in thread["parties"]] + [("BRA", "mediator"), ("URY", "mediator")]
    marks = page.locator("[data-testid=talks-move]")
    assert marks.count() == len(thread["timeline"])
    drawn = {m["event"]: m for m in marks.evaluate_all(
        "els => els.map(e => ({event: e.dataset.event, move: e.dataset.move, date: e.dataset.date, lanes: e.dataset.lanes}))")}
    for move in thread["timeline"]:
        assert drawn[move["event_id"]]["move"] == move["move"] and drawn[move["event_id"]]["date"] == move["date"]
    # each move on its actor's lane; a mediation on its mediator's
    mediations = [m for m in thread["timeline"] if m["move"] == "mediation"]
    assert [drawn[m["event_id"]]["lanes"] for m in mediations] == ["BRA", "URY"]
    (rejection,) = _moves(thread, "chaco-04", "reject")
    assert drawn[rejection["event_id"]]["lanes"] == "BOL"
    (proposal,) = _moves(thread, "chaco-01", "proposal")
    assert drawn[proposal["event_id"]]["lanes"] == "PRY"
    # the rejection is joined to the proposal it answers, on the chart and in the list of moves
    assert page.locator(f"[data-testid=talks-answer][data-from='{rejection['event_id']}']").get_attribute("data-to") \
        == thread["terms_history"][0]["event_id"]
    item = page.locator(f"[data-testid=talk-move-item][data-event='{rejection['event_id']}']")
    assert item.get_by_test_id("talk-answers").inner_text().startswith("answers the proposal of 2025-03-03")
    # the states, and the terms history with what changed
    steps = page.locator("[data-testid=talk-state-step]").evaluate_all("els => els.map(e => e.dataset.state)")
    assert steps == [s["state"] for s in thread["states"]]
    second = page.locator("[data-testid=talk-round][data-round='2']")
    assert second.locator("[data-kind=duration_days]").get_attribute("data-change") == "changed"
    assert "30" in second.locator("[data-kind=duration_days]").inner_text() and "60" in second.locator("[data-kind=duration_days]").inner_text()
    assert second.locator("[data-kind=withdrawal]").get_attribute("data-change") == "added"


@pytest.mark.browser
def test_clicking_a_move_opens_its_sentence_highlighted(page, site, thread):
    (rejection,) = _moves(thread, "chaco-04", "reject")
    page.goto(f"{site}/?view=talk&id={thread['id']}")
    page.locator(f"[data-testid=talks-move][data-event='{rejection['event_id']}']").click()
    page.wait_for_url(re.compile(r"view=article"))
    assert query_of(page)["id"] == "chaco-04" and query_of(page)["event"] == rejection["event_id"]
    trigger = page.locator(f"[data-testid=highlight][data-event='{rejection['event_id']}'][data-role~=trigger]")
    assert trigger.inner_text() == "rejected"
    page.go_back()
    page.wait_for_selector("[data-testid=talks-move]")


@pytest.mark.browser
def test_the_chart_is_one_tab_stop_with_arrow_keys(page, site, thread):
    page.goto(f"{site}/?view=talk&id={thread['id']}")
    page.wait_for_selector("[data-testid=talks-move]")
    assert page.locator(".talks-svg [tabindex='0']").count() == 1
    page.locator(".talks-svg [tabindex='0']").focus()
    first = page.evaluate("() => document.activeElement.dataset.event")
    page.keyboard.press("ArrowRight")
    second = page.evaluate("() => document.activeElement.dataset.event")
    assert first == thread["timeline"][0]["event_id"] and second == thread["timeline"][1]["event_id"]
    assert page.locator(".talks-svg [tabindex='0']").count() == 1
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"view=article"))
    assert query_of(page)["event"] == second


@pytest.mark.browser
def test_on_a_phone_the_talks_views_do_not_scroll_sideways(browser, site, thread):
    pg = _page(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        for query in ("?view=talks", f"?view=talk&id={thread['id']}"):
            pg.goto(f"{site}/{query}")
            pg.wait_for_selector("[data-testid=talk-row], [data-testid=talks-move]")
            assert pg.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"), query
        assert pg.get_by_test_id("talks-chart").bounding_box()["width"] <= 390
        assert not pg.problems, pg.problems
    finally:
        pg.context.close()
