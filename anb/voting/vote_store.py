"""Recording a vote and its counters as one atomic unit, in the shape each database does fastest.

The rule lives in the database on both: the primary key (video_id, user_id) plus
``INSERT … ON CONFLICT DO NOTHING`` make concurrent identical votes insert one row, and the
counters move by ``UPDATE … SET vote_count = vote_count + 1`` in the same transaction, so no
concurrent vote is lost.

- PostgreSQL: one statement (data-modifying CTEs) in autocommit. One round trip, and the row
  locks of the counters are held only for the statement itself, not across client round trips.
  It goes to asyncpg directly, on a connection of the engine's pool: SQLAlchemy's execution
  (compiled-cache lookup, parameter and result processing, a greenlet switch each way) took a
  sixth of a vote's server CPU, and a vote is the one write that thousands of voters repeat.
- SQLite (no DML inside CTEs): three statements, run by this process's SQLite writer thread
  (``anb.db.sqlite_writer``): one hand-off from the event loop per vote, and the votes queued
  meanwhile committed together. Writers of this process never meet SQLite's busy handler, whose
  growing sleeps (1, 2, 5, 10 … ms) would leave the write lock idle most of the time.

A new vote is ``counted``; it carries its origin and the voter's account age (the ledger,
anb/voting/ledger.py), written by the same statement.

The unit owns its transaction (unlike the other repositories) because its shape is the dialect's.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import asdict
from datetime import datetime
from typing import Any, cast

import asyncpg
from sqlalchemy import Connection, Integer, String, Uuid, bindparam, func, select, update
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects import sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from anb.accounts.models import User
from anb.db.base import UTCDateTime, utcnow
from anb.db.sqlite_writer import sqlite_writer
from anb.errors import DatabaseUnavailable
from anb.videos.models import Video, VideoStatus
from anb.voting.ledger import VoteOrigin
from anb.voting.models import Vote


class VoteOutcome(enum.Enum):
    RECORDED = "recorded"
    DUPLICATE = "duplicate"
    NOT_PUBLISHED = "not_published"


_PUBLISHED = (Video.id == bindparam("video_id")) & (Video.status == VideoStatus.PROCESSED)
_VOTE_COLUMNS = ["video_id", "user_id", "created_at", "client_prefix", "client_hash", "agent_hash", "voter_age_seconds"]
_VOTER = bindparam("user_id", type_=Uuid())
_NOW = bindparam("now", type_=UTCDateTime())
# The voter's account age in whole seconds (SQLite stores datetimes as text that julianday reads).
_SQLITE_VOTER_AGE = (
    select(sql_cast((func.julianday(_NOW) - func.julianday(User.created_at)) * 86400, Integer))
    .where(User.id == _VOTER)
    .scalar_subquery()
)


# One vote, counted or not, in one statement: $1 video, $2 voter, $3 time, $4–$6 its origin
# (anb/voting/ledger.py). A new vote is counted. The first column says whether the video is
# published, the second whether this vote was new and counted.
_POSTGRES_VOTE = """
WITH published AS (
    SELECT id, owner_id FROM videos WHERE id = $1 AND status = 'processed'
), cast_vote AS (
    INSERT INTO votes (video_id, user_id, created_at, client_prefix, client_hash, agent_hash, voter_age_seconds)
    SELECT id, $2, $3, $4, $5, $6,
           (SELECT floor(extract(epoch FROM $3 - created_at))::bigint FROM users WHERE id = $2)
    FROM published
    ON CONFLICT DO NOTHING
    RETURNING video_id
), counted_video AS (
    UPDATE videos SET vote_count = vote_count + 1
    WHERE id IN (SELECT video_id FROM cast_vote)
    RETURNING owner_id
), counted_player AS (
    UPDATE users SET vote_count = vote_count + 1
    WHERE id IN (SELECT owner_id FROM counted_video)
    RETURNING id
)
SELECT EXISTS (SELECT FROM published), EXISTS (SELECT FROM counted_player)
"""

# What a vote meets when the database goes away under it: the socket closed or reset, or the
# server shutting down (SQLSTATE classes 08 and 57).
_CONNECTION_LOST = (OSError, asyncpg.InterfaceError, asyncpg.PostgresConnectionError, asyncpg.OperatorInterventionError)

# Built once: only the parameters change from one vote to the next.
_SQLITE_CAST = (
    sqlite.insert(Vote)
    .from_select(
        _VOTE_COLUMNS,
        select(
            Video.id,
            _VOTER,
            _NOW,
            bindparam("client_prefix", type_=String()),
            bindparam("client_hash", type_=String()),
            bindparam("agent_hash", type_=String()),
            _SQLITE_VOTER_AGE,
        ).where(_PUBLISHED),
    )
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


async def record_vote(
    engine: AsyncEngine, video_id: uuid.UUID, user_id: uuid.UUID, origin: VoteOrigin, now: datetime | None = None
) -> VoteOutcome:
    params = {"video_id": video_id, "user_id": user_id, "now": now or utcnow(), **asdict(origin)}
    if engine.dialect.name == "postgresql":
        return await _record_postgres(engine, params)
    return await _record_sqlite(engine, params)


async def _record_postgres(engine: AsyncEngine, params: dict[str, Any]) -> VoteOutcome:
    async with engine.connect() as conn:
        # Outside SQLAlchemy's transaction handling, the statement runs in asyncpg's autocommit.
        driver = cast(asyncpg.Connection, (await conn.get_raw_connection()).driver_connection)
        try:
            published, counted = await driver.fetchrow(
                _POSTGRES_VOTE,
                params["video_id"],
                params["user_id"],
                params["now"],
                params["client_prefix"],
                params["client_hash"],
                params["agent_hash"],
            )
        except _CONNECTION_LOST as exc:
            # Not through SQLAlchemy, so its disconnect handling is done here: the connection
            # leaves the pool, and the client gets the 503 of any database outage.
            await conn.invalidate(exc)
            raise DatabaseUnavailable() from exc
    if counted:
        return VoteOutcome.RECORDED
    return VoteOutcome.DUPLICATE if published else VoteOutcome.NOT_PUBLISHED


async def _record_sqlite(engine: AsyncEngine, params: dict[str, Any]) -> VoteOutcome:
    return await sqlite_writer(engine).run(lambda conn: _cast_sqlite(conn, params))


def _cast_sqlite(conn: Connection, params: dict[str, Any]) -> VoteOutcome:
    if conn.execute(_SQLITE_CAST, params).first() is None:
        published = conn.execute(_SQLITE_IS_PUBLISHED, params).first() is not None
        return VoteOutcome.DUPLICATE if published else VoteOutcome.NOT_PUBLISHED
    owner_id = conn.execute(_SQLITE_COUNT_VIDEO, params).scalar_one()
    conn.execute(_SQLITE_COUNT_PLAYER, {"owner_id": owner_id})
    return VoteOutcome.RECORDED
