"""Stages and the pipeline that runs them in order, checked at build time."""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Iterable, Iterator, Sequence
from typing import Protocol, runtime_checkable

from .doc import LAYERS, Doc
from .errors import PipelineError
from .records import StageRun


@runtime_checkable
class Stage(Protocol):
    """A step of the pipeline: reads `requires` layers of a Doc, assigns `assigns` layers."""

    name: str
    version: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]

    def __call__(self, doc: Doc) -> Doc: ...


class Pipeline:
    """An ordered list of stages; records each stage's name, version and time in provenance."""

    def __init__(self, stages: Sequence[Stage]) -> None:
        assigned: set[str] = set()
        for stage in stages:
            for layer in (*stage.requires, *stage.assigns):
                if layer not in LAYERS:
                    raise PipelineError(f"stage {stage.name!r} names unknown layer {layer!r}; known: {', '.join(LAYERS)}")
            missing = [r for r in stage.requires if r not in assigned]
            if missing:
                raise PipelineError(
                    f"stage {stage.name!r} requires {', '.join(missing)}, which no earlier stage assigns; "
                    "reorder the stages or add one that assigns it"
                )
            assigned.update(stage.assigns)
        self.stages = tuple(stages)

    @property
    def versions(self) -> dict[str, str]:
        return {s.name: s.version for s in self.stages}

    def __call__(self, doc: Doc) -> Doc:
        with _collector_paused(len(doc.article.text)):
            for stage in self.stages:
                t0 = time.perf_counter()
                doc = stage(doc)
                doc = doc.replace(provenance=(*doc.provenance, StageRun(stage.name, stage.version, time.perf_counter() - t0)))
        return doc

    def pipe(self, docs: Iterable[Doc]) -> Iterator[Doc]:
        """Run over many docs; stages with a `pipe` method get the whole stream (batching)."""
        stream: Iterable[Doc] = docs
        for stage in self.stages:
            stream = _timed_pipe(stage, stream)
        yield from stream


# A long article's parse makes millions of long-lived objects, and Python's cyclic collector scans
# them again and again while they grow: coding time grew faster than the text (2 MB: 110 s with the
# collector, 90 s without). The stages make no reference cycles worth collecting mid-document, so
# for long articles the collector waits until the document is done.
LONG_ARTICLE = 200_000  # characters


@contextlib.contextmanager
def _collector_paused(length: int) -> Iterator[None]:
    if length < LONG_ARTICLE or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _timed_pipe(stage: Stage, docs: Iterable[Doc]) -> Iterator[Doc]:
    batch_pipe = getattr(stage, "pipe", None)
    if batch_pipe is not None:
        # Batched stages (the parser) time the batch; share it evenly is not knowable, so record 0.
        for doc in batch_pipe(docs):
            yield doc.replace(provenance=(*doc.provenance, StageRun(stage.name, stage.version, 0.0)))
        return
    for doc in docs:
        t0 = time.perf_counter()
        doc = stage(doc)
        yield doc.replace(provenance=(*doc.provenance, StageRun(stage.name, stage.version, time.perf_counter() - t0)))
