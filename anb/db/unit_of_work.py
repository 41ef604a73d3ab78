"""Where a transaction starts and ends.

A request, a job or a CLI command owns one unit of work: its session commits when the unit ends
well and rolls back when it ends with an error. Services and repositories only flush. What must
happen once the outcome is known (hand a job to the queue, remove the files of an upload whose row
was not kept) is registered on the unit and runs after its commit or its rollback.

The units that commit on their own, outside any unit of work, each for a reason:

- **A vote** (``anb/voting/vote_store.py``): written with the votes that arrive beside it, one
  statement in autocommit per group on PostgreSQL (``anb/db/group_commit.py``), one short
  transaction on SQLite (the writer thread's, ``anb/db/sqlite_writer.py``), so the counters' row
  locks last no longer than the statement.
- **Job-lease transitions** (``anb/processing/leases.py``): claim, renew, publish, fail, release;
  each a conditional UPDATE in its own short transaction, since a worker holds no session across a
  minute-long encode.
- **A replayed refresh token's revocation** (``anb/accounts/service.py``): the revocation of the
  token's family must survive the 401 that follows, so that error is a ``KeepsTheUnit`` and the
  request's unit commits before the error reaches the client.
- **The contest's close** (``anb/contest/closing.py``): run by the sweepers and ``anb contest
  close``, outside any request; one unit of its own reads the ledger and writes the frozen result.
- **Loads of the public lists' cache** (``anb/voting/service.py``): read-only sessions that may run
  after the request that started them has ended (background refresh); nothing to commit.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from anb.db.engine import create_async_db_engine, session_factory

log = logging.getLogger(__name__)

Action = Callable[[], Awaitable[None]]


class KeepsTheUnit(Exception):
    """Mixed into an error that ends a unit whose changes must stay: the unit commits, then the error
    goes on to the client."""


class UnitOfWork:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.session = sessions()
        self._after_commit: list[Action] = []
        self._after_rollback: list[Action] = []

    def after_commit(self, action: Action) -> None:
        """Run ``action`` once the unit's changes are committed (not if they are rolled back)."""
        self._after_commit.append(action)

    def after_rollback(self, action: Action) -> None:
        """Run ``action`` if the unit's changes are rolled back, its commit failing included."""
        self._after_rollback.append(action)

    async def __aenter__(self) -> UnitOfWork:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, error: BaseException | None, _tb: TracebackType | None
    ) -> None:
        try:
            if error is None or isinstance(error, KeepsTheUnit):
                await self._commit()
            else:
                await self._roll_back()
        finally:
            await self.session.close()

    async def _commit(self) -> None:
        try:
            await self.session.commit()
        except BaseException:
            await self._roll_back()
            raise
        for action in self._after_commit:
            await action()

    async def _roll_back(self) -> None:
        try:
            await self.session.rollback()
        finally:
            for action in self._after_rollback:
                await action()


@asynccontextmanager
async def unit_on_own_engine(database_url: str) -> AsyncIterator[UnitOfWork]:
    """A unit of work on an engine of its own (no pool): a command's or a sweep's single transaction."""
    engine = create_async_db_engine(database_url, null_pool=True)
    try:
        async with UnitOfWork(session_factory(engine)) as unit:
            yield unit
    finally:
        await engine.dispose()
