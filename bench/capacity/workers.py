"""Scenario 2: how many videos per minute the Celery workers process (formerly bench/worker_bench.py).

The web layer is bypassed: a producer inserts each job (a video row plus its stored original) and
puts it straight into the RabbitMQ queue, and a real ``anb worker`` drains it. For every cell of the
matrix (input size × worker concurrency) two runs share one worker:

- saturation: the backlog is raised step by step (``step_jobs`` more every ``step_seconds``), so the
  worker always has work; X there is the cell's capacity;
- sustained: one job every 60 / (80 % of that X) seconds, a load the cell should hold; its backlog
  trend must stay ≈ 0.

Each run reports X (videos/minute, from the first hand-off to the last job published), the mean
service time S split into queue wait, download (fetch of the original), ffmpeg and upload (store of
the outputs) from the job rows, and the backlog trend (pending jobs sampled each second,
least-squares slope in jobs/minute). Needs PostgreSQL and RabbitMQ on loopback; storage is local
disk, so download and upload are local copies here (on S3 they add the transfers).
"""

from __future__ import annotations

import statistics
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from anb.config import DatabaseSettings, JobSettings, Settings
from anb.db.engine import create_sync_db_engine
from anb.db.migrate import upgrade
from anb.jobs.celery_app import make_celery
from anb.jobs.queue import CeleryQueue
from anb.videos.models import Video, VideoStatus
from anb.wiring import storage_for
from bench.harness.postgres import scratch_database
from bench.harness.processes import anb_worker
from bench.harness.video_rows import new_video
from deploy.local.backing import delete_queues

SUSTAINED_FRACTION = 0.8
BROKER_URL = "amqp://guest:guest@127.0.0.1:5672//"


class Deployment:
    """The producer's side (database, storage, queue) and the worker's environment: the same settings."""

    def __init__(self, tmp: Path, database_url: str, preset: str) -> None:
        queue = f"anb-capacity-{uuid.uuid4().hex[:8]}"
        self.worker_env = {
            "ANB_DATA_DIR": str(tmp / "data"),
            "ANB_DATABASE__URL": database_url,
            "ANB_JOBS__BACKEND": "celery",
            "ANB_JOBS__BROKER_URL": BROKER_URL,
            "ANB_JOBS__QUEUE_NAME": queue,
            # Leases long enough for a slow encode on a busy machine: no job is taken over mid-run.
            "ANB_JOBS__LEASE_SECONDS": "300",
            "ANB_FFMPEG__PRESET": preset,
            "ANB_FFMPEG__THREADS": "0",  # x264's own choice, as in production
            "ANB_METRICS__WORKER_PORT": "0",
        }
        jobs = JobSettings(backend="celery", broker_url=BROKER_URL, queue_name=queue)
        self.settings = Settings(data_dir=tmp / "data", database=DatabaseSettings(url=database_url), jobs=jobs)
        self.engine = create_sync_db_engine(database_url)
        self.storage = storage_for(self.settings)
        self.queue = CeleryQueue(make_celery(jobs), jobs)


@dataclass(frozen=True)
class Plan:
    inputs: dict[int, Path]  # nominal size in MB → input file
    concurrency: list[int]
    step_jobs: int
    steps: int
    step_seconds: float
    sustained_jobs: int
    preset: str
    timeout_seconds: float = 3600


@dataclass
class Run:
    mode: str  # "saturation" or "sustained"
    size_mb: int
    concurrency: int
    jobs: int
    seconds: float
    videos_per_minute: float
    mean_wait_s: float
    mean_download_s: float
    mean_ffmpeg_s: float
    mean_upload_s: float
    mean_service_s: float
    backlog_slope_per_min: float
    backlog: list[tuple[float, int]]  # (seconds since the first hand-off, pending jobs)


def slope_per_minute(samples: list[tuple[float, int]]) -> float:
    if len(samples) < 2:
        return 0.0
    xs = [t for t, _ in samples]
    ys = [float(n) for _, n in samples]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    denominator = sum((x - mean_x) ** 2 for x in xs) or 1.0
    return 60 * sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / denominator


