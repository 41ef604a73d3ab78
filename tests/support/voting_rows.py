"""Players and published videos made directly in the database (publishing is the worker's job)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from fastapi import FastAPI
from sqlalchemy import update

from anb.accounts.models import User
from anb.accounts.normalize import city_key
from anb.db.base import utcnow
from anb.videos import file_layout
from anb.videos.models import Video, VideoStatus
from tests.support.accounts import bearer


def unique_city(base: str = "Bogotá") -> str:
    """A city no other test uses (the session's database is shared), still spelled with accents."""
    return f"{base} {uuid.uuid4().hex[:8]}"


@dataclass
class Player:
    id: uuid.UUID
    token: str
    username: str
    city: str

    @property
    def headers(self) -> dict[str, str]:
        return bearer(self.token)


async def make_player(
    app: FastAPI, first: str = "Ana", last: str = "Pérez", city: str = "Bogotá", created_at: datetime | None = None
) -> Player:
    state = app.state.anb
    user = User(
        email=f"{uuid.uuid4().hex}@example.com",
        password_hash="unused",
        first_name=first,
        last_name=last,
        city=city,
        city_key=city_key(city),
        country="Colombia",
        created_at=created_at or utcnow(),
    )
    async with state.sessions() as db:
        db.add(user)
        await db.commit()
    return Player(user.id, state.tokens.issue(user.id), f"{first} {last}", city)


async def make_video(
    app: FastAPI,
    owner: Player,
    title: str = "Triple sobre la bocina",
    status: VideoStatus = VideoStatus.PROCESSED,
    processed_at: datetime | None = None,
) -> str:
    video_id = uuid.uuid4()
    published = status == VideoStatus.PROCESSED
    video = Video(
        id=video_id,
        owner_id=owner.id,
        title=title,
        status=status,
        original_key=file_layout.original_key(video_id),
        processed_key=file_layout.processed_key(video_id) if published else None,
        poster_key=file_layout.poster_key(video_id) if published else None,
        size_bytes=1000,
        duration_seconds=21.0,
        width=1920,
        height=1080,
        processed_at=(processed_at or utcnow()) if published else None,
    )
    async with app.state.anb.sessions() as db:
        db.add(video)
        await db.commit()
    return str(video_id)


async def set_player_votes(app: FastAPI, player: Player, votes: int) -> None:
    """Sets the maintained total directly: ranking-order tests need counts, not thousands of votes."""
    async with app.state.anb.sessions() as db:
        await db.execute(update(User).where(User.id == player.id).values(vote_count=votes))
        await db.commit()


def seconds_ago(seconds: float) -> datetime:
    return utcnow() - timedelta(seconds=seconds)
