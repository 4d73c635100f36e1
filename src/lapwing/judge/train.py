"""Train the judge on article gold, cross-validated by article: `python -m lapwing.judge.train`.

    pip install -e ".[train]"
    python -m lapwing.judge.train --gold ../shared/data/articles/voa-gold.jsonl \
        --articles ../shared/data/voa/voa_stories.jsonl --out src/lapwing/data/judge.json \
        --cv-events /tmp/cv.jsonl

The engine codes every article once without the article pass (the candidates). Each candidate is
labelled by the gold the way the article scorer matches (its evidence sentence overlaps a mention
of a gold event whose types hold its type); each pair of same-type candidates that both match is
labelled by whether they match the same gold event. Two L2 logistic regressions are fitted on
these (scikit-learn, training only). With --cv-events, every article is also coded by models
trained without its fold (GroupKFold by article), and those records are written for the scorer:
the honest figures. The thresholds shipped are the ones that maximise F1 of those
cross-validated records, so they are tuned on held-out predictions, not on training fits.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..api import ENGINE_VERSION, EngineOptions
from ..doc import Doc
from ..eval.article_score import occurrences
from ..pipeline import Pipeline
from ..records import Article, Event
from ..stages.happenings import HappeningFinder, HappeningsConfig
from .features import event_features, pair_features
from .model import JudgeModel, LinearModel

MODEL_VERSION = "1"


@dataclass(frozen=True)
class Example:
    article: str
    features: list[str]
    label: int


def candidate_docs(articles: Sequence[Article], options: EngineOptions = EngineOptions()) -> list[Doc]:
    """Every article coded by the sentence-level stages only (the article pass left out)."""
    from ..stages import default_stages

    pipeline = Pipeline(default_stages(options, with_article_pass=False))
    return [pipeline(Doc(a)) for a in articles]


def gold_mentions(text: str, gold_event: dict) -> list[tuple[int, int]]:
    """Character spans of every occurrence of the gold event's key and also phrases."""
    return [span for phrase in [gold_event["key"], *(gold_event.get("also") or [])] for span in occurrences(text, phrase)]


def matches(event: Event, text: str, gold_events: Sequence[dict]) -> set[int]:
    """Indices of the gold events this candidate matches (overlap and type)."""
    a, b = event.evidence.start, event.evidence.end
    return {
        n for n, ge in enumerate(gold_events)
        if event.event_type in ge["types"] and any(a < e and s < b for s, e in gold_mentions(text, ge))
    }  # fmt: skip


def examples(docs: Sequence[Doc], gold: dict[str, dict]) -> tuple[list[Example], list[Example]]:
    """Labelled candidates and labelled same-type pairs of matching candidates."""
    finder = HappeningFinder(HappeningsConfig(judge=False, merge=False), model=_empty_model())
    events_out: list[Example] = []
    pairs_out: list[Example] = []
    for doc in docs:
        g = gold.get(doc.article.id)
        if g is None:
            continue
        gold_events = g["events"]
        core = {n for n, ge in enumerate(gold_events) if ge["core"]}
        feats = finder.features(doc)
        matched = [matches(e, doc.text, gold_events) for e in doc.events]
        for e, f, m in zip(doc.events, feats, matched):
            if m and not (m & core):
                continue  # matches only a borderline happening: neither credited nor charged
            events_out.append(Example(doc.article.id, f, int(bool(m))))
        order = sorted(range(len(doc.events)), key=lambda i: doc.events[i].trigger.start)
        for x, i in enumerate(order):
            for j in order[x + 1 :]:
                a, b = doc.events[i], doc.events[j]
                if a.event_type != b.event_type or not matched[i] or not matched[j]:
                    continue
                pairs_out.append(Example(doc.article.id, pair_features(doc, a, b), int(bool(matched[i] & matched[j]))))
    return events_out, pairs_out


