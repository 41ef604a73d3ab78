"""The one place that turns a database URL into engines (async for the API, sync for tools)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.ext.asyncio import AsyncSession as AsyncSession
from sqlalchemy.pool import NullPool

_ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}
_SYNC_DRIVERS = {"sqlite": "sqlite", "postgresql": "postgresql+psycopg"}


def _with_driver(url: str, drivers: dict[str, str]) -> str:
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend not in drivers:
        raise ValueError(f"unsupported database backend {backend!r}: use sqlite or postgresql")
    return parsed.set(drivername=drivers[backend]).render_as_string(hide_password=False)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers run beside the single writer; busy_timeout queues writers from
    # several server processes instead of failing them with "database is locked".
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_async_db_engine(url: str, *, pool_size: int = 20, null_pool: bool = False) -> AsyncEngine:
    kwargs: dict[str, Any] = {}
    if null_pool:
        kwargs["poolclass"] = NullPool
    elif not is_sqlite(url):
        # No pre-ping: it costs a round trip per checkout. After a database restart the first query on
        # a dead connection fails (a 503) and SQLAlchemy then discards the whole pool, so service
        # recovers on the next request. No overflow: overflow connections are opened for a burst and
        # closed right after, and that churn cost more than waiting for a pooled one (docs/voting.md);
        # a fixed pool also bounds the connections a process can take from the database (PostgreSQL's
        # default max_connections is 100 for every process of every role). A request waits up to
        # 30 s for a connection, then gets a 503.
        kwargs.update(pool_size=pool_size, max_overflow=0, pool_timeout=30, pool_recycle=1800)
    if not is_sqlite(url):
        # Fail fast with a 503 instead of hanging when the server is unreachable.
        kwargs["connect_args"] = {"timeout": 5, "command_timeout": 30}
    engine = create_async_engine(_with_driver(url, _ASYNC_DRIVERS), **kwargs)
    if is_sqlite(url):
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def create_sync_db_engine(url: str) -> Engine:
    kwargs: dict[str, Any] = {"poolclass": NullPool}
    if not is_sqlite(url):
        kwargs["connect_args"] = {"connect_timeout": 5}
    engine = create_engine(_with_driver(url, _SYNC_DRIVERS), **kwargs)
    if is_sqlite(url):
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
