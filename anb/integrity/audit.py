"""The audit log: one appended row per action on votes or roles. Nothing here (or anywhere) updates or
deletes a row; the database refuses it too (migration 0006)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from anb.integrity.models import AuditEntry


def record(db: AsyncSession, actor: str, action: str, detail: dict[str, Any]) -> None:
    db.add(AuditEntry(actor=actor, action=action, detail=detail))
