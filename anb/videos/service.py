"""Player-video use cases. They flush, never commit: the request owns the unit of work."""

from __future__ import annotations

import errno
import logging
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from fastapi import Request
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.concurrency import run_in_threadpool

from anb.config import UploadSettings
from anb.errors import ServiceUnavailable
from anb.ffmpeg.probe import ProbeResult
from anb.observability.tracing import current_traceparent
from anb.storage.base import Storage
from anb.storage.errors import StorageError
from anb.videos import file_layout, repository
from anb.videos.exceptions import (
    EmptyFile,
    NotVideoOwner,
    UploadNotFound,
    UploadStorageFull,
    UploadStorageUnavailable,
    VideoAlreadyPublished,
    VideoNotFound,
)
from anb.videos.inspection import inspect_upload
from anb.videos.models import Video, VideoStatus
from anb.videos.title import clean_title
from anb.videos.upload_stream import receive_upload

log = logging.getLogger(__name__)

_NO_SPACE = frozenset({errno.ENOSPC, errno.EDQUOT})


def parse_video_id(raw: str) -> uuid.UUID:
    """Any id that does not name a video is a 404, whatever its shape."""
    try:
        return uuid.UUID(raw)
    except ValueError as exc:
        raise VideoNotFound() from exc


def _storage_failure(exc: OSError | StorageError) -> ServiceUnavailable:
    # Local storage wraps the OSError of a failed save; writing the temp file raises it bare.
    cause = exc if isinstance(exc, OSError) else exc.__cause__
    if isinstance(cause, OSError) and cause.errno in _NO_SPACE:
        return UploadStorageFull()
    return UploadStorageUnavailable()


@contextmanager
def storage_failures_as_503() -> Iterator[None]:
    """A full disk or a failing storage backend is a 503 the player can retry, never a 500."""
    try:
        yield
    except (OSError, StorageError) as exc:
        log.error("upload could not be stored: %s", exc)
        raise _storage_failure(exc) from exc


class VideoService:
    def __init__(self, db: AsyncSession, storage: Storage, limits: UploadSettings) -> None:
        self.db = db
        self.storage = storage
        self.limits = limits

    async def accept_upload(self, owner_id: uuid.UUID, request: Request, correlation_id: str) -> Video:
        """Stream, validate and store an upload, and add its row (pending job included).

        Nothing is left behind when any check fails: the temp file is removed, no row exists and
        no object stays stored.
        """
        with self.storage.temp_file(".upload") as temp:
            with storage_failures_as_503():
                received = await receive_upload(request, temp, self.limits.max_bytes)
            title = clean_title(received.fields.get("title"))
            if received.size == 0:
                raise EmptyFile()
            info = await run_in_threadpool(inspect_upload, temp, self.limits)
            return await self.add_video(uuid.uuid4(), owner_id, title, temp, received.size, info, correlation_id)

    async def add_video(
        self,
        video_id: uuid.UUID,
        owner_id: uuid.UUID,
        title: str,
        path: Path,
        size: int,
        info: ProbeResult,
        correlation_id: str,
    ) -> Video:
        """Store a checked upload's file (``size`` bytes) and add its row (pending job included)."""
        with storage_failures_as_503():
            await run_in_threadpool(self.storage.save_file, file_layout.original_key(video_id), path, "video/mp4")
        return await self.add_stored_video(video_id, owner_id, title, size, info, correlation_id)

    async def add_stored_video(
        self, video_id: uuid.UUID, owner_id: uuid.UUID, title: str, size: int, info: ProbeResult, correlation_id: str
    ) -> Video:
        """Add the row of a checked upload whose original is already stored."""
        assert info.duration is not None  # the inspection refuses a file without one
        video = Video(
            id=video_id,
            owner_id=owner_id,
            title=title,
            status=VideoStatus.UPLOADED,
            size_bytes=size,
            duration_seconds=info.duration,
            width=info.width,
            height=info.height,
            correlation_id=correlation_id,
            trace_parent=current_traceparent(),
            original_key=file_layout.original_key(video_id),
        )
        self.db.add(video)
        try:
            await self.db.flush()
        except BaseException as exc:
            # The id is taken when a direct upload is completed twice (S3 accepts a completion
            # again): the stored files are the first completion's, and stay.
            if isinstance(exc, IntegrityError) and await self._taken(video_id):
                raise UploadNotFound() from exc
            # The database went away after the file was stored: no row will ever point at it.
            await self.discard_files(video.id)
            raise
        return video

    async def _taken(self, video_id: uuid.UUID) -> bool:
        await self.db.rollback()  # the failed flush ended the transaction
        return await repository.get(self.db, video_id) is not None

    async def discard_files(self, video_id: uuid.UUID) -> None:
        await run_in_threadpool(self.storage.delete_prefix, file_layout.video_folder(video_id))

    async def owned(self, owner_id: uuid.UUID, raw_id: str) -> Video:
        video = await repository.get(self.db, parse_video_id(raw_id))
        if video is None:
            raise VideoNotFound()
        if video.owner_id != owner_id:
            raise NotVideoOwner()
        return video

    async def list_own(self, owner_id: uuid.UUID, limit: int, offset: int) -> Sequence[Video]:
        return await repository.list_for_owner(self.db, owner_id, limit, offset)

    async def delete(self, video: Video) -> None:
        """Delete an unpublished video's row; its files go once the deletion is committed."""
        if video.status == VideoStatus.PROCESSED or not await repository.delete_unpublished(self.db, video.id):
            raise VideoAlreadyPublished()
