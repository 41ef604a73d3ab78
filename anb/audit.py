"""The audit log: one appended row per action on votes, roles or the contest, whichever feature
acts (the scan, operators, ``anb users``, the contest's rules and close). Nothing here (or anywhere)
updates or deletes a row; the database refuses it too (migration 0006)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from anb.db.base import Base, UTCDateTime, utcnow


class AuditEntry(Base):
    """Who did what, when. Append-only: no code path updates or deletes a row, and the database's
    triggers refuse it (migration 0006)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # An operator's user id, or "scan" / "cli" for the machine's own actions.
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON)


def record(db: AsyncSession, actor: str, action: str, detail: dict[str, Any]) -> None:
    db.add(AuditEntry(actor=actor, action=action, detail=detail))
