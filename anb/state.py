"""What one running API process holds: settings, database, token verifier, storage, queue, limits.

Built once per process by ``anb.wiring.build_state`` and reached by dependencies through
``app.state`` (``anb.deps``). Nothing here builds anything.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from anb.access_tokens.tokens import AccessTokens
from anb.config import Settings
from anb.jobs.queue import JobQueue
from anb.ratelimit import Lockout, RateLimiter
from anb.response_cache import ResponseCache
from anb.storage.base import Storage


@dataclass
class AppState:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    tokens: AccessTokens
    storage: Storage
    jobs: JobQueue
    rate_limiter: RateLimiter
    # Failed logins per account (normalised email), see anb/accounts/abuse.py.
    login_lockout: Lockout
    # Serialized public lists (rankings, gallery, cities) of this process, see docs/voting.md.
    public_cache: ResponseCache
    # Named probes besides the database (storage, queue), each raising when its backend is down.
    readiness_checks: dict[str, Callable[[], Awaitable[None]]] = field(default_factory=dict)

    async def close(self) -> None:
        await self.rate_limiter.close()
        await self.login_lockout.close()
        await self.engine.dispose()
