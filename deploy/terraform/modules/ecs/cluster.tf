resource "aws_ecs_cluster" "this" {
  name = var.name

  setting {
    name  = "containerInsights"
    value = "enabled" # also provides RunningTaskCount for the worker's backlog-per-task metric
  }
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = ["FARGATE"]

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    weight            = 1
  }
}

resource "aws_cloudwatch_log_group" "role" {
  for_each          = toset(["auth", "core", "worker", "migrate"])
  name              = "/anb/${var.name}/${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

# The API tasks accept the ALB only; workers accept nothing. Both reach the database, Redis
# (their own security groups admit these groups) and AWS APIs over HTTPS.
resource "aws_security_group" "api" {
  #checkov:skip=CKV2_AWS_5:Attached to the auth and core services through local.network in services.tf, which the graph check does not follow.
  name        = "${var.name}-api-tasks"
  description = "auth and core tasks: port 8000 from the ALB"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "api_from_alb" {
  security_group_id            = aws_security_group.api.id
  description                  = "HTTP from the ALB"
  ip_protocol                  = "tcp"
  from_port                    = 8000
  to_port                      = 8000
  referenced_security_group_id = var.alb_security_group
}

resource "aws_security_group" "worker" {
  #checkov:skip=CKV2_AWS_5:Attached to the worker service and the migration task through local.network and the migrate command, which the graph check does not follow.
  name        = "${var.name}-worker-tasks"
  description = "worker tasks: no inbound traffic"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_egress_rule" "tasks" {
  #checkov:skip=CKV_AWS_382:Tasks call public AWS endpoints (ECR, SQS, Secrets Manager, CloudWatch, S3) whose addresses are not fixed; they leave through the NAT gateways only.
  for_each          = { api = aws_security_group.api.id, worker = aws_security_group.worker.id }
  security_group_id = each.value
  description       = "Outbound: AWS APIs, database, cache"
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}
