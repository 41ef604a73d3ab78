"""Running one scan from synchronous code: the sweepers (embedded worker, ``anb worker``) and the CLI."""

from __future__ import annotations

import asyncio
import logging

from anb.config import Settings
from anb.db.engine import create_async_db_engine, session_factory
from anb.db.unit_of_work import UnitOfWork
from anb.integrity.scan import ScanResult, scan

log = logging.getLogger(__name__)


async def _scan(settings: Settings) -> ScanResult:
    engine = create_async_db_engine(settings.resolved_database_url, null_pool=True)
    try:
        async with UnitOfWork(session_factory(engine)) as unit:
            return await scan(unit.session, settings.integrity)
    finally:
        await engine.dispose()


def run_scan(settings: Settings) -> ScanResult:
    """One scan in a unit of work of its own: its holds and flags commit together."""
    return asyncio.run(_scan(settings))


def scan_from_sweeper(settings: Settings) -> None:
    """A failed scan is logged and retried at the next sweep: it must never stop job processing."""
    try:
        run_scan(settings)
    except Exception as exc:
        log.warning("vote scan failed: %r", exc)
