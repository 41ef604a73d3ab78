"""Serialized public responses kept in this process for a few seconds.

The public lists are read far more often than they change, and a ranking a few seconds old is
what the competition asks for (docs/voting.md, "Freshness"). Caching the final JSON bytes makes
a hit cost what a static body costs; concurrent misses of one key share a single database load,
so an expiry never sends a burst of identical queries to the database.

An entry in the second half of its life is refreshed in the background by the first request that
finds it there, while every request goes on getting the cached body: a key in steady use never
expires, so no request waits for its reload. Nothing older than the TTL is ever served.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from functools import partial

from fastapi import Response


@dataclass(frozen=True)
class CachedBody:
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    def response(self) -> Response:
        return Response(self.body, media_type="application/json", headers=self.headers)


Loader = Callable[[], Awaitable[CachedBody]]


@dataclass(frozen=True)
class _Entry:
    refresh_at: float
    expires_at: float
    body: CachedBody


class ResponseCache:
    def __init__(self, ttl_seconds: float, max_entries: int = 4096, clock: Callable[[], float] = time.monotonic):
        self._ttl = ttl_seconds
        self._max_entries = max_entries
        self._clock = clock
        # Least recently used first; a bounded size keeps arbitrary query strings from growing it.
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._loading: dict[Hashable, asyncio.Future[CachedBody]] = {}

    async def get(self, key: Hashable, load: Loader) -> CachedBody:
        if self._ttl <= 0:
            return await load()
        now = self._clock()
        entry = self._entries.get(key)
        if entry is not None and entry.expires_at > now:
            self._entries.move_to_end(key)
            if entry.refresh_at <= now:
                self._loading_of(key, load, now)
            return entry.body
        # Shielded: a client that goes away does not cancel the load the others are waiting for.
        return await asyncio.shield(self._loading_of(key, load, now))

    def _loading_of(self, key: Hashable, load: Loader, now: float) -> asyncio.Future[CachedBody]:
        """The load of ``key`` under way, or a new one; it counts as fresh from ``now``, before it reads."""
        pending = self._loading.get(key)
        if pending is None:
            pending = asyncio.ensure_future(load())
            self._loading[key] = pending
            pending.add_done_callback(partial(self._store, key, now))
        return pending

    def _store(self, key: Hashable, started: float, loaded: asyncio.Future[CachedBody]) -> None:
        del self._loading[key]
        # Retrieving the exception also keeps a failed background refresh from being reported as
        # never retrieved; the entry in place stays until it expires.
        if loaded.cancelled() or loaded.exception() is not None:
            return
        self._entries[key] = _Entry(started + self._ttl / 2, started + self._ttl, loaded.result())
        self._entries.move_to_end(key)
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)
