"""The player's own videos: upload, list, detail, delete (bearer required)."""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from anb.contest_rules.rules_cache import rules_cache
from anb.contest_rules.window import check_upload
from anb.db.base import MAX_POSITION, utcnow
from anb.db.unit_of_work import UnitOfWork
from anb.deps import CurrentUserId, SessionDep, StateDep, UnitOfWorkDep
from anb.errors import AppError, error_responses
from anb.fans.router import players_only
from anb.observability.context import correlation_id
from anb.observability.metrics import UPLOADS
from anb.ratelimit import enforce
from anb.state import AppState
from anb.videos.models import Video, VideoStatus
from anb.videos.schemas import DeletedOut, UploadOut, VideoDetailOut, VideoSummaryOut
from anb.videos.service import VideoService

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api/videos", tags=["videos"])


async def _service(db: SessionDep, state: StateDep) -> VideoService:
    return VideoService(db, state.storage, state.settings.upload)


ServiceDep = Annotated[VideoService, Depends(_service)]


def _url(state: AppState, key: str | None) -> str | None:
    return state.storage.url(key, state.settings.storage.url_ttl_seconds) if key else None


def _summary_fields(state: AppState, video: Video) -> dict[str, Any]:
    published = video.status == VideoStatus.PROCESSED
    return {
        "video_id": video.id,
        "title": video.title,
        "status": video.status,
        "uploaded_at": video.uploaded_at,
        "processed_at": video.processed_at,
        "processed_url": _url(state, video.processed_key) if published else None,
        "poster_url": _url(state, video.poster_key) if published else None,
        "progress": round(video.progress, 3),
        "failure_reason": video.failure_reason,
    }


_UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["video_file", "title"],
                    "properties": {
                        "video_file": {"type": "string", "format": "binary", "description": "MP4, ≤ 100 MB"},
                        "file": {"type": "string", "format": "binary", "description": "alias of video_file"},
                        "title": {"type": "string", "minLength": 1, "maxLength": 255},
                    },
                }
            }
        },
    }
}


async def _upload_rate_limit(user_id: CurrentUserId, state: StateDep) -> None:
    # Counted before a byte is read, so rejected uploads count too: probing with hostile files costs the same.
    await enforce(state.rate_limiter, (f"upload:user:{user_id}", state.settings.rate_limit.upload_per_user))


async def uploads_open(state: StateDep) -> None:
    """The contest's upload deadline, when its rules set one (docs/contest.md); every way of starting
    an upload (multipart, direct, tus) checks it, and one started before the deadline may finish."""
    check_upload(
        await rules_cache(state.engine, state.sessions, state.settings.contest.rules_cache_seconds).get(), utcnow()
    )


@router.post(
    "/upload",
    status_code=201,
    response_model=UploadOut,
    responses=error_responses(400, 401, 403, 429, 503),
    dependencies=[Depends(_upload_rate_limit), Depends(players_only), Depends(uploads_open)],
    openapi_extra=_UPLOAD_BODY,
)
async def upload(
    request: Request,
    response: Response,
    user_id: CurrentUserId,
    unit: UnitOfWorkDep,
    state: StateDep,
    service: ServiceDep,
) -> UploadOut:
    try:
        video = await service.accept_upload(user_id, request, correlation_id.get())
    except ClientDisconnect:
        UPLOADS.labels("client_disconnected").inc()
        log.info("upload abandoned by the client", extra={"outcome": "client_disconnected"})
        raise
    except AppError as exc:
        UPLOADS.labels(exc.code).inc()
        # Outcomes are logged too: CloudWatch counts them from the logs (deploy/terraform/modules/monitoring).
        log.info("upload rejected: %s", exc.code, extra={"outcome": exc.code})
        raise
    accepted(unit, state, service, video)
    response.headers["Location"] = f"/api/videos/{video.id}"
    return UploadOut(message="Video subido correctamente. Procesamiento en curso.", task_id=video.id, video_id=video.id)


def accepted(unit: UnitOfWork, state: AppState, service: VideoService, video: Video) -> None:
    """Once the new video's row is committed, hand its job to the queue; if it is not kept, remove its file."""
    requested_by = correlation_id.get()

    async def hand_off() -> None:
        try:
            await run_in_threadpool(state.jobs.enqueue, video.id, requested_by)
        except Exception:  # the job is durable in the database; the sweeper hands it off again
            log.warning("hand-off of job %s failed; the sweeper will queue it again", video.id, exc_info=True)
        UPLOADS.labels("accepted").inc()
        log.info("upload accepted", extra={"video_id": str(video.id), "outcome": "accepted"})

    unit.after_commit(hand_off)
    unit.after_rollback(lambda: service.discard_files(video.id))


@router.get("", response_model=list[VideoSummaryOut], responses=error_responses(400, 401))
@router.get("/", response_model=list[VideoSummaryOut], include_in_schema=False)
async def list_videos(
    user_id: CurrentUserId,
    state: StateDep,
    service: ServiceDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_POSITION)] = 0,
) -> list[VideoSummaryOut]:
    videos = await service.list_own(user_id, limit, offset)
    return [VideoSummaryOut(**_summary_fields(state, video)) for video in videos]


@router.get("/{video_id}", response_model=VideoDetailOut, responses=error_responses(401, 403, 404))
async def video_detail(video_id: str, user_id: CurrentUserId, state: StateDep, service: ServiceDep) -> VideoDetailOut:
    video = await service.owned(user_id, video_id)
    return VideoDetailOut(
        **_summary_fields(state, video),
        original_url=_url(state, video.original_key),
        votes=video.vote_count,
    )


@router.delete("/{video_id}", response_model=DeletedOut, responses=error_responses(400, 401, 403, 404))
async def delete_video(video_id: str, user_id: CurrentUserId, unit: UnitOfWorkDep, service: ServiceDep) -> DeletedOut:
    video = await service.owned(user_id, video_id)
    await service.delete(video)
    unit.after_commit(lambda: service.discard_files(video.id))
    return DeletedOut(message="El video ha sido eliminado exitosamente.", video_id=video.id)
