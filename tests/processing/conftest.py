from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from anb.db.engine import create_sync_db_engine


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """A worker's kind of engine (synchronous) on each database."""
    engine = create_sync_db_engine(database_url)
    yield engine
    engine.dispose()
