locals {
  network = {
    auth   = aws_security_group.api.id
    core   = aws_security_group.api.id
    worker = aws_security_group.worker.id
  }
  task_definitions = {
    auth   = aws_ecs_task_definition.api["auth"].arn
    core   = aws_ecs_task_definition.api["core"].arn
    worker = aws_ecs_task_definition.worker.arn
  }
}

resource "aws_ecs_service" "this" {
  for_each                          = local.task_definitions
  name                              = each.key
  cluster                           = aws_ecs_cluster.this.id
  task_definition                   = each.value
  desired_count                     = var.services[each.key].min_tasks
  launch_type                       = "FARGATE"
  platform_version                  = "LATEST"
  propagate_tags                    = "SERVICE"
  enable_ecs_managed_tags           = true
  health_check_grace_period_seconds = each.key == "worker" ? null : 30
  # A deployment that cannot get healthy tasks rolls back to the previous task definition.
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [local.network[each.key]]
    assign_public_ip = false
  }

  dynamic "load_balancer" {
    for_each = each.key == "worker" ? {} : { (each.key) = var.target_groups[each.key] }
    content {
      target_group_arn = load_balancer.value
      container_name   = load_balancer.key
      container_port   = 8000
    }
  }

  # Autoscaling owns the task count after creation.
  lifecycle {
    ignore_changes = [desired_count]
  }
}
