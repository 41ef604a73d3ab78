"""Access to the real services on loopback (PostgreSQL, RabbitMQ, Redis) for tests.

In CI (``CI=true``) a missing service fails the run loudly; elsewhere the test is skipped
with the reason.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

POSTGRES_ADMIN_URL = os.environ.get("ANB_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


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
    """A uniquely named, empty database on the local server, dropped afterwards."""
    import psycopg

    require("PostgreSQL", "127.0.0.1", 5432)
    name = f"anb_test_{uuid.uuid4().hex[:12]}"
    admin = POSTGRES_ADMIN_URL.replace("postgresql://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
