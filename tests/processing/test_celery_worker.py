"""The distributed backend for real: Celery workers on RabbitMQ (and SQS), fault injection."""

from __future__ import annotations

import os
import signal
import subprocess
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, update

from anb.config import Settings
from anb.db.base import utcnow
from anb.db.engine import create_sync_db_engine
from anb.db.migrate import upgrade
from anb.jobs.celery_app import drain_dead_letters, make_celery
from anb.jobs.queue import CeleryQueue
from anb.storage.base import Storage
from anb.storage.s3 import S3Storage
from anb.videos.models import Video, VideoStatus
from anb.wiring import storage_for
from bench.harness.clips import make_clip
from bench.harness.processes import ANB, anb_worker, wait_until
from bench.harness.video_rows import load, new_video
from tests.support.s3_server import S3_ACCESS_KEY, S3_REGION, S3_SECRET_KEY
from tests.support.services import postgres_database, require

pytestmark = pytest.mark.rabbitmq


class Deployment:
    """PostgreSQL + RabbitMQ + local storage, configured through the environment like production."""

    def __init__(self, tmp: Path, database_url: str, **extra: str) -> None:
        self.tmp = tmp
        self.env = {
            "ANB_DATA_DIR": str(tmp / "data"),
            "ANB_DATABASE__URL": database_url,
            "ANB_JOBS__BACKEND": "celery",
            "ANB_JOBS__BROKER_URL": "amqp://guest:guest@127.0.0.1:5672//",
            "ANB_JOBS__QUEUE_NAME": f"anb-test-{uuid.uuid4().hex[:10]}",
            "ANB_JOBS__LEASE_SECONDS": "10",
            "ANB_JOBS__MAX_ATTEMPTS": "2",
            "ANB_JOBS__RETRY_BACKOFF_SECONDS": "1",
            "ANB_JOBS__REQUEUE_AFTER_SECONDS": "3",
            "ANB_JOBS__SWEEP_INTERVAL_SECONDS": "1",
            "ANB_FFMPEG__PRESET": "ultrafast",
            "ANB_METRICS__WORKER_PORT": "0",
            **extra,
        }
        self.settings = Settings(**_as_settings(self.env))
        self.engine: Engine = create_sync_db_engine(database_url)
        self.storage: Storage = storage_for(self.settings)
        self.queue = CeleryQueue(make_celery(self.settings.jobs), self.settings.jobs)

    def worker(self, name: str = "worker"):  # type: ignore[no-untyped-def]
        return anb_worker(self.env, self.tmp / f"{name}.log")

    def wait_status(self, video_id: uuid.UUID, status: VideoStatus, timeout: float = 120) -> None:
        wait_until(lambda: _status(self, video_id) == status, timeout, f"video {video_id} {status}")

    def dead_letters(self) -> list[str]:
        return [str(args[0]) for args in drain_dead_letters(self.queue.app, self.settings.jobs, 100)]


def wait_for_dead_letter(deployment: Deployment, video_id: uuid.UUID) -> None:
    drained: list[str] = []
    wait_until(lambda: str(video_id) in drained or bool(drained.extend(deployment.dead_letters())), 60, "dead letter")


def _as_settings(env: dict[str, str]) -> dict[str, object]:
    os.environ.update(env)
    try:
        return Settings().model_dump()
    finally:
        for key in env:
            os.environ.pop(key, None)


def _status(deployment: Deployment, video_id: uuid.UUID) -> VideoStatus | None:
    video = load(deployment.engine, video_id)
    return video.status if video else None


@pytest.fixture(scope="module")
def short_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Workers do not re-check upload limits: a short clip keeps these tests quick.
    return make_clip(tmp_path_factory.mktemp("clips") / "short1080.mp4", seconds=4)


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[Deployment]:
    require("RabbitMQ", "127.0.0.1", 5672)
    with postgres_database() as url:
        upgrade(url)
        deployment = Deployment(tmp_path, url)
        yield deployment
        deployment.engine.dispose()


