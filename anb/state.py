"""What one running service holds: settings, database engine, token keys.

Built once per process by ``create_app`` and reached by dependencies through ``app.state``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.concurrency import run_in_threadpool

from anb.accounts.keys import KeyPair, development_key_pair, key_pair_from_pem, verify_only_key_pair
from anb.accounts.tokens import AccessTokens
from anb.config import Settings
from anb.db.engine import create_async_db_engine, session_factory
from anb.jobs.queue import JobQueue, build_queue
from anb.ratelimit import Lockout, RateLimiter, build_lockout, build_rate_limiter
from anb.storage.base import Storage
from anb.storage.factory import build_storage
from anb.voting.cache import ResponseCache


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


def load_key_pair(settings: Settings) -> KeyPair:
    pem = settings.auth.signing_key.get_secret_value()
    if pem:
        return key_pair_from_pem(pem.encode())
    if settings.auth.public_key:
        return verify_only_key_pair(settings.auth.public_key.encode())
    return development_key_pair(settings.data_dir)


def storage_from_settings(settings: Settings) -> Storage:
    def secret(value: SecretStr | None) -> str | None:
        return value.get_secret_value() if value else None

    return build_storage(
        settings.storage,
        local_root=settings.data_dir / "media",
        signing_secret=settings.secret_key.get_secret_value().encode(),
        url_prefix=f"{settings.public_base_url.rstrip('/')}/media",
        s3_bucket=settings.s3_bucket,
        s3_region=settings.s3_region,
        s3_endpoint_url=settings.s3_endpoint_url,
        s3_access_key=secret(settings.s3_access_key),
        s3_secret_key=secret(settings.s3_secret_key),
        s3_public_endpoint_url=settings.s3_public_endpoint_url,
        temp_dir=settings.data_dir / "tmp",
    )


def build_state(settings: Settings) -> AppState:
    engine = create_async_db_engine(settings.resolved_database_url, pool_size=settings.db_pool_size)
    tokens = AccessTokens(
        load_key_pair(settings), ttl_seconds=settings.auth.access_ttl_seconds, issuer=settings.auth.issuer
    )
    storage = storage_from_settings(settings)
    jobs = build_queue(settings.jobs)
    state = AppState(
        settings,
        engine,
        session_factory(engine),
        tokens,
        storage,
        jobs,
        build_rate_limiter(settings.rate_limit.backend, settings.redis_url),
        build_lockout(settings.rate_limit.backend, settings.redis_url, settings.rate_limit.login_lockout),
        ResponseCache(settings.rankings_ttl_seconds),
    )
    state.readiness_checks["storage"] = lambda: run_in_threadpool(storage.check)
    state.readiness_checks["queue"] = lambda: run_in_threadpool(jobs.check)
    return state
