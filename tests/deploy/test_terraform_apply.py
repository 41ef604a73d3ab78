"""deploy/terraform applied to the AWS emulator (tests/deploy/aws_emulator.py), then destroyed by the
session fixture: what was created, read back through the AWS APIs. What moto cannot create
(aws_emulator.NOT_EMULATED) is checked in the plan of the full root module instead."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from tests.deploy.aws_emulator import VARIABLES, Deployment
from tests.deploy.test_terraform import blocks
from tests.support.deploy_tools import DEPLOY

# The first test also waits for the session's apply (and image build): minutes, not seconds.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1500)]
NAME = VARIABLES["name"]


def environment(definition: dict[str, Any]) -> dict[str, str]:
    return {item["name"]: item["value"] for item in definition["environment"]}


def test_the_alb_routes_each_path_to_its_service(emulated_aws: Deployment) -> None:
    elb = emulated_aws.client("elbv2")
    balancer = elb.describe_load_balancers(Names=[NAME])["LoadBalancers"][0]
    listeners = {
        item["Port"]: item for item in elb.describe_listeners(LoadBalancerArn=balancer["LoadBalancerArn"])["Listeners"]
    }
    assert listeners[80]["DefaultActions"][0]["RedirectConfig"]["Protocol"] == "HTTPS"
    groups = {g["TargetGroupName"]: g["TargetGroupArn"] for g in elb.describe_target_groups()["TargetGroups"]}
    routes = {}
    for rule in elb.describe_rules(ListenerArn=listeners[443]["ListenerArn"])["Rules"]:
        action = rule["Actions"][0]
        target = action.get("TargetGroupArn") or str(action.get("FixedResponseConfig", {}).get("StatusCode"))
        conditions = [c["PathPatternConfig"]["Values"] for c in rule["Conditions"] if c["Field"] == "path-pattern"]
        paths = [value for values in conditions for value in values]
        routes[tuple(sorted(paths)) or "default"] = target
    assert routes == {
        ("/api/auth/*", "/auth/*"): groups[f"{NAME}-auth"],
        ("/metrics", "/metrics/*"): "404",
        "default": groups[f"{NAME}-core"],
    }


def test_each_service_runs_the_image_with_its_command_settings_and_secrets(emulated_aws: Deployment) -> None:
    ecs = emulated_aws.client("ecs")
    services = ecs.describe_services(cluster=NAME, services=["auth", "core", "worker"])["services"]
    assert {s["serviceName"]: s["desiredCount"] for s in services} == {"auth": 2, "core": 2, "worker": 1}
    for service in services:
        task = ecs.describe_task_definition(taskDefinition=service["taskDefinition"])["taskDefinition"]
        role = service["serviceName"]
        main = emulated_aws.container_definition(role)
        assert task["containerDefinitions"][0] == main
        assert main["image"] == VARIABLES["image"]
        env = environment(main)
        assert env["ANB_ENV"] == "production" and env["ANB_STORAGE__BACKEND"] == "s3"
        assert env["ANB_STORAGE__S3_BUCKET"] == emulated_aws.outputs["media_bucket"]
        assert env["ANB_JOBS__SQS_QUEUE_URL"] == emulated_aws.outputs["queue_url"]
        secrets = {item["name"] for item in main["secrets"]}
        assert {"ANB_SECRET_KEY", "ANB_DATABASE__URL"} <= secrets
        assert ("ANB_AUTH__SIGNING_KEY" in secrets) == (role == "auth")
        assert main["readonlyRootFilesystem"] is True
    auth, core, worker = (emulated_aws.container_definition(role) for role in ("auth", "core", "worker"))
    assert auth["command"] == core["command"] == ["api", "--host", "0.0.0.0", "--port", "8000"]  # noqa: S104 - the task's own network
    assert worker["command"] == ["worker"]
    assert environment(auth)["ANB_ROLE"] == "auth" and environment(core)["ANB_ROLE"] == "core"
    worker_task = ecs.describe_task_definition(taskDefinition=f"{NAME}-worker")["taskDefinition"]
    sidecar = next(c for c in worker_task["containerDefinitions"] if c["name"] == "scale-in-protection")
    assert sidecar["essential"] is False and sidecar["image"] == VARIABLES["image"]


def test_failed_jobs_are_redriven_to_the_dead_letter_queue(emulated_aws: Deployment) -> None:
    sqs = emulated_aws.client("sqs")
    attributes = sqs.get_queue_attributes(QueueUrl=emulated_aws.outputs["queue_url"], AttributeNames=["All"])
    dead = sqs.get_queue_attributes(QueueUrl=emulated_aws.outputs["dead_letter_queue_url"], AttributeNames=["QueueArn"])
    redrive = json.loads(attributes["Attributes"]["RedrivePolicy"])
    assert redrive == {"deadLetterTargetArn": dead["Attributes"]["QueueArn"], "maxReceiveCount": 5}
    assert int(attributes["Attributes"]["VisibilityTimeout"]) == 660 + 120
    # Not emulated (moto ignores it), and its value names the queue's ARN, unknown before apply:
    # planned for creation, with the job queue as the only allowed source.
    assert emulated_aws.planned_actions("module.sqs.aws_sqs_queue_redrive_allow_policy.dead_letter") == ["create"]
    allow = blocks(
        DEPLOY / "terraform" / "modules" / "sqs" / "main.tf", "resource", "aws_sqs_queue_redrive_allow_policy"
    )
    policy = allow["dead_letter"]["redrive_allow_policy"]
    assert "byQueue" in policy and "aws_sqs_queue.jobs.arn" in policy


def test_autoscaling_follows_cpu_requests_and_the_backlog(emulated_aws: Deployment) -> None:
    """Planned, not applied: moto has no tagging API for Application Auto Scaling."""
    for role, (low, high) in {"auth": (2, 6), "core": (2, 12), "worker": (1, 20)}.items():
        target = emulated_aws.planned_values(f'module.ecs.aws_appautoscaling_target.this["{role}"]')
        assert (target["min_capacity"], target["max_capacity"]) == (low, high)
    for role in ("auth", "core"):
        cpu = emulated_aws.planned_values(f'module.ecs.aws_appautoscaling_policy.cpu["{role}"]')
        spec = cpu["target_tracking_scaling_policy_configuration"][0]
        assert spec["predefined_metric_specification"][0]["predefined_metric_type"] == "ECSServiceAverageCPUUtilization"
        assert spec["target_value"] == 60
    requests = emulated_aws.planned_values("module.ecs.aws_appautoscaling_policy.core_requests")
    metric = requests["target_tracking_scaling_policy_configuration"][0]["predefined_metric_specification"][0]
    assert metric["predefined_metric_type"] == "ALBRequestCountPerTarget"
    backlog = emulated_aws.planned_values("module.ecs.aws_appautoscaling_policy.worker_backlog")
    spec = backlog["target_tracking_scaling_policy_configuration"][0]
    metrics = {m["id"]: m for m in spec["customized_metric_specification"][0]["metrics"]}
    assert metrics["backlog_per_task"]["expression"] == "waiting / IF(tasks > 0, tasks, 1)"
    waiting = metrics["waiting"]["metric_stat"][0]["metric"][0]
    assert waiting["metric_name"] == "ApproximateNumberOfMessagesVisible"
    assert waiting["dimensions"][0]["value"] == f"{NAME}-videos"
    assert spec["target_value"] == 4


def test_the_database_is_private_encrypted_multi_az_and_states_its_connection_limit(emulated_aws: Deployment) -> None:
    rds = emulated_aws.client("rds")
    database = rds.describe_db_instances(DBInstanceIdentifier=NAME)["DBInstances"][0]
    assert database["Engine"] == "postgres" and database["DBInstanceClass"] == "db.t4g.medium"
    assert database["MultiAZ"] and database["StorageEncrypted"] and not database["PubliclyAccessible"]
    assert database["BackupRetentionPeriod"] == 14 and database["DeletionProtection"] is False
    group = database["DBParameterGroups"][0]["DBParameterGroupName"]
    parameters = {
        p["ParameterName"]: p.get("ParameterValue")
        for p in rds.describe_db_parameters(DBParameterGroupName=group, Source="user")["Parameters"]
    }
    assert parameters["rds.force_ssl"] == "1" and parameters["max_connections"] == "400"


def test_the_cache_is_planned_encrypted_with_a_standby(emulated_aws: Deployment) -> None:
    """Planned, not applied: moto's replication group has no member clusters to read back."""
    cache = emulated_aws.planned_values("module.redis.aws_elasticache_replication_group.this")
    assert cache["transit_encryption_enabled"] and cache["at_rest_encryption_enabled"]
    assert cache["automatic_failover_enabled"] and cache["num_cache_clusters"] == 2


