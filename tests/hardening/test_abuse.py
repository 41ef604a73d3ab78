"""Abuse limits: signups, logins and uploads per client, and the per-account login lockout.

Votes have theirs in tests/voting/test_votes.py. Each limit here is small so a test reaches it in
a few requests; the refused answer is a 429 with the error body and ``Retry-After``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from anb.config import DatabaseSettings, LoginLockoutRule, Settings
from anb.ratelimit import MemoryLockout
from bench.harness.signup import signup_body
from tests.support.accounts import bearer, signup_and_login
from tests.support.in_process import app_client

WRONG = "Equivocada99"


@asynccontextmanager
async def limited(database_url: str, tmp_path: Path, **limits: Any) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    settings = Settings(data_dir=tmp_path / "data", database=DatabaseSettings(url=database_url), rate_limit=limits)  # type: ignore[arg-type]
    async with app_client(settings) as pair:
        yield pair


def assert_rate_limited(answer: httpx.Response, code: str = "rate_limited") -> int:
    assert answer.status_code == 429, answer.text
    assert answer.json()["code"] == code
    assert answer.json()["detail"].startswith("Demasiad")
    assert answer.headers["x-content-type-options"] == "nosniff"
    return int(answer.headers["Retry-After"])


async def test_signups_per_client_address(database_url: str, tmp_path: Path) -> None:
    async with limited(database_url, tmp_path, signup_per_address="2/hour") as (_, http):
        for _ in range(2):
            assert (await http.post("/api/auth/signup", json=signup_body())).status_code == 201
        refused = await http.post("/auth/api/v1/signup", json=signup_body())
        # One signup every 30 minutes refills the bucket.
        assert 1 <= assert_rate_limited(refused) <= 1800


async def test_logins_per_client_address(database_url: str, tmp_path: Path) -> None:
    async with limited(database_url, tmp_path, login_per_address="3/minute") as (_, http):
        body = signup_body()
        await http.post("/api/auth/signup", json=body)
        credentials = {"email": body["email"], "password": body["password1"]}
        for _ in range(3):
            assert (await http.post("/api/auth/login", json=credentials)).status_code == 200
        assert 1 <= assert_rate_limited(await http.post("/api/auth/login", json=credentials)) <= 20


async def test_uploads_per_player_count_rejected_ones_too(database_url: str, tmp_path: Path) -> None:
    async with limited(database_url, tmp_path, upload_per_user="1/hour") as (_, http):
        player = bearer((await signup_and_login(http))["access_token"])
        not_multipart = await http.post("/api/videos/upload", headers=player, json={"title": "x"})
        assert not_multipart.status_code == 400
        assert_rate_limited(await http.post("/api/videos/upload", headers=player, json={"title": "x"}))
        other = bearer((await signup_and_login(http))["access_token"])
        assert (await http.post("/api/videos/upload", headers=other, json={"title": "x"})).status_code == 400


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


RULE = LoginLockoutRule(free_failures=2, base_seconds=30, max_seconds=100, forget_after_seconds=3600)


@pytest.fixture
async def lockout_app(database_url: str, tmp_path: Path) -> AsyncIterator[tuple[httpx.AsyncClient, FakeClock]]:
    async with limited(database_url, tmp_path) as (application, http):
        clock = FakeClock()
        application.state.anb.login_lockout = MemoryLockout(RULE, clock=clock)
        yield http, clock


async def _login(http: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await http.post("/api/auth/login", json={"email": email, "password": password})


async def test_failed_logins_lock_the_account_exponentially(
    lockout_app: tuple[httpx.AsyncClient, FakeClock],
) -> None:
    http, clock = lockout_app
    body = signup_body()
    await http.post("/api/auth/signup", json=body)
    email, password = body["email"], body["password1"]
    assert [(await _login(http, email, WRONG)).status_code for _ in range(2)] == [401, 401]
    # Locked: even the right password is refused, so a guess made now learns nothing.
    assert assert_rate_limited(await _login(http, email.upper(), password), "login_locked") == 30
    clock.now += 30
    assert (await _login(http, email, WRONG)).status_code == 401
    assert assert_rate_limited(await _login(http, f" {email} ", password), "login_locked") == 60
    clock.now += 60
    assert (await _login(http, email, WRONG)).status_code == 401
    assert assert_rate_limited(await _login(http, email, password), "login_locked") == 100  # the cap
    # Other accounts are not affected.
    other = await signup_and_login(http)
    assert other["access_token"]


async def test_a_successful_login_clears_the_failures(lockout_app: tuple[httpx.AsyncClient, FakeClock]) -> None:
    http, _ = lockout_app
    body = signup_body()
    await http.post("/api/auth/signup", json=body)
    email, password = body["email"], body["password1"]
    assert (await _login(http, email, WRONG)).status_code == 401
    assert (await _login(http, email, password)).status_code == 200
    # Two free failures again, not one.
    assert (await _login(http, email, WRONG)).status_code == 401
    assert (await _login(http, email, WRONG)).status_code == 401
    assert (await _login(http, email, password)).status_code == 429


async def test_unknown_emails_lock_the_same_way(lockout_app: tuple[httpx.AsyncClient, FakeClock]) -> None:
    """Whether an email is registered cannot be told from the lockout."""
    http, _ = lockout_app
    known = signup_body()
    await http.post("/api/auth/signup", json=known)
    unknown = signup_body()["email"]
    answers = {
        email: [(await _login(http, email, WRONG)).status_code for _ in range(3)] for email in (known["email"], unknown)
    }
    assert answers[known["email"]] == answers[unknown] == [401, 401, 429]
