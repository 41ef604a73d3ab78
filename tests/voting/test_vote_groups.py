"""Votes cast together are written together (one group on PostgreSQL, one SQLite transaction) and
each still gets its own outcome; the counters follow exactly the votes counted."""

from __future__ import annotations

import asyncio
import gc
import uuid
import weakref
from pathlib import Path

from anb.accounts.models import User
from anb.config import DatabaseSettings, Settings
from anb.db.engine import create_async_db_engine
from anb.videos.models import Video, VideoStatus
from anb.voting.ledger import VoteOrigin, counter_differences
from anb.voting.vote_store import VoteOutcome, record_vote
from tests.support.in_process import app_client
from tests.support.voting_rows import make_player, make_video

ORIGIN = VoteOrigin("203.0.113.0/24", "c" * 32, "a" * 32)


async def test_votes_cast_together_each_get_their_own_outcome(fresh_database_url: str, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", database=DatabaseSettings(url=fresh_database_url))
    async with app_client(settings) as (application, _):
        owner = await make_player(application)
        first, second = uuid.UUID(await make_video(application, owner)), uuid.UUID(await make_video(application, owner))
        hidden = uuid.UUID(await make_video(application, owner, status=VideoStatus.PROCESSING))
        ana, luis, eva, earlier = [(await make_player(application)).id for _ in range(4)]
        engine = application.state.anb.engine
        assert await record_vote(engine, second, earlier, ORIGIN) is VoteOutcome.RECORDED
        cast = [
            (first, ana),
            (first, luis),
            (first, eva),
            (second, ana),
            (first, ana),  # the same vote twice at once: one counts
            (hidden, ana),
            (uuid.uuid4(), ana),
            (second, earlier),  # cast before
            (second, uuid.uuid4()),  # no such voter: the database refuses this one alone
        ]
        outcomes = await asyncio.gather(
            *(record_vote(engine, video, voter, ORIGIN) for video, voter in cast), return_exceptions=True
        )
        async with application.state.anb.sessions() as db:
            differences = await counter_differences(db)
            counters = [(await db.get(Video, video)).vote_count for video in (first, second)]
            player = (await db.get(User, owner.id)).vote_count
    recorded, duplicate, missing = VoteOutcome.RECORDED, VoteOutcome.DUPLICATE, VoteOutcome.NOT_PUBLISHED
    assert outcomes[:8] == [recorded] * 4 + [duplicate, missing, missing, duplicate]
    assert isinstance(outcomes[8], Exception)
    assert differences == []
    assert counters == [3, 2] and player == 5


async def test_an_engine_that_cast_votes_can_be_collected(fresh_database_url: str) -> None:
    """The registry of vote groups (and SQLite's writers) holds engines weakly: tests and restarts
    that make engine after engine leave none behind."""
    engine = create_async_db_engine(fresh_database_url)
    assert await record_vote(engine, uuid.uuid4(), uuid.uuid4(), ORIGIN) is VoteOutcome.NOT_PUBLISHED
    await engine.dispose()
    gone = weakref.ref(engine)
    del engine
    gc.collect()
    assert gone() is None
