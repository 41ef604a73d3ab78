"""The ANB assets: opening and closing curtains and the watermark.

The defaults are drawn by the project itself with ffmpeg's generators (no downloads) the first
time they are needed, into the cache directory. Operators replace any of them with their own
files (a video or a still image for a curtain, a PNG with transparency for the watermark).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from anb.media.options import CURTAIN_SECONDS, FPS, HEIGHT, WIDTH
from anb.media.runner import run

_NAVY, _ORANGE = "0x0B1F4B", "0xF26B1D"
_FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
)


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
        defaults = cache_dir / "default-assets"
        defaults.mkdir(parents=True, exist_ok=True)
        return ResolvedAssets(
            curtain_open=self.curtain_open or _default_curtain(defaults / "curtain-open.mp4", "ANB", timeout),
            curtain_close=self.curtain_close
            or _default_curtain(defaults / "curtain-close.mp4", "RISING STARS", timeout),
            watermark=self.watermark or _default_watermark(defaults / "watermark.png", timeout),
        )


@dataclass(frozen=True)
class ResolvedAssets:
    curtain_open: Path
    curtain_close: Path
    watermark: Path


def _font() -> str | None:
    return next((str(path) for path in _FONT_CANDIDATES if path.exists()), None)


def _title(text: str, size: int, y: str) -> str:
    font = _font()
    if font is None:  # no font on this machine: the branded shapes alone
        return "null"
    return f"drawtext=fontfile={font}:text='{text}':fontcolor=white:fontsize={size}:x=(w-tw)/2:y={y}"


def _default_curtain(path: Path, title: str, timeout: float) -> Path:
    if path.exists():
        return path
    graph = ",".join(
        [
            f"drawbox=x=0:y=ih*0.62:w=iw:h=ih*0.06:color={_ORANGE}:t=fill",
            f"drawbox=x=(iw-ih*0.3)/2:y=ih*0.12:w=ih*0.3:h=ih*0.3:color={_ORANGE}:t=fill",
            _title(title, 96, "h*0.45"),
            _title("ANB Rising Stars Showcase", 40, "h*0.72"),
        ]
    )
    source = f"color=c={_NAVY}:s={WIDTH}x{HEIGHT}:r={FPS}:d={CURTAIN_SECONDS}"
    temp = path.with_suffix(".tmp.mp4")
    encode = ["-c:v", "libx264", "-preset", "veryfast", "-crf", "18", "-pix_fmt", "yuv420p"]
    run(
        ["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", source, "-vf", graph, *encode, str(temp)],
        timeout,
    )
    temp.replace(path)
    return path


def _default_watermark(path: Path, timeout: float) -> Path:
    if path.exists():
        return path
    # A translucent navy plate with an orange bar and the ANB title, 200×64 with an alpha channel.
    graph = ",".join(
        [
            "format=rgba",
            "colorchannelmixer=aa=0.55",
            f"drawbox=x=0:y=h-8:w=iw:h=8:color={_ORANGE}@0.9:t=fill",
            _title("ANB", 40, "(h-th)/2-4"),
        ]
    )
    temp = path.with_suffix(".tmp.png")
    run(["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", f"color=c={_NAVY}:s=200x64:d=1",
         "-vf", graph, "-frames:v", "1", "-pix_fmt", "rgba", str(temp)], timeout)  # fmt: skip
    temp.replace(path)
    return path
