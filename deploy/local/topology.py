"""The production topology on this machine, without containers.

    .venv/bin/python deploy/local/topology.py up     # prints the base URL (the nginx edge)
    .venv/bin/python deploy/local/topology.py down   # stops every process; --purge drops the data too

Same processes and settings as on AWS (docs/deployment.md): `anb migrate` once, then separate
`anb api` processes for the auth and core roles (ANB_ENV=production, generated secrets, the core
role holding only the public key), an `anb worker` on RabbitMQ, media in an S3-compatible server
(moto on loopback), shared rate limits in Redis, and nginx routing like the ALB. PostgreSQL,
RabbitMQ and Redis are the machine's own services on loopback.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import backing
import edge
import supervise

REPO = Path(__file__).resolve().parents[2]
ANB = str(Path(sys.executable).with_name("anb"))
# Stopped in this order: first the edge (no new requests), the worker last but one (its warm
# shutdown finishes the running encode), S3 last (the worker may still be storing an output).
STOP_ORDER = {"edge": 10.0, "auth": 20.0, "core": 20.0, "worker": 120.0, "protection": 5.0, "s3": 10.0}
PROTECTION = REPO / "deploy" / "ecs" / "scale_in_protection.py"
BUCKET_ONE_SHOT = (
    "from anb.config import Settings; from anb.wiring import storage_for;"
    " storage_for(Settings()).ensure_bucket()"
)
# moto accepts any credentials; on AWS the task role's credentials come from the default chain.
S3_KEY, S3_REGION = "testing", "us-east-1"
_PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--run-dir", type=Path, default=REPO / "data" / "local-topology")
    commands = parser.add_subparsers(dest="command", required=True)
    up_parser = commands.add_parser("up", help="start everything; prints the base URL")
    up_parser.add_argument("--database", default="anb_local", help="created on the PostgreSQL server if missing")
    up_parser.add_argument("--queue", default="anb-videos-local", help="ANB_JOBS__QUEUE_NAME")
    up_parser.add_argument("--postgres-admin-url", default=os.environ.get("ANB_LOCAL_POSTGRES_URL", _PG_ADMIN))
    up_parser.add_argument("--broker-url", default="amqp://guest:guest@127.0.0.1:5672//")
    up_parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    up_parser.add_argument("--core-workers", type=int, default=2, help="HTTP server processes of the core role")
    up_parser.add_argument("--worker-concurrency", type=int, default=1)
    up_parser.add_argument("--port", type=int, default=0, help="the edge's port (default: a free one)")
    up_parser.add_argument(
        "--ecs-agent-uri", help="also run the worker's scale-in protection sidecar against this ECS agent endpoint"
    )
    up_parser.add_argument("--set", action="append", default=[], metavar="ANB_X=VALUE", help="extra setting, all roles")
    down_parser = commands.add_parser("down", help="stop everything")
    down_parser.add_argument("--purge", action="store_true", help="also drop the database, queues and run directory")
    args = parser.parse_args()
    run_dir = args.run_dir.resolve()
    try:
        if args.command == "up":
            print(up(run_dir, args))
        else:
            down(run_dir, purge=args.purge)
    except (RuntimeError, TimeoutError, OSError, subprocess.SubprocessError) as exc:
        sys.exit(f"topology: {exc}")


def up(run_dir: Path, args: argparse.Namespace) -> str:
    if any(supervise.alive(int(p.read_text())) for p in run_dir.glob("pids/*.pid")):
        raise RuntimeError(f"already up in {run_dir}; run `down` first")
    for folder in ("logs", "pids", "secrets"):
        (run_dir / folder).mkdir(parents=True, exist_ok=True)
    backing.require_port("PostgreSQL", args.postgres_admin_url)
    backing.require_port("RabbitMQ", args.broker_url)
    backing.require_port("Redis", args.redis_url)
    backing.create_database(args.postgres_admin_url, args.database)
    state = {"database": args.database, "queue": args.queue, "postgres_admin_url": args.postgres_admin_url}
    state["broker_url"] = args.broker_url
    _save_state(run_dir, state)
    try:
        base_url = _start_all(run_dir, args)
    except BaseException:
        down(run_dir, purge=False)
        raise
    _save_state(run_dir, {**state, "base_url": base_url})
    return base_url


def _start_all(run_dir: Path, args: argparse.Namespace) -> str:
    ports = {name: supervise.free_port() for name in ("s3", "auth", "core", "worker_metrics")}
    ports["edge"] = args.port or supervise.free_port()
    s3_url = f"http://127.0.0.1:{ports['s3']}"
    s3_env = {**_clean_env(), "AWS_ACCESS_KEY_ID": S3_KEY, "AWS_SECRET_ACCESS_KEY": S3_KEY}
    moto = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(ports["s3"])]
    supervise.start(run_dir, "s3", moto, s3_env)
    supervise.wait_http(s3_url, run_dir, "s3", timeout=30)

    common = _settings(run_dir, args, s3_url)
    private, public = _key_pair(run_dir)
    roles = {
        "auth": {"ANB_ROLE": "auth", "ANB_AUTH__SIGNING_KEY": private, "ANB_HTTP__WORKERS": "1"},
        "core": {"ANB_ROLE": "core", "ANB_AUTH__PUBLIC_KEY": public, "ANB_HTTP__WORKERS": str(args.core_workers)},
        # The worker signs nothing: it runs with the core role's verify-only key.
        "worker": {
            "ANB_ROLE": "core",
            "ANB_AUTH__PUBLIC_KEY": public,
            "ANB_METRICS__WORKER_PORT": str(ports["worker_metrics"]),
        },
    }
    env = {role: {**common, **extra, "ANB_DATA_DIR": str(run_dir / "data" / role)} for role, extra in roles.items()}
    _write_operator_env(run_dir, env["worker"])

    supervise.run_once(run_dir, "bucket", [sys.executable, "-c", BUCKET_ONE_SHOT], env["core"])
    supervise.run_once(run_dir, "migrate", [ANB, "migrate"], env["core"])
    for role in ("auth", "core"):
        supervise.start(run_dir, role, [ANB, "api", "--host", "127.0.0.1", "--port", str(ports[role])], env[role])
    supervise.start(run_dir, "worker", [ANB, "worker", "--concurrency", str(args.worker_concurrency)], env["worker"])
    supervise.wait_http(f"http://127.0.0.1:{ports['auth']}/api/health", run_dir, "auth")
    supervise.wait_http(f"http://127.0.0.1:{ports['core']}/api/ready", run_dir, "core")
    supervise.wait_http(f"http://127.0.0.1:{ports['worker_metrics']}/metrics", run_dir, "worker")
    if args.ecs_agent_uri:
        sidecar = {"ECS_AGENT_URI": args.ecs_agent_uri, "ANB_WORK_DIR": env["worker"]["ANB_DATA_DIR"] + "/work"}
        sidecar["POLL_SECONDS"] = "1"
        supervise.start(run_dir, "protection", [sys.executable, str(PROTECTION)], {**_clean_env(), **sidecar})

    config = edge.write_config(run_dir, ports["edge"], ports["auth"], ports["core"])
    supervise.start(run_dir, "edge", edge.command(config), _clean_env())
    base_url = f"http://127.0.0.1:{ports['edge']}"
    supervise.wait_http(f"{base_url}/auth/api/v1/status", run_dir, "edge")
    supervise.wait_http(f"{base_url}/api/ready", run_dir, "edge")
    return base_url


def _settings(run_dir: Path, args: argparse.Namespace, s3_url: str) -> dict[str, str]:
    """What every role gets, as on AWS (the ECS task definitions' environment and secrets)."""
    settings = {
        "ANB_ENV": "production",
        "ANB_DATABASE__URL": backing.database_url(args.postgres_admin_url, args.database),
        "ANB_SECRET_KEY": _secret(run_dir / "secrets" / "secret_key"),
        "ANB_STORAGE__BACKEND": "s3",
        "ANB_STORAGE__S3_BUCKET": "anb-media",
        "ANB_STORAGE__S3_REGION": S3_REGION,
        "ANB_STORAGE__S3_ENDPOINT_URL": s3_url,
        "ANB_STORAGE__S3_ACCESS_KEY": S3_KEY,
        "ANB_STORAGE__S3_SECRET_KEY": S3_KEY,
        "ANB_JOBS__BACKEND": "celery",
        "ANB_JOBS__BROKER_URL": args.broker_url,
        "ANB_JOBS__QUEUE_NAME": args.queue,
        "ANB_RATE_LIMIT__BACKEND": "redis",
        "ANB_REDIS_URL": args.redis_url,
    }
    for item in args.set:
        key, _, value = item.partition("=")
        settings[key] = value
    return {**_clean_env(), **settings}


def _clean_env() -> dict[str, str]:
    # The caller's own ANB_* settings must not leak into a topology that is configured here.
    return {key: value for key, value in os.environ.items() if not key.startswith("ANB_")}


def _secret(path: Path) -> str:
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(48))
    return path.read_text()


