"""The Terraform root module (deploy/terraform) applied to moto's server: AWS emulated on loopback.

``with emulated_deployment(scratch) as deployment:`` copies the root module into ``scratch``, adds a
test-only override file that points every AWS endpoint of the provider at a moto server on a free
loopback port (with moto's dummy credentials) and keeps the state in a local file, applies, yields,
and destroys. Nothing of this reaches AWS: every endpoint is 127.0.0.1.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3

from tests.deploy.tools import DEPLOY, terraform
from tests.s3_server import S3_ACCESS_KEY, S3_REGION, S3_SECRET_KEY, run_s3_server

# The provider's endpoint names of every service the root module uses.
SERVICES = ("acm", "appautoscaling", "cloudwatch", "ec2", "ecr", "ecs", "elasticache", "elbv2", "iam", "kms")
SERVICES += ("logs", "rds", "s3", "secretsmanager", "sns", "sqs", "sts", "wafv2")
# The example environment (deploy/terraform/example.tfvars), with deletion protection off so that
# the test can destroy what it created.
VARIABLES: dict[str, Any] = {
    "name": "anb-emu",
    "region": S3_REGION,
    "availability_zones": ["us-east-1a", "us-east-1b"],
    "image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/anb-emu:test",
    "cors_allowed_origins": ["https://risingstars.anb.example"],
    "alarm_emails": ["operaciones@anb.example"],
    "deletion_protection": False,
}


# moto has no tagging API for Application Auto Scaling, which the provider reads after creating
# a scalable target: those resources are planned (Deployment.planned), not applied.
NOT_EMULATED = {
    "modules/ecs": {
        "aws_appautoscaling_target": "this",
        "aws_appautoscaling_policy": ("cpu", "core_requests", "worker_backlog"),
    }
}


def _without_unemulated(resources: dict[str, str | tuple[str, ...]]) -> str:
    blocks = []
    for kind, names in resources.items():
        for name in (names,) if isinstance(names, str) else names:
            blocks.append(f'resource "{kind}" "{name}" {{\n  for_each = {{}}\n}}\n')
    return "# Test only (tests/deploy/aws_emulator.py): not emulated, see Deployment.planned.\n" + "\n".join(blocks)


def override(endpoint_url: str) -> str:
    endpoints = "\n".join(f'    {service} = "{endpoint_url}"' for service in SERVICES)
    return f"""# Test only (tests/deploy/aws_emulator.py): every AWS call goes to the emulator on loopback.
terraform {{
  backend "local" {{}}
}}

provider "aws" {{
  access_key                  = "{S3_ACCESS_KEY}"
  secret_key                  = "{S3_SECRET_KEY}"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  s3_use_path_style           = true

  endpoints {{
{endpoints}
  }}
}}
"""


@dataclass
class Deployment:
    """What the apply left (outputs, resources in the state), the plan of what the emulator cannot
    create, timings, and clients of the emulator."""

    endpoint_url: str
    outputs: dict[str, Any]
    resources: list[dict[str, Any]]
    planned: list[dict[str, Any]]
    seconds: dict[str, float] = field(default_factory=dict)

    def client(self, service: str) -> Any:
        return boto3.client(
            service,
            endpoint_url=self.endpoint_url,
            region_name=S3_REGION,
            aws_access_key_id=S3_ACCESS_KEY,
            aws_secret_access_key=S3_SECRET_KEY,
        )

    def planned_values(self, address: str) -> dict[str, Any]:
        """The planned attributes of one resource instance, e.g. 'module.ecs.aws_ecs_cluster.this'."""
        found = [r["values"] for r in self.planned if r["address"] == address]
        assert found, f"{address} is not in the plan"
        return dict(found[0])


class Terraform:
    def __init__(self, scratch: Path) -> None:
        self.binary, self.env = terraform(scratch)
        self.work = scratch / "terraform"

    def __call__(self, *args: str, timeout: float = 600) -> str:
        done = subprocess.run(
            [self.binary, *args], cwd=self.work, env=self.env, capture_output=True, text=True, timeout=timeout
        )
        if done.returncode != 0:
            raise RuntimeError(f"terraform {' '.join(args)}:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}")
        return done.stdout


def prepare(scratch: Path, endpoint_url: str) -> Terraform:
    """The root module copied into ``scratch`` with the emulator override, initialised."""
    tf = Terraform(scratch)
    shutil.copytree(DEPLOY / "terraform", tf.work, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    (tf.work / "emulator_override.tf").write_text(override(endpoint_url))
    (tf.work / "emulator.auto.tfvars.json").write_text(json.dumps(VARIABLES))
    tf("init", "-input=false", "-no-color")
    return tf


def _acm_certificate(endpoint_url: str) -> str:
    acm = boto3.client(
        "acm",
        endpoint_url=endpoint_url,
        region_name=S3_REGION,
        aws_access_key_id=S3_ACCESS_KEY,
        aws_secret_access_key=S3_SECRET_KEY,
    )
    return str(acm.request_certificate(DomainName="risingstars.anb.example")["CertificateArn"])


@contextmanager
def emulated_deployment(scratch: Path) -> Iterator[Deployment]:
    # The ECS execution role attaches an AWS managed policy, which moto knows only when asked to.
    with run_s3_server({"MOTO_IAM_LOAD_MANAGED_POLICIES": "true"}) as endpoint_url:
        tf = prepare(scratch, endpoint_url)
        certificate = f"-var=certificate_arn={_acm_certificate(endpoint_url)}"
        seconds = {}
        started = time.monotonic()
        tf("plan", "-input=false", "-no-color", "-out=full.tfplan", certificate)
        plan = json.loads(tf("show", "-json", "-no-color", "full.tfplan"))
        seconds["plan"] = time.monotonic() - started
        for module, resources in NOT_EMULATED.items():
            (tf.work / module / "emulator_override.tf").write_text(_without_unemulated(resources))
        started = time.monotonic()
        tf("apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=20", certificate, timeout=900)
        seconds["apply"] = time.monotonic() - started
        state = json.loads(tf("show", "-json", "-no-color"))
        deployment = Deployment(
            endpoint_url,
            outputs={name: body["value"] for name, body in state["values"].get("outputs", {}).items()},
            resources=list(_resources(state["values"]["root_module"])),
            planned=list(_resources(plan["planned_values"]["root_module"])),
            seconds=seconds,
        )
        try:
            yield deployment
        finally:
            started = time.monotonic()
            tf("destroy", "-auto-approve", "-input=false", "-no-color", "-parallelism=20", certificate, timeout=900)
            deployment.seconds["destroy"] = time.monotonic() - started


def _resources(module: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from module.get("resources", [])
    for child in module.get("child_modules", []):
        yield from _resources(child)
