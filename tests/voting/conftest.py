"""Voting tests run with always-fresh lists, and some on an empty database of their own."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from anb.config import DatabaseSettings, Settings, VotingSettings
from anb.db.migrate import upgrade
from tests.support.services import postgres_database


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    # Always-fresh lists, so a test sees its own votes at once (the cache has its own tests).
    return Settings(
        data_dir=tmp_path / "data",
        database=DatabaseSettings(url=database_url),
        voting=VotingSettings(public_cache_ttl_seconds=0),
    )


@pytest.fixture
def fresh_database_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of the same backend, for tests that look at the whole (global) ranking."""
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        upgrade(url)
        yield url
        return
    with postgres_database() as url:
        upgrade(url)
        yield url
