"""Response headers every answer carries: no MIME sniffing, no framing, a content security policy."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Media may come from S3 (another origin) through presigned URLs, and direct uploads PUT their parts
# there (``upload_origins``); everything else is same-origin.
APP_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob: https: http:; "
    "media-src 'self' blob: https: http:; connect-src 'self'{uploads}; object-src 'none'; base-uri 'self'; "
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


def security_headers(path: str, upload_origins: tuple[str, ...] = ()) -> list[tuple[bytes, bytes]]:
    """The headers of an answer to ``path``."""
    csp = DOCS_CSP if path == "/api/docs" else APP_CSP.format(uploads="".join(f" {o}" for o in upload_origins))
    return [*_COMMON, (b"content-security-policy", csp.encode())]


class SecurityHeaders:
    def __init__(self, app: ASGIApp, upload_origins: tuple[str, ...] = ()) -> None:
        self.app = app
        self.upload_origins = upload_origins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = security_headers(scope["path"], self.upload_origins)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).extend(headers)
            await send(message)

        await self.app(scope, receive, with_headers)
