"""Database unreachable: readiness and the API answer a clear 503 quickly, and all recovers.

``anb serve`` reaches its own PostgreSQL database through a proxy that the test cuts (open
connections closed, new ones refused, as from a stopped server) and restores; the shared server
keeps running for everyone else. Every request is bounded by the client's timeout, so a hang fails.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from bench.harness.postgres import POSTGRES_ADMIN_URL
from bench.harness.processes import anb_serve, wait_until
from bench.harness.signup import signup_body
from tests.hardening.live_api import (
    TIMEOUT,
    bearer,
    service_env,
    signup_and_login,
    upload,
    wait_processed,
)
from tests.support.cuttable_proxy import CuttableProxy, cuttable_proxy
from tests.support.services import postgres_database

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


@dataclass
class Deployment:
    http: httpx.Client
    proxy: CuttableProxy
    data_dir: Path
    log: Path

    def logged(self, text: str) -> bool:
        return text in self.log.read_text(errors="replace")


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[Deployment]:
    with postgres_database() as url, cuttable_proxy("127.0.0.1", 5432) as proxy:
        name = url.rsplit("/", 1)[1]
        env = {
            **service_env(tmp_path / "data"),
            "ANB_DATABASE__URL": f"postgresql://postgres@127.0.0.1:{proxy.port}/{name}",
            "ANB_VOTING__PUBLIC_CACHE_TTL_SECONDS": "0",  # public lists read the database on every request
        }
        # One server process, so "every pooled connection" below means this process's pool.
        with (
            anb_serve(env, tmp_path / "serve.log", workers=1) as base,
            httpx.Client(base_url=base, timeout=TIMEOUT) as http,
        ):
            yield Deployment(http, proxy, tmp_path / "data", tmp_path / "serve.log")


def _database_routes(token: str, email: str) -> list[tuple[str, str, dict[str, Any]]]:
    """One request per kind of database work: account writes and reads, lists, votes."""
    return [
        ("POST", "/api/auth/signup", {"json": signup_body()}),
        ("POST", "/api/auth/login", {"json": {"email": email, "password": signup_body()["password1"]}}),
        ("GET", "/api/auth/me", {"headers": bearer(token)}),
        ("GET", "/api/videos", {"headers": bearer(token)}),
        ("GET", "/api/public/videos", {}),
        ("GET", "/api/public/rankings", {}),
        ("POST", f"/api/public/videos/{uuid.uuid4()}/vote", {"headers": bearer(token)}),
    ]


def _assert_unavailable(answer: httpx.Response, what: str) -> None:
    assert answer.status_code == 503, f"{what}: {answer.status_code} {answer.text}"
    assert answer.json()["code"] == "database_unavailable"
    assert "base de datos" in answer.json()["detail"]
    assert answer.headers["Retry-After"]


def _assert_every_route_unavailable(http: httpx.Client, routes: list[tuple[str, str, dict[str, Any]]]) -> None:
    for method, path, options in routes:
        _assert_unavailable(http.request(method, path, **options), f"{method} {path}")
    ready = http.get("/api/ready")
    assert ready.status_code == 503
    assert ready.json()["failing"] == ["database"]


def _stored_objects(data_dir: Path) -> list[Path]:
    media = data_dir / "media"
    return [path for path in media.rglob("*") if path.is_file()]


def test_database_outage_answers_503_and_the_service_recovers(deployment: Deployment, clip: Path) -> None:
    http = deployment.http
    player = signup_body()
    assert http.post("/api/auth/signup", json=player).status_code == 201
    token = signup_and_login(http)
    assert http.get("/api/ready").status_code == 200
    routes = _database_routes(token, player["email"])

    # The next byte sent to the database ends every connection: the first request finds its pooled
    # connection dead in the middle of its query, the later ones are refused.
    deployment.proxy.cut_after(1)

    _assert_every_route_unavailable(http, routes)
    _assert_unavailable(upload(http, token, clip), "upload")
    # The file had been stored before the row could be written: it must not stay behind.
    assert _stored_objects(deployment.data_dir) == []
    # The embedded worker polls the database too: it must live through the outage, not die of it.
    wait_until(lambda: deployment.logged("database unreachable, polling again"), 30, "the worker meeting the outage")

    deployment.proxy.restore()

    wait_until(lambda: http.get("/api/ready").status_code == 200, 30, "readiness after the database returned")
    for method, path, options in routes:
        answer = http.request(method, path, **options)
        assert answer.status_code < 500, f"{method} {path} after recovery: {answer.status_code} {answer.text}"
    accepted = upload(http, token, clip)
    assert accepted.status_code == 201, accepted.text
    # The embedded worker outlived the outage: it processes the new upload.
    wait_processed(http, token, accepted.json()["video_id"])


def test_silent_database_answers_503_within_the_connect_timeout(deployment: Deployment) -> None:
    """A server that stops answering (no refusal, no reset) costs the engine's connect timeout (5 s),
    well inside the client's, and never a 500."""
    http = deployment.http
    player = signup_body()
    assert http.post("/api/auth/signup", json=player).status_code == 201
    token = signup_and_login(http)

    deployment.proxy.hang()

    _assert_every_route_unavailable(http, _database_routes(token, player["email"]))

    deployment.proxy.restore()

    wait_until(lambda: http.get("/api/ready").status_code == 200, 30, "readiness after the database answered again")
    signup_and_login(http)


