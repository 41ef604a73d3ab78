"""One writer thread per process for SQLite's hot writes, committing what is queued together.

SQLite takes one writer at a time. Through aiosqlite, a transaction of three statements is five
hand-offs between the event loop and aiosqlite's thread (begin, three statements, commit), and the
write lock — or the per-process lock that queued writers in front of it — is held across all of
them: on a busy two-core machine every hand-off waits for a core, and votes queued behind one
another (measured: 35 votes/s and a 0.9 s median with one server process, docs/voting.md). Here a
write is a plain function run on this thread's own connection: one hand-off per write, and every
write waiting when the thread is free is run in one transaction with one commit (group commit). A
write that raises has the batch rolled back and each of its writes run again alone, so it gets its
own error and the others their own outcome.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from anb.db.engine import create_sync_db_engine

T = TypeVar("T")
# Writes committed together at most: bounds how long the first of a batch waits for the others.
MAX_BATCH = 64


@dataclass
class _Write(Generic[T]):
    work: Callable[[Connection], T]
    future: asyncio.Future[T]
    loop: asyncio.AbstractEventLoop


class SqliteWriter:
    def __init__(self, sync_url: str) -> None:
        self._engine = create_sync_db_engine(sync_url)
        self._queue: queue.SimpleQueue[_Write[Any] | None] = queue.SimpleQueue()
        self._started = threading.Lock()
        self._thread: threading.Thread | None = None

    async def run(self, work: Callable[[Connection], T]) -> T:
        """``work(connection)`` inside a transaction of the writer thread; its result once committed."""
        loop = asyncio.get_running_loop()
        write = _Write(work, loop.create_future(), loop)
        self._start()
        self._queue.put(write)
        return await write.future

    def stop(self) -> None:
        """End the thread after the writes already queued (its engine is gone)."""
        self._queue.put(None)

    def _start(self) -> None:
        with self._started:
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, name="sqlite-writer", daemon=True)
                self._thread.start()

    def _serve(self) -> None:
        with self._engine.connect() as conn:
            while (first := self._queue.get()) is not None:
                batch = [first]
                while len(batch) < MAX_BATCH:
                    try:
                        queued = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if queued is None:
                        self._queue.put(None)  # ends the loop after this batch
                        break
                    batch.append(queued)
                self._commit(conn, batch)
        self._engine.dispose()

    def _commit(self, conn: Connection, batch: list[_Write[Any]]) -> None:
        try:
            with conn.begin():
                results = [write.work(conn) for write in batch]
        except Exception as exc:
            if len(batch) == 1:
                _settle(batch[0], error=exc)
                return
            for write in batch:  # find whose write failed: each alone, in its own transaction
                self._commit(conn, [write])
            return
        for write, result in zip(batch, results, strict=True):
            _settle(write, result=result)


def _settle(write: _Write[Any], *, result: Any = None, error: BaseException | None = None) -> None:
    def settle() -> None:
        if write.future.cancelled():
            return
        if error is not None:
            write.future.set_exception(error)
        else:
            write.future.set_result(result)

    with contextlib.suppress(RuntimeError):  # the caller's event loop has closed: nobody is waiting
        write.loop.call_soon_threadsafe(settle)


_writers: WeakKeyDictionary[AsyncEngine, SqliteWriter] = WeakKeyDictionary()
_writers_lock = threading.Lock()


def sqlite_writer(engine: AsyncEngine) -> SqliteWriter:
    """This process's writer for the SQLite database of ``engine``."""
    with _writers_lock:
        writer = _writers.get(engine)
        if writer is None:
            writer = _writers[engine] = SqliteWriter(engine.url.render_as_string(hide_password=False))
            weakref.finalize(engine, writer.stop)
        return writer
