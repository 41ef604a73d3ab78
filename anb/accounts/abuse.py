"""Abuse limits of the accounts routes: signups and logins per client address, and the per-account
lockout after repeated failed logins (see anb/ratelimit/lockout.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from fastapi import Request

from anb.accounts.exceptions import InvalidCredentials
from anb.accounts.normalize import normalize_email
from anb.deps import app_state, client_address
from anb.ratelimit import Lockout, LoginLocked, enforce

T = TypeVar("T")


async def signup_rate_limit(request: Request) -> None:
    state, address = app_state(request), client_address(request)
    await enforce(state.rate_limiter, (f"signup:address:{address}", state.settings.rate_limit.signup_per_address))


async def login_rate_limit(request: Request) -> None:
    state, address = app_state(request), client_address(request)
    await enforce(state.rate_limiter, (f"login:address:{address}", state.settings.rate_limit.login_per_address))


async def with_login_lockout(lockout: Lockout, email: str, attempt: Callable[[], Awaitable[T]]) -> T:
    """Run a login ``attempt`` unless the account is locked; count its failure or clear the record.

    A locked account answers 429 without checking the password, so a guess made during the lock
    learns nothing, even when it is right.
    """
    key = f"login:{normalize_email(email)}"
    remaining = await lockout.locked_for(key)
    if remaining > 0:
        raise LoginLocked(remaining)
    try:
        result = await attempt()
    except InvalidCredentials:
        await lockout.failed(key)
        raise
    await lockout.succeeded(key)
    return result
