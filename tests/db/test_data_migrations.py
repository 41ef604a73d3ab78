"""The migrations that fill a new column from the rows already there, on both databases: 0008 gives
the users their accent-free name key, 0009 gives the open flags their finding's scope."""

from __future__ import annotations

import json
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


def _id(database_url: str) -> uuid.UUID | str:
    return uuid.uuid4().hex if database_url.startswith("sqlite") else uuid.uuid4()


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
                {"id": _id(empty_database_url)},
            )
        upgrade(empty_database_url)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT name_key FROM users")).scalar_one() == "ana maria perez nunez"
    finally:
        engine.dispose()


def test_open_flags_get_the_scope_their_evidence_names(empty_database_url: str) -> None:
    upgrade(empty_database_url, "0008")
    engine = create_sync_db_engine(empty_database_url)
    player = _id(empty_database_url)
    flags = [
        ("prefix_cluster", "open", {"prefix": "203.0.113.0/24"}),
        ("rate_spike", "open", {"hour": "2026-12-07T05:00:00+00:00"}),
        ("vote_exchange", "open", {"partners": 3}),
        ("prefix_cluster", "confirmed", {"prefix": "198.51.100.0/24"}),
    ]
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO users (id, email, password_hash, first_name, last_name, city, city_key, country,"
                    " is_active, vote_count, created_at, role, name_key)"
                    " VALUES (:id, 'ana@example.com', 'x', 'Ana', 'Mina', 'Tumaco', 'tumaco', 'Colombia',"
                    " true, 0, CURRENT_TIMESTAMP, 'player', 'ana mina')"
                ),
                {"id": player},
            )
            for rule, state, evidence in flags:
                conn.execute(
                    text(
                        "INSERT INTO flags (id, rule, player_id, evidence, votes, state, created_at)"
                        " VALUES (:id, :rule, :player, :evidence, 1, :state, CURRENT_TIMESTAMP)"
                    ),
                    {
                        "id": _id(empty_database_url), "rule": rule, "player": player,
                        "evidence": json.dumps(evidence), "state": state,
                    },
                )  # fmt: skip
        upgrade(empty_database_url)
        with engine.connect() as conn:
            scopes = conn.execute(text("SELECT rule, state, scope FROM flags")).all()
        assert sorted(map(tuple, scopes)) == [
            ("prefix_cluster", "confirmed", ""),
            ("prefix_cluster", "open", "203.0.113.0/24"),
            ("rate_spike", "open", "2026-12-07T05:00:00+00:00"),
            ("vote_exchange", "open", ""),
        ]
    finally:
        engine.dispose()
