"""Scenario 1's virtual users and load shape, executed by Locust in its own processes.

Never imported by the kit or by pytest: Locust patches the standard library with gevent when it
loads. ``bench.capacity.web`` runs ``locust -f bench/capacity/locustfile.py`` with the options declared below.

Journeys (task weights, out of 100): browse the public gallery 30, global ranking 15, a city's
ranking 15, own videos 10, vote 15, log in 5, upload a small video 4, upload a realistic one 1.
Each upload is deleted right after its 201 (a separate request in the stats) so that a long run
does not fill the target's disk with originals nobody processes. Think time: 1–3 s between tasks.
"""

from __future__ import annotations

import itertools
import json
import random
import time
from pathlib import Path
from typing import Any

from locust import HttpUser, LoadTestShape, between, events, runners, task
from locust.runners import MasterRunner, WorkerRunner

from bench.capacity.fixtures import Fixtures
from bench.capacity.upload_body import TimedBody, UploadBody

# The master declares a worker missing after this many 1 s heartbeats without news, and stops the
# test when all are (Locust's default is 3). On a small machine shared with the target, a generator
# process can go that long without CPU; its late heartbeat is no reason to end the measurement.
runners.HEARTBEAT_LIVENESS = 30

_fixtures: Fixtures | None = None
_bodies: dict[str, UploadBody] = {}
_next_user = itertools.count()
# Upload latency parts (label, transfer ms, accept ms): collected by each worker, shipped with its
# statistics reports, written by the master next to Locust's CSV files. They are kept out of
# Locust's own request statistics, which hold HTTP requests only.
_parts: list[tuple[str, float, float]] = []


@events.init_command_line_parser.add_listener
def _options(parser: Any) -> None:
    parser.add_argument("--fixtures", default="", help="JSON written by bench.capacity.fixtures")
    parser.add_argument("--target-users", type=int, default=5)
    parser.add_argument("--ramp-seconds", type=float, default=0.0)
    parser.add_argument("--hold-seconds", type=float, default=60.0)
    parser.add_argument("--generator-processes", type=int, default=1, help="the --processes given to Locust")


@events.init.add_listener
def _load(environment: Any, **_: Any) -> None:
    global _fixtures
    if isinstance(environment.runner, MasterRunner):
        return  # the master runs no users
    _fixtures = Fixtures.read(Path(environment.parsed_options.fixtures))
    for label, path in _fixtures.uploads.items():
        _bodies[label] = UploadBody.from_file(Path(path), f"capacidad {label}")


@events.report_to_master.add_listener
def _ship_parts(data: dict[str, Any], **_: Any) -> None:
    data["upload_parts"] = _parts.copy()
    _parts.clear()


@events.worker_report.add_listener
def _gather_parts(data: dict[str, Any], **_: Any) -> None:
    _parts.extend((label, transfer, accept) for label, transfer, accept in data.get("upload_parts", []))


@events.quitting.add_listener
def _write_parts(environment: Any, **_: Any) -> None:
    if isinstance(environment.runner, WorkerRunner) or not environment.parsed_options.csv_prefix:
        return
    rows = [{"label": label, "transfer_ms": transfer, "accept_ms": accept} for label, transfer, accept in _parts]
    Path(f"{environment.parsed_options.csv_prefix}_upload_parts.json").write_text(json.dumps(rows))


class Player(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        assert _fixtures is not None
        options = self.environment.parsed_options
        # Worker w takes accounts w, w+P, w+2P, …: disjoint across the P generator processes.
        index = self.environment.runner.worker_index + options.generator_processes * next(_next_user)
        self.account = _fixtures.accounts[index % len(_fixtures.accounts)]
        self.to_vote = random.sample(_fixtures.published_video_ids, len(_fixtures.published_video_ids))

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.account.token}"}

    @task(30)
    def browse_gallery(self) -> None:
        self.client.get(
            f"/api/public/videos?limit=20&offset={random.choice((0, 0, 20, 40))}", name="/api/public/videos"
        )

    @task(15)
    def global_ranking(self) -> None:
        self.client.get("/api/public/rankings", name="/api/public/rankings")

    @task(15)
    def city_ranking(self) -> None:
        assert _fixtures is not None
        if _fixtures.city_keys:
            city = random.choice(_fixtures.city_keys)
            self.client.get(f"/api/public/rankings?city={city}", name="/api/public/rankings?city=[city]")

    @task(10)
    def own_videos(self) -> None:
        self.client.get("/api/videos", headers=self._auth(), name="/api/videos")

    @task(15)
    def vote(self) -> None:
        if self.to_vote:  # a user who voted for every published video has nothing left to vote for
            video_id = self.to_vote.pop()
            self.client.post(
                f"/api/public/videos/{video_id}/vote", headers=self._auth(), name="/api/public/videos/[id]/vote"
            )

    @task(5)
    def login(self) -> None:
        credentials = {"email": self.account.email, "password": self.account.password}
        answer = self.client.post("/api/auth/login", json=credentials, name="/api/auth/login")
        if answer.ok:
            self.account.token = answer.json()["access_token"]

    @task(4)
    def upload_small(self) -> None:
        self._upload(min(_bodies, key=lambda label: len(_bodies[label].content)))

    @task(1)
    def upload_realistic(self) -> None:
        self._upload(max(_bodies, key=lambda label: len(_bodies[label].content)))

    def _upload(self, label: str) -> None:
        upload = _bodies[label]
        body = TimedBody(upload.content)
        started = time.perf_counter()
        answer = self.client.post(
            "/api/videos/upload",
            data=body,
            headers={**self._auth(), "Content-Type": upload.content_type},
            name=f"/api/videos/upload [{label}]",
        )
        answered = time.perf_counter()
        if not answer.ok or body.last_byte_at is None:
            return
        _parts.append((label, (body.last_byte_at - started) * 1000, (answered - body.last_byte_at) * 1000))
        video_id = answer.json()["video_id"]
        self.client.delete(f"/api/videos/{video_id}", headers=self._auth(), name="/api/videos/[id]")


class RampAndHold(LoadTestShape):
    """0 → target users linearly over the ramp, then held; a zero ramp starts them all at once."""

    def tick(self) -> tuple[int, float] | None:
        assert self.runner is not None and self.runner.environment.parsed_options is not None
        options = self.runner.environment.parsed_options
        users, ramp, hold = options.target_users, options.ramp_seconds, options.hold_seconds
        if self.get_run_time() >= ramp + hold:
            return None
        return users, (users / ramp if ramp > 0 else float(users))
