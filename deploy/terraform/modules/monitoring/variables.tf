variable "name" {
  description = "Resource name prefix."
  type        = string
}

variable "kms_key_arn" {
  description = "Key of the alarm topic."
  type        = string
}

variable "alarm_emails" {
  description = "Email subscribers of the alarm topic."
  type        = list(string)
}

variable "queue_name" {
  description = "The job queue."
  type        = string
}

variable "dead_letter_queue_name" {
  description = "The dead-letter queue."
  type        = string
}

variable "oldest_message_age_seconds" {
  description = "Threshold of the oldest-waiting-job alarm."
  type        = number
}

variable "alb_arn_suffix" {
  description = "ALB identifier in CloudWatch."
  type        = string
}

variable "target_group_arn_suffixes" {
  description = "Target group identifiers in CloudWatch, by role."
  type        = map(string)
}

variable "error_rate_percent" {
  description = "Threshold of the 5xx-rate alarm, in percent of requests."
  type        = number
}

variable "log_groups" {
  description = "CloudWatch log group names by role (auth, core, worker, migrate)."
  type        = map(string)
}

variable "held_votes_per_hour" {
  description = "Threshold of the held-votes alarm: votes held by the fraud scan in one hour."
  type        = number
  default     = 100
}
