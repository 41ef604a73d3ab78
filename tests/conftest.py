from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from anb.app import create_app
from anb.config import DatabaseSettings, Settings
from anb.db.migrate import upgrade
from bench.harness.clips import PDF_BYTES, make_audio_only, make_clip, truncate_copy
from tests.support.s3_server import run_s3_server
from tests.support.services import postgres_database


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
