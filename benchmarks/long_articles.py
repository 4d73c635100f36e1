"""Coding time and memory against an article's length: is the cost linear?

Each size is coded in a fresh process (the model loads untimed, a short text warms it up), and the
time and peak memory of coding one article of that size are reported with the time per 100 kB.
The articles are built from sentences the team wrote, varied in their names, numbers and order,
so that no two neighbouring sentences are the same.

    .venv/bin/python benchmarks/long_articles.py                     # 10 kB to 1 MB
    .venv/bin/python benchmarks/long_articles.py --sizes 10 100 1000 5000 --repeats 1
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import time

TEMPLATES = (
    "Gunmen attacked a police post near {town} on {day}, killing {n} officers, a local official said.",
    "The army said it had arrested {n} suspects after the raid in {town}.",
    "Hundreds of residents marched through {town} on {day} demanding the release of the detained activists.",
    "The {side} accused the {other} of violating the ceasefire agreed last month.",
    "Mediators from {country} proposed a {n}-day truce and the release of {n} prisoners.",
    "The minister met the envoy from {country} in {town} to discuss the talks.",
    "Aid agencies delivered {n} trucks of food to the camps outside {town}.",
    "Officials in {town} imposed a curfew after the clashes.",
    "The rebels denied any involvement in the attack on the market.",
    "The governor urged both sides to return to the negotiating table.",
)
TOWNS = ("Goma", "Bunia", "Kisangani", "Beni", "Butembo", "Uvira", "Bukavu", "Kindu")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
COUNTRIES = ("Kenya", "Angola", "Qatar", "Norway", "Egypt")
SIDES = ("army", "rebels", "militia", "government")


def article(kilobytes: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    parts: list[str] = []
    size = 0
    while size < kilobytes * 1000:
        side, other = rng.sample(SIDES, 2)
        sentence = rng.choice(TEMPLATES).format(
            town=rng.choice(TOWNS), day=rng.choice(DAYS), n=rng.randint(2, 90),
            country=rng.choice(COUNTRIES), side=side, other=other)
        parts.append(sentence)
        size += len(sentence) + 1
    return " ".join(parts)


def _child(kilobytes: int) -> None:
    import datetime as dt

    from lapwing import api

    api.extract("Police arrested two men in Goma on Monday.", published=dt.date(2025, 3, 12))
    text = article(kilobytes)
    t0 = time.perf_counter()
    doc = api.extract(text, published=dt.date(2025, 3, 12))
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"kb": kilobytes, "chars": len(text), "seconds": seconds, "events": len(doc.events), "peak_mb": peak}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 300, 1000], help="article sizes in kB")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        _child(args.child)
        return
    print("| size | characters | events | seconds (median) | s per 100 kB | peak memory (MB) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for kb in args.sizes:
        runs = []
        for _ in range(args.repeats):
            out = subprocess.run([sys.executable, __file__, "--child", str(kb)], capture_output=True, text=True, check=True)
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
        seconds = statistics.median(r["seconds"] for r in runs)
        peak = max(r["peak_mb"] for r in runs)
        print(f"| {kb:,} kB | {runs[0]['chars']:,} | {runs[0]['events']:,} | {seconds:.2f} | {seconds / kb * 100:.2f} | {peak:.0f} |")


if __name__ == "__main__":
    main()
