"""The API key for writes (checked in constant time), the request body size limit, and the
protective headers every answer carries."""

from __future__ import annotations

import hmac
import json

from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

KEY_HEADER = "X-API-Key"


def check_key(configured: str | None, given: str | None) -> None:
    """Raise 403/401 unless `given` equals the configured key; compared in constant time."""
    if not configured:
        raise HTTPException(403, "writes are disabled: the operator must set LAPWING_API_KEY and restart `lapwing serve`")
    if given is None:
        raise HTTPException(401, f"this endpoint writes to the store: send the API key in the {KEY_HEADER} header")
    # compare_digest on bytes: it refuses non-ASCII str, and a key may hold any character.
    if not hmac.compare_digest(given.encode("utf-8"), configured.encode("utf-8")):
        raise HTTPException(401, f"the {KEY_HEADER} header does not match the configured key")


def _too_large(limit: int) -> str:
    return f"the request body is larger than {limit:,} bytes: send less (split the articles across requests)"


class BodyLimit:
    """ASGI middleware refusing bodies over `limit` bytes with 413, declared or streamed."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or ()).get(b"content-length")
        if declared is not None:
            try:
                size = int(declared)
            except ValueError:
                await _send_error(send, 400, "the Content-Length header is not a number")
                return
            if size > self.limit:
                await _send_error(send, 413, _too_large(self.limit))
                return
        received = 0

        async def counted() -> Message:
            # A chunked body declares no length: count it as it arrives. The handler reads the
            # whole body before answering, so raising here still lets the 413 be sent.
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise HTTPException(413, _too_large(self.limit))
            return message

        await self.app(scope, counted, send)


async def _send_error(send: Send, status: int, message: str) -> None:
    body = json.dumps({"error": {"status": status, "message": message}}).encode("utf-8")
    await send({
        "type": "http.response.start", "status": status,
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
    })
    await send({"type": "http.response.body", "body": body})


# -- headers on every answer --------------------------------------------------------------------

# Pages run only their own files and load nothing from elsewhere (the explorer and /docs work
# with no network), so even a string from an article that reached a page as markup could run no
# script. JSON answers are never a page: they may load nothing at all.
# (Swagger UI on /docs, "Try it out" included, runs under the same page policy as the explorer.)
PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
API_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
COMMON = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}


def policy_for(path: str) -> str:
    """The Content-Security-Policy for an answer at `path`: the pages and their files, or JSON."""
    if path in ("/", "/docs") or path.startswith(("/explorer/", "/docs/")):
        return PAGE_CSP
    return API_CSP


def headers_for(path: str) -> dict[str, str]:
    """Every protective header for an answer at `path`."""
    return {**COMMON, "Content-Security-Policy": policy_for(path)}


class SecurityHeaders:
    """ASGI middleware adding the protective headers to every answer, errors included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = headers_for(scope.get("path") or "/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, with_headers)
