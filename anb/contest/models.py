"""The contest's rules (one row), its frozen result (one row once closed) and the jury's scores."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from anb.db.base import Base, UTCDateTime, utcnow

# There is one contest: its rules and its result are the row with this id.
THE_CONTEST = 1


class ContestRulesRow(Base):
    __tablename__ = "contest_rules"
    __table_args__ = (
        CheckConstraint("closes_at > opens_at", name="window"),
        CheckConstraint("squad_size BETWEEN 1 AND 100", name="squad_size"),
        CheckConstraint("jury_weight BETWEEN 0 AND 100", name="jury_weight"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=THE_CONTEST)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Uploads may end before (or after) the votes; null: uploads are always open.
    uploads_close_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    squad_size: Mapped[int] = mapped_column(Integer, default=5)
    self_votes_count: Mapped[bool] = mapped_column(Boolean, default=True)
    # Percent of the final standing that comes from the jury's rank; the public rank has the rest.
    jury_weight: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(64))


class ContestResultRow(Base):
    """The standings frozen at the close, with the head of the hash chain over what decided them."""

    __tablename__ = "contest_results"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=THE_CONTEST)
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    head_digest: Mapped[str] = mapped_column(String(64))
    vote_count: Mapped[int] = mapped_column(Integer)
    # The rules and standings exactly as the export carries them (anb/contest/export.py).
    rules: Mapped[dict[str, Any]] = mapped_column(JSON)
    standings: Mapped[list[Any]] = mapped_column(JSON)


class JuryScore(Base):
    """A juror's score (0–10) of a published video; one per juror and video, replaced on re-scoring."""

    __tablename__ = "jury_scores"
    __table_args__ = (CheckConstraint("score BETWEEN 0 AND 10", name="score"),)

    video_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("videos.id", ondelete="CASCADE"), primary_key=True)
    juror_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    score: Mapped[int] = mapped_column(Integer)
    scored_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
