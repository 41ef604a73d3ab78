"""The job sweeper: fails exhausted jobs, hands off again the pending ones whose hand-off may have
been lost, and deletes the temp files of uploads cut short by a crash."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from anb.config import Settings
from anb.db.engine import create_sync_db_engine
from anb.jobs.queue import JobQueue
from anb.processing import leases
from anb.wiring import storage_for

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SweepResult:
    requeued: int
    failed: int
    temp_files_removed: int


def sweep_once(settings: Settings, queue: JobQueue) -> SweepResult:
    """Fail exhausted jobs, hand off again the pending ones that waited too long and delete the
    temp files of uploads cut short by a crash."""
    engine = create_sync_db_engine(settings.resolved_database_url)
    try:
        stale, failed = leases.sweep(engine, settings.jobs.max_attempts, settings.jobs.requeue_after_seconds)
    finally:
        engine.dispose()
    for video_id in stale:
        queue.enqueue(video_id, "sweeper")
    removed = storage_for(settings).remove_stale_temp_files(settings.jobs.temp_file_max_idle_seconds)
    return SweepResult(len(stale), failed, removed)


def sweep_forever(settings: Settings, queue: JobQueue, every: float) -> None:
    while True:
        try:
            sweep_once(settings, queue)
        except Exception as exc:  # a broker or database hiccup must not end the sweeper
            log.warning("sweep failed: %r", exc)
        time.sleep(every)