def test_worker_processes_a_queued_job(deployment: Deployment, short_clip: Path) -> None:
    video_id = new_video(deployment.engine, deployment.storage, short_clip)
    deployment.queue.enqueue(video_id, "test")
    with deployment.worker():
        deployment.wait_status(video_id, VideoStatus.PROCESSED)
    video = load(deployment.engine, video_id)
    assert video is not None and video.attempts == 1 and video.progress == 1.0
    assert video.processed_key and deployment.storage.exists(video.processed_key)
    assert video.poster_key and deployment.storage.exists(video.poster_key)
    assert video.encode_seconds and video.fetch_seconds is not None


def test_duplicate_delivery_produces_one_output(deployment: Deployment, short_clip: Path) -> None:
    video_id = new_video(deployment.engine, deployment.storage, short_clip)
    for _ in range(3):
        deployment.queue.enqueue(video_id, "duplicate")
    with deployment.worker():
        deployment.wait_status(video_id, VideoStatus.PROCESSED)
    video = load(deployment.engine, video_id)
    assert video is not None and video.attempts == 1
    folder = Path(deployment.settings.data_dir / "media" / "videos" / str(video_id))
    assert sorted(p.name for p in folder.iterdir()) == ["original.mp4", "poster.jpg", "processed.mp4"]


def test_sigkill_mid_encode_completes_exactly_once_after_restart(deployment: Deployment, tmp_path: Path) -> None:
    long_clip = make_clip(tmp_path / "long.mp4", seconds=30, fps=30)
    video_id = new_video(deployment.engine, deployment.storage, long_clip)
    deployment.queue.enqueue(video_id, "kill")
    with deployment.worker("first") as first:
        wait_until(lambda: (load(deployment.engine, video_id).progress or 0) > 0, 120, "encode started")  # type: ignore[union-attr]
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
    assert _status(deployment, video_id) == VideoStatus.PROCESSING
    with deployment.worker("second"):
        deployment.wait_status(video_id, VideoStatus.PROCESSED, timeout=180)
    video = load(deployment.engine, video_id)
    assert video is not None and video.attempts == 2


