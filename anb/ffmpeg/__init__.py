"""Video processing: a pure package (no database, no settings) around the system's ffmpeg.

See docs/processing.md. The service checks ffmpeg with ``check_ffmpeg()`` at start-up, the upload
validation uses ``probe()`` and ``check_decodable()``, the job queue calls ``render_video()`` and
retries only the errors whose ``permanent`` is false.
"""

from anb.ffmpeg.assets import Assets
from anb.ffmpeg.errors import CorruptInput, EncodeFailed, FfmpegMissing, MediaError, MediaTimeout, ProbeFailed
from anb.ffmpeg.options import EncoderOptions
from anb.ffmpeg.pipeline import ProcessResult, render_video
from anb.ffmpeg.probe import ProbeResult, check_decodable, probe
from anb.ffmpeg.tools import check_ffmpeg

__all__ = [
    "Assets",
    "CorruptInput",
    "EncodeFailed",
    "EncoderOptions",
    "FfmpegMissing",
    "MediaError",
    "MediaTimeout",
    "ProbeFailed",
    "ProbeResult",
    "ProcessResult",
    "check_decodable",
    "check_ffmpeg",
    "probe",
    "render_video",
]
