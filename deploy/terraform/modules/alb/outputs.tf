output "dns_name" {
  description = "Public DNS name of the ALB."
  value       = aws_lb.this.dns_name
}

output "arn_suffix" {
  description = "ALB identifier in CloudWatch metrics."
  value       = aws_lb.this.arn_suffix
}

output "security_group_id" {
  description = "The ALB's security group (the API tasks accept only it)."
  value       = aws_security_group.alb.id
}

output "target_group_arns" {
  description = "Target groups by role (auth, core)."
  value       = { for role, group in aws_lb_target_group.api : role => group.arn }
}

output "target_group_arn_suffixes" {
  description = "Target group identifiers in CloudWatch metrics, by role."
  value       = { for role, group in aws_lb_target_group.api : role => group.arn_suffix }
}
