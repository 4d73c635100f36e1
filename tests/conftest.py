"""Shared fixtures. Unit tests build Docs by hand; `nlp_doc` parses with the real model."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests check properties, not speed: on a shared machine a per-example deadline only
# makes them flaky (speed is measured by benchmarks/).
settings.register_profile("lapwing", deadline=None)
settings.load_profile("lapwing")

SHARED = Path(__file__).resolve().parents[2] / "shared"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test with the reason when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: these tests read the team's shared data beside the project")
    return path


@functools.lru_cache(maxsize=1)
def _parser():
    from lapwing.stages.parse import Parser

    return Parser()


@pytest.fixture(scope="session")
def parser():
    """The real spaCy-backed parse stage (loaded once per session), without the pre-filter."""
    return _parser()


@pytest.fixture(scope="session")
def parse_text(parser):
    """Parse a text into a Doc with every sentence parsed: parse_text(text) -> Doc."""
    from lapwing.doc import Doc
    from lapwing.records import Article

    def run(text: str, published=None) -> Doc:
        return parser(Doc(Article(text=text, published=published)))

    return run


@pytest.fixture(scope="session")
def sentence_engine():
    """The sentence-level engine, every sentence parsed and no article pass (so no candidate is
    judged away): sentence_engine(text, published=None) -> Doc. Built once per session."""
    from lapwing.api import EngineOptions
    from lapwing.doc import Doc
    from lapwing.pipeline import Pipeline
    from lapwing.records import Article
    from lapwing.stages import default_stages

    pipeline = Pipeline(default_stages(EngineOptions(prefilter=False), with_article_pass=False))
    return lambda text, published=None: pipeline(Doc(Article(text=text, published=published)))
