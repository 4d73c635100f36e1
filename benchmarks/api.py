"""Latency and throughput of the HTTP API, and load time of the web explorer, on a large store.

The store holds the VOA stories replicated to --articles articles (built with `lapwing ingest`,
then clustered with `lapwing stories`; both timed) and is kept at --db, so later runs reuse it.
`lapwing serve` runs as a subprocess on a free port; a local client fires --requests requests per
endpoint from --concurrency threads and reports median and 95th percentile latency, requests/s and
errors. Then headless Chromium loads the explorer --loads times, each in a fresh browser context,
and reports the time until the dashboard's views show their data.

Clustering 10,000 replicated articles into stories takes hours on 2 cores: --stories-timeout stops
it (what it clustered is kept, a later run carries on), and the server is then started without
`lapwing serve`'s own catch-up clustering. --analyze serves a copy with SQLite planner statistics.

    .venv/bin/python benchmarks/api.py --quick                       # 500 articles, a fast check
    .venv/bin/python benchmarks/api.py --db /tmp/bench10k.db --stories-timeout 1500   # 10,000 articles
    .venv/bin/python benchmarks/api.py --db /tmp/bench10k.db --stories-timeout 1 --analyze --json /tmp/api.json
    .venv/bin/python benchmarks/api.py --db /tmp/lap-bench-90.db --articles 89 --concurrency 50 --no-browser --cold

The server keeps the read views' answers until the store changes (lapwing.api_http.cache), and the
timed requests of a row repeat a few URLs, so most are answered from what it kept. --cold sends
`Cache-Control: no-cache` with every request, which makes the server count every answer again:
the figures of a dashboard whose store changes between requests (an ingest running).
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ingest import DEFAULT_DATA, read_stories, replicate  # the sibling benchmark's corpus

# What "the dashboard has rendered its data" means: one element of each view that is only drawn
# from API data. Views not written yet simply never appear; they are reported as missing.
DASHBOARD_SELECTORS = (
    "[data-testid=timeline-bar]",
    "[data-testid=map-marker]",
    "[data-testid=network-node]",
    "[data-testid=event-row]",
)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]  # fmt: skip
TEXT_QUERY = "ceasefire"  # a word of the VOA stories; the same as benchmarks/ingest.py's --text filter
SAMPLE_IDS = 50  # distinct ids cycled through by the /events/{id}, /articles/{id} and /stories/{id} rows
WARMUP = 5  # distinct URLs of each row requested once, untimed, before its timed requests


# --- the store -------------------------------------------------------------------------------------


def counts(db: Path) -> dict[str, int]:
    """Articles, events and stories in the store (read-only; 0 for a table not there yet)."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        out = {}
        for table in ("articles", "events", "stories"):
            try:
                out[table] = con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            except sqlite3.OperationalError:
                out[table] = 0
        return out
    finally:
        con.close()


def lapwing_cli() -> list[str]:
    """The `lapwing` command of this interpreter's environment."""
    script = Path(sys.executable).parent / "lapwing"
    return [str(script)] if script.exists() else ["lapwing"]


