"""Short dependency aliases that keep routes at a few lines."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.ext.asyncio import AsyncSession

from anb.accounts.exceptions import InvalidAccessToken
from anb.accounts.tokens import InvalidToken
from anb.config import Settings
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


async def get_db(state: StateDep) -> AsyncIterator[AsyncSession]:
    # Closing rolls back whatever the route did not commit.
    async with state.sessions() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(get_db)]

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
