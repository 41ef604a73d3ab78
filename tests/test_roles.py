"""Production roles: the auth process signs tokens, the core process verifies them with the public key only."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx

from anb.app import create_app
from anb.config import DatabaseSettings, Settings
from bench.harness.processes import ANB
from tests.support.accounts import signup_and_login


async def test_core_role_verifies_tokens_without_the_signing_key(database_url: str, tmp_path: Path) -> None:
    private, public = tmp_path / "signing.pem", tmp_path / "public.pem"
    done = subprocess.run([ANB, "keygen", str(private), str(public)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert private.stat().st_mode & 0o777 == 0o600
    auth = create_app(
        Settings(
            data_dir=tmp_path / "a",
            database=DatabaseSettings(url=database_url),
            role="auth",
            auth={"signing_key": private.read_text()},
        )  # type: ignore[arg-type]
    )
    core = create_app(
        Settings(
            data_dir=tmp_path / "c",
            database=DatabaseSettings(url=database_url),
            role="core",
            auth={"public_key": public.read_text()},
        )  # type: ignore[arg-type]
    )
    async with (
        httpx.AsyncClient(transport=httpx.ASGITransport(app=auth), base_url="http://auth") as auth_client,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=core), base_url="http://core") as core_client,
    ):
        session = await signup_and_login(auth_client)
        headers = {"Authorization": f"Bearer {session['access_token']}"}
        assert (await core_client.get("/api/videos", headers=headers)).status_code == 200
        # Each role serves only its routes.
        assert (await core_client.post("/api/auth/login", json={})).status_code == 404
        assert (await auth_client.get("/api/videos", headers=headers)).status_code == 404
        assert (await core_client.get("/api/health")).status_code == 200
    assert core.state.anb.tokens._keys.private_key is None
    await auth.state.anb.close()
    await core.state.anb.close()