def build_store(db: Path, articles: int, data: Path, workers: int, stories_timeout: float | None) -> dict[str, Any]:
    """Make `db` hold `articles` replicated VOA stories, clustered into stories; returns timings.

    A store already at `db` is reused: an incomplete one is completed (ingest skips stored articles,
    and `lapwing stories` clusters only the events not yet in a story), and what the build cost is read
    back from the note written next to it. Clustering stopped by `stories_timeout` keeps what it did
    (it commits in batches), and the next run carries on from there.
    """
    note_path = db.with_name(db.name + ".bench.json")
    note: dict[str, Any] = json.loads(note_path.read_text()) if note_path.exists() else {}
    have = counts(db)["articles"] if db.exists() else 0
    if have > articles:
        raise SystemExit(f"{db} holds {have:,} articles, more than --articles {articles:,}: use another --db")
    if have < articles:
        stories = read_stories(data)
        with tempfile.TemporaryDirectory(prefix="lapwing-api-bench-") as scratch:
            corpus = Path(scratch) / f"replicated-{articles}.jsonl"
            replicate(stories, articles, corpus)  # written outside the repository, removed afterwards
            print(f"building {db}: ingesting {articles - have:,} of {articles:,} articles ...", file=sys.stderr)
            t0 = time.perf_counter()
            cmd = [*lapwing_cli(), "ingest", "--db", str(db), "--workers", str(workers), str(corpus)]
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
            seconds = time.perf_counter() - t0
        # A resumed build times only its last part; the note says so rather than pass it off as the whole.
        note = {"articles": articles, "ingest_seconds": seconds, "ingest_resumed_from": have,
                "ingest_workers": workers, "data": str(data), "stories_runs": []}
        note_path.write_text(json.dumps(note, indent=2))
    note.setdefault("stories_runs", [])
    # `lapwing stories` first clusters the events not yet in a story (all of them after a build, none
    # once done; then it only lists). `--limit 1` keeps the listing itself small.
    before = clustered(db)
    events = counts(db)["events"]
    print(f"running lapwing stories on {db} ({before:,} of {events:,} events in stories) ...", file=sys.stderr)
    t0 = time.perf_counter()
    proc = subprocess.Popen([*lapwing_cli(), "stories", "--db", str(db), "--limit", "1"], stdout=subprocess.DEVNULL)
    try:
        proc.wait(timeout=stories_timeout)
    except subprocess.TimeoutExpired:
        proc.terminate()  # SIGTERM: the batch in progress rolls back, the committed ones stay
        proc.wait()
    run = {"seconds": time.perf_counter() - t0, "events_before": before, "events_after": clustered(db),
           "complete": proc.returncode == 0}
    if proc.returncode not in (0, -15):
        raise SystemExit(f"lapwing stories failed with status {proc.returncode}")
    note["stories_runs"].append(run)
    note_path.write_text(json.dumps(note, indent=2))
    size = sum(p.stat().st_size for p in (db, db.with_name(db.name + "-wal")) if p.exists())
    return {**note, **counts(db), "clustered": run["events_after"], "db_mb": size / 1e6}


def clustered(db: Path) -> int:
    """Events already in a story."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute("SELECT COUNT(*) FROM story_events").fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        con.close()


def analyzed_copy(db: Path) -> Path:
    """A copy of the store with SQLite's planner statistics (ANALYZE); made once, next to it."""
    copy = db.with_name(db.stem + ".analyzed.db")
    changed = max(p.stat().st_mtime for p in (db, db.with_name(db.name + "-wal")) if p.exists())
    if not copy.exists() or copy.stat().st_mtime < changed:
        src = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        dst = sqlite3.connect(copy)
        src.backup(dst)
        src.close()
        dst.execute("ANALYZE")
        dst.commit()
        dst.close()
    return copy


def choose_parameters(db: Path, seed: int = 0) -> dict[str, Any]:
    """Real ids and values from the store, sampled with a fixed seed so runs are comparable."""
    rng = random.Random(seed)
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        def sample(sql: str) -> list:
            ids = [r[0] for r in con.execute(sql)]
            return rng.sample(ids, min(SAMPLE_IDS, len(ids)))

        top_type = con.execute("SELECT event_type FROM events GROUP BY event_type ORDER BY COUNT(*) DESC LIMIT 1")
        return {
            "event_ids": sample("SELECT id FROM events ORDER BY id"),
            "article_ids": sample("SELECT id FROM articles ORDER BY id"),
            "story_ids": sample("SELECT id FROM stories ORDER BY id"),
            "top_type": (top_type.fetchone() or ["ASSAULT"])[0],
            "events": con.execute("SELECT COUNT(*) FROM events").fetchone()[0],
        }
    finally:
        con.close()


