"""The HTTP API under bad input and load: unstorable strings, atomic batches, control characters
in filters, protective headers on every answer, and the bounds on open extraction."""

from __future__ import annotations

import re
import threading
from dataclasses import replace

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient
from test_http_api import KEY, copy_of, docs, error_of, strike_coder

from lapwing.api_http import app as app_module
from lapwing.api_http import create_app
from lapwing.store import Store

WRITE = {"X-API-Key": KEY}
JSON = {"content-type": "application/json"}


@pytest.fixture()
def store_path(tmp_path):
    path = tmp_path / "events.db"
    with Store.open(path) as store:
        for doc in docs():
            store.write(doc, engine_version="test", origin="hand")
    return path


def snapshot(path):
    """Everything a batch could change: articles, events, stories and memberships."""
    with Store.open(path, readonly=True) as store:
        return {table: store.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                for table in ("articles", "events", "event_actors", "stories", "story_events")}


def client_for(path, coder=strike_coder, **options):
    return TestClient(create_app(path, api_key=KEY, coder=coder, **options), raise_server_exceptions=False)


# -- strings that cannot be stored ---------------------------------------------------------------


@pytest.mark.parametrize("field", ["text", "title", "id", "url", "source", "published"])
def test_a_lone_surrogate_anywhere_is_a_422_naming_the_field(store_path, field):
    client = client_for(store_path)
    before = snapshot(store_path)
    # Written by hand: json.dumps would refuse to make this body, a client need not.
    body = '{"articles": [{"text": "fine", "id": "ok-1"}, {"text": "x", "id": "bad-2", "%s": "a\\ud800b"}]}' % field
    message = error_of(client.post("/articles", content=body.encode(), headers={**JSON, **WRITE}), 422)
    assert f"articles.1.{field}" in message and ("surrogate" in message or "unicode" in message), message
    assert snapshot(store_path) == before
    one = '{"text": "x", "%s": "a\\ud800b"}' % field
    assert field in error_of(client.post("/extract", content=one.encode(), headers=JSON), 422)


@pytest.mark.parametrize("field, value", [("id", "a\x00b"), ("source", "VOA\n"), ("title", "a\x1bb"),
                                          ("text", "a\x00b")])
def test_control_characters_in_a_body_are_refused(store_path, field, value):
    body = {"articles": [{"text": "fine", "id": "ok-1"}, {"text": "x", "id": "two", field: value}]}
    message = error_of(client_for(store_path).post("/articles", json=body, headers=WRITE), 422)
    assert f"articles.1.{field}" in message and "control character" in message


def test_text_and_titles_keep_their_whitespace(store_path):
    client = client_for(store_path)
    body = {"articles": [{"text": "Line one.\n\tLine two.\r\n", "title": "Two\nlines", "id": "ws-1"}]}
    assert client.post("/articles", json=body, headers=WRITE).status_code == 201


# -- a batch is stored whole or not at all ------------------------------------------------------------


def test_a_batch_with_a_bad_date_stores_nothing(store_path):
    before = snapshot(store_path)
    body = {"articles": [{"text": "fine", "id": "ok-1"}, {"text": "x", "id": "two", "published": "2024-02-30"}]}
    message = error_of(client_for(store_path).post("/articles", json=body, headers=WRITE), 422)
    assert "articles.1.published" in message and "not a real date" in message
    assert snapshot(store_path) == before


def test_one_id_twice_in_a_batch_is_refused(store_path):
    client = client_for(store_path)
    body = {"articles": [{"text": "one", "id": "same"}, {"text": "two", "id": "other"},
                         {"text": "three", "id": "same"}]}
    assert "articles.2" in error_of(client.post("/articles", json=body, headers=WRITE), 422)
    # The same text twice with no id is one article (its id is the text's hash) sent twice.
    body = {"articles": [{"text": "again"}, {"text": "again"}]}
    assert "articles.1" in error_of(client.post("/articles", json=body, headers=WRITE), 422)


def test_a_write_failing_mid_batch_rolls_back_the_earlier_articles(store_path):
    def second_unstorable(article):
        doc = strike_coder(article)
        if article.id == "b-2":  # an event with no id breaks the NOT NULL constraint on write
            (event,) = doc.events
            doc = doc.replace(events=(replace(event, id=None),))
        return doc

    before = snapshot(store_path)
    client = client_for(store_path, coder=second_unstorable)
    body = {"articles": [{"text": "first", "id": "b-1"}, {"text": "second", "id": "b-2"}]}
    response = client.post("/articles", json=body, headers=WRITE)
    assert response.status_code == 500 and response.headers["x-content-type-options"] == "nosniff"
    assert snapshot(store_path) == before
    assert error_of(client.get("/articles/b-1"), 404)


def test_stories_failing_after_the_writes_roll_them_back(store_path, monkeypatch):
    def broken(store, ids):
        real(store, ids)  # the memberships are written, then something fails
        raise RuntimeError("clustering failed")

    real = app_module.update_stories
    monkeypatch.setattr(app_module, "update_stories", broken)
    before = snapshot(store_path)
    client = client_for(store_path)
    body = {"articles": [{"text": "first", "id": "s-1"}, {"text": "second", "id": "s-2"}]}
    assert client.post("/articles", json=body, headers=WRITE).status_code == 500
    assert snapshot(store_path) == before


