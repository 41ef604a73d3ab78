resource "aws_appautoscaling_target" "this" {
  for_each           = aws_ecs_service.this
  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.this.name}/${each.value.name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.services[each.key].min_tasks
  max_capacity       = var.services[each.key].max_tasks
}

# auth and core: CPU (the password hashing of auth, the JSON of core).
resource "aws_appautoscaling_policy" "cpu" {
  for_each           = toset(["auth", "core"])
  name               = "${var.name}-${each.key}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = "ecs"
  resource_id        = aws_appautoscaling_target.this[each.key].resource_id
  scalable_dimension = aws_appautoscaling_target.this[each.key].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.cpu_target_percent
    scale_in_cooldown  = 300
    scale_out_cooldown = 60
    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

# core also on requests per task: uploads spend their time waiting on the network, not the CPU.
resource "aws_appautoscaling_policy" "core_requests" {
  name               = "${var.name}-core-requests"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = "ecs"
  resource_id        = aws_appautoscaling_target.this["core"].resource_id
  scalable_dimension = aws_appautoscaling_target.this["core"].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.core_requests_per_target
    scale_in_cooldown  = 300
    scale_out_cooldown = 60
    predefined_metric_specification {
      predefined_metric_type = "ALBRequestCountPerTarget"
      resource_label         = "${var.alb_arn_suffix}/${split(":", var.target_groups["core"])[5]}"
    }
  }
}

# worker: waiting jobs per running task (metric math over SQS and Container Insights), so the
# fleet grows with the backlog, not with the CPU of the encodes already running. Scale-in only
# removes idle tasks: a task with a job in hand is protected (deploy/ecs/scale_in_protection.py).
resource "aws_appautoscaling_policy" "worker_backlog" {
  name               = "${var.name}-worker-backlog"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = "ecs"
  resource_id        = aws_appautoscaling_target.this["worker"].resource_id
  scalable_dimension = aws_appautoscaling_target.this["worker"].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = var.worker_backlog_per_task_target
    scale_in_cooldown  = 300
    scale_out_cooldown = 60

    customized_metric_specification {
      metrics {
        id          = "waiting"
        label       = "Jobs waiting in the queue"
        return_data = false
        metric_stat {
          stat = "Average"
          metric {
            namespace   = "AWS/SQS"
            metric_name = "ApproximateNumberOfMessagesVisible"
            dimensions {
              name  = "QueueName"
              value = var.queue.name
            }
          }
        }
      }

      metrics {
        id          = "tasks"
        label       = "Running worker tasks"
        return_data = false
        metric_stat {
          stat = "Average"
          metric {
            namespace   = "ECS/ContainerInsights"
            metric_name = "RunningTaskCount"
            dimensions {
              name  = "ClusterName"
              value = aws_ecs_cluster.this.name
            }
            dimensions {
              name  = "ServiceName"
              value = aws_ecs_service.this["worker"].name
            }
          }
        }
      }

      metrics {
        id          = "backlog_per_task"
        label       = "Waiting jobs per worker task"
        expression  = "waiting / IF(tasks > 0, tasks, 1)"
        return_data = true
      }
    }
  }
}
