"""The contest is one per database: its tests use a fresh database each, never the session's."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from anb.accounts.models import User
from anb.config import ContestSettings, DatabaseSettings, Settings, VotingSettings
from anb.contest_rules.rules import iso_utc
from tests.support.in_process import app_client
from tests.support.voting_rows import Player, make_player
from tests.voting.conftest import fresh_database_url

__all__ = ["fresh_database_url"]


@pytest.fixture
def contest_settings(fresh_database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        database=DatabaseSettings(url=fresh_database_url),
        voting=VotingSettings(public_cache_ttl_seconds=0),
        contest=ContestSettings(close_grace_seconds=0),
    )


@pytest.fixture
async def contest_app(contest_settings: Settings) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    async with app_client(contest_settings) as pair:
        yield pair


async def make_operator(app: FastAPI) -> Player:
    operator = await make_player(app, "Olga", "Operadora")
    async with app.state.anb.sessions() as db:
        await db.execute(update(User).where(User.id == operator.id).values(role="operator"))
        await db.commit()
    return operator


async def set_rules(
    client: httpx.AsyncClient, operator: Player, opens: datetime, closes: datetime, **extra: object
) -> httpx.Response:
    body = {"opens_at": iso_utc(opens), "closes_at": iso_utc(closes), **extra}
    return await client.put("/api/admin/contest", json=body, headers=operator.headers)
