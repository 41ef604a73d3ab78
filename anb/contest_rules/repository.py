"""Queries of the contest's rules: the one row, read and written."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from anb.contest_rules.models import THE_CONTEST, ContestRulesRow
from anb.contest_rules.rules import Rules
from anb.db.base import utcnow


def _rules(row: ContestRulesRow) -> Rules:
    return Rules(
        opens_at=row.opens_at,
        closes_at=row.closes_at,
        uploads_close_at=row.uploads_close_at,
        squad_size=row.squad_size,
        self_votes_count=row.self_votes_count,
        jury_weight=row.jury_weight,
    )


async def load_rules(db: AsyncSession) -> Rules | None:
    row = await db.get(ContestRulesRow, THE_CONTEST)
    return _rules(row) if row else None


async def save_rules(db: AsyncSession, rules: Rules, actor: str) -> None:
    row = await db.get(ContestRulesRow, THE_CONTEST, with_for_update=True)
    if row is None:
        row = ContestRulesRow(id=THE_CONTEST, updated_by=actor)
        db.add(row)
    row.opens_at, row.closes_at, row.uploads_close_at = rules.opens_at, rules.closes_at, rules.uploads_close_at
    row.squad_size, row.self_votes_count, row.jury_weight = rules.squad_size, rules.self_votes_count, rules.jury_weight
    row.updated_at, row.updated_by = utcnow(), actor
    await db.flush()
