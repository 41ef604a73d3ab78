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

from bench.harness.s3_server import S3_ACCESS_KEY, S3_REGION, S3_SECRET_KEY, run_s3_server
from tests.support.deploy_tools import DEPLOY, terraform

# The provider's endpoint names of every service the root module uses.
SERVICES: tuple[str, ...] = ("acm", "appautoscaling", "cloudwatch", "ec2", "ecr", "ecs", "elasticache", "elbv2")
SERVICES += ("iam", "kms", "logs", "rds", "s3", "secretsmanager", "sns", "sqs", "sts", "wafv2")
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


# What moto cannot create, by module: each is set to no instances (and cut from what it refers
# to) in a test-only override of its module, and checked in the plan of the full module instead
# (Deployment.planned). Application Auto Scaling: moto has no tagging API, which the provider reads
# after creating a scalable target. ElastiCache: moto's replication group has no member clusters,
# which the provider reads, and moto cannot delete a subnet group. SQS: moto ignores
# RedriveAllowPolicy, which the provider waits for.
NOT_EMULATED = {
    "modules/ecs": {
        'aws_appautoscaling_target" "this': "for_each = {}",
        'aws_appautoscaling_policy" "cpu': "for_each = {}",
        'aws_appautoscaling_policy" "core_requests': "count = 0",
        'aws_appautoscaling_policy" "worker_backlog': "count = 0",
    },
    "modules/redis": {
        'aws_elasticache_subnet_group" "this': "count = 0",
        'aws_elasticache_replication_group" "this': 'count             = 0\n  subnet_group_name = "not-emulated"',
        'aws_secretsmanager_secret_version" "url': 'count         = 0\n  secret_string = ""',
    },
    "modules/sqs": {'aws_sqs_queue_redrive_allow_policy" "dead_letter': "count = 0"},
}


def _without_unemulated(resources: dict[str, str]) -> str:
    blocks = [f'resource "{resource}" {{\n  {body}\n}}\n' for resource, body in resources.items()]
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


@dataclass
class Deployment:
    """What the apply left (outputs, resources in the state), the plan of what the emulator cannot
    create, timings, and clients of the emulator."""

    endpoint_url: str
    terraform: Terraform
    variables: list[str]
    outputs: dict[str, Any]
    resources: list[dict[str, Any]]
    planned: list[dict[str, Any]]
    changes: list[dict[str, Any]]
    seconds: dict[str, float] = field(default_factory=dict)

    def client(self, service: str) -> Any:
        # Typed per service name by boto3-stubs; the service here is a variable.
        make_client: Any = boto3.client
        return make_client(
            service,
            endpoint_url=self.endpoint_url,
            region_name=S3_REGION,
            aws_access_key_id=S3_ACCESS_KEY,
            aws_secret_access_key=S3_SECRET_KEY,
        )

    def container_definition(self, role: str) -> dict[str, Any]:
        """The container of ``role`` in its registered task definition (family <name>-<role>)."""
        ecs = self.client("ecs")
        task = ecs.describe_task_definition(taskDefinition=f"{VARIABLES['name']}-{role}")["taskDefinition"]
        return dict(next(c for c in task["containerDefinitions"] if c["name"] == role))

    def plan(self, *variables: str) -> str:
        """A plan of the applied module with other values (no refresh: the emulator's state is known)."""
        return self.terraform("plan", "-input=false", "-no-color", "-refresh=false", *self.variables, *variables)

    def planned_actions(self, address: str) -> list[str]:
        """What the plan of the full module does to one resource instance, e.g. ["create"]."""
        found = [change["change"]["actions"] for change in self.changes if change["address"] == address]
        assert found, f"{address} is not in the plan"
        return list(found[0])

    def planned_values(self, address: str) -> dict[str, Any]:
        """The planned attributes of one resource instance, e.g. 'module.ecs.aws_ecs_cluster.this'."""
        found = [r["values"] for r in self.planned if r["address"] == address]
        assert found, f"{address} is not in the plan"
        return dict(found[0])


def prepare(scratch: Path, endpoint_url: str) -> Terraform:
    """The root module copied into ``scratch`` with the emulator override, initialised."""
    scratch.mkdir(parents=True, exist_ok=True)
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
        applied = tf("apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=20", certificate, timeout=900)
        seconds["apply"] = time.monotonic() - started
        (tf.work / "apply.log").write_text(applied)
        state = json.loads(tf("show", "-json", "-no-color"))
        deployment = Deployment(
            endpoint_url,
            tf,
            [certificate],
            outputs={name: body["value"] for name, body in state["values"].get("outputs", {}).items()},
            resources=list(_resources(state["values"]["root_module"])),
            planned=list(_resources(plan["planned_values"]["root_module"])),
            changes=plan["resource_changes"],
            seconds=seconds,
        )
        try:
            yield deployment
        finally:
            started = time.monotonic()
            destroy(deployment)
            deployment.seconds["destroy"] = time.monotonic() - started


# Destroyed first, so that the harness can then clear what they leave behind.
FIRST_DESTROYED = (
    "network.aws_nat_gateway.this",
    "s3.aws_s3_bucket_logging.media",  # or every deletion below would write a new log object
    "s3.aws_s3_bucket_policy.media",  # TLS only: the emulator's plain HTTP could not delete objects
    "s3.aws_s3_bucket_policy.logs",
)


def destroy(deployment: Deployment) -> None:
    """terraform destroy, in two steps. The first removes FIRST_DESTROYED; then the harness deletes
    what stays in the way: moto keeps a deleted NAT gateway's network interface (the subnets could
    not go), and the buckets hold objects (S3 refuses to delete a bucket that is not empty, which
    protects the access logs in production)."""
    ec2, s3 = deployment.client("ec2"), deployment.client("s3")
    interfaces = [
        address["NetworkInterfaceId"]
        for gateway in ec2.describe_nat_gateways()["NatGateways"]
        for address in gateway["NatGatewayAddresses"]
    ]
    arguments = ["destroy", "-auto-approve", "-input=false", "-no-color", "-parallelism=20", *deployment.variables]
    first = [f"-target=module.{address}" for address in FIRST_DESTROYED]
    deployment.terraform(*arguments, *first, timeout=900)
    for interface in interfaces:
        ec2.delete_network_interface(NetworkInterfaceId=interface)
    for bucket in s3.list_buckets()["Buckets"]:
        listing = s3.list_object_versions(Bucket=bucket["Name"])
        for version in listing.get("Versions", []) + listing.get("DeleteMarkers", []):
            s3.delete_object(Bucket=bucket["Name"], Key=version["Key"], VersionId=version["VersionId"])
    try:
        deployment.terraform(*arguments, timeout=900)
    except RuntimeError as exc:
        # Deleting a security group and its rules in parallel, moto sometimes drops a rule with its
        # group before the rule's own deletion arrives ("InvalidPermission.NotFound"). A second
        # destroy refreshes the state, finds the rule gone and finishes; any other failure repeats.
        if "InvalidPermission.NotFound" not in str(exc):
            raise
        deployment.terraform(*arguments, timeout=900)


def _resources(module: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from module.get("resources", [])
    for child in module.get("child_modules", []):
        yield from _resources(child)
