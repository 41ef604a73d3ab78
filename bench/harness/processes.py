"""Running real ``anb`` processes in tests and benchmarks: free ports, readiness polling, clean stops."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

ANB = str(Path(sys.executable).with_name("anb"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_http(url: str, timeout: float = 90.0, process: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before {url} answered")
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout} s")


def stop(process: subprocess.Popen[bytes], timeout: float = 20.0) -> int:
    """SIGTERM the process group and wait; SIGKILL only if it does not stop in time."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return process.returncode


@dataclass
class Served:
    base_url: str
    pid: int
    killed: bool = False

    def kill(self) -> None:
        """SIGKILL the whole service (server, HTTP and embedded workers) at once: a crash, no shutdown."""
        os.killpg(self.pid, signal.SIGKILL)
        self.killed = True


@contextmanager
def anb_serve_process(
    env: dict[str, str], log_path: Path, workers: int = 2, startup_timeout: float = 90.0
) -> Iterator[Served]:
    """``anb serve`` as a real subprocess on a free port (with one worker, the server is that pid)."""
    port = free_port()
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [ANB, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)],
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        served = Served(f"http://127.0.0.1:{port}", process.pid)
        try:
            wait_http(f"{served.base_url}/api/health", startup_timeout, process)
            yield served
        finally:
            code = stop(process)
            # A single in-process uvicorn server re-raises SIGTERM after its graceful shutdown.
            assert served.killed or code in (0, -signal.SIGTERM), f"anb serve exited with {code}; log: {log_path}"


@contextmanager
def anb_serve(env: dict[str, str], log_path: Path, workers: int = 2) -> Iterator[str]:
    """``anb serve`` as a real subprocess on a free port; yields its base URL."""
    with anb_serve_process(env, log_path, workers) as served:
        yield served.base_url


@contextmanager
def anb_worker(env: dict[str, str], log_path: Path, concurrency: int = 1) -> Iterator[subprocess.Popen[bytes]]:
    """``anb worker`` (Celery) as a real subprocess; yields the process (tests may SIGKILL it)."""
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [ANB, "worker", "--concurrency", str(concurrency)],
            env={**os.environ, **env},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield process
        finally:
            stop(process, timeout=60)


def wait_until(predicate: Callable[[], bool], timeout: float, what: str, interval: float = 0.3) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise TimeoutError(f"{what} did not happen within {timeout} s")
