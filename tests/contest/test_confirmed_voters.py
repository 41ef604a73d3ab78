"""Confirmed voters: signup mails a link (a real SMTP server on loopback), an unconfirmed voter gets
403 email_unconfirmed and can ask for another link, following the link lets them vote."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from pydantic import SecretStr

from anb.config import DatabaseSettings, HttpSettings, Settings, VotingSettings
from bench.harness.signup import signup_body
from tests.support.accounts import bearer
from tests.support.in_process import app_client
from tests.support.smtp_server import LOGIN_WITHOUT_TLS, Mailbox, smtp_server
from tests.support.voting_rows import make_player, make_video

VOTED = {"message": "Voto registrado exitosamente."}
pytestmark = LOGIN_WITHOUT_TLS


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as box:
        yield box


def _settings(database_url: str, tmp_path: Path, smtp_url: str | None) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        database=DatabaseSettings(url=database_url),
        voting=VotingSettings(public_cache_ttl_seconds=0, require_confirmed_email=True),
        http=HttpSettings(public_base_url="https://anb.example.org"),
        smtp_url=SecretStr(smtp_url) if smtp_url else None,
    )


async def _signup_and_login(client: httpx.AsyncClient) -> tuple[str, dict[str, str]]:
    body = signup_body()
    created = await client.post("/api/auth/signup", json=body)
    assert created.status_code == 201, created.text
    assert created.json()["message"] == "Usuario creado exitosamente."
    login = await client.post("/api/auth/login", json={"email": body["email"], "password": body["password1"]})
    return body["email"], bearer(login.json()["access_token"])


def _token(link: str) -> str:
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "anb.example.org", "/")
    route, _, query = parts.fragment.partition("?")
    assert route == "/confirmar"
    return parse_qs(query)["token"][0]


async def test_an_unconfirmed_voter_confirms_by_the_mailed_link(
    database_url: str, tmp_path: Path, mailbox: Mailbox
) -> None:
    async with app_client(_settings(database_url, tmp_path, mailbox.url)) as (app, client):
        video = await make_video(app, await make_player(app))
        email, headers = await _signup_and_login(client)
        first_link = await asyncio.to_thread(mailbox.link_to, email)
        assert mailbox.wait_for(email)["Subject"] == "Confirma tu email · ANB Rising Stars"
        assert (await client.get("/api/auth/me", headers=headers)).json()["email_confirmed"] is False

        refused = await client.post(f"/api/public/videos/{video}/vote", headers=headers)
        assert refused.status_code == 403
        assert refused.json()["code"] == "email_unconfirmed"
        assert "POST /api/auth/confirm/resend" in refused.json()["detail"]

        resent = await client.post("/api/auth/confirm/resend", headers=headers)
        assert resent.json() == {"message": "Te enviamos un nuevo enlace de confirmación."}
        await asyncio.to_thread(lambda: _wait_count(mailbox, email, 2))

        bad = await client.post("/api/auth/confirm", json={"token": _token(first_link) + "x"})
        assert bad.status_code == 400 and bad.json()["code"] == "invalid_confirmation_token"
        confirmed = await client.post("/api/auth/confirm", json={"token": _token(first_link)})
        assert confirmed.json() == {"message": "Email confirmado. Ya puedes votar."}
        assert (await client.post("/api/auth/confirm", json={"token": _token(first_link)})).status_code == 200
        assert (await client.get("/api/auth/me", headers=headers)).json()["email_confirmed"] is True
        assert (await client.post(f"/api/public/videos/{video}/vote", headers=headers)).json() == VOTED
        already = await client.post("/api/auth/confirm/resend", headers=headers)
        assert already.json() == {"message": "Tu email ya está confirmado."}


def _wait_count(mailbox: Mailbox, to: str, count: int) -> None:
    deadline = time.monotonic() + 10
    while sum(1 for m in mailbox.messages if m["To"] == to) < count:
        assert time.monotonic() < deadline, "the second link never arrived"
        time.sleep(0.05)


async def test_without_smtp_the_link_goes_to_the_outbox(database_url: str, tmp_path: Path) -> None:
    settings = _settings(database_url, tmp_path, None)
    async with app_client(settings) as (_app, client):
        email, _headers = await _signup_and_login(client)
    outbox = list((settings.data_dir / "outbox").glob("*.eml"))
    assert len(outbox) == 1
    text = outbox[0].read_text()
    assert f"To: {email}" in text and "https://anb.example.org/#/confirmar?token=" in text


async def test_a_refused_smtp_login_does_not_fail_the_signup(
    database_url: str, tmp_path: Path, mailbox: Mailbox
) -> None:
    wrong = mailbox.url.replace("ses-password", "wrong")
    async with app_client(_settings(database_url, tmp_path, wrong)) as (_app, client):
        await _signup_and_login(client)
    assert mailbox.messages == []


async def test_by_default_unconfirmed_accounts_vote_as_the_statement_has_it(client: httpx.AsyncClient, app) -> None:
    video = await make_video(app, await make_player(app))
    _email, headers = await _signup_and_login(client)
    assert (await client.post(f"/api/public/videos/{video}/vote", headers=headers)).json() == VOTED
