"""Database connections at maximum scale, computed from what is deployed, against the database's
limit: on AWS from the applied task definitions, the planned autoscaling ranges and the applied
parameter group; in compose from its settings and PostgreSQL's default.

An API process holds a fixed pool (ANB_DATABASE__POOL_SIZE, no overflow: anb/db/engine.py); a
worker process holds one connection at a time for the job it runs (no pool), so a worker container
holds at most ANB_JOBS__CONCURRENCY.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.deploy.aws_emulator import VARIABLES, Deployment
from tests.deploy.test_compose import load
from tests.deploy.test_terraform import parse
from tests.support.deploy_tools import DEPLOY

# PostgreSQL keeps superuser_reserved_connections (default 3) out of everyone else's reach.
SUPERUSER_RESERVED = 3


def variable_default(name: str) -> Any:
    tree = parse(DEPLOY / "terraform" / "variables.tf")
    return next(block[name]["default"] for block in tree["variable"] if name in block)


def aws_worst_case(deployment: Deployment) -> int:
    worst = 0
    for role in ("auth", "core", "worker"):
        target = deployment.planned_values(f'module.ecs.aws_appautoscaling_target.this["{role}"]')
        env = {item["name"]: item["value"] for item in deployment.container_definition(role)["environment"]}
        if role == "worker":
            per_task = int(env["ANB_JOBS__CONCURRENCY"])
        else:
            per_task = int(env["ANB_HTTP__WORKERS"]) * int(env["ANB_DATABASE__POOL_SIZE"])
        worst += int(target["max_capacity"]) * per_task
    return worst


@pytest.mark.slow
@pytest.mark.timeout(1500)  # may be the test that waits for the session's apply
def test_the_aws_fleet_at_maximum_scale_fits_the_database(emulated_aws: Deployment) -> None:
    rds = emulated_aws.client("rds")
    database = rds.describe_db_instances(DBInstanceIdentifier=VARIABLES["name"])
    group = database["DBInstances"][0]["DBParameterGroups"][0]["DBParameterGroupName"]
    parameters = rds.describe_db_parameters(DBParameterGroupName=group, Source="user")["Parameters"]
    max_connections = int(next(p["ParameterValue"] for p in parameters if p["ParameterName"] == "max_connections"))
    worst = aws_worst_case(emulated_aws)
    # What is kept for RDS's superusers, the migration task and operators' commands stays free.
    assert worst + variable_default("db_reserved_connections") <= max_connections
    assert emulated_aws.outputs["database_connections"]["worst_case"] == worst
    # The pool is as large as the budget allows: one more per process would not fit.
    processes = emulated_aws.outputs["database_connections"]["api_processes"]
    assert worst + processes + variable_default("db_reserved_connections") > max_connections


@pytest.mark.slow
@pytest.mark.timeout(1500)
def test_a_fleet_that_cannot_fit_is_refused_at_plan_time(emulated_aws: Deployment) -> None:
    services = variable_default("services")
    services["core"] = services["core"] | {"max_tasks": 200}
    # A JSON object is also an HCL object expression.
    with pytest.raises(RuntimeError, match="fewer than 2 database connections"):
        emulated_aws.plan(f"-var=services={json.dumps(services)}")


def test_compose_at_full_size_fits_postgresql_default(init_env: dict[str, str]) -> None:
    services = load(init_env)["services"]
    assert "max_connections" not in str(services["postgres"].get("command", "")), "the default (100) is assumed"
    worst = 1  # the migration one-shot
    for name in ("auth", "core", "worker"):
        spec = services[name]
        env = spec["environment"]
        replicas = int(spec.get("deploy", {}).get("replicas", 1))
        pool = int(env["ANB_DATABASE__POOL_SIZE"])  # set, not left to the default of 20
        per_container = int(env["ANB_JOBS__CONCURRENCY"]) if name == "worker" else int(env["ANB_HTTP__WORKERS"]) * pool
        worst += replicas * per_container
    assert worst <= 100 - SUPERUSER_RESERVED, f"compose may open {worst} connections"
