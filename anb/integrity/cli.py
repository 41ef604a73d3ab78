"""``anb votes check|scan``: the ledger's consistency check and one scan, for operators and cron."""

from __future__ import annotations

import asyncio
import sys

import click

from anb.cli_support import load_settings
from anb.config import Settings
from anb.db.engine import create_async_db_engine, session_factory
from anb.integrity.runner import run_scan
from anb.voting.ledger import CounterDifference, counter_differences


@click.group()
def votes() -> None:
    """Check the vote counters against the ledger, scan recent votes for fraud."""


async def _differences(settings: Settings) -> list[CounterDifference]:
    engine = create_async_db_engine(settings.resolved_database_url, null_pool=True)
    try:
        async with session_factory(engine)() as db:
            return list(await counter_differences(db))
    finally:
        await engine.dispose()


@votes.command()
def check() -> None:
    """Recompute every counter from the counted votes; exit 1 listing any difference."""
    differences = asyncio.run(_differences(load_settings()))
    for difference in differences:
        click.echo(
            f"{difference.table} {difference.id}: counter {difference.stored}, ledger {difference.from_ledger}",
            err=True,
        )
    if differences:
        click.echo(f"votes check: {len(differences)} counters differ from the ledger", err=True)
        sys.exit(1)
    click.echo("votes check: every counter matches the ledger")


@votes.command()
def scan() -> None:
    """Run the fraud scan once: flag suspicious votes and hold them for review."""
    result = run_scan(load_settings())
    click.echo(
        f"votes scan: {result.scanned} votes scanned ({result.examined} examined one by one),"
        f" {result.flags} flags raised or grown, {result.held} votes held"
    )
