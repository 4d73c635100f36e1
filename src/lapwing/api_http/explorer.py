"""Serves the web explorer (built into lapwing/web/static) from the API's own process: no other server."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import FileResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles

from .. import web

# Defence in depth behind the explorer's text-only rendering: even if a string from an article
# reached the page as markup, the browser would run no inline or foreign script and load nothing
# from elsewhere (the explorer works with no network).
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


def mount(app: FastAPI) -> None:
    """GET / is the explorer's page (its state is in the query string); /explorer/* its files."""

    @app.get("/", include_in_schema=False)
    def index() -> Response:
        if not web.built():
            return PlainTextResponse(web.NOT_BUILT, status_code=503)
        return FileResponse(web.STATIC / "index.html", headers={**HEADERS, "Cache-Control": "no-cache"})

    app.mount("/explorer", StaticFiles(directory=web.STATIC, check_dir=False), name="explorer")
