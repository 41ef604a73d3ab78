"""Apply the schema migrations (Alembic) to a database URL; used by ``anb migrate`` and ``anb serve``."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

from anb.db.engine import create_sync_db_engine, is_sqlite

_SCRIPTS = Path(__file__).resolve().parent.parent / "migrations"


def upgrade(database_url: str, revision: str = "head") -> None:
    if is_sqlite(database_url):
        # The SQLite file's directory must exist before the first connection.
        path = database_url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_sync_db_engine(database_url)
    config = Config()
    config.set_main_option("script_location", str(_SCRIPTS))
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        engine.dispose()
