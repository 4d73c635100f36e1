"""The web explorer's files: built from web/ by `npm run build` when the package is built (setup.py)."""

from __future__ import annotations

from pathlib import Path

STATIC = Path(__file__).parent / "static"


def built() -> bool:
    """Whether the explorer was built into this installation."""
    return (STATIC / "index.html").is_file() and (STATIC / "app.js").is_file()


NOT_BUILT = (
    "The Lapwing web explorer is not in this installation: it is built with Node.js and npm when the\n"
    "package is built from source. Install Node.js and npm, then `pip install -e .` (or `npm run build`\n"
    "in web/). The HTTP API works without it: its description is at /openapi.json.\n"
)
