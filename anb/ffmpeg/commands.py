"""ffmpeg/ffprobe argument lists. Pure functions: no processes, no files touched.

Every path is passed as a ``file:`` URL, so a file named like ``pipe:1`` or ``-y.mp4`` can never be
read as a protocol or an option.
"""

from __future__ import annotations

import base64
from pathlib import Path

from anb.ffmpeg.options import CURTAIN_FRAMES, CURTAIN_SECONDS, FPS, HEIGHT, MAX_FOOTAGE_SECONDS, WIDTH, EncoderOptions

FFMPEG, FFPROBE = "ffmpeg", "ffprobe"
WATERMARK_MARGIN = 24
# An operator's watermark larger than this box is scaled down into it (once per job: one frame).
WATERMARK_BOX = (320, 120)
# The footage's last frame may be held this many frames to reach its planned length (timestamps of
# real files are a little ragged); a file that ends earlier than that is reported as cut.
HOLD_FRAMES = 15
# Bilinear costs what the cheapest swscale flags cost (fast_bilinear, area) and 0.5 s less CPU per
# job than the default bicubic (docs/processing.md); swscale widens its kernel when downscaling, so
# the 2/3 (or 3/8 for portrait) reduction does not alias.
SCALE_FLAGS = "bilinear"
_QUIET = ["-hide_banner", "-nostdin", "-v", "error"]


def url(path: Path) -> str:
    return f"file:{Path(path).absolute()}"


def fitted_size(aspect: float) -> tuple[int, int]:
    """The largest even-sized frame of this display aspect ratio that fits 1280×720."""
    if aspect >= WIDTH / HEIGHT:
        return WIDTH, min(HEIGHT, _even(WIDTH / aspect))
    return min(WIDTH, _even(HEIGHT * aspect)), HEIGHT


def _even(value: float) -> int:
    return max(2, 2 * round(value / 2))


def fit_chain(aspect: float, source_fps: float | None) -> str:
    """Scale to fit 1280×720 (never stretched or cropped), pad with black, square pixels, 30 fps CFR.

    ``format`` right after ``scale`` makes the one scaling pass also do any pixel-format or range
    conversion (full-range or 10-bit phone video) instead of a second pass at the end.
    """
    width, height = fitted_size(aspect)
    left, top = (WIDTH - width) // 4 * 2, (HEIGHT - height) // 4 * 2
    resize = (
        f"scale={width}:{height}:flags={SCALE_FLAGS},format=yuv420p,"
        f"pad={WIDTH}:{HEIGHT}:{left}:{top}:color=black,setsar=1"
    )
    # Dropping frames before scaling spares 60 fps input half the scaling work; duplicating after
    # it spares slower input the scaling of the copies.
    rate = f"fps={FPS}"
    return f"{rate},{resize}" if (source_fps or FPS) >= FPS else f"{resize},{rate}"


def probe(path: Path) -> list[str]:
    return [FFPROBE, "-hide_banner", "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
            "-i", url(path)]  # fmt: skip


def first_and_last_frames(path: Path, near_end: float) -> list[str]:
    """Decode one frame at the start and one at ``near_end`` in one process; ``framecrc`` prints a
    line per decoded frame, so a missing frame (a cut ``mdat``) shows even when ffmpeg exits 0."""
    args = [FFMPEG, *_QUIET]
    for start in (0.0, near_end):
        args += ["-threads", "1", "-ss", f"{start:.3f}", "-i", url(path)]
    for index in (0, 1):
        args += ["-map", f"{index}:v:0", "-frames:v", "1", "-f", "framecrc", "pipe:1"]
    return args


def curtain(source: Path, fit: str, fade: str, options: EncoderOptions, output: Path) -> list[str]:
    """A curtain as an H.264 NUT segment of exactly CURTAIN_FRAMES; a still image is held that long."""
    return [
        FFMPEG, *_QUIET, "-y", "-i", url(source), "-map", "0:v:0",
        "-vf", f"{fit},tpad=stop=-1:stop_mode=clone,{fade}", "-frames:v", str(CURTAIN_FRAMES),
        "-an", *options.x264_args(), "-f", "nut", url(output),
    ]  # fmt: skip


