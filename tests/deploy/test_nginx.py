"""The nginx edge: both configurations pass `nginx -t`, and the shared routing behaves like the
ALB's listener rules with stand-in backends (a 100 MB upload passes, streamed; /metrics never does)."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType

import httpx
import pytest

from bench.harness.processes import free_port, stop, wait_http
from tests.support.deploy_tools import DEPLOY

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MiB = 1024 * 1024


@pytest.fixture(scope="module", autouse=True)
def _nginx_installed() -> None:
    if not Path(NGINX).exists():
        pytest.fail("nginx is not installed (scripts/bootstrap --dev installs nginx-light)")


def edge_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("edge", DEPLOY / "local" / "edge.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def nginx_test(config: Path, prefix: Path, pid: bool = True) -> subprocess.CompletedProcess[str]:
    # A private prefix and pid file: no root-owned default path is needed (the local topology's
    # configuration names its own pid file).
    command = [NGINX, "-t", "-p", str(prefix), "-c", str(config)]
    if pid:
        command += ["-g", f"pid {prefix}/nginx.pid;"]
    return subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)


def test_the_compose_edge_configuration_is_valid(tmp_path: Path) -> None:
    done = nginx_test(DEPLOY / "nginx" / "compose.conf", tmp_path)
    assert done.returncode == 0, done.stderr


def test_a_broken_configuration_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "nginx.conf"
    broken.write_text((DEPLOY / "nginx" / "compose.conf").read_text().replace("include routes.conf;", "include;"))
    assert nginx_test(broken, tmp_path).returncode != 0


class Backend(BaseHTTPRequestHandler):
    """Answers which backend it is, the path, how many body bytes arrived and the forwarded headers."""

    protocol_version = "HTTP/1.1"
    name = ""

    def _answer(self) -> None:
        received = 0
        if self.headers.get("Transfer-Encoding") == "chunked":
            while size := int(self.rfile.readline().strip() or b"0", 16):
                received += len(self.rfile.read(size))
                self.rfile.readline()
            self.rfile.readline()
        else:
            received = len(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
        forwarded = self.headers["X-Forwarded-For"]
        body = json.dumps({"backend": self.name, "path": self.path, "received": received, "forwarded": forwarded})
        answer = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    do_GET = do_POST = _answer

    def log_message(self, *args: object) -> None:
        return None


@contextmanager
def backend(name: str) -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), type(name, (Backend,), {"name": name}))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield int(server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def edge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The local topology's edge configuration, serving in front of two stand-in backends."""
    run_dir = tmp_path_factory.mktemp("edge")
    (run_dir / "logs").mkdir()
    with backend("auth") as auth_port, backend("core") as core_port:
        port = free_port()
        module = edge_module()
        config = module.write_config(run_dir, port, auth_port, core_port)
        checked = nginx_test(config, run_dir / "edge", pid=False)
        assert checked.returncode == 0, checked.stderr
        process = subprocess.Popen(module.command(config), start_new_session=True, stderr=subprocess.DEVNULL)
        try:
            wait_http(f"http://127.0.0.1:{port}/api/health", process=process)
            yield f"http://127.0.0.1:{port}"
        finally:
            stop(process)


@pytest.mark.parametrize(
    ("path", "backend_name"),
    [
        ("/auth/api/v1/login", "auth"),
        ("/api/auth/login", "auth"),
        ("/api/videos/upload", "core"),
        ("/api/public/rankings?city=Cali", "core"),
        ("/media/videos/x/processed.mp4", "core"),
        ("/", "core"),
        ("/authors", "core"),
    ],
)
def test_routing_matches_the_alb(edge: str, path: str, backend_name: str) -> None:
    answer = httpx.get(edge + path).json()
    assert answer["backend"] == backend_name and answer["path"] == path
    assert answer["forwarded"] == "127.0.0.1"


def test_metrics_are_not_exposed(edge: str) -> None:
    answer = httpx.get(f"{edge}/metrics")
    assert answer.status_code == 404 and answer.json()["code"] == "not_found"


def test_a_100_mb_upload_reaches_core_streamed_and_a_bigger_one_is_refused(edge: str) -> None:
    def chunks(total: int) -> Iterator[bytes]:
        block = b"\0" * MiB
        for _ in range(total // MiB):
            yield block

    # Sent chunked: without request buffering nginx forwards it as it arrives.
    answer = httpx.post(f"{edge}/api/videos/upload", content=chunks(100 * MiB), timeout=60)
    assert answer.status_code == 200 and answer.json()["received"] == 100 * MiB
    refused = httpx.post(f"{edge}/api/videos/upload", content=b"\0" * (111 * MiB), timeout=60)
    # The contract's JSON refusal, not nginx's HTML page.
    assert refused.status_code == 400 and refused.headers["content-type"].startswith("application/json")
    assert refused.json() == {
        "detail": "El archivo supera el tamaño máximo permitido de 100 MB.",
        "code": "file_too_large",
    }
