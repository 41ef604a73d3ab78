variable "name" {
  description = "Resource name prefix."
  type        = string
}

variable "vpc_id" {
  description = "The VPC."
  type        = string
}

variable "vpc_cidr" {
  description = "The VPC's range: the only destination of the ALB's traffic."
  type        = string
}

variable "public_subnet_ids" {
  description = "Public subnets of the ALB (two AZs)."
  type        = list(string)
}

variable "certificate_arn" {
  description = "ACM certificate of the HTTPS listener."
  type        = string
}

variable "logs_bucket" {
  description = "Bucket of the access logs (prefix alb/)."
  type        = string
}

variable "kms_key_arn" {
  description = "Key of the WAF log group."
  type        = string
}

variable "log_retention_days" {
  description = "WAF log retention."
  type        = number
}

variable "deletion_protection" {
  description = "Refuse deletion of the ALB."
  type        = bool
}

variable "waf_votes_per_5_minutes" {
  description = "WAF block threshold: vote requests per client IP in 5 minutes (the app allows 1200 a minute per address)."
  type        = number
  default     = 10000
}

variable "waf_signups_per_5_minutes" {
  description = "WAF block threshold: signups per client IP in 5 minutes (WAF's minimum is 10; the app allows 30 an hour)."
  type        = number
  default     = 100
}

variable "waf_logins_per_5_minutes" {
  description = "WAF block threshold: logins per client IP in 5 minutes (the app allows 60 a minute)."
  type        = number
  default     = 500
}
