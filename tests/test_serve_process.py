"""``anb serve`` as a real process: zero configuration, signup, login, clean stop."""

from __future__ import annotations

from pathlib import Path

import httpx

from bench.harness.processes import anb_serve
from bench.harness.signup import signup_body


def test_serve_signup_login_and_stop(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with anb_serve({"ANB_DATA_DIR": str(data_dir)}, tmp_path / "serve.log") as base:
        body = signup_body()
        created = httpx.post(f"{base}/api/auth/signup", json=body, timeout=10)
        assert created.status_code == 201, created.text
        login = httpx.post(
            f"{base}/auth/api/v1/login", data={"username": body["email"], "password": body["password1"]}, timeout=10
        )
        assert login.status_code == 200
        token = login.json()["access_token"]
        # Several server processes share one key: every one of them accepts the token.
        for _ in range(6):
            me = httpx.get(f"{base}/api/auth/me", headers={"Authorization": f"Bearer {token}"}, timeout=10)
            assert me.status_code == 200
        assert httpx.get(f"{base}/api/ready", timeout=10).json()["status"] == "ready"
        assert httpx.get(f"{base}/health", timeout=10).json() == {"status": "healthy"}
    assert (data_dir / "anb.sqlite3").exists()
