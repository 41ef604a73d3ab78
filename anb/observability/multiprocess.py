"""The shared directory of prometheus_client's multiprocess mode.

Kept apart from ``metrics``: the variable must be set before prometheus_client is first imported,
because the library picks its value storage at import time.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def prepare(path: Path) -> None:
    """Start a role's processes with an empty shared metrics directory (stale files would add up)."""
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True, exist_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)
