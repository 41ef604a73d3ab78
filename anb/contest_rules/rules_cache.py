"""The rules each process keeps in memory, so the vote path checks the window without a query.

A process re-reads the rules at most every ``ANB_CONTEST__RULES_CACHE_SECONDS`` (5 s by default),
one load at a time. The window's instants are compared with the clock at each vote, so the
closing instant is exact; only a *change* of the rules takes up to that delay to reach every
process (docs/contest.md).
"""

from __future__ import annotations

import asyncio
import time
from weakref import WeakKeyDictionary

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from anb.contest_rules import repository
from anb.contest_rules.rules import Rules


class RulesCache:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], ttl_seconds: float) -> None:
        self._sessions = sessions
        self._ttl = ttl_seconds
        self._rules: Rules | None = None
        self._loaded_at = -float("inf")
        self._lock = asyncio.Lock()

    async def get(self) -> Rules | None:
        if time.monotonic() - self._loaded_at < self._ttl:
            return self._rules
        async with self._lock:
            if time.monotonic() - self._loaded_at >= self._ttl:
                started = time.monotonic()
                async with self._sessions() as db:
                    self._rules = await repository.load_rules(db)
                self._loaded_at = started
        return self._rules

    def forget(self) -> None:
        """After this process changed the rules: the next read loads them."""
        self._loaded_at = -float("inf")


_caches: WeakKeyDictionary[AsyncEngine, RulesCache] = WeakKeyDictionary()


def rules_cache(engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession], ttl_seconds: float) -> RulesCache:
    """The cache of one process's engine (a process has one)."""
    cache = _caches.get(engine)
    if cache is None:
        cache = _caches[engine] = RulesCache(sessions, ttl_seconds)
    return cache
