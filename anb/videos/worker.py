"""Worker-process setup shared by the embedded workers and the Celery worker, and the embedded loop."""

from __future__ import annotations

import logging
import os
import signal
import socket
import time
from types import FrameType

from sqlalchemy.exc import InterfaceError, OperationalError

from anb.config import Settings
from anb.db.engine import create_sync_db_engine
from anb.media.pipeline import Assets, EncoderOptions
from anb.observability.logs import configure_logging
from anb.observability.tracing import configure_tracing, shutdown_tracing
from anb.state import storage_from_settings
from anb.videos import job_state
from anb.videos.processing import ProcessingContext, run_job

log = logging.getLogger(__name__)


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def build_context(settings: Settings) -> ProcessingContext:
    work_dir = settings.data_dir / "work"
    work_dir.mkdir(parents=True, exist_ok=True)
    return ProcessingContext(
        engine=create_sync_db_engine(settings.resolved_database_url),
        storage=storage_from_settings(settings),
        options=EncoderOptions(preset=settings.ffmpeg_preset, crf=settings.ffmpeg_crf, threads=settings.ffmpeg_threads),
        assets=Assets.from_paths(
            curtain_open=settings.curtain_open_path,
            curtain_close=settings.curtain_close_path,
            watermark=settings.watermark_path,
        ),
        cache_dir=settings.data_dir / "cache",
        work_dir=work_dir,
        worker_id=worker_id(),
        lease_seconds=settings.jobs.lease_seconds,
        max_attempts=settings.jobs.max_attempts,
        timeout_seconds=settings.jobs.hard_time_limit_seconds,
        retry_backoff_seconds=settings.jobs.retry_backoff_seconds,
        retry_backoff_max_seconds=settings.jobs.retry_backoff_max_seconds,
    )


def _stop_on_signals(ctx: ProcessingContext) -> None:
    def stop(signum: int, _frame: FrameType | None) -> None:
        # The running encode notices at its next progress report and hands the job back.
        log.info("worker %s stopping on signal %d", ctx.worker_id, signum)
        ctx.stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)


def embedded_worker_main(index: int) -> None:
    """Entry point of one embedded worker process: claim pending jobs from the database until told to stop."""
    settings = Settings()
    configure_logging(settings.log_level)
    configure_tracing(settings, "anb-worker")
    ctx = build_context(settings)
    _stop_on_signals(ctx)
    last_sweep = 0.0
    while not ctx.stopping:
        try:
            if index == 0 and time.monotonic() - last_sweep > settings.jobs.sweep_interval_seconds:
                # Embedded workers claim abandoned jobs themselves; the sweep only fails exhausted ones.
                job_state.sweep(ctx.engine, settings.jobs.max_attempts, settings.jobs.requeue_after_seconds)
                ctx.storage.remove_stale_temp_files(settings.jobs.temp_file_max_idle_seconds)
                last_sweep = time.monotonic()
            video_id = job_state.next_claimable(ctx.engine)
            if video_id is not None:
                run_job(ctx, video_id)
                continue
        except (OperationalError, InterfaceError) as exc:
            # Nothing restarts a dead embedded worker: outlive a database outage and poll again.
            # A job claimed meanwhile is taken over when its lease expires.
            log.warning("database unreachable, polling again: %s", type(exc).__name__)
        time.sleep(settings.jobs.poll_interval_seconds)
    ctx.engine.dispose()
    shutdown_tracing()