def plan(params: dict[str, Any], assets: list[str]) -> list[tuple[str, list[str]]]:
    """(row label, URLs cycled through) for each endpoint measured; add rows here."""
    deep = max(0, min(params["events"] - 50, 5000) // 50 * 50)
    rows = [
        ("GET /health", ["/health"]),
        ("GET /events (first page)", ["/events?limit=50"]),
        (f"GET /events page at offset {deep:,}", [f"/events?limit=50&offset={deep}"]),
        (f"GET /events?type={params['top_type']}", [f"/events?type={params['top_type']}&limit=50"]),
        (f"GET /events?text={TEXT_QUERY}", [f"/events?text={TEXT_QUERY}&limit=50"]),
        ("GET /events/{id}", [f"/events/{i}" for i in params["event_ids"]]),
        ("GET /articles/{id}", [f"/articles/{i}" for i in params["article_ids"]]),
        ("GET /timeline (week, quad)", ["/timeline?interval=week&stack=quad"]),
        ("GET /timeline (day, type)", ["/timeline?interval=day&stack=type"]),
        ("GET /places", ["/places?limit=1000"]),  # the map asks for up to 1,000
        ("GET /network", ["/network?nodes=40"]),
        ("GET /actors", ["/actors?limit=50"]),
        ("GET /stats", ["/stats"]),
        ("GET /stories", ["/stories?limit=50"]),
        ("GET /stories/{id}", [f"/stories/{i}" for i in params["story_ids"]]),
        ("GET / (explorer page)", ["/"]),
    ]
    rows += [(f"GET {a}", [a]) for a in assets]
    return [(label, urls) for label, urls in rows if urls]


def explorer_assets(port: int) -> list[str]:
    """The explorer's own files that its page links to (scripts and stylesheets under /explorer/)."""
    status, body = fetch(port, "/")
    if status != 200:
        return []
    return sorted(set(re.findall(r'(?:src|href)="(/explorer/[^"]+)"', body.decode("utf-8", "replace"))))


# --- the server ----------------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port nobody listens on now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(port: int, path: str, timeout: float = 60, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """One GET on a new connection: (status, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class Server:
    """`lapwing serve` over `db` on `port`, in the background; restartable.

    A request the client gave up on keeps running in the server (SQLite does not stop a query when
    the client leaves), so after a timeout the server is restarted to give the next row a clean start.
    """

    def __init__(self, db: Path, port: int, log: Path, *, start_timeout: float = 300) -> None:
        self.db, self.port, self.log, self.start_timeout = db, port, log, start_timeout
        self.proc: subprocess.Popen | None = None
        self.start_seconds: list[float] = []

    def start(self) -> None:
        """Start, and return once /health answers 200."""
        cmd = [*lapwing_cli(), "serve", "--db", str(self.db), "--port", str(self.port)]
        handle = self.log.open("a")
        t0 = time.perf_counter()
        self.proc = subprocess.Popen(cmd, stdout=handle, stderr=subprocess.STDOUT)
        handle.close()
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"lapwing serve exited with status {self.proc.returncode}; see {self.log}")
            try:
                if fetch(self.port, "/health", timeout=5)[0] == 200:
                    self.start_seconds.append(time.perf_counter() - t0)
                    return
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise SystemExit(f"lapwing serve did not answer /health within {self.start_timeout:.0f} s; see {self.log}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()  # uvicorn waits for running requests; a stuck query would hold it
                self.proc.wait()
        self.proc = None

    def restart(self) -> None:
        self.stop()
        self.start()


# --- the HTTP load -------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def load(port: int, urls: list[str], requests: int, concurrency: int, timeout: float, budget: float,
         headers: dict[str, str] | None = None) -> dict[str, Any]:
    """Up to `requests` GETs spread over `concurrency` threads, each with a keep-alive connection of
    its own. No request starts after `budget` seconds; one that takes over `timeout` s counts as an error."""
    headers = headers or {}
    for url in urls[:WARMUP]:
        try:
            fetch(port, url, timeout=timeout, headers=headers)  # untimed: SQLite's page cache and the server warm up
        except OSError:
            break  # too slow even to warm up: the timed requests will say so
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    sizes: list[int] = []
    lock = threading.Lock()
    next_index = iter(range(requests))  # next() on a range iterator is atomic under the GIL
    t0 = time.perf_counter()

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        mine: list[tuple[float, int, int]] = []
        for i in next_index:
            if time.perf_counter() - t0 > budget:
                break
            started = time.perf_counter()
            try:
                conn.request("GET", urls[i % len(urls)], headers=headers)
                response = conn.getresponse()
                body = response.read()
                status = response.status
            except (OSError, http.client.HTTPException):  # timed out or dropped: status 0
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
                body, status = b"", 0
            mine.append((time.perf_counter() - started, status, len(body)))
        conn.close()
        with lock:
            for seconds, status, size in mine:
                latencies.append(seconds)
                statuses[status] = statuses.get(status, 0) + 1
                sizes.append(size)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    errors = sum(n for s, n in statuses.items() if not 200 <= s < 300)
    return {"requests": len(latencies), "errors": errors, "timeouts": statuses.get(0, 0),
            "statuses": {str(k): v for k, v in sorted(statuses.items())},
            "median_ms": statistics.median(latencies) * 1000, "p95_ms": percentile(latencies, 95) * 1000,
            "max_ms": max(latencies) * 1000, "rps": len(latencies) / wall, "mean_kb": statistics.mean(sizes) / 1024,
            "example": urls[0]}  # fmt: skip


