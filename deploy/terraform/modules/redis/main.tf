# Redis for the rate limits shared by every API process and task (ANB_RATE_LIMIT__BACKEND=redis):
# with per-process counters a limit would multiply by the number of processes.

variable "name" {
  description = "Resource name prefix."
  type        = string
}

variable "vpc_id" {
  description = "The VPC."
  type        = string
}

variable "private_subnet_ids" {
  description = "Subnets of the cache nodes."
  type        = list(string)
}

variable "client_security_groups" {
  description = "Security groups allowed to connect (the ECS tasks), by a name known before apply."
  type        = map(string)
}

variable "kms_key_arn" {
  description = "Key of the data at rest and of the URL secret."
  type        = string
}

variable "node_type" {
  description = "Node type."
  type        = string
}

resource "aws_elasticache_subnet_group" "this" {
  name       = var.name
  subnet_ids = var.private_subnet_ids
}

resource "aws_security_group" "this" {
  name        = "${var.name}-redis"
  description = "Redis from the ECS tasks only"
  vpc_id      = var.vpc_id
}

resource "aws_vpc_security_group_ingress_rule" "clients" {
  for_each                     = var.client_security_groups
  security_group_id            = aws_security_group.this.id
  description                  = "Redis from the ${each.key} tasks"
  ip_protocol                  = "tcp"
  from_port                    = 6379
  to_port                      = 6379
  referenced_security_group_id = each.value
}

# Generated once: ignore_changes below keeps later plans from replacing it.
data "aws_secretsmanager_random_password" "auth" {
  password_length     = 64
  exclude_punctuation = true
}

resource "aws_elasticache_replication_group" "this" {
  replication_group_id       = var.name
  description                = "${var.name} shared rate limits"
  engine                     = "redis"
  engine_version             = "7.1"
  node_type                  = var.node_type
  num_cache_clusters         = 2
  automatic_failover_enabled = true
  multi_az_enabled           = true
  subnet_group_name          = aws_elasticache_subnet_group.this.name
  security_group_ids         = [aws_security_group.this.id]
  at_rest_encryption_enabled = true
  kms_key_id                 = var.kms_key_arn
  transit_encryption_enabled = true
  auth_token                 = data.aws_secretsmanager_random_password.auth.random_password
  snapshot_retention_limit   = 0 # counters only: nothing worth restoring

  lifecycle {
    ignore_changes = [auth_token]
  }
}

resource "aws_secretsmanager_secret" "url" {
  #checkov:skip=CKV2_AWS_57:The URL embeds the cache's auth token, rotated by the documented procedure (docs/deployment.md) together with a new task deployment.
  name                    = "${var.name}/redis-url"
  description             = "ANB_REDIS_URL"
  kms_key_id              = var.kms_key_arn
  recovery_window_in_days = 7
}

resource "aws_secretsmanager_secret_version" "url" {
  secret_id     = aws_secretsmanager_secret.url.id
  secret_string = "rediss://:${data.aws_secretsmanager_random_password.auth.random_password}@${aws_elasticache_replication_group.this.primary_endpoint_address}:6379/0"

  lifecycle {
    ignore_changes = [secret_string]
  }
}

output "url_secret_arn" {
  description = "Secret holding ANB_REDIS_URL."
  value       = aws_secretsmanager_secret.url.arn
}
