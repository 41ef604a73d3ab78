"""Response headers every answer carries, and the limit on JSON request bodies."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Media may come from S3 (another origin) through presigned URLs; everything else is same-origin.
APP_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob: https: http:; "
    "media-src 'self' blob: https: http:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# The interactive API docs page loads Swagger UI from its CDN.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: https:; "
    "connect-src 'self'; frame-ancestors 'none'"
)
_COMMON = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
# Uploads are multipart and limited by the upload settings; every other body is small JSON or a form.
MAX_SMALL_BODY_BYTES = 64 * 1024


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = DOCS_CSP if scope["path"] == "/api/docs" else APP_CSP

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.setdefault("headers", [])
                headers.extend(_COMMON)
                headers.append((b"content-security-policy", csp.encode()))
            await send(message)

        if _too_large(scope):
            await _refuse(with_headers)
            return
        await self.app(scope, receive, with_headers)


def _too_large(scope: Scope) -> bool:
    if scope["method"] not in ("POST", "PUT", "PATCH") or scope["path"].endswith("/upload"):
        return False
    declared = dict(scope.get("headers") or []).get(b"content-length", b"")
    return declared.isdigit() and int(declared) > MAX_SMALL_BODY_BYTES


async def _refuse(send: Send) -> None:
    body = json.dumps({"detail": "El cuerpo de la solicitud es demasiado grande.", "code": "body_too_large"}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
