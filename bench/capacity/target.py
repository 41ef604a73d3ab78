"""The embedded service started by the kit itself, for a self-contained scenario 1 run.

Processing is taken out of the measurement as the spec asks: the service hands jobs to a RabbitMQ
queue of its own (``ANB_JOBS__BACKEND=celery``) that no worker consumes, so ``anb serve`` starts no
embedded workers and uploads are accepted and queued, never encoded. The queue is deleted after
the run. Every rate limit is raised: all virtual users come from 127.0.0.1, sign up and log in in a
burst and upload far more than a player would, and the limits would otherwise turn the load into 429s.
Published videos to vote for come from ``anb demo`` (the processing layer never publishes any here).
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from anb.config import RateLimitRule, RateLimitSettings
from bench.harness.processes import Served, anb_serve_process
from deploy.local.backing import delete_queues

ANB = str(Path(sys.executable).with_name("anb"))
BROKER_URL = "amqp://guest:guest@127.0.0.1:5672//"


def raised_rate_limits() -> dict[str, str]:
    """``ANB_RATE_LIMIT__<RULE>=1000000/minute`` for every request-rate rule the settings define."""
    rules = [name for name, field in RateLimitSettings.model_fields.items() if field.annotation is RateLimitRule]
    return {f"ANB_RATE_LIMIT__{name.upper()}": "1000000/minute" for name in rules}


@contextmanager
def embedded_service(work: Path, server_processes: int, published_videos: int) -> Iterator[Served]:
    queue = f"anb-capacity-{uuid.uuid4().hex[:8]}"
    env = {
        "ANB_DATA_DIR": str(work / "data"),
        "ANB_JOBS__BACKEND": "celery",
        "ANB_JOBS__BROKER_URL": BROKER_URL,
        "ANB_JOBS__QUEUE_NAME": queue,
        **raised_rate_limits(),
    }
    # Players and published videos, no votes: the load casts them.
    seed = [
        ANB,
        "demo",
        "--players",
        str(max(1, published_videos // 5)),
        "--videos",
        str(published_videos),
        "--votes",
        "0",
    ]
    subprocess.run(seed, env={**os.environ, **env}, check=True, capture_output=True, timeout=600)
    try:
        # Generous: on a loaded machine, spawning the server processes alone can take minutes.
        with anb_serve_process(env, work / "serve.log", server_processes, startup_timeout=600) as served:
            yield served
    finally:
        delete_queues(BROKER_URL, queue)
