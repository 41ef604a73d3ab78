"""One processing job: claim the video, fetch the original, run the pipeline, store, publish.

Shared by the embedded workers and the Celery task. A job that is not this worker's to run
(already published, deleted, held by another worker) exits quietly; a job cancelled midway
(the video was deleted, or shutdown) leaves no output behind.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from opentelemetry.trace import SpanKind, StatusCode
from sqlalchemy import Engine

from anb.db.base import utcnow
from anb.ffmpeg.errors import MediaError
from anb.ffmpeg.pipeline import Assets, EncoderOptions, render_video
from anb.jobs.backoff import backoff_seconds
from anb.observability.context import correlation_id
from anb.observability.metrics import JOB_STAGE_SECONDS, JOBS
from anb.observability.tracing import incoming_context, traced
from anb.processing import leases
from anb.storage.base import Storage
from anb.videos import file_layout

log = logging.getLogger(__name__)

UNDECODABLE_REASON = "El video no se pudo decodificar: el archivo está dañado o usa un formato no compatible."
# Progress reports (which also renew the lease) at most this often.
_REPORT_EVERY_SECONDS = 2.0


class Outcome(StrEnum):
    PUBLISHED = "published"
    FAILED = "failed"
    RETRY = "retry"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"


class JobCancelled(Exception):
    """The job stopped being this worker's (deleted video, lost lease) or the worker is stopping."""


@dataclass
class ProcessingContext:
    """What a worker process holds for all its jobs."""

    engine: Engine
    storage: Storage
    options: EncoderOptions
    assets: Assets
    cache_dir: Path
    work_dir: Path
    worker_id: str
    lease_seconds: int
    max_attempts: int
    timeout_seconds: float
    retry_backoff_seconds: float
    retry_backoff_max_seconds: float
    stopping: bool = False


class _Reporter:
    """Pipeline progress → throttled lease renewals; raises to abort the encode when told to stop."""

    def __init__(self, ctx: ProcessingContext, video_id: uuid.UUID) -> None:
        self.ctx = ctx
        self.video_id = video_id
        self.last = 0.0

    def __call__(self, fraction: float) -> None:
        if self.ctx.stopping:
            raise JobCancelled("worker stopping")
        now = time.monotonic()
        if now - self.last < _REPORT_EVERY_SECONDS:
            return
        self.last = now
        if not leases.renew(self.ctx.engine, self.video_id, self.ctx.worker_id, fraction, self.ctx.lease_seconds):
            raise JobCancelled("the job is no longer this worker's")


