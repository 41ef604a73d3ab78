"""Migration 0008 gives the users that existed before it their accent-free name key."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from anb.db.engine import create_sync_db_engine
from anb.db.migrate import upgrade
from tests.support.services import postgres_database


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    with postgres_database() as url:
        yield url


def test_existing_users_get_their_name_key(empty_database_url: str) -> None:
    upgrade(empty_database_url, "0007")
    engine = create_sync_db_engine(empty_database_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO users (id, email, password_hash, first_name, last_name, city, city_key, country,"
                    " is_active, vote_count, created_at, role)"
                    " VALUES (:id, 'ana@example.com', 'x', 'Ána María', 'PÉREZ Núñez', 'Bogotá', 'bogota', 'Colombia',"
                    " true, 0, CURRENT_TIMESTAMP, 'player')"
                ),
                {"id": uuid.uuid4().hex if empty_database_url.startswith("sqlite") else uuid.uuid4()},
            )
        upgrade(empty_database_url)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT name_key FROM users")).scalar_one() == "ana maria perez nunez"
    finally:
        engine.dispose()
