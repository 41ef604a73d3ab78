"""ResponseCache: freshness, refresh ahead of expiry, one load for concurrent misses, failures not kept,
bounded size."""

from __future__ import annotations

import asyncio

import pytest

from anb.response_cache import CachedBody, ResponseCache


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class CountingLoader:
    def __init__(self, delay: float = 0.0) -> None:
        self.calls = 0
        self.delay = delay

    async def __call__(self) -> CachedBody:
        self.calls += 1
        await asyncio.sleep(self.delay)
        return CachedBody(f"[{self.calls}]".encode())


async def test_kept_for_the_ttl_then_reloaded() -> None:
    clock, load = Clock(), CountingLoader()
    cache = ResponseCache(30, clock=clock)
    assert (await cache.get("k", load)).body == b"[1]"
    clock.now += 29.9
    assert (await cache.get("k", load)).body == b"[1]"
    clock.now += 0.2
    assert (await cache.get("k", load)).body == b"[2]"
    assert (await cache.get("other", load)).body == b"[3]"


async def test_refreshed_in_the_background_in_the_second_half_of_its_life() -> None:
    clock, load = Clock(), CountingLoader(delay=0.05)
    cache = ResponseCache(30, clock=clock)
    assert (await cache.get("k", load)).body == b"[1]"
    clock.now += 14.9
    assert (await cache.get("k", load)).body == b"[1]" and load.calls == 1
    clock.now += 0.2
    # Past half its life: answered at once from the entry, while one reload starts.
    bodies = await asyncio.gather(*(cache.get("k", load) for _ in range(20)))
    assert {body.body for body in bodies} == {b"[1]"} and load.calls == 2
    await asyncio.sleep(0.1)
    assert (await cache.get("k", load)).body == b"[2]"
    # The reload counts from when it started: fresh for another 30 s, refreshed after 15.
    clock.now += 14.9
    assert (await cache.get("k", load)).body == b"[2]" and load.calls == 2


async def test_an_entry_is_never_served_past_its_ttl() -> None:
    clock, load = Clock(), CountingLoader(delay=0.05)
    cache = ResponseCache(30, clock=clock)
    await cache.get("k", load)
    clock.now += 30
    # Expired, with no request in its second half: the request waits for the reload's answer.
    assert (await cache.get("k", load)).body == b"[2]"


async def test_a_failed_background_refresh_keeps_the_entry_until_it_expires() -> None:
    clock = Clock()
    cache = ResponseCache(30, clock=clock)
    await cache.get("k", CountingLoader())

    async def down() -> CachedBody:
        raise ConnectionError("database down")

    clock.now += 20
    assert (await cache.get("k", down)).body == b"[1]"
    await asyncio.sleep(0)
    assert (await cache.get("k", down)).body == b"[1]"
    clock.now += 10
    with pytest.raises(ConnectionError):
        await cache.get("k", down)


async def test_ttl_zero_always_loads() -> None:
    load = CountingLoader()
    cache = ResponseCache(0)
    for _ in range(3):
        await cache.get("k", load)
    assert load.calls == 3


async def test_concurrent_misses_share_one_load() -> None:
    load = CountingLoader(delay=0.05)
    cache = ResponseCache(30)
    bodies = await asyncio.gather(*(cache.get("k", load) for _ in range(50)))
    assert load.calls == 1 and {body.body for body in bodies} == {b"[1]"}


async def test_a_cancelled_waiter_does_not_cancel_the_shared_load() -> None:
    load = CountingLoader(delay=0.05)
    cache = ResponseCache(30)
    first = asyncio.ensure_future(cache.get("k", load))
    second = asyncio.ensure_future(cache.get("k", load))
    await asyncio.sleep(0.01)
    first.cancel()
    assert (await second).body == b"[1]"
    assert (await cache.get("k", load)).body == b"[1]" and load.calls == 1


async def test_failures_are_not_kept() -> None:
    calls = 0

    async def flaky() -> CachedBody:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise ConnectionError("database down")
        return CachedBody(b"[]")

    cache = ResponseCache(30)
    with pytest.raises(ConnectionError):
        await cache.get("k", flaky)
    assert (await cache.get("k", flaky)).body == b"[]"


async def test_least_recently_used_entries_are_dropped_beyond_the_bound() -> None:
    load = CountingLoader()
    cache = ResponseCache(30, max_entries=2)
    await cache.get("a", load)
    await cache.get("b", load)
    await cache.get("a", load)  # "b" is now the least recently used
    await cache.get("c", load)
    assert load.calls == 3
    await cache.get("a", load)
    assert load.calls == 3
    await cache.get("b", load)
    assert load.calls == 4


def test_response_carries_body_and_headers() -> None:
    response = CachedBody(b"[]", {"X-Total-Count": "0"}).response()
    assert response.body == b"[]"
    assert response.headers["x-total-count"] == "0"
    assert response.media_type == "application/json"
