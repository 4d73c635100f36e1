"""Serves the web explorer (built into lapwing/web/static) from the API's own process: no other server."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.types import Scope

from .. import web

# Defence in depth behind the explorer's text-only rendering: even if a string from an article
# reached the page as markup, the browser would run no inline or foreign script and load nothing
# from elsewhere (the explorer works with no network).
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


class _Files(StaticFiles):
    """The explorer's files, each sent with the same protective headers as the page."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        response.headers.update(HEADERS)
        return response


def mount(app: FastAPI) -> None:
    """GET / is the explorer's page (its state is in the query string); /explorer/* its files;
    /docs the API's interactive description, with Swagger UI served from here (no CDN).

    The app must be created with docs_url=None and redoc_url=None.
    """

    @app.api_route("/", methods=["GET", "HEAD"], include_in_schema=False)
    def index() -> Response:
        if not web.built():
            return PlainTextResponse(web.NOT_BUILT, status_code=503)
        return FileResponse(web.STATIC / "index.html", headers={**HEADERS, "Cache-Control": "no-cache"})

    @app.get("/docs", include_in_schema=False)
    def docs() -> Response:
        if not (web.STATIC / "swagger-ui-bundle.js").is_file():
            return PlainTextResponse(web.NOT_BUILT, status_code=503)
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json", title=f"{app.title} API",
            swagger_js_url="/explorer/swagger-ui-bundle.js", swagger_css_url="/explorer/swagger-ui.css",
            swagger_favicon_url="data:,",
        )

    app.mount("/explorer", _Files(directory=web.STATIC, check_dir=False), name="explorer")
