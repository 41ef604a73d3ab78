"""The ANB assets: opening and closing curtains and the watermark.

The defaults are drawn by the project itself with ffmpeg's generators (no downloads) the first
time they are needed, into the cache directory. Operators replace any of them with their own
files (a video or a still image for a curtain, a PNG with transparency for the watermark).
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from anb.ffmpeg.commands import FFMPEG, url
from anb.ffmpeg.options import HEIGHT, WIDTH
from anb.ffmpeg.runner import run

_NAVY, _ORANGE = "0x0B1F4B", "0xF26B1D"
_FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
)
# Bump when the drawings change, so caches draw the new ones.
_DRAWING_VERSION = "2"


@dataclass(frozen=True)
class Assets:
    """Operator-supplied files; None means the project's default."""

    curtain_open: Path | None = None
    curtain_close: Path | None = None
    watermark: Path | None = None

    @classmethod
    def from_paths(cls, curtain_open: Path | None, curtain_close: Path | None, watermark: Path | None) -> Assets:
        return cls(curtain_open, curtain_close, watermark)

    def resolve(self, cache_dir: Path, timeout: float = 60.0) -> ResolvedAssets:
        defaults = cache_dir / f"default-assets-v{_DRAWING_VERSION}"
        defaults.mkdir(parents=True, exist_ok=True)
        return ResolvedAssets(
            curtain_open=self.curtain_open or _drawn(defaults / "curtain-open.png", _curtain("ANB"), timeout),
            curtain_close=self.curtain_close
            or _drawn(defaults / "curtain-close.png", _curtain("RISING STARS"), timeout),
            watermark=self.watermark or _drawn(defaults / "watermark.png", _watermark(), timeout),
        )


@dataclass(frozen=True)
class ResolvedAssets:
    curtain_open: Path
    curtain_close: Path
    watermark: Path


def _drawn(path: Path, source_and_graph: tuple[str, str], timeout: float) -> Path:
    """Draw one still image unless already drawn; a unique temporary name keeps concurrent workers
    from writing into each other's file, and the rename makes the finished image appear at once."""
    if path.exists():
        return path
    source, graph = source_and_graph
    temp = path.with_name(f".{path.stem}.{os.getpid()}.{uuid.uuid4().hex[:8]}.png")
    try:
        run([FFMPEG, "-hide_banner", "-nostdin", "-v", "error", "-f", "lavfi", "-i", source, "-vf", graph,
             "-frames:v", "1", "-f", "image2", "-c:v", "png", url(temp)], timeout)  # fmt: skip
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)
    return path


def _curtain(title: str) -> tuple[str, str]:
    """Navy card, orange emblem square and band, the title and the showcase's name."""
    graph = ",".join(
        [
            f"drawbox=x=0:y=ih*0.62:w=iw:h=ih*0.06:color={_ORANGE}:t=fill",
            f"drawbox=x=(iw-ih*0.3)/2:y=ih*0.12:w=ih*0.3:h=ih*0.3:color={_ORANGE}:t=fill",
            _text(title, 96, "h*0.45"),
            _text("ANB Rising Stars Showcase", 40, "h*0.72"),
        ]
    )
    return f"color=c={_NAVY}:s={WIDTH}x{HEIGHT}", graph


def _watermark() -> tuple[str, str]:
    """A translucent navy plate with an orange bar and an opaque white ANB, 200×64 with alpha."""
    graph = ",".join(
        [
            "format=rgba",
            "colorchannelmixer=aa=0.55",
            f"drawbox=x=0:y=h-8:w=iw:h=8:color={_ORANGE}@0.9:t=fill",
            _text("ANB", 40, "(h-th)/2-4"),
        ]
    )
    return f"color=c={_NAVY}:s=200x64", graph


def _text(text: str, size: int, y: str) -> str:
    font = next((path for path in _FONT_CANDIDATES if path.exists()), None)
    if font is None:  # no font on this machine: the branded shapes alone
        return "null"
    return f"drawtext=fontfile={font}:text='{text}':fontcolor=white:fontsize={size}:x=(w-tw)/2:y={y}"
