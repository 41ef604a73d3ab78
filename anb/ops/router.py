from __future__ import annotations

import asyncio

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from sqlalchemy import func, select, text
from starlette.concurrency import run_in_threadpool

from anb.db.base import utcnow
from anb.deps import StateDep
from anb.observability.metrics import render
from anb.state import AppState
from anb.videos.models import Video, VideoStatus

router = APIRouter(tags=["operations"])

_CHECK_TIMEOUT_SECONDS = 3.0


@router.get("/api/health", summary="Liveness: answers without touching any dependency")
@router.get("/health", include_in_schema=False)
async def health() -> dict[str, str]:
    return {"status": "healthy"}


async def _database(state: AppState) -> None:
    async with state.engine.connect() as conn:
        await conn.execute(text("SELECT 1"))


@router.get(
    "/api/ready",
    summary="Readiness: database, storage and queue answer",
    responses={503: {"description": "A dependency does not answer; `failing` names it"}},
)
async def ready(state: StateDep) -> JSONResponse:
    checks = {"database": _database(state), **{name: check() for name, check in state.readiness_checks.items()}}
    failing = []
    for name, check in checks.items():
        try:
            await asyncio.wait_for(check, _CHECK_TIMEOUT_SECONDS)
        except Exception:  # any failure means "not ready"; the name is what operators need
            failing.append(name)
    if failing:
        return JSONResponse(
            {
                "status": "unavailable",
                "detail": f"No disponible: {', '.join(failing)}.",
                "code": "not_ready",
                "failing": failing,
            },
            503,
        )
    return JSONResponse({"status": "ready", "checks": list(checks)})


async def _job_gauges(state: AppState) -> dict[str, float]:
    now = utcnow()
    async with state.sessions() as db:
        row = (
            await db.execute(
                select(
                    func.count().filter(Video.status == VideoStatus.UPLOADED),
                    func.count().filter(Video.status == VideoStatus.PROCESSING),
                    func.min(Video.queued_at).filter(Video.status == VideoStatus.UPLOADED),
                )
            )
        ).one()
    oldest = (now - row[2]).total_seconds() if row[2] is not None else 0.0
    gauges = {
        "anb_jobs_pending": float(row[0]),
        "anb_jobs_processing": float(row[1]),
        "anb_jobs_oldest_pending_age_seconds": max(0.0, oldest),
    }
    dead = await run_in_threadpool(state.jobs.dead_letter_count)
    if dead is not None:
        gauges["anb_jobs_dead_letters"] = float(dead)
    return gauges


@router.get("/metrics", include_in_schema=False)
async def metrics(state: StateDep) -> Response:
    body, content_type = render(await _job_gauges(state))
    return Response(body, media_type=content_type)
