"""The sampler counts the CPU of children too short-lived to be seen alive (an upload's ffprobe)."""

from __future__ import annotations

import subprocess
import sys
import time

from capacity.sampler import CpuSampler, Watch

# A parent that only waits, and runs one child after another, each burning CPU for 0.3 s: the
# tree uses about one core, almost all of it in children that live less than a sampling interval.
_PARENT = """
import subprocess, sys, time
burn = "import time\\nend = time.process_time() + 0.3\\nwhile time.process_time() < end: pass"
deadline = time.time() + float(sys.argv[1])
while time.time() < deadline:
    subprocess.run([sys.executable, "-c", burn], check=True)
"""


def test_cpu_of_short_lived_children_is_counted() -> None:
    parent = subprocess.Popen([sys.executable, "-c", _PARENT, "6"])
    try:
        time.sleep(0.5)
        sampler = CpuSampler([Watch("tree", str(parent.pid))], interval=1.0).start()
        time.sleep(4.2)
        sampler.stop()
    finally:
        parent.kill()
        parent.wait()
    series = sampler.series["tree"].percent
    assert len(series) == 4
    # About 100 % of one core; children seen alive at a sample and those that were not both count,
    # and none twice (the parent's times hold a child's CPU once it is reaped).
    assert 60 <= sampler.series["tree"].mean <= 130, series


def test_an_idle_tree_uses_nothing() -> None:
    idle = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        time.sleep(0.3)
        sampler = CpuSampler([Watch("idle", str(idle.pid))], interval=0.5).start()
        time.sleep(1.6)
        sampler.stop()
    finally:
        idle.kill()
        idle.wait()
    assert sampler.series["idle"].peak < 5
