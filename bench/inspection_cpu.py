"""CPU an upload's content check costs the server, by input size (docs/capacity.md, docs/videos.md).

    .venv/bin/python -m bench.inspection_cpu [--sizes 4 50] [--runs 5]

The check (``anb.videos.inspection.inspect_upload``) reads the container's header in this process;
its CPU is this process's (``time.process_time``) plus that of any child process it runs
(``getrusage(RUSAGE_CHILDREN)``, which counted the whole cost when the check ran ffprobe and ffmpeg),
around each call. Inputs are the capacity kit's real 1080p H.264 uploads (bench/media_inputs.py).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time

from anb.config import Settings
from anb.videos.inspection import inspect_upload
from bench.media_inputs import encoded_input
from bench.results import add_summary_option, write_summary
from bench.stamp import Stamp


def _cpu() -> tuple[float, float]:
    """(this process, its reaped children) in CPU seconds."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time(), usage.ru_utime + usage.ru_stime


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[4, 50], help="input sizes in MB")
    parser.add_argument("--runs", type=int, default=5)
    add_summary_option(parser)
    args = parser.parse_args(argv)
    stamp = Stamp.now("bench.inspection_cpu", sys.argv[1:] if argv is None else argv)
    figures: dict[str, dict[str, float]] = {}
    limits = Settings().upload
    for size in args.sizes:
        path = encoded_input(size)
        inspect_upload(path, limits)  # the first call loads the library: a server pays that once
        own, children, wall = [], [], []
        for _ in range(args.runs):
            (own_before, children_before), wall_before = _cpu(), time.perf_counter()
            inspect_upload(path, limits)
            own_after, children_after = _cpu()
            wall.append(time.perf_counter() - wall_before)
            own.append(own_after - own_before)
            children.append(children_after - children_before)
        total = statistics.median(a + b for a, b in zip(own, children, strict=True))
        print(
            f"{size} MB: CPU {total * 1000:.1f} ms (in process {statistics.median(own) * 1000:.1f} ms, "
            f"child processes {statistics.median(children) * 1000:.1f} ms), "
            f"wall {statistics.median(wall) * 1000:.1f} ms (median of {args.runs})"
        )
        figures[f"{size}MB"] = {
            "median_cpu_ms": statistics.median(a + b for a, b in zip(own, children, strict=True)) * 1000,
            "median_in_process_ms": statistics.median(own) * 1000,
            "median_child_processes_ms": statistics.median(children) * 1000,
            "median_wall_ms": statistics.median(wall) * 1000,
            "runs": args.runs,
        }
    write_summary("inspection-cpu", stamp, figures, args.summary_dir)


if __name__ == "__main__":
    main()
