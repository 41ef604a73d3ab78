from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import Enum, Float, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from anb.db.base import Base, UTCDateTime, utcnow


class VideoStatus(enum.StrEnum):
    UPLOADED = "uploaded"
    PROCESSING = "processing"
    PROCESSED = "processed"
    FAILED = "failed"


class Video(Base):
    """A player's video and, on the same row, the state of its processing job.

    Keeping the job on the row makes "row and pending job committed together" one INSERT, and
    every state change a conditional UPDATE of one row.
    """

    __tablename__ = "videos"
    __table_args__ = (
        Index("ix_videos_owner_id_uploaded_at", "owner_id", "uploaded_at"),
        Index("ix_videos_status_lease_until", "status", "lease_until"),
        Index("ix_videos_status_processed_at", "status", "processed_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    owner_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(255))
    status: Mapped[VideoStatus] = mapped_column(
        Enum(VideoStatus, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]),
        default=VideoStatus.UPLOADED,
    )
    original_key: Mapped[str] = mapped_column(String(512))
    processed_key: Mapped[str | None] = mapped_column(String(512), default=None)
    poster_key: Mapped[str | None] = mapped_column(String(512), default=None)
    size_bytes: Mapped[int] = mapped_column(Integer)
    duration_seconds: Mapped[float] = mapped_column(Float)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    vote_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    # Processing job state (see anb/jobs): attempts, progress, lease and timings.
    progress: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    failure_reason: Mapped[str | None] = mapped_column(String(500), default=None)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    lease_owner: Mapped[str | None] = mapped_column(String(128), default=None)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    # Service time of the last attempt, split the way capacity planning needs it.
    fetch_seconds: Mapped[float | None] = mapped_column(Float, default=None)
    encode_seconds: Mapped[float | None] = mapped_column(Float, default=None)
    store_seconds: Mapped[float | None] = mapped_column(Float, default=None)
    # Follows one upload from the HTTP request through the queue to the worker's logs.
    correlation_id: Mapped[str | None] = mapped_column(String(64), default=None)
    # W3C traceparent of the upload request: parent of the job's span when no message carries one.
    trace_parent: Mapped[str | None] = mapped_column(String(64), default=None)
