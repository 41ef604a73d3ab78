# Database connections at maximum scale (docs/deployment.md, "Connection budget").
#
# Every API process holds a fixed pool (no overflow, anb/db/engine.py); a worker process opens one
# connection at a time (no pool) for the job it runs. So the fleet's worst case is
#   sum over auth, core of max_tasks x HTTP processes x pool  +  worker max_tasks x concurrency
# and the pool is sized from the task counts so that this stays within what the tasks may use of
# the database's max_connections (the rest is kept for the migration task, operators' `anb jobs`
# commands and RDS's own superuser connections). Every session may be pinned at the RDS Proxy
# (asyncpg prepares statements), so the budget holds without counting on its multiplexing.

locals {
  http_workers       = { auth = var.auth_http_workers, core = var.core_http_workers }
  api_processes      = sum([for role in ["auth", "core"] : var.services[role].max_tasks * local.http_workers[role]])
  worker_connections = var.services.worker.max_tasks * var.worker_concurrency
  pool_size          = floor((var.db_connection_budget - local.worker_connections) / local.api_processes)
  worst_case         = local.api_processes * local.pool_size + local.worker_connections
}
