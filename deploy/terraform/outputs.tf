output "alb_dns_name" {
  description = "Public name of the load balancer: point the site's DNS record (alias) at it."
  value       = module.alb.dns_name
}

output "ecr_repository_url" {
  description = "Where to push the image (docker build -f deploy/Dockerfile; docker push)."
  value       = module.registry.repository_url
}

output "cluster_name" {
  description = "ECS cluster of the three services."
  value       = module.ecs.cluster_name
}

output "service_names" {
  description = "ECS service names by role (auth, core, worker)."
  value       = module.ecs.service_names
}

output "migrate_command" {
  description = "Runs `anb migrate` once as a one-off task; run it before every deployment that ships migrations."
  value       = module.ecs.migrate_command
}

output "media_bucket" {
  description = "Private S3 bucket of originals, processed videos and posters."
  value       = module.s3.media_bucket
}

output "queue_url" {
  description = "SQS queue of processing jobs."
  value       = module.sqs.queue.url
}

output "dead_letter_queue_url" {
  description = "SQS dead-letter queue; re-drive it with `anb jobs redrive` (docs/deployment.md)."
  value       = module.sqs.dead_letter_queue.url
}

output "database_endpoint" {
  description = "RDS PostgreSQL endpoint (private subnets only)."
  value       = module.rds.endpoint
}

output "app_secret_arns" {
  description = "Secrets Manager secrets whose values deploy/aws/put-secrets writes (never Terraform)."
  value = {
    secret_key  = module.secrets.secret_key_arn
    signing_key = module.secrets.signing_key_arn
    public_key  = module.secrets.public_key_arn
    smtp_url    = module.secrets.smtp_url_arn
  }
}

output "alarm_topic_arn" {
  description = "SNS topic of every alarm; subscribe pagers or chat integrations to it."
  value       = module.monitoring.topic_arn
}

output "database_connections" {
  description = "Connection budget at maximum scale: ANB_DATABASE__POOL_SIZE of the API processes and the fleet's worst case against the tasks' budget."
  value       = module.ecs.connections
}
