"""Queries of the contest: its frozen result, and what the close reads from the ledger (its rules:
anb/contest_rules/repository.py)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import datetime

from sqlalchemy import Row, Select, and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from anb.accounts.models import User
from anb.contest.models import ContestResultRow, JuryScore
from anb.contest_rules.models import THE_CONTEST
from anb.contest_rules.rules import Rules
from anb.videos.models import Video, VideoStatus
from anb.voting.ledger import VoteStatus
from anb.voting.models import Vote


async def load_result(db: AsyncSession) -> ContestResultRow | None:
    return await db.get(ContestResultRow, THE_CONTEST)


def save_result(db: AsyncSession, result: ContestResultRow) -> None:
    db.add(result)


async def entrants(db: AsyncSession) -> Sequence[Row[uuid.UUID, str, str, str, str, uuid.UUID]]:
    """Every published video with its player: the players who entered, and what they entered."""
    rows = await db.execute(
        select(User.id, User.first_name, User.last_name, User.city, User.city_key, Video.id)
        .join(Video, Video.owner_id == User.id)
        .where(Video.status == VideoStatus.PROCESSED)
        .order_by(User.id, Video.id)
    )
    return rows.all()


def _counted_votes(rules: Rules) -> Select[uuid.UUID, uuid.UUID, datetime]:
    conditions = [
        Vote.status == VoteStatus.COUNTED.value,
        Vote.created_at >= rules.opens_at,
        Vote.created_at < rules.closes_at,
        Video.status == VideoStatus.PROCESSED,
    ]
    if not rules.self_votes_count:
        conditions.append(Vote.user_id != Video.owner_id)
    return (
        select(Vote.user_id, Vote.video_id, Vote.created_at)
        .join(Video, Video.id == Vote.video_id)
        .where(and_(*conditions))
        .order_by(Vote.created_at, Vote.video_id, Vote.user_id)
    )


async def counted_votes(db: AsyncSession, rules: Rules) -> AsyncIterator[Row[uuid.UUID, uuid.UUID, datetime]]:
    """(voter, video, cast at) of the ledger's counted votes for published videos cast in the window;
    without the players' votes for their own videos when those do not count. Streamed in batches:
    a million votes never sit in memory at once."""
    result = await db.stream(_counted_votes(rules).execution_options(yield_per=_BATCH))
    async for row in result:
        yield row


_BATCH = 5000


async def jury_scores(db: AsyncSession) -> Sequence[Row[uuid.UUID, uuid.UUID, int]]:
    rows = await db.execute(
        select(JuryScore.juror_id, JuryScore.video_id, JuryScore.score)
        .join(Video, Video.id == JuryScore.video_id)
        .where(Video.status == VideoStatus.PROCESSED)
        .order_by(JuryScore.video_id, JuryScore.juror_id)
    )
    return rows.all()


async def user_role(db: AsyncSession, user_id: uuid.UUID) -> str | None:
    return await db.scalar(select(User.role).where(User.id == user_id, User.is_active.is_(True)))
