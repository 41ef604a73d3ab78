"""Conditional job-state transitions on the real databases: redelivery and races change nothing."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import Engine, update

from anb.db.base import utcnow
from anb.processing import leases
from anb.videos.models import Video, VideoStatus
from bench.harness.video_rows import load, new_video

TIMINGS = leases.Timings(0.1, 1.0, 0.2)


def _status(engine: Engine, video_id: uuid.UUID) -> Video:
    video = load(engine, video_id)
    assert video is not None
    return video


def test_only_one_worker_claims_a_job(engine: Engine) -> None:
    video_id = new_video(engine)
    first = leases.claim(engine, video_id, "w1", lease_seconds=60, max_attempts=3)
    assert first is not None and first.attempt == 1
    assert leases.claim(engine, video_id, "w2", lease_seconds=60, max_attempts=3) is None
    assert _status(engine, video_id).status == VideoStatus.PROCESSING


def test_expired_lease_is_taken_over_and_the_old_worker_cannot_publish(engine: Engine) -> None:
    video_id = new_video(engine)
    assert leases.claim(engine, video_id, "w1", lease_seconds=60, max_attempts=3)
    with engine.begin() as conn:
        conn.execute(update(Video).where(Video.id == video_id).values(lease_until=utcnow() - timedelta(seconds=1)))
    second = leases.claim(engine, video_id, "w2", lease_seconds=60, max_attempts=3)
    assert second is not None and second.attempt == 2
    assert not leases.renew(engine, video_id, "w1", 0.5, 60)
    assert not leases.publish(engine, video_id, "w1", "p", "q", TIMINGS)
    assert leases.publish(engine, video_id, "w2", "videos/x/processed.mp4", "videos/x/poster.jpg", TIMINGS)
    video = _status(engine, video_id)
    assert video.status == VideoStatus.PROCESSED and video.progress == 1.0 and video.encode_seconds == 1.0
    # A duplicate delivery after publication finds nothing to do.
    assert leases.claim(engine, video_id, "w3", lease_seconds=60, max_attempts=3) is None
    assert leases.claimable_in(engine, video_id, max_attempts=3) is None


def test_release_backs_off_before_the_next_claim(engine: Engine) -> None:
    video_id = new_video(engine)
    assert leases.claim(engine, video_id, "w1", lease_seconds=60, max_attempts=3)
    assert leases.release(engine, video_id, "w1", retry_in=30)
    assert leases.claim(engine, video_id, "w2", lease_seconds=60, max_attempts=3) is None
    wait = leases.claimable_in(engine, video_id, max_attempts=3)
    assert wait is not None and 25 < wait <= 30


def test_fail_keeps_a_reason_and_retry_resets_attempts(engine: Engine) -> None:
    video_id = new_video(engine)
    assert leases.claim(engine, video_id, "w1", lease_seconds=60, max_attempts=3)
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
    assert exhausted in failed and stale not in failed
    assert _status(engine, exhausted).status == VideoStatus.FAILED
    assert "3 intentos" in (_status(engine, exhausted).failure_reason or "")


def test_a_job_whose_worker_dies_every_time_runs_out_of_attempts(engine: Engine) -> None:
    """Attempts are counted at claim time: a worker that dies mid-job (no failure is ever recorded)
    still uses one up, and the job ends failed instead of being claimed forever."""
    video_id = new_video(engine)
    for attempt in (1, 2):
        claimed = leases.claim(engine, video_id, f"w{attempt}", lease_seconds=60, max_attempts=2)
        assert claimed is not None and claimed.attempt == attempt
        with engine.begin() as conn:  # the worker is SIGKILLed: its lease runs out, nothing else changes
            conn.execute(update(Video).where(Video.id == video_id).values(lease_until=utcnow() - timedelta(seconds=1)))
    assert leases.claim(engine, video_id, "w3", lease_seconds=60, max_attempts=2) is None
    assert leases.next_claimable(engine, max_attempts=2) != video_id
    assert leases.claimable_in(engine, video_id, max_attempts=2) is None
    assert leases.fail_if_exhausted(engine, video_id, max_attempts=2)
    video = _status(engine, video_id)
    assert video.status == VideoStatus.FAILED and "2 intentos" in (video.failure_reason or "")
    assert not leases.fail_if_exhausted(engine, video_id, max_attempts=2), "failed once"
