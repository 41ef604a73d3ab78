"""CPU an upload's content check costs the server, by input size (docs/capacity.md).

    .venv/bin/python -m bench.inspection_cpu [--sizes 4 50] [--runs 5]

The check (``anb.videos.inspection.inspect_upload``: ffprobe, then one ffmpeg decoding a frame at
each end) runs in child processes, so its CPU is read from ``getrusage(RUSAGE_CHILDREN)`` around
each call. Inputs are the capacity kit's real 1080p H.264 uploads (bench/media_inputs.py).
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


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


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
        cpu, wall = [], []
        for _ in range(args.runs):
            before_cpu, before_wall = _children_cpu(), time.perf_counter()
            inspect_upload(path, limits)
            cpu.append(_children_cpu() - before_cpu)
            wall.append(time.perf_counter() - before_wall)
        median_cpu, median_wall = statistics.median(cpu), statistics.median(wall)
        print(f"{size} MB: CPU {median_cpu:.3f} s, wall {median_wall:.3f} s (median of {args.runs})")
        figures[f"{size}MB"] = {"median_cpu_seconds": median_cpu, "median_wall_seconds": median_wall, "runs": args.runs}
    write_summary("inspection-cpu", stamp, figures, args.summary_dir)


if __name__ == "__main__":
    main()
