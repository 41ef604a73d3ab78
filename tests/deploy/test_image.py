"""The built image run as the ECS task definitions run it (tests/deploy/image_topology.py): the
journey through migrate, auth, core and worker containers, and a worker killed mid-encode."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import psycopg
import pytest

from bench.harness.clips import make_clip
from bench.harness.processes import wait_until
from tests.deploy.aws_emulator import Deployment
from tests.deploy.containers import docker
from tests.deploy.image_topology import ImageTopology, image_topology
from tests.deploy.journey import journey, signup
from tests.support.services import postgres_database, require

# The first test also waits for the session's apply and image build: minutes, not seconds.
pytestmark = [pytest.mark.postgres, pytest.mark.rabbitmq, pytest.mark.slow, pytest.mark.timeout(1500)]


@pytest.fixture(autouse=True)
def _services() -> None:
    require("PostgreSQL", "127.0.0.1", 5432)
    require("RabbitMQ", "127.0.0.1", 5672)
    require("Redis", "127.0.0.1", 6379)


def test_every_role_runs_read_only_as_a_non_root_user(image: str, emulated_aws: Deployment) -> None:
    for role in ("migrate", "auth", "core", "worker"):
        definition = emulated_aws.container_definition(role)
        assert definition["readonlyRootFilesystem"] is True, role
        assert "user" not in definition, f"{role} must run as the image's user"
    assert docker("image", "inspect", "--format", "{{.Config.User}}", image) == "anb"


def test_journey_through_the_containers(image: str, emulated_aws: Deployment, tmp_path: Path) -> None:
    clip = make_clip(tmp_path / "clip1080.mp4")
    with postgres_database() as url, image_topology(emulated_aws, image, tmp_path / "run", url) as topology:
        with httpx.Client(base_url=topology.base_url, timeout=60) as edge:
            journey(edge, clip, topology.mailbox)
        assert any(key.endswith("/processed.mp4") for key in media_keys(topology, "videos/"))


def test_a_worker_killed_mid_encode_is_replaced_and_publishes_once(
    image: str, emulated_aws: Deployment, tmp_path: Path
) -> None:
    clip = make_clip(tmp_path / "long.mp4", seconds=30, fps=30)
    # Short leases so that the replacement takes the job over within the test's patience.
    timings = {"ANB_JOBS__LEASE_SECONDS": "10", "ANB_JOBS__RETRY_BACKOFF_SECONDS": "1"}
    with postgres_database() as url, image_topology(emulated_aws, image, tmp_path / "run", url, timings) as topology:
        with httpx.Client(base_url=topology.base_url, timeout=60) as edge:
            player = signup(edge, "/api/auth", city=f"Cali {uuid.uuid4().hex[:6]}")
            with clip.open("rb") as handle:
                uploaded = edge.post(
                    "/api/videos/upload",
                    headers=player,
                    data={"title": "Bandeja"},
                    files={"video_file": ("long.mp4", handle, "video/mp4")},
                )
            assert uploaded.status_code == 201, uploaded.text
            video_id = uploaded.json()["video_id"]

            def detail() -> dict[str, object]:
                return dict(edge.get(f"/api/videos/{video_id}", headers=player).json())

            wait_until(lambda: detail()["status"] == "processing", 120, "encode started", interval=0.5)
            first = topology.containers[-1]
            first.kill()
            assert not first.running()
            # ECS replaces the stopped task: a new container of the same task definition.
            topology.start_ready("worker", "worker-2", timings)
            wait_until(lambda: detail()["status"] == "processed", 240, "processed by the replacement", interval=1)
        with psycopg.connect(url) as conn:
            row = conn.execute("SELECT attempts, processed_key FROM videos WHERE id = %s", (video_id,)).fetchone()
    # Taken over once (the killed attempt, then the replacement's), published with one output.
    assert row is not None and row[0] == 2, row
    keys = media_keys(topology, f"videos/{video_id}/")
    assert [key for key in keys if key == row[1]] == [row[1]]
    assert sorted(key.rsplit("/", 1)[1] for key in keys) == ["original.mp4", "poster.jpg", "processed.mp4"]


def media_keys(topology: ImageTopology, prefix: str) -> list[str]:
    listing = topology.deployment.client("s3").list_objects_v2(Bucket=topology.bucket, Prefix=prefix)
    return [item["Key"] for item in listing.get("Contents", [])]
