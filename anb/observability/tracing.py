"""OpenTelemetry tracing: an OTLP/HTTP exporter per process, off unless ``ANB_TRACING__OTEL_ENDPOINT`` is set.

Without an endpoint the tracing SDK and the exporter are never imported and every span below is
the API's no-op span. With one, each process (uvicorn worker, embedded worker, Celery pool child)
builds its own provider: the exporter's background thread and HTTP session must not cross a fork.

Across the queue the job travels with the W3C ``traceparent`` of the span that queued it: in the
Celery message headers, and on the video row (the embedded workers' only "message").
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING

from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.trace import Span, SpanKind, StatusCode
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from anb.config import Settings

if TYPE_CHECKING:
    from opentelemetry.sdk.trace import TracerProvider

tracer = trace.get_tracer("anb")

# W3C trace context only: no baggage, whose free-form entries could carry anything into a message.
_PROPAGATOR = TraceContextTextMapPropagator()

# This process's provider once configured (the API keeps the first one it is given).
_provider: TracerProvider | None = None


def configure_tracing(settings: Settings, service: str) -> None:
    """Export this process's spans as ``service`` (``anb-api``, ``anb-worker``) when an endpoint is set.

    Idempotent: a process that already has a provider keeps it.
    """
    global _provider
    if not settings.tracing.otel_endpoint or _provider is not None:
        return
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    resource = Resource.create(
        {
            "service.name": service,
            "service.namespace": "anb",
            "service.instance.id": f"{socket.gethostname()}:{os.getpid()}",
            "deployment.environment.name": settings.env,
            "anb.role": settings.role,
        }
    )
    _provider = TracerProvider(resource=resource)
    exporter = OTLPSpanExporter(endpoint=settings.tracing.otel_endpoint.rstrip("/") + "/v1/traces", timeout=10)
    _provider.add_span_processor(
        BatchSpanProcessor(exporter, schedule_delay_millis=settings.tracing.export_delay_seconds * 1000)
    )
    trace.set_tracer_provider(_provider)


def shutdown_tracing() -> None:
    """Export the spans still buffered; called where a process ends (forked pool children skip atexit)."""
    if _provider is not None:
        _provider.shutdown()


@contextmanager
def traced(
    name: str,
    *,
    kind: SpanKind = SpanKind.INTERNAL,
    parent: Context | None = None,
    attributes: Mapping[str, str | int] | None = None,
) -> Iterator[Span]:
    """A span around the block, child of ``parent`` (default: the active span).

    A failure marks it with the exception's type only: messages and tracebacks may hold URLs or
    credentials, and spans leave the process unscrubbed.
    """
    with tracer.start_as_current_span(
        name, context=parent, kind=kind, attributes=attributes, record_exception=False, set_status_on_exception=False
    ) as span:
        try:
            yield span
        except BaseException as exc:
            span.set_status(StatusCode.ERROR, type(exc).__name__)
            raise


def current_traceparent() -> str | None:
    """The ``traceparent`` of the active span, or None when nothing is traced."""
    return outgoing_headers().get("traceparent")


def outgoing_headers() -> dict[str, str]:
    """Headers that carry the active span to the process that continues the work."""
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier)
    return carrier


def incoming_context(traceparent: str | None) -> Context | None:
    """The span context a ``traceparent`` names, to parent the work it started; None if absent or invalid."""
    if not traceparent:
        return None
    context = _PROPAGATOR.extract({"traceparent": traceparent})
    return context if trace.get_current_span(context).get_span_context().is_valid else None