def _pending(engine: Engine, ids: list[uuid.UUID]) -> int:
    with engine.connect() as conn:
        statuses = (VideoStatus.UPLOADED, VideoStatus.PROCESSING)
        return int(conn.scalar(select(func.count()).where(Video.id.in_(ids), Video.status.in_(statuses))) or 0)


def _produce(
    deployment: Deployment, source: Path, arrivals: list[float], timeout: float
) -> tuple[list[Any], float, list[tuple[float, int]]]:
    """Hands off one job at each arrival offset (seconds); returns the rows, the elapsed time, the backlog."""
    ids: list[uuid.UUID] = []
    samples: list[tuple[float, int]] = []
    started = time.monotonic()
    while True:
        now = time.monotonic() - started
        while len(ids) < len(arrivals) and arrivals[len(ids)] <= now:
            video_id = new_video(deployment.engine, deployment.storage, source)
            deployment.queue.enqueue(video_id, "capacity")
            ids.append(video_id)
        pending = _pending(deployment.engine, ids)
        samples.append((now, pending))
        if len(ids) == len(arrivals) and pending == 0:
            break
        if now > timeout:
            raise TimeoutError(f"{pending} jobs still pending after {timeout} s")
        time.sleep(1.0)
    elapsed = time.monotonic() - started
    with deployment.engine.connect() as conn:
        rows = list(conn.execute(select(Video).where(Video.id.in_(ids))).all())
    return rows, elapsed, samples


def _run(
    mode: str,
    size_mb: int,
    concurrency: int,
    arrivals: list[float],
    produced: tuple[list[Any], float, list[tuple[float, int]]],
) -> Run:
    rows, elapsed, backlog = produced
    failed = [row.id for row in rows if row.status != VideoStatus.PROCESSED]
    if failed:
        raise RuntimeError(f"{len(failed)} jobs were not published (first: {failed[0]})")
    waits = [(row.started_at - row.queued_at).total_seconds() for row in rows]
    download = [row.fetch_seconds for row in rows]
    ffmpeg = [row.encode_seconds for row in rows]
    upload = [row.store_seconds for row in rows]
    service = [d + f + u for d, f, u in zip(download, ffmpeg, upload, strict=True)]
    return Run(
        mode, size_mb, concurrency, len(rows), elapsed, 60 * len(rows) / elapsed, statistics.fmean(waits),
        statistics.fmean(download), statistics.fmean(ffmpeg), statistics.fmean(upload), statistics.fmean(service),
        # The trend while jobs keep arriving: after the last hand-off any backlog can only drain.
        slope_per_minute([s for s in backlog if s[0] <= arrivals[-1]] or backlog), backlog,
    )  # fmt: skip


def run_cell(plan: Plan, size_mb: int, concurrency: int, log_dir: Path) -> list[Run]:
    source = plan.inputs[size_mb]
    with tempfile.TemporaryDirectory(prefix="anb-capacity-workers-") as tmp, scratch_database() as url:
        upgrade(url)
        deployment = Deployment(Path(tmp), url, plan.preset)
        log = log_dir / f"worker-{size_mb}MB-c{concurrency}.log"
        try:
            with anb_worker(deployment.worker_env, log, concurrency):
                time.sleep(3)  # the pool is up before the clock starts
                steps = [step * plan.step_seconds for step in range(plan.steps) for _ in range(plan.step_jobs)]
                produced = _produce(deployment, source, steps, plan.timeout_seconds)
                saturation = _run("saturation", size_mb, concurrency, steps, produced)
                interval = 60 / (SUSTAINED_FRACTION * saturation.videos_per_minute)
                arrivals = [n * interval for n in range(plan.sustained_jobs)]
                runs = [saturation]
                if arrivals:
                    produced = _produce(deployment, source, arrivals, plan.timeout_seconds)
                    runs.append(_run("sustained", size_mb, concurrency, arrivals, produced))
        finally:
            deployment.engine.dispose()
            delete_queues(BROKER_URL, deployment.settings.jobs.queue_name)
    return runs


def run(plan: Plan, log_dir: Path) -> list[Run]:
    return [run for size in plan.inputs for c in plan.concurrency for run in run_cell(plan, size, c, log_dir)]
