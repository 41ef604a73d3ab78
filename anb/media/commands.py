"""ffmpeg argument lists of the pipeline. Pure functions: no processes, no files touched."""

from __future__ import annotations

import base64
from pathlib import Path

from anb.media.options import CURTAIN_SECONDS, FPS, HEIGHT, MAX_FOOTAGE_SECONDS, WIDTH, EncoderOptions

WATERMARK_MARGIN = 24
# The poster is the first footage frame after this many frames (1 s): past fades and black starts.
POSTER_FRAME = FPS


def fit_720p() -> str:
    """Scale to fit 1280×720 keeping the aspect ratio, pad with black, square pixels, 30 fps.

    ``fps`` runs first so 60 fps input drops half its frames before they are scaled.
    """
    return (
        f"fps={FPS},scale={WIDTH}:{HEIGHT}:force_original_aspect_ratio=decrease:flags=bilinear,"
        f"pad={WIDTH}:{HEIGHT}:(ow-iw)/2:(oh-ih)/2:color=black,setsar=1,format=yuv420p"
    )


def curtain(source: Path, options: EncoderOptions, output: Path) -> list[str]:
    """A curtain as an H.264 segment of exactly CURTAIN_SECONDS; a still image is held for that long."""
    frames = int(CURTAIN_SECONDS * FPS)
    return [
        "ffmpeg", "-nostdin", "-v", "error", "-y", "-i", str(source),
        "-vf", f"{fit_720p()},tpad=stop=-1:stop_mode=clone", "-frames:v", str(frames),
        "-an", *options.x264_args(), "-f", "nut", str(output),
    ]  # fmt: skip


def footage(source: Path, watermark: Path, options: EncoderOptions, poster: Path, frames: int) -> list[str]:
    """Decode at most the first 30 s, fit, watermark and encode once, exactly ``frames`` frames, to NUT
    on stdout; the poster on the side.

    The join needs the footage's exact length before it starts: the last frame is held (``tpad``)
    and the output cut at ``frames``, so the length is known whatever the input's timestamps do.
    """
    graph = (
        f"[0:v:0]{fit_720p()},tpad=stop=-1:stop_mode=clone[fit];[1:v]format=rgba[wm];"
        f"[fit][wm]overlay=W-w-{WATERMARK_MARGIN}:H-h-{WATERMARK_MARGIN}:format=auto,format=yuv420p,split[out][side];"
        f"[side]select='gte(n\\,{POSTER_FRAME})'[still]"
    )
    return [
        "ffmpeg", "-nostdin", "-v", "error", "-stats_period", "0.5", "-progress", "pipe:2",
        "-t", f"{MAX_FOOTAGE_SECONDS:g}", "-i", str(source), "-i", str(watermark),
        "-filter_complex", graph,
        "-map", "[out]", "-an", "-sn", "-dn", "-frames:v", str(frames), *options.x264_args(),
        "-f", "nut", "pipe:1",
        "-map", "[still]", "-frames:v", "1", "-q:v", "3", "-y", str(poster),
    ]  # fmt: skip


def footage_frames(source_seconds: float) -> int:
    return max(1, round(min(source_seconds, MAX_FOOTAGE_SECONDS) * FPS))


def join(opening: Path, closing: Path, footage_frame_count: int, output: Path) -> list[str]:
    """Stream-copy curtain + footage (read from stdin) + curtain into one MP4 with the index first."""
    listing = (
        "ffconcat version 1.0\n"
        f"file 'file:{opening}'\nduration {CURTAIN_SECONDS}\n"
        f"file 'pipe:0'\nduration {footage_frame_count / FPS:.6f}\n"
        f"file 'file:{closing}'\nduration {CURTAIN_SECONDS}\n"
    )
    encoded = base64.b64encode(listing.encode()).decode()
    return [
        "ffmpeg", "-nostdin", "-v", "error", "-y",
        "-f", "concat", "-safe", "0", "-protocol_whitelist", "file,pipe,data",
        "-i", f"data:text/plain;base64,{encoded}",
        "-map", "0:v:0", "-c", "copy", "-movflags", "+faststart", "-f", "mp4", str(output),
    ]  # fmt: skip


def decode_check(path: Path) -> list[str]:
    return ["ffmpeg", "-nostdin", "-v", "error", "-i", str(path), "-f", "null", "-"]