def _key_pair(run_dir: Path) -> tuple[str, str]:
    private, public = run_dir / "secrets" / "signing.pem", run_dir / "secrets" / "public.pem"
    if not private.exists():
        subprocess.run([ANB, "keygen", str(private), str(public)], check=True, capture_output=True, timeout=60)
    return private.read_text(), public.read_text()


def _write_operator_env(run_dir: Path, env: dict[str, str]) -> None:
    """`set -a; . <run>/anb.env; set +a` lets `anb jobs …` reach this topology."""
    path = run_dir / "anb.env"
    path.touch(mode=0o600)
    path.write_text("".join(f"{k}={shlex.quote(v)}\n" for k, v in sorted(env.items()) if k.startswith("ANB_")))


def _save_state(run_dir: Path, state: dict[str, str]) -> None:
    (run_dir / "topology.json").write_text(json.dumps(state, indent=2) + "\n")


def down(run_dir: Path, purge: bool) -> None:
    for name, timeout in STOP_ORDER.items():
        supervise.stop(run_dir, name, timeout)
    state_file = run_dir / "topology.json"
    if purge and state_file.exists():
        state = json.loads(state_file.read_text())
        backing.drop_database(state["postgres_admin_url"], state["database"])
        backing.delete_queues(state["broker_url"], state["queue"])
        shutil.rmtree(run_dir)


if __name__ == "__main__":
    main()