def test_a_good_batch_still_stores_everything_with_its_stories(store_path):
    before = snapshot(store_path)
    body = {"articles": [{"text": "first", "id": "g-1", "source": "A"}, {"text": "second", "id": "g-2", "source": "B"}]}
    response = client_for(store_path).post("/articles", json=body, headers=WRITE)
    assert response.json() == {"stored": [{"id": "g-1", "events": 1}, {"id": "g-2", "events": 1}]}
    after = snapshot(store_path)
    assert after["articles"] == before["articles"] + 2
    assert after["story_events"] == before["story_events"] + 2  # each new event is in a story


# -- control characters in filters --------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/events", "/actors", "/places", "/timeline", "/network", "/stats"])
@pytest.mark.parametrize("query", ["country=%00", "actor=IS%00R", "text=cease%00fire", "place=%1B", "source=a%0Ab",
                                   "article=%7F"])
def test_control_characters_in_filters_are_a_422(store_path, path, query):
    # "country=%00" matched every event: SQLite ends a LIKE pattern at a NUL.
    message = error_of(client_for(store_path).get(f"{path}?{query}"), 422)
    assert re.search(r"control character U\+00[0-7][0-9A-F]", message), message


# -- headers on every answer --------------------------------------------------------------------------


def assert_protected(response, page=False):
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"
    policy = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy
    assert policy.startswith("default-src 'self'" if page else "default-src 'none'"), (response.url, policy)


def test_every_json_answer_carries_the_headers(store_path):
    client = client_for(store_path, max_body_bytes=300)
    for response in (client.get("/health"), client.get("/events"), client.get("/openapi.json"),
                     client.get("/events/nope"), client.get("/events?type=NOPE"), client.delete("/events"),
                     client.post("/extract", json={"text": "x" * 500}),  # 413 from the body limit
                     client.post("/articles", json={"articles": [{"text": "x"}]})):  # 401
        assert_protected(response)


def test_a_refused_host_and_an_internal_error_carry_the_headers(store_path):
    hosts = TestClient(create_app(store_path, allowed_hosts=["127.0.0.1"]), base_url="http://127.0.0.1")
    assert_protected(hosts.get("/health", headers={"host": "evil.example"}))

    def broken(article):
        raise RuntimeError("boom")

    response = client_for(store_path, coder=broken).post("/extract", json={"text": "x"})
    assert response.status_code == 500
    assert_protected(response)


def test_pages_carry_their_policy_and_docs_run_no_inline_script(store_path):
    from lapwing import web

    if not web.built():
        pytest.skip("the explorer is not built (npm run build in web/)")
    client = client_for(store_path)
    for path in ("/", "/explorer/app.js", "/docs", "/docs/init.js", "/explorer/swagger-ui-bundle.js"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_protected(response, page=True)
    page = client.get("/docs").text
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S)
    assert scripts and all("src=" in attrs and not body.strip() for attrs, body in scripts), scripts
    assert "https://" not in page and "SwaggerUIBundle" in client.get("/docs/init.js").text


# -- bounded extraction -------------------------------------------------------------------------------


def test_extract_refuses_a_text_over_its_limit_in_bytes(store_path):
    client = client_for(store_path, max_extract_bytes=1_000)
    message = error_of(client.post("/extract", json={"text": "é" * 501}), 413)  # 1,002 bytes, 501 characters
    assert "1,000 bytes" in message and "1,002" in message
    assert client.post("/extract", json={"text": "é" * 500}).status_code == 200
    # One article per request: a batch is not an extraction.
    assert error_of(client.post("/extract", json={"articles": [{"text": "x"}]}), 422)


class Gate:
    """A coder that blocks until released, recording the order in which articles reach it."""

    def __init__(self):
        self.order: list[str] = []
        self.entered = threading.Semaphore(0)
        self.release = threading.Event()

    def __call__(self, article):
        self.order.append(article.id)
        self.entered.release()
        assert self.release.wait(10)
        return strike_coder(article)


def in_thread(fn):
    result = {}
    thread = threading.Thread(target=lambda: result.setdefault("response", fn()))
    thread.start()
    return thread, result


def test_a_busy_engine_answers_503_with_retry_after(store_path):
    gate = Gate()
    client = client_for(store_path, coder=gate, extract_slots=1)
    first, result = in_thread(lambda: client.post("/extract", json={"text": "slow", "id": "x-1"}))
    assert gate.entered.acquire(timeout=10)
    busy = client.post("/extract", json={"text": "another", "id": "x-2"})
    assert "busy" in error_of(busy, 503) and int(busy.headers["retry-after"]) > 0
    assert client.get("/health").status_code == 200  # reads go on meanwhile
    gate.release.set()
    first.join(10)
    assert result["response"].status_code == 200
    assert client.post("/extract", json={"text": "now", "id": "x-3"}).status_code == 200  # the slot is free again


def test_a_keyed_write_goes_before_waiting_extractions(store_path):
    gate = Gate()
    client = client_for(store_path, coder=gate, extract_slots=2)
    running, _ = in_thread(lambda: client.post("/extract", json={"text": "one", "id": "x-1"}))
    assert gate.entered.acquire(timeout=10)
    waiting, _ = in_thread(lambda: client.post("/extract", json={"text": "two", "id": "x-2"}))
    write, stored = in_thread(lambda: client.post("/articles", json={"articles": [{"text": "w", "id": "w-1"}]},
                                                  headers=WRITE))
    _wait_until(lambda: client.app.state.engine.waiting == 2)  # both queued for the engine
    gate.release.set()
    for thread in (running, waiting, write):
        thread.join(10)
    assert gate.order == ["x-1", "w-1", "x-2"]
    assert stored["response"].status_code == 201


def _wait_until(condition, timeout=10.0):
    import time

    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.01)
