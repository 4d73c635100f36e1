"""Pairwise precision and recall of story clustering on the team's own test set (tests/data/stories).

The real pipeline codes the articles (`lapwing.extract_many`), an in-memory Store holds them, and
`update_stories` clusters them. A gold event is an event of the happening's type coded from an
article of that happening; every pair of gold events from different articles is a gold link when
both report the same happening, and a predicted link when both are in one story.

    .venv/bin/python benchmarks/stories.py              # figures at the default threshold
    .venv/bin/python benchmarks/stories.py --tune       # choose the threshold on the dev split
    .venv/bin/python benchmarks/stories.py --json
    .venv/bin/python benchmarks/stories.py --dense 200   # also: events/s on 200 copies of the coded set

`--dense N` also measures speed: the coded articles are stored N times over (distinct article and
event ids, every copy with the same dates, as replicated corpora have them: the densest case) in a
temporary SQLite file, and `update_stories` clusters them all; events/s is events over wall time.
`--shift DAYS` moves each copy's day-dated events DAYS further on instead (copy k by k * DAYS);
`--dense-data JSONL` replicates other articles (read_articles' formats) instead of the test set.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO / "tests" / "data" / "stories" / "articles.jsonl"
SPLITS = ("dev", "test", "all")


def read_gold(path: Path) -> dict[str, dict]:
    """Article id -> {happening, event_type, split} from the test set's JSONL."""
    gold = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                gold[record["id"]] = {k: record[k] for k in ("happening", "event_type", "split")}
    return gold


def code(path: Path) -> list:
    """The coded Docs of every article in the test set (the model loads once)."""
    import lapwing
    from lapwing.errors import InputError
    from lapwing.io.readers import read_articles

    articles = []
    for item in read_articles([str(path)]):
        if isinstance(item, InputError):
            raise SystemExit(f"cannot read the test set: {item}")
        articles.append(item)
    return list(lapwing.extract_many(articles))


def cluster(docs: Sequence, threshold: float | None = None, **options) -> dict[str, int]:
    """Event id -> story id after storing `docs` in a fresh in-memory Store and clustering them."""
    import lapwing
    from lapwing.store import Store
    from lapwing.store.stories import StoryConfig, update_stories

    config = StoryConfig(**options) if threshold is None else StoryConfig(threshold=threshold, **options)
    with Store.open(":memory:") as store:
        for doc in docs:
            store.write(doc, engine_version=lapwing.ENGINE_VERSION)
        update_stories(store, config=config)
        return {r[0]: r[1] for r in store.db.execute("SELECT event_id, story_id FROM story_events")}


def score(docs: Sequence, gold: dict[str, dict], stories: dict[str, int]) -> dict[str, dict]:
    """Pairwise precision, recall and F1 per split (pairs within it) and over all gold events."""
    events = [  # (event id, article id, happening, split)
        (e.id, doc.article.id, gold[doc.article.id]["happening"], gold[doc.article.id]["split"])
        for doc in docs for e in doc.events if e.event_type == gold[doc.article.id]["event_type"]
    ]
    out = {}
    for split in SPLITS:
        chosen = [e for e in events if split == "all" or e[3] == split]
        tp = fp = fn = 0
        for a, b in itertools.combinations(chosen, 2):
            if a[1] == b[1]:
                continue  # only links between different articles are clustering decisions
            same_gold, same_story = a[2] == b[2], stories[a[0]] == stories[b[0]]
            tp += same_gold and same_story
            fp += same_story and not same_gold
            fn += same_gold and not same_story
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        out[split] = {
            "events": len(chosen), "happenings": len({e[2] for e in chosen}), "articles": len({e[1] for e in chosen}),
            "stories": len({stories[e[0]] for e in chosen}), "gold_pairs": tp + fn, "predicted_pairs": tp + fp,
            "precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 3),
        }
    return out


