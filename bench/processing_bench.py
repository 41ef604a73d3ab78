"""The processing pipeline against the previous platform's worker and against the physical floor.

    .venv/bin/python -m bench.processing_bench [--runs 3] [--preset ultrafast] [--crf 25] [--threads 0]

Inputs (generated once, cached under bench/out/): a 1080p30 60 s H.264 clip and a vertical 1080×1920
45 s clip. In the same run, for each input, interleaved and reported as the median of --runs:
  (a) the previous platform's reference command as docs/processing.md quotes it: four inputs
      (curtain, footage, curtain, watermark), the three videos scaled and padded to 1280×720, the
      footage cut with the `trim` filter, the watermark overlaid on all three, the `concat` filter,
      `libx264 -preset P -crf C -pix_fmt yuv420p -an -threads 2`;
  (b) this project's pipeline (render_video) at the same preset and CRF, curtain cache warm (the
      steady state of a worker: curtains are prepared once per setting);
  (c) the floor: decoding the kept 30 s and encoding 30 s of 1280×720 frames at the same settings
      (with the same fit-to-720p scaling, which any 1280×720 output needs), into the null muxer.
Wall time and CPU time (user+sys of the ffmpeg processes, plus this process for (b)) are printed
with the ratios (b)/(a) and (b)/(c).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from anb.ffmpeg import commands
from anb.ffmpeg.assets import Assets, ResolvedAssets
from anb.ffmpeg.options import EncoderOptions
from anb.ffmpeg.pipeline import render_video
from anb.ffmpeg.probe import probe
from bench.media_inputs import OUT, encoded_input
from bench.results import add_summary_option, write_summary
from bench.stamp import Stamp


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float


def measure(action: Callable[[], object]) -> Timing:
    """Wall time and the CPU time of the child processes (and of this process: the pipeline's
    supervision runs here) while ``action`` runs."""
    before = [resource.getrusage(who) for who in (resource.RUSAGE_CHILDREN, resource.RUSAGE_SELF)]
    started = time.perf_counter()
    action()
    wall = time.perf_counter() - started
    after = [resource.getrusage(who) for who in (resource.RUSAGE_CHILDREN, resource.RUSAGE_SELF)]
    cpu = sum((a.ru_utime - b.ru_utime) + (a.ru_stime - b.ru_stime) for a, b in zip(after, before, strict=True))
    return Timing(wall, cpu)


def reference_command(source: Path, curtain: Path, watermark: Path, output: Path, preset: str, crf: int) -> list[str]:
    fit = "scale=1280:720:force_original_aspect_ratio=decrease,pad=1280:720:(ow-iw)/2:(oh-ih)/2,setsar=1"
    corner = "overlay=W-w-24:H-h-24"
    graph = (
        f"[0:v]{fit}[c0];[1:v]trim=duration=30,setpts=PTS-STARTPTS,{fit}[f];[2:v]{fit}[c1];"
        f"[3:v]split=3[w0][w1][w2];[c0][w0]{corner}[o0];[f][w1]{corner}[o1];[c1][w2]{corner}[o2];"
        "[o0][o1][o2]concat=n=3:v=1:a=0[out]"
    )
    return [
        "ffmpeg", "-v", "error", "-nostdin", "-y", "-i", str(curtain), "-i", str(source), "-i", str(curtain),
        "-i", str(watermark), "-filter_complex", graph, "-map", "[out]",
        "-c:v", "libx264", "-preset", preset, "-crf", str(crf), "-pix_fmt", "yuv420p", "-an", "-threads", "2",
        str(output),
    ]  # fmt: skip


def floor_command(source: Path, options: EncoderOptions) -> list[str]:
    found = probe(source)
    fit = commands.fit_chain(found.display_aspect, found.fps)
    return ["ffmpeg", "-v", "error", "-nostdin", "-t", "30", "-i", str(source), "-vf", fit, *options.x264_args(),
            "-f", "null", "-"]  # fmt: skip


def reference_curtain(assets: ResolvedAssets) -> Path:
    """The previous platform's curtain: a 2.5 s 1280×720 video (here drawn from our default)."""
    path = OUT / "reference-curtain.mp4"
    if not path.exists():
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-loop", "1", "-framerate", "30", "-i", str(assets.curtain_open),
                        "-t", "2.5", "-c:v", "libx264", "-crf", "18", "-pix_fmt", "yuv420p", str(path)],
                       check=True, timeout=300)  # fmt: skip
    return path


