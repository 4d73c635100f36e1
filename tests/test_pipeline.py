"""The pipeline checks stage order at build time and records provenance."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from lapwing.doc import Doc
from lapwing.errors import PipelineError
from lapwing.pipeline import Pipeline
from lapwing.records import Article


@dataclass
class FakeStage:
    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    version: str = "1"

    def __call__(self, doc: Doc) -> Doc:
        return doc


def test_a_stage_whose_layer_nobody_assigns_is_refused():
    with pytest.raises(PipelineError, match="'events' requires mentions, which no earlier stage assigns"):
        Pipeline([FakeStage("parse", (), ("parse",)), FakeStage("events", ("parse", "mentions"), ("events",))])


def test_unknown_layer_names_are_refused():
    with pytest.raises(PipelineError, match="unknown layer 'vibes'"):
        Pipeline([FakeStage("parse", (), ("vibes",))])


def test_provenance_records_every_stage_in_order():
    pipeline = Pipeline([FakeStage("parse", (), ("parse",)), FakeStage("events", ("parse",), ("events",), "7")])
    doc = pipeline(Doc(Article("text")))
    assert [(r.name, r.version) for r in doc.provenance] == [("parse", "1"), ("events", "7")]
    assert pipeline.versions == {"parse": "1", "events": "7"}
    assert [(r.name) for r in next(pipeline.pipe([Doc(Article("x"))])).provenance] == ["parse", "events"]


def test_the_collector_waits_during_a_long_article_and_is_back_after_even_on_error():
    import gc

    from lapwing.pipeline import LONG_ARTICLE, _collector_paused

    assert gc.isenabled()
    with _collector_paused(LONG_ARTICLE - 1):
        assert gc.isenabled()  # a news article: nothing changes
    try:
        with _collector_paused(LONG_ARTICLE):
            assert not gc.isenabled()
            raise RuntimeError("a stage failed")
    except RuntimeError:
        pass
    assert gc.isenabled()
