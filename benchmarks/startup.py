"""How long a cold start takes: coding one short article, and a worker's first event.

Every measurement is a fresh Python process, so nothing is warm but the operating system's file
cache (and Lapwing's own on-disk cache, unless `--no-cache`):

1. **one article**: `lapwing extract ARTICLE --published DATE` as a user types it, wall time
   from starting the command to its exit;
2. **breakdown**: the same work step by step inside one process (import, spaCy's model, the
   trigger lexicon, the gazetteer, the actor dictionary, the rest of the pipeline, the article);
3. **first event in a worker**: `extract_many` of two articles with `workers=2` in a fresh
   process, from the call until the first coded article comes back (the pool's start and each
   worker building its pipeline included).

    .venv/bin/python benchmarks/startup.py                  # medians of 7 runs
    .venv/bin/python benchmarks/startup.py --repeats 3
    .venv/bin/python benchmarks/startup.py --no-cache       # every run with an empty cache dir
    .venv/bin/python benchmarks/startup.py --compare /tmp/old/src   # an older tree, in the same run
    .venv/bin/python benchmarks/startup.py --json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_ARTICLE = REPO / "examples" / "sudan-talks.txt"
LAPWING = Path(sys.executable).with_name("lapwing")

# Run in a fresh interpreter: prints one JSON object of step -> seconds.
_BREAKDOWN = r"""
import json, sys, time
t0 = start = time.perf_counter()
out = {}
def lap(name):
    global t0
    t = time.perf_counter(); out[name] = t - t0; t0 = t
import lapwing, lapwing.cli; lap("import lapwing")
import spacy; lap("import spacy")
from lapwing.stages.parse import load_model; nlp = load_model(); lap("spaCy model")
from lapwing.lexicon import load_lexicon; load_lexicon(); lap("trigger lexicon")
from lapwing.gazetteer import Gazetteer; Gazetteer.default().load(); lap("gazetteer index")
from lapwing.actors.dictionary import default_dictionary; default_dictionary(); lap("actor dictionary")
from lapwing.stages import parse
parse.load_model = lambda name=None: nlp  # the model is already counted above
pipeline = lapwing.api._cached_pipeline(lapwing.api.EngineOptions()); lap("rest of the pipeline")
doc = lapwing.extract(open(sys.argv[1], encoding="utf-8").read(), published=sys.argv[2]); lap("first article")
doc = lapwing.extract(open(sys.argv[1], encoding="utf-8").read(), published=sys.argv[2]); lap("same article again")
out["total"] = time.perf_counter() - start
out["events"] = len(doc.events)
print(json.dumps(out))
"""

_WORKER = r"""
import json, sys, time
import lapwing
text = open(sys.argv[1], encoding="utf-8").read()
t0 = time.perf_counter()
docs = lapwing.extract_many([{"id": "a", "text": text, "published": sys.argv[2]},
                             {"id": "b", "text": text, "published": sys.argv[2]}], workers=2)
first = next(docs)
t1 = time.perf_counter()
rest = list(docs)
print(json.dumps({"first event in a worker": t1 - t0, "both articles": time.perf_counter() - t0,
                  "events": len(first.events)}))
