"""The stages of the engine, in pipeline order."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..api import EngineOptions
    from ..pipeline import Stage


def default_stages(options: EngineOptions) -> list[Stage]:
    """parse -> places -> actors -> events -> dates -> locations -> quantities -> attribution."""
    from ..api import ENGINE_VERSION
    from ..lexicon import load_lexicon
    from .actors import ActorResolver, ActorsConfig
    from .attribution import AttributionFinder
    from .dates import DateResolver
    from .events import EventFinder
    from .parse import ParseConfig, Parser
    from .places import EventLocator, PlaceFinder
    from .quantities import QuantityFinder

    lexicon = load_lexicon()
    return [
        Parser(ParseConfig(model=options.model, prefilter=options.prefilter), could_hold_event=lexicon.could_hold_event),
        PlaceFinder(),
        ActorResolver(ActorsConfig(dictionaries=options.actor_dictionaries)),
        EventFinder(lexicon, engine_version=ENGINE_VERSION),
        DateResolver(),
        EventLocator(),
        QuantityFinder(),
        AttributionFinder(),
    ]
