"""Prometheus metrics of every role.

Several processes serve one role (uvicorn workers, embedded workers, Celery's prefork pool), so
metrics use prometheus_client's multiprocess mode whenever ``PROMETHEUS_MULTIPROC_DIR`` is set
(``anb.observability.multiprocess.prepare`` sets it before any process starts); a single process (tests) uses
the default registry.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import REGISTRY, Collector

_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_JOB_BUCKETS = (0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0, 60.0, 120.0, 300.0, 600.0, 1800.0)

HTTP_REQUESTS = Counter(
    "anb_http_requests_total", "HTTP requests by route template, method and status", ["route", "method", "status"]
)
HTTP_LATENCY = Histogram(
    "anb_http_request_duration_seconds",
    "HTTP latency by route template",
    ["route", "method"],
    buckets=_LATENCY_BUCKETS,
)
UPLOADS = Counter("anb_uploads_total", "Uploads by outcome: accepted or the rejection code", ["outcome"])
JOBS = Counter("anb_jobs_total", "Processing jobs by outcome", ["outcome"])
JOB_STAGE_SECONDS = Histogram(
    "anb_job_stage_seconds",
    "Processing time by stage: queue_wait, fetch, ffmpeg, store",
    ["stage"],
    buckets=_JOB_BUCKETS,
)
VOTES = Counter("anb_votes_total", "Vote requests by outcome", ["outcome"])

# Measured by the API at scrape time (anb.ops.router), by name: their help text. Declared here with
# the others so that every metric name the platform exposes is in this module (the dashboard's test
# reads them).
SCRAPE_TIME_GAUGES = {
    "anb_jobs_pending": "Jobs waiting for a worker",
    "anb_jobs_processing": "Jobs being processed",
    "anb_jobs_oldest_pending_age_seconds": "Age of the oldest pending job",
    "anb_jobs_dead_letters": "Messages in the dead-letter queue",
}


class _Snapshot(Collector):
    """The scrape-time gauges' values."""

    def __init__(self, gauges: dict[str, float]) -> None:
        self.gauges = gauges

    def collect(self) -> Iterator[GaugeMetricFamily]:
        for name, value in self.gauges.items():
            yield GaugeMetricFamily(name, SCRAPE_TIME_GAUGES[name], value=value)


def render(gauges: dict[str, float]) -> tuple[bytes, str]:
    """The exposition text of this role's processes plus the scrape-time gauges."""
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        body = generate_latest(REGISTRY)
    snapshot = CollectorRegistry()
    snapshot.register(_Snapshot(gauges))
    return body + generate_latest(snapshot), CONTENT_TYPE_LATEST