@contextmanager
def _role_owning_a_database() -> Iterator[tuple[str, str]]:
    """A login role (not a superuser, so connection limits bind it) and a new database it owns."""
    import psycopg

    role = f"anb_limited_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE ROLE "{role}" LOGIN')
    try:
        with postgres_database() as url, psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            name = url.rsplit("/", 1)[1]
            admin.execute(f'ALTER DATABASE "{name}" OWNER TO "{role}"')
            yield f"postgresql://{role}@127.0.0.1:5432/{name}", role
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP ROLE IF EXISTS "{role}"')


def test_database_refusing_new_connections_answers_503(tmp_path: Path) -> None:
    """PostgreSQL at its connection limit refuses with SQLSTATE 53300 ("too many clients already"):
    a full server is a 503 to retry, never a 500."""
    import psycopg

    with (
        _role_owning_a_database() as (url, role),
        anb_serve(
            {**service_env(tmp_path / "data"), "ANB_DATABASE__URL": url}, tmp_path / "serve.log", workers=1
        ) as base,
        httpx.Client(base_url=base, timeout=TIMEOUT) as http,
        psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin,
    ):
        player = signup_body()
        assert http.post("/api/auth/signup", json=player).status_code == 201
        token = signup_and_login(http)

        # No connection left for the role, and none of its pooled ones alive: every request must open one.
        admin.execute(f'ALTER ROLE "{role}" CONNECTION LIMIT 0')
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", (role,))

        _assert_every_route_unavailable(http, _database_routes(token, player["email"]))

        admin.execute(f'ALTER ROLE "{role}" CONNECTION LIMIT -1')
        wait_until(lambda: http.get("/api/ready").status_code == 200, 30, "readiness once connections are allowed")
        signup_and_login(http)


def test_a_vote_whose_connection_dies_answers_503_and_votes_resume(tmp_path: Path) -> None:
    """Votes reach asyncpg directly (anb/voting/vote_store.py), beside SQLAlchemy's disconnect handling:
    a pooled connection dying under a vote must still give a 503 and leave the pool, not a 500."""
    with postgres_database() as url, cuttable_proxy("127.0.0.1", 5432) as proxy:
        env = {
            **service_env(tmp_path / "data"),
            "ANB_DATABASE__URL": f"postgresql://postgres@127.0.0.1:{proxy.port}/{url.rsplit('/', 1)[1]}",
            # The embedded worker must not be the one to meet the dead connections first.
            "ANB_JOBS__POLL_INTERVAL_SECONDS": "300",
        }
        with (
            anb_serve(env, tmp_path / "serve.log", workers=1) as base,
            httpx.Client(base_url=base, timeout=TIMEOUT) as http,
        ):
            token = signup_and_login(http)
            missing = f"/api/public/videos/{uuid.uuid4()}/vote"
            assert http.post(missing, headers=bearer(token)).status_code == 404  # the database answers

            proxy.cut_after(1)
            _assert_unavailable(http.post(missing, headers=bearer(token)), "vote on a dying connection")
            log = (tmp_path / "serve.log").read_text(errors="replace")
            assert "database error: ConnectionDoesNotExistError" in log  # met by the vote's own path

            proxy.restore()
            wait_until(
                lambda: http.post(missing, headers=bearer(token)).status_code == 404, 30, "votes after the database"
            )
