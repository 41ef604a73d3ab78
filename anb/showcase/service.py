"""The showcase's views, built from the queries in repository.py.

Lists are built as final JSON bytes for the per-process public cache, like the contract's lists
(anb/voting/service.py); details and the caller's votes are read fresh.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from anb.errors import NotFound
from anb.ffmpeg.options import CURTAIN_FRAMES, FPS, MAX_FOOTAGE_SECONDS
from anb.response_cache import CachedBody
from anb.showcase import repository
from anb.showcase.names import display_names, full_name
from anb.showcase.schemas import RANKED_PLAYERS, SHOWCASE_VIDEOS, PlayerOut, RankedPlayerOut, ShowcaseVideoOut
from anb.state import AppState
from anb.videos.exceptions import VideoNotFound
from anb.videos.service import parse_video_id
from anb.voting.params import Window
from anb.voting.repository import AnyRow, ranked_count
from anb.voting.service import cached_url_ttl


class PlayerNotFound(NotFound):
    code = "player_not_found"
    detail = "Jugador no encontrado."


def video_page(video_id: uuid.UUID | str) -> str:
    return f"/videos/{video_id}"


def player_page(player_id: uuid.UUID | str) -> str:
    return f"/players/{player_id}"


def published_seconds(source_seconds: float) -> float:
    """Length of the published video: the footage cut to 30 s between the two curtains (docs/processing.md)."""
    frames = max(1, round(min(source_seconds, MAX_FOOTAGE_SECONDS) * FPS)) + 2 * CURTAIN_FRAMES
    return round(frames / FPS, 2)


def _parse_player_id(raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw)
    except ValueError as exc:
        raise PlayerNotFound() from exc


async def _names(db: AsyncSession, rows: Sequence[AnyRow]) -> dict[uuid.UUID, str]:
    return display_names(await repository.namesakes(db, {(row.first_name, row.last_name) for row in rows}))


def _videos(
    state: AppState, rows: Sequence[AnyRow], names: dict[uuid.UUID, str], url_ttl: int
) -> list[ShowcaseVideoOut]:
    storage = state.storage
    return [
        ShowcaseVideoOut(
            video_id=row.id,
            title=row.title,
            username=full_name(row.first_name, row.last_name),
            player_id=row.player_id,
            player_name=names.get(row.player_id, full_name(row.first_name, row.last_name)),
            city=row.city,
            votes=row.vote_count,
            duration_seconds=published_seconds(row.duration_seconds),
            processed_url=storage.url(row.processed_key, url_ttl) if row.processed_key else None,
            poster_url=storage.url(row.poster_key, url_ttl) if row.poster_key else None,
            uploaded_at=row.uploaded_at,
            published_at=row.processed_at,
            page_url=video_page(row.id),
        )
        for row in rows
    ]


def _cached_url_ttl(state: AppState) -> int:
    settings = state.settings
    return cached_url_ttl(settings.storage.url_ttl_seconds, settings.voting.public_cache_ttl_seconds)


async def gallery(state: AppState, city: str, search: str, sort: str, window: Window) -> CachedBody:
    async with state.sessions() as db:
        rows = await repository.gallery_page(db, city, search, sort, window)
        names = await _names(db, rows)
    return CachedBody(SHOWCASE_VIDEOS.dump_json(_videos(state, rows, names, _cached_url_ttl(state))))


async def video(db: AsyncSession, state: AppState, raw_id: str) -> ShowcaseVideoOut:
    row = await repository.published_video(db, parse_video_id(raw_id))
    if row is None:
        raise VideoNotFound()
    [out] = _videos(state, [row], await _names(db, [row]), state.settings.storage.url_ttl_seconds)
    return out


async def player(db: AsyncSession, state: AppState, raw_id: str) -> PlayerOut:
    player_id = _parse_player_id(raw_id)
    rows = await repository.player_videos(db, player_id)
    user = await repository.player(db, player_id) if rows else None
    if user is None:  # unknown, or without a published video (fans never have one)
        raise PlayerNotFound()
    names = await _names(db, rows)
    return PlayerOut(
        player_id=user.id,
        username=full_name(user.first_name, user.last_name),
        player_name=names[user.id],
        city=user.city,
        votes=user.vote_count,
        city_rank=await repository.city_rank(db, user),
        page_url=player_page(user.id),
        videos=_videos(state, rows, names, state.settings.storage.url_ttl_seconds),
    )


async def ranking(state: AppState, city: str, window: Window) -> CachedBody:
    async with state.sessions() as db:
        rows = await repository.ranking_page(db, city, window)
        total = await ranked_count(db, city)
        names = await _names(db, rows)
    entries = [
        RankedPlayerOut(
            position=window.offset + index,
            player_id=row.id,
            username=full_name(row.first_name, row.last_name),
            player_name=names.get(row.id, full_name(row.first_name, row.last_name)),
            city=row.city,
            votes=row.vote_count,
        )
        for index, row in enumerate(rows, start=1)
    ]
    return CachedBody(RANKED_PLAYERS.dump_json(entries), {"X-Total-Count": str(total)})


async def my_votes(db: AsyncSession, user_id: uuid.UUID) -> list[uuid.UUID]:
    return list(await repository.voted_video_ids(db, user_id))
