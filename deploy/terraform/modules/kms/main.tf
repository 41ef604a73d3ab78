# One customer-managed key for the deployment's data at rest: logs, queues, media, secrets,
# database, cache, images, alarm topic. IAM policies grant its use to each role.

variable "name" {
  description = "Resource name prefix."
  type        = string
}

variable "account_id" {
  description = "AWS account that owns the key."
  type        = string
}

variable "region" {
  description = "Region of the CloudWatch Logs service that encrypts with the key."
  type        = string
}

data "aws_iam_policy_document" "key" {
  #checkov:skip=CKV_AWS_111:A key policy's resource is always "*" (the key itself); write access is limited to this account's IAM and the two services below.
  #checkov:skip=CKV_AWS_356:A key policy's resource is always "*", meaning this key only.
  #checkov:skip=CKV_AWS_109:The account root statement delegates the key's administration to IAM, the documented default key policy.
  statement {
    sid       = "AccountAdministers"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${var.account_id}:root"]
    }
  }

  statement {
    sid       = "CloudWatchLogsEncrypt"
    actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["logs.${var.region}.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:aws:logs:${var.region}:${var.account_id}:log-group:*"]
    }
  }

  statement {
    sid       = "AlarmsPublishToEncryptedTopic"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["cloudwatch.amazonaws.com"]
    }
  }
}

resource "aws_kms_key" "this" {
  description         = "${var.name}: data at rest"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.key.json
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.this.key_id
}

output "key_arn" {
  description = "ARN of the key."
  value       = aws_kms_key.this.arn
}
