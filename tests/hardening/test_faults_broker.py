"""Broker down: uploads are still accepted over HTTP and processed once it is back.

The job-level proof (a hand-off lost to a dead broker, recovered by the sweeper) is
``tests/videos/test_tasks.py::test_broker_down_at_upload_is_recovered_by_the_sweeper``; this is the
same fault seen by a player: ``anb serve`` on the Celery backend reaches RabbitMQ through a proxy the
test cuts while the upload is made.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx
import pytest

from bench.harness.processes import anb_serve, anb_worker, wait_until
from tests.hardening.live_api import TIMEOUT, service_env, signup_and_login, upload, wait_processed
from tests.support.cuttable_proxy import cuttable_proxy
from tests.support.services import require

pytestmark = [pytest.mark.rabbitmq, pytest.mark.slow]


def test_upload_is_accepted_while_the_broker_is_down_and_processed_when_it_returns(tmp_path: Path, clip: Path) -> None:
    require("RabbitMQ", "127.0.0.1", 5672)
    with cuttable_proxy("127.0.0.1", 5672) as broker:
        env = {
            **service_env(tmp_path / "data"),
            "ANB_JOBS__BACKEND": "celery",
            "ANB_JOBS__BROKER_URL": f"amqp://guest:guest@127.0.0.1:{broker.port}//",
            "ANB_JOBS__QUEUE_NAME": f"anb-test-{uuid.uuid4().hex[:10]}",
            "ANB_JOBS__REQUEUE_AFTER_SECONDS": "2",
            "ANB_JOBS__SWEEP_INTERVAL_SECONDS": "1",
            "ANB_METRICS__WORKER_PORT": "0",
        }
        with (
            anb_serve(env, tmp_path / "serve.log", workers=1) as base,
            httpx.Client(base_url=base, timeout=TIMEOUT) as http,
        ):
            token = signup_and_login(http)
            broker.cut()

            accepted = upload(http, token, clip)

            assert accepted.status_code == 201, accepted.text
            ready = http.get("/api/ready")
            assert ready.status_code == 503
            assert ready.json()["failing"] == ["queue"]

            broker.restore()
            wait_until(lambda: http.get("/api/ready").status_code == 200, 30, "readiness after the broker returned")
            # The lost hand-off is made again by the worker's sweeper.
            with anb_worker(env, tmp_path / "worker.log"):
                wait_processed(http, token, accepted.json()["video_id"], timeout=180)
