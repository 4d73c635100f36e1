"""Make the README's screenshots of the explorer: `.venv/bin/python scripts/screenshots.py`.

Codes the team's test articles (tests/data/stories) into a temporary store, serves the explorer,
and photographs each view in Debian's Chromium into docs/screenshots/. Needs the test extra
(Playwright) and Chromium (`apt-get install chromium`, or LAPWING_CHROMIUM).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from explorer_site import build_store, chromium, launch, serve  # noqa: E402


def shots(site: str, api) -> list[tuple[str, str, str]]:
    """(file name, path and query, selector to wait for) for each view."""
    stories = api("/stories", limit=1000)["stories"]
    # The story whose reports disagree most about a number shows what the story view is for.
    story = max(stories, key=lambda s: (max((q["max"] - q["min"] for q in s["quantities"].values()), default=0),
                                        s["sources"], -s["id"]))
    article = api("/articles/kharkiv-0514-nw")
    event = article["events"][0]["id"]
    return [
        ("dashboard.png", "/", "[data-testid=network-node]"),
        ("filtered.png", "/?actor=ISR&interval=day", "[data-testid=event-row]"),
        ("article.png", f"/?view=article&id=kharkiv-0514-nw&event={event}", "[data-testid=highlight]"),
        ("stories.png", "/?view=stories", "[data-testid=story-row]"),
        ("story.png", f"/?view=story&id={story['id']}", "[data-testid=story-report]"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots", help="folder for the PNGs")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    args = parser.parse_args(argv)

    executable = chromium()
    if executable is None:
        print("screenshots: no Chromium: apt-get install chromium, or set LAPWING_CHROMIUM", file=sys.stderr)
        return 2
    import httpx
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = build_store(Path(tmp) / "events.db")
        with serve(db) as site, sync_playwright() as p:
            browser = launch(p, executable)
            page = browser.new_page(viewport={"width": args.width, "height": args.height})
            for name, path, ready in shots(site, lambda path, **q: httpx.get(site + path, params=q).json()):
                page.goto(site + path)
                page.wait_for_selector(ready)
                page.wait_for_timeout(400)  # let transitions and layout settle
                page.screenshot(path=str(args.out / name), full_page=True)
                print(f"wrote {args.out / name}")
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
