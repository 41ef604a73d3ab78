"""``create_app(settings)``: the HTTP application of every API role."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from anb import __version__
from anb.accounts.router import router as accounts_router
from anb.body_limit import BodyLimit
from anb.config import Settings
from anb.contest.router import router as contest_router
from anb.errors import install_error_handlers
from anb.fans.router import router as fans_router
from anb.files.router import router as files_router
from anb.integrity.router import router as admin_router
from anb.observability.logs import configure_logging
from anb.observability.middleware import RequestObservability
from anb.observability.tracing import configure_tracing, shutdown_tracing
from anb.openapi import install_openapi
from anb.ops.router import router as ops_router
from anb.security_headers import SecurityHeaders
from anb.showcase.router import router as showcase_router
from anb.storage.factory import direct_upload_origins
from anb.storage.temp_sweeper import sweep_temp_files_forever
from anb.videos.direct_router import router as direct_uploads_router
from anb.videos.router import router as videos_router
from anb.videos.tus import router as tus_router
from anb.voting.bench_router import router as bench_router
from anb.voting.router import router as voting_router
from anb.web.router import router as web_router
from anb.web.share import router as share_router
from anb.wiring import build_state

DESCRIPTION = (
    "Plataforma ANB Rising Stars Showcase: los jugadores suben videos de sus habilidades, "
    "el público vota y los mejores de cada ciudad llegan al torneo."
)


def create_app(settings: Settings) -> FastAPI:
    configure_logging(settings.log_level)
    configure_tracing(settings, "anb-api")
    state = build_state(settings)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        sweeper = None
        if settings.role in ("all", "core"):  # the roles that receive uploads
            jobs = settings.jobs
            sweeper = asyncio.create_task(
                sweep_temp_files_forever(state.storage, jobs.temp_file_max_idle_seconds, jobs.sweep_interval_seconds)
            )
        yield
        if sweeper is not None:
            sweeper.cancel()
            with suppress(asyncio.CancelledError):
                await sweeper
        await state.close()
        shutdown_tracing()

    app = FastAPI(
        title="ANB Rising Stars Showcase",
        version=__version__,
        description=DESCRIPTION,
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=lifespan,
        # FastAPI's own telemetry would add a second request span carrying the raw path and query
        # (video ids, signed-URL expiries) and continuing any client's traceparent; the request
        # middleware owns the request span (route template only) and Prometheus the metrics.
        telemetry={"tracing": False, "metrics": False, "logs": False, "operation_spans": False},
    )
    app.state.anb = state
    # Outermost last: refusals of oversized bodies still carry CORS and security headers.
    app.add_middleware(BodyLimit)
    if settings.http.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.http.cors_origins,
            allow_methods=["GET", "POST", "DELETE", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
            expose_headers=["X-Total-Count", "X-Request-ID", "Location", "Retry-After"],
            max_age=600,
        )
    app.add_middleware(SecurityHeaders, upload_origins=direct_upload_origins(settings.storage))
    app.add_middleware(RequestObservability)
    install_error_handlers(app)
    install_openapi(app)
    # FastAPI tries the routes in the order they were included, one by one, on every request: the
    # busiest (public lists and votes) first, beside the benchmark's floor so that it pays what
    # they pay.
    if settings.bench_routes:
        app.include_router(bench_router)
    if settings.role in ("all", "core"):
        app.include_router(voting_router)
        app.include_router(videos_router)
    app.include_router(ops_router)
    if settings.role in ("all", "auth"):
        app.include_router(accounts_router, prefix="/api/auth")
        app.include_router(accounts_router, prefix="/auth/api/v1")
        app.include_router(fans_router, prefix="/api/auth")
        app.include_router(fans_router, prefix="/auth/api/v1")
    if settings.role in ("all", "core"):
        app.include_router(direct_uploads_router)
        app.include_router(tus_router)
        app.include_router(files_router)
        app.include_router(admin_router)
        app.include_router(showcase_router)
        app.include_router(contest_router)
        # Last: the API routes keep priority over the UI's.
        app.include_router(share_router)
        app.include_router(web_router)
    return app
