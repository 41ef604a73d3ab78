output "cluster_name" {
  description = "The ECS cluster."
  value       = aws_ecs_cluster.this.name
}

output "service_names" {
  description = "Service names by role."
  value       = { for role, service in aws_ecs_service.this : role => service.name }
}

output "task_security_group_ids" {
  description = "Security groups of the tasks by kind (admitted by the database and the cache); static keys, so that for_each over them plans before the groups exist."
  value       = { api = aws_security_group.api.id, worker = aws_security_group.worker.id }
}

output "migrate_command" {
  description = "AWS CLI command that runs the one-off migration task and waits for it."
  value = join(" ", [
    "aws ecs run-task --cluster ${aws_ecs_cluster.this.name} --launch-type FARGATE",
    "--task-definition ${aws_ecs_task_definition.migrate.family}",
    "--network-configuration 'awsvpcConfiguration={subnets=[${join(",", var.private_subnet_ids)}],securityGroups=[${aws_security_group.worker.id}],assignPublicIp=DISABLED}'",
  ])
}

output "log_groups" {
  description = "Log group names by role, for the log metric filters."
  value       = { for role, group in aws_cloudwatch_log_group.role : role => group.name }
}

output "connections" {
  description = "The database connection budget at maximum scale: pool per API process and the fleet's worst case."
  value = {
    pool_size          = local.pool_size
    api_processes      = local.api_processes
    worker_connections = local.worker_connections
    worst_case         = local.worst_case
    budget             = var.db_connection_budget
  }
}
