"""POST /api/auth/signup/fan: a voting-only account (both path families); fans cannot upload."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from bench.harness.signup import unique_email
from tests.support.accounts import bearer
from tests.support.voting_rows import make_player, make_video, unique_city

PASSWORD = "Canasta2024"


def fan_body(**overrides: str) -> dict[str, str]:
    return {"name": "Marta", "email": unique_email(), "password1": PASSWORD, "password2": PASSWORD, **overrides}


async def _login(client: httpx.AsyncClient, email: str) -> str:
    answer = await client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["access_token"])


@pytest.mark.parametrize("prefix", ["/api/auth", "/auth/api/v1"])
async def test_fan_signs_up_logs_in_and_votes(client: httpx.AsyncClient, app: object, prefix: str) -> None:
    body = fan_body(email=f"  {unique_email().upper()} ")
    created = await client.post(f"{prefix}/signup/fan", json=body)
    assert created.status_code == 201, created.text
    answer = created.json()
    assert answer["message"] == "Cuenta de aficionado creada exitosamente."
    assert (answer["name"], answer["kind"], answer["email"]) == ("Marta", "fan", body["email"].strip().lower())
    token = await _login(client, body["email"])
    profile = (await client.get("/api/auth/me", headers=bearer(token))).json()
    assert (profile["first_name"], profile["last_name"], profile["city"], profile["country"]) == ("Marta", "", "", "")

    video_id = await make_video(app, await make_player(app, city=unique_city()))  # type: ignore[arg-type]
    voted = await client.post(f"/api/public/videos/{video_id}/vote", headers=bearer(token))
    assert voted.status_code == 200
    assert (await client.get("/api/public/my-votes", headers=bearer(token))).json() == {"video_ids": [video_id]}


@pytest.mark.parametrize(
    ("overrides", "detail"),
    [
        ({"password2": "Otra2024x"}, "Las contraseñas no coinciden."),
        ({"email": "no-es-un-correo"}, None),
        ({"password1": "corta", "password2": "corta"}, None),
        ({"name": "   "}, None),
    ],
)
async def test_fan_signup_refusals(client: httpx.AsyncClient, overrides: dict[str, str], detail: str | None) -> None:
    answer = await client.post("/api/auth/signup/fan", json=fan_body(**overrides))
    assert answer.status_code == 400
    if detail:
        assert answer.json()["detail"] == detail


async def test_fan_signup_missing_field_and_duplicate_email(client: httpx.AsyncClient) -> None:
    body = fan_body()
    del body["name"]
    assert (await client.post("/api/auth/signup/fan", json=body)).status_code == 400
    body = fan_body()
    assert (await client.post("/api/auth/signup/fan", json=body)).status_code == 201
    again = await client.post("/api/auth/signup/fan", json=body)
    assert (again.status_code, again.json()["detail"]) == (400, "El email ya está registrado.")


async def test_fans_cannot_upload(client: httpx.AsyncClient, clips: dict[str, Path]) -> None:
    body = fan_body()
    assert (await client.post("/api/auth/signup/fan", json=body)).status_code == 201
    token = await _login(client, body["email"])
    with clips["good"].open("rb") as clip:
        answer = await client.post(
            "/api/videos/upload",
            headers=bearer(token),
            data={"title": "No debería"},
            files={"video_file": ("clip.mp4", clip, "video/mp4")},
        )
    assert answer.status_code == 403
    assert answer.json()["code"] == "fan_account"
    assert (await client.get("/api/videos", headers=bearer(token))).json() == []
