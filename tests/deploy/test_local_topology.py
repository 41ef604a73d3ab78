"""The production topology on this machine (deploy/local/topology.py), driven like a person would.

One command brings up migrate, auth, core, a Celery worker on RabbitMQ, an S3-compatible server
and nginx routing like the ALB; a whole journey goes through the edge only; `down --purge`
leaves no process, database, queue or file behind.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from bench.harness.clips import make_clip
from bench.harness.postgres import POSTGRES_ADMIN_URL
from bench.harness.processes import wait_until
from bench.harness.signup import signup_body
from tests.deploy.journey import journey
from tests.support.services import require

pytestmark = [pytest.mark.postgres, pytest.mark.rabbitmq, pytest.mark.slow]

TOPOLOGY = Path(__file__).resolve().parents[2] / "deploy" / "local" / "topology.py"


def topology(run_dir: Path, *args: str, timeout: float = 180) -> str:
    done = subprocess.run(
        [sys.executable, str(TOPOLOGY), "--run-dir", str(run_dir), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, f"topology {args[0]} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def process_groups(run_dir: Path) -> list[int]:
    return [int(path.read_text()) for path in (run_dir / "pids").glob("*.pid")]


def live_members(pgids: list[int]) -> list[str]:
    """Every live (non-zombie) process of those groups, as "pid command"."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if int(fields[2]) in pgids and fields[0] != "Z":
            found.append(f"{entry.name} {command}")
    return found


@contextmanager
def fake_ecs_agent() -> Iterator[tuple[str, list[dict[str, object]]]]:
    """Stands in for the ECS agent's task-protection endpoint (no ECS here); records each state set."""
    calls: list[dict[str, object]] = []

    class Agent(BaseHTTPRequestHandler):
        def do_PUT(self) -> None:
            assert self.path == "/task-protection/v1/state"
            calls.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: object) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Agent)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", calls
    finally:
        server.shutdown()
        server.server_close()


def test_journey_through_the_edge_then_a_clean_stop(tmp_path: Path) -> None:
    require("PostgreSQL", "127.0.0.1", 5432)
    require("RabbitMQ", "127.0.0.1", 5672)
    require("Redis", "127.0.0.1", 6379)
    if shutil.which("nginx") is None:
        pytest.fail("nginx is not installed (scripts/bootstrap --dev installs nginx-light)")
    clip = make_clip(tmp_path / "clip1080.mp4")
    run_dir = tmp_path / "run"
    database, queue = f"anb_topology_{uuid.uuid4().hex[:10]}", f"anb-topology-{uuid.uuid4().hex[:10]}"
    args = ["--database", database, "--queue", queue, "--postgres-admin-url", POSTGRES_ADMIN_URL]
    args += ["--set", f"ANB_RATE_LIMIT__SIGNUP_PER_ADDRESS={ADDRESS_SIGNUPS}/hour"]
    with fake_ecs_agent() as (agent_uri, protection_calls):
        base_url = topology(run_dir, "up", *args, "--ecs-agent-uri", agent_uri).strip().splitlines()[-1]
        pgids = process_groups(run_dir)
        try:
            assert sorted(path.stem for path in (run_dir / "pids").glob("*.pid")) == [
                "auth", "core", "edge", "protection", "s3", "worker"
            ]  # fmt: skip
            assert json.loads((run_dir / "topology.json").read_text())["base_url"] == base_url
            # Each client at a fresh address of 127/8: the limits' counts in Redis outlive a run.
            with client_at(base_url, random_loopback(10)) as edge:
                journey(edge, clip)
            client_addresses_through_the_edge(base_url)
            # The task was protected from scale-in during the encode, and released after it.
            wait_until(lambda: len(protection_calls) >= 2, timeout=10, what="protection cleared")
            enabled, cleared = {"ProtectionEnabled": True, "ExpiresInMinutes": 15}, {"ProtectionEnabled": False}
            assert protection_calls == [enabled, cleared]
        finally:
            topology(run_dir, "down", "--purge")
    assert live_members(pgids) == []
    assert not run_dir.exists()


ADDRESS_SIGNUPS = 3


def random_loopback(last: int) -> str:
    return f"127.{random.randint(1, 254)}.{random.randint(1, 254)}.{last}"


def client_at(base_url: str, address: str) -> httpx.Client:
    return httpx.Client(base_url=base_url, timeout=60, transport=httpx.HTTPTransport(local_address=address))


def client_addresses_through_the_edge(base_url: str) -> None:
    """client -> nginx -> auth: the limit counts the address nginx saw (a fresh one in 127/8 per
    run, Redis is shared), and a forged X-Forwarded-For, which nginx appends to, changes nothing."""

    with client_at(base_url, random_loopback(11)) as edge:
        codes = [
            edge.post("/api/auth/signup", json=signup_body(), headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code
            for n in range(ADDRESS_SIGNUPS + 1)
        ]
    assert codes == [201] * ADDRESS_SIGNUPS + [429]
    with client_at(base_url, random_loopback(12)) as edge:
        assert edge.post("/api/auth/signup", json=signup_body()).status_code == 201
