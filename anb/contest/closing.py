"""Running the close outside a request: the sweepers (each sweep) and ``anb contest close``.

The close is a unit of work of its own (anb/db/unit_of_work.py): it reads the ledger and writes the
frozen result in one transaction. Two sweepers closing at once cannot both publish: the result's
primary key lets one insert win, and the other's commit fails and is logged.
"""

from __future__ import annotations

import asyncio
import logging

from anb.config import Settings
from anb.contest import service
from anb.contest.models import ContestResultRow
from anb.db.base import utcnow
from anb.db.unit_of_work import unit_on_own_engine

log = logging.getLogger(__name__)


async def _close(settings: Settings) -> tuple[ContestResultRow, bool]:
    async with unit_on_own_engine(settings.resolved_database_url) as unit:
        result, closed_now = await service.close(
            unit.session, settings.secret_key.get_secret_value(), settings.contest.close_grace_seconds, utcnow()
        )
        unit.session.expunge(result)
        return result, closed_now


def run_close(settings: Settings) -> tuple[ContestResultRow, bool]:
    return asyncio.run(_close(settings))


def close_from_sweeper(settings: Settings) -> None:
    """Close once the window (and its grace) has passed; never stop the sweeper."""
    try:
        result, closed_now = run_close(settings)
    except service.NotYetClosable:
        return
    except Exception as exc:
        log.warning("contest close failed: %r", exc)
        return
    if closed_now:
        log.info("contest closed: %d votes, head %s", result.vote_count, result.head_digest)
