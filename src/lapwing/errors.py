"""One small exception tree. Every message says what was wrong and what to do."""

from __future__ import annotations

import re

# Controls, line breaks and lone surrogates: a message holding one would print on several lines,
# or fail to encode as UTF-8 (stderr, SQLite) and turn a bad input into a traceback.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def printable(text: str) -> str:
    """`text` on one line and encodable as UTF-8: unprintable characters as backslash escapes.

    A file name that is not UTF-8 arrives with its bad bytes as U+DC80..U+DCFF (surrogateescape);
    they are shown as the bytes they were, `\\xff`.
    """
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


class LapwingError(Exception):
    """Base of every error Lapwing raises on purpose."""


class InputError(LapwingError):
    """An input file, record or option cannot be used.

    `source` names the file (and line) so a batch can report it and go on. Both are made
    `printable`: they quote the input, which may hold anything.
    """

    def __init__(self, message: str, source: str | None = None) -> None:
        source = printable(source) if source is not None else None
        message = printable(message)
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
