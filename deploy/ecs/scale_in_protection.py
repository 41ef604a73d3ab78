"""ECS task scale-in protection for a worker task while it encodes.

Runs as a second container of the worker task (same image, `python /opt/anb/libexec/…`). ECS never
stops a protected task to scale in or to finish a deployment, so a running encode (up to the
660 s hard limit, far beyond Fargate's 120 s maximum stop timeout) is never killed by either.

How it knows a job is running: both containers mount the worker's data directory, and
anb/processing/job.py keeps a `job-<video id>-…` directory in `<data dir>/work` for exactly the
life of a job. While one exists the task is protected, renewed before the protection expires;
once the directory is empty again protection is cleared so the task can be scaled in.
The ECS agent's endpoint comes from ECS_AGENT_URI, which ECS sets in every container.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import time
import urllib.request
from pathlib import Path
from types import FrameType

log = logging.getLogger("scale-in-protection")


class Protection:
    """The task's protection state as last set, so the agent is called only on a change or renewal."""

    def __init__(self, agent_uri: str, minutes: int) -> None:
        self.url = f"{agent_uri}/task-protection/v1/state"
        self.minutes = minutes
        self.renew_at: float | None = None  # None: not protected

    def update(self, busy: bool, now: float) -> None:
        if busy and (self.renew_at is None or now >= self.renew_at):
            self._put({"ProtectionEnabled": True, "ExpiresInMinutes": self.minutes})
            # Renewed half-way, so a slow agent call never lets a long encode lose protection.
            self.renew_at = now + self.minutes * 30
        elif not busy and self.renew_at is not None:
            self._put({"ProtectionEnabled": False})
            self.renew_at = None

    def _put(self, body: dict[str, object]) -> None:
        request = urllib.request.Request(  # noqa: S310 - the ECS agent's own URI
            self.url, data=json.dumps(body).encode(), method="PUT", headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310
            log.info("protection %s: HTTP %s", body, answer.status)


def busy(work_dir: Path) -> bool:
    return any(work_dir.glob("job-*"))


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stdout)
    work_dir = Path(os.environ.get("ANB_WORK_DIR", "/var/lib/anb/work"))
    # Longer than the worker's hard time limit (660 s) plus the time to store the outputs.
    protection = Protection(os.environ["ECS_AGENT_URI"], int(os.environ.get("PROTECTION_MINUTES", "15")))
    poll = float(os.environ.get("POLL_SECONDS", "5"))
    signal.signal(signal.SIGTERM, _exit)
    while True:
        try:
            protection.update(busy(work_dir), time.monotonic())
        except OSError as exc:  # the agent or the volume hiccuped: try again at the next tick
            log.warning("protection update failed: %r", exc)
        time.sleep(poll)


def _exit(_signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(0)


if __name__ == "__main__":
    main()
