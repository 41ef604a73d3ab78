# Example values for one environment; copy to <env>.tfvars and adjust.
#   terraform apply -var-file=prod.tfvars
name               = "anb-prod"
region             = "us-east-1"
availability_zones = ["us-east-1a", "us-east-1b"]

# ECR URL (terraform output ecr_repository_url) with an immutable tag or, better, the digest.
image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/anb-prod@sha256:0000000000000000000000000000000000000000000000000000000000000000"

certificate_arn      = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000"
cors_allowed_origins = ["https://risingstars.anb.example"]
alarm_emails         = ["operaciones@anb.example"]

# Staging can save money with one NAT gateway and no database standby.
single_nat_gateway = false
db_multi_az        = true

services = {
  auth   = { cpu = 512, memory = 1024, min_tasks = 2, max_tasks = 6 }
  core   = { cpu = 1024, memory = 2048, min_tasks = 2, max_tasks = 12 }
  worker = { cpu = 2048, memory = 4096, min_tasks = 1, max_tasks = 20 }
}
core_http_workers              = 2
worker_concurrency             = 1
worker_backlog_per_task_target = 4

extra_environment = {
  ANB_FFMPEG__PRESET = "veryfast"
}
