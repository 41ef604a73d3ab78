"""Short dependency aliases that keep routes at a few lines."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any

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


def _verified_user_id(request: Request, token: str | None) -> uuid.UUID:
    if not token:
        raise Unauthorized()
    try:
        return app_state(request).tokens.verify(token).user_id
    except InvalidToken as exc:
        raise InvalidAccessToken() from exc


async def current_user_id(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> uuid.UUID:
    bearer = credentials is not None and credentials.scheme.lower() == "bearer"
    return _verified_user_id(request, credentials.credentials if bearer and credentials else None)


def bearer_user_id(request: Request) -> uuid.UUID:
    """``current_user_id`` read straight from the request, for a route too hot to pay for FastAPI
    solving a dependency tree (it declares the bearer scheme in its OpenAPI entry itself:
    ``BEARER_SECURITY``)."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return _verified_user_id(request, token.strip() if scheme.lower() == "bearer" else None)


# The bearer scheme's entry in a route's OpenAPI, for routes that read it with bearer_user_id.
BEARER_SECURITY: dict[str, Any] = {"security": [{"HTTPBearer": []}]}


CurrentUserId = Annotated[uuid.UUID, Depends(current_user_id)]
