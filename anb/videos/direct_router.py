"""Resumable direct uploads (docs/videos.md): a JSON API for both storages, and on local disk the tus
1.0 endpoint (``anb/videos/tus.py``) that receives the bytes."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, Field

from anb.deps import CurrentUserId, SessionDep, StateDep, UnitOfWorkDep
from anb.errors import AppError, error_responses
from anb.observability.context import correlation_id
from anb.observability.metrics import UPLOADS
from anb.state import AppState
from anb.videos.direct_uploads import DirectUploads, Ticket, TicketSigner
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


async def _state(uploads: DirectUploads, token: str, ticket: Ticket, state: AppState) -> UploadStateOut:
    common: dict[str, Any] = {"upload_id": token, "video_id": ticket.video_id, "size": ticket.size}
    if uploads.on_s3:
        stored = await uploads.stored_parts(ticket)
        return UploadStateOut(
            **common,
            protocol="s3",
            received=sum(part.size for part in stored),
            expires_at=datetime.fromtimestamp(ticket.expires_at, UTC),
            part_size=ticket.part_size,
            parts=[PartOut(**part) for part in uploads.part_urls(ticket)],
            uploaded_parts=[PartOut(number=part.number, size=part.size) for part in stored],
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
    return await _state(uploads, uploads.signer.sign(ticket), ticket, state)


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
) -> UploadOut:
    ticket = uploads.ticket(user_id, token)
    try:
        video = await uploads.complete(ticket, correlation_id.get())
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
