"""HTTP tests for every accounts route and error, on both path families, SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from bench.harness.signup import signup_body, unique_email
from tests.support.accounts import bearer, signup_and_login

PREFIXES = ["/api/auth", "/auth/api/v1"]


@pytest.fixture(params=PREFIXES)
def prefix(request: pytest.FixtureRequest) -> str:
    return str(request.param)


async def test_signup_creates_user(client: httpx.AsyncClient, prefix: str) -> None:
    email = unique_email()
    body = signup_body(first_name="  Ana ", email=f"  {email.upper()} ")
    answer = await client.post(f"{prefix}/signup", json=body)
    assert answer.status_code == 201
    data = answer.json()
    assert data["message"] == "Usuario creado exitosamente."
    assert data["id"] == data["user_id"]
    assert data["email"] == email
    assert data["first_name"] == "Ana"
    assert data["is_active"] is True
    assert "password" not in answer.text and "hash" not in answer.text


async def test_signup_duplicate_email(client: httpx.AsyncClient, prefix: str) -> None:
    body = signup_body()
    assert (await client.post(f"{prefix}/signup", json=body)).status_code == 201
    again = await client.post(f"{prefix}/signup", json={**body, "email": body["email"].upper()})
    assert again.status_code == 400
    assert again.json() == {"detail": "El email ya está registrado.", "code": "email_taken"}


async def test_concurrent_duplicate_signups_create_one_user(client: httpx.AsyncClient) -> None:
    body = signup_body()
    answers = await asyncio.gather(*(client.post("/api/auth/signup", json=body) for _ in range(5)))
    codes = sorted(a.status_code for a in answers)
    assert codes == [201, 400, 400, 400, 400]


@pytest.mark.parametrize(
    ("overrides", "code", "detail"),
    [
        ({"password2": "Otra2024x"}, "password_mismatch", "Las contraseñas no coinciden."),
        ({"password1": "corta1", "password2": "corta1"}, "weak_password", None),
        ({"password1": "soloLetrasAqui", "password2": "soloLetrasAqui"}, "weak_password", None),
        ({"email": "no-es-un-email"}, "invalid_email", "El email no es válido."),
        ({"first_name": "   "}, "validation_error", None),
        ({"city": "x" * 101}, "validation_error", None),
        ({"country": None}, "validation_error", None),
        ({"email": 42}, "validation_error", None),
    ],
)
async def test_signup_rejections(
    client: httpx.AsyncClient, prefix: str, overrides: dict[str, object], code: str, detail: str | None
) -> None:
    answer = await client.post(f"{prefix}/signup", json=signup_body(**overrides))
    assert answer.status_code == 400, answer.text
    assert answer.json()["code"] == code
    assert answer.json()["detail"]
    if detail:
        assert answer.json()["detail"] == detail


async def test_signup_missing_field_and_bad_json(client: httpx.AsyncClient, prefix: str) -> None:
    body = signup_body()
    del body["city"]
    missing = await client.post(f"{prefix}/signup", json=body)
    assert missing.status_code == 400
    assert "city" in missing.json()["detail"]
    broken = await client.post(f"{prefix}/signup", content=b"{not json", headers={"content-type": "application/json"})
    assert broken.status_code == 400
    assert broken.json()["code"] == "validation_error"


async def test_login_json_and_form(client: httpx.AsyncClient, prefix: str) -> None:
    body = signup_body()
    await client.post(f"{prefix}/signup", json=body)
    as_json = await client.post(f"{prefix}/login", json={"email": body["email"], "password": body["password1"]})
    as_form = await client.post(f"{prefix}/login", data={"username": body["email"], "password": body["password1"]})
    for answer in (as_json, as_form):
        assert answer.status_code == 200, answer.text
        data = answer.json()
        assert set(data) == {"access_token", "token_type", "expires_in", "refresh_token", "refresh_expires_in"}
        assert data["token_type"] == "Bearer"
        assert isinstance(data["expires_in"], int) and data["expires_in"] > 0
        assert isinstance(data["refresh_expires_in"], int) and data["refresh_expires_in"] > data["expires_in"]


async def test_login_wrong_password_and_unknown_email_answer_alike(client: httpx.AsyncClient, prefix: str) -> None:
    body = signup_body()
    await client.post(f"{prefix}/signup", json=body)
    wrong = await client.post(f"{prefix}/login", json={"email": body["email"], "password": "Incorrecta1"})
    unknown = await client.post(f"{prefix}/login", json={"email": "nadie@example.com", "password": "Incorrecta1"})
    for answer in (wrong, unknown):
        assert answer.status_code == 401
        assert answer.json() == {"detail": "Credenciales inválidas.", "code": "invalid_credentials"}


async def test_login_malformed_body(client: httpx.AsyncClient, prefix: str) -> None:
    assert (await client.post(f"{prefix}/login", json={"email": "a@b.co"})).status_code == 400
    assert (await client.post(f"{prefix}/login", json=["a"])).status_code == 400
    assert (await client.post(f"{prefix}/login", content=b"\xff\xfe")).status_code == 400


async def test_me_returns_profile(client: httpx.AsyncClient, prefix: str) -> None:
    session = await signup_and_login(client)
    answer = await client.get(f"{prefix}/me", headers=bearer(session["access_token"]))
    assert answer.status_code == 200
    profile = answer.json()
    assert profile["email"] == session["email"]
    assert profile["user_id"] == session["user_id"]
    assert profile["created_at"].endswith("Z") or profile["created_at"].endswith("+00:00")
    assert "password" not in answer.text


async def test_me_requires_a_token(client: httpx.AsyncClient, prefix: str) -> None:
    assert (await client.get(f"{prefix}/me")).status_code == 401
    assert (await client.get(f"{prefix}/me", headers={"Authorization": "Basic abc"})).status_code == 401
    assert (await client.get(f"{prefix}/me", headers=bearer("not.a.jwt"))).status_code == 401


async def test_refresh_rotates_and_old_token_stops_working(client: httpx.AsyncClient, prefix: str) -> None:
    session = await signup_and_login(client)
    first = await client.post(f"{prefix}/refresh", json={"refresh_token": session["refresh_token"]})
    assert first.status_code == 200
    rotated = first.json()
    assert rotated["refresh_token"] != session["refresh_token"]
    me = await client.get(f"{prefix}/me", headers=bearer(rotated["access_token"]))
    assert me.status_code == 200
    again = await client.post(f"{prefix}/refresh", json={"refresh_token": session["refresh_token"]})
    assert again.status_code == 401


async def test_replayed_refresh_token_revokes_the_family(client: httpx.AsyncClient, prefix: str) -> None:
    session = await signup_and_login(client)
    rotated = (await client.post(f"{prefix}/refresh", json={"refresh_token": session["refresh_token"]})).json()
    replay = await client.post(f"{prefix}/refresh", json={"refresh_token": session["refresh_token"]})
    assert replay.status_code == 401
    # The thief replayed the old token: the legitimate newer token of the family is dead too.
    legit = await client.post(f"{prefix}/refresh", json={"refresh_token": rotated["refresh_token"]})
    assert legit.status_code == 401


async def test_other_sessions_survive_a_family_revocation(client: httpx.AsyncClient) -> None:
    session = await signup_and_login(client)
    second = await client.post("/api/auth/login", json={"email": session["email"], "password": "Canasta2024"})
    await client.post("/api/auth/logout", json={"refresh_token": session["refresh_token"]})
    answer = await client.post("/api/auth/refresh", json={"refresh_token": second.json()["refresh_token"]})
    assert answer.status_code == 200


async def test_logout_revokes_refresh_token(client: httpx.AsyncClient, prefix: str) -> None:
    session = await signup_and_login(client)
    out = await client.post(f"{prefix}/logout", json={"refresh_token": session["refresh_token"]})
    assert out.status_code == 200
    assert out.json()["message"]
    after = await client.post(f"{prefix}/refresh", json={"refresh_token": session["refresh_token"]})
    assert after.status_code == 401
    twice = await client.post(f"{prefix}/logout", json={"refresh_token": session["refresh_token"]})
    assert twice.status_code == 401


async def test_unknown_refresh_token_and_bad_body(client: httpx.AsyncClient, prefix: str) -> None:
    assert (await client.post(f"{prefix}/refresh", json={"refresh_token": "nope"})).status_code == 401
    assert (await client.post(f"{prefix}/logout", json={"refresh_token": "nope"})).status_code == 401
    assert (await client.post(f"{prefix}/refresh", json={})).status_code == 400


async def test_status(client: httpx.AsyncClient, prefix: str) -> None:
    answer = await client.get(f"{prefix}/status")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok"}


async def test_jwks_publishes_the_public_key(client: httpx.AsyncClient, prefix: str) -> None:
    keys = (await client.get(f"{prefix}/jwks.json")).json()["keys"]
    assert len(keys) == 1
    assert keys[0]["kty"] == "OKP" and keys[0]["crv"] == "Ed25519"
    assert "d" not in keys[0]
