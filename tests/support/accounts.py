"""Players signed up and logged in through the real HTTP routes."""

from __future__ import annotations

from typing import Any

import httpx

from bench.harness.signup import signup_body


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
