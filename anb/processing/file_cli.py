"""``anb process INPUT OUTPUT``: the pipeline on a local file, with a progress bar on a terminal.

What an option leaves unset comes from the workers' own settings (``ANB_FFMPEG__*``, ``ANB_DATA_DIR``),
so a file processed by hand comes out as a worker would publish it."""

from __future__ import annotations

import functools
import sys
import time
from collections.abc import Callable
from pathlib import Path

import click

from anb.cli_support import load_settings
from anb.ffmpeg.assets import Assets
from anb.ffmpeg.errors import MediaError
from anb.ffmpeg.options import EncoderOptions
from anb.ffmpeg.pipeline import ProcessResult, render_video
from anb.processing.encoder_settings import assets, encoder_options

_FILE = click.Path(dir_okay=False, path_type=Path)
_EXISTING = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command("process")
@click.argument("source", metavar="INPUT", type=_EXISTING)
@click.argument("output", metavar="OUTPUT", type=_FILE)
@click.option("--poster", type=_FILE, default=None, help="Poster JPEG (default: OUTPUT with .jpg).")
@click.option("--preset", default=None, help="x264 preset (default ANB_FFMPEG__PRESET).")
@click.option("--crf", default=None, type=click.IntRange(0, 51), help="x264 CRF (default ANB_FFMPEG__CRF).")
@click.option(
    "--threads", default=None, type=click.IntRange(0), help="x264 threads, 0: automatic (default ANB_FFMPEG__THREADS)."
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where prepared curtains and default assets are kept (default <ANB_DATA_DIR>/cache).",
)
@click.option(
    "--opening",
    type=_EXISTING,
    default=None,
    help="Opening curtain, image or video (default ANB_FFMPEG__CURTAIN_OPEN_PATH).",
)
@click.option(
    "--closing",
    type=_EXISTING,
    default=None,
    help="Closing curtain, image or video (default ANB_FFMPEG__CURTAIN_CLOSE_PATH).",
)
@click.option("--watermark", type=_EXISTING, default=None,
              help="Watermark PNG with transparency (default ANB_FFMPEG__WATERMARK_PATH).")  # fmt: skip
@click.option("--timeout", default=1800.0, show_default=True, type=click.FloatRange(min=1), help="Seconds.")
def process(
    source: Path,
    output: Path,
    poster: Path | None,
    preset: str | None,
    crf: int | None,
    threads: int | None,
    cache_dir: Path | None,
    opening: Path | None,
    closing: Path | None,
    watermark: Path | None,
    timeout: float,
) -> None:
    """Turn INPUT into a published ANB video at OUTPUT (1280×720, curtains, watermark, no audio)."""
    settings = load_settings()
    configured = encoder_options(settings)
    options = EncoderOptions(
        preset=preset or configured.preset,
        crf=configured.crf if crf is None else crf,
        threads=configured.threads if threads is None else threads,
    )
    stamped = assets(settings)
    chosen = Assets.from_paths(
        opening or stamped.curtain_open, closing or stamped.curtain_close, watermark or stamped.watermark
    )
    work = functools.partial(
        render_video, source, output, poster or output.with_suffix(".jpg"),
        options=options, assets=chosen, cache_dir=cache_dir or settings.data_dir / "cache", timeout=timeout,
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
