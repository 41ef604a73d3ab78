"""``anb demo``: a large demo dataset for trying the public lists and benchmarking them."""

from __future__ import annotations

import asyncio
import time
import uuid

import click

from anb.accounts.passwords import hash_password
from anb.cli_support import load_settings
from anb.db.engine import create_sync_db_engine
from anb.db.migrate import upgrade
from anb.voting.seed import make_plan, write_dataset

DEMO_PASSWORD = "Demo2024anb"  # noqa: S105 - printed for the operator: demo players can log in


@click.command()
@click.option("--players", type=click.IntRange(1), default=1000, show_default=True)
@click.option("--videos", type=click.IntRange(1), default=100, show_default=True, help="Published videos.")
@click.option("--votes", type=click.IntRange(0), default=10_000, show_default=True)
@click.option("--seed", type=int, default=2024, show_default=True, help="Seed of the vote distribution.")
def demo(players: int, videos: int, votes: int, seed: int) -> None:
    """Add demo players, published videos and votes (with consistent counters) to the database."""
    settings = load_settings()
    url = settings.resolved_database_url
    upgrade(url)
    started = time.perf_counter()
    try:
        plan = make_plan(players, videos, votes, seed)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    # One slow hash, shared: hashing 100,000 passwords would take most of an hour.
    password_hash = asyncio.run(hash_password(DEMO_PASSWORD))
    engine = create_sync_db_engine(url)
    try:
        write_dataset(engine, plan, password_hash, tag=uuid.uuid4().hex[:8])
    finally:
        engine.dispose()
    click.echo(
        f"demo: {players} players, {videos} videos, {votes} votes written in {time.perf_counter() - started:.1f} s"
        f" (every demo player's password: {DEMO_PASSWORD})"
    )
