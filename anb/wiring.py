"""The composition root: turns settings into the long-lived objects of a process.

API processes get an ``AppState``; workers and operator commands take the pieces they use.
"""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool

from anb.access_tokens.tokens import access_tokens_from_settings
from anb.config import Settings
from anb.db.engine import create_async_db_engine, session_factory
from anb.jobs.queue import build_queue
from anb.ratelimit import build_lockout, build_rate_limiter
from anb.response_cache import ResponseCache
from anb.state import AppState
from anb.storage.base import Storage
from anb.storage.factory import build_storage


def storage_for(settings: Settings) -> Storage:
    return build_storage(
        settings.storage,
        data_dir=settings.data_dir,
        signing_secret=settings.secret_key.get_secret_value().encode(),
        public_base_url=settings.http.public_base_url,
    )


def build_state(settings: Settings) -> AppState:
    engine = create_async_db_engine(settings.resolved_database_url, pool_size=settings.database.pool_size)
    storage = storage_for(settings)
    jobs = build_queue(settings.jobs)
    state = AppState(
        settings,
        engine,
        session_factory(engine),
        access_tokens_from_settings(settings.auth, settings.data_dir),
        storage,
        jobs,
        build_rate_limiter(settings.rate_limit.backend, settings.redis_url),
        build_lockout(settings.rate_limit.backend, settings.redis_url, settings.rate_limit.login_lockout),
        ResponseCache(settings.voting.public_cache_ttl_seconds),
    )
    state.readiness_checks["storage"] = lambda: run_in_threadpool(storage.check)
    state.readiness_checks["queue"] = lambda: run_in_threadpool(jobs.check)
    return state
