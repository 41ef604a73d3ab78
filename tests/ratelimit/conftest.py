from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from anb.ratelimit import MemoryRateLimiter, RateLimiter, RedisRateLimiter
from tests.support.services import require

REDIS_URL = "redis://127.0.0.1:6379/0"


@dataclass(frozen=True)
class Every:
    requests: int
    period_seconds: float


@pytest.fixture(params=["memory", "redis"])
async def limiter(request: pytest.FixtureRequest) -> AsyncIterator[RateLimiter]:
    """Each behaviour holds for both backends."""
    if request.param == "memory":
        backend: RateLimiter = MemoryRateLimiter()
    else:
        require("Redis", "127.0.0.1", 6379)
        backend = RedisRateLimiter(REDIS_URL, prefix=f"anb-test:{uuid.uuid4().hex}:")
    yield backend
    await backend.close()
