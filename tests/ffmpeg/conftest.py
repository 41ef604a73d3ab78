"""Small clips generated with the real ffmpeg once per session, and the pipeline run once per clip.

Clips are test patterns at a very low quality (they decode fast); the lengths are the shortest that
still show what each test needs.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from anb.ffmpeg.assets import Assets
from anb.ffmpeg.options import EncoderOptions
from anb.ffmpeg.pipeline import ProcessResult, render_video

FAST = EncoderOptions(preset="ultrafast", crf=30, threads=2)


@dataclass(frozen=True)
class Clip:
    width: int
    height: int
    seconds: float
    fps: int = 30
    audio: bool = False
    pattern: str = "testsrc2"
    extra: tuple[str, ...] = field(default_factory=tuple)


# Phone video is often full-range and tagged BT.709: its stream headers must still match the curtains'.
_PHONE_COLOUR = ("-color_range", "pc", "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709",
                 "-pix_fmt", "yuvj420p")  # fmt: skip

CLIPS = {
    "landscape": Clip(1920, 1080, 21, audio=True),  # a typical valid upload, shorter than 30 s
    "long": Clip(1280, 720, 33, fps=10),  # cut to 30 s (a low rate keeps the decode cheap)
    "vertical": Clip(1080, 1920, 4),
    "four_three": Clip(1440, 1080, 4),
    "sixty_fps": Clip(1920, 1080, 4, fps=60),
    "black": Clip(1920, 1080, 3, pattern="color=c=black"),  # shows the watermark alone
    "tagged": Clip(1920, 1080, 2, extra=_PHONE_COLOUR),
}


def make_clip(path: Path, clip: Clip) -> Path:
    separator = ":" if "=" in clip.pattern else "="
    source = f"{clip.pattern}{separator}size={clip.width}x{clip.height}:rate={clip.fps}:duration={clip.seconds}"
    command = ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", source]
    if clip.audio:
        command += ["-f", "lavfi", "-i", f"sine=duration={clip.seconds}", "-c:a", "aac", "-b:a", "32k"]
    command += ["-c:v", "libx264", "-preset", "ultrafast", "-crf", "40", "-pix_fmt", "yuv420p", *clip.extra,
                "-movflags", "+faststart", str(path)]  # fmt: skip
    subprocess.run(command, check=True, timeout=120)
    return path


@pytest.fixture(scope="session")
def clip_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("media-clips")


@pytest.fixture(scope="session")
def clips(clip_dir: Path) -> dict[str, Path]:
    made = {name: make_clip(clip_dir / f"{name}.mp4", clip) for name, clip in CLIPS.items()}
    # A phone held upright: stored 1920×1080 with a 90° display rotation.
    made["rotated"] = clip_dir / "rotated.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(made["sixty_fps"]), "-c", "copy",
                    "-metadata:s:v:0", "rotate=90", str(made["rotated"])], check=True, timeout=60)  # fmt: skip
    return made


@pytest.fixture(scope="session")
def broken(clip_dir: Path, clips: dict[str, Path]) -> dict[str, Path]:
    """Inputs that must be refused: cut media data (the header survives), not media, audio only."""
    data = clips["landscape"].read_bytes()
    samples = {
        "truncated": data[: len(data) // 2],
        "random": bytes(range(256)) * 512,
        "pdf": b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n",
        "empty": b"",
    }
    made = {}
    for name, content in samples.items():
        made[name] = clip_dir / f"{name}.mp4"
        made[name].write_bytes(content)
    made["audio_only"] = clip_dir / "audio_only.m4a"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "sine=duration=21", "-c:a", "aac",
                    str(made["audio_only"])], check=True, timeout=60)  # fmt: skip
    return made


@pytest.fixture(scope="session")
def media_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One curtain cache for the session, as a worker keeps one."""
    return tmp_path_factory.mktemp("media-cache")


@dataclass
class Processed:
    result: ProcessResult
    progress: list[float]


@pytest.fixture(scope="session")
def processed(
    clips: dict[str, Path], media_cache: Path, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str], Processed]:
    """The pipeline's output for a clip, made once per session on first use."""
    done: dict[str, Processed] = {}
    folder = tmp_path_factory.mktemp("media-out")

    def get(name: str) -> Processed:
        if name not in done:
            seen: list[float] = []
            result = render_video(
                clips[name], folder / f"{name}.mp4", folder / f"{name}.jpg", options=FAST, assets=Assets(),
                cache_dir=media_cache, timeout=300, on_progress=seen.append,
            )  # fmt: skip
            done[name] = Processed(result, seen)
        return done[name]

    return get
