from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from anb.app import create_app
from anb.config import DatabaseSettings, Settings, StorageSettings
from anb.db.migrate import upgrade
from anb.storage.s3 import S3Storage
from anb.wiring import storage_for
from tests.clips import PDF_BYTES, make_audio_only, make_clip, truncate_copy
from tests.s3_server import S3_ACCESS_KEY, S3_REGION, S3_SECRET_KEY, run_s3_server
from tests.services import postgres_database


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Every test that uses the database runs on SQLite and on the real PostgreSQL server."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'anb.sqlite3'}"
        upgrade(url)
        yield url
        return
    with postgres_database() as url:
        upgrade(url)
        yield url


@pytest.fixture(scope="session")
def s3_endpoint_url() -> Iterator[str]:
    """One real S3-compatible server (moto) for the session; tests isolate themselves by bucket."""
    with run_s3_server() as endpoint_url:
        yield endpoint_url


def s3_settings(database_url: str, data_dir: Path, endpoint_url: str) -> Settings:
    """Settings of a deployment on S3 with a fresh bucket of its own."""
    storage_settings = StorageSettings.model_validate(
        {
            "backend": "s3",
            "s3_bucket": f"anb-test-{uuid.uuid4().hex[:12]}",
            "s3_region": S3_REGION,
            "s3_endpoint_url": endpoint_url,
            "s3_access_key": S3_ACCESS_KEY,
            "s3_secret_key": S3_SECRET_KEY,
        }
    )
    settings = Settings(data_dir=data_dir, database=DatabaseSettings(url=database_url), storage=storage_settings)
    storage = storage_for(settings)
    assert isinstance(storage, S3Storage)
    storage.ensure_bucket()
    return settings


@pytest.fixture(scope="session")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every clip the upload tests need, made once per session."""
    folder = tmp_path_factory.mktemp("clips")
    good = make_clip(folder / "good.mp4")
    pdf = folder / "document.mp4"
    pdf.write_bytes(PDF_BYTES)
    empty = folder / "empty.mp4"
    empty.write_bytes(b"")
    return {
        "good": good,
        "vertical": make_clip(folder / "vertical.mp4", width=1080, height=1920),
        "short": make_clip(folder / "short.mp4", seconds=5),
        "long": make_clip(folder / "long.mp4", seconds=65, fps=5),
        "720p": make_clip(folder / "720p.mp4", width=1280, height=720),
        "audio_only": make_audio_only(folder / "audio.mp4"),
        "truncated": truncate_copy(good, folder / "truncated.mp4"),
        "pdf": pdf,
        "empty": empty,
    }


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", database=DatabaseSettings(url=database_url))


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    yield application
    await application.state.anb.close()


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


def unique_email() -> str:
    return f"player-{uuid.uuid4().hex[:10]}@example.com"


def signup_body(**overrides: Any) -> dict[str, Any]:
    body = {
        "first_name": "Ana",
        "last_name": "Pérez",
        "email": unique_email(),
        "password1": "Canasta2024",
        "password2": "Canasta2024",
        "city": "Bogotá",
        "country": "Colombia",
    }
    body.update(overrides)
    return body


async def signup_and_login(client: httpx.AsyncClient, **overrides: Any) -> dict[str, Any]:
    """Create a player and return its login answer plus the email used."""
    body = signup_body(**overrides)
    created = await client.post("/api/auth/signup", json=body)
    assert created.status_code == 201, created.text
    login = await client.post("/api/auth/login", json={"email": body["email"], "password": body["password1"]})
    assert login.status_code == 200, login.text
    return {**login.json(), "email": body["email"], "user_id": created.json()["user_id"]}


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
