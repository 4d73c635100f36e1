"""One JSON error shape for every failure: {"error": {"status": int, "message": str}}."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from ..errors import InputError, StoreError
from .security import headers_for

log = logging.getLogger("lapwing.api_http")


class ErrorDetail(BaseModel):
    """What went wrong: the HTTP status and a message saying what to change."""

    status: int
    message: str


class ErrorBody(BaseModel):
    """The body of every error response."""

    error: ErrorDetail


# Declared on the app so the OpenAPI description documents these statuses with the real shape
# (FastAPI's own 422 schema would otherwise describe a body this API never sends).
ERROR_RESPONSES = {
    status: {"model": ErrorBody, "description": text}
    for status, text in (
        (404, "Not found"), (413, "Request body, or a POST /extract text, too large"),
        (422, "Invalid parameters or body"),
        (500, "Internal error"),
        (503, "The store is busy or unreadable, or (POST /extract) the engine is busy: see Retry-After"),
    )
}

KEY_RESPONSES = {
    401: {"model": ErrorBody, "description": "The X-API-Key header is missing or wrong"},
    403: {"model": ErrorBody, "description": "Writes are disabled: no LAPWING_API_KEY is configured"},
}


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """A JSONResponse in the shared error shape."""
    return JSONResponse({"error": {"status": status, "message": message}}, status_code=status, headers=headers)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "request"
        message = str(err.get("msg", "invalid")).removeprefix("Value error, ")  # pydantic's prefix for our checks
        parts.append(f"{where}: {message}")
    return "; ".join(parts) or "the request is invalid"


def install(app: FastAPI) -> None:
    """Register handlers turning every exception into the shared error shape."""

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        return error_response(exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, _validation_message(exc))

    @app.exception_handler(InputError)
    async def input_error(request: Request, exc: InputError) -> JSONResponse:
        return error_response(422, str(exc))

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> JSONResponse:
        return error_response(503, str(exc))

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> JSONResponse:
        # The traceback goes to the server log, never to the client.
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        # This answer is sent outside the app's middleware, so it brings its own protective headers.
        return error_response(500, "internal error: see the server log for details", headers_for(request.url.path))
