"""Video processing: a pure package (no database, no settings) around the system's ffmpeg.

See docs/processing.md. The service checks ffmpeg with ``check_ffmpeg()`` at start-up, the upload
validation reads the container's header in-process with ``read_header()``, the job queue calls
``render_video()`` (which checks that the frames decode before it encodes) and retries only the
errors whose ``permanent`` is false.
"""

from anb.ffmpeg.assets import Assets
from anb.ffmpeg.errors import CorruptInput, EncodeFailed, FfmpegMissing, MediaError, MediaTimeout, ProbeFailed
from anb.ffmpeg.header import TruncatedInput, read_header
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
    "TruncatedInput",
    "check_decodable",
    "check_ffmpeg",
    "probe",
    "read_header",
    "render_video",
]
