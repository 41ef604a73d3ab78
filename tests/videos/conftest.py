"""The app on the S3-compatible test server, for the upload tests that run against S3."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from anb.app import create_app
from bench.harness.s3_server import s3_settings


@pytest.fixture
async def s3_client(database_url: str, tmp_path: Path, s3_endpoint_url: str) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(s3_settings(database_url, tmp_path / "data", s3_endpoint_url))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as http:
        http.app = app  # type: ignore[attr-defined]
        yield http
    await app.state.anb.close()
