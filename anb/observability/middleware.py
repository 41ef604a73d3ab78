"""Request middleware: correlation id in and out, latency and count by route template, one log line,
one server span."""

from __future__ import annotations

import logging
import time

from opentelemetry.trace import Span, SpanKind, StatusCode, use_span
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from anb.observability.context import accept_or_new, correlation_id
from anb.observability.metrics import HTTP_LATENCY, HTTP_REQUESTS
from anb.observability.tracing import tracer

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
        # Each request starts a trace: a public client's traceparent is ignored (it could switch
        # sampling off). Named once the route is known; never the raw path or query (ids, signed URLs).
        span = tracer.start_span(scope["method"], kind=SpanKind.SERVER, attributes={"anb.correlation_id": request_id})

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", []).append((b"x-request-id", request_id.encode()))
            await send(message)

        try:
            with use_span(span, record_exception=False, set_status_on_exception=False):
                await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route, method = _route_template(scope), scope["method"]
            _end_span(span, route, method, status)
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


def _end_span(span: Span, route: str, method: str, status: int) -> None:
    span.update_name(f"{method} {route}")
    span.set_attributes({"http.request.method": method, "http.route": route, "http.response.status_code": status})
    if status >= 500:
        span.set_status(StatusCode.ERROR)
    span.end()
