"""Folded keys the store filters on: any case, any accents ("Rafah" finds "Rafaḩ"), and derived sources.

The store keeps a folded copy of every name a filter compares (place, actor, source) beside the
name itself, written with each event (lapwing.store.store) and back-filled by migration 4, so a
filter compares `fold(what the user typed)` with an indexed column. The same two functions are
registered on every connection as the SQL functions `lapwing_fold` and `lapwing_source`.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

# Latin letters NFKD does not decompose into a base letter and a mark.
_LETTERS = str.maketrans({
    "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i", "ħ": "h", "ŧ": "t",
})
# Apostrophes and ayin/hamza signs vanish ("Sana'a" = "Sanaa"), dashes and dots become spaces.
_DROP = re.compile(r"['’‘ʻʼʿʾ`´]")
_SPACE = re.compile(r"[\s\-‐‑‒–—_.,/]+")


def fold(text: str | None) -> str | None:
    """Case- and accent-free form of a name: "Rafaḩ" and "RAFAH" -> "rafah", "Québec" -> "quebec"."""
    if text is None:
        return None
    decomposed = unicodedata.normalize("NFKD", str(text).casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_LETTERS)
    return _SPACE.sub(" ", _DROP.sub("", plain)).strip()


def source_of(source: str | None, url: str | None) -> str | None:
    """Who published an article: its own `source`, else its URL's host without "www."; None if neither."""
    if source and source.strip():
        return source.strip()
    if url:
        try:
            host = urlsplit(url.strip()).hostname
        except ValueError:
            host = None
        if host:
            return host.removeprefix("www.")
    return None


def source_key(source: str | None) -> str | None:
    """The folded form a --source filter compares: "www.VOANews.com" and "voanews.com" meet."""
    key = fold(source)
    return key.removeprefix("www ").removeprefix("www.") if key else None
