"""Request bodies, checked before any work: a bad field is a 422 naming it, never a 500 later.

A JSON string may hold a lone surrogate ("\\ud800") or a control character; neither can be
stored (SQLite needs valid UTF-8, and a NUL cuts a full-text query short), so both are refused here.
"""

from __future__ import annotations

import unicodedata
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from ..errors import InputError
from ..io.readers import parse_published

MAX_ARTICLES_PER_POST = 100


def bad_character(value: str, *, whitespace: bool = False) -> str | None:
    """Why `value` cannot be stored (a lone surrogate or a control character, and where), else None.

    `whitespace` allows tabs, newlines and the other control characters that are whitespace.
    """
    for i, ch in enumerate(value):
        kind = unicodedata.category(ch)
        if kind == "Cs":
            return f"has a lone surrogate U+{ord(ch):04X} at character {i} (not valid Unicode): remove it"
        if kind == "Cc" and not (whitespace and ch.isspace()):
            return f"has the control character U+{ord(ch):04X} at character {i}: remove it"
    return None


def _clean(value: str | None) -> str | None:
    if value is not None and (problem := bad_character(value)):
        raise ValueError(problem)
    return value


def _clean_text(value: str | None) -> str | None:
    if value is not None and (problem := bad_character(value, whitespace=True)):
        raise ValueError(problem)
    return value


def _date(value: str | None) -> str | None:
    if value is not None:
        try:
            parse_published(_clean(value) or "")
        except InputError as exc:
            raise ValueError(str(exc)) from None
    return value


Text = Annotated[str, AfterValidator(_clean_text)]
Line = Annotated[str, AfterValidator(_clean)]


class ArticleIn(BaseModel):
    """An article to code: its text and, when known, its publication date and title."""

    text: Text = Field(min_length=1, description="the article text (plain text)")
    published: Annotated[str | None, AfterValidator(_date)] = Field(
        None, description="publication date, YYYY-MM-DD (resolves 'yesterday')")
    title: Annotated[Text | None, Field(max_length=2_000)] = None
    url: Annotated[Line | None, Field(max_length=4_000)] = None
    source: Annotated[Line | None, Field(max_length=500)] = None
    id: Annotated[Line | None, Field(max_length=500)] = Field(
        None, description="the article's id; a hash of the text when omitted")


class ArticlesIn(BaseModel):
    """Articles to code and store, all or none."""

    articles: list[ArticleIn] = Field(min_length=1, max_length=MAX_ARTICLES_PER_POST)

