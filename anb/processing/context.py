"""What a worker process holds for all its jobs, built from settings (embedded and Celery workers)."""

from __future__ import annotations

import os
import socket

from anb.config import Settings
from anb.db.engine import create_sync_db_engine
from anb.processing.encoder_settings import assets, encoder_options
from anb.processing.job import ProcessingContext
from anb.wiring import storage_for


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def build_context(settings: Settings) -> ProcessingContext:
    work_dir = settings.data_dir / "work"
    work_dir.mkdir(parents=True, exist_ok=True)
    return ProcessingContext(
        engine=create_sync_db_engine(settings.resolved_database_url),
        storage=storage_for(settings),
        options=encoder_options(settings),
        assets=assets(settings),
        cache_dir=settings.data_dir / "cache",
        work_dir=work_dir,
        worker_id=worker_id(),
        lease_seconds=settings.jobs.lease_seconds,
        max_attempts=settings.jobs.max_attempts,
        timeout_seconds=settings.jobs.hard_time_limit_seconds,
        retry_backoff_seconds=settings.jobs.retry_backoff_seconds,
        retry_backoff_max_seconds=settings.jobs.retry_backoff_max_seconds,
    )
