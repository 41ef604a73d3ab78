"""The backing services of the local topology: the machine's PostgreSQL, RabbitMQ and Redis on
loopback (what RDS, SQS and ElastiCache are on AWS); the S3-compatible server is a process of ours."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import psycopg
from kombu import Connection, Exchange, Queue


def require_port(name: str, url: str) -> None:
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port
    try:
        with socket.create_connection((host, port or 0), timeout=2):
            return
    except OSError as exc:
        raise RuntimeError(f"{name} is not answering at {host}:{port} ({exc}); start it first") from exc


def database_url(admin_url: str, name: str) -> str:
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def create_database(admin_url: str, name: str) -> bool:
    """Create the database unless it exists (a restarted topology keeps its data); True if created."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            return False
        conn.execute(f'CREATE DATABASE "{_identifier(name)}"')
    return True


def drop_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{_identifier(name)}" WITH (FORCE)')


def delete_queues(broker_url: str, queue_name: str) -> None:
    """Remove the work queue, its dead-letter queue and the work exchange (anb/jobs/celery_app.py names)."""
    with Connection(broker_url, connect_timeout=5) as conn:
        channel = conn.default_channel
        for name in (queue_name, f"{queue_name}-dlq"):
            Queue(name, channel=channel).delete()
        Exchange(queue_name, channel=channel).delete()


def _identifier(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"database names are letters, digits and underscores: {name!r}")
    return name
