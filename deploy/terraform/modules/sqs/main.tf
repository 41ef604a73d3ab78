# The job queue and its dead-letter queue. A message only wakes a worker (the job lives in the
# database, docs/jobs.md); the redrive policy catches messages that keep failing to be handled.

variable "name" {
  description = "Resource name prefix."
  type        = string
}

variable "kms_key_arn" {
  description = "Key of the queues."
  type        = string
}

variable "visibility_timeout_seconds" {
  description = "Longer than the worker's hard time limit, so a running job is never delivered twice."
  type        = number

  validation {
    condition     = var.visibility_timeout_seconds <= 43200
    error_message = "SQS allows a visibility timeout of at most 12 hours."
  }
}

variable "max_receive_count" {
  description = "Receives before a message moves to the dead-letter queue."
  type        = number
}

# The app names the dead-letter queue "<queue>-dlq" (anb/jobs/celery_app.py): keep these names.
resource "aws_sqs_queue" "dead_letter" {
  name                              = "${var.name}-videos-dlq"
  message_retention_seconds         = 1209600 # the maximum, 14 days: time for an operator to look
  kms_master_key_id                 = var.kms_key_arn
  kms_data_key_reuse_period_seconds = 3600
}

resource "aws_sqs_queue" "jobs" {
  name                              = "${var.name}-videos"
  visibility_timeout_seconds        = var.visibility_timeout_seconds
  message_retention_seconds         = 345600 # 4 days; the sweeper re-sends anything older anyway
  receive_wait_time_seconds         = 10     # long polling, like the workers' wait_time_seconds
  kms_master_key_id                 = var.kms_key_arn
  kms_data_key_reuse_period_seconds = 3600
  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dead_letter.arn
    maxReceiveCount     = var.max_receive_count
  })
}

resource "aws_sqs_queue_redrive_allow_policy" "dead_letter" {
  queue_url = aws_sqs_queue.dead_letter.id
  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.jobs.arn]
  })
}

output "queue" {
  description = "The job queue: name, url, arn."
  value       = { name = aws_sqs_queue.jobs.name, url = aws_sqs_queue.jobs.url, arn = aws_sqs_queue.jobs.arn }
}

output "dead_letter_queue" {
  description = "The dead-letter queue: name, url, arn."
  value = {
    name = aws_sqs_queue.dead_letter.name
    url  = aws_sqs_queue.dead_letter.url
    arn  = aws_sqs_queue.dead_letter.arn
  }
}
