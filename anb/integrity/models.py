"""Flags raised by the scan and the votes each one holds (the audit log is anb/audit.py)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from anb.db.base import Base, UTCDateTime, utcnow


class Flag(Base):
    """One rule's finding about one player, with its evidence; its votes are held until decided."""

    __tablename__ = "flags"
    __table_args__ = (
        CheckConstraint("state IN ('open', 'confirmed', 'dismissed')", name="state"),
        Index("ix_flags_state_created_at", "state", "created_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    rule: Mapped[str] = mapped_column(String(40))
    # The finding's scope (anb/integrity/rules.Finding): the scan adds to the open flag of the same
    # rule, player and scope rather than raising a second one about a cluster still voting.
    scope: Mapped[str] = mapped_column(String(64), default="", server_default="")
    player_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON)
    votes: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(12), default="open", server_default="open")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(64), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class FlagVote(Base):
    """A vote a flag held, by the vote's key. No foreign key to ``votes``: votes are never deleted,
    and ``anb demo`` drops the votes' primary key during its bulk load."""

    __tablename__ = "flag_votes"

    flag_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("flags.id", ondelete="CASCADE"), primary_key=True)
    video_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