def dense(docs: Sequence, copies: int, shift_days: int = 0) -> dict[str, float]:
    """Cluster `copies` copies of `docs` in a fresh file store: events, seconds, events/s, stories, peak MB."""
    import datetime as dt
    import hashlib
    import resource
    import tempfile

    import lapwing
    from lapwing.store import Store
    from lapwing.store.stories import update_stories

    with tempfile.TemporaryDirectory(prefix="lapwing-stories-") as tmp:
        with Store.open(Path(tmp) / "dense.db") as store:
            for k in range(copies):
                for doc in docs:
                    article_id = f"{doc.article.id}-copy{k}"
                    records = []
                    for e in doc.events:
                        record = e.to_dict()
                        record["id"] = hashlib.sha256(f"{record['id']}/{k}".encode()).hexdigest()[:16]
                        record["article_id"] = article_id
                        date = record.get("date") or {}
                        if shift_days and date.get("granularity") == "day" and date.get("value"):
                            day = dt.date.fromisoformat(date["value"]) + dt.timedelta(days=k * shift_days)
                            record["date"] = dict(date, value=day.isoformat())
                        records.append(record)
                    article = doc.article
                    row = {"id": article_id, "title": article.title, "url": article.url and f"{article.url}?copy={k}",
                           "source": article.source, "text": article.text,
                           "published": article.published.isoformat() if article.published else None}
                    store.write_records(row, records, lapwing.ENGINE_VERSION, "{}")
            events = store.db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
            started = time.perf_counter()
            update_stories(store)
            seconds = time.perf_counter() - started
            stories = store.db.execute("SELECT COUNT(*) FROM stories").fetchone()[0]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"copies": copies, "shift_days": shift_days, "events": events, "seconds": round(seconds, 2),
            "events_per_second": round(events / seconds, 1), "stories": stories, "peak_mb": round(peak)}


def tune(docs: Sequence, gold: dict[str, dict]) -> tuple[float, list[tuple[float, dict]]]:
    """The threshold with the best dev F1 (the lower one on ties), and the dev figures of each tried."""
    tried = []
    for step in range(30, 91, 2):
        threshold = step / 100
        tried.append((threshold, score(docs, gold, cluster(docs, threshold))["dev"]))
    best = max(tried, key=lambda t: (t[1]["f1"], -t[0]))
    return best[0], tried


def markdown(figures: dict[str, dict], threshold: float, seconds: float) -> str:
    """The README table."""
    lines = [
        f"Story clustering on tests/data/stories (threshold {threshold:g}; pairs of gold events from different articles)",
        "",
        "| split | happenings | articles | gold events | stories | gold pairs | precision | recall | F1 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for split in SPLITS:
        f = figures[split]
        lines.append(f"| {split} | {f['happenings']} | {f['articles']} | {f['events']} | {f['stories']} | "
                     f"{f['gold_pairs']} | {f['precision']:.3f} | {f['recall']:.3f} | {f['f1']:.3f} |")
    lines += ["", f"Coding and clustering took {seconds:.1f} s. Command: `.venv/bin/python benchmarks/stories.py`"]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="articles JSONL with happening/event_type/split")
    parser.add_argument("--threshold", type=float, help="link threshold (default: StoryConfig's)")
    parser.add_argument("--tune", action="store_true", help="choose the threshold on the dev split, then report")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--dense", type=int, metavar="N", help="also time clustering N copies of the coded set")
    parser.add_argument("--shift", type=int, default=0, metavar="DAYS", help="with --dense: copy k's days move k*DAYS")
    parser.add_argument("--dense-data", type=Path, metavar="JSONL", help="with --dense: replicate these "
                        "articles instead (e.g. ../shared/data/voa/voa_stories.jsonl)")
    args = parser.parse_args(argv)

    from lapwing.store.stories import StoryConfig

    started = time.perf_counter()
    gold = read_gold(args.data)
    docs = code(args.data)
    threshold = args.threshold if args.threshold is not None else StoryConfig().threshold
    tried: list = []
    if args.tune:
        threshold, tried = tune(docs, gold)
    figures = score(docs, gold, cluster(docs, threshold))
    seconds = time.perf_counter() - started
    speed = None
    if args.dense:
        speed = dense(code(args.dense_data) if args.dense_data else docs, args.dense, args.shift)
        speed["data"] = str(args.dense_data or args.data)
    if args.json:
        print(json.dumps({"threshold": threshold, "figures": figures, "dense": speed,
                          "tuning": [{"threshold": t, **f} for t, f in tried]}, indent=2))
        return 0
    if speed:
        print(f"dense store: {speed['copies']} copies of {Path(speed['data']).name} (day shift {speed['shift_days']}), "
              f"{speed['events']:,} events "
              f"in {speed['stories']:,} stories: {speed['seconds']} s, {speed['events_per_second']:,} events/s, "
              f"peak {speed['peak_mb']} MB", file=sys.stderr)
    if tried:
        print("dev F1 by threshold: " + ", ".join(f"{t:g}: {f['f1']:.3f}" for t, f in tried), file=sys.stderr)
    print(markdown(figures, threshold, seconds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