def footage(
    source: Path, watermark: Path, poster: Path, fit: str, frames: int, poster_frame: int, options: EncoderOptions
) -> list[str]:
    """Decode at most the first 30 s, fit, watermark and encode once, exactly ``frames`` frames, as
    NUT on stdout; the poster JPEG on the side, from the same decoded frames.

    ``-t`` on the input side stops reading at 30 s. The join needs the footage's exact length before
    it starts: the output is cut at ``frames`` and the last frame held at most HOLD_FRAMES to get there.
    """
    box_w, box_h = WATERMARK_BOX
    graph = (
        f"[0:v:0]{fit}[fit];"
        f"[1:v:0]scale=w='min(iw,{box_w})':h='min(ih,{box_h})':force_original_aspect_ratio=decrease[wm];"
        f"[fit][wm]overlay=W-w-{WATERMARK_MARGIN}:H-h-{WATERMARK_MARGIN},"
        f"tpad=stop={HOLD_FRAMES}:stop_mode=clone,split[out][side];"
        f"[side]select='eq(n,{poster_frame})'[poster]"
    )
    return [
        FFMPEG, *_QUIET, "-t", f"{MAX_FOOTAGE_SECONDS:g}", "-i", url(source), "-i", url(watermark),
        "-filter_complex", graph,
        "-map", "[out]", "-frames:v", str(frames), *options.x264_args(), "-f", "nut", "pipe:1",
        "-map", "[poster]", "-frames:v", "1", "-c:v", "mjpeg", "-q:v", "3", "-f", "image2", "-y", url(poster),
    ]  # fmt: skip


def join(opening: Path, closing: Path, footage_frames: int, output: Path) -> list[str]:
    """Stream-copy curtain + footage (NUT on stdin) + curtain into one MP4 with the index first.

    The concat demuxer is told every segment's exact duration: it cannot know the length of a
    stream on a pipe, and guessing from the last packet is off by the B-frame delay.
    """
    listing = "ffconcat version 1.0\n" + "".join(
        f"file {_quoted(name)}\nduration {seconds:.6f}\n"
        for name, seconds in (
            (url(opening), CURTAIN_SECONDS),
            ("pipe:0", footage_frames / FPS),
            (url(closing), CURTAIN_SECONDS),
        )
    )
    encoded = base64.b64encode(listing.encode()).decode()
    return [
        FFMPEG, *_QUIET, "-f", "concat", "-safe", "0", "-protocol_whitelist", "file,pipe,data",
        "-i", f"data:text/plain;base64,{encoded}",
        "-map", "0:v:0", "-c", "copy", "-movflags", "+faststart",
        "-progress", "pipe:1", "-stats_period", "0.5", "-f", "mp4", "-y", url(output),
    ]  # fmt: skip


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def decode_all(path: Path) -> list[str]:
    """A full decode; with ``-v error`` it prints nothing for a clean file."""
    return [FFMPEG, *_QUIET, "-i", url(path), "-map", "0:v", "-f", "null", "-"]


def extradata_hash(path: Path) -> list[str]:
    """SHA-256 of the first video stream's H.264 headers (SPS/PPS)."""
    return [FFPROBE, "-hide_banner", "-v", "error", "-select_streams", "v:0", "-show_data_hash", "sha256",
            "-show_entries", "stream=extradata_hash", "-of", "csv=p=0", url(path)]  # fmt: skip


def header_sample(options: EncoderOptions, output: Path) -> list[str]:
    """Two black frames encoded exactly like the footage: its stream headers are the footage's."""
    return [
        FFMPEG, *_QUIET, "-y", "-f", "lavfi", "-i", f"color=c=black:s={WIDTH}x{HEIGHT}:r={FPS}",
        "-frames:v", "2", *options.x264_args(), "-f", "nut", url(output),
    ]  # fmt: skip


def sample_clip(output: Path) -> list[str]:
    """One second of 720p test pattern: footage for the curtains' trial join."""
    return [
        FFMPEG, *_QUIET, "-y", "-f", "lavfi", "-i", f"testsrc2=s={WIDTH}x{HEIGHT}:r={FPS}:d=1",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-f", "mp4", url(output),
    ]  # fmt: skip
