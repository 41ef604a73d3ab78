"""The contest's frozen result (one row once closed) and the jury's scores (its rules: anb/contest_rules/)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from anb.contest_rules.models import THE_CONTEST
from anb.db.base import Base, UTCDateTime, utcnow


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
