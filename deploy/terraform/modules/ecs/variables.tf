variable "name" {
  description = "Resource name prefix."
  type        = string
}

variable "region" {
  description = "AWS region (logs, SQS)."
  type        = string
}

variable "vpc_id" {
  description = "The VPC."
  type        = string
}

variable "vpc_cidr" {
  description = "The VPC's CIDR: the load balancer's nodes, the only proxies the API tasks trust."
  type        = string
}

variable "private_subnet_ids" {
  description = "Subnets of the tasks."
  type        = list(string)
}

variable "alb_security_group" {
  description = "The ALB's security group: the only source allowed into the API tasks."
  type        = string
}

variable "target_groups" {
  description = "ALB target groups by role (auth, core)."
  type        = map(string)
}

variable "alb_arn_suffix" {
  description = "ALB identifier in CloudWatch (request-count scaling)."
  type        = string
}

variable "image" {
  description = "The one image of every role."
  type        = string
}

variable "kms_key_arn" {
  description = "Key of logs, secrets, queues and media."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the services' log groups."
  type        = number
}

variable "media_bucket" {
  description = "Media bucket name and ARN."
  type        = object({ name = string, arn = string })
}

variable "queue" {
  description = "Job queue name, url, arn."
  type        = object({ name = string, url = string, arn = string })
}

variable "dead_letter" {
  description = "Dead-letter queue name, url, arn."
  type        = object({ name = string, url = string, arn = string })
}

variable "secret_arns" {
  description = "Secrets Manager ARN of each secret setting, by variable name."
  type        = map(string)
}

variable "environment" {
  description = "Plain settings added to every role."
  type        = map(string)
}

variable "services" {
  description = "cpu, memory, min_tasks, max_tasks of auth, core and worker."
  type = map(object({
    cpu       = number
    memory    = number
    min_tasks = number
    max_tasks = number
  }))
}

variable "auth_http_workers" {
  description = "HTTP server processes per auth task."
  type        = number
}

variable "db_connection_budget" {
  description = "Database connections the tasks may hold together (max_connections less what is kept for others)."
  type        = number
}

variable "core_http_workers" {
  description = "HTTP server processes per core task."
  type        = number
}

variable "worker_concurrency" {
  description = "Parallel jobs per worker task."
  type        = number
}

variable "worker_backlog_per_task_target" {
  description = "Waiting jobs per worker task that the worker autoscaling aims at."
  type        = number
}

variable "core_requests_per_target" {
  description = "ALB requests per core task per minute that the core autoscaling aims at."
  type        = number
}

variable "cpu_target_percent" {
  description = "CPU target of the API services."
  type        = number
}

variable "protection_minutes" {
  description = "Length of one scale-in protection grant for a busy worker task."
  type        = number
}
