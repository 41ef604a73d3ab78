variable "name" {
  description = "Prefix of every resource name, e.g. \"anb-prod\" (lower case, digits and dashes)."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{2,20}$", var.name))
    error_message = "name must be 3-21 lower-case letters, digits or dashes, starting with a letter."
  }
}

variable "region" {
  description = "AWS region of the whole deployment."
  type        = string
}

variable "tags" {
  description = "Extra tags on every resource."
  type        = map(string)
  default     = {}
}

variable "image" {
  description = "The one container image of every role: the registry output's URL with an immutable tag or digest (…/anb@sha256:…)."
  type        = string
}

variable "certificate_arn" {
  description = "ACM certificate of the public host name, for the ALB's HTTPS listener."
  type        = string
}

variable "cors_allowed_origins" {
  description = "Origins of the web UI: the media bucket's CORS (browser playback) and ANB_HTTP__CORS_ORIGINS."
  type        = list(string)
}

variable "availability_zones" {
  description = "Two availability zones of the region, e.g. [\"us-east-1a\", \"us-east-1b\"]."
  type        = list(string)
}

variable "vpc_cidr" {
  description = "Address range of the VPC; split into two public and two private subnets across two AZs."
  type        = string
  default     = "10.40.0.0/16"
}

variable "single_nat_gateway" {
  description = "One NAT gateway for both AZs (cheaper; private subnets lose egress if its AZ fails)."
  type        = bool
  default     = false
}

variable "deletion_protection" {
  description = "Protects the ALB and the database from deletion (turn off only to tear an environment down)."
  type        = bool
  default     = true
}

variable "log_retention_days" {
  description = "Retention of CloudWatch log groups and of the access-log bucket."
  type        = number
  default     = 365
}

variable "services" {
  description = "Fargate size and autoscaling range of each service. cpu in CPU units (1024 = 1 vCPU), memory in MiB."
  type = map(object({
    cpu       = number
    memory    = number
    min_tasks = number
    max_tasks = number
  }))
  default = {
    auth   = { cpu = 512, memory = 1024, min_tasks = 2, max_tasks = 6 }
    core   = { cpu = 1024, memory = 2048, min_tasks = 2, max_tasks = 12 }
    worker = { cpu = 2048, memory = 4096, min_tasks = 1, max_tasks = 20 }
  }

  validation {
    condition     = alltrue([for s in ["auth", "core", "worker"] : contains(keys(var.services), s)])
    error_message = "services must define auth, core and worker."
  }
}

variable "auth_http_workers" {
  description = "HTTP server processes per auth task (ANB_HTTP__WORKERS)."
  type        = number
  default     = 2
}

variable "core_http_workers" {
  description = "HTTP server processes per core task (ANB_HTTP__WORKERS); about one per vCPU plus one."
  type        = number
  default     = 2
}

variable "worker_concurrency" {
  description = "Parallel encodes per worker task (ANB_JOBS__CONCURRENCY); each uses every vCPU of the task."
  type        = number
  default     = 1
}

variable "worker_hard_time_limit_seconds" {
  description = "Hard time limit of one job (ANB_JOBS__HARD_TIME_LIMIT_SECONDS); the queue's visibility timeout is this plus 120 s."
  type        = number
  default     = 660
}

variable "worker_backlog_per_task_target" {
  description = "Target of the worker autoscaling: waiting jobs per running worker task (acceptable wait / time per job x concurrency)."
  type        = number
  default     = 4
}

variable "core_requests_per_target" {
  description = "Target of the core autoscaling on ALB requests per task per minute (besides CPU)."
  type        = number
  default     = 3000
}

variable "cpu_target_percent" {
  description = "Average CPU target of the auth and core autoscaling."
  type        = number
  default     = 60
}

variable "queue_max_receive_count" {
  description = "Receives of one message before SQS moves it to the dead-letter queue."
  type        = number
  default     = 5
}

variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.t4g.medium"
}

variable "db_max_connections" {
  description = "PostgreSQL max_connections, set in the parameter group (RDS would derive about 400 from a db.t4g.medium's memory); the API pools are sized from it and the task counts (modules/ecs/connections.tf)."
  type        = number
  default     = 400
}

variable "db_reserved_connections" {
  description = "Connections of max_connections kept out of the tasks' budget: RDS's superuser slots, the migration task, operators' `anb jobs` commands, monitoring."
  type        = number
  default     = 20
}

variable "db_allocated_storage" {
  description = "Initial RDS storage in GiB."
  type        = number
  default     = 50
}

variable "db_max_allocated_storage" {
  description = "RDS storage autoscaling ceiling in GiB."
  type        = number
  default     = 500
}

variable "db_multi_az" {
  description = "A standby in the second AZ with automatic failover."
  type        = bool
  default     = true
}

variable "db_backup_retention_days" {
  description = "Days of automated RDS backups (point-in-time recovery window)."
  type        = number
  default     = 14
}

variable "redis_node_type" {
  description = "ElastiCache node type of the shared rate-limit store."
  type        = string
  default     = "cache.t4g.small"
}

variable "alarm_emails" {
  description = "Addresses subscribed to the alarm topic (each confirms by email)."
  type        = list(string)
  default     = []
}

variable "oldest_message_alarm_seconds" {
  description = "Alarm when the oldest waiting job is older than this."
  type        = number
  default     = 900
}

variable "alb_5xx_alarm_percent" {
  description = "Alarm when 5xx answers exceed this share of requests over 5 minutes."
  type        = number
  default     = 1
}

variable "extra_environment" {
  description = "More ANB_* settings for every role (docs/configuration.md), e.g. { ANB_FFMPEG__PRESET = \"faster\" }."
  type        = map(string)
  default     = {}
}
