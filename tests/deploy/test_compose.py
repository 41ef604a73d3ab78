"""compose.yaml: parsed, interpolated like `docker compose` does, valid against the Compose
Specification's schema, failing fast without its secrets, and shaped like the production topology."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft201909Validator

from anb.access_tokens.signing_keys import key_pair_from_pem, public_pem
from anb.config import JobSettings
from tests.support.deploy_tools import DEPLOY, REPO

COMPOSE = REPO / "compose.yaml"
SCHEMA = DEPLOY / "compose" / "compose-spec.json"
# ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}; $$ is a literal $.
VARIABLE = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}")
ANB_SERVICES = ("create-bucket", "migrate", "auth", "core", "worker")


class MissingVariable(Exception):
    pass


def interpolate(node: Any, env: dict[str, str]) -> Any:
    """Compose's variable substitution in every string value (never in comments or keys)."""
    if isinstance(node, dict):
        return {key: interpolate(value, env) for key, value in node.items()}
    if isinstance(node, list):
        return [interpolate(value, env) for value in node]
    return substitute_text(node, env) if isinstance(node, str) else node


def substitute_text(text: str, env: dict[str, str]) -> str:

    def substitute(match: re.Match[str]) -> str:
        if match[0] == "$$":
            return "$"
        name, colon, operator, argument = match.groups()
        value = env.get(name)
        missing = value is None or (colon == ":" and value == "")
        if operator == "?" and missing:
            raise MissingVariable(f"{name}: {argument}")
        if operator == "-" and missing:
            return str(argument)
        return value or ""

    return VARIABLE.sub(substitute, text)


def raw() -> dict[str, Any]:
    return dict(yaml.safe_load(COMPOSE.read_text()))


def strings(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [text for value in node.values() for text in strings(value)]
    if isinstance(node, list):
        return [text for value in node for text in strings(value)]
    return [node] if isinstance(node, str) else []


def required_variables() -> set[str]:
    return {m[1] for text in strings(raw()) for m in VARIABLE.finditer(text) if m[3] == "?"}


def load(env: dict[str, str]) -> dict[str, Any]:
    return dict(interpolate(raw(), env))


def schema_errors(compose: dict[str, Any]) -> list[str]:
    # The schema names draft 2019-09 by a URI jsonschema does not know; it is that draft.
    validator = Draft201909Validator(yaml.safe_load(SCHEMA.read_text()))
    return [f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(compose)]


def test_valid_against_the_compose_specification(init_env: dict[str, str]) -> None:
    assert schema_errors(load(init_env)) == []


def test_the_schema_catches_a_broken_file(init_env: dict[str, str]) -> None:
    broken = load(init_env)
    broken["services"]["core"]["depends_on"] = {"migrate": {"condition": "finished"}}
    broken["services"]["worker"]["stop_grace_period"] = ["11m"]
    broken["services"]["edge"]["healthcheck"]["retries"] = "six"
    assert len(schema_errors(broken)) == 3


def test_every_secret_is_required_and_init_env_provides_them(init_env: dict[str, str]) -> None:
    required = required_variables()
    assert required == {
        "POSTGRES_PASSWORD",
        "RABBITMQ_PASSWORD",
        "S3_SECRET_KEY",
        "ANB_SECRET_KEY",
        "ANB_AUTH_SIGNING_KEY",
        "ANB_AUTH_PUBLIC_KEY",
    }
    assert required <= set(init_env)
    for name in required:
        with pytest.raises(MissingVariable, match=name):
            load({key: value for key, value in init_env.items() if key != name})
    # The generated pair is what the auth and core roles expect.
    pair = key_pair_from_pem(init_env["ANB_AUTH_SIGNING_KEY"].encode())
    assert public_pem(pair).decode().strip() == init_env["ANB_AUTH_PUBLIC_KEY"].strip()


def test_the_topology_of_production(init_env: dict[str, str]) -> None:
    services = load(init_env)["services"]
    images = {services[name]["image"] for name in ANB_SERVICES}
    assert len(images) == 1, "one image for every role"
    for one_shot in ("migrate", "create-bucket"):
        assert services[one_shot]["restart"] == "no"
    for role in ("auth", "core", "worker"):
        assert services[role]["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert services["auth"]["environment"]["ANB_ROLE"] == "auth"
    assert "ANB_AUTH__SIGNING_KEY" in services["auth"]["environment"]
    for role in ("core", "worker"):
        assert services[role]["environment"]["ANB_ROLE"] == "core"
        assert "ANB_AUTH__SIGNING_KEY" not in services[role]["environment"]
    assert int(services["core"]["environment"]["ANB_HTTP__WORKERS"]) > 1
    assert services["worker"]["command"] == ["worker"]
    grace = int(services["worker"]["stop_grace_period"].rstrip("m")) * 60
    assert grace >= JobSettings().hard_time_limit_seconds, "SIGTERM must let a running encode finish"
    # Only the edge and the S3 server (presigned URLs) are reachable from the host.
    assert sorted(name for name, spec in services.items() if "ports" in spec) == ["edge", "s3"]
    for mount in services["edge"]["volumes"]:
        assert (REPO / mount.split(":")[0]).is_file()


def test_docker_compose_accepts_the_file(init_env: dict[str, str], tmp_path: Path) -> None:
    """Compose itself (Debian's docker-compose) resolves the file with init-env's variables."""
    if shutil.which("docker-compose") is None:
        message = "docker-compose is not installed (scripts/bootstrap --dev installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    env_file = tmp_path / ".env"
    env_file.write_text("".join(f"{name}={json.dumps(value)}\n" for name, value in init_env.items()))
    env_file.chmod(0o600)
    done = subprocess.run(
        ["docker-compose", "--project-directory", str(REPO), "-f", str(COMPOSE), "--env-file", str(env_file), "config"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    resolved = yaml.safe_load(done.stdout)
    assert resolved["services"]["worker"]["environment"]["ANB_JOBS__CONCURRENCY"] == "1"
    assert set(resolved["services"]) == set(load(init_env)["services"])