# --- the explorer in a browser -------------------------------------------------------------------

# Records, in page time (ms since navigation start), when each selector first matches an element:
# a MutationObserver sees the element as soon as it is inserted, with no polling delay.
WATCH_SCRIPT = """
(selectors) => {
  window.__benchSeen = {};
  const check = () => {
    for (const s of selectors) {
      if (!(s in window.__benchSeen) && document.querySelector(s)) window.__benchSeen[s] = performance.now();
    }
  };
  new MutationObserver(check).observe(document, {childList: true, subtree: true, attributes: true});
  check();
}
"""

NAVIGATION_SCRIPT = """
() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const api = performance.getEntriesByType("resource")
    .filter((r) => r.initiatorType === "fetch" || r.initiatorType === "xmlhttprequest")
    .map((r) => ({url: r.name.replace(location.origin, ""), start: r.startTime, duration: r.duration}));
  return {
    response_end: nav.responseEnd, dom_content_loaded: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
    seen: window.__benchSeen, api,
  };
}
"""


def browser_loads(server: Server, loads: int, selectors: list[str], timeout_s: float) -> dict[str, Any]:
    """`loads` page loads of the explorer, each in a fresh context (cold HTTP cache); median times.

    A load that leaves API requests unanswered when it ends restarts the server, so that queries still
    running for it do not slow the next load down.
    """
    from playwright.sync_api import sync_playwright

    url = f"http://127.0.0.1:{server.port}/"
    runs, problems, unfinished = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            for _ in range(loads):
                context = browser.new_context(viewport={"width": 1400, "height": 900})
                page = context.new_page()
                page.on("pageerror", lambda err: problems.append(f"page error: {err}"))
                page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
                pending: set[str] = set()
                page.on("request", lambda r, waiting=pending: waiting.add(r.url))
                page.on("requestfinished", lambda r, waiting=pending: waiting.discard(r.url))
                page.on("requestfailed", lambda r, waiting=pending: waiting.discard(r.url))
                # The watcher must exist before the page's own script runs: install it on every new document.
                page.add_init_script(script=f"({WATCH_SCRIPT})({json.dumps(selectors)})")
                t0 = time.perf_counter()
                page.goto(url, wait_until="load")
                deadline = time.monotonic() + timeout_s
                while time.monotonic() < deadline:
                    seen = page.evaluate("() => window.__benchSeen || {}")
                    if len(seen) == len(selectors):
                        break
                    page.wait_for_timeout(50)
                wall = time.perf_counter() - t0
                timing = page.evaluate(NAVIGATION_SCRIPT)
                timing["wall_ms"] = wall * 1000
                runs.append(timing)
                waiting = sorted(u.replace(url[:-1], "") for u in pending)
                context.close()
                if waiting:
                    unfinished.append(waiting)
                    server.restart()
        finally:
            browser.close()
    found = [s for s in selectors if all(s in r["seen"] for r in runs)]
    missing = {s: sum(s in r["seen"] for r in runs) for s in selectors if s not in found}  # -> loads that saw it

    def med(values: list[float]) -> dict[str, float]:
        return {"median": statistics.median(values), "min": min(values), "max": max(values)}

    out: dict[str, Any] = {
        "loads": len(runs),
        "response_end_ms": med([r["response_end"] for r in runs]),
        "dom_content_loaded_ms": med([r["dom_content_loaded"] for r in runs]),
        "load_ms": med([r["load"] for r in runs]),
        "selectors": {s: med([r["seen"][s] for r in runs]) for s in found},
        "missing": missing,
        "problems": sorted(set(problems)),
        "unfinished": unfinished,  # per load that left some: the API requests still unanswered at its end
        "timeout_s": timeout_s,
    }
    if found:
        out["rendered_ms"] = med([max(r["seen"][s] for s in found) for r in runs])
    # The API calls the page made, by path, with their median duration: the critical path of a load.
    calls: dict[str, list[float]] = {}
    for r in runs:
        for call in r["api"]:
            calls.setdefault(call["url"], []).append(call["duration"])
    out["api_calls"] = {u: statistics.median(d) for u, d in sorted(calls.items(), key=lambda kv: -statistics.median(kv[1]))}
    return out


# --- the report ----------------------------------------------------------------------------------


