"""Video processing: a pure package (no database, no settings) around the system's ffmpeg.

See docs/processing.md. The service checks ffmpeg with ``check_ffmpeg()`` at start-up, the upload
validation uses ``probe()`` and ``check_decodable()``, the job queue calls ``process_video()`` and
retries only the errors whose ``permanent`` is false.
"""

from anb.media.assets import Assets
from anb.media.errors import CorruptInput, EncodeFailed, FfmpegMissing, MediaError, MediaTimeout, ProbeFailed
from anb.media.options import EncoderOptions
from anb.media.pipeline import ProcessResult, process_video
from anb.media.probe import ProbeResult, check_decodable, probe
from anb.media.tools import check_ffmpeg

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
    "process_video",
]
