# AWS managed rules in front of the ALB. The common rule set blocks request bodies above 8 KB
# (SizeRestrictions_BODY), which would refuse every upload: that one rule only counts; the app
# enforces its own 100 MB limit while streaming.

resource "aws_wafv2_web_acl" "this" {
  name  = var.name
  scope = "REGIONAL"

  default_action {
    allow {}
  }

  rule {
    name     = "common"
    priority = 10
    override_action {
      none {}
    }
    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesCommonRuleSet"
        rule_action_override {
          name = "SizeRestrictions_BODY"
          action_to_use {
            count {}
          }
        }
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-common"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "known-bad-inputs"
    priority = 20
    override_action {
      none {}
    }
    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesKnownBadInputsRuleSet"
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-known-bad-inputs"
      sampled_requests_enabled   = true
    }
  }

  # Anonymizing proxies (VPNs, Tor, hosting providers) would defeat the per-address vote limit.
  # Switch this group to count mode if legitimate players reach the site through such networks.
  rule {
    name     = "anonymous-ip"
    priority = 30
    override_action {
      none {}
    }
    statement {
      managed_rule_group_statement {
        vendor_name = "AWS"
        name        = "AWSManagedRulesAnonymousIpList"
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-anonymous-ip"
      sampled_requests_enabled   = true
    }
  }

  # Per client IP (the address the ALB sees, which a client cannot forge), over 5 minutes, on the
  # paths a script would loop over. Above the app's own limits (1200 votes/minute, 30 signups/hour,
  # 60 logins/minute per address): the app refuses first and explains with a 429; this stops
  # what would reach the app at all, before it costs a task.
  dynamic "rule" {
    for_each = local.rate_limited_paths
    content {
      name     = "rate-${rule.key}"
      priority = rule.value.priority
      action {
        block {}
      }
      statement {
        rate_based_statement {
          limit                 = rule.value.limit
          aggregate_key_type    = "IP"
          evaluation_window_sec = 300
          scope_down_statement {
            regex_match_statement {
              regex_string = rule.value.path
              field_to_match {
                uri_path {}
              }
              text_transformation {
                priority = 0
                type     = "NONE"
              }
            }
          }
        }
      }
      visibility_config {
        cloudwatch_metrics_enabled = true
        metric_name                = "${var.name}-rate-${rule.key}"
        sampled_requests_enabled   = true
      }
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = var.name
    sampled_requests_enabled   = true
  }
}

locals {
  # Requests per client IP per 5 minutes, by path family (both account path families).
  rate_limited_paths = {
    votes  = { priority = 40, limit = var.waf_votes_per_5_minutes, path = "^/api/public/videos/[^/]+/vote$" }
    signup = { priority = 41, limit = var.waf_signups_per_5_minutes, path = "^/(api/auth|auth/api/v1)/signup(/fan)?$" }
    login  = { priority = 42, limit = var.waf_logins_per_5_minutes, path = "^/(api/auth|auth/api/v1)/login$" }
  }
}

resource "aws_wafv2_web_acl_association" "this" {
  resource_arn = aws_lb.this.arn
  web_acl_arn  = aws_wafv2_web_acl.this.arn
}

# WAF requires this name prefix for its log groups.
resource "aws_cloudwatch_log_group" "waf" {
  name              = "aws-waf-logs-${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
}

resource "aws_wafv2_web_acl_logging_configuration" "this" {
  resource_arn            = aws_wafv2_web_acl.this.arn
  log_destination_configs = [aws_cloudwatch_log_group.waf.arn]
}
