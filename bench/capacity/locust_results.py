"""Locust's CSV files of one run, read back: per-endpoint statistics, history, failures, upload parts."""

from __future__ import annotations

import csv
import json
import statistics
from dataclasses import dataclass
from pathlib import Path

# The spec's pass criteria, per endpoint.
P95_LIMIT_MS = 1000.0
ERROR_LIMIT = 0.05
# Upload rows are named "/api/videos/upload [<size>]" by the locustfile.
UPLOAD_PREFIX = "/api/videos/upload"
# Failures that are not an answer at all: the spec allows none of them.
_TRANSPORT_ERRORS = ("ConnectionError", "ConnectionReset", "RemoteDisconnected", "Timeout", "ProtocolError")


@dataclass(frozen=True)
class Endpoint:
    method: str
    name: str
    requests: int
    failures: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float

    @property
    def error_rate(self) -> float:
        return self.failures / self.requests if self.requests else 0.0

    @property
    def passes(self) -> bool:
        return self.p95_ms <= P95_LIMIT_MS and self.error_rate <= ERROR_LIMIT


@dataclass(frozen=True)
class HistoryPoint:
    seconds: float  # since the first row
    users: int
    requests_per_second: float
    failures_per_second: float
    p95_ms: float  # Locust's current percentile: the last ~10 s


@dataclass(frozen=True)
class UploadParts:
    label: str
    uploads: int
    transfer_p50_ms: float
    transfer_p95_ms: float
    accept_p50_ms: float
    accept_p95_ms: float


@dataclass(frozen=True)
class LocustRun:
    endpoints: list[Endpoint]
    total: Endpoint  # Locust's "Aggregated" row
    history: list[HistoryPoint]
    transport_errors: int
    upload_parts: list[UploadParts]

    @property
    def passes(self) -> bool:
        return self._passes(self.endpoints)

    @property
    def passes_without_uploads(self) -> bool:
        """The verdict of the interactive endpoints alone (uploads are judged and reported apart)."""
        return self._passes([e for e in self.endpoints if not e.name.startswith(UPLOAD_PREFIX)])

    def _passes(self, endpoints: list[Endpoint]) -> bool:
        # A run that made no request proves nothing (e.g. the generator stopped early).
        return self.total.requests > 0 and self.transport_errors == 0 and all(e.passes for e in endpoints)


def _number(text: str) -> float:
    return float(text) if text not in ("", "N/A") else 0.0


def _endpoint(row: dict[str, str]) -> Endpoint:
    return Endpoint(
        row["Type"], row["Name"], int(row["Request Count"]), int(row["Failure Count"]), _number(row["Requests/s"]),
        _number(row["50%"]), _number(row["95%"]), _number(row["99%"]), _number(row["Max Response Time"]),
    )  # fmt: skip


def _percentile(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def _upload_parts(path: Path) -> list[UploadParts]:
    rows = json.loads(path.read_text()) if path.exists() else []
    result = []
    for label in sorted({row["label"] for row in rows}):
        transfer = [row["transfer_ms"] for row in rows if row["label"] == label]
        accept = [row["accept_ms"] for row in rows if row["label"] == label]
        result.append(
            UploadParts(label, len(transfer), _percentile(transfer, 50), _percentile(transfer, 95),
                        _percentile(accept, 50), _percentile(accept, 95))
        )  # fmt: skip
    return result


def _history(path: Path) -> list[HistoryPoint]:
    with path.open(newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["Name"] == "Aggregated"]
    if not rows:
        return []
    first = int(rows[0]["Timestamp"])
    return [
        HistoryPoint(int(row["Timestamp"]) - first, int(row["User Count"]), _number(row["Requests/s"]),
                     _number(row["Failures/s"]), _number(row["95%"]))
        for row in rows
    ]  # fmt: skip


def read(prefix: Path) -> LocustRun:
    """The files ``locust --csv PREFIX --csv-full-history`` wrote (plus the kit's upload parts)."""
    with Path(f"{prefix}_stats.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    with Path(f"{prefix}_failures.csv").open(newline="") as handle:
        failures = list(csv.DictReader(handle))
    transport = sum(int(row["Occurrences"]) for row in failures if any(e in row["Error"] for e in _TRANSPORT_ERRORS))
    return LocustRun(
        endpoints=[_endpoint(row) for row in rows if row["Name"] != "Aggregated"],
        total=next(_endpoint(row) for row in rows if row["Name"] == "Aggregated"),
        history=_history(Path(f"{prefix}_stats_history.csv")),
        transport_errors=transport,
        upload_parts=_upload_parts(Path(f"{prefix}_upload_parts.json")),
    )
