"""Databases and voters for the voting benchmark: a seeded dataset, and fresh votes to cast."""

from __future__ import annotations

import random
import subprocess
import sys
import uuid
from pathlib import Path

from sqlalchemy import Engine, func, insert, select

from anb.access_tokens.tokens import access_tokens_from_settings
from anb.accounts.models import User
from anb.config import DatabaseSettings, Settings
from anb.db.base import utcnow
from anb.db.engine import create_sync_db_engine
from anb.videos.models import Video, VideoStatus
from anb.voting.models import Vote

ANB = str(Path(sys.executable).with_name("anb"))


def seed(database_url: str, data_dir: Path, players: int, videos: int, votes: int) -> str:
    """``anb demo`` as an operator runs it; returns its own report (with the time it took)."""
    env = {"ANB_DATABASE__URL": database_url, "ANB_DATA_DIR": str(data_dir), "PATH": str(Path(sys.executable).parent)}
    command = [ANB, "demo", "--players", str(players), "--videos", str(videos), "--votes", str(votes)]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout.strip()


def vote_lines(database_url: str, data_dir: Path, voters: int, videos_each: int) -> list[str]:
    """``voters`` new players, each with ``videos_each`` published videos to vote for: votes never cast yet.

    Votes spread over every published video in a shuffled order, as a gallery's visitors would; the
    worst case of one video taking all votes is a different measure (row contention, not throughput).
    """
    engine = create_sync_db_engine(database_url)
    try:
        voter_ids = _new_voters(engine, voters)
        with engine.connect() as conn:
            video_ids = list(conn.scalars(select(Video.id).where(Video.status == VideoStatus.PROCESSED)))
    finally:
        engine.dispose()
    random.Random(voters).shuffle(video_ids)
    settings = Settings(data_dir=data_dir, database=DatabaseSettings(url=database_url))
    tokens = access_tokens_from_settings(
        settings.auth.model_copy(update={"access_ttl_seconds": 3600}), settings.data_dir
    )
    lines = []
    for n, voter in enumerate(voter_ids):
        token = tokens.issue(voter)
        for k in range(videos_each):
            lines.append(f"/api/public/videos/{video_ids[(n * videos_each + k) % len(video_ids)]}/vote {token}")
    return lines


def _new_voters(engine: Engine, count: int) -> list[uuid.UUID]:
    ids = [uuid.uuid4() for _ in range(count)]
    rows = [
        {
            "id": user_id,
            "email": f"bench-{user_id.hex}@bench.anb.test",
            "password_hash": "unused",
            "first_name": "Votante",
            "last_name": "Bench",
            "city": "Cali",
            "city_key": "cali",
            "country": "Colombia",
            "is_active": True,
            "vote_count": 0,
            "created_at": utcnow(),
        }
        for user_id in ids
    ]
    with engine.begin() as conn:
        conn.execute(insert(User), rows)
    return ids


def vote_rows(database_url: str) -> int:
    engine = create_sync_db_engine(database_url)
    try:
        with engine.connect() as conn:
            return int(conn.scalar(select(func.count()).select_from(Vote)) or 0)
    finally:
        engine.dispose()