def markdown(result: dict[str, Any]) -> str:
    """The README tables."""
    store, cfg = result["store"], result["config"]
    if "ingest_seconds" in store:
        resumed = store.get("ingest_resumed_from")
        build = (f"`lapwing ingest` {store['ingest_seconds'] / 60:.1f} min with {store['ingest_workers']} workers"
                 + (f" (resumed from {resumed:,} articles)" if resumed else ""))
    else:
        build = "ingest time not recorded"
    runs = store.get("stories_runs", [])
    clustering = [r for r in runs if r["events_after"] > r["events_before"]]
    if clustering:
        done = sum(r["events_after"] - r["events_before"] for r in clustering)
        seconds = sum(r["seconds"] for r in clustering)
        stories = f"`lapwing stories` clustered {done:,} events in {seconds / 60:.1f} min ({done / seconds:.1f} events/s)"
    else:
        stories = "`lapwing stories` clustering time not recorded"
    if store["clustered"] < store["events"]:
        stories += f"; **only {store['clustered']:,} of {store['events']:,} events are in stories** (stopped by --stories-timeout)"
    if runs and runs[-1]["events_after"] == runs[-1]["events_before"]:
        stories += f"; on this run, with nothing new to cluster, it took {runs[-1]['seconds']:.1f} s"
    served = "an ANALYZEd copy of the store (--analyze)" if cfg.get("analyze") else "the store as `lapwing ingest` leaves it"
    served = f"One `lapwing serve` process over {served}"
    if cfg.get("cold"):
        served += ", every request sent with `Cache-Control: no-cache` (--cold: every answer counted again)"
    starts = cfg.get("server_start_seconds") or [0]
    lines = [
        (f"Store: {store['articles']:,} articles (VOA stories replicated), {store['events']:,} events, "
         f"{store['stories']:,} stories, {store['db_mb']:.0f} MB. Build: {build}; {stories}."),
        "",
        (f"Load: up to {cfg['requests']} requests per row from {cfg['concurrency']} client threads (keep-alive), "
         f"each row stopped after {cfg['budget']:.0f} s, a request counted as an error after {cfg['timeout']:.0f} s; "
         f"{WARMUP} untimed warm-up requests first. {served}; "
         f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, load average {cfg['loadavg_start']:.1f} at the "
         f"start and {cfg['loadavg_end']:.1f} at the end. The server took {statistics.median(starts):.1f} s to "
         "start (median), until /health answered."),
        "",
        "| endpoint | example request | requests | errors | median ms | p95 ms | requests/s | mean KB |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, r in result["http"].items():
        errors = f"{r['errors']}" + (f" ({r['timeouts']} timed out)" if r.get("timeouts") else "")
        lines.append(f"| {label} | `{r['example']}` | {r['requests']} | {errors} | {r['median_ms']:.1f} | "
                     f"{r['p95_ms']:.1f} | {r['rps']:.1f} | {r['mean_kb']:.1f} |")
    if result.get("restarts"):
        lines += ["", "The server was restarted after: " + ", ".join(result["restarts"])
                  + " (requests that timed out keep running in it)."]
    b = result.get("browser")
    if b is None:
        return "\n".join(lines)
    if "error" in b:
        return "\n".join([*lines, "", f"Explorer page load: failed, {b['error']}"])
    lines += [
        "",
        (f"Explorer page load in headless Chromium: {b['loads']} loads, each in a fresh browser context "
         "(cold cache); ms since navigation start."),
        "",
        "| milestone | median ms | min | max |",
        "|---|---:|---:|---:|",
    ]
    rows = [("response end (index.html)", b["response_end_ms"]), ("DOMContentLoaded", b["dom_content_loaded_ms"]),
            ("load", b["load_ms"])]
    rows += [(f"first `{s}`", v) for s, v in b["selectors"].items()]
    if "rendered_ms" in b:
        rows.append(("**all views above rendered**", b["rendered_ms"]))
    for name, v in rows:
        lines.append(f"| {name} | {v['median']:.0f} | {v['min']:.0f} | {v['max']:.0f} |")
    if b["missing"]:
        lines += ["", f"Not seen within {b['timeout_s']:.0f} s: "
                  + ", ".join(f"`{s}` (in {n} of {b['loads']} loads)" for s, n in b["missing"].items())]
    if b["api_calls"]:
        lines += ["", "API calls the page made (median duration in ms): "
                  + ", ".join(f"`{u}` {d:.0f}" for u, d in b["api_calls"].items())]
    if b["unfinished"]:
        waiting = sorted({u for load in b["unfinished"] for u in load})
        lines += ["", f"Unanswered when the load ended, in {len(b['unfinished'])} of {b['loads']} loads (the server "
                  "was restarted after each): " + ", ".join(f"`{u}`" for u in waiting)]
    if b["problems"]:
        lines += ["", "Browser console errors: " + "; ".join(b["problems"][:5])]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Build or reuse the store, serve it, measure, print the tables."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, help="the store to build or reuse (default /tmp/lapwing-bench-N.db)")
    parser.add_argument("--articles", type=int, default=10_000, help="articles in the store (default 10,000)")
    parser.add_argument("--quick", action="store_true", help="a 500-article store, 50 requests per row, 3 loads")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="JSONL of {id, text, published} stories")
    parser.add_argument("--workers", type=int, default=0, help="ingest processes (default 0 = all cores)")
    parser.add_argument("--stories-timeout", type=float, help="stop `lapwing stories` after this many seconds "
                        "(it keeps what it clustered; the next run carries on)")
    parser.add_argument("--analyze", action="store_true",
                        help="serve a copy of the store with SQLite planner statistics (ANALYZE), to compare")
    parser.add_argument("--start-timeout", type=float, default=300, help="seconds to wait for the server to answer")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per endpoint row")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads")
    parser.add_argument("--timeout", type=float, default=60, help="seconds before a request counts as failed")
    parser.add_argument("--budget", type=float, default=120, help="seconds per row; no request starts after it")
    parser.add_argument("--loads", type=int, default=7, help="explorer page loads in the browser")
    parser.add_argument("--selectors", nargs="+", default=list(DASHBOARD_SELECTORS),
                        help="CSS selectors that mean 'the dashboard has rendered' (all of them)")
    parser.add_argument("--render-timeout", type=float, default=30, help="seconds to wait for the selectors per load")
    parser.add_argument("--no-browser", action="store_true", help="skip the page-load measurement")
    parser.add_argument("--cold", action="store_true",
                        help="send Cache-Control: no-cache, so the server recounts every answer instead of serving a kept one")
    parser.add_argument("--only", help="measure only the rows whose label contains this text")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures as JSON to FILE")
    args = parser.parse_args(argv)
    if args.quick:
        args.articles = 500 if args.articles == 10_000 else args.articles
        args.requests = min(args.requests, 50)
        args.loads = min(args.loads, 3)
    db = args.db or Path(tempfile.gettempdir()) / f"lapwing-bench-{args.articles}.db"
    if not args.data.exists():
        parser.error(f"{args.data} does not exist; pass --data PATH to the VOA stories JSONL")

    store = build_store(db, args.articles, args.data, args.workers or os.cpu_count() or 1, args.stories_timeout)
    served = analyzed_copy(db) if args.analyze else db
    params = choose_parameters(served)
    port = free_port()
    log = Path(tempfile.gettempdir()) / f"lapwing-bench-serve-{port}.log"
    server = Server(served, port, log, start_timeout=args.start_timeout)
    config = {"db": str(db), "served": str(served), "analyze": args.analyze, "requests": args.requests,
              "concurrency": args.concurrency, "timeout": args.timeout, "budget": args.budget, "loads": args.loads,
              "cold": args.cold, "loadavg_start": os.getloadavg()[0]}  # fmt: skip
    result: dict[str, Any] = {"store": store, "config": config, "http": {}, "restarts": []}
    server.start()
    try:
        for label, urls in plan(params, explorer_assets(port)):
            if args.only and args.only not in label:
                continue
            print(f"measuring {label} ...", file=sys.stderr)
            row = result["http"][label] = load(port, urls, args.requests, args.concurrency, args.timeout, args.budget,
                                               {"Cache-Control": "no-cache"} if args.cold else None)
            if row["timeouts"]:
                result["restarts"].append(label)
                server.restart()
        if not args.no_browser:
            print(f"loading the explorer {args.loads} times in Chromium ...", file=sys.stderr)
            try:
                result["browser"] = browser_loads(server, args.loads, args.selectors, args.render_timeout)
            except Exception as exc:  # noqa: BLE001 (a missing browser should not lose the HTTP figures)
                result["browser"] = {"error": f"{type(exc).__name__}: {exc}"}
    finally:
        server.stop()
    config["loadavg_end"] = os.getloadavg()[0]
    config["server_start_seconds"] = server.start_seconds
    print(markdown(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    failed = any(r["errors"] for r in result["http"].values()) or "error" in result.get("browser", {})
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
