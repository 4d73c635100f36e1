"""The stages of the engine, in pipeline order."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..api import EngineOptions
    from ..pipeline import Stage


def default_stages(options: EngineOptions, with_article_pass: bool = True) -> list[Stage]:
    """parse -> places -> actors -> events -> dates -> locations -> quantities -> attribution -> happenings -> negotiation.

    `with_article_pass=False` leaves out the last (the judge's training codes the candidates).
    """
    from ..api import ENGINE_VERSION
    from ..actors.dictionary import default_roles
    from ..lexicon import load_lexicon
    from .actors import ActorResolver, ActorsConfig
    from .attribution import AttributionFinder
    from .dates import DateResolver
    from .events import EventConfig, EventFinder
    from .happenings import HappeningFinder, HappeningsConfig
    from .negotiation import NegotiationFinder
    from .parse import ParseConfig, Parser
    from .places import EventLocator, PlaceFinder
    from .quantities import QuantityFinder

    lexicon = load_lexicon()
    stages: list[Stage] = [
        Parser(ParseConfig(model=options.model, prefilter=options.prefilter), could_hold_event=lexicon.could_hold_event,
               titles=default_roles().person_words),
        PlaceFinder(),
        ActorResolver(ActorsConfig(dictionaries=options.actor_dictionaries)),
        # The judge decides what is a happening, so the rules propose every candidate they find.
        EventFinder(lexicon, EventConfig(min_confidence=0.0, require_participant=False), engine_version=ENGINE_VERSION),
        DateResolver(),
        EventLocator(),
        QuantityFinder(),
        AttributionFinder(),
    ]
    if with_article_pass:
        stages.append(HappeningFinder(HappeningsConfig(min_confidence=options.min_confidence)))
        stages.append(NegotiationFinder())  # on the final records: responses link to what they answer
    return stages
