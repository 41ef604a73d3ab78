variable "name" {
  description = "Resource name prefix."
  type        = string
}

variable "vpc_id" {
  description = "The VPC."
  type        = string
}

variable "private_subnet_ids" {
  description = "Subnets of the database (private, two AZs)."
  type        = list(string)
}

variable "client_security_groups" {
  description = "Security groups allowed to connect (the ECS tasks), by a name known before apply."
  type        = map(string)
}

variable "kms_key_arn" {
  description = "Key of storage, Performance Insights and the URL secret."
  type        = string
}

variable "instance_class" {
  description = "Instance class."
  type        = string
}

variable "max_connections" {
  description = "PostgreSQL max_connections (the ECS pools are sized from it)."
  type        = number
}

variable "allocated_storage" {
  description = "Initial storage (GiB)."
  type        = number
}

variable "max_allocated_storage" {
  description = "Storage autoscaling ceiling (GiB)."
  type        = number
}

variable "multi_az" {
  description = "Standby in a second AZ."
  type        = bool
}

variable "backup_retention_days" {
  description = "Automated backup retention."
  type        = number
}

variable "deletion_protection" {
  description = "Refuse deletion."
  type        = bool
}
