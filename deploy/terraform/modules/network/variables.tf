variable "name" {
  description = "Resource name prefix."
  type        = string
}

variable "availability_zones" {
  description = "The two AZs, named explicitly so that the layout never changes under a running stack."
  type        = list(string)

  validation {
    condition     = length(var.availability_zones) == 2
    error_message = "Exactly two availability zones."
  }
}

variable "cidr" {
  description = "VPC address range."
  type        = string
}

variable "single_nat_gateway" {
  description = "One NAT gateway instead of one per AZ."
  type        = bool
}

variable "kms_key_arn" {
  description = "Key of the flow-log group."
  type        = string
}

variable "log_retention_days" {
  description = "Flow-log retention."
  type        = number
}
