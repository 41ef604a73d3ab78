"""Recording a vote and its counters as one atomic unit, in the shape each database does fastest.

The rule lives in the database on both: the primary key (video_id, user_id) plus
``INSERT … ON CONFLICT DO NOTHING`` make concurrent identical votes insert one row, and the
counters move by ``UPDATE … SET vote_count = vote_count + n`` in the same transaction, so no
concurrent vote is lost.

- PostgreSQL: votes are written in groups (``anb.db.group_commit``): those that arrive while a
  group is in flight go together in the next one, one statement (data-modifying CTEs) in
  autocommit. One round trip and one commit per group instead of per vote — under load that was
  most of the database's CPU per vote and the largest single part of the server's (docs/voting.md)
  — and the row locks of the counters are held only for the statement itself. It goes to asyncpg
  directly, on a connection of the engine's pool: SQLAlchemy's execution (compiled-cache lookup,
  parameter and result processing, a greenlet switch each way) took a sixth of a vote's server
  CPU, and a vote is the one write that thousands of voters repeat.
- SQLite (no DML inside CTEs): three statements, run by this process's SQLite writer thread
  (``anb.db.sqlite_writer``): one hand-off from the event loop per vote, and the votes queued
  meanwhile committed together. Writers of this process never meet SQLite's busy handler, whose
  growing sleeps (1, 2, 5, 10 … ms) would leave the write lock idle most of the time.

A new vote is ``counted``; it carries its origin and the voter's account age (the ledger,
anb/voting/ledger.py), written by the same statement.

The unit owns its transaction (unlike the other repositories) because its shape is the dialect's.
"""

from __future__ import annotations

import asyncio
import enum
import uuid
import weakref
from dataclasses import asdict
from datetime import datetime
from typing import Any, cast

import asyncpg
from sqlalchemy import Connection, Integer, String, Uuid, bindparam, func, select, update
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from anb.accounts.models import User
from anb.db.base import UTCDateTime, utcnow
from anb.db.group_commit import GroupCommit
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


# The votes of one group, counted or not, in one statement (one vote is a group of one). Each array
# holds one field of every vote: $1 video, $2 voter, $3 time, $4–$6 its origin (anb/voting/ledger.py).
# A new vote is counted. One row per vote, in order: is the video published, was this vote new and
# counted. Rows are inserted and counters locked in id order, so two groups touching the same videos
# or players rarely wait on each other in opposite orders (a deadlock is survived anyway: the group
# is written again vote by vote, anb/db/group_commit.py).
_POSTGRES_VOTES = """
WITH cast_in AS (
    SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::text[], $5::text[], $6::text[])
        WITH ORDINALITY AS c(video_id, user_id, created_at, client_prefix, client_hash, agent_hash, n)
), published AS (
    SELECT id, owner_id FROM videos WHERE id IN (SELECT video_id FROM cast_in) AND status = 'processed'
), cast_vote AS (
    INSERT INTO votes (video_id, user_id, created_at, client_prefix, client_hash, agent_hash, voter_age_seconds)
    SELECT c.video_id, c.user_id, c.created_at, c.client_prefix, c.client_hash, c.agent_hash,
           floor(extract(epoch FROM c.created_at - voter.created_at))::bigint
    FROM cast_in c JOIN published ON published.id = c.video_id LEFT JOIN users voter ON voter.id = c.user_id
    ORDER BY c.video_id, c.user_id
    ON CONFLICT DO NOTHING
    RETURNING video_id, user_id
), counted_video AS (
    UPDATE videos SET vote_count = videos.vote_count + added.votes
    FROM (SELECT video_id, count(*)::int AS votes FROM cast_vote GROUP BY video_id ORDER BY video_id) AS added
    WHERE videos.id = added.video_id
    RETURNING videos.owner_id, added.votes
), counted_player AS (
    UPDATE users SET vote_count = users.vote_count + added.votes
    FROM (SELECT owner_id, sum(votes)::int AS votes FROM counted_video GROUP BY owner_id ORDER BY owner_id) AS added
    WHERE users.id = added.owner_id
)
SELECT c.video_id IN (SELECT id FROM published) AS published,
       (c.video_id, c.user_id) IN (SELECT video_id, user_id FROM cast_vote) AS counted
FROM cast_in c ORDER BY c.n
"""

# What a vote meets when the database goes away under it: the socket closed or reset, or the
# server shutting down (SQLSTATE classes 08 and 57).
_CONNECTION_LOST = (OSError, asyncpg.InterfaceError, asyncpg.PostgresConnectionError, asyncpg.OperatorInterventionError)
# Errors that concern every vote of a group: no connection to write it on (SQLAlchemy's pool
# raises DBAPIError subclasses when it cannot connect).
_UNREACHABLE = (DatabaseUnavailable, DBAPIError)
_POSTGRES_FIELDS = ("video_id", "user_id", "now", "client_prefix", "client_hash", "agent_hash")

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
        return await _postgres_groups(engine).submit(params)
    return await _record_sqlite(engine, params)


_VoteGroups = GroupCommit[dict[str, Any], VoteOutcome]
_groups: weakref.WeakKeyDictionary[AsyncEngine, tuple[asyncio.AbstractEventLoop, _VoteGroups]]
_groups = weakref.WeakKeyDictionary()


def _postgres_groups(engine: AsyncEngine) -> _VoteGroups:
    """This event loop's group of votes for ``engine`` (tests run one loop after another)."""
    loop = asyncio.get_running_loop()
    known = _groups.get(engine)
    if known is None or known[0] is not loop:
        # The group holds the engine weakly, as the registry does: a disposed engine is not kept alive.
        engine_ref = weakref.ref(engine)

        async def write(votes: list[dict[str, Any]]) -> list[VoteOutcome]:
            live = engine_ref()
            assert live is not None, "a vote being written holds its engine"
            return await _record_postgres(live, votes)

        known = _groups[engine] = (loop, GroupCommit(write, _vote_key, shared_errors=_UNREACHABLE))
    return known[1]


def _vote_key(params: dict[str, Any]) -> tuple[uuid.UUID, uuid.UUID]:
    return params["video_id"], params["user_id"]


async def _record_postgres(engine: AsyncEngine, votes: list[dict[str, Any]]) -> list[VoteOutcome]:
    async with engine.connect() as conn:
        # Outside SQLAlchemy's transaction handling, the statement runs in asyncpg's autocommit.
        driver = cast(asyncpg.Connection, (await conn.get_raw_connection()).driver_connection)
        try:
            rows = await driver.fetch(_POSTGRES_VOTES, *([vote[name] for vote in votes] for name in _POSTGRES_FIELDS))
        except _CONNECTION_LOST as exc:
            # Not through SQLAlchemy, so its disconnect handling is done here: the connection
            # leaves the pool, and the client gets the 503 of any database outage.
            await conn.invalidate(exc)
            raise DatabaseUnavailable() from exc
    return [_outcome(published, counted) for published, counted in rows]


def _outcome(published: bool, counted: bool) -> VoteOutcome:
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
