"""The explorer's sources never turn data into markup, and never reach beyond the serving machine.

The end-to-end tests check a hostile article in a real browser; this check covers code paths those
tests do not reach, by refusing the DOM sinks that parse strings as HTML or code.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

WEB_SRC = Path(__file__).resolve().parents[1] / "web" / "src"

FORBIDDEN = {
    r"\.innerHTML\b": "innerHTML parses markup",
    r"\.outerHTML\b": "outerHTML parses markup",
    r"insertAdjacentHTML\s*\(": "insertAdjacentHTML parses markup",
    r"document\.write": "document.write parses markup",
    r"\.html\s*\(": "d3's .html() parses markup",
    r"createContextualFragment": "parses markup",
    r"DOMParser": "parses markup",
    r"javascript:": "javascript: URLs run code",
    r"\beval\s*\(": "eval runs strings",
    r"new\s+Function\s*\(": "new Function runs strings",
    r"https?://(?!www\.w3\.org/)": "the explorer loads nothing from other machines (XML namespaces aside)",
}


def _code(text: str) -> str:
    """The text without comments (a // comment starts at a line's start or after whitespace)."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return re.sub(r"(^|\s)//.*$", r"\1", text, flags=re.M)


def sources() -> list[Path]:
    return sorted(p for p in WEB_SRC.rglob("*") if p.suffix in (".js", ".mjs", ".html", ".css"))


def test_there_are_sources_to_check():
    names = {p.name for p in sources()}
    assert {"main.js", "dom.js", "state.js"} <= names


@pytest.mark.parametrize("path", sources(), ids=lambda p: str(p.relative_to(WEB_SRC)))
def test_no_markup_sinks_or_remote_urls(path):
    code = _code(path.read_text(encoding="utf-8"))
    found = [f"{pattern!r} ({why})" for pattern, why in FORBIDDEN.items() if re.search(pattern, code)]
    assert not found, f"{path.name}: {', '.join(found)}"


def test_the_checker_catches_what_it_should():
    assert re.search(r"\.innerHTML\b", _code("el.innerHTML = text;"))
    assert not re.search(r"\.innerHTML\b", _code("// never el.innerHTML\nel.textContent = t;"))
    assert re.search(r"https?://(?!www\.w3\.org/)", _code('fetch("https://cdn.example/x.js")'))
