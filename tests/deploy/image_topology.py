"""The production roles as containers of the built image, configured by the task definitions that
Terraform registered in the AWS emulator, against this machine's PostgreSQL, RabbitMQ and Redis and
the emulator's S3, with nginx routing like the ALB.

What differs from ECS, and only that, is named in ``local_settings``: the addresses of this
machine's services, a bucket of the test's own and moto's dummy keys (ECS tasks use their task
role), and the listening ports (every container shares the host's network, where two roles cannot
both listen on 8000).
"""

from __future__ import annotations

import importlib.util
import secrets
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import httpx

from bench.harness.processes import ANB, free_port
from bench.harness.s3_server import S3_ACCESS_KEY, S3_SECRET_KEY
from tests.deploy.aws_emulator import Deployment
from tests.deploy.containers import Container, run_task_container, wait_healthy
from tests.support.deploy_tools import REPO
from tests.support.smtp_server import Mailbox, smtp_server

BROKER_URL = "amqp://guest:guest@127.0.0.1:5672//"
REDIS_URL = "redis://127.0.0.1:6379/0"


def _local_module(name: str) -> ModuleType:
    """A module of deploy/local (a script directory, not a package)."""
    spec = importlib.util.spec_from_file_location(f"anb_local_{name}", REPO / "deploy" / "local" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _ready(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


@dataclass
class ImageTopology:
    deployment: Deployment
    image: str
    run_dir: Path
    database_url: str
    queue: str = field(default_factory=lambda: f"anb-image-{uuid.uuid4().hex[:10]}")
    tag: str = field(default_factory=lambda: uuid.uuid4().hex[:8])
    secrets: dict[str, str] = field(default_factory=dict)
    containers: list[Container] = field(default_factory=list)
    start_seconds: dict[str, float] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)
    base_url: str = ""
    mailbox: Mailbox | None = None

    @property
    def bucket(self) -> str:
        return f"anb-image-{self.tag}"

    def local_settings(self, role: str) -> dict[str, str]:
        return {
            # A bucket of the test's own in the emulator: the media bucket Terraform created admits
            # TLS only (test_terraform_apply.py), and the emulator speaks plain HTTP.
            "ANB_STORAGE__S3_BUCKET": self.bucket,
            "ANB_STORAGE__S3_ENDPOINT_URL": self.deployment.endpoint_url,
            "ANB_STORAGE__S3_ACCESS_KEY": S3_ACCESS_KEY,
            "ANB_STORAGE__S3_SECRET_KEY": S3_SECRET_KEY,
            # RabbitMQ stands in for SQS: it hands a dead consumer's job on at once (SQS would
            # wait out the queue's 13-minute visibility timeout).
            "ANB_JOBS__BROKER_URL": BROKER_URL,
            "ANB_JOBS__QUEUE_NAME": self.queue,
        }

    def start(self, role: str, name: str, extra: dict[str, str] | None = None) -> tuple[Container, str]:
        """Start a container of ``role``'s task definition; returns it and its readiness URL."""
        definition = self.deployment.container_definition(role)
        local = self.local_settings(role) | (extra or {})
        command = None
        ready_url = ""
        port = self.ports[name] = free_port()
        if role in ("auth", "core"):
            assert definition["command"][-2:] == ["--port", "8000"], definition["command"]
            command = [*definition["command"][:-1], str(port)]
            ready_url = f"http://127.0.0.1:{port}/api/health"
            local["ANB_HEALTH_URL"] = ready_url
        elif role == "worker":
            ready_url = f"http://127.0.0.1:{port}/metrics"
            local |= {"ANB_METRICS__WORKER_PORT": str(port), "ANB_HEALTH_URL": ready_url}
        container = run_task_container(definition, self.image, f"anb-{self.tag}-{name}", self.secrets, local, command)
        self.containers.append(container)
        return container, ready_url

    def start_ready(self, role: str, name: str, extra: dict[str, str] | None = None) -> tuple[Container, str]:
        started = time.monotonic()
        container, url = self.start(role, name, extra)
        wait_healthy(container, lambda: _ready(url), timeout=120, what=name)
        self.start_seconds[name] = time.monotonic() - started
        return container, url

    def migrate(self) -> None:
        started = time.monotonic()
        container, _ = self.start("migrate", "migrate")
        code = container.wait(timeout=180)
        assert code == 0, f"migrate exited with {code}:\n{container.logs()[-4000:]}"
        self.start_seconds["migrate"] = time.monotonic() - started


def _secrets(run_dir: Path, database_url: str) -> dict[str, str]:
    private, public = run_dir / "signing.pem", run_dir / "public.pem"
    subprocess.run([ANB, "keygen", str(private), str(public)], check=True, capture_output=True, timeout=60)
    return {
        "ANB_SECRET_KEY": secrets.token_urlsafe(48),
        "ANB_AUTH__SIGNING_KEY": private.read_text(),
        "ANB_AUTH__PUBLIC_KEY": public.read_text(),
        "ANB_DATABASE__URL": database_url,
        "ANB_REDIS_URL": REDIS_URL,
    }


def _remove_all(containers: list[Container], logs: Path) -> None:
    """Remove every container, keeping its output in ``logs`` for a failing test's reader."""
    for container in containers:
        (logs / f"{container.name}.log").write_text(container.logs())
        container.remove()


@contextmanager
def image_topology(
    deployment: Deployment, image: str, run_dir: Path, database_url: str, worker_extra: dict[str, str] | None = None
) -> Iterator[ImageTopology]:
    """migrate, then auth, core and a worker as containers, and the edge; everything removed after."""
    edge, supervise, backing = (_local_module(name) for name in ("edge", "supervise", "backing"))
    for folder in ("logs", "pids"):
        (run_dir / folder).mkdir(parents=True, exist_ok=True)
    topology = ImageTopology(deployment, image, run_dir, database_url)
    topology.secrets = _secrets(run_dir, database_url)
    with ExitStack() as cleanup:
        # Amazon SES's SMTP endpoint in production: a real SMTP server here, whose messages the
        # journey reads to confirm its voter (the task definitions require confirmed voters).
        topology.mailbox = cleanup.enter_context(smtp_server())
        topology.secrets["ANB_SMTP_URL"] = topology.mailbox.url
        cleanup.callback(backing.delete_queues, BROKER_URL, topology.queue)
        cleanup.callback(_remove_all, topology.containers, run_dir / "logs")
        topology.deployment.client("s3").create_bucket(Bucket=topology.bucket)
        topology.migrate()
        for role in ("auth", "core"):
            topology.start_ready(role, role)
        topology.start_ready("worker", "worker", worker_extra)
        port = free_port()
        config = edge.write_config(run_dir, port, topology.ports["auth"], topology.ports["core"])
        supervise.start(run_dir, "edge", edge.command(config), {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin"})
        cleanup.callback(supervise.stop, run_dir, "edge", 10.0)
        topology.base_url = f"http://127.0.0.1:{port}"
        supervise.wait_http(f"{topology.base_url}/api/health", run_dir, "edge")
        yield topology