def run_job(ctx: ProcessingContext, video_id: uuid.UUID, message_traceparent: str | None = None) -> Outcome:
    """Run the job if it is this worker's to run. Its span continues the message's trace (Celery),
    else the upload request's, stored on the row (embedded workers have no message)."""
    claim = leases.claim(ctx.engine, video_id, ctx.worker_id, ctx.lease_seconds, ctx.max_attempts)
    if claim is None and leases.fail_if_exhausted(ctx.engine, video_id, ctx.max_attempts):
        log.error(
            "job %s failed: its last of %d attempts was abandoned by its worker",
            video_id,
            ctx.max_attempts,
            extra={"video_id": str(video_id), "outcome": Outcome.FAILED.value},
        )
        JOBS.labels(Outcome.FAILED).inc()
        return Outcome.FAILED
    if claim is None:
        log.info(
            "job %s is not claimable (done, deleted or held elsewhere)",
            video_id,
            extra={"video_id": str(video_id), "outcome": Outcome.SKIPPED.value},
        )
        JOBS.labels(Outcome.SKIPPED).inc()
        return Outcome.SKIPPED
    token = correlation_id.set(claim.correlation_id or correlation_id.get())
    _observe("queue_wait", max(0.0, (utcnow() - claim.queued_at).total_seconds()))
    work = Path(tempfile.mkdtemp(prefix=f"job-{video_id}-", dir=ctx.work_dir))
    log.info("job %s attempt %d started", video_id, claim.attempt, extra={"video_id": str(video_id)})
    attributes: dict[str, str | int] = {
        "anb.video_id": str(video_id),
        "anb.job.attempt": claim.attempt,
        "anb.worker": ctx.worker_id,
    }
    parent = incoming_context(message_traceparent or claim.trace_parent)
    with traced("process video", kind=SpanKind.CONSUMER, parent=parent, attributes=attributes) as span:
        try:
            outcome = _run_claimed(ctx, claim, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        span.set_attribute("anb.job.outcome", outcome.value)
        if outcome is Outcome.FAILED:
            span.set_status(StatusCode.ERROR, "job failed")
    JOBS.labels(outcome).inc()
    log.info("job %s %s", video_id, outcome, extra={"video_id": str(video_id), "outcome": outcome.value})
    correlation_id.reset(token)
    return outcome


def _run_claimed(ctx: ProcessingContext, claim: leases.Claim, work: Path) -> Outcome:
    video_id = claim.video_id
    try:
        timings, outputs = _produce(ctx, claim, work)
    except JobCancelled as exc:
        log.info("job %s cancelled: %s", video_id, exc)
        leases.release(ctx.engine, video_id, ctx.worker_id)
        return Outcome.CANCELLED
    except MediaError as exc:
        if exc.permanent:
            log.warning("job %s failed permanently: %s", video_id, exc)
            leases.fail(ctx.engine, video_id, ctx.worker_id, UNDECODABLE_REASON)
            return Outcome.FAILED
        return _transient(ctx, claim, exc)
    except Exception as exc:  # storage, database or network trouble: worth another attempt
        return _transient(ctx, claim, exc)
    processed, poster = outputs
    if leases.publish(ctx.engine, video_id, ctx.worker_id, processed, poster, timings):
        log.info("job %s published", video_id)
        return Outcome.PUBLISHED
    # Deleted (or taken over) while we stored the outputs: leave nothing of ours behind.
    log.info("job %s finished for a video that is gone; removing its outputs", video_id)
    ctx.storage.delete(processed)
    ctx.storage.delete(poster)
    return Outcome.CANCELLED


def _observe(stage: str, seconds: float) -> None:
    """A stage's duration as a metric, and as a log line that CloudWatch's metric filters read."""
    JOB_STAGE_SECONDS.labels(stage).observe(seconds)
    log.info("stage %s took %.2f s", stage, seconds, extra={"stage": stage, "duration_ms": round(seconds * 1000, 1)})


@contextmanager
def _stage(name: str, took: dict[str, float]) -> Iterator[None]:
    """One stage of the job: a child span of the job's, and its duration in ``took``."""
    started = time.monotonic()
    with traced(name):
        yield
    took[name] = time.monotonic() - started


def _produce(ctx: ProcessingContext, claim: leases.Claim, work: Path) -> tuple[leases.Timings, tuple[str, str]]:
    took: dict[str, float] = {}
    original = work / "original.mp4"
    with _stage("fetch", took):
        ctx.storage.download_to(claim.original_key, original)
    output, poster = work / "processed.mp4", work / "poster.jpg"
    with _stage("ffmpeg", took):
        render_video(
            original,
            output,
            poster,
            options=ctx.options,
            assets=ctx.assets,
            cache_dir=ctx.cache_dir,
            timeout=ctx.timeout_seconds,
            on_progress=_Reporter(ctx, claim.video_id),
        )
    processed_key, poster_key = file_layout.processed_key(claim.video_id), file_layout.poster_key(claim.video_id)
    with _stage("store", took):
        ctx.storage.save_file(processed_key, output, "video/mp4")
        ctx.storage.save_file(poster_key, poster, "image/jpeg")
    for stage, seconds in took.items():
        _observe(stage, seconds)
    return leases.Timings(took["fetch"], took["ffmpeg"], took["store"]), (processed_key, poster_key)


def _transient(ctx: ProcessingContext, claim: leases.Claim, exc: Exception) -> Outcome:
    if claim.attempt >= ctx.max_attempts:
        log.error("job %s failed after %d attempts: %s", claim.video_id, claim.attempt, exc)
        leases.fail(ctx.engine, claim.video_id, ctx.worker_id, leases.exhausted_reason(claim.attempt))
        return Outcome.FAILED
    delay = backoff_seconds(claim.attempt, ctx.retry_backoff_seconds, ctx.retry_backoff_max_seconds)
    log.warning("job %s attempt %d failed, retry in %.0f s: %r", claim.video_id, claim.attempt, delay, exc)
    leases.release(ctx.engine, claim.video_id, ctx.worker_id, retry_in=delay)
    return Outcome.RETRY
