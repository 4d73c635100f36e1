"""The judge's models: two logistic regressions over named features, shipped as one small JSON file.

`event` weighs a candidate (is it a real happening of its type?); `merge` weighs a pair of
candidates of one article (do they tell the same happening?). Inference is a sum of weights, so
the stage needs no machine-learning library; the training script (`python -m lapwing.judge.train`,
with `pip install "lapwing[train]"`) writes the file.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import ResourceError

MODEL_FORMAT = 1


@dataclass(frozen=True)
class LinearModel:
    """P = sigmoid(bias + the sum of the weights of the features present)."""

    weights: dict[str, float]
    bias: float

    def probability(self, features: Iterable[str]) -> float:
        """The probability for one item's features (unknown features weigh nothing)."""
        z = self.bias + sum(self.weights.get(f, 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_dict(self) -> dict[str, Any]:
        return {"bias": round(self.bias, 6), "weights": {k: round(v, 6) for k, v in sorted(self.weights.items()) if v}}

    @classmethod
    def from_dict(cls, data: Any, source: str) -> LinearModel:
        if not isinstance(data, dict) or not isinstance(data.get("weights"), dict):
            raise ResourceError(f"{source}: a model part lacks its weights; retrain with python -m lapwing.judge.train")
        try:
            return cls({str(k): float(v) for k, v in data["weights"].items()}, float(data.get("bias", 0.0)))
        except (TypeError, ValueError) as exc:
            raise ResourceError(f"{source}: a model part has a weight or bias that is not a number ({exc})") from exc


@dataclass(frozen=True)
class JudgeModel:
    """The event scorer and the pair merger, with the thresholds they were tuned with."""

    event: LinearModel
    merge: LinearModel
    version: str
    event_threshold: float = 0.5
    merge_threshold: float = 0.5
    # A candidate's score blends the event model with the rules' own confidence (which ranks the
    # events of one sentence better than the model alone does on textbook sentences).
    rule_weight: float = 0.0
    # Platt scaling (a, b) of a record's score: confidence = sigmoid(a * logit(score) + b).
    calibration: tuple[float, float] = (1.0, 0.0)

    info: dict[str, Any] = field(default_factory=dict)

    def candidate_score(self, features: Iterable[str], rule_confidence: float) -> float:
        """The score a candidate is kept by: the event model's probability blended with the rules'."""
        return (1.0 - self.rule_weight) * self.event.probability(features) + self.rule_weight * rule_confidence

    def calibrated(self, score: float) -> float:
        """A record's confidence: its score mapped so that records of confidence c are right about c of the time."""
        a, b = self.calibration
        s = min(max(score, 1e-6), 1 - 1e-6)
        z = a * math.log(s / (1 - s)) + b
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": MODEL_FORMAT, "version": self.version, "event_threshold": self.event_threshold,
            "merge_threshold": self.merge_threshold, "rule_weight": self.rule_weight,
            "calibration": list(self.calibration), "info": self.info,
            "event": self.event.to_dict(), "merge": self.merge.to_dict(),
        }  # fmt: skip

    def save(self, path: str | Path) -> None:
        """Write the model as JSON (weights sorted, so a retrained model diffs cleanly)."""
        Path(path).write_text(json.dumps(self.to_dict(), indent=1) + "\n", encoding="utf-8")

    @classmethod
    def from_dict(cls, data: Any, source: str = "<model>") -> JudgeModel:
        """Build from the JSON structure; a file of another format is a ResourceError."""
        if not isinstance(data, dict) or data.get("format") != MODEL_FORMAT:
            raise ResourceError(
                f"{source}: not a Lapwing judge model of format {MODEL_FORMAT}; retrain it with python -m lapwing.judge.train"
            )
        event = LinearModel.from_dict(data.get("event"), source)
        merge = LinearModel.from_dict(data.get("merge"), source)
        calibration = _pair(data.get("calibration", (1.0, 0.0)), source)
        try:
            return cls(
                event=event,
                merge=merge,
                version=str(data.get("version", "?")),
                event_threshold=float(data.get("event_threshold", 0.5)),
                merge_threshold=float(data.get("merge_threshold", 0.5)),
                rule_weight=float(data.get("rule_weight", 0.0)),
                calibration=calibration,
                info=dict(data.get("info") or {}),
            )
        except (TypeError, ValueError) as exc:
            raise ResourceError(
                f"{source}: a threshold, rule_weight or info is malformed ({exc}); retrain with python -m lapwing.judge.train"
            ) from exc

    @classmethod
    def load(cls, path: str | Path) -> JudgeModel:
        """Read a model file written by `save`."""
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ResourceError(f"{path}: cannot read the judge model ({exc}); give a file written by python -m lapwing.judge.train") from exc
        return cls.from_dict(data, str(path))


def _pair(value: Any, source: str) -> tuple[float, float]:
    try:
        a, b = (float(v) for v in value)
    except (TypeError, ValueError) as exc:
        raise ResourceError(f"{source}: calibration must be two numbers [a, b], got {value!r}") from exc
    return a, b


@functools.lru_cache(maxsize=1)
def default_model() -> JudgeModel:
    """The model shipped in the package (data/judge.json)."""
    ref = resources.files("lapwing").joinpath("data/judge.json")
    try:
        data = json.loads(ref.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ResourceError(f"the shipped judge model data/judge.json cannot be read ({exc}); reinstall Lapwing") from exc
    return JudgeModel.from_dict(data, "data/judge.json")
