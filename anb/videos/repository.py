"""Queries on videos. Never commits: the request or the task owns the transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from anb.videos.models import Video, VideoStatus


async def get(db: AsyncSession, video_id: uuid.UUID) -> Video | None:
    return await db.get(Video, video_id)


async def list_for_owner(db: AsyncSession, owner_id: uuid.UUID, limit: int, offset: int) -> Sequence[Video]:
    query = (
        select(Video)
        .where(Video.owner_id == owner_id)
        .order_by(Video.uploaded_at.desc(), Video.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return (await db.scalars(query)).all()


async def delete_unpublished(db: AsyncSession, video_id: uuid.UUID) -> bool:
    """Delete unless a worker published it meanwhile; conditional, so it never races a publish."""
    result = await db.execute(delete(Video).where(Video.id == video_id, Video.status != VideoStatus.PROCESSED))
    return bool(result.rowcount)  # type: ignore[attr-defined]
