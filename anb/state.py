"""What one running service holds: settings, database engine, token keys.

Built once per process by ``create_app`` and reached by dependencies through ``app.state``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from anb.accounts.keys import KeyPair, development_key_pair, key_pair_from_pem
from anb.accounts.tokens import AccessTokens
from anb.config import Settings
from anb.db.engine import create_async_db_engine, session_factory


@dataclass
class AppState:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    tokens: AccessTokens
    # Named probes besides the database (storage, queue), each raising when its backend is down.
    readiness_checks: dict[str, Callable[[], Awaitable[None]]] = field(default_factory=dict)

    async def close(self) -> None:
        await self.engine.dispose()


def load_key_pair(settings: Settings) -> KeyPair:
    pem = settings.auth.signing_key.get_secret_value()
    if pem:
        return key_pair_from_pem(pem.encode())
    return development_key_pair(settings.data_dir)


def build_state(settings: Settings) -> AppState:
    engine = create_async_db_engine(settings.resolved_database_url)
    tokens = AccessTokens(
        load_key_pair(settings), ttl_seconds=settings.auth.access_ttl_seconds, issuer=settings.auth.issuer
    )
    return AppState(settings, engine, session_factory(engine), tokens)
