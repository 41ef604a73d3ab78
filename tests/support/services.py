"""Access to the real services on loopback (PostgreSQL, RabbitMQ, Redis) for tests.

In CI (``CI=true``) a missing service fails the run loudly; elsewhere the test is skipped
with the reason.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from bench.harness.postgres import scratch_database


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require(name: str, host: str, port: int) -> None:
    if port_open(host, port):
        return
    message = f"{name} is not answering on {host}:{port}"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message} (CI must provide it)")
    pytest.skip(message)


@contextmanager
def postgres_database() -> Iterator[str]:
    """A scratch database on the local server; skips (or fails in CI) when the server is down."""
    require("PostgreSQL", "127.0.0.1", 5432)
    with scratch_database() as url:
        yield url
