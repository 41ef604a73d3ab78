"""The built image run on this machine's container engine exactly as an ECS task definition runs it.

``run_task_container`` turns one container definition of a registered task definition (command,
entry point, environment, secrets by name, read-only root, mount points) into ``docker run`` on
the host network, so every address the roles use is loopback. The values of the secrets and the
few settings that must name this machine's services come from the caller, by variable name.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from typing import Any

import pytest

from tests.support.deploy_tools import REPO

BUILD = REPO / "deploy" / "image" / "build"


def require_engine() -> None:
    """A running container engine: skipped without one, a failure in CI (like a missing database)."""
    problem = ""
    if shutil.which("docker") is None:
        problem = "the docker CLI is not installed (scripts/bootstrap --dev installs docker.io)"
    else:
        done = subprocess.run(["docker", "info", "--format", "{{.ServerVersion}}"], capture_output=True, timeout=30)
        if done.returncode != 0:
            problem = f"the container engine is not answering ({done.stderr.decode(errors='replace').strip()})"
    if not problem:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{problem} (CI must provide it; scripts/ensure-services starts dockerd)")
    pytest.skip(problem)


def build_image(name: str = "anb-rising-stars:test") -> str:
    """deploy/image/build: the base once per machine, then the engine's layer cache."""
    done = subprocess.run([str(BUILD), name], capture_output=True, text=True, timeout=1800, check=False)
    assert done.returncode == 0, f"deploy/image/build failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    return done.stdout.strip().splitlines()[-1]


def docker(*args: str, timeout: float = 120, check: bool = True, env: dict[str, str] | None = None) -> str:
    environment = {**os.environ, **env} if env else None
    done = subprocess.run(
        ["docker", *args], capture_output=True, text=True, timeout=timeout, check=False, env=environment
    )
    if check and done.returncode != 0:
        raise RuntimeError(f"docker {args[0]} failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout.strip()


@dataclass
class Container:
    name: str
    volumes: list[str]

    def logs(self) -> str:
        done = subprocess.run(["docker", "logs", self.name], capture_output=True, text=True, timeout=60, check=False)
        return done.stdout + done.stderr

    def running(self) -> bool:
        return docker("inspect", "--format", "{{.State.Running}}", self.name, check=False) == "true"

    def exit_code(self) -> int:
        return int(docker("inspect", "--format", "{{.State.ExitCode}}", self.name))

    def wait(self, timeout: float) -> int:
        return int(docker("wait", self.name, timeout=timeout))

    def kill(self) -> None:
        """SIGKILL, as when a task's host disappears: no shutdown of any kind."""
        docker("kill", "--signal", "KILL", self.name)

    def stop(self, timeout: int = 30) -> None:
        """SIGTERM, then SIGKILL after ``timeout`` s (what ECS does with stopTimeout)."""
        docker("stop", "--time", str(timeout), self.name, timeout=timeout + 60, check=False)

    def remove(self) -> None:
        docker("rm", "--force", "--volumes", self.name, check=False)
        for volume in self.volumes:
            docker("volume", "rm", "--force", volume, check=False)


def run_task_container(
    definition: dict[str, Any],
    image: str,
    name: str,
    secrets: dict[str, str],
    local: dict[str, str],
    command: list[str] | None = None,
) -> Container:
    """Start one container definition detached on the host network.

    ``secrets`` gives the value of each secret the definition names (all must be given); ``local``
    replaces or adds the settings that point at this machine's services; ``command`` replaces the
    definition's only where a port must differ (every container shares the host's ports).
    """
    missing = [secret["name"] for secret in definition.get("secrets", []) if secret["name"] not in secrets]
    assert not missing, f"no local value for the secrets {missing}"
    environment = {item["name"]: item["value"] for item in definition.get("environment", [])}
    environment.update({secret["name"]: secrets[secret["name"]] for secret in definition.get("secrets", [])})
    environment.update(local)
    # `-e NAME` takes the value from the docker client's own environment: no secret appears in a
    # process list, and multi-line values (PEM keys) pass unchanged, which an env file cannot do.
    args = ["run", "--detach", "--name", name, "--network", "host"]
    for key in environment:
        args += ["--env", key]
    if definition.get("readonlyRootFilesystem"):
        args.append("--read-only")
    if definition.get("user"):
        args += ["--user", definition["user"]]
    volumes = []
    for mount in definition.get("mountPoints", []):
        # Each task volume starts, like on Fargate, as a copy of the image's directory there.
        volume = f"{name}-{mount['sourceVolume']}"
        volumes.append(volume)
        spec = f"type=volume,source={volume},target={mount['containerPath']}"
        args.append("--mount")
        args.append(spec + (",readonly" if mount.get("readOnly") else ""))
    entry_point = definition.get("entryPoint") or []
    if entry_point:
        args += ["--entrypoint", entry_point[0]]
    args.append(image)
    args += entry_point[1:] + (command if command is not None else definition.get("command", []))
    docker(*args, env=environment)
    return Container(name, volumes)


def wait_healthy(container: Container, probe: Any, timeout: float, what: str) -> float:
    """Seconds until ``probe()`` is true; fails with the container's log if it exits or times out."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if probe():
            return time.monotonic() - started
        if not container.running():
            raise AssertionError(f"{what} exited ({container.exit_code()}):\n{container.logs()[-4000:]}")
        time.sleep(0.2)
    raise AssertionError(f"{what} not ready within {timeout} s:\n{container.logs()[-4000:]}")
