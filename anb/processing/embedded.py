"""The embedded service's worker processes (``anb serve``): claim pending jobs from the database."""

from __future__ import annotations

import logging
import signal
import time
from types import FrameType

from sqlalchemy.exc import InterfaceError, OperationalError

from anb.config import Settings
from anb.contest.closing import close_from_sweeper
from anb.integrity.runner import ScanSchedule
from anb.jobs.queue import DatabaseQueue
from anb.observability.logs import configure_logging
from anb.observability.tracing import configure_tracing, shutdown_tracing
from anb.processing import leases
from anb.processing.context import build_context
from anb.processing.job import ProcessingContext, run_job
from anb.processing.sweeper import sweep_once

log = logging.getLogger(__name__)

# time.sleep resumes after a signal's handler returns, so one sleep of the whole poll interval would
# hold a stop (and the service's shutdown) for up to that interval: idle in slices this long instead.
_STOP_CHECK_SECONDS = 0.2


def _stop_on_signals(ctx: ProcessingContext) -> None:
    def stop(signum: int, _frame: FrameType | None) -> None:
        # The running encode notices at its next progress report and hands the job back.
        log.info("worker %s stopping on signal %d", ctx.worker_id, signum)
        ctx.stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)


def _idle(ctx: ProcessingContext, seconds: float) -> None:
    """Wait ``seconds`` before the next poll, or less when told to stop."""
    deadline = time.monotonic() + seconds
    while not ctx.stopping and (left := deadline - time.monotonic()) > 0:
        time.sleep(min(left, _STOP_CHECK_SECONDS))


def embedded_worker_main(index: int) -> None:
    """Entry point of one embedded worker process: claim pending jobs from the database until told to stop."""
    settings = Settings()
    configure_logging(settings.log_level)
    configure_tracing(settings, "anb-worker")
    ctx = build_context(settings)
    _stop_on_signals(ctx)
    last_sweep = 0.0
    scans = ScanSchedule(settings)
    log.info("worker %s polls for jobs every %.1f s", ctx.worker_id, settings.jobs.poll_interval_seconds)
    while not ctx.stopping:
        try:
            if index == 0 and time.monotonic() - last_sweep > settings.jobs.sweep_interval_seconds:
                # The database queue hands nothing off: embedded workers claim abandoned jobs themselves.
                sweep_once(ctx.engine, ctx.storage, DatabaseQueue(), settings.jobs, ctx.work_dir)
                scans.run_if_due()
                close_from_sweeper(settings)
                last_sweep = time.monotonic()
            video_id = leases.next_claimable(ctx.engine, settings.jobs.max_attempts)
            if video_id is not None:
                run_job(ctx, video_id)
                continue
        except (OperationalError, InterfaceError) as exc:
            # Nothing restarts a dead embedded worker: outlive a database outage and poll again.
            # A job claimed meanwhile is taken over when its lease expires.
            log.warning("database unreachable, polling again: %s", type(exc).__name__)
        _idle(ctx, settings.jobs.poll_interval_seconds)
    ctx.engine.dispose()
    shutdown_tracing()
