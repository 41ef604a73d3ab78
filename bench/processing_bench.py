"""The processing pipeline against the previous platform's worker and against the physical floor.

    .venv/bin/python -m bench.processing_bench [--runs 3] [--preset ultrafast] [--crf 25]

Inputs (generated once under bench/out/): a 1080p30 60 s H.264 clip and a vertical 1080×1920 45 s
clip. In the same run, each measured as the median of --runs:
  (a) the previous platform's reference command (processing.md): four inputs (curtain, footage,
      curtain, watermark), the three videos scaled and padded to 1280×720, the footage cut with the
      `trim` filter, the watermark overlaid on all three, `concat` filter, libx264 at the preset/CRF;
  (b) this project's pipeline (anb.media.pipeline.process_video) at the same preset and CRF, with
      the curtain cache warm (the steady state of a worker);
  (c) the floor: decoding the kept 30 s and encoding 30 s of 1280×720 at the same settings.
Wall time and CPU time (user+sys of the child processes) are printed with (b)/(a) and (b)/(c).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from anb.media.assets import Assets
from anb.media.options import EncoderOptions
from anb.media.pipeline import process_video
from bench.media_inputs import encoded_input


def _measure(action: Callable[[], None]) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    action()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def reference_command(source: Path, curtain: Path, watermark: Path, output: Path, preset: str, crf: int) -> list[str]:
    fit = "scale=1280:720:force_original_aspect_ratio=decrease,pad=1280:720:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=30"
    graph = (
        f"[0:v]{fit}[c0];[1:v]trim=duration=30,setpts=PTS-STARTPTS,{fit}[f];[2:v]{fit}[c1];"
        "[3:v]split=3[w0][w1][w2];"
        "[c0][w0]overlay=W-w-24:H-h-24[o0];[f][w1]overlay=W-w-24:H-h-24[o1];[c1][w2]overlay=W-w-24:H-h-24[o2];"
        "[o0][o1][o2]concat=n=3:v=1:a=0[out]"
    )
    return [
        "ffmpeg", "-v", "error", "-y", "-i", str(curtain), "-i", str(source), "-i", str(curtain),
        "-loop", "1", "-i", str(watermark), "-filter_complex", graph, "-map", "[out]",
        "-c:v", "libx264", "-preset", preset, "-crf", str(crf), "-pix_fmt", "yuv420p", "-an", "-threads", "2",
        "-shortest", str(output),
    ]  # fmt: skip


def floor_command(source: Path, preset: str, crf: int) -> list[str]:
    return [
        "ffmpeg", "-v", "error", "-t", "30", "-i", str(source), "-vf", "fps=30,scale=1280:720:flags=bilinear",
        "-c:v", "libx264", "-preset", preset, "-crf", str(crf), "-pix_fmt", "yuv420p", "-an", "-f", "null", "-",
    ]  # fmt: skip


def _row(label: str, runs: list[tuple[float, float]]) -> tuple[float, float]:
    wall = statistics.median(w for w, _ in runs)
    cpu = statistics.median(c for _, c in runs)
    print(f"  {label:<28} wall {wall:6.2f} s   cpu {cpu:6.2f} s")
    return wall, cpu


def bench_input(source: Path, args: argparse.Namespace, work: Path) -> None:
    options = EncoderOptions(preset=args.preset, crf=args.crf, threads=0)
    resolved = Assets().resolve(work / "cache")
    output, poster = work / "out.mp4", work / "poster.jpg"

    def ours() -> None:
        process_video(source, output, poster, options=options, assets=Assets(), cache_dir=work / "cache", timeout=1800)

    ours()  # warm the curtain cache: the steady state of a worker
    reference = [_measure(lambda: _run(reference_command(
        source, resolved.curtain_open, resolved.watermark, work / "ref.mp4", args.preset, args.crf
    ))) for _ in range(args.runs)]  # fmt: skip
    pipeline = [_measure(ours) for _ in range(args.runs)]
    floor = [_measure(lambda: _run(floor_command(source, args.preset, args.crf))) for _ in range(args.runs)]
    print(f"{source.name} (preset {args.preset}, crf {args.crf}, median of {args.runs})")
    ref_wall, ref_cpu = _row("(a) previous worker", reference)
    our_wall, our_cpu = _row("(b) this pipeline", pipeline)
    floor_wall, floor_cpu = _row("(c) floor: decode+encode", floor)
    print(f"  (b)/(a) wall {our_wall / ref_wall:.2f}  cpu {our_cpu / ref_cpu:.2f}")
    print(f"  (b)/(c) wall {our_wall / floor_wall:.2f}  cpu {our_cpu / floor_cpu:.2f}")


def _run(command: list[str]) -> None:
    subprocess.run(command, check=True, timeout=1800)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--preset", default="ultrafast")
    parser.add_argument("--crf", type=int, default=25)
    args = parser.parse_args()
    inputs = [encoded_input(60, seconds=60), encoded_input(45, seconds=45, width=1080, height=1920)]
    with tempfile.TemporaryDirectory(prefix="anb-processing-bench-") as tmp:
        for source in inputs:
            bench_input(source, args, Path(tmp))


if __name__ == "__main__":
    main()
