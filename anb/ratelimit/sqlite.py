"""Buckets and lockouts in a small SQLite database of their own: one count shared by every server
process of one host (the embedded service's ``anb serve``), as Redis is for a fleet.

Each check is one short write transaction (``BEGIN IMMEDIATE``: read the keys' TATs, upsert them
if admitted), so processes never interleave a read and a write of one bucket. The file is
separate from the application's database, in WAL mode with ``synchronous=OFF``: this state is
disposable (a power cut forgets the last moments of counts, never corrupts anything else), and a
vote's check never waits on the application's writers.

The transaction runs on the event loop's own thread. It holds the write lock for tens of
microseconds and never awaits inside, so another process rarely finds the lock taken, and then
SQLite's busy handler waits a millisecond or so. Handing each check to a thread of its own cost
three to seven times the transaction itself (measured: 95–220 µs of CPU per check against 27 µs,
docs/integrity.md). A check that waits longer than ``busy_timeout_seconds`` fails, and, like the
Redis backend, a failing store admits requests (logged): limits protect capacity, the database
enforces correctness.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from anb.ratelimit.base import Check, Decision, next_arrival
from anb.ratelimit.lockout import LockoutPolicy, after_failure

log = logging.getLogger(__name__)

T = TypeVar("T")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS buckets (key TEXT PRIMARY KEY, tat REAL NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS lockouts (
    key TEXT PRIMARY KEY, failures INTEGER NOT NULL, last_failure REAL NOT NULL, locked_until REAL NOT NULL
) WITHOUT ROWID;
"""
# Full buckets are the same as absent ones: forgotten every this many checks, so the file holds
# only the keys active within one period.
_PRUNE_EVERY = 4096


class SqliteStore:
    """One process's connection to the shared file, used from its event loop's thread."""

    def __init__(self, path: Path, busy_timeout_seconds: float = 0.5) -> None:
        self._path = path
        self._busy_timeout = busy_timeout_seconds
        self._connection: sqlite3.Connection | None = None

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None:
            self._path.parent.mkdir(parents=True, exist_ok=True)
            # isolation_level=None: transactions are the explicit BEGIN IMMEDIATE … COMMIT below.
            # check_same_thread=False: a test's or a server's event loop may run in any one thread.
            connection = sqlite3.connect(
                self._path, timeout=self._busy_timeout, isolation_level=None, check_same_thread=False
            )
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=OFF")
            connection.executescript(_SCHEMA)
            self._connection = connection
        return self._connection

    def _transaction(self, work: Callable[[sqlite3.Connection], T]) -> T:
        connection = self._connect()
        connection.execute("BEGIN IMMEDIATE")
        try:
            result = work(connection)
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
        return result

    async def run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        return self._transaction(work)

    async def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


class SqliteRateLimiter:
    def __init__(self, store: SqliteStore, clock: Callable[[], float] = time.time) -> None:
        # Wall-clock time: every process of the host reads the same clock.
        self._store = store
        self._clock = clock
        self._checks = 0

    def _hit(self, connection: sqlite3.Connection, checks: Sequence[Check]) -> Decision:
        now = self._clock()
        keys = [key for key, _ in checks]
        placeholders = ",".join("?" * len(keys))
        stored = dict(connection.execute(f"SELECT key, tat FROM buckets WHERE key IN ({placeholders})", keys))  # noqa: S608 - placeholders only
        updates, wait = [], 0.0
        for key, rate in checks:
            tat, key_wait = next_arrival(stored.get(key), now, rate)
            updates.append((key, tat))
            wait = max(wait, key_wait)
        if wait > 0:
            return Decision(False, wait)
        connection.executemany(
            "INSERT INTO buckets (key, tat) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET tat = excluded.tat", updates
        )
        self._checks += 1
        if self._checks % _PRUNE_EVERY == 0:
            connection.execute("DELETE FROM buckets WHERE tat < ?", (now,))
        return Decision(True)

    async def hit(self, checks: Sequence[Check]) -> Decision:
        try:
            return await self._store.run(lambda connection: self._hit(connection, checks))
        except sqlite3.Error as exc:
            log.warning("rate limiter unavailable, request admitted: %s", exc)
            return Decision(True)

    async def close(self) -> None:
        await self._store.close()


class SqliteLockout:
    def __init__(self, store: SqliteStore, policy: LockoutPolicy, clock: Callable[[], float] = time.time) -> None:
        self._store = store
        self._policy = policy
        self._clock = clock

    async def locked_for(self, key: str) -> float:
        def read(connection: sqlite3.Connection) -> float:
            row = connection.execute("SELECT locked_until FROM lockouts WHERE key = ?", (key,)).fetchone()
            return max(0.0, row[0] - self._clock()) if row else 0.0

        try:
            return await self._store.run(read)
        except sqlite3.Error as exc:
            log.warning("lockout store unavailable, login admitted: %s", exc)
            return 0.0

    async def failed(self, key: str) -> None:
        def record(connection: sqlite3.Connection) -> None:
            now = self._clock()
            forgotten = now - self._policy.forget_after_seconds
            connection.execute("DELETE FROM lockouts WHERE last_failure < ?", (forgotten,))
            row = connection.execute("SELECT failures, last_failure FROM lockouts WHERE key = ?", (key,)).fetchone()
            failures, locked_until = after_failure(row[0] if row else 0, row[1] if row else None, now, self._policy)
            connection.execute(
                "INSERT INTO lockouts VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET failures ="
                " excluded.failures, last_failure = excluded.last_failure, locked_until = excluded.locked_until",
                (key, failures, now, locked_until),
            )

        try:
            await self._store.run(record)
        except sqlite3.Error as exc:
            log.warning("lockout store unavailable, failure not counted: %s", exc)

    async def succeeded(self, key: str) -> None:
        try:
            await self._store.run(lambda connection: connection.execute("DELETE FROM lockouts WHERE key = ?", (key,)))
        except sqlite3.Error as exc:
            log.warning("lockout store unavailable, record not cleared: %s", exc)

    async def close(self) -> None:
        await self._store.close()
