"""Queries of the showcase: gallery pages with player ids and search, profiles, city rank, own votes.

Every list reads the maintained counters (``videos.vote_count``, ``users.vote_count``) like the
contract's public routes; nothing here groups votes.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from anb.accounts.models import User
from anb.accounts.normalize import folded
from anb.videos.models import Video
from anb.voting.models import RANKED, RANKING_ORDER, Vote
from anb.voting.params import Window
from anb.voting.repository import GALLERY_ORDERS, PUBLISHED, AnyRow, AnySelect

_VIDEO_COLUMNS = (
    Video.id,
    Video.title,
    Video.vote_count,
    Video.processed_key,
    Video.poster_key,
    Video.uploaded_at,
    Video.processed_at,
    Video.duration_seconds,
    User.id.label("player_id"),
    User.first_name,
    User.last_name,
    User.city,
)


def _published() -> AnySelect:
    return select(*_VIDEO_COLUMNS).join(User, User.id == Video.owner_id).where(PUBLISHED)


def _escaped(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _name_matches(search: str) -> list[ColumnElement[bool]]:
    """Every word of ``search`` in the player's name, ignoring case and accents ("perez" and "PÉREZ"
    find "Ana Pérez"): the words are folded here as the names were at signup (``users.name_key``)."""
    return [User.name_key.like(f"%{_escaped(word)}%", escape="\\") for word in folded(search).split()]


async def gallery_page(db: AsyncSession, city: str, search: str, sort: str, window: Window) -> Sequence[AnyRow]:
    query = _published()
    if city:
        query = query.where(User.city_key == city)
    query = query.where(*_name_matches(search))
    query = query.order_by(*GALLERY_ORDERS[sort]).limit(window.limit).offset(window.offset)
    return (await db.execute(query)).all()


async def published_video(db: AsyncSession, video_id: uuid.UUID) -> AnyRow | None:
    return (await db.execute(_published().where(Video.id == video_id))).first()


async def player_videos(db: AsyncSession, player_id: uuid.UUID) -> Sequence[AnyRow]:
    query = _published().where(Video.owner_id == player_id).order_by(*GALLERY_ORDERS["newest"])
    return (await db.execute(query)).all()


async def player(db: AsyncSession, player_id: uuid.UUID) -> User | None:
    return await db.get(User, player_id)


async def city_rank(db: AsyncSession, user: User) -> int | None:
    """The player's position in their city's ranking (the rankings' order), or None without votes."""
    if user.vote_count <= 0:
        return None
    ahead = or_(
        User.vote_count > user.vote_count,
        and_(
            User.vote_count == user.vote_count,
            or_(User.created_at < user.created_at, and_(User.created_at == user.created_at, User.id < user.id)),
        ),
    )
    query = select(func.count()).select_from(User).where(RANKED, User.city_key == user.city_key, ahead)
    return int(await db.scalar(query) or 0) + 1


async def ranking_page(db: AsyncSession, city: str, window: Window) -> Sequence[AnyRow]:
    query = select(User.id, User.first_name, User.last_name, User.city, User.vote_count).where(RANKED)
    if city:
        query = query.where(User.city_key == city)
    return (await db.execute(query.order_by(*RANKING_ORDER).limit(window.limit).offset(window.offset))).all()


async def namesakes(db: AsyncSession, names: Iterable[tuple[str, str]]) -> Sequence[AnyRow]:
    """Every player with a published video who bears one of ``names`` (first, last), oldest account first."""
    wanted = set(names)
    if not wanted:
        return []
    has_published = select(Video.id).where(Video.owner_id == User.id, PUBLISHED).exists()
    query = (
        select(User.id, User.first_name, User.last_name, User.city, User.city_key)
        .where(or_(*(and_(User.first_name == first, User.last_name == last) for first, last in wanted)))
        .where(has_published)
        .order_by(User.created_at, User.id)
    )
    return (await db.execute(query)).all()


async def voted_video_ids(db: AsyncSession, user_id: uuid.UUID) -> Sequence[uuid.UUID]:
    return (await db.scalars(select(Vote.video_id).where(Vote.user_id == user_id).order_by(Vote.created_at))).all()