def test_media_lifecycle_and_logs_expire(emulated_aws: Deployment) -> None:
    s3 = emulated_aws.client("s3")
    rules = {
        r["ID"]: r for r in s3.get_bucket_lifecycle_configuration(Bucket=emulated_aws.outputs["media_bucket"])["Rules"]
    }
    assert rules["abort-incomplete-uploads"]["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"] == 1
    assert rules["expire-deleted-versions"]["NoncurrentVersionExpiration"]["NoncurrentDays"] == 30
    logging = s3.get_bucket_logging(Bucket=emulated_aws.outputs["media_bucket"])["LoggingEnabled"]
    assert logging["TargetPrefix"] == "s3/media/"
    # TLS only: the emulator speaks plain HTTP, and the bucket's policy refuses it.
    with pytest.raises(ClientError, match=r"Forbidden|AccessDenied"):
        s3.put_object(Bucket=emulated_aws.outputs["media_bucket"], Key="plain-http", Body=b"x")


def test_the_alarms_watch_the_queues_and_the_edge(emulated_aws: Deployment) -> None:
    alarms = emulated_aws.client("cloudwatch").describe_alarms(AlarmNamePrefix=NAME)["MetricAlarms"]
    by_name = {alarm["AlarmName"]: alarm for alarm in alarms}
    assert {f"{NAME}-dead-letter-queue-not-empty", f"{NAME}-oldest-job-waiting", f"{NAME}-5xx-rate"} <= set(by_name)
    assert by_name[f"{NAME}-oldest-job-waiting"]["MetricName"] == "ApproximateAgeOfOldestMessage"
    for alarm in alarms:
        assert alarm["AlarmActions"] == [emulated_aws.outputs["alarm_topic_arn"]], alarm["AlarmName"]
