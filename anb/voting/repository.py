"""Queries of the public gallery, the rankings and the cities filter (votes: vote_store.py)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, TypeAlias

from sqlalchemy import Row, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from anb.accounts.models import User
from anb.videos.models import Video, VideoStatus
from anb.voting.models import RANKED, RANKING_ORDER
from anb.voting.params import Window

PUBLISHED = Video.status == VideoStatus.PROCESSED

# Gallery orders; the id makes each order total, so pages never overlap.
GALLERY_ORDERS = {
    "newest": (Video.processed_at.desc(), Video.id.desc()),
    "votes": (Video.vote_count.desc(), Video.processed_at.desc(), Video.id),
}

# Rows of the column lists selected here; the routes read them by attribute name.
AnyRow: TypeAlias = Row[*tuple[Any, ...]]
AnySelect: TypeAlias = Select[*tuple[Any, ...]]


def _published_videos() -> AnySelect:
    return (
        select(
            Video.id,
            Video.title,
            Video.vote_count,
            Video.processed_key,
            Video.poster_key,
            Video.uploaded_at,
            User.first_name,
            User.last_name,
            User.city,
        )
        .join(User, User.id == Video.owner_id)
        .where(PUBLISHED)
    )


async def published_page(db: AsyncSession, city: str, sort: str, window: Window) -> Sequence[AnyRow]:
    query = _published_videos()
    if city:
        query = query.where(User.city_key == city)
    query = query.order_by(*GALLERY_ORDERS[sort]).limit(window.limit).offset(window.offset)
    return (await db.execute(query)).all()


async def published_video(db: AsyncSession, video_id: uuid.UUID) -> AnyRow | None:
    return (await db.execute(_published_videos().where(Video.id == video_id))).first()


def _ranked_players(city: str) -> AnySelect:
    query = select(User.first_name, User.last_name, User.city, User.vote_count).where(RANKED)
    return query.where(User.city_key == city) if city else query


async def ranking_page(db: AsyncSession, city: str, window: Window) -> Sequence[AnyRow]:
    query = _ranked_players(city).order_by(*RANKING_ORDER).limit(window.limit).offset(window.offset)
    return (await db.execute(query)).all()


async def ranked_count(db: AsyncSession, city: str) -> int:
    query = select(func.count()).select_from(User).where(RANKED)
    if city:
        query = query.where(User.city_key == city)
    return int(await db.scalar(query) or 0)


async def published_cities(db: AsyncSession) -> Sequence[AnyRow]:
    """Each spelling of each city with published videos, and its number of published videos."""
    query = (
        select(User.city_key, User.city, func.count())
        .join(Video, Video.owner_id == User.id)
        .where(PUBLISHED)
        .group_by(User.city_key, User.city)
    )
    return (await db.execute(query)).all()
