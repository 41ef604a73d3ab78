"""The sampler counts the CPU of children too short-lived to be seen alive (an upload's ffprobe)."""

from __future__ import annotations

import subprocess
import sys
import time

from bench.capacity.sampler import CpuSampler, CpuSeries, Watch

# A parent that only waits, and runs one child after another, each burning CPU for 0.3 s: the
# tree uses about one core, almost all of it in children that live less than a sampling interval.
_PARENT = """
import subprocess, sys, time
burn = "import time\\nend = time.process_time() + 0.3\\nwhile time.process_time() < end: pass"
deadline = time.time() + 6
while time.time() < deadline:
    subprocess.run([sys.executable, "-c", burn], check=True)
"""


def _sampled(program: str, interval: float, seconds: float) -> CpuSeries:
    """The CPU of a Python ``program``'s process tree, sampled from half a second after its start."""
    process = subprocess.Popen([sys.executable, "-c", program])
    try:
        time.sleep(0.5)
        sampler = CpuSampler([Watch("tree", str(process.pid))], interval=interval).start()
        time.sleep(seconds)
        sampler.stop()
    finally:
        process.kill()
        process.wait()
    return sampler.series["tree"]


def test_cpu_of_short_lived_children_is_counted() -> None:
    series = _sampled(_PARENT, interval=1.0, seconds=4.2)
    assert len(series.percent) == 4
    # About 100 % of one core; children seen alive at a sample and those that were not both count,
    # and none twice (the parent's times hold a child's CPU once it is reaped).
    assert 60 <= series.mean <= 130, series.percent


def test_an_idle_tree_uses_nothing() -> None:
    assert _sampled("import time; time.sleep(30)", interval=0.5, seconds=1.6).peak < 5