def bench_input(source: Path, args: argparse.Namespace, work: Path) -> dict[str, object]:
    options = EncoderOptions(preset=args.preset, crf=args.crf, threads=args.threads)
    cache = work / "cache"
    assets = Assets().resolve(cache)
    curtain = reference_curtain(assets)
    output, poster = work / "out.mp4", work / "poster.jpg"

    def ours() -> object:
        return render_video(source, output, poster, options=options, assets=Assets(), cache_dir=cache, timeout=1800)

    ours()  # warm the curtain cache: the steady state of a worker
    reference = reference_command(source, curtain, assets.watermark, work / "ref.mp4", args.preset, args.crf)
    jobs = {
        "(a) previous worker": lambda: _run(reference),
        "(b) this pipeline": ours,
        "(c) floor: decode+encode": lambda: _run(floor_command(source, options)),
    }
    runs: dict[str, list[Timing]] = {label: [] for label in jobs}
    for _ in range(args.runs):  # interleaved, so a busy moment of the machine hits all three alike
        for label, job in jobs.items():
            runs[label].append(measure(job))
    print(f"\n{source.name}: preset {args.preset}, crf {args.crf}, threads {args.threads}, median of {args.runs}")
    medians = {label: _row(label, timings) for label, timings in runs.items()}
    (ref, our, floor) = medians.values()
    print(f"  (b)/(a)  wall {our.wall / ref.wall:.2f}   cpu {our.cpu / ref.cpu:.2f}")
    print(f"  (b)/(c)  wall {our.wall / floor.wall:.2f}   cpu {our.cpu / floor.cpu:.2f}")
    _verify(output)
    return {
        "medians": dict(zip(("previous_worker", "this_pipeline", "floor"), medians.values(), strict=True)),
        "ratio_to_previous": {"wall": our.wall / ref.wall, "cpu": our.cpu / ref.cpu},
        "ratio_to_floor": {"wall": our.wall / floor.wall, "cpu": our.cpu / floor.cpu},
    }


def _row(label: str, timings: list[Timing]) -> Timing:
    median = Timing(statistics.median(t.wall for t in timings), statistics.median(t.cpu for t in timings))
    walls = " ".join(f"{t.wall:.2f}" for t in timings)
    print(f"  {label:<26} wall {median.wall:6.2f} s  cpu {median.cpu:6.2f} s   (walls: {walls})")
    return median


def _verify(output: Path) -> None:
    """The measured output still meets the rules: decodes cleanly, 1280×720 at 30 fps, no audio."""
    errors = subprocess.run(commands.decode_all(output), capture_output=True, text=True, timeout=300).stderr
    found = probe(output)
    assert not errors and (found.width, found.height, found.fps, found.has_audio) == (1280, 720, 30.0, False)
    print(f"  output verified: {found.duration:.2f} s, 1280x720, 30 fps, no audio, decodes without errors")


def _run(command: list[str]) -> None:
    subprocess.run(command, check=True, timeout=1800)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--preset", default="ultrafast")
    parser.add_argument("--crf", type=int, default=25)
    parser.add_argument("--threads", type=int, default=EncoderOptions.threads, help="x264 threads of (b) and (c)")
    add_summary_option(parser)
    args = parser.parse_args(argv)
    stamp = Stamp.now("bench.processing_bench", sys.argv[1:] if argv is None else argv)
    print(stamp.markdown())
    inputs = [encoded_input(60, seconds=60), encoded_input(45, seconds=45, width=1080, height=1920)]
    with tempfile.TemporaryDirectory(prefix="anb-processing-bench-") as tmp:
        figures = {source.name: bench_input(source, args, Path(tmp)) for source in inputs}
    print(f"load average at the end {os.getloadavg()[0]:.2f}")
    write_summary("processing", stamp, figures, args.summary_dir)


if __name__ == "__main__":
    main()
