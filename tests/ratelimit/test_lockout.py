"""The exponential lockout on both backends, and its arithmetic."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest

from anb.config import LoginLockoutRule
from anb.ratelimit import Lockout, MemoryLockout, RedisLockout, lock_seconds
from tests.ratelimit.conftest import REDIS_URL
from tests.support.services import require

RULE = LoginLockoutRule(free_failures=3, base_seconds=30, max_seconds=900, forget_after_seconds=3600)


@pytest.mark.parametrize(("failures", "seconds"), [(0, 0), (2, 0), (3, 30), (4, 60), (5, 120), (8, 900), (10_000, 900)])
def test_lock_doubles_after_the_free_failures_up_to_the_cap(failures: int, seconds: float) -> None:
    assert lock_seconds(failures, RULE) == seconds


@pytest.fixture(params=["memory", "redis"])
async def lockout(request: pytest.FixtureRequest) -> AsyncIterator[Lockout]:
    if request.param == "memory":
        backend: Lockout = MemoryLockout(RULE)
    else:
        require("Redis", "127.0.0.1", 6379)
        backend = RedisLockout(REDIS_URL, RULE, prefix=f"anb-test:{uuid.uuid4().hex}:")
    yield backend
    await backend.close()


async def test_failures_lock_and_success_clears(lockout: Lockout) -> None:
    for _ in range(2):
        await lockout.failed("login:ana@example.com")
    assert await lockout.locked_for("login:ana@example.com") == 0
    await lockout.failed("login:ana@example.com")
    assert 0 < await lockout.locked_for("login:ana@example.com") <= 30
    assert await lockout.locked_for("login:other@example.com") == 0
    await lockout.succeeded("login:ana@example.com")
    assert await lockout.locked_for("login:ana@example.com") == 0
    await lockout.failed("login:ana@example.com")
    assert await lockout.locked_for("login:ana@example.com") == 0


async def test_failures_are_forgotten_after_a_quiet_period() -> None:
    now = [0.0]
    lockout = MemoryLockout(RULE, clock=lambda: now[0])
    for _ in range(2):
        await lockout.failed("k")
    now[0] += 3601
    await lockout.failed("k")
    assert await lockout.locked_for("k") == 0
