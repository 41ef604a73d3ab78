"""Recording a vote and its counters as one atomic unit, in the shape each database does fastest.

The rule lives in the database on both: the primary key (video_id, user_id) plus
``INSERT … ON CONFLICT DO NOTHING`` make concurrent identical votes insert one row, and the
counters move by ``UPDATE … SET vote_count = vote_count + 1`` in the same transaction, so no
concurrent vote is lost.

- PostgreSQL: one statement (data-modifying CTEs) in autocommit. One round trip, and the row
  locks of the counters are held only for the statement itself, not across client round trips.
- SQLite (no DML inside CTEs): a short transaction of three statements. SQLite has one writer at
  a time; writers of this process queue on an asyncio lock instead of in SQLite's busy handler,
  whose growing sleeps (1, 2, 5, 10 … ms) would leave the write lock idle most of the time.

The unit owns its transaction (unlike the other repositories) because its shape is the dialect's.
"""

from __future__ import annotations

import asyncio
import enum
import uuid
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Uuid, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from anb.accounts.models import User
from anb.db.base import UTCDateTime, utcnow
from anb.videos.models import Video, VideoStatus
from anb.voting.models import Vote


class VoteOutcome(enum.Enum):
    RECORDED = "recorded"
    DUPLICATE = "duplicate"
    NOT_PUBLISHED = "not_published"


_PUBLISHED = (Video.id == bindparam("video_id")) & (Video.status == VideoStatus.PROCESSED)
_VOTE_COLUMNS = ["video_id", "user_id", "created_at"]
_VOTER = bindparam("user_id", type_=Uuid())
_NOW = bindparam("now", type_=UTCDateTime())


def _postgres_statement() -> Any:
    published = select(Video.id, Video.owner_id).where(_PUBLISHED).cte("published")
    cast_vote = (
        postgresql.insert(Vote)
        .from_select(_VOTE_COLUMNS, select(published.c.id, _VOTER, _NOW))
        .on_conflict_do_nothing()
        .returning(Vote.video_id)
        .cte("cast_vote")
    )
    counted_video = (
        update(Video)
        .where(Video.id.in_(select(cast_vote.c.video_id)))
        .values(vote_count=Video.vote_count + 1)
        .returning(Video.owner_id)
        .cte("counted_video")
    )
    counted_player = (
        update(User)
        .where(User.id.in_(select(counted_video.c.owner_id)))
        .values(vote_count=User.vote_count + 1)
        .returning(User.id)
        .cte("counted_player")
    )
    return select(select(published.c.id).exists(), select(counted_player.c.id).exists())


# Built once: only the parameters change from one vote to the next.
_POSTGRES_VOTE = _postgres_statement()
_SQLITE_CAST = (
    sqlite.insert(Vote)
    .from_select(_VOTE_COLUMNS, select(Video.id, _VOTER, _NOW).where(_PUBLISHED))
    .on_conflict_do_nothing()
    .returning(Vote.video_id)
)
_SQLITE_IS_PUBLISHED = select(Video.id).where(_PUBLISHED)
_SQLITE_COUNT_VIDEO = (
    update(Video)
    .where(Video.id == bindparam("video_id"))
    .values(vote_count=Video.vote_count + 1)
    .returning(Video.owner_id)
)
_SQLITE_COUNT_PLAYER = update(User).where(User.id == bindparam("owner_id")).values(vote_count=User.vote_count + 1)

_sqlite_writers: WeakKeyDictionary[AsyncEngine, asyncio.Lock] = WeakKeyDictionary()


async def record_vote(engine: AsyncEngine, video_id: uuid.UUID, user_id: uuid.UUID) -> VoteOutcome:
    params = {"video_id": video_id, "user_id": user_id, "now": utcnow()}
    if engine.dialect.name == "postgresql":
        return await _record_postgres(engine, params)
    return await _record_sqlite(engine, params)


async def _record_postgres(engine: AsyncEngine, params: dict[str, Any]) -> VoteOutcome:
    async with engine.connect() as conn:
        autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
        published, counted = (await autocommit.execute(_POSTGRES_VOTE, params)).one()
    if counted:
        return VoteOutcome.RECORDED
    return VoteOutcome.DUPLICATE if published else VoteOutcome.NOT_PUBLISHED


async def _record_sqlite(engine: AsyncEngine, params: dict[str, Any]) -> VoteOutcome:
    writer = _sqlite_writers.setdefault(engine, asyncio.Lock())
    async with writer, engine.begin() as conn:
        if (await conn.execute(_SQLITE_CAST, params)).first() is None:
            published = (await conn.execute(_SQLITE_IS_PUBLISHED, params)).first() is not None
            return VoteOutcome.DUPLICATE if published else VoteOutcome.NOT_PUBLISHED
        owner_id = (await conn.execute(_SQLITE_COUNT_VIDEO, params)).scalar_one()
        await conn.execute(_SQLITE_COUNT_PLAYER, {"owner_id": owner_id})
    return VoteOutcome.RECORDED
