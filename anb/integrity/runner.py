"""Running one scan from synchronous code: the sweepers (embedded worker, ``anb worker``) and the CLI."""

from __future__ import annotations

import asyncio
import logging
import time

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


class ScanSchedule:
    """The sweepers' scan, at most every ``ANB_INTEGRITY__SCAN_INTERVAL_SECONDS``."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        # The first scan is one interval after the start, not during it (a restart loop would
        # otherwise scan on every start).
        self._last = time.monotonic()

    def run_if_due(self) -> None:
        """A failed scan is logged and tried again when next due: it must never stop job processing."""
        if time.monotonic() - self._last < self._settings.integrity.scan_interval_seconds:
            return
        self._last = time.monotonic()
        try:
            run_scan(self._settings)
        except Exception as exc:
            log.warning("vote scan failed: %r", exc)
