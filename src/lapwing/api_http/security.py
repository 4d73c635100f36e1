"""The API key for writes (checked in constant time) and the request body size limit."""

from __future__ import annotations

import hmac
import json

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
