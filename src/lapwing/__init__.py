"""Lapwing: news articles to explainable PLOVER events."""

from .api import ENGINE_VERSION, EngineOptions, build_pipeline, extract, extract_many
from .doc import Doc
from .errors import GoldError, InputError, LapwingError, ModelError, PipelineError, ResourceError
from .records import Actor, Article, Attribution, DateRef, Event, Place, Quantity, Span

__version__ = ENGINE_VERSION
__all__ = [
    "ENGINE_VERSION",
    "Actor",
    "Article",
    "Attribution",
    "DateRef",
    "Doc",
    "EngineOptions",
    "Event",
    "GoldError",
    "InputError",
    "LapwingError",
    "ModelError",
    "PipelineError",
    "Place",
    "Quantity",
    "ResourceError",
    "Span",
    "build_pipeline",
    "extract",
    "extract_many",
]