def fit(rows: Sequence[Example], c: float) -> LinearModel:
    """An L2 logistic regression over the rows' features."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    y = [r.label for r in rows]
    if len(set(y)) < 2:
        return LinearModel({}, 0.0 if not y else (4.0 if y[0] else -4.0))
    vec = DictVectorizer()
    x = vec.fit_transform([{f: 1 for f in r.features} for r in rows])
    lr = LogisticRegression(C=c, max_iter=5000, solver="lbfgs")
    lr.fit(x, y)
    names = vec.get_feature_names_out()
    return LinearModel({str(n): float(w) for n, w in zip(names, lr.coef_[0]) if abs(w) > 1e-6}, float(lr.intercept_[0]))


def train(docs: Sequence[Doc], gold: dict[str, dict], c_event: float = 0.2, c_merge: float = 0.1,
          event_threshold: float = 0.5, merge_threshold: float = 0.55, rule_weight: float = 0.5) -> JudgeModel:
    """Both models fitted on every given article."""
    ev, pairs = examples(docs, gold)
    return JudgeModel(
        event=fit(ev, c_event), merge=fit(pairs, c_merge), version=MODEL_VERSION,
        event_threshold=event_threshold, merge_threshold=merge_threshold, rule_weight=rule_weight,
        info={"engine": ENGINE_VERSION, "event_examples": len(ev), "pair_examples": len(pairs),
              "articles": len({d.article.id for d in docs if d.article.id in gold})},
    )  # fmt: skip


def cross_validated(docs: Sequence[Doc], gold: dict[str, dict], folds: int, **kw) -> list[list[JudgeModel | Doc]]:
    """(model trained without the fold, the fold's docs) for each fold, folds split by article."""
    ids = sorted({d.article.id for d in docs})
    out = []
    for k in range(folds):
        held = set(ids[k::folds])
        model = train([d for d in docs if d.article.id not in held], gold, **kw)
        out.append([model, [d for d in docs if d.article.id in held]])
    return out


def code_with(model: JudgeModel, docs: Sequence[Doc], config: HappeningsConfig = HappeningsConfig()) -> list[Doc]:
    """The article pass with this model over already-coded candidate docs."""
    finder = HappeningFinder(config, model=model)
    return [finder(d) for d in docs]


def record_labels(docs: Sequence[Doc], gold: dict[str, dict]) -> list[tuple[float, int]]:
    """(confidence, right) for every record: right when it is the first match of a core gold event.

    Records whose first match is a borderline gold event are left out, as the scorer leaves them.
    """
    out = []
    for doc in docs:
        gold_events = gold[doc.article.id]["events"]
        hit: set[int] = set()
        for e in sorted(doc.events, key=lambda e: (e.evidence.start, e.evidence.end)):
            fresh = sorted(matches(e, doc.text, gold_events) - hit, key=lambda n: not gold_events[n]["core"])
            if fresh:
                hit.add(fresh[0])
                if not gold_events[fresh[0]]["core"]:
                    continue
            out.append((e.confidence, int(bool(fresh))))
    return out


def fit_calibration(labelled: Sequence[tuple[float, int]]) -> tuple[float, float]:
    """Platt scaling: (a, b) with P(right) = sigmoid(a * logit(score) + b)."""
    import math

    from sklearn.linear_model import LogisticRegression

    if len({y for _, y in labelled}) < 2:
        return 1.0, 0.0
    x = [[math.log(max(c, 1e-6) / max(1 - c, 1e-6))] for c, _ in labelled]
    lr = LogisticRegression(C=100.0).fit(x, [y for _, y in labelled])
    return float(lr.coef_[0][0]), float(lr.intercept_[0])


def calibration_table(labelled: Sequence[tuple[float, int]], edges=(0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)) -> str:
    """Records by confidence band: how many, and the share that are right."""
    lines = ["confidence  records  right  share right"]
    for lo, hi in zip(edges, edges[1:]):
        band = [y for c, y in labelled if lo <= c < hi]
        if band:
            lines.append(f"{lo:.1f}-{min(hi, 1.0):.1f}    {len(band):7}  {sum(band):5}  {sum(band) / len(band):11.2f}")
    return "\n".join(lines)


def read_inputs(articles_path: str, gold_path: str) -> tuple[list[Article], dict[str, dict]]:
    """The articles the gold codes (in gold order) and the gold by article id."""
    from ..io.readers import read_articles

    gold = {}
    for line in Path(gold_path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            g = json.loads(line)
            gold[str(g["id"])] = g
    articles = [a for a in read_articles([articles_path]) if isinstance(a, Article) and a.id in gold]
    return articles, gold


def _platt(calibration: tuple[float, float], score: float) -> float:
    return JudgeModel(LinearModel({}, 0.0), LinearModel({}, 0.0), "none", calibration=calibration).calibrated(score)


def _empty_model() -> JudgeModel:
    return JudgeModel(LinearModel({}, 0.0), LinearModel({}, 0.0), "none")


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m lapwing.judge.train", description=__doc__.split("\n")[0])
    p.add_argument("--gold", required=True, help="article gold (JSON Lines, ../shared/data/articles/README.md)")
    p.add_argument("--articles", required=True, help="the articles it codes (JSON Lines with id and text)")
    p.add_argument("--out", help="write the model trained on every article here")
    p.add_argument("--cv-events", help="write cross-validated records here (JSON Lines, for the scorer)")
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--c-event", type=float, default=0.2)
    p.add_argument("--c-merge", type=float, default=0.1)
    p.add_argument("--event-threshold", type=float, default=0.5)
    p.add_argument("--merge-threshold", type=float, default=0.55)
    p.add_argument("--rule-weight", type=float, default=0.5)
    args = p.parse_args(argv)
    articles, gold = read_inputs(args.articles, args.gold)
    print(f"coding {len(articles)} articles ...", file=sys.stderr)
    docs = candidate_docs(articles)
    kw = dict(c_event=args.c_event, c_merge=args.c_merge, event_threshold=args.event_threshold,
              merge_threshold=args.merge_threshold, rule_weight=args.rule_weight)  # fmt: skip
    # Every article coded by models that never saw it; their records set the calibration.
    coded = {}
    for model, held in cross_validated(docs, gold, args.folds, **kw):
        for d in code_with(model, held):
            coded[d.article.id] = d
    cv_docs = [coded[a.id] for a in articles]
    calibration = fit_calibration(record_labels(cv_docs, gold))
    cv_docs = [
        d.replace(events=tuple(dataclasses.replace(e, confidence=_platt(calibration, e.confidence)) for e in d.events))
        for d in cv_docs
    ]
    print(f"calibration a={calibration[0]:.3f} b={calibration[1]:.3f}; cross-validated records:", file=sys.stderr)
    print(calibration_table(record_labels(cv_docs, gold)), file=sys.stderr)
    if args.cv_events:
        with open(args.cv_events, "w", encoding="utf-8") as out:
            for d in cv_docs:
                for e in d.events:
                    out.write(json.dumps(e.to_dict(), ensure_ascii=False) + "\n")
        print(f"cross-validated records: {args.cv_events}", file=sys.stderr)
    if args.out:
        model = dataclasses.replace(train(docs, gold, **kw), calibration=calibration)
        model.save(args.out)
        print(f"model: {args.out} ({len(model.event.weights)} event and {len(model.merge.weights)} merge weights)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