def test_poison_input_fails_and_lands_in_the_dead_letter_queue(deployment: Deployment, tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.mp4"
    garbage.write_bytes(os.urandom(200_000))
    video_id = new_video(deployment.engine, deployment.storage, garbage)
    deployment.queue.enqueue(video_id, "poison")
    with deployment.worker():
        deployment.wait_status(video_id, VideoStatus.FAILED)
        # The task dead-letters right after marking the job failed: wait while its worker still runs.
        wait_for_dead_letter(deployment, video_id)
    video = load(deployment.engine, video_id)
    assert video is not None and video.attempts == 1  # permanent: not retried
    assert video.failure_reason and "decodificar" in video.failure_reason


def test_a_job_whose_worker_died_on_its_last_attempt_is_dead_lettered_not_claimed_again(
    deployment: Deployment, short_clip: Path
) -> None:
    """Its worker died holding the last of its attempts (max 2 here): the redelivered message fails
    it for good and dead-letters it instead of starting a third encode."""
    video_id = new_video(deployment.engine, deployment.storage, short_clip)
    expired = utcnow() - timedelta(seconds=1)
    with deployment.engine.begin() as conn:
        conn.execute(
            update(Video)
            .where(Video.id == video_id)
            .values(status=VideoStatus.PROCESSING, attempts=2, lease_owner="dead:1", lease_until=expired)
        )
    deployment.queue.enqueue(video_id, "redelivered")
    with deployment.worker():
        deployment.wait_status(video_id, VideoStatus.FAILED)
        wait_for_dead_letter(deployment, video_id)
    video = load(deployment.engine, video_id)
    assert video is not None and video.attempts == 2 and "2 intentos" in (video.failure_reason or "")


def test_broker_down_at_upload_is_recovered_by_the_sweeper(deployment: Deployment, short_clip: Path) -> None:
    down = Deployment(
        deployment.tmp, deployment.settings.database.url, ANB_JOBS__BROKER_URL="amqp://guest:guest@127.0.0.1:1//"
    )
    video_id = new_video(deployment.engine, deployment.storage, short_clip)
    with pytest.raises(Exception):  # noqa: B017 - any transport error: the point is that nothing was sent
        down.queue.enqueue(video_id, "lost")
    with deployment.worker():
        deployment.wait_status(video_id, VideoStatus.PROCESSED, timeout=180)


def test_redrive_gives_a_dead_letter_a_new_chance(deployment: Deployment, short_clip: Path, tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.mp4"
    garbage.write_bytes(b"not a video" * 1000)
    video_id = new_video(deployment.engine, deployment.storage, garbage)
    deployment.queue.enqueue(video_id, "poison")
    with deployment.worker():
        deployment.wait_status(video_id, VideoStatus.FAILED)
        # The operator fixes the original (here: replaces it), then re-drives the dead-letter queue.
        video = load(deployment.engine, video_id)
        assert video is not None
        copy = deployment.storage.new_temp_path(".mp4")
        copy.write_bytes(short_clip.read_bytes())
        deployment.storage.save_file(video.original_key, copy, "video/mp4")
        wait_until(lambda: _redrive(deployment) >= 1, 30, "redrive")
        deployment.wait_status(video_id, VideoStatus.PROCESSED)


def _redrive(deployment: Deployment) -> int:
    done = subprocess.run(
        [ANB, "jobs", "redrive"], env={**os.environ, **deployment.env}, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[1])


@pytest.fixture
def sqs_deployment(tmp_path: Path, s3_endpoint_url: str) -> Iterator[Deployment]:
    """The AWS shape on loopback: SQS and S3 from one moto server, PostgreSQL for state."""
    port = s3_endpoint_url.rsplit(":", 1)[1]
    with postgres_database() as url:
        upgrade(url)
        deployment = Deployment(
            tmp_path,
            url,
            ANB_JOBS__BROKER_URL=f"sqs://{S3_ACCESS_KEY}:{S3_SECRET_KEY}@127.0.0.1:{port}",
            ANB_JOBS__SQS_IS_SECURE="false",
            ANB_JOBS__SQS_REGION=S3_REGION,
            ANB_STORAGE__BACKEND="s3",
            ANB_STORAGE__S3_BUCKET=f"anb-test-{uuid.uuid4().hex[:10]}",
            ANB_STORAGE__S3_REGION=S3_REGION,
            ANB_STORAGE__S3_ENDPOINT_URL=s3_endpoint_url,
            ANB_STORAGE__S3_ACCESS_KEY=S3_ACCESS_KEY,
            ANB_STORAGE__S3_SECRET_KEY=S3_SECRET_KEY,
        )
        assert isinstance(deployment.storage, S3Storage)
        deployment.storage.ensure_bucket()
        yield deployment
        deployment.engine.dispose()


def test_sqs_worker_processes_and_dead_letters(sqs_deployment: Deployment, short_clip: Path, tmp_path: Path) -> None:
    good = new_video(sqs_deployment.engine, sqs_deployment.storage, short_clip)
    garbage = tmp_path / "garbage.mp4"
    garbage.write_bytes(os.urandom(100_000))
    poison = new_video(sqs_deployment.engine, sqs_deployment.storage, garbage)
    sqs_deployment.queue.enqueue(good, "sqs")
    sqs_deployment.queue.enqueue(poison, "sqs")
    with sqs_deployment.worker():
        sqs_deployment.wait_status(good, VideoStatus.PROCESSED)
        sqs_deployment.wait_status(poison, VideoStatus.FAILED)
        wait_for_dead_letter(sqs_deployment, poison)
    video = load(sqs_deployment.engine, good)
    assert video is not None and video.processed_key and sqs_deployment.storage.exists(video.processed_key)
