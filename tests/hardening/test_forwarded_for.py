"""Per-address limits on a real ``anb serve`` with two server processes: one count shared by both
(the sqlite backend), and a client that writes its own X-Forwarded-For gains nothing by it."""

from __future__ import annotations

import random
from pathlib import Path

import httpx

from bench.harness.processes import anb_serve
from bench.harness.signup import signup_body


def _loopback_client(address: str) -> httpx.Client:
    # A new connection per request, so the kernel spreads them over both server processes.
    transport = httpx.HTTPTransport(local_address=address, limits=httpx.Limits(max_keepalive_connections=0))
    return httpx.Client(transport=transport, timeout=30)


def test_the_signup_limit_holds_across_server_processes_whatever_the_client_writes(tmp_path: Path) -> None:
    env = {"ANB_DATA_DIR": str(tmp_path / "data"), "ANB_JOBS__CONCURRENCY": "1"}
    # A client at an address of its own in 127/8: not a trusted proxy (loopback 127.0.0.1 is).
    client_address = f"127.{random.randint(1, 254)}.{random.randint(1, 254)}.{random.randint(2, 254)}"
    with anb_serve(env, tmp_path / "serve.log", workers=2) as base, _loopback_client(client_address) as http:
        codes = [
            http.post(
                f"{base}/api/auth/signup",
                json=signup_body(),
                headers={"X-Forwarded-For": f"203.0.{n // 250}.{n % 250 + 1}"},
            ).status_code
            for n in range(33)
        ]
        # The default 30/hour, exactly: neither the processes nor the forged addresses add any.
        assert codes == [201] * 30 + [429] * 3
        with _loopback_client("127.0.0.1") as other:
            assert other.post(f"{base}/api/auth/signup", json=signup_body()).status_code == 201
