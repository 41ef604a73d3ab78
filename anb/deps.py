"""Short dependency aliases that keep routes at a few lines."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from anb.access_tokens.tokens import InvalidAccessToken, InvalidToken
from anb.config import Settings
from anb.db.unit_of_work import UnitOfWork
from anb.errors import Unauthorized
from anb.state import AppState


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.anb
    return state


def client_address(request: Request) -> str:
    """The client's IP address; behind a proxy, the one it forwarded (``anb serve`` trusts proxy headers)."""
    return request.client.host if request.client else "unknown"


# Every dependency here is async although none awaits: FastAPI runs sync dependencies in its thread
# pool, a hop per dependency per request (tests/test_dependencies.py). FastAPI also solves each
# dependency's own dependencies again on every use, cached or not, so the ones a hot route uses
# read the request (free) through the helpers above instead of depending on one another
# (docs/voting.md: the vote route's dependency tree was a seventh of its server time).
async def get_state(request: Request) -> AppState:
    return app_state(request)


StateDep = Annotated[AppState, Depends(get_state)]


async def get_settings(state: StateDep) -> Settings:
    return state.settings


SettingsDep = Annotated[Settings, Depends(get_settings)]


async def request_unit(state: StateDep) -> AsyncIterator[UnitOfWork]:
    """The request's unit of work (anb/db/unit_of_work.py): it commits when the route returns and
    rolls back when it raises."""
    async with UnitOfWork(state.sessions) as unit:
        yield unit


# scope="function": the unit ends when the route does, before the response is sent, so a client
# never reads a success whose commit then failed (a failed commit answers like any other error).
UnitOfWorkDep = Annotated[UnitOfWork, Depends(request_unit, scope="function")]


async def request_session(unit: UnitOfWorkDep) -> AsyncSession:
    return unit.session


SessionDep = Annotated[AsyncSession, Depends(request_session)]

_bearer = HTTPBearer(auto_error=False, description="Access token from /api/auth/login")


async def current_user_id(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> uuid.UUID:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthorized()
    try:
        return app_state(request).tokens.verify(credentials.credentials).user_id
    except InvalidToken as exc:
        raise InvalidAccessToken() from exc


CurrentUserId = Annotated[uuid.UUID, Depends(current_user_id)]
