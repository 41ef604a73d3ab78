"""The unit of work on the real databases: what commits, what rolls back, and what runs after each."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from anb.accounts.models import User
from anb.app import create_app
from anb.config import Settings
from anb.db.engine import create_async_db_engine, session_factory
from anb.db.unit_of_work import KeepsTheUnit, UnitOfWork
from anb.deps import SessionDep
from anb.errors import BadRequest
from bench.harness.video_rows import new_player


class _KeptError(BadRequest, KeepsTheUnit):
    pass


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_async_db_engine(database_url, pool_size=2)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return session_factory(engine)


async def _exists(sessions: async_sessionmaker[AsyncSession], email: str) -> bool:
    async with sessions() as db:
        return await db.scalar(select(User.id).where(User.email == email)) is not None


class _Journal:
    def __init__(self) -> None:
        self.entries: list[str] = []

    def action(self, name: str):  # type: ignore[no-untyped-def]
        async def record() -> None:
            self.entries.append(name)

        return record


async def test_a_unit_that_ends_well_commits_then_runs_its_after_commit_actions(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    journal, user = _Journal(), new_player()
    async with UnitOfWork(sessions) as unit:
        unit.session.add(user)
        await unit.session.flush()
        unit.after_commit(journal.action("committed"))
        unit.after_rollback(journal.action("rolled back"))
    assert await _exists(sessions, user.email)
    assert journal.entries == ["committed"]


async def test_a_unit_that_raises_rolls_back_and_runs_its_after_rollback_actions(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    journal, user = _Journal(), new_player()
    with pytest.raises(BadRequest):
        async with UnitOfWork(sessions) as unit:
            unit.session.add(user)
            await unit.session.flush()
            unit.after_commit(journal.action("committed"))
            unit.after_rollback(journal.action("rolled back"))
            raise BadRequest()
    assert not await _exists(sessions, user.email)
    assert journal.entries == ["rolled back"]


async def test_an_error_that_keeps_the_unit_commits_and_still_reaches_the_caller(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    user = new_player()
    with pytest.raises(_KeptError):
        async with UnitOfWork(sessions) as unit:
            unit.session.add(user)
            await unit.session.flush()
            raise _KeptError()
    assert await _exists(sessions, user.email)


async def test_a_commit_that_fails_rolls_back_runs_the_rollback_actions_and_raises(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    taken = new_player()
    async with UnitOfWork(sessions) as unit:
        unit.session.add(taken)
    journal = _Journal()
    with pytest.raises(IntegrityError):
        async with UnitOfWork(sessions) as unit:
            # Not flushed: the unique email is only refused by the commit itself.
            unit.session.add(new_player(taken.email))
            unit.after_commit(journal.action("committed"))
            unit.after_rollback(journal.action("rolled back"))
    assert journal.entries == ["rolled back"]


async def test_a_request_whose_commit_fails_never_answers_success(settings: Settings) -> None:
    """The request's unit ends before the response is sent: a refused commit is the response."""
    app = create_app(settings)
    taken = new_player()

    @app.post("/test/players", status_code=201)
    async def addnew_player(db: SessionDep) -> dict[str, str]:
        db.add(new_player(taken.email))  # refused at commit time only: nothing flushes it before
        return {"message": "creado"}

    async with UnitOfWork(app.state.anb.sessions) as unit:
        unit.session.add(taken)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        answer = await http.post("/test/players")
    await app.state.anb.close()
    assert answer.status_code >= 400, answer.text
