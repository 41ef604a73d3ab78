"""The commands of the HTTP roles: ``anb migrate``, ``anb serve`` (all-in-one) and ``anb api``."""

from __future__ import annotations

import os
import signal
from types import FrameType

import click

from anb.cli_support import load_settings
from anb.config import Settings
from anb.db.migrate import upgrade
from anb.jobs.pool import WorkerPool
from anb.observability import multiprocess


@click.command()
def migrate() -> None:
    """Apply the database schema migrations."""
    settings = load_settings()
    upgrade(settings.resolved_database_url)
    click.echo("migrations applied")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", type=int, default=None, help="HTTP server processes (default ANB_HTTP__WORKERS).")
def serve(host: str, port: int, workers: int | None) -> None:
    """Run the all-in-one service: web UI, both APIs and the processing workers."""
    if not os.environ.get("ANB_HTTP__PUBLIC_BASE_URL"):
        # Server processes read settings from the environment: give them the address clients use.
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104 - comparing, not binding
        os.environ["ANB_HTTP__PUBLIC_BASE_URL"] = f"http://{shown}:{port}"
    settings = load_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.resolved_database_url)
    from anb.access_tokens.signing_keys import key_pair_from_settings

    # Created once here, before the server processes race for it.
    key_pair_from_settings(settings.auth, settings.data_dir)
    multiprocess.prepare(settings.metrics_dir)
    click.echo(f"ANB Rising Stars Showcase on http://{host}:{port} (data in {settings.data_dir.resolve()})")
    workers_pool = _embedded_workers(settings)
    try:
        _run_http(host, port, workers or settings.http.workers)
    finally:
        if workers_pool is not None:
            workers_pool.stop()


@click.command()
@click.option("--host", default="0.0.0.0", show_default=True)  # noqa: S104 - a container's service port
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", type=int, default=None, help="HTTP server processes (default ANB_HTTP__WORKERS).")
def api(host: str, port: int, workers: int | None) -> None:
    """Run one production HTTP role (ANB_ROLE=auth|core|all): no migrations, no embedded workers."""
    settings = load_settings()
    multiprocess.prepare(settings.metrics_dir)
    _run_http(host, port, workers or settings.http.workers)


def _embedded_workers(settings: Settings) -> WorkerPool | None:
    """The processing workers of the all-in-one service, unless jobs go to an external broker."""
    if settings.jobs.backend != "embedded":
        return None
    from anb.ffmpeg.tools import check_ffmpeg
    from anb.processing.embedded import embedded_worker_main

    check_ffmpeg()
    pool = WorkerPool(settings.jobs.concurrency, embedded_worker_main)
    pool.start()
    return pool


def _exit_cleanly(_signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(0)


def _run_http(host: str, port: int, workers: int) -> None:
    # A single in-process server re-raises SIGTERM after its graceful shutdown; turning it into
    # SystemExit lets ``serve`` stop its processing workers before exiting.
    signal.signal(signal.SIGTERM, _exit_cleanly)
    import uvicorn

    uvicorn.run(
        "anb.asgi:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        timeout_graceful_shutdown=10,
        # The supervisor kills a server process that does not answer its ping within this time. A
        # process busy importing the app answers nothing, and that took 8 s on a loaded 2 vCPU box:
        # with uvicorn's 5 s default every server process was killed and respawned before it served.
        timeout_worker_healthcheck=60,
        log_config=None,  # the app installs JSON logging in every server process
        access_log=False,
    )
