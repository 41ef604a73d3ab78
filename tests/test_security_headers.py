from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from anb.app import create_app
from anb.body_limit import MAX_SMALL_BODY_BYTES
from anb.config import DatabaseSettings, HttpSettings, Settings
from anb.security_headers import DOCS_CSP
from bench.harness.signup import signup_body


def assert_secured(answer: httpx.Response) -> None:
    assert answer.headers["x-content-type-options"] == "nosniff", answer.request.url
    assert answer.headers["x-frame-options"] == "DENY"
    csp = answer.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp


async def test_every_answer_carries_the_security_headers(client: httpx.AsyncClient) -> None:
    for answer in (
        await client.get("/api/health"),
        await client.get("/api/nothing"),
        await client.post("/api/auth/login", json={}),
        await client.get("/"),
        await client.get("/api/videos"),
        await client.delete("/api/health"),
        await client.get("/api/openapi.json"),
        await client.get("/media/videos/x/original.mp4?exp=1&sig=forged"),
        await client.post("/api/auth/signup", content=b"{" * 70_000, headers={"Content-Type": "application/json"}),
    ):
        assert answer.status_code in (200, 400, 401, 403, 404, 405, 413), answer.text
        assert_secured(answer)


async def test_stored_media_is_served_with_the_security_headers(
    client: httpx.AsyncClient, app: FastAPI, tmp_path: Path
) -> None:
    storage = app.state.anb.storage
    source = tmp_path / "clip.mp4"
    source.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\0" * 100)
    storage.save_file("videos/sample/original.mp4", source, "video/mp4")
    served = await client.get(storage.url("videos/sample/original.mp4", 300), headers={"Range": "bytes=0-9"})
    assert served.status_code == 206
    assert served.headers["content-type"] == "video/mp4"
    assert_secured(served)


async def test_unexpected_errors_answer_the_error_model_with_the_security_headers(app: FastAPI) -> None:
    @app.get("/api/test-only/boom")
    async def boom() -> None:
        raise RuntimeError("secret detail that must not leak")

    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        answer = await http.get("/api/test-only/boom")
    assert answer.status_code == 500
    assert answer.json() == {"detail": "Error interno del servidor.", "code": "internal_error"}
    assert_secured(answer)


async def test_the_api_docs_page_gets_its_own_policy(client: httpx.AsyncClient) -> None:
    answer = await client.get("/api/docs")
    assert answer.status_code == 200
    assert answer.headers["content-security-policy"] == DOCS_CSP
    assert answer.headers["x-frame-options"] == "DENY"


async def test_oversized_json_bodies_are_refused_before_parsing(client: httpx.AsyncClient) -> None:
    body = signup_body(first_name="x" * 100_000)
    answer = await client.post("/api/auth/signup", json=body)
    assert answer.status_code == 413
    assert answer.json()["code"] == "body_too_large"


async def test_bodies_without_a_declared_length_are_limited_too(client: httpx.AsyncClient) -> None:
    sent = 0

    async def chunks(body: bytes) -> AsyncIterator[bytes]:
        nonlocal sent
        for start in range(0, len(body), 16 * 1024):
            sent += 16 * 1024
            yield body[start : start + 16 * 1024]

    headers = {"Content-Type": "application/json"}
    oversized = json.dumps(signup_body(first_name="x" * 10_000_000)).encode()
    answer = await client.post("/api/auth/signup", content=chunks(oversized), headers=headers)
    assert answer.status_code == 413
    assert answer.json()["code"] == "body_too_large"
    assert sent <= MAX_SMALL_BODY_BYTES + 16 * 1024  # reading stopped at the limit
    small = await client.post("/api/auth/signup", content=chunks(json.dumps(signup_body()).encode()), headers=headers)
    assert small.status_code == 201, small.text


@pytest.fixture
async def cors_client(database_url: str, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(
        Settings(
            data_dir=tmp_path,
            database=DatabaseSettings(url=database_url),
            http=HttpSettings(cors_origins=["https://anb.example.org"]),
        )
    )
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


async def test_cors_preflight_from_other_origins_is_refused(cors_client: httpx.AsyncClient) -> None:
    for origin in ("https://evil.example", "https://anb.example.org.evil.example", "null"):
        preflight = await cors_client.options(
            "/api/auth/login",
            headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
        )
        assert preflight.status_code == 400
        assert "access-control-allow-origin" not in preflight.headers
        assert_secured(preflight)
    # Credentials are never allowed: the API authenticates with bearer tokens, not cookies.
    allowed = await cors_client.get("/api/health", headers={"Origin": "https://anb.example.org"})
    assert allowed.headers["access-control-allow-origin"] == "https://anb.example.org"
    assert "access-control-allow-credentials" not in allowed.headers
