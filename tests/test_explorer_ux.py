"""The explorer as an analyst works in it all day (issue 11), in headless Chromium at desktop and phone
sizes: the timeline's overview and detail, the order views open in, the article's record, the keyboard.

The store is test_explorer_e2e's plus three articles its stories lack: an untitled one, one recalling
a year-only event from 1991, and a long one (explorer_site.UX_ARTICLES).
"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from explorer_site import UX_ARTICLES, browser_session, build_store, serve

pytestmark = [pytest.mark.browser, pytest.mark.model]

pytest.importorskip("playwright.sync_api", reason="Playwright is in the test extra: pip install -e '.[test]'")
httpx = pytest.importorskip("httpx")

DESKTOP = {"width": 1400, "height": 1000}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from lapwing import web

    if not web.built():
        pytest.skip("the explorer is not built: `npm run build` in web/ (pip install -e . does it)")
    db = build_store(tmp_path_factory.mktemp("explorer-ux") / "events.db", UX_ARTICLES)
    with serve(db) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with browser_session() as b:
        yield b


def new_page(browser, **options):
    context = browser.new_context(**{"viewport": DESKTOP, **options})
    pg = context.new_page()
    pg.problems = []
    pg.on("pageerror", lambda exc: pg.problems.append(f"page error: {exc}"))
    pg.on("console", lambda msg: pg.problems.append(f"console {msg.type}: {msg.text}")
          if msg.type == "error" and not msg.text.startswith("Failed to load resource: the server responded with a status of 4")
          else None)
    pg.set_default_timeout(15_000)
    return pg


@pytest.fixture()
def page(browser):
    pg = new_page(browser)
    yield pg
    pg.context.close()
    assert not pg.problems, pg.problems


@pytest.fixture()
def phone(browser):
    pg = new_page(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    yield pg
    pg.context.close()
    assert not pg.problems, pg.problems


def api(site, path, **params):
    response = httpx.get(site + path, params=params, timeout=30)
    response.raise_for_status()
    return response.json()


def query_of(pg) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(pg.url).query).items()}


def count(pg, testid: str) -> int:
    return int(pg.get_by_test_id(testid).inner_text().replace(",", ""))


def wait_for_count(pg, testid: str, expected: int) -> None:
    pg.wait_for_function("([id, n]) => { const el = document.querySelector(`[data-testid=${id}]`);"
                         " return el && Number(el.textContent.replace(/,/g, '')) === n; }", arg=[testid, expected])


def open_dashboard(pg, site, query="", charts=True):
    pg.goto(f"{site}/{query}")
    pg.wait_for_selector("[data-testid=event-row]")
    pg.wait_for_selector("[data-testid=timeline-detail], [data-testid=timeline-empty]")
    if charts:
        pg.wait_for_selector("[data-testid=map-marker]")
        pg.wait_for_selector("[data-testid=network-node]")


def stacks(pg, testid="timeline-bar"):
    """Each drawn bar (bucket) of the detail chart: {start: [height in px, total events]}."""
    return pg.evaluate("""id => {
        const out = {};
        for (const r of document.querySelectorAll(`[data-testid=${id}]`)) {
            const b = out[r.dataset.start] || (out[r.dataset.start] = [0, +r.dataset.total, 0]);
            b[0] += r.getBBox().height;
            b[2] = r.getBBox().width;
        }
        return out;
    }""", testid)


# -- the timeline: overview and detail ------------------------------------------------------------


@pytest.mark.parametrize("query", ["", "?since=2024-04-17&until=2024-05-02", "?since=2024-05&until=2024-06-12",
                                   "?since=1991&until=1991", "?place=Nairobi&since=2024-06-20"])
def test_the_timeline_counts_what_the_table_counts(page, site, query):
    # Week bars straddle mid-week dates and the 1991 event is too coarse for any week bar: the
    # headline still counts every matching event, as the table does, and says how many are drawn.
    open_dashboard(page, site, query, charts=False)
    params = {k: v[0] for k, v in parse_qs(query.lstrip("?")).items()}
    expected = api(site, "/events", limit=0, **params)["total"]
    assert count(page, "events-total") == expected
    wait_for_count(page, "timeline-total", expected)
    timeline = api(site, "/timeline", interval="week", **params)
    drawn = sum(b["total"] for b in timeline["buckets"])
    assert f"{drawn} drawn" in page.get_by_test_id("timeline-drawn").inner_text()
    bars = page.locator("[data-testid=timeline-bar]").evaluate_all("els => els.map(e => +e.dataset.count)")
    assert sum(bars) == drawn
    if timeline["excluded"]["coarser"]:
        assert "too coarsely" in page.get_by_test_id("timeline-excluded").inner_text()


def test_a_log_scale_keeps_a_quiet_week_visible_beside_a_busy_one(page, site):
    open_dashboard(page, site)
    assert page.get_by_test_id("timeline-detail").get_attribute("data-scale") == "log"
    bars = stacks(page).values()
    (big_h, big_n, _), (small_h, small_n, _) = max(bars, key=lambda b: b[1]), min(bars, key=lambda b: b[1])
    assert big_n >= 10 * small_n  # the store has a busy week
    assert small_h >= 0.2 * big_h  # on a linear scale it would be a tenth at most
    # linear, as chosen in the URL: heights in proportion to the counts
    page.get_by_test_id("timeline-scale").select_option("linear")
    page.wait_for_url(re.compile(r"scale=linear"))
    page.wait_for_selector("[data-testid=timeline-detail][data-scale=linear]")
    bars = stacks(page).values()
    (big_h, big_n, _), (small_h, small_n, _) = max(bars, key=lambda b: b[1]), min(bars, key=lambda b: b[1])
    assert small_h / big_h == pytest.approx(small_n / big_n, rel=0.1)


def test_brushing_the_overview_zooms_the_detail_into_the_range(page, site):
    open_dashboard(page, site, "?interval=week")
    before = stacks(page)
    overview = page.locator("[data-testid=timeline-overview-bar]")
    boxes = sorted((overview.nth(i).get_attribute("data-start"), overview.nth(i).bounding_box())
                   for i in range(overview.count()))
    (first, a), (last, b) = boxes[3], boxes[5]
    y = a["y"] + a["height"] / 2
    page.mouse.move(a["x"] + 1, y)
    page.mouse.down()
    page.mouse.move(b["x"] + b["width"] - 1, y, steps=8)
    page.mouse.up()
    page.wait_for_url(re.compile(r"since="))
    q = query_of(page)
    weeks = {w["start"]: w for w in api(site, "/timeline", interval="week")["buckets"]}
    assert (q["since"], q["until"]) == (first, weeks[last]["end"])
    wait_for_count(page, "timeline-total", api(site, "/events", limit=0, since=q["since"], until=q["until"])["total"])
    after = stacks(page)
    assert set(after) <= {w for w in weeks if q["since"] <= w <= q["until"]}
    # zoomed: the same week is drawn wider than over every date
    shared = next(iter(set(after) & set(before)))
    assert after[shared][2] > 2 * before[shared][2]
    # the overview still shows every date, with the range brushed on it
    assert page.locator("[data-testid=timeline-overview-bar]").count() == len(weeks)
    assert page.locator("[data-testid=timeline-overview] .brush .selection").get_attribute("width") not in (None, "0")


@pytest.mark.parametrize("interval", ["day", "week", "month"])
def test_one_matching_bar_does_not_fill_the_chart_or_get_an_hourly_axis(page, site, interval):
    open_dashboard(page, site, f"?place=Istanbul&interval={interval}")
    bars = stacks(page)
    assert len(bars) == 1
    width = page.get_by_test_id("timeline-detail").bounding_box()["width"]
    (_, _, bar_width), = bars.values()
    assert bar_width < width / 4
    labels = page.locator("[data-testid=timeline-detail] .axis-x .tick text").all_text_contents()
    assert len(labels) >= 2
    assert not [t for t in labels if re.search(r":\d\d|\b[AP]M\b", t)], labels


# -- the order views open in ----------------------------------------------------------------------


def test_the_event_table_opens_on_the_latest_events(page, site):
    open_dashboard(page, site)
    newest = api(site, "/events", limit=1, sort="-date")["events"][0]
    assert page.get_by_test_id("event-row").first.get_attribute("data-id") == newest["id"]
    dates = page.locator("[data-testid=event-row] td:first-child").all_inner_texts()
    assert dates == sorted(dates, reverse=True) and not any(d.startswith("1991") for d in dates)
    # the header says so, and a click turns it round
    assert page.locator("th[aria-sort=descending]").inner_text().startswith("Date")
    page.get_by_test_id("events-sort-date").click()
    page.wait_for_url(re.compile(r"sort=date\b"))
    page.wait_for_function("() => document.querySelector('[data-testid=event-row] td').textContent.startsWith('1991')")


def test_the_story_list_opens_latest_first_gives_its_total_and_sorts_by_reports(page, site):
    page.goto(f"{site}/?view=stories")
    page.wait_for_selector("[data-testid=story-row]")
    total = api(site, "/stories", limit=0)["total"]
    assert count(page, "stories-total") == total
    latest = api(site, "/stories", sort="-date", limit=1)["stories"][0]
    assert page.get_by_test_id("story-row").first.get_attribute("data-id") == str(latest["id"])
    assert "1991" not in page.get_by_test_id("story-row").first.inner_text()

    page.get_by_test_id("stories-sort").select_option("-reports")
    page.wait_for_url(re.compile(r"sort=-reports"))
    most = api(site, "/stories", sort="-reports", limit=1)["stories"][0]
    page.wait_for_function("id => document.querySelector('[data-testid=story-row]').dataset.id === id",
                           arg=str(most["id"]))
    reports = [int(t) for t in page.get_by_test_id("story-reports").all_inner_texts()]
    assert reports == sorted(reports, reverse=True) and reports[0] == most["events"] > 1
    # a story's "All stories" link comes back to the same order
    page.get_by_test_id("story-link").first.click()
    page.wait_for_selector("[data-testid=story-report]")
    page.get_by_test_id("story-back").click()
    page.wait_for_selector("[data-testid=story-row]")
    assert query_of(page)["sort"] == "-reports"


# -- the article view -----------------------------------------------------------------------------


def test_an_untitled_article_is_named_by_its_first_words_and_its_record_reads_as_fields(page, site):
    article = api(site, "/articles/untitled-kampala")
    assert not article["article"]["title"]
    event = article["events"][0]
    page.goto(f"{site}/?view=article&id=untitled-kampala")
    page.wait_for_selector("[data-testid=highlight]")
    title = page.get_by_test_id("article-title").inner_text()
    assert "Police arrested 30 protesters in Kampala" in title and "untitled-kampala" not in title
    fields = page.get_by_test_id("event-fields")
    assert fields.locator("dd[data-field=type]").inner_text().startswith(event["event_type"])
    assert "Police" in fields.locator("dd[data-field=actors]").inner_text()
    assert "Kampala" in fields.locator("dd[data-field=place]").inner_text()
    assert "30 arrested" in fields.locator("dd[data-field=numbers]").inner_text()
    assert not page.get_by_test_id("event-record").is_visible()  # the JSON is folded away ...
    page.locator(".record-json summary").click()
    assert json.loads(page.get_by_test_id("event-record").inner_text()) == event  # ... and exact


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_selected_event_is_scrolled_into_view(browser, site, viewport):
    pg = new_page(browser, viewport=viewport)
    try:
        events = api(site, "/articles/long-goma")["events"]
        last = events[-1]
        pg.goto(f"{site}/?view=article&id=long-goma&event={last['id']}")
        pg.wait_for_selector("[data-testid=highlight]")
        pg.wait_for_function("""() => {
            const mark = document.querySelector("mark[data-role=trigger]").getBoundingClientRect();
            const pane = document.querySelector("[data-testid=article-text]").getBoundingClientRect();
            const item = document.querySelector(".article-events li.selected").getBoundingClientRect();
            const list = document.querySelector(".article-events").getBoundingClientRect();
            return mark.top >= pane.top - 1 && mark.bottom <= pane.bottom + 1
                && mark.top >= 0 && mark.bottom <= innerHeight
                && item.top >= list.top - 1 && item.bottom <= list.bottom + 1;  // sub-pixel borders
        }""")
        assert len(events) > 8  # more than the list of events shows at once
        assert pg.locator("mark[data-role=trigger]").inner_text() == last["trigger"]["text"]
        assert not pg.problems, pg.problems
    finally:
        pg.context.close()


# -- the keyboard ---------------------------------------------------------------------------------


def test_a_skip_link_takes_the_keyboard_to_the_results(page, site):
    open_dashboard(page, site)
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.dataset.testid") == "skip-link"
    assert page.get_by_test_id("skip-link").is_visible()  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "results"
    page.keyboard.press("Tab")
    assert page.evaluate("() => !!document.activeElement.closest('[data-testid=events]')")


def test_each_chart_is_one_tab_stop_and_the_table_follows_soon(page, site):
    open_dashboard(page, site)
    markers = page.locator("[data-testid=map-marker]").count()
    shapes = page.locator("[data-testid=network-node], [data-testid=network-edge]").count()
    assert markers > 3 and shapes > 10
    assert page.locator(".map-svg [tabindex='0']").count() == 1
    assert page.locator(".network-svg [tabindex='0']").count() == 1
    presses = 0
    while page.evaluate("() => document.activeElement.dataset.testid") != "event-row":
        page.keyboard.press("Tab")
        presses += 1
        assert presses <= 40, page.evaluate("() => document.activeElement.outerHTML.slice(0, 200)")
    # inside the network the arrow keys move from node to node, with a focus that shows
    page.locator(".network-svg [tabindex='0']").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # focus it by keyboard, so :focus-visible applies
    first = page.evaluate("() => document.activeElement.dataset.id")
    page.keyboard.press("ArrowRight")
    second = page.evaluate("() => document.activeElement.dataset.id")
    assert first and second and first != second
    ring = page.evaluate("() => getComputedStyle(document.activeElement.querySelector('circle')).strokeWidth")
    assert float(ring.rstrip("px")) >= 3
    assert page.locator(".network-svg [tabindex='0']").count() == 1


def contrast(fg: str, bg: str) -> float:
    def luminance(css: str) -> float:
        r, g, b = (int(v) / 255 for v in re.findall(r"[\d.]+", css)[:3])
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_placeholder_text_is_readable(page, site):
    open_dashboard(page, site)
    colors = page.evaluate("""() => [...document.querySelectorAll('form.filters input[placeholder]')].map(i =>
        [getComputedStyle(i, '::placeholder').color, getComputedStyle(i).backgroundColor])""")
    assert colors
    for fg, bg in colors:
        assert contrast(fg, bg) >= 4.5, (fg, bg)


# -- the phone ------------------------------------------------------------------------------------


def test_on_a_phone_the_filters_fold_and_the_results_come_first(phone, site):
    open_dashboard(phone, site, "?type=ASSAULT")
    assert not phone.get_by_test_id("filters").is_visible()
    toggle = phone.get_by_test_id("filters-toggle")
    assert toggle.inner_text() == "Filters (1 on)" and toggle.get_attribute("aria-expanded") == "false"
    assert phone.get_by_test_id("timeline").bounding_box()["y"] < PHONE["height"] / 3
    toggle.click()
    assert phone.get_by_test_id("filters").is_visible() and toggle.get_attribute("aria-expanded") == "true"
    assert phone.get_by_test_id("filter-type").input_value() == "ASSAULT"


@pytest.mark.parametrize("query", ["?view=stories", "", "?view=article&id=long-goma"])
def test_on_a_phone_no_page_scrolls_sideways(phone, site, query):
    phone.goto(f"{site}/{query}")
    phone.wait_for_selector("[data-testid=story-row], [data-testid=event-row], [data-testid=highlight]")
    phone.wait_for_timeout(300)  # the charts draw to the width they are given
    assert phone.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_tapping_a_timeline_bar_chooses_its_dates(phone, site):
    open_dashboard(phone, site, "?interval=month")
    bar = phone.locator("[data-testid=timeline-bar]").last
    start = bar.get_attribute("data-start")
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()
    phone.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # on the brush above it
    phone.wait_for_url(re.compile(r"since="))
    assert query_of(phone)["since"] == start


# -- the network ----------------------------------------------------------------------------------


def test_network_nodes_carry_names_and_the_codes_are_explained(page, site):
    open_dashboard(page, site)
    nodes = {n["id"]: n for n in api(site, "/network")["nodes"]}
    names = dict(page.locator("[data-testid=network-node]").evaluate_all(
        "els => els.map(e => [e.dataset.id, e.querySelector('text.node-name').textContent])"))
    assert names["PSE"] == "Palestine" and names["ISR"] == "Israel"  # names, not only codes
    codes = page.get_by_test_id("network-codes").inner_text()
    for code, node in nodes.items():
        assert f"{code} {node['label']}" in codes


def test_a_region_is_drawn_as_an_area_not_a_point(page, site):
    open_dashboard(page, site)
    regions = {p["name"] for p in api(site, "/places", limit=1000)["places"] if p["feature"] == "region" and p["lat"] is not None}
    towns = {p["name"] for p in api(site, "/places", limit=1000)["places"] if p["feature"] == "city"}
    page.get_by_test_id("map-zoom-in").click()  # deep enough that places stand alone
    for _ in range(5):
        page.get_by_test_id("map-zoom-in").click()
    page.wait_for_timeout(300)
    areas = set(page.locator("[data-testid=map-marker][data-area=true]").evaluate_all("els => els.map(e => e.dataset.name)"))
    assert regions, "the test store has events placed in a region"
    assert areas and areas <= regions and not areas & towns
