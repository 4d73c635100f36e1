"""The judge: trained scorers that tell real happenings from background and join mentions of one happening."""

from .features import event_features, pair_features
from .model import JudgeModel, LinearModel, default_model

__all__ = ["JudgeModel", "LinearModel", "default_model", "event_features", "pair_features"]
