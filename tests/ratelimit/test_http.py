"""An exceeded limit answers 429 with the error body and Retry-After; limits read from settings text."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from pydantic import ValidationError

from anb.config import RateLimitRule, Settings
from anb.errors import install_error_handlers
from anb.ratelimit import MemoryRateLimiter, build_rate_limiter, enforce
from tests.ratelimit.conftest import Every


async def test_rate_limited_renders_429_with_retry_after() -> None:
    app = FastAPI()
    install_error_handlers(app)
    limiter = MemoryRateLimiter()

    @app.get("/limited")
    async def limited() -> dict[str, str]:
        await enforce(limiter, ("k", Every(1, 90)))
        return {"status": "ok"}

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        assert (await client.get("/limited")).status_code == 200
        refused = await client.get("/limited")
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "90"
    assert refused.json() == {"detail": "Demasiadas solicitudes. Inténtalo de nuevo en 90 s.", "code": "rate_limited"}


@pytest.mark.parametrize(
    ("text", "requests", "period"),
    [("120/minute", 120, 60), ("10/30s", 10, 30), ("5/second", 5, 1), (" 3 / 2h ", 3, 7200), ("1/day", 1, 86400)],
)
def test_rules_read_from_text(text: str, requests: int, period: float) -> None:
    rule = RateLimitRule.model_validate(text)
    assert (rule.requests, rule.period_seconds) == (requests, period)


@pytest.mark.parametrize("text", ["", "10", "0/minute", "ten/minute", "10/fortnight", "-1/s"])
def test_bad_rules_are_refused(text: str) -> None:
    with pytest.raises(ValidationError):
        RateLimitRule.model_validate(text)


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANB_RATE_LIMIT__VOTE_PER_USER", "7/10s")
    monkeypatch.setenv("ANB_RATE_LIMIT__BACKEND", "redis")
    monkeypatch.setenv("ANB_REDIS_URL", "redis://127.0.0.1:6379/0")
    limits = Settings().rate_limit
    assert limits.backend == "redis"
    assert (limits.vote_per_user.requests, limits.vote_per_user.period_seconds) == (7, 10)


def test_redis_backend_needs_a_url() -> None:
    with pytest.raises(ValidationError, match="ANB_REDIS_URL"):
        Settings(rate_limit={"backend": "redis"})  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="ANB_REDIS_URL"):
        build_rate_limiter("redis", None, Path("data"))
