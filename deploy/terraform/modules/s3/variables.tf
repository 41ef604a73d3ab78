variable "name" {
  description = "Resource name prefix."
  type        = string
}

variable "kms_key_arn" {
  description = "Key of the media bucket."
  type        = string
}

variable "cors_allowed_origins" {
  description = "Origins allowed to read media and to send direct uploads from browsers."
  type        = list(string)
}

variable "log_retention_days" {
  description = "Days an access log is kept."
  type        = number
}
