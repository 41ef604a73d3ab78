"""The Prometheus endpoint of a worker role, which has no HTTP API of its own."""

from __future__ import annotations

import os

from prometheus_client import CollectorRegistry, multiprocess, start_http_server


def serve_worker_metrics(port: int) -> None:
    """Serve every pool process's metrics (multiprocess mode) on ``port``; 0 disables it."""
    if port == 0:
        return
    registry = CollectorRegistry()
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        multiprocess.MultiProcessCollector(registry)
    start_http_server(port, registry=registry)
