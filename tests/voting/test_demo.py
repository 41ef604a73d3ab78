"""``anb demo``: a consistent dataset (counters match the votes) on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from anb.accounts.models import User
from anb.config import DatabaseSettings, Settings, VotingSettings
from anb.db.engine import create_sync_db_engine
from anb.videos.models import Video
from anb.voting.cli import DEMO_PASSWORD, demo
from anb.voting.models import Vote
from anb.voting.seed import long_tail
from tests.support.in_process import app_client


def _run_demo(database_url: str, data_dir: Path, *args: str) -> str:
    env = {"ANB_DATABASE__URL": database_url, "ANB_DATA_DIR": str(data_dir)}
    result = CliRunner().invoke(demo, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result.output


def _check_counters(database_url: str) -> tuple[int, int]:
    """Every counter equals the votes behind it; returns (votes, ranked players)."""
    engine = create_sync_db_engine(database_url)
    try:
        with Session(engine) as db:
            per_video = dict(db.execute(select(Vote.video_id, func.count()).group_by(Vote.video_id)).all())
            owner_totals: dict[object, int] = {}
            for video_id, owner_id, counter in db.execute(select(Video.id, Video.owner_id, Video.vote_count)):
                assert counter == per_video.get(video_id, 0)
                owner_totals[owner_id] = owner_totals.get(owner_id, 0) + counter
            for user_id, counter in db.execute(select(User.id, User.vote_count)):
                assert counter == owner_totals.get(user_id, 0)
            return sum(per_video.values()), sum(1 for total in owner_totals.values() if total)
    finally:
        engine.dispose()


def test_demo_dataset_is_consistent_and_served(fresh_database_url: str, tmp_path: Path) -> None:
    output = _run_demo(fresh_database_url, tmp_path / "data", "--players", "300", "--videos", "40", "--votes", "2500")
    assert "300 players, 40 videos, 2500 votes" in output
    _run_demo(fresh_database_url, tmp_path / "data", "--players", "50", "--videos", "5", "--votes", "100")
    votes, ranked = _check_counters(fresh_database_url)
    assert votes == 2600
    _check_left_vacuumed(fresh_database_url)
    # The command runs its own event loop, so this test is synchronous and serves in a loop of its own.
    settings = Settings(
        data_dir=tmp_path / "data",
        database=DatabaseSettings(url=fresh_database_url),
        voting=VotingSettings(public_cache_ttl_seconds=0),
    )
    asyncio.run(_check_served(settings, ranked))


def _check_left_vacuumed(database_url: str) -> None:
    """On PostgreSQL the demo vacuums its tables itself, so autovacuum does not start on them later."""
    engine = create_sync_db_engine(database_url)
    try:
        if engine.dialect.name != "postgresql":
            return
        with engine.connect() as conn:
            vacuumed = conn.exec_driver_sql(
                "SELECT relname FROM pg_stat_user_tables WHERE last_vacuum IS NOT NULL AND last_analyze IS NOT NULL"
            )
            assert {"users", "videos", "votes"} <= set(vacuumed.scalars())
    finally:
        engine.dispose()


async def _check_served(settings: Settings, ranked: int) -> None:
    async with app_client(settings) as (_, client):
        ranking = await client.get("/api/public/rankings", params={"city": "bogota", "limit": 100})
        assert ranking.status_code == 200 and all(entry["city"] == "Bogotá" for entry in ranking.json())
        top = await client.get("/api/public/rankings")
        assert int(top.headers["X-Total-Count"]) == ranked
        votes_seen = [entry["votes"] for entry in top.json()]
        assert votes_seen == sorted(votes_seen, reverse=True)
        assert len((await client.get("/api/public/videos?limit=100")).json()) == 45
        login = await client.post(
            "/api/auth/login", json={"email": _some_demo_email(settings.database.url), "password": DEMO_PASSWORD}
        )
        assert login.status_code == 200


def _some_demo_email(database_url: str) -> str:
    engine = create_sync_db_engine(database_url)
    try:
        with Session(engine) as db:
            return str(db.scalar(select(User.email).limit(1)))
    finally:
        engine.dispose()


def test_too_many_votes_are_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    result = CliRunner().invoke(
        demo, ["--players", "3", "--videos", "2", "--votes", "7"], env={"ANB_DATABASE__URL": url}
    )
    assert result.exit_code != 0
    assert "do not fit" in result.output


def test_long_tail_adds_up_and_respects_the_cap() -> None:
    counts = long_tail(10_000, 50, 400, random.Random(1))
    assert sum(counts) == 10_000 and max(counts) <= 400
    assert max(counts) >= 2 * 10_000 / 50  # long-tailed: the top video gets at least twice the mean
    assert long_tail(0, 3, 5, random.Random(1)) == [0, 0, 0]
