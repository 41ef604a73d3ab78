# One image, four task definitions: the three services and the one-off migration.

locals {
  # Settings every role shares (docs/configuration.md). The SQS broker URL carries no keys: kombu
  # uses the task role like boto3 does.
  common_environment = merge({
    ANB_ENV                             = "production"
    ANB_LOG_LEVEL                       = "INFO"
    ANB_STORAGE__BACKEND                = "s3"
    ANB_STORAGE__S3_BUCKET              = var.media_bucket.name
    ANB_STORAGE__S3_REGION              = var.region
    ANB_JOBS__BACKEND                   = "celery"
    ANB_JOBS__BROKER_URL                = "sqs://"
    ANB_JOBS__QUEUE_NAME                = var.queue.name
    ANB_JOBS__SQS_QUEUE_URL             = var.queue.url
    ANB_JOBS__SQS_DEAD_LETTER_QUEUE_URL = var.dead_letter.url
    ANB_JOBS__SQS_REGION                = var.region
    ANB_RATE_LIMIT__BACKEND             = "redis"
    # Only accounts that followed their confirmation link vote (docs/contest.md).
    ANB_VOTING__REQUIRE_CONFIRMED_EMAIL = "true"
    # The ALB's nodes have addresses of the VPC: only their X-Forwarded-For entries are believed
    # (anb/client_address.py); what a client writes there itself is never taken as its address.
    ANB_TRUSTED_PROXIES = var.vpc_cidr
  }, var.environment)

  # Least secret per role: only auth holds the signing key; core and worker verify with the
  # public key (ANB_ROLE=core); only the API roles use Redis (shared rate limits); only auth
  # sends mail (signup's confirmation link and its resend). Each API process holds a fixed pool of
  # ANB_DATABASE__POOL_SIZE connections (connections.tf).
  roles = {
    auth = {
      command = ["api", "--host", "0.0.0.0", "--port", "8000"]
      environment = {
        ANB_ROLE                = "auth"
        ANB_HTTP__WORKERS       = tostring(local.http_workers.auth)
        ANB_DATABASE__POOL_SIZE = tostring(local.pool_size)
      }
      secrets    = ["ANB_SECRET_KEY", "ANB_AUTH__SIGNING_KEY", "ANB_DATABASE__URL", "ANB_REDIS_URL", "ANB_SMTP_URL"]
      health_url = "http://127.0.0.1:8000/api/health"
    }
    core = {
      command = ["api", "--host", "0.0.0.0", "--port", "8000"]
      environment = {
        ANB_ROLE                = "core"
        ANB_HTTP__WORKERS       = tostring(local.http_workers.core)
        ANB_DATABASE__POOL_SIZE = tostring(local.pool_size)
      }
      secrets    = ["ANB_SECRET_KEY", "ANB_AUTH__PUBLIC_KEY", "ANB_DATABASE__URL", "ANB_REDIS_URL"]
      health_url = "http://127.0.0.1:8000/api/health"
    }
    worker = {
      command = ["worker"]
      environment = {
        ANB_ROLE                = "core"
        ANB_JOBS__CONCURRENCY   = tostring(var.worker_concurrency)
        ANB_RATE_LIMIT__BACKEND = "memory"
      }
      secrets    = ["ANB_SECRET_KEY", "ANB_AUTH__PUBLIC_KEY", "ANB_DATABASE__URL"]
      health_url = "http://127.0.0.1:9100/metrics"
    }
    migrate = {
      command     = ["migrate"]
      environment = { ANB_ROLE = "core", ANB_RATE_LIMIT__BACKEND = "memory" }
      secrets     = ["ANB_SECRET_KEY", "ANB_AUTH__PUBLIC_KEY", "ANB_DATABASE__URL"]
      health_url  = null
    }
  }

  containers = {
    for role, spec in local.roles : role => {
      name      = role
      image     = var.image
      essential = true
      command   = spec.command
      environment = [
        for key, value in merge(
          local.common_environment, spec.environment, spec.health_url == null ? {} : { ANB_HEALTH_URL = spec.health_url }
        ) : { name = key, value = value }
      ]
      secrets      = [for key in spec.secrets : { name = key, valueFrom = var.secret_arns[key] }]
      portMappings = contains(["auth", "core"], role) ? [{ containerPort = 8000, protocol = "tcp" }] : []
      healthCheck = spec.health_url == null ? null : {
        command     = ["CMD", "python", "-c", "import os, urllib.request; urllib.request.urlopen(os.environ['ANB_HEALTH_URL'], timeout=4)"]
        interval    = 30
        timeout     = 5
        retries     = 3
        startPeriod = 30
      }
      # The longest Fargate allows; SIGTERM starts Celery's warm shutdown (finish the job in hand)
      # and uvicorn's graceful shutdown. Longer encodes are covered by scale-in protection.
      stopTimeout = 120
      # Nothing in the image changes: the roles write only under /var/lib/anb (upload spooling,
      # multiprocess metrics, job scratch) and /tmp, two task volumes that start as copies of the
      # image's anb-owned directories (its VOLUME lines).
      readonlyRootFilesystem = true
      mountPoints            = local.writable_mounts
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.role[role].name
          awslogs-region        = var.region
          awslogs-stream-prefix = role
        }
      }
    }
  }

  writable_mounts = [
    { sourceVolume = "data", containerPath = "/var/lib/anb", readOnly = false },
    { sourceVolume = "tmp", containerPath = "/tmp", readOnly = false },
  ]

  # Beside `anb worker`: keeps the task protected from scale-in while a job runs
  # (deploy/ecs/scale_in_protection.py). Not essential: losing it must not stop an encode.
  protection_sidecar = {
    name       = "scale-in-protection"
    image      = var.image
    essential  = false
    entryPoint = ["python", "/opt/anb/libexec/scale_in_protection.py"]
    environment = [
      { name = "ANB_WORK_DIR", value = "/var/lib/anb/work" },
      { name = "PROTECTION_MINUTES", value = tostring(var.protection_minutes) },
    ]
    mountPoints            = [{ sourceVolume = "data", containerPath = "/var/lib/anb", readOnly = true }]
    readonlyRootFilesystem = true
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.role["worker"].name
        awslogs-region        = var.region
        awslogs-stream-prefix = "protection"
      }
    }
  }
}

