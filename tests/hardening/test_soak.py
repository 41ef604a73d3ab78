"""Load held: mixed traffic on the embedded service for a while, no error and no growth trend.

``anb serve`` (its HTTP processes and its embedded worker) gets players signing up and logging in,
listing public videos, reading rankings, voting and uploading small clips from a few threads, while
a sampler records the resident memory and open descriptors of all its processes. The duration is
``ANB_SOAK_SECONDS`` (60 s in the suite; 600 s for the real soak, recorded in docs/security.md):

    ANB_SOAK_SECONDS=600 .venv/bin/pytest tests/hardening/test_soak.py -s
"""

from __future__ import annotations

import os
import random
import statistics
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil
import pytest

from bench.harness.processes import anb_serve_process
from bench.harness.signup import signup_body
from tests.hardening.live_api import TIMEOUT, bearer, service_env, signup_and_login, upload, wait_processed

SOAK_SECONDS = float(os.environ.get("ANB_SOAK_SECONDS", "60"))
CLIENT_THREADS = 4
VOTES_PER_VISIT = 3  # the same work per visit however many videos the uploads published
SAMPLE_EVERY = max(1.0, SOAK_SECONDS / 120)
# Start-up settles (imports, pools, caches, the first requests of each process) before this share of
# the run; growth is judged on the rest.
WARM_UP_SHARE = 0.2
# Medians of the last third against the first third of the judged samples.
RSS_TOLERANCE = 1.10
FD_TOLERANCE = 8
# Encoders come and go with the jobs: their size says nothing about a leak in the service.
TRANSIENT_CHILDREN = frozenset({"ffmpeg", "ffprobe"})

pytestmark = [pytest.mark.slow, pytest.mark.timeout(SOAK_SECONDS + 300)]


@dataclass
class Sample:
    at: float
    rss: int
    fds: int


def _service_processes(pid: int) -> list[psutil.Process]:
    root = psutil.Process(pid)
    return [root, *(child for child in root.children(recursive=True) if child.name() not in TRANSIENT_CHILDREN)]


def _sample(pid: int, started: float) -> Sample:
    rss = fds = 0
    for process in _service_processes(pid):
        try:
            rss += process.memory_info().rss
            fds += process.num_fds()
        except psutil.NoSuchProcess:  # a child that ended between listing and reading
            continue
    return Sample(time.monotonic() - started, rss, fds)


@dataclass(frozen=True)
class PendingUpload:
    video_id: str
    owner_token: str


@dataclass
class Traffic:
    """What the client threads did; every answer that was not a success is kept for the report.

    One upload is in flight at a time, the next once the last was processed: the worker's load stays
    the same all along. (With uploads outpacing the encoder, the growing backlog kept it busier and
    busier, and its encoders' pipes read as a growth of open descriptors.)
    """

    base_url: str
    clip: Path
    deadline: float
    published: list[str]
    requests: int = 0
    processed_uploads: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    uploading: bool = False
    pending: PendingUpload | None = None

    def check(self, answer: httpx.Response, expected: int = 200) -> httpx.Response:
        with self.lock:
            self.requests += 1
            if answer.status_code != expected:
                self.errors.append(
                    f"{answer.request.method} {answer.request.url.path}: {answer.status_code} {answer.text[:200]}"
                )
        return answer

    def run_client(self) -> None:
        with httpx.Client(base_url=self.base_url, timeout=TIMEOUT) as http:
            while time.monotonic() < self.deadline:
                try:
                    self._one_visit(http)
                except httpx.HTTPError as exc:  # a timeout or a dropped connection is an error too
                    with self.lock:
                        self.errors.append(f"{type(exc).__name__}: {exc}")

    def _one_visit(self, http: httpx.Client) -> None:
        """A new player signs up, logs in, browses, votes for a few published videos, maybe uploads."""
        player = signup_body()
        self.check(http.post("/api/auth/signup", json=player), expected=201)
        login = http.post("/api/auth/login", json={"email": player["email"], "password": player["password1"]})
        if self.check(login).status_code != 200:
            return
        token = login.json()["access_token"]
        self.check(http.get("/api/public/videos", params={"limit": 20}))
        self.check(http.get("/api/public/rankings", params={"limit": 10}))
        published = list(self.published)
        for video_id in random.sample(published, min(VOTES_PER_VISIT, len(published))):
            self.check(http.post(f"/api/public/videos/{video_id}/vote", headers=bearer(token)))
        if self._take_upload_turn():
            answer = self.check(upload(http, token, self.clip, title="Soak"), expected=201)
            with self.lock:
                self.uploading = False
                if answer.status_code == 201:
                    self.pending = PendingUpload(answer.json()["video_id"], token)

    def _take_upload_turn(self) -> bool:
        with self.lock:
            if self.uploading or self.pending is not None:
                return False
            self.uploading = True
            return True

    def settle_upload(self, http: httpx.Client) -> None:
        """Publish the pending upload to the voters once processed (called between samples)."""
        with self.lock:
            pending = self.pending
        if pending is None:
            return
        status = self.check(http.get(f"/api/videos/{pending.video_id}", headers=bearer(pending.owner_token)))
        state = status.json().get("status")
        if state not in ("processed", "failed"):
            return
        with self.lock:
            self.pending = None
            if state == "processed":
                self.processed_uploads += 1
                self.published.append(pending.video_id)
            else:
                self.errors.append(f"upload {pending.video_id} failed to process")


