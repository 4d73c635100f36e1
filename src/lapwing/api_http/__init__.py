"""The HTTP API (FastAPI): `create_app(db_path)`; run it with `lapwing serve --db events.db`.

Needs the `serve` extra (fastapi, uvicorn): `pip install lapwing[serve]`.
"""

from __future__ import annotations

from .app import create_app

__all__ = ["create_app"]
