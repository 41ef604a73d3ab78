"""The Celery task that runs a processing job (distributed backend, ``anb worker``)."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from celery import Celery, Task
from celery.exceptions import Reject
from celery.signals import worker_process_init

from anb.config import Settings
from anb.jobs.celery_app import TASK_NAME
from anb.jobs.queue import CeleryQueue
from anb.videos import job_state
from anb.videos.processing import Outcome, ProcessingContext, run_job
from anb.videos.worker import build_context

log = logging.getLogger(__name__)


def register_processing_task(app: Celery, settings: Settings) -> None:
    queue = CeleryQueue(app, settings.jobs)
    per_process: dict[str, ProcessingContext] = {}

    @worker_process_init.connect(weak=False)
    def _fresh_context(**_: Any) -> None:
        # Database engines and S3 clients must not cross a fork: each pool process builds its own.
        per_process["ctx"] = build_context(settings)

    @app.task(name=TASK_NAME, bind=True)
    def process_video(self: Task, video_id: str, correlation_id: str = "", failure_reason: str | None = None) -> str:
        ctx = per_process.get("ctx") or per_process.setdefault("ctx", build_context(settings))
        try:
            job = uuid.UUID(video_id)
        except ValueError as exc:
            raise Reject(f"malformed job id {video_id!r}", requeue=False) from exc
        outcome = run_job(ctx, job)
        if outcome in (Outcome.SKIPPED, Outcome.RETRY):
            wait = job_state.claimable_in(ctx.engine, job)
            if wait is not None:
                # Held by a worker that may have died, or backing off: come back when claimable.
                raise self.retry(countdown=wait + 1, max_retries=None)
        if outcome is Outcome.FAILED:
            queue.dead_letter(job, correlation_id, _reason(ctx, job))
        return outcome.value


def _reason(ctx: ProcessingContext, video_id: uuid.UUID) -> str:
    return job_state.failure_reason(ctx.engine, video_id) or "unknown"
