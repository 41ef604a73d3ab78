"""The job sweeper: the leftovers of workers and servers that died.

It fails the abandoned jobs that used up their attempts (and dead-letters them), hands off again the
pending jobs whose hand-off may have been lost, removes the work directories of jobs no live worker
holds (a worker SIGKILLed mid-encode leaves its ``job-<id>-…`` directory behind) and the upload temp
files of servers killed mid-upload. Runs beside each Celery worker (a process of its own), in the first embedded
worker, and by hand (``anb jobs sweep``).
"""

from __future__ import annotations

import logging
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, select

from anb.config import JobSettings, Settings
from anb.contest.closing import close_from_sweeper
from anb.db.base import utcnow
from anb.db.engine import create_sync_db_engine
from anb.integrity.runner import ScanSchedule
from anb.jobs.celery_app import make_celery
from anb.jobs.queue import CeleryQueue, JobQueue
from anb.observability.logs import configure_logging
from anb.processing import leases
from anb.storage.base import Storage
from anb.videos.models import Video, VideoStatus
from anb.wiring import storage_for

log = logging.getLogger(__name__)

# run_job's work directories: "job-<video id>-<random>" (anb/processing/job.py).
_WORK_DIR_PREFIX = "job-"


@dataclass(frozen=True)
class SweepResult:
    requeued: int
    failed: int
    work_dirs_removed: int
    temp_files_removed: int


def sweep_once(engine: Engine, storage: Storage, queue: JobQueue, jobs: JobSettings, work_dir: Path) -> SweepResult:
    stale, failed = leases.sweep(engine, jobs.max_attempts, jobs.requeue_after_seconds)
    for video_id in failed:
        log.error("job %s failed: its last attempt was abandoned", video_id, extra={"video_id": str(video_id)})
        queue.dead_letter(video_id, "sweeper", leases.exhausted_reason(jobs.max_attempts))
    for video_id in stale:
        queue.enqueue(video_id, "sweeper")
    work_dirs = remove_abandoned_work_dirs(engine, work_dir)
    temp_files = storage.remove_stale_temp_files(jobs.temp_file_max_idle_seconds)
    return SweepResult(len(stale), len(failed), work_dirs, temp_files)


def remove_abandoned_work_dirs(engine: Engine, work_dir: Path) -> int:
    """Delete the work directories of jobs that no worker holds under a live lease.

    A worker makes its directory after it claims the job and renews the lease while it works, so a
    directory whose job is not held (published, failed, deleted, or its lease expired) is a dead
    worker's leftover.
    """
    found: dict[uuid.UUID, list[Path]] = {}
    for path in work_dir.glob(f"{_WORK_DIR_PREFIX}*") if work_dir.is_dir() else ():
        try:
            video_id = uuid.UUID(path.name.removeprefix(_WORK_DIR_PREFIX)[:36])
        except ValueError:
            continue
        found.setdefault(video_id, []).append(path)
    if not found:
        return 0
    held = select(Video.id).where(
        Video.id.in_(found), Video.status == VideoStatus.PROCESSING, Video.lease_until >= utcnow()
    )
    with engine.connect() as conn:
        live = set(conn.scalars(held))
    removed = 0
    for video_id, paths in found.items():
        if video_id in live:
            continue
        for path in paths:
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
    return removed


def sweep_with_settings(settings: Settings, queue: JobQueue) -> SweepResult:
    """One sweep with an engine of its own (``anb jobs sweep``)."""
    engine = create_sync_db_engine(settings.resolved_database_url)
    try:
        return sweep_once(engine, storage_for(settings), queue, settings.jobs, settings.data_dir / "work")
    finally:
        engine.dispose()


def sweep_forever(engine: Engine, storage: Storage, settings: Settings, queue: JobQueue, every: float) -> None:
    """A sweep, the vote scan when due (docs/integrity.md) and the contest's close once its window
    has passed (docs/contest.md), forever."""
    scans = ScanSchedule(settings)
    while True:
        try:
            sweep_once(engine, storage, queue, settings.jobs, settings.data_dir / "work")
        except Exception as exc:  # a broker or database hiccup must not end the sweeper
            log.warning("sweep failed: %r", exc)
        scans.run_if_due()
        close_from_sweeper(settings)
        time.sleep(every)


def sweeper_main() -> None:
    """The sweeper process beside a Celery worker (``anb worker``), spawned, not forked, and not a
    thread of the worker: Celery forks its pool from the worker's process, and a fork taken while
    another thread of it holds an import lock (the sweeper importing boto3 or one of SQLAlchemy's
    modules) leaves the pool process waiting on that lock forever."""
    settings = Settings()
    configure_logging(settings.log_level)
    queue = CeleryQueue(make_celery(settings.jobs), settings.jobs)
    engine = create_sync_db_engine(settings.resolved_database_url)
    sweep_forever(engine, storage_for(settings), settings, queue, settings.jobs.sweep_interval_seconds)
