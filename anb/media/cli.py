"""``anb process INPUT OUTPUT``: the pipeline on a local file, with a progress bar on a terminal."""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable
from pathlib import Path

import click

from anb.media.assets import Assets
from anb.media.errors import MediaError
from anb.media.options import EncoderOptions
from anb.media.pipeline import ProcessResult, process_video

_FILE = click.Path(dir_okay=False, path_type=Path)
_EXISTING = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command("process")
@click.argument("source", metavar="INPUT", type=_EXISTING)
@click.argument("output", metavar="OUTPUT", type=_FILE)
@click.option("--poster", type=_FILE, default=None, help="Poster JPEG (default: OUTPUT with .jpg).")
@click.option("--preset", default=EncoderOptions.preset, show_default=True, help="x264 preset.")
@click.option("--crf", default=EncoderOptions.crf, show_default=True, type=click.IntRange(0, 51))
@click.option("--threads", default=0, show_default=True, type=click.IntRange(0), help="x264 threads (0: automatic).")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("data/cache"),
              show_default=True, help="Where prepared curtains and default assets are kept.")  # fmt: skip
@click.option("--opening", type=_EXISTING, default=None, help="Opening curtain (image or video).")
@click.option("--closing", type=_EXISTING, default=None, help="Closing curtain (image or video).")
@click.option("--watermark", type=_EXISTING, default=None, help="Watermark PNG with transparency.")
@click.option("--timeout", default=1800.0, show_default=True, type=click.FloatRange(min=1), help="Seconds.")
def process(
    source: Path,
    output: Path,
    poster: Path | None,
    preset: str,
    crf: int,
    threads: int,
    cache_dir: Path,
    opening: Path | None,
    closing: Path | None,
    watermark: Path | None,
    timeout: float,
) -> None:
    """Turn INPUT into a published ANB video at OUTPUT (1280×720, curtains, watermark, no audio)."""
    work = functools.partial(
        process_video, source, output, poster or output.with_suffix(".jpg"),
        options=EncoderOptions(preset=preset, crf=crf, threads=threads),
        assets=Assets(opening, closing, watermark), cache_dir=cache_dir, timeout=timeout,
    )  # fmt: skip
    started = time.monotonic()
    try:
        result = _with_progress_bar(work) if sys.stdout.isatty() else work()
    except MediaError as exc:
        raise click.ClickException(f"{type(exc).__name__}: {exc}") from exc
    size_mb = result.output.stat().st_size / 1e6
    click.echo(
        f"{result.output}: 1280x720, {result.duration:.2f} s ({result.frames} frames, "
        f"{result.footage_frames} of footage), {size_mb:.1f} MB, poster {result.poster}, "
        f"{time.monotonic() - started:.1f} s"
    )


def _with_progress_bar(work: Callable[..., ProcessResult]) -> ProcessResult:
    with click.progressbar(length=1000, label="processing") as bar:
        done = 0

        def advance(fraction: float) -> None:
            nonlocal done
            step = int(fraction * 1000) - done
            if step > 0:
                bar.update(step)
                done += step

        return work(on_progress=advance)
