"""Exponential lockout of one key after repeated failures (a login's normalised email).

A rate limit slows every client down the same way; a lockout answers one account being guessed
at: after a few free failures each further one locks the key for twice as long as the last,
and a success clears the record. The key never depends on whether the account exists, so a
lockout reveals nothing about which emails are registered.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


class LockoutPolicy(Protocol):
    """Settings' ``LoginLockoutRule`` is one."""

    @property
    def free_failures(self) -> int: ...

    @property
    def base_seconds(self) -> float: ...

    @property
    def max_seconds(self) -> float: ...

    @property
    def forget_after_seconds(self) -> float: ...


def lock_seconds(failures: int, policy: LockoutPolicy) -> float:
    """How long ``failures`` consecutive failures lock the key (0: not locked)."""
    if failures < policy.free_failures:
        return 0.0
    # Capping the exponent first keeps 2**n finite after any number of failures.
    doublings = min(failures - policy.free_failures, 32)
    return float(min(policy.base_seconds * 2**doublings, policy.max_seconds))


def after_failure(failures: int, last_failure: float | None, now: float, policy: LockoutPolicy) -> tuple[int, float]:
    """A key's failure count and lock end after one more failure now (a stale run starts over)."""
    if last_failure is None or now - last_failure > policy.forget_after_seconds:
        failures = 0
    failures += 1
    return failures, now + lock_seconds(failures, policy)


class Lockout(Protocol):
    async def locked_for(self, key: str) -> float:
        """Seconds until ``key`` may try again; 0 when it may try now."""
        ...

    async def failed(self, key: str) -> None: ...

    async def succeeded(self, key: str) -> None: ...

    async def close(self) -> None: ...


@dataclass
class _Record:
    failures: int
    last_failure: float
    locked_until: float


class MemoryLockout:
    """Records in this process's memory: each server process locks on its own (like the memory limiter)."""

    def __init__(
        self, policy: LockoutPolicy, clock: Callable[[], float] = time.monotonic, max_keys: int = 100_000
    ) -> None:
        self._policy = policy
        self._clock = clock
        self._max_keys = max_keys
        self._records: dict[str, _Record] = {}

    async def locked_for(self, key: str) -> float:
        record = self._records.get(key)
        return max(0.0, record.locked_until - self._clock()) if record else 0.0

    async def failed(self, key: str) -> None:
        now = self._clock()
        record = self._records.get(key)
        if record is None:
            failures, locked_until = after_failure(0, None, now, self._policy)
        else:
            failures, locked_until = after_failure(record.failures, record.last_failure, now, self._policy)
        self._records[key] = _Record(failures, now, locked_until)
        if len(self._records) > self._max_keys:
            self._forget_stale(now)

    def _forget_stale(self, now: float) -> None:
        horizon = self._policy.forget_after_seconds
        self._records = {
            key: r for key, r in self._records.items() if now - r.last_failure <= horizon or r.locked_until > now
        }

    async def succeeded(self, key: str) -> None:
        self._records.pop(key, None)

    async def close(self) -> None:
        self._records.clear()
