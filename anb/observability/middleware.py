"""Request middleware: correlation id in and out, latency and count by route template, one log line."""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from anb.observability.context import accept_or_new, correlation_id
from anb.observability.metrics import HTTP_LATENCY, HTTP_REQUESTS

log = logging.getLogger("anb.http")


def _route_template(scope: Scope) -> str:
    # Never the raw path: ids would make one time series per video.
    route = scope.get("route")
    return getattr(route, "path", None) or "unmatched"


class RequestObservability:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        request_id = accept_or_new(headers.get(b"x-request-id", b"").decode("latin-1"))
        token = correlation_id.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", []).append((b"x-request-id", request_id.encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route, method = _route_template(scope), scope["method"]
            HTTP_REQUESTS.labels(route, method, str(status)).inc()
            HTTP_LATENCY.labels(route, method).observe(elapsed)
            log.info(
                "%s %s %d",
                method,
                route,
                status,
                extra={"route": route, "method": method, "status": status, "duration_ms": round(elapsed * 1000, 1)},
            )
            correlation_id.reset(token)
