"""Serves the web explorer (built into lapwing/web/static) and the API's /docs page from the API's
own process: no other server, no network. Their protective headers come from security.SecurityHeaders."""

from __future__ import annotations

import html
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles

from .. import web

DOCS_JS = Path(__file__).with_name("docs.js")

# Swagger UI's page with no inline script (FastAPI's own has one): docs.js starts it.
_DOCS_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/explorer/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi="{openapi}"></div>
<script src="/explorer/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
"""


def mount(app: FastAPI) -> None:
    """GET / is the explorer's page (its state is in the query string); /explorer/* its files;
    /docs the API's interactive description, with Swagger UI served from here (no CDN).

    The app must be created with docs_url=None and redoc_url=None.
    """

    @app.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
    def index() -> Response:
        if not web.built():
            return PlainTextResponse(web.NOT_BUILT, status_code=503)
        return FileResponse(web.STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    @app.get("/docs", include_in_schema=False)
    def docs() -> Response:
        if not (web.STATIC / "swagger-ui-bundle.js").is_file():
            return PlainTextResponse(web.NOT_BUILT, status_code=503)
        page = _DOCS_PAGE.format(title=html.escape(f"{app.title} API"),
                                 openapi=html.escape(app.openapi_url or "/openapi.json"))
        return HTMLResponse(page)

    @app.get("/docs/init.js", include_in_schema=False)
    def docs_script() -> Response:
        return FileResponse(DOCS_JS, media_type="text/javascript")

    app.mount("/explorer", StaticFiles(directory=web.STATIC, check_dir=False), name="explorer")
