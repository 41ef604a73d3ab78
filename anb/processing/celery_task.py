"""The Celery task that runs a processing job (distributed backend, ``anb worker``)."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from celery import Celery, Task
from celery.exceptions import Reject
from celery.signals import setup_logging, worker_process_init, worker_process_shutdown

from anb.config import Settings
from anb.jobs.celery_app import TASK_NAME
from anb.jobs.queue import CeleryQueue
from anb.observability.context import correlation_id
from anb.observability.logs import configure_logging
from anb.observability.tracing import configure_tracing, shutdown_tracing
from anb.processing import leases
from anb.processing.context import build_context
from anb.processing.job import Outcome, ProcessingContext, run_job

log = logging.getLogger(__name__)


def register_processing_task(app: Celery, settings: Settings) -> None:
    queue = CeleryQueue(app, settings.jobs)
    per_process: dict[str, ProcessingContext] = {}

    @setup_logging.connect(weak=False)
    def _json_logs(**_: Any) -> None:
        # Connected, this replaces Celery's own log setup: every line is JSON with the correlation id.
        configure_logging(settings.log_level)

    @worker_process_init.connect(weak=False)
    def _fresh_context(**_: Any) -> None:
        # Database engines, S3 clients and span exporters must not cross a fork: each pool process
        # builds its own.
        per_process["ctx"] = build_context(settings)
        configure_tracing(settings, "anb-worker")

    @worker_process_shutdown.connect(weak=False)
    def _flush_spans(**_: Any) -> None:
        # Pool processes end with os._exit, which skips the exporter's own exit hook.
        shutdown_tracing()

    @app.task(name=TASK_NAME, bind=True)
    def processing_task(
        self: Task, video_id: str, correlation_id_arg: str = "", failure_reason: str | None = None
    ) -> str:
        # failure_reason only travels on dead-lettered copies of this message, for the operator to read.
        ctx = per_process.get("ctx") or per_process.setdefault("ctx", build_context(settings))
        try:
            job = uuid.UUID(video_id)
        except ValueError as exc:
            raise Reject(f"malformed job id {video_id!r}", requeue=False) from exc
        token = correlation_id.set(correlation_id_arg or correlation_id.get())
        try:
            # The enqueue span's context travels in the message headers (anb.jobs.queue).
            outcome = run_job(ctx, job, getattr(self.request, "traceparent", None))
        finally:
            correlation_id.reset(token)
        if outcome in (Outcome.SKIPPED, Outcome.RETRY):
            wait = leases.claimable_in(ctx.engine, job, ctx.max_attempts)
            if wait is not None:
                # Held by a worker that may have died, or backing off: come back when claimable.
                raise self.retry(countdown=wait + 1, max_retries=None)
        if outcome is Outcome.FAILED:
            queue.dead_letter(job, correlation_id_arg, _reason(ctx, job))
        return outcome.value


def _reason(ctx: ProcessingContext, video_id: uuid.UUID) -> str:
    return leases.failure_reason(ctx.engine, video_id) or "unknown"
