from __future__ import annotations

import asyncio

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from anb.deps import StateDep
from anb.state import AppState

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
