"""The ``anb`` command: one subcommand per process role."""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType

import click
import uvicorn

from anb.accounts.keys import generate_pem, key_pair_from_pem, public_pem
from anb.cli_support import load_settings
from anb.config import Settings
from anb.db.migrate import upgrade
from anb.jobs.pool import WorkerPool
from anb.media.cli import process
from anb.observability import multiprocess
from anb.videos.jobs_cli import jobs, worker
from anb.voting.cli import demo


@click.group()
def main() -> None:
    """ANB Rising Stars Showcase."""


@main.command()
def migrate() -> None:
    """Apply the database schema migrations."""
    settings = load_settings()
    upgrade(settings.resolved_database_url)
    click.echo("migrations applied")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", type=int, default=None, help="HTTP server processes (default ANB_HTTP_WORKERS).")
def serve(host: str, port: int, workers: int | None) -> None:
    """Run the all-in-one service: web UI, both APIs and the processing workers."""
    if not os.environ.get("ANB_PUBLIC_BASE_URL"):
        # Server processes read settings from the environment: give them the address clients use.
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104 - comparing, not binding
        os.environ["ANB_PUBLIC_BASE_URL"] = f"http://{shown}:{port}"
    settings = load_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.resolved_database_url)
    from anb.state import load_key_pair

    load_key_pair(settings)  # created once here, before the server processes race for it
    multiprocess.prepare(settings.metrics_dir or settings.data_dir / "metrics")
    click.echo(f"ANB Rising Stars Showcase on http://{host}:{port} (data in {settings.data_dir.resolve()})")
    workers_pool = _embedded_workers(settings)
    try:
        _run_http(host, port, workers or settings.http_workers)
    finally:
        if workers_pool is not None:
            workers_pool.stop()


@main.command()
@click.option("--host", default="0.0.0.0", show_default=True)  # noqa: S104 - a container's service port
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", type=int, default=None, help="HTTP server processes (default ANB_HTTP_WORKERS).")
def api(host: str, port: int, workers: int | None) -> None:
    """Run one production HTTP role (ANB_ROLE=auth|core|all): no migrations, no embedded workers."""
    settings = load_settings()
    multiprocess.prepare(settings.metrics_dir or settings.data_dir / "metrics")
    _run_http(host, port, workers or settings.http_workers)


@main.command("keygen")
@click.argument("private_path", type=click.Path(dir_okay=False, writable=True))
@click.argument("public_path", type=click.Path(dir_okay=False, writable=True))
def keygen(private_path: str, public_path: str) -> None:
    """Write a new Ed25519 signing key (mode 0600) and its public key, for ANB_AUTH__SIGNING_KEY / PUBLIC_KEY."""
    pem = generate_pem()
    with os.fdopen(os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle:
        handle.write(pem)
    with open(public_path, "wb") as handle:
        handle.write(public_pem(key_pair_from_pem(pem)))
    click.echo(f"wrote {private_path} (keep secret) and {public_path}")


def _embedded_workers(settings: Settings) -> WorkerPool | None:
    """The processing workers of the all-in-one service, unless jobs go to an external broker."""
    if settings.jobs.backend != "embedded":
        return None
    from anb.media.tools import check_ffmpeg
    from anb.videos.worker import embedded_worker_main

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


main.add_command(worker)
main.add_command(jobs)
main.add_command(demo)
main.add_command(process)


if __name__ == "__main__":
    sys.exit(main())
