"""Operator commands: ``anb worker`` and ``anb jobs list|retry|redrive|sweep``."""

from __future__ import annotations

import multiprocessing
import os
import uuid

import click
from sqlalchemy import select

from anb.cli_support import load_settings
from anb.db.engine import create_sync_db_engine
from anb.jobs.celery_app import drain_dead_letters, make_celery
from anb.jobs.queue import CeleryQueue, build_queue
from anb.observability import multiprocess
from anb.observability.exporter import serve_worker_metrics
from anb.processing import leases
from anb.processing.sweeper import sweep_with_settings, sweeper_main
from anb.videos.models import Video, VideoStatus


@click.command()
@click.option("--concurrency", type=int, default=None, help="Parallel jobs (default ANB_JOBS__CONCURRENCY).")
@click.option("--no-sweeper", is_flag=True, help="Do not run the job sweeper in this worker.")
def worker(concurrency: int | None, no_sweeper: bool) -> None:
    """Run a Celery worker that processes videos from the broker (ANB_JOBS__BROKER_URL)."""
    settings = load_settings()
    multiprocess.prepare(settings.metrics_dir)
    # Imported here: the processing stack (ffmpeg pipeline, Celery task) is only for this role.
    from anb.processing.celery_task import register_processing_task

    app = make_celery(settings.jobs)
    register_processing_task(app, settings)
    serve_worker_metrics(settings.metrics.worker_port)
    if not no_sweeper:
        # A process of its own (see sweeper_main); a daemon, so it ends with the worker.
        multiprocessing.get_context("spawn").Process(target=sweeper_main, name="anb-sweeper", daemon=True).start()
    app.worker_main(
        [
            "worker",
            "--loglevel=INFO",
            f"--concurrency={concurrency or settings.jobs.concurrency}",
            "--pool=prefork",
            "--prefetch-multiplier=1",
            f"--queues={settings.jobs.queue_name}",
            # A unique node name: several workers on one host must not share a remote-control queue.
            f"--hostname=anb-{os.getpid()}@%h",
            "--without-gossip",
            "--without-mingle",
        ]
    )


@click.group()
def jobs() -> None:
    """Inspect and repair processing jobs."""


@jobs.command("list")
@click.option("--status", type=click.Choice([s.value for s in VideoStatus]), default=None)
@click.option("--limit", type=int, default=50, show_default=True)
def list_jobs(status: str | None, limit: int) -> None:
    """Jobs, newest first, with attempts, progress and failure reason."""
    engine = create_sync_db_engine(load_settings().resolved_database_url)
    query = select(Video).order_by(Video.uploaded_at.desc()).limit(limit)
    if status:
        query = query.where(Video.status == VideoStatus(status))
    with engine.connect() as conn:
        for row in conn.execute(query):
            click.echo(
                f"{row.id}  {row.status:<10} attempts={row.attempts} progress={row.progress:.0%} "
                f"uploaded={row.uploaded_at:%Y-%m-%dT%H:%M:%SZ} {row.failure_reason or ''}".rstrip()
            )
    engine.dispose()


@jobs.command()
@click.argument("video_ids", nargs=-1, required=True)
def retry(video_ids: tuple[str, ...]) -> None:
    """Give failed jobs a fresh set of attempts and queue them."""
    settings = load_settings()
    engine = create_sync_db_engine(settings.resolved_database_url)
    queue = build_queue(settings.jobs)
    for raw in video_ids:
        video_id = uuid.UUID(raw)
        if leases.retry_failed(engine, video_id):
            queue.enqueue(video_id, "operator-retry")
            click.echo(f"{video_id} queued again")
        else:
            click.echo(f"{video_id} is not a failed job; left as it is")
    engine.dispose()


@jobs.command()
@click.option("--limit", type=int, default=1000, show_default=True)
def redrive(limit: int) -> None:
    """Move dead-lettered jobs back to the work queue (each gets a fresh set of attempts)."""
    settings = load_settings()
    if settings.jobs.backend != "celery":
        raise click.ClickException("the embedded backend has no dead-letter queue; use `anb jobs retry`")
    app = make_celery(settings.jobs)
    queue = CeleryQueue(app, settings.jobs)
    engine = create_sync_db_engine(settings.resolved_database_url)
    moved = 0
    for args in drain_dead_letters(app, settings.jobs, limit):
        video_id = uuid.UUID(str(args[0]))
        leases.retry_failed(engine, video_id)
        queue.enqueue(video_id, str(args[1]) if len(args) > 1 else "redrive")
        moved += 1
    engine.dispose()
    click.echo(f"re-drove {moved} job(s)")


@jobs.command()
def sweep() -> None:
    """Run the sweeper once: fail exhausted jobs, hand off stale ones again, delete dead workers' leftovers."""
    settings = load_settings()
    result = sweep_with_settings(settings, build_queue(settings.jobs))
    click.echo(
        f"re-queued {result.requeued}, failed {result.failed}, removed {result.work_dirs_removed} abandoned work"
        f" dir(s) and {result.temp_files_removed} stale temp file(s)"
    )
