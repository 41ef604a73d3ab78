"""Concurrent votes against a real ``anb serve`` (several server processes), on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from anb.access_tokens.tokens import AccessTokens, access_tokens_from_settings
from anb.accounts.models import User
from anb.config import DatabaseSettings, Settings
from anb.db.base import utcnow
from anb.db.engine import create_sync_db_engine
from anb.videos import file_layout
from anb.videos.models import Video, VideoStatus
from anb.voting.models import Vote
from bench.harness.processes import anb_serve

pytestmark = pytest.mark.slow


@dataclass
class Served:
    base_url: str
    engine: Engine
    tokens: AccessTokens


@pytest.fixture(scope="module")
def served(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One server per backend for this module: starting three server processes takes seconds."""
    folder = tmp_path_factory.mktemp("concurrency")
    data_dir = folder / "data"
    env = {
        "ANB_DATA_DIR": str(data_dir),
        "ANB_DATABASE__URL": database_url,
        "ANB_JOBS__CONCURRENCY": "1",
        # The database's rule is under test here, not the rate limits.
        "ANB_RATE_LIMIT__VOTE_PER_USER": "100000/second",
        "ANB_RATE_LIMIT__VOTE_PER_ADDRESS": "100000/second",
    }
    with anb_serve(env, folder / "serve.log", workers=3) as base_url:
        settings = Settings(data_dir=data_dir, database=DatabaseSettings(url=database_url))
        tokens = access_tokens_from_settings(settings.auth, settings.data_dir)
        engine = create_sync_db_engine(database_url)
        try:
            yield Served(base_url, engine, tokens)
        finally:
            engine.dispose()


def _users(engine: Engine, count: int) -> list[uuid.UUID]:
    users = [
        User(
            email=f"{uuid.uuid4().hex}@example.com",
            password_hash="unused",
            first_name="Voto",
            last_name=str(n),
            city="Cali",
            city_key="cali",
            country="Colombia",
        )
        for n in range(count)
    ]
    with Session(engine) as session, session.begin():
        session.add_all(users)
        session.flush()
        return [user.id for user in users]


def _published_video(engine: Engine, owner_id: uuid.UUID) -> uuid.UUID:
    video_id = uuid.uuid4()
    with Session(engine) as session, session.begin():
        session.add(
            Video(
                id=video_id,
                owner_id=owner_id,
                title="Concurrente",
                status=VideoStatus.PROCESSED,
                original_key=file_layout.original_key(video_id),
                processed_key=file_layout.processed_key(video_id),
                poster_key=file_layout.poster_key(video_id),
                size_bytes=1,
                duration_seconds=21.0,
                width=1920,
                height=1080,
                processed_at=utcnow(),
            )
        )
    return video_id


def _counts(engine: Engine, video_id: uuid.UUID, owner_id: uuid.UUID) -> tuple[int, int, int]:
    with Session(engine) as session:
        rows = session.scalar(select(func.count()).select_from(Vote).where(Vote.video_id == video_id))
        video_votes = session.scalar(select(Video.vote_count).where(Video.id == video_id))
        owner_votes = session.scalar(select(User.vote_count).where(User.id == owner_id))
    return int(rows or 0), int(video_votes or 0), int(owner_votes or 0)


async def _vote_all(base_url: str, video_id: uuid.UUID, tokens: list[str]) -> Counter[int]:
    limits = httpx.Limits(max_connections=len(tokens), max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60) as client:
        answers = await asyncio.gather(
            *(
                client.post(f"/api/public/videos/{video_id}/vote", headers={"Authorization": f"Bearer {token}"})
                for token in tokens
            )
        )
    duplicates = [a for a in answers if a.status_code == 400]
    assert all(a.json()["detail"] == "Ya has votado por este video." for a in duplicates)
    return Counter(a.status_code for a in answers)


def test_200_identical_concurrent_votes_make_one_vote(served: Served) -> None:
    owner, voter = _users(served.engine, 2)
    video_id = _published_video(served.engine, owner)
    token = served.tokens.issue(voter)
    statuses = asyncio.run(_vote_all(served.base_url, video_id, [token] * 200))
    assert statuses == Counter({200: 1, 400: 199})
    assert _counts(served.engine, video_id, owner) == (1, 1, 1)


def test_concurrent_votes_of_many_users_lose_no_increment(served: Served) -> None:
    owner, *voters = _users(served.engine, 151)
    video_id = _published_video(served.engine, owner)
    statuses = asyncio.run(_vote_all(served.base_url, video_id, [served.tokens.issue(v) for v in voters]))
    assert statuses == Counter({200: 150})
    assert _counts(served.engine, video_id, owner) == (150, 150, 150)