resource "aws_ecs_task_definition" "api" {
  for_each                 = toset(["auth", "core"])
  family                   = "${var.name}-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.services[each.key].cpu
  memory                   = var.services[each.key].memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task[each.key].arn
  container_definitions    = jsonencode([local.containers[each.key]])

  lifecycle {
    precondition {
      condition     = local.pool_size >= 2
      error_message = "At max_tasks the API processes would get fewer than 2 database connections each (connections.tf): raise db_max_connections or lower the task counts."
    }
  }

  dynamic "volume" {
    for_each = toset(["data", "tmp"])
    content {
      name = volume.value
    }
  }

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }
}

resource "aws_ecs_task_definition" "worker" {
  family                   = "${var.name}-worker"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.services.worker.cpu
  memory                   = var.services.worker.memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task["worker"].arn
  container_definitions    = jsonencode([local.containers.worker, local.protection_sidecar])

  # Originals and outputs of the running jobs (a 100 MB original, its output, the curtains cache).
  ephemeral_storage {
    size_in_gib = 40
  }

  dynamic "volume" {
    for_each = toset(["data", "tmp"])
    content {
      name = volume.value
    }
  }

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }
}

resource "aws_ecs_task_definition" "migrate" {
  family                   = "${var.name}-migrate"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = 256
  memory                   = 512
  execution_role_arn       = aws_iam_role.execution.arn
  container_definitions    = jsonencode([local.containers.migrate])

  dynamic "volume" {
    for_each = toset(["data", "tmp"])
    content {
      name = volume.value
    }
  }

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }
}
