"""Conditional job-state transitions on the real databases: redelivery and races change nothing."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine, update

from anb.db.base import utcnow
from anb.db.engine import create_sync_db_engine
from anb.processing import leases
from anb.videos.models import Video, VideoStatus
from tests.videos.factories import load, new_video

TIMINGS = leases.Timings(0.1, 1.0, 0.2)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_sync_db_engine(database_url)
    yield engine
    engine.dispose()


def _status(engine: Engine, video_id: uuid.UUID) -> Video:
    video = load(engine, video_id)
    assert video is not None
    return video


def test_only_one_worker_claims_a_job(engine: Engine) -> None:
    video_id = new_video(engine)
    first = leases.claim(engine, video_id, "w1", lease_seconds=60)
    assert first is not None and first.attempt == 1
    assert leases.claim(engine, video_id, "w2", lease_seconds=60) is None
    assert _status(engine, video_id).status == VideoStatus.PROCESSING


def test_expired_lease_is_taken_over_and_the_old_worker_cannot_publish(engine: Engine) -> None:
    video_id = new_video(engine)
    assert leases.claim(engine, video_id, "w1", lease_seconds=60)
    with engine.begin() as conn:
        conn.execute(update(Video).where(Video.id == video_id).values(lease_until=utcnow() - timedelta(seconds=1)))
    second = leases.claim(engine, video_id, "w2", lease_seconds=60)
    assert second is not None and second.attempt == 2
    assert not leases.renew(engine, video_id, "w1", 0.5, 60)
    assert not leases.publish(engine, video_id, "w1", "p", "q", TIMINGS)
    assert leases.publish(engine, video_id, "w2", "videos/x/processed.mp4", "videos/x/poster.jpg", TIMINGS)
    video = _status(engine, video_id)
    assert video.status == VideoStatus.PROCESSED and video.progress == 1.0 and video.encode_seconds == 1.0
    # A duplicate delivery after publication finds nothing to do.
    assert leases.claim(engine, video_id, "w3", lease_seconds=60) is None
    assert leases.claimable_in(engine, video_id) is None


def test_release_backs_off_before_the_next_claim(engine: Engine) -> None:
    video_id = new_video(engine)
    assert leases.claim(engine, video_id, "w1", lease_seconds=60)
    assert leases.release(engine, video_id, "w1", retry_in=30)
    assert leases.claim(engine, video_id, "w2", lease_seconds=60) is None
    wait = leases.claimable_in(engine, video_id)
    assert wait is not None and 25 < wait <= 30


def test_fail_keeps_a_reason_and_retry_resets_attempts(engine: Engine) -> None:
    video_id = new_video(engine)
    assert leases.claim(engine, video_id, "w1", lease_seconds=60)
    assert leases.fail(engine, video_id, "w1", "motivo legible")
    video = _status(engine, video_id)
    assert video.status == VideoStatus.FAILED and video.failure_reason == "motivo legible"
    assert leases.retry_failed(engine, video_id)
    video = _status(engine, video_id)
    assert video.status == VideoStatus.UPLOADED and video.attempts == 0 and video.failure_reason is None


def test_sweep_fails_exhausted_and_returns_stale_pending(engine: Engine) -> None:
    exhausted, stale, fresh = new_video(engine), new_video(engine), new_video(engine)
    past = utcnow() - timedelta(hours=1)
    with engine.begin() as conn:
        conn.execute(
            update(Video)
            .where(Video.id == exhausted)
            .values(status=VideoStatus.PROCESSING, attempts=3, lease_owner="dead", lease_until=past)
        )
        conn.execute(update(Video).where(Video.id == stale).values(queued_at=past))
    requeue, failed = leases.sweep(engine, max_attempts=3, requeue_after_seconds=60)
    assert exhausted not in requeue and stale in requeue and fresh not in requeue
    assert failed >= 1
    assert _status(engine, exhausted).status == VideoStatus.FAILED
    assert "3 intentos" in (_status(engine, exhausted).failure_reason or "")
