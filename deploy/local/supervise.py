"""Detached processes with pid files, so that `up` can exit and a later `down` stops them.

Each process leads its own session (process group): stopping the group reaches the server
processes of uvicorn, Celery's pool and any ffmpeg they started. Linux only (reads /proc).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(run_dir: Path, name: str, command: list[str], env: dict[str, str]) -> int:
    """Start ``command`` detached, logging to ``logs/<name>.log``; record its pid in ``pids/<name>.pid``."""
    with open(run_dir / "logs" / f"{name}.log", "ab") as log:
        process = subprocess.Popen(
            command, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    (run_dir / "pids" / f"{name}.pid").write_text(f"{process.pid}\n")
    return process.pid


def run_once(run_dir: Path, name: str, command: list[str], env: dict[str, str], timeout: float = 120) -> None:
    """A one-shot step (migrations, bucket): it must exit 0 before anything that needs it starts."""
    with open(run_dir / "logs" / f"{name}.log", "ab") as log:
        done = subprocess.run(command, env=env, stdout=log, stderr=subprocess.STDOUT, timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{name} exited with {done.returncode}:\n{tail(run_dir, name)}")


def alive(pid: int) -> bool:
    """Running, and not a zombie (once `up` has exited, nobody of ours reaps its children)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def group_members(pgid: int) -> list[int]:
    """Live processes of a process group, children included."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(entry.name))
    return members


def stop(run_dir: Path, name: str, timeout: float) -> None:
    """SIGTERM the process group, SIGKILL what is left after ``timeout``; forget the pid file."""
    pid_file = run_dir / "pids" / f"{name}.pid"
    if not pid_file.exists():
        return
    pgid = int(pid_file.read_text())
    _signal_group(pgid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while group_members(pgid) and time.monotonic() < deadline:
        time.sleep(0.2)
    if group_members(pgid):
        _signal_group(pgid, signal.SIGKILL)
        while group_members(pgid):
            time.sleep(0.1)
    pid_file.unlink()


def _signal_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signum)


def wait_http(url: str, run_dir: Path, name: str, timeout: float = 60) -> None:
    """Until ``url`` answers below 500; fail early (with the log's tail) if ``name`` died."""
    pid = int((run_dir / "pids" / f"{name}.pid").read_text())
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive(pid):
            raise RuntimeError(f"{name} exited before {url} answered:\n{tail(run_dir, name)}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback URLs built here
                return
        except urllib.error.HTTPError as exc:
            if exc.code < 500:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{url} ({name}) did not answer within {timeout} s:\n{tail(run_dir, name)}")


def tail(run_dir: Path, name: str, limit: int = 3000) -> str:
    log = run_dir / "logs" / f"{name}.log"
    return log.read_text(errors="replace")[-limit:] if log.exists() else "(no log)"
