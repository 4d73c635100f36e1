"""One small exception tree. Every message says what was wrong and what to do."""

from __future__ import annotations


class LapwingError(Exception):
    """Base of every error Lapwing raises on purpose."""


class InputError(LapwingError):
    """An input file, record or option cannot be used.

    `source` names the file (and line) so a batch can report it and go on.
    """

    def __init__(self, message: str, source: str | None = None) -> None:
        self.source = source
        self.message = message
        super().__init__(f"{source}: {message}" if source else message)


class ModelError(LapwingError):
    """The spaCy pipeline cannot be loaded or lacks a needed component."""


class ResourceError(LapwingError):
    """A data file of the package (lexicon, dictionary) is missing or malformed."""


class PipelineError(LapwingError):
    """Stages are ordered so that one needs a layer no earlier stage assigns."""


class GoldError(LapwingError):
    """A gold-standard file for `lapwing eval` cannot be read."""


class StoreError(LapwingError):
    """The event store cannot be opened, upgraded or written: locked, damaged, newer, full disk."""
