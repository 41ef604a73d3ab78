# The CloudWatch counterpart of deploy/grafana/anb-dashboard.json: the log-derived metrics of
# logs.tf beside what AWS measures itself (SQS depth, age and dead letters).

data "aws_region" "current" {}

locals {
  # SEARCH draws one line per route/method/status (or outcome, stage) the filters have produced.
  searches = [
    ["Requests by route and status", "route,method,status", "HttpRequests", "Sum"],
    ["Latency p95 by route (ms)", "route", "HttpRequestDuration", "p95"],
    ["Latency p99 by route (ms)", "route", "HttpRequestDuration", "p99"],
    ["Uploads by outcome", "outcome", "Uploads", "Sum"],
    ["Jobs by outcome", "outcome", "Jobs", "Sum"],
    ["Stage p50 by stage (ms)", "stage", "JobStageDuration", "p50"],
    ["Stage p95 by stage (ms)", "stage", "JobStageDuration", "p95"],
  ]
  plain = [
    ["App 5xx responses", local.namespace, "Http5xx", "Sum", {}],
    ["Error log lines, every role", local.namespace, "ErrorLines", "Sum", {}],
    ["Jobs waiting", "AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum", { QueueName = var.queue_name }],
    ["Oldest job waiting (s)", "AWS/SQS", "ApproximateAgeOfOldestMessage", "Maximum", { QueueName = var.queue_name }],
    ["Dead letters", "AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum", { QueueName = var.dead_letter_queue_name }],
  ]

  panels = concat(
    [for search in local.searches : {
      title   = search[0]
      metrics = [[{ id = "e1", expression = "SEARCH('{${local.namespace},${search[1]}} MetricName=\"${search[2]}\"', '${search[3]}', 300)" }]]
    }],
    [for metric in local.plain : {
      title   = metric[0]
      metrics = [concat([metric[1], metric[2]], flatten([for name, value in metric[4] : [name, value]]), [{ stat = metric[3] }])]
    }],
  )
}

resource "aws_cloudwatch_dashboard" "overview" {
  dashboard_name = "${var.name}-overview"
  dashboard_body = jsonencode({
    widgets = [
      for index, panel in local.panels : {
        type   = "metric"
        x      = (index % 2) * 12
        y      = floor(index / 2) * 6
        width  = 12
        height = 6
        properties = {
          title   = panel.title
          region  = data.aws_region.current.name
          view    = "timeSeries"
          period  = 300
          metrics = panel.metrics
        }
      }
    ]
  })
}