"""


def _env(cache: str | None, src: str | None) -> dict[str, str]:
    env = dict(os.environ)
    if cache is not None:
        env["LAPWING_CACHE_DIR"] = cache
    if src is not None:  # another source tree of lapwing, found before the installed one
        env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
    return env


def _run(cmd: list[str], cache: str | None, src: str | None) -> tuple[float, str]:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=_env(cache, src), cwd=REPO)
    elapsed = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed, done.stdout


def measure(article: Path, published: str, repeats: int, no_cache: bool, trees: dict[str, str | None]) -> dict:
    """Figures per source tree; the trees take turns within each repeat, so they share the machine's load."""
    results = {label: {"one": [], "steps": {}, "worker": {}, "events": set()} for label in trees}
    with tempfile.TemporaryDirectory(prefix="lapwing-startup-") as tmp:
        for r in range(repeats):
            for label, src in trees.items():
                got = results[label]
                # --no-cache: a new empty cache dir for every process; else the user's own cache,
                # which the first run fills if it is empty.
                def cache(kind: str) -> str | None:
                    return os.path.join(tmp, f"{label}-{kind}{r}") if no_cache else None

                seconds, _ = _run([str(LAPWING), "extract", str(article), "--published", published], cache("cli"), src)
                got["one"].append(seconds)
                _, out = _run([sys.executable, "-c", _BREAKDOWN, str(article), published], cache("steps"), src)
                for k, v in json.loads(out).items():
                    if k == "events":
                        got["events"].add(v)
                    else:
                        got["steps"].setdefault(k, []).append(v)
                _, out = _run([sys.executable, "-c", _WORKER, str(article), published], cache("worker"), src)
                for k, v in json.loads(out).items():
                    if k != "events":
                        got["worker"].setdefault(k, []).append(v)
    return {
        "article": str(article.relative_to(REPO) if article.is_relative_to(REPO) else article),
        "repeats": repeats,
        "cache": "empty each run" if no_cache else "user cache",
        "python": sys.version.split()[0],
        "cores": os.cpu_count(),
        "load_average": os.getloadavg()[0],
        "trees": {
            label: {
                "src": trees[label] or "installed",
                "events": sorted(got["events"]),
                "one article (lapwing extract), s": _summary(got["one"]),
                "breakdown, s": {k: _summary(v) for k, v in got["steps"].items()},
                "worker, s": {k: _summary(v) for k, v in got["worker"].items()},
            }
            for label, got in results.items()
        },
    }


def _summary(values: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(values), 3), "min": round(min(values), 3),
            "max": round(max(values), 3)}


def markdown(result: dict) -> str:
    trees = result["trees"]
    labels = list(trees)
    lines = [
        f"Article: {result['article']}; {result['repeats']} fresh processes per figure; cache: {result['cache']}; "
        f"Python {result['python']}, {result['cores']} cores, load average {result['load_average']:.1f} at the end.",
        "",
        "| measurement | " + " | ".join(f"{label} median s (min–max)" for label in labels) + " |",
        "|---|" + "---:|" * len(labels),
    ]

    def row(name: str, get, digits: int = 2, bold: bool = False) -> None:
        cells = []
        for label in labels:
            v = get(trees[label])
            text = f"{v['median']:.{digits}f} ({v['min']:.{digits}f}–{v['max']:.{digits}f})" if v else "–"
            cells.append(f"**{text}**" if bold else text)
        lines.append(f"| {name} | " + " | ".join(cells) + " |")

    row("**one article, `lapwing extract`**", lambda t: t["one article (lapwing extract), s"], bold=True)
    for k in trees[labels[0]]["worker, s"]:
        row(f"{k} (`extract_many`, 2 workers)", lambda t, k=k: t["worker, s"].get(k))
    for k in trees[labels[0]]["breakdown, s"]:
        row(f"in one process: {k}", lambda t, k=k: t["breakdown, s"].get(k), digits=3)
    if len(labels) > 1:
        a, b = (trees[label]["one article (lapwing extract), s"]["median"] for label in labels[:2])
        lines += ["", f"One article: {labels[1]} / {labels[0]} = {b / a:.2f}x the time (medians of this run)."]
    lines.append("Events coded: " + ", ".join(f"{label} {trees[label]['events']}" for label in labels))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--article", type=Path, default=DEFAULT_ARTICLE)
    ap.add_argument("--published", default="2025-03-12")
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--no-cache", action="store_true", help="an empty Lapwing cache dir for every run")
    ap.add_argument("--compare", metavar="SRC", help="also time the lapwing package under SRC (e.g. an older "
                    "checkout's src/), taking turns with this one")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    trees: dict[str, str | None] = {"this tree": None}
    if args.compare:
        trees = {"compared": str(Path(args.compare).resolve()), "this tree": None}
    result = measure(args.article.resolve(), args.published, args.repeats, args.no_cache, trees)
    print(json.dumps(result, indent=2) if args.json else markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
