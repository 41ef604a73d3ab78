"""``anb process INPUT OUTPUT``: the pipeline on a local file, with a progress bar on a terminal."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from anb.media.encode import Progress
from anb.media.errors import MediaError
from anb.media.pipeline import Assets, EncoderOptions, process_video
from anb.media.probe import probe


@click.command("process")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--poster", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Poster JPEG (default: OUTPUT with .jpg).")  # fmt: skip
@click.option("--preset", default="veryfast", show_default=True)
@click.option("--crf", default=23, show_default=True, type=click.IntRange(0, 51))
@click.option("--threads", default=0, show_default=True, type=int, help="x264 threads (0: automatic).")
@click.option(
    "--cache-dir", type=click.Path(file_okay=False, path_type=Path), default=Path("data/cache"), show_default=True
)
def process(
    source: Path, output: Path, poster: Path | None, preset: str, crf: int, threads: int, cache_dir: Path
) -> None:
    """Turn SOURCE into a published ANB video at OUTPUT (720p, curtains, watermark, no audio)."""
    poster = poster or output.with_suffix(".jpg")
    options = EncoderOptions(preset=preset, crf=crf, threads=threads)
    try:
        if sys.stdout.isatty():
            with click.progressbar(length=100, label="Procesando") as bar:
                done = [0]

                def advance(fraction: float) -> None:
                    step = int(fraction * 100) - done[0]
                    if step > 0:
                        bar.update(step)
                        done[0] += step

                _run(source, output, poster, options, cache_dir, advance)
        else:
            _run(source, output, poster, options, cache_dir, None)
    except MediaError as exc:
        raise click.ClickException(f"{type(exc).__name__}: {exc}") from exc
    result = probe(output)
    click.echo(f"{output}: {result.width}x{result.height}, {result.duration:.2f} s, poster {poster}")


def _run(
    source: Path, output: Path, poster: Path, options: EncoderOptions, cache_dir: Path, progress: Progress | None
) -> None:
    process_video(source, output, poster, options=options, assets=Assets(), cache_dir=cache_dir, timeout=1800,
                  on_progress=progress)  # fmt: skip
