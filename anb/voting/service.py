"""Public gallery, rankings and votes.

The lists are built as final JSON bytes, ready for the per-process ``ResponseCache``. Their loads
open read-only sessions of their own: a background refresh outlives the request that started it.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from anb.response_cache import CachedBody
from anb.storage.base import MAX_URL_TTL_SECONDS, Storage
from anb.videos.exceptions import VideoNotFound
from anb.videos.service import parse_video_id
from anb.voting import repository, vote_store
from anb.voting.exceptions import AlreadyVoted
from anb.voting.params import Window
from anb.voting.repository import AnyRow
from anb.voting.schemas import CITIES, PUBLIC_VIDEOS, RANKING, CityOut, PublicVideoOut, RankingEntryOut


def _video_out(row: AnyRow, storage: Storage, url_ttl_seconds: int) -> PublicVideoOut:
    return PublicVideoOut(
        video_id=row.id,
        title=row.title,
        username=f"{row.first_name} {row.last_name}",
        city=row.city,
        votes=row.vote_count,
        # A published row always has its files; a missing key (a row edited by hand) is null, never a 500.
        processed_url=storage.url(row.processed_key, url_ttl_seconds) if row.processed_key else None,
        poster_url=storage.url(row.poster_key, url_ttl_seconds) if row.poster_key else None,
        uploaded_at=row.uploaded_at,
    )


Sessions = async_sessionmaker[AsyncSession]


def cached_url_ttl(url_ttl_seconds: int, cache_ttl_seconds: int) -> int:
    """URLs minted once per cache fill stay valid a full lifetime after the last answer carrying them."""
    return min(url_ttl_seconds + cache_ttl_seconds, MAX_URL_TTL_SECONDS)


async def gallery(
    sessions: Sessions, storage: Storage, url_ttl_seconds: int, city: str, sort: str, window: Window
) -> CachedBody:
    async with sessions() as db:
        rows = await repository.published_page(db, city, sort, window)
    return CachedBody(PUBLIC_VIDEOS.dump_json([_video_out(row, storage, url_ttl_seconds) for row in rows]))


async def public_video(db: AsyncSession, storage: Storage, url_ttl_seconds: int, raw_id: str) -> PublicVideoOut:
    row = await repository.published_video(db, parse_video_id(raw_id))
    if row is None:
        raise VideoNotFound()
    return _video_out(row, storage, url_ttl_seconds)


async def ranking(sessions: Sessions, city: str, window: Window) -> CachedBody:
    async with sessions() as db:
        rows = await repository.ranking_page(db, city, window)
        total = await repository.ranked_count(db, city)
    entries = [
        RankingEntryOut(
            position=window.offset + index,
            username=f"{row.first_name} {row.last_name}",
            city=row.city,
            votes=row.vote_count,
        )
        for index, row in enumerate(rows, start=1)
    ]
    return CachedBody(RANKING.dump_json(entries), {"X-Total-Count": str(total)})


async def cities(sessions: Sessions) -> CachedBody:
    async with sessions() as db:
        rows = await repository.published_cities(db)
    spellings: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for key, spelling, videos in rows:
        spellings[key][spelling] += videos
    out = [
        # Shown as most of its players write it; ties go to the first spelling in code-point order.
        CityOut(city=min(counts, key=lambda s: (-counts[s], s)), key=key, videos=counts.total())
        for key, counts in sorted(spellings.items())
    ]
    return CachedBody(CITIES.dump_json(out))


async def vote(engine: AsyncEngine, user_id: uuid.UUID, raw_video_id: str) -> None:
    outcome = await vote_store.record_vote(engine, parse_video_id(raw_video_id), user_id)
    if outcome is vote_store.VoteOutcome.NOT_PUBLISHED:
        raise VideoNotFound()
    if outcome is vote_store.VoteOutcome.DUPLICATE:
        raise AlreadyVoted()
