# ANB Rising Stars Showcase on AWS: the wiring of the modules (docs/deployment.md, docs/architecture.md).
#
#   internet -> ALB (public subnets, WAF) -> /auth/*, /api/auth/*  -> ECS service "auth"
#                                        -> everything else       -> ECS service "core"
#   core -> SQS (+ dead-letter queue) -> ECS service "worker" (+ scale-in protection sidecar)
#   auth, core, worker -> RDS PostgreSQL, ElastiCache Redis, S3 media bucket (private subnets)

data "aws_caller_identity" "current" {}

locals {
  # One figure drives both the worker's hard time limit and the queue's visibility timeout, so
  # they cannot drift apart (the previous platform's 60 s vs 900 s mistake): the broker must never
  # hand a running job to a second worker (anb.config.JobSettings.visibility_timeout_seconds).
  visibility_timeout_seconds = var.worker_hard_time_limit_seconds + 120
}

module "kms" {
  source     = "./modules/kms"
  name       = var.name
  account_id = data.aws_caller_identity.current.account_id
  region     = var.region
}

module "network" {
  source             = "./modules/network"
  name               = var.name
  cidr               = var.vpc_cidr
  availability_zones = var.availability_zones
  single_nat_gateway = var.single_nat_gateway
  kms_key_arn        = module.kms.key_arn
  log_retention_days = var.log_retention_days
}

module "registry" {
  source      = "./modules/registry"
  name        = var.name
  kms_key_arn = module.kms.key_arn
}

module "s3" {
  source               = "./modules/s3"
  name                 = var.name
  kms_key_arn          = module.kms.key_arn
  cors_allowed_origins = var.cors_allowed_origins
  log_retention_days   = var.log_retention_days
}

module "sqs" {
  source                     = "./modules/sqs"
  name                       = var.name
  kms_key_arn                = module.kms.key_arn
  visibility_timeout_seconds = local.visibility_timeout_seconds
  max_receive_count          = var.queue_max_receive_count
}

module "secrets" {
  source      = "./modules/secrets"
  name        = var.name
  kms_key_arn = module.kms.key_arn
}

module "alb" {
  source              = "./modules/alb"
  name                = var.name
  vpc_id              = module.network.vpc_id
  vpc_cidr            = module.network.cidr
  public_subnet_ids   = module.network.public_subnet_ids
  certificate_arn     = var.certificate_arn
  logs_bucket         = module.s3.logs_bucket
  kms_key_arn         = module.kms.key_arn
  log_retention_days  = var.log_retention_days
  deletion_protection = var.deletion_protection
}

module "ecs" {
  source             = "./modules/ecs"
  name               = var.name
  region             = var.region
  vpc_id             = module.network.vpc_id
  vpc_cidr           = module.network.cidr
  private_subnet_ids = module.network.private_subnet_ids
  alb_security_group = module.alb.security_group_id
  target_groups      = module.alb.target_group_arns
  alb_arn_suffix     = module.alb.arn_suffix
  image              = var.image
  kms_key_arn        = module.kms.key_arn
  log_retention_days = var.log_retention_days

  media_bucket = { name = module.s3.media_bucket, arn = module.s3.media_bucket_arn }
  queue        = module.sqs.queue
  dead_letter  = module.sqs.dead_letter_queue
  secret_arns = {
    ANB_SECRET_KEY        = module.secrets.secret_key_arn
    ANB_AUTH__SIGNING_KEY = module.secrets.signing_key_arn
    ANB_AUTH__PUBLIC_KEY  = module.secrets.public_key_arn
    ANB_SMTP_URL          = module.secrets.smtp_url_arn
    ANB_DATABASE__URL     = module.rds.url_secret_arn
    ANB_REDIS_URL         = module.redis.url_secret_arn
  }
  environment = merge({
    ANB_JOBS__HARD_TIME_LIMIT_SECONDS = tostring(var.worker_hard_time_limit_seconds)
    ANB_JOBS__SOFT_TIME_LIMIT_SECONDS = tostring(var.worker_hard_time_limit_seconds - 60)
    ANB_HTTP__CORS_ORIGINS            = jsonencode(var.cors_allowed_origins)
  }, var.extra_environment)

  services                       = var.services
  auth_http_workers              = var.auth_http_workers
  core_http_workers              = var.core_http_workers
  db_connection_budget           = var.db_max_connections - var.db_reserved_connections
  worker_concurrency             = var.worker_concurrency
  worker_backlog_per_task_target = var.worker_backlog_per_task_target
  core_requests_per_target       = var.core_requests_per_target
  cpu_target_percent             = var.cpu_target_percent
  protection_minutes             = ceil(local.visibility_timeout_seconds / 60) + 2
}

module "rds" {
  source                 = "./modules/rds"
  name                   = var.name
  vpc_id                 = module.network.vpc_id
  private_subnet_ids     = module.network.private_subnet_ids
  client_security_groups = module.ecs.task_security_group_ids
  kms_key_arn            = module.kms.key_arn
  instance_class         = var.db_instance_class
  max_connections        = var.db_max_connections
  allocated_storage      = var.db_allocated_storage
  max_allocated_storage  = var.db_max_allocated_storage
  multi_az               = var.db_multi_az
  backup_retention_days  = var.db_backup_retention_days
  deletion_protection    = var.deletion_protection
}

module "redis" {
  source                 = "./modules/redis"
  name                   = var.name
  vpc_id                 = module.network.vpc_id
  private_subnet_ids     = module.network.private_subnet_ids
  client_security_groups = module.ecs.task_security_group_ids
  kms_key_arn            = module.kms.key_arn
  node_type              = var.redis_node_type
}

module "monitoring" {
  source                     = "./modules/monitoring"
  name                       = var.name
  kms_key_arn                = module.kms.key_arn
  alarm_emails               = var.alarm_emails
  queue_name                 = module.sqs.queue.name
  dead_letter_queue_name     = module.sqs.dead_letter_queue.name
  oldest_message_age_seconds = var.oldest_message_alarm_seconds
  alb_arn_suffix             = module.alb.arn_suffix
  target_group_arn_suffixes  = module.alb.target_group_arn_suffixes
  error_rate_percent         = var.alb_5xx_alarm_percent
  log_groups                 = module.ecs.log_groups
}
