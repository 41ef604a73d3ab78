from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from anb.app import create_app
from anb.config import Settings
from tests.conftest import signup_body


async def test_every_answer_carries_the_security_headers(client: httpx.AsyncClient) -> None:
    for answer in (
        await client.get("/api/health"),
        await client.get("/api/nothing"),
        await client.post("/api/auth/login", json={}),
        await client.get("/"),
    ):
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["x-frame-options"] == "DENY"
        csp = answer.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp


async def test_oversized_json_bodies_are_refused_before_parsing(client: httpx.AsyncClient) -> None:
    body = signup_body(first_name="x" * 100_000)
    answer = await client.post("/api/auth/signup", json=body)
    assert answer.status_code == 413
    assert answer.json()["code"] == "body_too_large"


@pytest.fixture
async def cors_client(database_url: str, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(data_dir=tmp_path, database_url=database_url, cors_origins=["https://anb.example.org"]))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as http:
        yield http
    await app.state.anb.close()


async def test_cors_only_for_configured_origins(cors_client: httpx.AsyncClient, client: httpx.AsyncClient) -> None:
    allowed = await cors_client.options(
        "/api/public/rankings",
        headers={"Origin": "https://anb.example.org", "Access-Control-Request-Method": "GET"},
    )
    assert allowed.headers.get("access-control-allow-origin") == "https://anb.example.org"
    other = await cors_client.get("/api/health", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers
    unconfigured = await client.get("/api/health", headers={"Origin": "https://anb.example.org"})
    assert "access-control-allow-origin" not in unconfigured.headers
