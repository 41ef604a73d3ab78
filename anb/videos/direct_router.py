"""Resumable direct uploads (docs/videos.md): a JSON API for both storages, and on local disk the tus
1.0 endpoint (``anb/videos/tus.py``) that receives the bytes."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Response
from pydantic import BaseModel, Field

from anb.deps import CurrentUserId, SessionDep, StateDep, UnitOfWorkDep
from anb.errors import AppError, error_responses
from anb.observability.context import correlation_id
from anb.observability.metrics import UPLOADS
from anb.state import AppState
from anb.storage.s3 import StoredPart
from anb.videos.direct_uploads import MAX_PARTS, DirectUploads, SentPart, Ticket, TicketSigner
from anb.videos.router import _upload_rate_limit, accepted, uploads_open
from anb.videos.schemas import UploadOut
from anb.videos.service import VideoService

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/videos/uploads", tags=["videos"])
TUS_PATH = "/api/videos/tus"


async def direct_uploads(db: SessionDep, state: StateDep) -> DirectUploads:
    settings = state.settings
    signer = TicketSigner(settings.secret_key.get_secret_value().encode())
    return DirectUploads(VideoService(db, state.storage, settings.upload), state.storage, settings.upload, signer)


DirectUploadsDep = Annotated[DirectUploads, Depends(direct_uploads)]


class OpenIn(BaseModel):
    title: str = Field(max_length=16 * 1024)
    size: int = Field(ge=0, description="bytes the file has, as the client read it")
    content_type: str = Field(max_length=100, description="video/mp4, video/quicktime or video/x-m4v")


class PartOut(BaseModel):
    number: int
    size: int
    url: str | None = None
    etag: str | None = Field(default=None, description="S3's ETag of a part it holds (uploaded_parts)")


class UploadStateOut(BaseModel):
    upload_id: str
    video_id: str
    protocol: str  # "s3" (PUT each part to its URL) or "tus" (tus 1.0 at tus_url)
    size: int
    received: int
    expires_at: datetime
    part_size: int | None = None
    parts: list[PartOut] = []
    uploaded_parts: list[PartOut] = []
    tus_url: str | None = None


class CompletedPartIn(BaseModel):
    number: int = Field(ge=1, le=MAX_PARTS)
    etag: str = Field(min_length=1, max_length=200, description="the ETag header of S3's answer to the part's PUT")


class CompleteIn(BaseModel):
    """On S3, every part of the upload with its ETag; on local disk nothing (the server holds the bytes)."""

    parts: list[CompletedPartIn] = Field(default=[], max_length=MAX_PARTS)


async def _state(
    uploads: DirectUploads, token: str, ticket: Ticket, state: AppState, stored: list[StoredPart] | None = None
) -> UploadStateOut:
    """What the upload holds; ``stored`` when the caller knows S3's parts (none, right after the open)."""
    common: dict[str, Any] = {"upload_id": token, "video_id": ticket.video_id, "size": ticket.size}
    if uploads.on_s3:
        if stored is None:
            stored = await uploads.stored_parts(ticket)
        return UploadStateOut(
            **common,
            protocol="s3",
            received=sum(part.size for part in stored),
            expires_at=datetime.fromtimestamp(ticket.expires_at, UTC),
            part_size=ticket.part_size,
            parts=[PartOut(**part) for part in uploads.part_urls(ticket)],
            uploaded_parts=[PartOut(number=part.number, size=part.size, etag=part.etag) for part in stored],
        )
    idle = state.settings.jobs.temp_file_max_idle_seconds
    return UploadStateOut(
        **common,
        protocol="tus",
        received=uploads.tus_offset(ticket),
        expires_at=datetime.fromtimestamp(uploads.tus_expires_at(ticket, idle), UTC),
        tus_url=f"{TUS_PATH}/{token}",
    )


@router.post(
    "",
    status_code=201,
    response_model=UploadStateOut,
    responses=error_responses(400, 401, 429, 503),
    dependencies=[Depends(_upload_rate_limit), Depends(uploads_open)],
)
async def open_upload(
    body: OpenIn, user_id: CurrentUserId, uploads: DirectUploadsDep, state: StateDep
) -> UploadStateOut:
    ticket = await uploads.open(user_id, body.title, body.size, body.content_type)
    return await _state(uploads, uploads.signer.sign(ticket), ticket, state, stored=[])


@router.get("/{token}", response_model=UploadStateOut, responses=error_responses(401, 403, 404, 410))
async def upload_state(
    token: str, user_id: CurrentUserId, uploads: DirectUploadsDep, state: StateDep
) -> UploadStateOut:
    return await _state(uploads, token, uploads.ticket(user_id, token), state)


@router.post(
    "/{token}/complete",
    status_code=201,
    response_model=UploadOut,
    responses=error_responses(400, 401, 403, 404, 410, 503),
)
async def complete_upload(
    token: str,
    response: Response,
    user_id: CurrentUserId,
    unit: UnitOfWorkDep,
    state: StateDep,
    uploads: DirectUploadsDep,
    body: Annotated[CompleteIn | None, Body()] = None,
) -> UploadOut:
    ticket = uploads.ticket(user_id, token)
    try:
        sent = [SentPart(part.number, part.etag) for part in body.parts] if body is not None else []
        video = await uploads.complete(ticket, sent, correlation_id.get())
    except AppError as exc:
        UPLOADS.labels(exc.code).inc()
        log.info("direct upload rejected: %s", exc.code, extra={"outcome": exc.code})
        raise
    accepted(unit, state, uploads.videos, video)
    response.headers["Location"] = f"/api/videos/{video.id}"
    return UploadOut(message="Video subido correctamente. Procesamiento en curso.", task_id=video.id, video_id=video.id)


@router.delete("/{token}", status_code=204, responses=error_responses(401, 403, 404, 410))
async def abort_upload(token: str, user_id: CurrentUserId, uploads: DirectUploadsDep) -> Response:
    await uploads.abort(uploads.ticket(user_id, token))
    return Response(status_code=204)
