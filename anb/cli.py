"""The ``anb`` command: one subcommand per process role."""

from __future__ import annotations

import sys

import click
import uvicorn
from pydantic import ValidationError

from anb.config import Settings
from anb.db.migrate import upgrade


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        # Invalid or unsafe settings stop the process with pydantic's readable explanation.
        raise click.ClickException(str(exc)) from exc


@click.group()
def main() -> None:
    """ANB Rising Stars Showcase."""


@main.command()
def migrate() -> None:
    """Apply the database schema migrations."""
    settings = _settings()
    upgrade(settings.resolved_database_url)
    click.echo("migrations applied")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", type=int, default=None, help="HTTP server processes (default ANB_HTTP_WORKERS).")
def serve(host: str, port: int, workers: int | None) -> None:
    """Run the all-in-one service: web UI, both APIs and the processing workers."""
    settings = _settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.resolved_database_url)
    from anb.state import load_key_pair

    load_key_pair(settings)  # created once here, before the server processes race for it
    click.echo(f"ANB Rising Stars Showcase on http://{host}:{port} (data in {settings.data_dir.resolve()})")
    uvicorn.run(
        "anb.asgi:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers or settings.http_workers,
        proxy_headers=True,
        timeout_graceful_shutdown=10,
        log_level="info",
    )


if __name__ == "__main__":
    sys.exit(main())
