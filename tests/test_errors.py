"""Database trouble that reaches a route answers 503 with the error model, never a 500."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.exc import TimeoutError as PoolTimeout

from anb.errors import install_error_handlers


@pytest.mark.parametrize("error", [PoolTimeout("QueuePool limit reached"), TimeoutError(), ConnectionRefusedError()])
async def test_database_unavailable_answers_503(error: Exception) -> None:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/busy")
    async def busy() -> None:
        raise error

    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        answer = await client.get("/busy")
    assert answer.status_code == 503
    assert answer.json()["code"] == "database_unavailable"
    assert answer.headers["retry-after"]
