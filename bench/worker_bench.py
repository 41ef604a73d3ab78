"""Scenario 2 of the capacity plan on this machine: videos per minute of the Celery workers.

    .venv/bin/python -m bench.worker_bench [--sizes 50 100] [--concurrency 1 2] [--jobs 4]

The web layer is bypassed: a producer inserts jobs (a video row plus its stored original) and puts
them straight into the RabbitMQ queue, then a real `anb worker` drains the backlog. For every cell
(input size × worker concurrency) it reports X (videos/minute), the mean service time S split into
queue wait, fetch, ffmpeg and store (from the job rows), and the backlog trend (pending jobs sampled
each second, least-squares slope in jobs/minute). Needs PostgreSQL and RabbitMQ on loopback.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from sqlalchemy import func, select

from anb.db.engine import create_sync_db_engine
from anb.db.migrate import upgrade
from anb.videos.models import Video, VideoStatus
from bench.media_inputs import encoded_input
from tests.processes import anb_worker, wait_until
from tests.services import postgres_database
from tests.videos.factories import new_video
from tests.videos.test_tasks import Deployment


@dataclass
class Cell:
    size_mb: int
    concurrency: int
    jobs: int
    videos_per_minute: float
    mean_wait_s: float
    mean_fetch_s: float
    mean_ffmpeg_s: float
    mean_store_s: float
    mean_service_s: float
    backlog_slope_per_min: float


def _slope(samples: list[tuple[float, int]]) -> float:
    if len(samples) < 2:
        return 0.0
    xs = [t for t, _ in samples]
    ys = [float(n) for _, n in samples]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    denominator = sum((x - mean_x) ** 2 for x in xs) or 1.0
    return 60 * sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / denominator


def run_cell(size_mb: int, concurrency: int, jobs: int, preset: str) -> Cell:
    source = encoded_input(size_mb)
    with tempfile.TemporaryDirectory(prefix="anb-worker-bench-") as tmp, postgres_database() as url:
        upgrade(url)
        deployment = Deployment(Path(tmp), url, ANB_FFMPEG_PRESET=preset, ANB_JOBS__LEASE_SECONDS="120")
        ids = [new_video(deployment.engine, deployment.storage, source) for _ in range(jobs)]
        engine = create_sync_db_engine(url)
        with anb_worker({**deployment.env, "ANB_FFMPEG_THREADS": "0"}, Path(tmp) / "worker.log", concurrency):
            time.sleep(3)  # the pool is up before the clock starts
            started = time.monotonic()
            for video_id in ids:
                deployment.queue.enqueue(video_id, "bench")
            samples: list[tuple[float, int]] = []

            def drained() -> bool:
                with engine.connect() as conn:
                    pending = conn.scalar(
                        select(func.count()).where(Video.status.in_((VideoStatus.UPLOADED, VideoStatus.PROCESSING)))
                    )
                samples.append((time.monotonic() - started, int(pending or 0)))
                return pending == 0

            wait_until(drained, 3600, "backlog drained", interval=1.0)
            elapsed = time.monotonic() - started
        with engine.connect() as conn:
            rows = conn.execute(select(Video).where(Video.id.in_(ids))).all()
        engine.dispose()
        deployment.engine.dispose()
    assert all(row.status == VideoStatus.PROCESSED for row in rows), "every job must be published"
    waits = [(row.started_at - row.queued_at).total_seconds() for row in rows]
    fetch = [row.fetch_seconds for row in rows]
    ffmpeg = [row.encode_seconds for row in rows]
    store = [row.store_seconds for row in rows]
    service = [f + e + s for f, e, s in zip(fetch, ffmpeg, store, strict=True)]
    return Cell(
        size_mb, concurrency, jobs, 60 * jobs / elapsed, statistics.fmean(waits), statistics.fmean(fetch),
        statistics.fmean(ffmpeg), statistics.fmean(store), statistics.fmean(service), _slope(samples),
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 100])
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--jobs", type=int, default=4)
    parser.add_argument("--preset", default="veryfast")
    parser.add_argument("--json", type=Path, default=None, help="also write the cells as JSON here")
    args = parser.parse_args()
    cells = [run_cell(size, c, args.jobs, args.preset) for size in args.sizes for c in args.concurrency]
    print("| input | workers | jobs | X videos/min | wait s | fetch s | ffmpeg s | store s | S s | backlog slope/min |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for c in cells:
        print(
            f"| {c.size_mb} MB | {c.concurrency} | {c.jobs} | {c.videos_per_minute:.2f} | {c.mean_wait_s:.1f} | "
            f"{c.mean_fetch_s:.2f} | {c.mean_ffmpeg_s:.1f} | {c.mean_store_s:.2f} | {c.mean_service_s:.1f} | "
            f"{c.backlog_slope_per_min:+.2f} |"
        )
    if args.json:
        args.json.write_text(json.dumps([asdict(c) for c in cells], indent=2))


if __name__ == "__main__":
    main()
