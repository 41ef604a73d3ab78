"""Processing-job state transitions on the video row, as conditional UPDATEs.

Every transition names the state it expects (and the worker holding the lease), so a second
delivery of the same job, a late worker or a deleted video change nothing. Used by worker
processes, hence synchronous; each function is a unit that commits on its own, in one short
transaction (anb/db/unit_of_work.py lists these units).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Engine, Update, and_, or_, select, update

from anb.db.base import utcnow
from anb.videos.models import Video, VideoStatus


def exhausted_reason(attempts: int) -> str:
    return f"No se pudo procesar el video tras {attempts} intentos. Inténtalo más tarde."


@dataclass(frozen=True)
class Claim:
    video_id: uuid.UUID
    attempt: int
    original_key: str
    queued_at: datetime
    correlation_id: str | None
    trace_parent: str | None


def _abandoned(now: datetime) -> ColumnElement[bool]:
    """Held by a worker whose lease expired: it died, or lost the database, mid-job."""
    return and_(Video.status == VideoStatus.PROCESSING, Video.lease_until < now)


def _claimable(now: datetime, max_attempts: int) -> ColumnElement[bool]:
    """Pending (and past its retry back-off: ``queued_at`` is "not before"), or abandoned, with an
    attempt left. Attempts are counted when a job is claimed, so a job whose worker dies every time
    (killed mid-encode, out of memory) uses them up like one that fails."""
    return and_(
        or_(and_(Video.status == VideoStatus.UPLOADED, Video.queued_at <= now), _abandoned(now)),
        Video.attempts < max_attempts,
    )


def _exhausted(now: datetime, max_attempts: int) -> ColumnElement[bool]:
    return and_(_abandoned(now), Video.attempts >= max_attempts)


def claim(engine: Engine, video_id: uuid.UUID, worker: str, lease_seconds: int, max_attempts: int) -> Claim | None:
    """Take the job if it is pending or its holder's lease expired, and it has an attempt left;
    None when someone else has it or it has none."""
    now = utcnow()
    with engine.begin() as conn:
        row = conn.execute(
            update(Video)
            .where(Video.id == video_id, _claimable(now, max_attempts))
            .values(
                status=VideoStatus.PROCESSING,
                attempts=Video.attempts + 1,
                lease_owner=worker,
                lease_until=now + timedelta(seconds=lease_seconds),
                started_at=now,
                progress=0.0,
            )
            .returning(Video.attempts, Video.original_key, Video.queued_at, Video.correlation_id, Video.trace_parent)
        ).first()
    if row is None:
        return None
    return Claim(video_id, row.attempts, row.original_key, row.queued_at, row.correlation_id, row.trace_parent)


def next_claimable(engine: Engine, max_attempts: int) -> uuid.UUID | None:
    """The oldest job a worker could claim now (embedded workers poll with this)."""
    query = select(Video.id).where(_claimable(utcnow(), max_attempts)).order_by(Video.queued_at).limit(1)
    with engine.connect() as conn:
        return conn.scalar(query)


def renew(engine: Engine, video_id: uuid.UUID, worker: str, progress: float, lease_seconds: int) -> bool:
    """Report progress and extend the lease; False when the job is no longer this worker's
    (the video was deleted, or the lease was lost): the worker must stop."""
    now = utcnow()
    with engine.begin() as conn:
        result = conn.execute(
            update(Video)
            .where(Video.id == video_id, Video.status == VideoStatus.PROCESSING, Video.lease_owner == worker)
            .values(progress=progress, lease_until=now + timedelta(seconds=lease_seconds))
        )
    return bool(result.rowcount)


@dataclass(frozen=True)
class Timings:
    fetch: float
    encode: float
    store: float


def publish(
    engine: Engine, video_id: uuid.UUID, worker: str, processed_key: str, poster_key: str, timings: Timings
) -> bool:
    now = utcnow()
    with engine.begin() as conn:
        result = conn.execute(
            update(Video)
            .where(Video.id == video_id, Video.status == VideoStatus.PROCESSING, Video.lease_owner == worker)
            .values(
                status=VideoStatus.PROCESSED,
                processed_key=processed_key,
                poster_key=poster_key,
                processed_at=now,
                finished_at=now,
                progress=1.0,
                failure_reason=None,
                lease_owner=None,
                lease_until=None,
                fetch_seconds=timings.fetch,
                encode_seconds=timings.encode,
                store_seconds=timings.store,
            )
        )
    return bool(result.rowcount)


def fail(engine: Engine, video_id: uuid.UUID, worker: str | None, reason: str) -> bool:
    """Mark the job failed for good, with a reason the player can read."""
    conditions = [Video.id == video_id, Video.status.in_((VideoStatus.UPLOADED, VideoStatus.PROCESSING))]
    if worker is not None:
        conditions.append(Video.lease_owner == worker)
    now = utcnow()
    with engine.begin() as conn:
        result = conn.execute(
            update(Video)
            .where(*conditions)
            .values(
                status=VideoStatus.FAILED,
                failure_reason=reason[:500],
                finished_at=now,
                lease_owner=None,
                lease_until=None,
            )
        )
    return bool(result.rowcount)


def release(engine: Engine, video_id: uuid.UUID, worker: str, retry_in: float = 0.0) -> bool:
    """Hand a job back (transient failure, or shutdown): pending again after ``retry_in`` seconds,
    attempts kept."""
    not_before = utcnow() + timedelta(seconds=retry_in)
    with engine.begin() as conn:
        result = conn.execute(
            update(Video)
            .where(Video.id == video_id, Video.status == VideoStatus.PROCESSING, Video.lease_owner == worker)
            .values(status=VideoStatus.UPLOADED, lease_owner=None, lease_until=None, progress=0.0, queued_at=not_before)
        )
    return bool(result.rowcount)


def claimable_in(engine: Engine, video_id: uuid.UUID, max_attempts: int) -> float | None:
    """Seconds until this job can be claimed (another worker's lease, or a retry back-off);
    None when it never will (published, failed, deleted, or out of attempts)."""
    query = select(Video.status, Video.lease_until, Video.queued_at, Video.attempts).where(Video.id == video_id)
    with engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None or row.status in (VideoStatus.PROCESSED, VideoStatus.FAILED) or row.attempts >= max_attempts:
        return None
    moment = row.lease_until if row.status == VideoStatus.PROCESSING else row.queued_at
    return max(0.0, ((moment or utcnow()) - utcnow()).total_seconds())


def _fail_exhausted(now: datetime, max_attempts: int) -> Update:
    return (
        update(Video)
        .where(_exhausted(now, max_attempts))
        .values(
            status=VideoStatus.FAILED,
            failure_reason=exhausted_reason(max_attempts),
            finished_at=now,
            lease_owner=None,
            lease_until=None,
        )
    )


def fail_if_exhausted(engine: Engine, video_id: uuid.UUID, max_attempts: int) -> bool:
    """Fail the job if it was abandoned with no attempt left (its last worker died mid-job)."""
    with engine.begin() as conn:
        result = conn.execute(_fail_exhausted(utcnow(), max_attempts).where(Video.id == video_id))
    return bool(result.rowcount)


def sweep(engine: Engine, max_attempts: int, requeue_after_seconds: int) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    """Fail abandoned jobs that used up their attempts; return the pending jobs whose hand-off may
    have been lost (waiting longer than ``requeue_after_seconds``), to be handed off again, and the
    jobs failed."""
    now = utcnow()
    with engine.begin() as conn:
        failed = list(conn.scalars(_fail_exhausted(now, max_attempts).returning(Video.id)))
        waited = now - timedelta(seconds=requeue_after_seconds)
        stale = list(conn.scalars(select(Video.id).where(_claimable(waited, max_attempts))))
    return stale, failed


def retry_failed(engine: Engine, video_id: uuid.UUID) -> bool:
    """Operator action: a failed job gets a fresh set of attempts."""
    with engine.begin() as conn:
        result = conn.execute(
            update(Video)
            .where(Video.id == video_id, Video.status == VideoStatus.FAILED)
            .values(status=VideoStatus.UPLOADED, attempts=0, failure_reason=None, progress=0.0, queued_at=utcnow())
        )
    return bool(result.rowcount)


def failure_reason(engine: Engine, video_id: uuid.UUID) -> str | None:
    with engine.connect() as conn:
        return conn.scalar(select(Video.failure_reason).where(Video.id == video_id))
