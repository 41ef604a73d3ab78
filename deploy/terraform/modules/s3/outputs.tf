output "media_bucket" {
  description = "Name of the media bucket (ANB_STORAGE__S3_BUCKET)."
  value       = aws_s3_bucket.media.id
}

output "media_bucket_arn" {
  description = "ARN of the media bucket, for the task roles."
  value       = aws_s3_bucket.media.arn
}

output "logs_bucket" {
  description = "Name of the access-log bucket."
  value       = aws_s3_bucket.logs.id
}
