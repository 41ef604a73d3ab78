from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import Mapped, mapped_column

from anb.accounts.normalize import name_key
from anb.db.base import Base, UTCDateTime, utcnow


def _name_key_of_row(context: DefaultExecutionContext) -> str:
    # Every insert of a user (signup, fans, tests) gets its key from the names it writes.
    row = context.get_current_parameters()
    return name_key(row["first_name"], row["last_name"])


class User(Base):
    __tablename__ = "users"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    city: Mapped[str] = mapped_column(String(100))
    # Lower-cased, accent-free city: "Bogotá" and "bogota" filter alike.
    city_key: Mapped[str] = mapped_column(String(100), index=True)
    # Lower-cased, accent-free "first last": the gallery's name search ("perez" finds "Pérez").
    # Names never change after signup, so the insert's key stays right.
    name_key: Mapped[str] = mapped_column(String(201), default=_name_key_of_row, server_default="")
    country: Mapped[str] = mapped_column(String(100))
    is_active: Mapped[bool] = mapped_column(default=True)
    # Total votes of the player's published videos, kept in the vote's transaction.
    vote_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # "player", "operator" (reviews flagged votes, reads the vote ledger: `anb users grant-operator`) or
    # "jury" (scores published videos for the contest: `anb users grant-jury`).
    role: Mapped[str] = mapped_column(String(16), default="player", server_default="player")
    # When the account followed its confirmation link (docs/contest.md); null: not confirmed.
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class RefreshToken(Base):
    """A refresh token, stored only as a hash; rotation chains tokens of one login into a family."""

    __tablename__ = "refresh_tokens"
    __table_args__ = (Index("ix_refresh_tokens_family_id", "family_id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    family_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Set when rotated, logged out or revoked with its family; a used token never works again.
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