def _judged(samples: list[Sample]) -> tuple[list[Sample], list[Sample]]:
    """The first and the last third of the samples after the warm-up."""
    judged = samples[int(len(samples) * WARM_UP_SHARE) :]
    third = max(1, len(judged) // 3)
    return judged[:third], judged[-third:]


def _slope_per_minute(samples: list[Sample], value: str) -> float:
    fit = statistics.linear_regression([s.at for s in samples], [float(getattr(s, value)) for s in samples])
    return fit.slope * 60


def test_mixed_traffic_holds_without_errors_or_growth(tmp_path: Path, clip: Path) -> None:
    with (
        anb_serve_process(service_env(tmp_path / "data"), tmp_path / "serve.log") as served,
        httpx.Client(base_url=served.base_url, timeout=TIMEOUT) as http,
    ):
        # One published video to vote for from the start; the soak's uploads add more.
        token = signup_and_login(http)
        first = upload(http, token, clip, title="Primera")
        assert first.status_code == 201, first.text
        wait_processed(http, token, first.json()["video_id"])

        started = time.monotonic()
        traffic = Traffic(served.base_url, clip, started + SOAK_SECONDS, [first.json()["video_id"]])
        clients = [threading.Thread(target=traffic.run_client, name=f"soak-{n}") for n in range(CLIENT_THREADS)]
        for client in clients:
            client.start()
        samples: list[Sample] = []
        while any(client.is_alive() for client in clients):
            samples.append(_sample(served.pid, started))
            time.sleep(SAMPLE_EVERY)
            traffic.settle_upload(http)
        for client in clients:
            client.join()

    first_third, last_third = _judged(samples)
    rss_first = statistics.median(s.rss for s in first_third)
    rss_last = statistics.median(s.rss for s in last_third)
    fds_first = statistics.median(s.fds for s in first_third)
    fds_last = statistics.median(s.fds for s in last_third)
    judged = samples[int(len(samples) * WARM_UP_SHARE) :]
    print(
        f"\nsoak {SOAK_SECONDS:.0f} s: {traffic.requests} requests, {len(traffic.errors)} errors, "
        f"{traffic.processed_uploads} uploads processed, "
        f"{len(samples)} samples ({len(judged)} judged); RSS median {rss_first / 2**20:.1f} -> "
        f"{rss_last / 2**20:.1f} MiB, slope {_slope_per_minute(judged, 'rss') / 2**20:+.2f} MiB/min; "
        f"open descriptors median {fds_first:.0f} -> {fds_last:.0f}, slope {_slope_per_minute(judged, 'fds'):+.2f}/min"
    )
    assert traffic.errors == [], f"{len(traffic.errors)} error answers, first: {traffic.errors[:5]}"
    assert rss_last <= rss_first * RSS_TOLERANCE, f"memory grew from {rss_first} to {rss_last} bytes"
    assert fds_last <= fds_first + FD_TOLERANCE, f"open descriptors grew from {fds_first} to {fds_last}"
