# CloudWatch equivalents of the Prometheus metrics (docs/observability.md), counted from the JSON
# lines every role already writes to its log group: nothing to scrape, no agent beside the tasks.
# Dimensions come from the lines' fields; route templates keep them few (never raw paths).

locals {
  namespace  = "ANB/${var.name}"
  api_groups = { for role in ["auth", "core"] : role => var.log_groups[role] }
}

# anb_http_requests_total and anb_http_request_duration_seconds: one line per request (anb.http).
resource "aws_cloudwatch_log_metric_filter" "http_requests" {
  for_each       = local.api_groups
  name           = "${var.name}-${each.key}-http-requests"
  log_group_name = each.value
  pattern        = "{ $.logger = \"anb.http\" }"

  metric_transformation {
    name       = "HttpRequests"
    namespace  = local.namespace
    value      = "1"
    unit       = "Count"
    dimensions = { route = "$.route", method = "$.method", status = "$.status" }
  }
}

resource "aws_cloudwatch_log_metric_filter" "http_latency" {
  for_each       = local.api_groups
  name           = "${var.name}-${each.key}-http-latency"
  log_group_name = each.value
  pattern        = "{ $.logger = \"anb.http\" }"

  metric_transformation {
    name       = "HttpRequestDuration"
    namespace  = local.namespace
    value      = "$.duration_ms"
    unit       = "Milliseconds"
    dimensions = { route = "$.route" }
  }
}

# Without dimensions, for the 5xx panel and anyone's alarm: the app's own 5xx (the ALB alarm also
# counts those the ALB answers itself).
resource "aws_cloudwatch_log_metric_filter" "http_5xx" {
  for_each       = local.api_groups
  name           = "${var.name}-${each.key}-http-5xx"
  log_group_name = each.value
  pattern        = "{ $.logger = \"anb.http\" && $.status >= 500 }"

  metric_transformation {
    name          = "Http5xx"
    namespace     = local.namespace
    value         = "1"
    default_value = "0"
    unit          = "Count"
  }
}

# anb_uploads_total: the upload route logs "accepted" or the rejection's code (anb.videos.router).
resource "aws_cloudwatch_log_metric_filter" "uploads" {
  name           = "${var.name}-uploads"
  log_group_name = var.log_groups["core"]
  pattern        = "{ $.logger = \"anb.videos.router\" && $.outcome = * }"

  metric_transformation {
    name       = "Uploads"
    namespace  = local.namespace
    value      = "1"
    unit       = "Count"
    dimensions = { outcome = "$.outcome" }
  }
}

# anb_jobs_total and anb_job_stage_seconds: the worker logs each job's outcome and stage times
# (anb.processing.job).
resource "aws_cloudwatch_log_metric_filter" "jobs" {
  name           = "${var.name}-jobs"
  log_group_name = var.log_groups["worker"]
  pattern        = "{ $.logger = \"anb.processing.job\" && $.outcome = * }"

  metric_transformation {
    name       = "Jobs"
    namespace  = local.namespace
    value      = "1"
    unit       = "Count"
    dimensions = { outcome = "$.outcome" }
  }
}

resource "aws_cloudwatch_log_metric_filter" "job_stages" {
  name           = "${var.name}-job-stages"
  log_group_name = var.log_groups["worker"]
  pattern        = "{ $.logger = \"anb.processing.job\" && $.stage = * }"

  metric_transformation {
    name       = "JobStageDuration"
    namespace  = local.namespace
    value      = "$.duration_ms"
    unit       = "Milliseconds"
    dimensions = { stage = "$.stage" }
  }
}

# Any role's error lines (failed jobs, failed hand-offs, unexpected 500s), for the dashboard.
resource "aws_cloudwatch_log_metric_filter" "errors" {
  for_each       = var.log_groups
  name           = "${var.name}-${each.key}-error-lines"
  log_group_name = each.value
  pattern        = "{ $.level = \"error\" || $.level = \"critical\" }"

  metric_transformation {
    name          = "ErrorLines"
    namespace     = local.namespace
    value         = "1"
    default_value = "0"
    unit          = "Count"
  }
}
