"""Traces of real upload-and-process journeys, as an OTLP collector receives them: the request, the
enqueue, the job and its stages (ffmpeg included) in one trace, across processes and the queue,
with no secret in any span."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from opentelemetry.proto.trace.v1.trace_pb2 import Span

from anb.db.migrate import upgrade
from bench.harness.processes import anb_serve, wait_until
from bench.harness.signup import signup_body
from tests.processing.test_celery_worker import Deployment
from tests.processing.test_embedded_worker import ENV, _upload, _video
from tests.support.otlp_receiver import Received, ReceivedSpan, otlp_receiver
from tests.support.services import postgres_database, require

STAGES = ("fetch", "ffmpeg", "store")

# An application and a span without ANB_TRACING__OTEL_ENDPOINT, then what got loaded.
UNCONFIGURED = """
import sys, tempfile
from pathlib import Path
from opentelemetry import trace
from anb.app import create_app
from anb.config import Settings
from anb.observability.tracing import traced
create_app(Settings(data_dir=Path(tempfile.mkdtemp())))
with traced("work") as span:
    assert not span.is_recording()
loaded = [name for name in sys.modules if name.startswith(("opentelemetry.sdk.trace", "opentelemetry.exporter"))]
assert loaded == [], loaded
print(type(trace.get_tracer_provider()).__name__)
"""


def _only(spans: list[ReceivedSpan]) -> ReceivedSpan:
    assert len(spans) == 1, spans
    return spans[0]


def _job_span(received: Received, video_id: str) -> ReceivedSpan:
    return _only([span for span in received.named("process video") if span.attributes["anb.video_id"] == video_id])


def _journey(base: str, clip: Path) -> tuple[str, list[str]]:
    """Sign up, log in, upload, wait for the published video and read its signed URLs; returns the
    video id and the secrets the spans must not hold."""
    body = signup_body()
    httpx.post(f"{base}/api/auth/signup", json=body, timeout=30).raise_for_status()
    tokens = httpx.post(
        f"{base}/api/auth/login", json={"email": body["email"], "password": body["password1"]}, timeout=30
    ).json()
    headers = {"Authorization": f"Bearer {tokens['access_token']}", "X-Request-ID": "traced-upload"}
    video_id = _upload(base, headers, clip)
    headers.pop("X-Request-ID")
    wait_until(lambda: _video(base, headers, video_id)["status"] == "processed", 180, "processing")
    video = _video(base, headers, video_id)
    httpx.get(str(video["processed_url"]), timeout=30).raise_for_status()
    signed = [value for url in (video["processed_url"], video["poster_url"]) for _, value in _query(str(url))]
    return video_id, [body["password1"], tokens["access_token"], tokens["refresh_token"], *signed]


def _query(url: str) -> list[tuple[str, str]]:
    pairs = parse_qsl(urlsplit(url).query)
    assert [key for key, _ in pairs if key == "sig"], f"{url} is not a signed URL"
    return pairs


def _assert_no_secret(spans: Iterable[ReceivedSpan], secrets: list[str], video_id: str) -> None:
    for span in spans:
        assert video_id not in span.name, "span names are route templates, never raw paths"
        texts = [span.name, span.status_message, *span.attributes, *span.attributes.values()]
        for text in texts:
            assert "sig=" not in text and "?" not in text, (span.name, text)
            for secret in secrets:
                assert secret not in text, (span.name, text)


def _assert_stages_under(received: Received, job: ReceivedSpan) -> None:
    for stage in STAGES:
        span = _only([s for s in received.named(stage) if s.trace_id == job.trace_id])
        assert (span.parent_span_id, span.service) == (job.span_id, "anb-worker"), stage


def test_without_an_endpoint_nothing_of_the_tracing_sdk_is_loaded() -> None:
    done = subprocess.run([sys.executable, "-c", UNCONFIGURED], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ProxyTracerProvider"


def test_embedded_journey_is_one_trace_flushed_at_shutdown(tmp_path: Path, clips: dict[str, Path]) -> None:
    with otlp_receiver() as (endpoint, received):
        env = {
            **ENV,
            "ANB_DATA_DIR": str(tmp_path / "data"),
            "ANB_TRACING__OTEL_ENDPOINT": endpoint,
            # Longer than the test: every span arrives through the flush of each process as it stops.
            "ANB_TRACING__EXPORT_DELAY_SECONDS": "300",
        }
        with anb_serve(env, tmp_path / "serve.log") as base:
            video_id, secrets = _journey(base, clips["good"])
            assert received.snapshot() == [], "nothing is exported before the delay or the shutdown"
        spans = received.snapshot()

    upload = _only(received.named("POST /api/videos/upload"))
    assert (upload.service, upload.kind, upload.parent_span_id) == ("anb-api", Span.SPAN_KIND_SERVER, "")
    assert upload.attributes["http.route"] == "/api/videos/upload"
    assert upload.attributes["http.response.status_code"] == "201"
    assert upload.attributes["anb.correlation_id"] == "traced-upload"
    # No message on the embedded backend: the job continues the request's span, stored on the row.
    job = _job_span(received, video_id)
    assert (job.service, job.kind) == ("anb-worker", Span.SPAN_KIND_CONSUMER)
    assert (job.trace_id, job.parent_span_id) == (upload.trace_id, upload.span_id)
    assert job.attributes["anb.job.outcome"] == "published"
    assert not [span for span in spans if span.name.startswith("publish ")]
    _assert_stages_under(received, job)
    assert received.named("GET /api/videos/{video_id}") and received.named("GET /media/{key:path}")
    _assert_no_secret(spans, secrets, video_id)


@pytest.mark.rabbitmq
def test_celery_journey_links_the_job_to_its_enqueue_across_the_broker(tmp_path: Path, clips: dict[str, Path]) -> None:
    require("RabbitMQ", "127.0.0.1", 5672)
    with otlp_receiver() as (endpoint, received), postgres_database() as url:
        upgrade(url)
        deployment = Deployment(
            tmp_path,
            url,
            ANB_TRACING__OTEL_ENDPOINT=endpoint,
            ANB_TRACING__EXPORT_DELAY_SECONDS="0.2",
            # The sweeper must not hand the job off again (untraced) before the worker takes it.
            ANB_JOBS__REQUEUE_AFTER_SECONDS="300",
        )
        with deployment.worker(), anb_serve(deployment.env, tmp_path / "serve.log") as base:
            video_id, secrets = _journey(base, clips["good"])
            wait_until(lambda: len(received.named("store")) == 1, 30, "the job's spans exported")
        deployment.engine.dispose()

    upload = _only(received.named("POST /api/videos/upload"))
    publish = _only(received.named(f"publish {deployment.settings.jobs.queue_name}"))
    assert (publish.service, publish.kind) == ("anb-api", Span.SPAN_KIND_PRODUCER)
    assert (publish.trace_id, publish.parent_span_id) == (upload.trace_id, upload.span_id)
    assert publish.attributes["messaging.system"] == "rabbitmq"
    # The traceparent crossed RabbitMQ in the message headers, into a Celery pool process.
    job = _job_span(received, video_id)
    assert (job.service, job.kind) == ("anb-worker", Span.SPAN_KIND_CONSUMER)
    assert (job.trace_id, job.parent_span_id) == (publish.trace_id, publish.span_id)
    _assert_stages_under(received, job)
    _assert_no_secret(received.snapshot(), secrets, video_id)
