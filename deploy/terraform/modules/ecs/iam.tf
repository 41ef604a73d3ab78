# No static AWS keys anywhere: each role's task role is what boto3's default chain finds
# (ANB_STORAGE__S3_ACCESS_KEY/SECRET_KEY stay unset). The execution role only starts containers.

data "aws_iam_policy_document" "tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "execution" {
  name               = "${var.name}-ecs-execution"
  assume_role_policy = data.aws_iam_policy_document.tasks_assume.json
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

data "aws_iam_policy_document" "execution_secrets" {
  statement {
    sid       = "InjectSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = values(var.secret_arns)
  }
  statement {
    sid       = "DecryptSecretsAndImages"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]
  }
}

resource "aws_iam_role_policy" "execution_secrets" {
  name   = "inject-secrets"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution_secrets.json
}

locals {
  media_objects = "${var.media_bucket.arn}/*"
  # What each role does with AWS, from the code: auth only probes storage and queue for readiness;
  # core stores uploads, signs media URLs, deletes videos and hands jobs off; the worker reads
  # originals, writes outputs, consumes the queue, dead-letters failed jobs and protects its task.
  role_statements = {
    auth = [
      { actions = ["s3:ListBucket"], resources = [var.media_bucket.arn] },
      { actions = ["sqs:GetQueueUrl", "sqs:GetQueueAttributes"], resources = [var.queue.arn, var.dead_letter.arn] },
    ]
    core = [
      { actions = ["s3:ListBucket"], resources = [var.media_bucket.arn] },
      { actions = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"], resources = [local.media_objects] },
      { actions = ["sqs:SendMessage", "sqs:GetQueueUrl", "sqs:GetQueueAttributes"], resources = [var.queue.arn, var.dead_letter.arn] },
    ]
    worker = [
      { actions = ["s3:ListBucket"], resources = [var.media_bucket.arn] },
      { actions = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"], resources = [local.media_objects] },
      {
        actions = [
          "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:SendMessage",
          "sqs:GetQueueUrl", "sqs:GetQueueAttributes",
        ]
        resources = [var.queue.arn, var.dead_letter.arn]
      },
      { actions = ["ecs:GetTaskProtection", "ecs:UpdateTaskProtection"], resources = ["arn:aws:ecs:${var.region}:*:task/${var.name}/*"] },
    ]
  }
}

data "aws_iam_policy_document" "role" {
  for_each = local.role_statements

  dynamic "statement" {
    for_each = each.value
    content {
      actions   = statement.value.actions
      resources = statement.value.resources
    }
  }

  # Media objects and queue messages are encrypted with the deployment's key.
  statement {
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arn]
  }
}

resource "aws_iam_role" "task" {
  for_each           = local.role_statements
  name               = "${var.name}-${each.key}-task"
  assume_role_policy = data.aws_iam_policy_document.tasks_assume.json
}

resource "aws_iam_role_policy" "task" {
  for_each = local.role_statements
  name     = "anb-${each.key}"
  role     = aws_iam_role.task[each.key].id
  policy   = data.aws_iam_policy_document.role[each.key].json
}
