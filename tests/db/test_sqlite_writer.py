"""The SQLite writer thread: writes queued together are committed together, each gets its own
result, and one failing write fails alone."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import Connection, text

from anb.db.engine import create_async_db_engine
from anb.db.sqlite_writer import sqlite_writer


async def test_concurrent_writes_each_commit_with_their_own_result(tmp_path: Path) -> None:
    engine = create_async_db_engine(f"sqlite:///{tmp_path / 'writer.sqlite3'}")
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)"))
        await conn.execute(text("INSERT INTO counter VALUES (1, 0)"))
    transactions = []

    def add(conn: Connection, amount: int) -> int:
        conn.execute(text("UPDATE counter SET n = n + :amount WHERE id = 1"), {"amount": amount})
        transactions.append(conn.get_transaction())
        return amount * 10

    writer = sqlite_writer(engine)
    assert sqlite_writer(engine) is writer, "one writer per engine"
    results = await asyncio.gather(*(writer.run(lambda c, a=a: add(c, a)) for a in range(1, 201)))
    assert results == [a * 10 for a in range(1, 201)]
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT n FROM counter"))).scalar_one() == sum(range(1, 201))
    assert len(set(map(id, transactions))) < 200, "writes queued together share a transaction"
    await engine.dispose()


async def test_a_failing_write_fails_alone(tmp_path: Path) -> None:
    engine = create_async_db_engine(f"sqlite:///{tmp_path / 'writer.sqlite3'}")
    async with engine.begin() as conn:
        await conn.execute(text("CREATE TABLE item (id INTEGER PRIMARY KEY)"))

    def insert(conn: Connection, item: int) -> int:
        conn.execute(text("INSERT INTO item VALUES (:id)"), {"id": item})
        return item

    writer = sqlite_writer(engine)
    items = [1, 2, 3, 2, 4, 5]  # the second 2 breaks the primary key
    outcomes = await asyncio.gather(*(writer.run(lambda c, i=i: insert(c, i)) for i in items), return_exceptions=True)
    assert [o for o in outcomes if isinstance(o, Exception)] != []
    assert sorted(o for o in outcomes if isinstance(o, int)) == [1, 2, 3, 4, 5]
    async with engine.connect() as conn:
        assert sorted((await conn.execute(text("SELECT id FROM item"))).scalars()) == [1, 2, 3, 4, 5]
    with pytest.raises(Exception, match="UNIQUE"):
        await writer.run(lambda c: insert(c, 1))
    await engine.dispose()
