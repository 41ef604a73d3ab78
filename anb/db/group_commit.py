"""Writes that arrive while one is in flight go to the database together (group commit, asyncio).

The event-loop counterpart of ``anb.db.sqlite_writer``: each process keeps at most one batch in
flight per writer, and everything submitted meanwhile goes in the next one. Under load a round trip,
a transaction and a commit then serve many requests instead of one; with no load a batch is one
write, sent at once (nothing waits for a timer).

A batch never holds two items with the same key (they would be one row): the second waits for the
next batch. When a batch fails, an error that concerns every item (the database is unreachable)
is given to all of them; any other error has each item written again alone, so only the item that
caused it fails and the others get their own outcome. An item whose caller has gone (its request
was cancelled) before its batch is sent is not written.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Items written together at most: bounds a batch's statement and its locks.
MAX_BATCH = 64


class GroupCommit(Generic[T, R]):
    def __init__(
        self,
        write: Callable[[list[T]], Awaitable[list[R]]],
        key: Callable[[T], Hashable],
        shared_errors: tuple[type[Exception], ...],
    ) -> None:
        """``write(items)`` stores the items in one transaction and returns their results in order."""
        self._write = write
        self._key = key
        self._shared_errors = shared_errors
        self._pending: list[tuple[T, asyncio.Future[R]]] = []
        self._flusher: asyncio.Task[None] | None = None

    async def submit(self, item: T) -> R:
        """The item's result once its batch is committed."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[R] = loop.create_future()
        self._pending.append((item, future))
        if self._flusher is None:
            self._flusher = loop.create_task(self._flush())
        return await future

    async def _flush(self) -> None:
        batch: list[tuple[T, asyncio.Future[R]]] = []
        try:
            while batch := self._take():
                await self._commit(batch)
        finally:
            self._flusher = None
            # Anything left here was interrupted: the event loop is shutting down.
            for _, future in [*batch, *self._pending]:
                future.cancel()

    def _take(self) -> list[tuple[T, asyncio.Future[R]]]:
        batch: list[tuple[T, asyncio.Future[R]]] = []
        keys: set[Hashable] = set()
        waiting: list[tuple[T, asyncio.Future[R]]] = []
        for item, future in self._pending:
            if future.cancelled():
                continue
            key = self._key(item)
            if key in keys or len(batch) == MAX_BATCH:
                waiting.append((item, future))
            else:
                keys.add(key)
                batch.append((item, future))
        self._pending = waiting
        return batch

    async def _commit(self, batch: list[tuple[T, asyncio.Future[R]]]) -> None:
        try:
            results = await self._write([item for item, _ in batch])
        except self._shared_errors as exc:
            for _, future in batch:
                _settle(future, error=exc)
        except Exception as exc:
            if len(batch) == 1:
                _settle(batch[0][1], error=exc)
                return
            for one in batch:  # find whose item failed: each alone, in its own transaction
                await self._commit([one])
        else:
            for (_, future), result in zip(batch, results, strict=True):
                _settle(future, result=result)


def _settle(future: asyncio.Future[R], *, result: R | None = None, error: Exception | None = None) -> None:
    if future.done():  # the caller has gone
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)  # type: ignore[arg-type]
