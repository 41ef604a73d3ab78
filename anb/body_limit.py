"""The size limit on small request bodies: JSON and forms (uploads have their own, see anb/videos/upload_stream.py).

A declared ``Content-Length`` over the limit is refused before a byte is read. A body sent without
one (chunked) is read here up to the limit and refused as soon as it passes it, so no route ever
buffers more than the limit, whatever the client claims.
"""

from __future__ import annotations

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from anb.errors import error_body

MAX_SMALL_BODY_BYTES = 64 * 1024
_REFUSAL = error_body("body_too_large", "El cuerpo de la solicitud es demasiado grande.")


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int = MAX_SMALL_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _limited(scope):
            await self.app(scope, receive, send)
            return
        declared = _declared_length(scope)
        if declared is None:
            messages = await _read_within(receive, self.max_bytes)
            if messages is not None:
                await self.app(scope, _replay(messages, receive), send)
                return
        elif declared <= self.max_bytes:
            # The server itself holds the body to its declared length.
            await self.app(scope, receive, send)
            return
        await JSONResponse(_REFUSAL, 413)(scope, receive, send)


def _limited(scope: Scope) -> bool:
    # A tus PATCH carries upload bytes: anb/videos/tus.py holds it to the upload's announced length.
    tus_bytes = scope["method"] == "PATCH" and scope["path"].startswith("/api/videos/tus/")
    return scope["method"] in ("POST", "PUT", "PATCH") and not scope["path"].endswith("/upload") and not tus_bytes


def _declared_length(scope: Scope) -> int | None:
    declared = dict(scope.get("headers") or []).get(b"content-length")
    return int(declared) if declared is not None and declared.isdigit() else None


async def _read_within(receive: Receive, max_bytes: int) -> list[Message] | None:
    """The body's messages, or None as soon as they pass ``max_bytes``."""
    messages: list[Message] = []
    size = 0
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":  # a disconnect: the route sees it as it would have
            return messages
        size += len(message.get("body", b""))
        if size > max_bytes:
            return None
        if not message.get("more_body", False):
            return messages


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = iter(messages)

    async def replayed() -> Message:
        return next(pending, None) or await receive()

    return replayed
