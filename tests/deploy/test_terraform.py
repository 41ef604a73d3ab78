"""Terraform (deploy/terraform): parsed, valid for the AWS provider, formatted, clean under checkov
with every skipped rule justified in the code, and consistent with the application and the edge."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import hcl2
import pytest

from anb.config import JobSettings
from anb.jobs.celery_app import dead_letter_queue_name
from tests.support.deploy_tools import DEPLOY, checkov, terraform

TERRAFORM = DEPLOY / "terraform"
TF_FILES = sorted(TERRAFORM.rglob("*.tf"))
SKIP_COMMENT = re.compile(r"#checkov:skip=(CKV2?_AWS_\d+)(:?)(.*)")


# Plain values: strings without their quotes, no comment or block markers.
PLAIN = hcl2.SerializationOptions(strip_string_quotes=True, with_comments=False, explicit_blocks=False)


def parse(path: Path) -> dict[str, Any]:
    with path.open() as handle:
        return dict(hcl2.load(handle, serialization_options=PLAIN))


def blocks(path: Path, kind: str, type_name: str) -> dict[str, Any]:
    """The bodies of ``kind`` blocks (resource, data) of one type in a file, by name."""
    found: dict[str, Any] = {}
    for block in parse(path).get(kind, []):
        found.update(block.get(type_name, {}))
    return found


@pytest.mark.parametrize("path", TF_FILES, ids=lambda p: str(p.relative_to(TERRAFORM)))
def test_every_file_parses(path: Path) -> None:
    assert parse(path), f"{path} is empty"


def test_modules_are_small_and_every_variable_and_output_is_documented() -> None:
    assert len(list((TERRAFORM / "modules").iterdir())) >= 10
    for path in TF_FILES:
        assert len(path.read_text().splitlines()) <= 250, f"{path} is too long to review"
        tree = parse(path)
        for kind in ("variable", "output"):
            for block in tree.get(kind, []):
                for name, body in block.items():
                    assert body.get("description"), f"{kind} {name} in {path} has no description"


def test_every_checkov_skip_gives_a_reason() -> None:
    skips = [(path, match) for path in TF_FILES for match in SKIP_COMMENT.finditer(path.read_text())]
    assert skips
    for path, match in skips:
        assert match.group(2) == ":" and len(match.group(3).strip()) >= 30, f"unjustified skip in {path}: {match[0]}"


@pytest.mark.slow
def test_checkov_finds_nothing_and_every_skip_is_used() -> None:
    scan = subprocess.run(
        [str(checkov()), "-d", str(TERRAFORM), "--framework", "terraform", "--skip-download", "-o", "json"],
        capture_output=True,
        text=True,
        timeout=300,
        # No platform look-ups: the scan runs offline with the rules checkov ships.
        env={**os.environ, "BC_SKIP_MAPPING": "TRUE"},
        check=False,
    )
    report = json.loads(scan.stdout)
    results = report["results"]
    failed = [f"{r['check_id']} {r['resource']} ({r['file_path']})" for r in results["failed_checks"]]
    assert failed == [] and scan.returncode == 0, "\n".join(failed) or scan.stderr
    assert report["summary"]["passed"] > 300
    written = {
        (str(path.relative_to(TERRAFORM)), match.group(1))
        for path in TF_FILES
        for match in SKIP_COMMENT.finditer(path.read_text())
    }
    applied = {(r["file_path"].lstrip("/"), r["check_id"]) for r in results["skipped_checks"]}
    assert written == applied, "a skip comment that checkov no longer needs is a silenced rule"


@pytest.mark.slow
def test_terraform_validates_and_is_formatted(tmp_path: Path) -> None:
    binary, env = terraform(tmp_path)
    work = tmp_path / "terraform"
    shutil.copytree(TERRAFORM, work, ignore=shutil.ignore_patterns(".terraform*"))

    def run(*args: str) -> str:
        done = subprocess.run([binary, *args], cwd=work, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"terraform {args[0]}:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    run("fmt", "-check", "-recursive", "-diff")
    run("init", "-backend=false", "-input=false", "-no-color")
    assert "Success" in run("validate", "-no-color")


def test_the_queue_outlives_the_worker_hard_limit_as_the_app_computes_it() -> None:
    main = TERRAFORM / "main.tf"
    local = parse(main)["locals"][0]["visibility_timeout_seconds"]
    assert local == "${var.worker_hard_time_limit_seconds + 120}"
    variables = {name: body for block in parse(TERRAFORM / "variables.tf")["variable"] for name, body in block.items()}
    hard = variables["worker_hard_time_limit_seconds"]["default"]
    assert hard == JobSettings().hard_time_limit_seconds
    assert JobSettings(hard_time_limit_seconds=hard).visibility_timeout_seconds == hard + 120
    queues = blocks(TERRAFORM / "modules" / "sqs" / "main.tf", "resource", "aws_sqs_queue")
    assert queues["jobs"]["visibility_timeout_seconds"] == "${var.visibility_timeout_seconds}"
    assert "maxReceiveCount" in queues["jobs"]["redrive_policy"]
    # The app finds the dead-letter queue by name: "<queue>-dlq".
    assert queues["jobs"]["name"] + "-dlq" == queues["dead_letter"]["name"]
    assert dead_letter_queue_name(JobSettings(queue_name="anb-prod-videos")) == "anb-prod-videos-dlq"


def test_the_alb_routes_like_the_nginx_edge() -> None:
    rules = blocks(TERRAFORM / "modules" / "alb" / "main.tf", "resource", "aws_lb_listener_rule")
    alb_auth = rules["auth"]["condition"][0]["path_pattern"][0]["values"]
    assert rules["auth"]["action"][0]["target_group_arn"] == '${aws_lb_target_group.api["auth"].arn}'
    assert rules["metrics"]["action"][0]["fixed_response"][0]["status_code"] == "404"
    routes = (DEPLOY / "nginx" / "routes.conf").read_text()
    nginx_auth = re.findall(r"location \^~ (\S+) \{\s*proxy_pass http://\$anb_auth;", routes)
    assert sorted(alb_auth) == sorted(f"{prefix}*" for prefix in nginx_auth) == ["/api/auth/*", "/auth/*"]
    assert "location = /metrics {\n    default_type application/json;\n    return 404" in routes


def test_only_the_auth_role_holds_the_signing_key() -> None:
    roles = parse(TERRAFORM / "modules" / "ecs" / "tasks.tf")["locals"][0]["roles"]
    holders = sorted(role for role, spec in roles.items() if "ANB_AUTH__SIGNING_KEY" in spec["secrets"])
    assert holders == ["auth"]
    assert all(spec["environment"]["ANB_ROLE"] in ("auth", "core") for spec in roles.values())
