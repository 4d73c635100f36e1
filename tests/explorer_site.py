"""A running explorer for the end-to-end tests and the README's screenshots.

`build_store` codes the team's story articles (tests/data/stories) and one hostile article with the
real engine; `serve` runs the app on a free local port in a thread; `launch` starts Debian's Chromium
through Playwright (which never downloads a browser of its own here).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

DATA = Path(__file__).parent / "data" / "stories"
KEY = "explorer-test-key"

# An article whose text and title carry markup: the explorer must show it as text and run nothing.
HOSTILE = {
    "id": "hostile-markup",
    "source": "<i onclick=\"window.__pwned='source'\">Mallory</i> Times",
    "url": "javascript:window.__pwned='url'",
    "published": "2024-06-03",
    "title": "<img src=x onerror=\"window.__pwned='title'\">Police arrest students",
    "text": (
        "<script>window.__pwned = 'script'</script>Police arrested 12 students in Nairobi on Monday, "
        "<b onmouseover=\"window.__pwned='bold'\">officials said</b>. "
        "<a href=\"javascript:window.__pwned='link'\">Read more</a>"
    ),
}

CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


def chromium() -> str | None:
    """Debian's Chromium, or the browser LAPWING_CHROMIUM names."""
    named = os.environ.get("LAPWING_CHROMIUM")
    if named:
        return named if Path(named).exists() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


# Articles an analyst's store has and the team's stories lack: one without a title, one recalling a
# year-only event from 1991, and one long enough that its last event is far down its text pane.
_FILLER = ("Markets in the capital opened as usual and traffic was heavy on the main roads through the city. "
           "Teachers returned to their classrooms after the long holiday and shops stayed open late.")
_REGION_NEWS = [  # ten events, so the article's list of events scrolls
    "Soldiers shelled Bunia on Thursday, residents said.", "Thousands of protesters marched in Kinshasa on Wednesday.",
    "Rwanda accused Congo of backing the rebels.", "The United Nations condemned the attack on the camp.",
    "Kenya sent food aid to Goma on Tuesday.", "Uganda closed its border with Congo on Monday.",
    "Police detained five journalists in Bukavu on Sunday.", "Burundi deployed troops to Uvira on Saturday.",
    "Angola urged both sides to return to talks in Luanda.", "Tanzania offered to mediate between Rwanda and Congo.",
]
UX_ARTICLES = [
    {"id": "untitled-kampala", "source": "example.org", "published": "2024-06-25",
     "text": "Police arrested 30 protesters in Kampala on Tuesday after a march against new taxes, witnesses said."},
    {"id": "treaty-1991", "title": "An old treaty recalled", "source": "example.org", "published": "2024-05-02",
     "text": "Ethiopia and Eritrea signed a peace agreement in 1991, officials recalled on Thursday."},
    {"id": "balochistan-posts", "title": "Posts attacked", "source": "example.org", "published": "2024-06-20",
     "text": "Rebels attacked army posts in Balochistan province on Friday, officials said."},  # a region, not a town
    {"id": "long-goma", "title": "A long day in Goma", "source": "example.org", "published": "2024-06-21",
     "text": "Police arrested 12 students in Goma on Monday, officials said.\n\n"
             + "\n\n".join([_FILLER] * 30)
             + "".join(f"\n\n{s}" for s in _REGION_NEWS)
             + "\n\nRebels attacked a village near Goma on Friday, killing five people, the army said."},
]


def build_store(path: Path, extra_articles: list[dict] = ()) -> Path:
    """A store of the team's 47 story articles plus the hostile one (and `extra_articles`), with stories."""
    from lapwing.store import Store
    from lapwing.store.ingest import ingest
    from lapwing.store.stories import update_stories

    extra = path.parent / "hostile.jsonl"
    extra.write_text("".join(json.dumps(a) + "\n" for a in [HOSTILE, *extra_articles]), encoding="utf-8")
    with Store.open(path) as store:
        tally = ingest(store, [str(DATA / "articles.jsonl"), str(extra)], workers=1)
        assert tally.errors == 0, tally
        update_stories(store)
    return path


@contextlib.contextmanager
def serve(db: Path, api_key: str | None = KEY) -> Iterator[str]:
    """Serve the app over `db` on 127.0.0.1 in a thread; yields its base URL."""
    import uvicorn

    from lapwing.api_http import create_app

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(db, api_key=api_key), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the explorer's server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def launch(playwright, executable: str):
    """Headless Chromium with no background traffic (this machine has no network)."""
    return playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS)


@contextlib.contextmanager
def browser_session():
    """A headless Chromium for a module's tests, or the test skipped saying what to install."""
    import pytest

    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is in the test extra: pip install -e '.[test]'")
    executable = chromium()
    if executable is None:
        pytest.skip("no Chromium: apt-get install chromium (or set LAPWING_CHROMIUM to a Chromium binary)")
    with sync_api.sync_playwright() as p:
        browser = launch(p, executable)
        try:
            yield browser
        finally:
            browser.close()
