"""Both backends: a burst of ``requests``, then one per interval; all-or-nothing checks; independent keys."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from anb.ratelimit import MemoryRateLimiter, RateLimiter, RedisRateLimiter, SqliteRateLimiter, SqliteStore
from tests.ratelimit.conftest import Every


async def test_burst_then_refused_with_the_wait(limiter: RateLimiter) -> None:
    rate = Every(3, 60)
    decisions = [await limiter.hit([("k", rate)]) for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert 19 < decisions[-1].retry_after <= 20.5  # one request every 20 s once the burst is spent


async def test_refilled_at_the_rate(limiter: RateLimiter) -> None:
    rate = Every(2, 0.4)  # one request back every 0.2 s
    assert (await limiter.hit([("k", rate)])).allowed
    assert (await limiter.hit([("k", rate)])).allowed
    assert not (await limiter.hit([("k", rate)])).allowed
    await asyncio.sleep(0.25)
    assert (await limiter.hit([("k", rate)])).allowed
    assert not (await limiter.hit([("k", rate)])).allowed


async def test_keys_are_independent(limiter: RateLimiter) -> None:
    rate = Every(1, 60)
    assert (await limiter.hit([("a", rate)])).allowed
    assert not (await limiter.hit([("a", rate)])).allowed
    assert (await limiter.hit([("b", rate)])).allowed


async def test_a_refusal_consumes_no_key(limiter: RateLimiter) -> None:
    tight, loose = Every(1, 60), Every(2, 60)
    assert (await limiter.hit([("user", tight), ("address", loose)])).allowed
    refused = await limiter.hit([("user", tight), ("address", loose)])
    assert not refused.allowed
    # The address spent one of its two requests, not two.
    assert (await limiter.hit([("other-user", tight), ("address", loose)])).allowed
    assert not (await limiter.hit([("third-user", tight), ("address", loose)])).allowed


async def test_concurrent_hits_never_exceed_the_burst(limiter: RateLimiter) -> None:
    rate = Every(10, 60)
    decisions = await asyncio.gather(*(limiter.hit([("k", rate)]) for _ in range(50)))
    assert sum(d.allowed for d in decisions) == 10


async def test_memory_forgets_full_buckets_beyond_its_bound() -> None:
    now = [0.0]
    limiter = MemoryRateLimiter(clock=lambda: now[0], max_keys=10)
    rate = Every(1, 1)
    for n in range(10):
        assert (await limiter.hit([(f"k{n}", rate)])).allowed
    now[0] = 5.0  # every bucket has refilled
    assert (await limiter.hit([("new", rate)])).allowed
    assert len(limiter._tat) == 1


@pytest.mark.timeout(10)
async def test_redis_unreachable_admits_requests() -> None:
    limiter = RedisRateLimiter("redis://127.0.0.1:9/0", timeout_seconds=0.2)
    try:
        decisions = [await limiter.hit([("k", Every(1, 60))]) for _ in range(3)]
        assert all(d.allowed for d in decisions)
    finally:
        await limiter.close()


@pytest.mark.parametrize("now", [0.1, 7.3, 123456.789, 9876543.21])
async def test_one_request_per_period_admits_the_first_whatever_the_clock(now: float) -> None:
    # (now + period) - period - now is not 0 in floating point for every clock value.
    limiter = MemoryRateLimiter(clock=lambda: now)
    assert (await limiter.hit([("k", Every(1, 3600))])).allowed
    assert not (await limiter.hit([("k", Every(1, 3600))])).allowed


async def test_sqlite_buckets_are_shared_by_every_store_of_one_file(tmp_path: Path) -> None:
    """Two stores of one file are two server processes of one ``anb serve``: one count."""
    limiters = [SqliteRateLimiter(SqliteStore(tmp_path / "limits.sqlite3")) for _ in range(2)]
    try:
        decisions = await asyncio.gather(*(limiters[n % 2].hit([("k", Every(10, 60))]) for n in range(40)))
        assert sum(d.allowed for d in decisions) == 10
    finally:
        for limiter in limiters:
            await limiter.close()


async def test_sqlite_store_failing_admits_requests(tmp_path: Path) -> None:
    (tmp_path / "limits.sqlite3").mkdir()  # a directory where the file should be: every open fails
    limiter = SqliteRateLimiter(SqliteStore(tmp_path / "limits.sqlite3"))
    try:
        decisions = [await limiter.hit([("k", Every(1, 60))]) for _ in range(3)]
        assert all(d.allowed for d in decisions)
    finally:
        await limiter.close()
