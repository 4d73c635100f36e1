"""The read views' kept answers (lapwing.api_http.cache) and pooled connections (pool.py): every
kept answer equals a recount, any commit to the store (another connection, another process, a
POST /articles) or a store moved over the path makes the next answer a recount, and the cache is
bounded. Speed is measured by benchmarks/api.py, never here."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time

import pytest

pytest.importorskip("fastapi")
import httpx
from fastapi.testclient import TestClient
from test_http_api import KEY, docs, strike_coder

from lapwing.api_http import create_app
from lapwing.api_http.cache import Answer, AnswerCache, StoreVersion, cache_key, cacheable
from lapwing.api_http.pool import ReadPool
from lapwing.records import Article
from lapwing.store import Store, aggregates
from lapwing.store.stories import update_stories

# Every read view, unfiltered and with several filters (each view's own parameters too).
VIEWS = [
    "/events", "/events?type=ASSAULT", "/events?country=ISR&sort=-date", "/events?limit=2&offset=1",
    "/events?text=overnight", "/events?since=2024-04&until=2024-05", "/events?place=Rafah",
    "/actors", "/actors?type=ASSAULT&partners=1", "/actors?limit=2",
    "/places", "/places?quad=4", "/places?bbox=30,29,35,32",
    "/timeline", "/timeline?interval=day&stack=type", "/timeline?interval=month&actor=ISR",
    "/network", "/network?nodes=2", "/network?modality=asserted&source=VOA",
    "/stats", "/stats?country=ISR",
    "/stories", "/stories?sort=-reports&limit=1", "/talks", "/talks?party=ISR",
]


def build(path, items):
    with Store.open(path) as store:
        for doc in items:
            store.write(doc, engine_version="test", origin="hand")
        update_stories(store)


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "events.db"
    build(path, docs())
    return path


def clients(path):
    """(cached, uncached) clients over one store: the second recounts every answer."""
    cached = TestClient(create_app(path, api_key=KEY, coder=strike_coder))
    plain = TestClient(create_app(path, api_key=KEY, coder=strike_coder, cache_entries=0))
    return cached, plain


def one_ids(client):
    """Paths of one event, one article, one story and one process (when there is one)."""
    event = client.get("/events?limit=1").json()["events"][0]
    paths = [f"/events/{event['id']}", f"/articles/{event['article_id']}"]
    paths += [f"/stories/{s['id']}" for s in client.get("/stories?limit=1").json()["stories"]]
    paths += [f"/talks/{p['id']}" for p in client.get("/talks?limit=1").json()["processes"]]
    return paths


def assert_same(cached, plain, urls):
    for url in urls:
        fresh = plain.get(url)
        assert fresh.status_code == 200, (url, fresh.text)
        first, again = cached.get(url), cached.get(url)
        assert first.json() == fresh.json() == again.json(), url
        assert again.content == first.content and again.headers["etag"] == first.headers["etag"], url


def test_kept_answers_equal_recounts_for_every_view(db):
    cached, plain = clients(db)
    urls = VIEWS + one_ids(plain)
    assert_same(cached, plain, urls)
    answers = cached.app.state.answers
    assert answers.hits >= len(urls) and len(answers) == len(urls)


def test_parameter_order_and_spelling_share_one_answer(db):
    cached, _ = clients(db)
    a = cached.get("/events?type=ASSAULT&country=ISR")
    b = cached.get("/events?country=%49SR&type=ASSAULT")
    assert a.json() == b.json() and len(cached.app.state.answers) == 1
    assert cache_key("/events", b"b=1&a=2&a=3") == cache_key("/events", b"a=2&b=1&a=3")
    assert cache_key("/events", b"a=2&a=3") != cache_key("/events", b"a=3&a=2")  # the last one given wins


def write_one_more(path):
    """A new article through another connection, as `lapwing ingest` would store it."""
    doc = strike_coder(Article(text="Israeli jets struck Rafah again.", id="late-one"))
    with Store.open(path) as store:
        store.write(doc, engine_version="test", origin="hand")


def test_a_write_by_another_connection_makes_every_view_a_recount(db):
    cached, plain = clients(db)
    urls = VIEWS + one_ids(plain)
    before = {url: cached.get(url).json() for url in urls}
    write_one_more(db)
    assert_same(cached, plain, urls)
    assert cached.get("/events").json() != before["/events"]
    assert cached.get("/network").json() != before["/network"]
    assert cached.get("/articles/late-one").status_code == 200


def test_a_write_by_another_process_makes_the_next_answer_a_recount(db):
    cached, plain = clients(db)
    urls = ["/events", "/actors", "/places", "/timeline", "/network", "/stats", "/stories"]
    before = {url: cached.get(url).json() for url in urls}
    victim = before["/events"]["events"][0]["article_id"]
    script = ("import sys; from lapwing.store import Store\n"
              "with Store.open(sys.argv[1]) as s: s.db.execute('DELETE FROM articles WHERE id = ?', [sys.argv[2]])")
    subprocess.run([sys.executable, "-c", script, str(db), victim], check=True)
    assert_same(cached, plain, urls)
    after = cached.get("/events").json()
    assert after["total"] == before["/events"]["total"] - 1
    assert cached.get(f"/articles/{victim}").status_code == 404


def test_a_post_through_the_api_makes_the_next_answer_a_recount(db):
    cached, plain = clients(db)
    total = cached.get("/events").json()["total"]
    stored = cached.post("/articles", headers={"X-API-Key": KEY},
                         json={"articles": [{"text": "Jets struck Rafah.", "id": "posted"}]})
    assert stored.status_code == 201, stored.text
    assert cached.get("/events").json()["total"] == total + 1
    assert_same(cached, plain, ["/events", "/network", "/stories"])


def test_a_store_moved_over_the_path_is_read_afresh(db, tmp_path):
    cached, _ = clients(db)
    assert cached.get("/events").json()["total"] == 5
    other = tmp_path / "other.db"
    build(other, docs()[:2])
    with Store.open(db) as store:  # nothing of the old file left in its WAL, as after a clean stop
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    os.replace(other, db)
    assert cached.get("/events").json()["total"] == 2
    assert cached.get("/health").json()["store"]["events"] == 2  # the pooled connections too
    _, plain = clients(db)
    assert_same(cached, plain, ["/events", "/actors", "/network", "/stats"])


def test_the_version_changes_with_any_commit_and_not_without(db):
    version = StoreVersion(str(db))
    first = version.current()
    assert first is not None and version.current() == first
    with Store.open(db) as store:
        store.db.execute("UPDATE events SET confidence = confidence")  # a commit that changes nothing
    assert version.current() != first
    os.unlink(db)
    assert version.current() is None  # no store: the view answers for itself (here an error)
    version.close()


def test_the_pool_reuses_connections_and_drops_those_of_a_replaced_file(db, tmp_path):
    pool = ReadPool(str(db), keep=1)
    store, ident = pool.take()
    pool.give(store, ident)
    again, ident2 = pool.take()
    assert again is store and ident2 == ident
    extra, ident3 = pool.take()
    assert extra is not store
    pool.give(again, ident2)
    pool.give(extra, ident3)  # one idle is kept: this one is closed
    other = tmp_path / "other.db"
    build(other, docs()[:1])
    os.replace(other, db)
    fresh, _ = pool.take()
    assert fresh is not store and fresh.counts()["events"] == 1
    pool.close()


def test_the_cache_is_bounded_in_entries_and_bytes(db):
    cached = TestClient(create_app(db, cache_entries=3))
    for nodes in range(1, 11):
        assert cached.get(f"/network?nodes={nodes}").status_code == 200
        assert len(cached.app.state.answers) <= 3
    answers = AnswerCache(max_entries=100, max_bytes=1000)
    version = (1,)
    answers.at(version)
    for i in range(20):
        answers.put(f"k{i}", version, Answer((), b"x" * 100, b'"e"'))
        assert answers.bytes <= 1000
    assert answers.get("k19", version) is not None and answers.get("k0", version) is None  # oldest out first
    answers.put("huge", version, Answer((), b"x" * 200, b'"e"'))  # over an eighth of the budget: not kept
    assert answers.get("huge", version) is None
    assert answers.get("k19", (2,)) is None and len(answers) == 0  # another version: all dropped


def test_an_answer_counted_before_a_commit_is_not_kept_after_it():
    answers = AnswerCache()
    answers.at((2,))  # a request saw the newer version while an older count was running
    answers.put("k", (1,), Answer((), b"old", b'"e"'))
    assert len(answers) == 0


def test_etags_give_304_until_the_view_changes(db):
    cached, _ = clients(db)
    first = cached.get("/network")
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "no-cache"
    same = cached.get("/network", headers={"If-None-Match": etag})
    assert same.status_code == 304 and same.content == b"" and same.headers["etag"] == etag
    assert same.headers["x-content-type-options"] == "nosniff"  # the protective headers too
    write_one_more(db)
    changed = cached.get("/network", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag


def test_health_errors_and_refused_hosts_are_never_kept(db):
    cached, _ = clients(db)
    assert "etag" not in cached.get("/health").headers
    assert cached.get("/events?type=NOPE").status_code == 422
    assert cached.get("/articles/late-one").status_code == 404
    assert len(cached.app.state.answers) == 0
    write_one_more(db)
    assert cached.get("/articles/late-one").status_code == 200  # no 404 kept
    guarded = TestClient(create_app(db, allowed_hosts=["127.0.0.1"]), base_url="http://127.0.0.1")
    assert guarded.get("/network").status_code == 200
    assert guarded.get("/network", headers={"Host": "evil.example"}).status_code == 400


def test_no_cache_from_the_client_recounts(db, monkeypatch):
    cached, _ = clients(db)
    calls = []
    real = aggregates.network
    monkeypatch.setattr(aggregates, "network", lambda *a, **k: calls.append(1) or real(*a, **k))
    cached.get("/network")
    cached.get("/network")
    assert len(calls) == 1
    cached.get("/network", headers={"Cache-Control": "no-cache"})
    assert len(calls) == 2


def test_concurrent_misses_of_one_answer_count_it_once(db, monkeypatch):
    app = create_app(db)
    calls = []
    real = aggregates.network
    lock = threading.Lock()

    def slow(*args, **kwargs):
        with lock:
            calls.append(1)
        time.sleep(0.2)
        return real(*args, **kwargs)

    monkeypatch.setattr(aggregates, "network", slow)

    async def many():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            return await asyncio.gather(*(client.get("/network") for _ in range(6)))

    answers = asyncio.run(many())
    assert {r.status_code for r in answers} == {200} and len({r.content for r in answers}) == 1
    assert len(calls) == 1


def test_which_paths_are_kept():
    for path in ("/events", "/events/abc", "/articles/x", "/stories/3", "/talks/1", "/network", "/stats"):
        assert cacheable(path), path
    for path in ("/health", "/", "/docs", "/openapi.json", "/explorer/app.js", "/events/a/b", "/extract"):
        assert not cacheable(path), path
