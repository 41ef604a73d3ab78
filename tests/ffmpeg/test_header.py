"""The in-process header reader agrees with ffprobe on every kind of clip, reads only the header of
a large file, and refuses what is not an ISO BMFF video or stops before its data."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest

from anb.ffmpeg.errors import ProbeFailed
from anb.ffmpeg.header import TruncatedInput, read_header
from anb.ffmpeg.probe import probe
from bench.harness.clips import pad_mp4

MIB = 1024 * 1024


@pytest.mark.parametrize("clip", ["landscape", "long", "vertical", "four_three", "sixty_fps", "rotated", "tagged"])
def test_the_header_says_what_ffprobe_says(clip: str, clips: dict[str, Path]) -> None:
    header, ffprobe = read_header(clips[clip]), probe(clips[clip])
    assert header.is_iso_bmff and header.has_video and header.has_audio is ffprobe.has_audio
    assert (header.width, header.height, header.rotation, header.codec) == (
        ffprobe.width, ffprobe.height, ffprobe.rotation, ffprobe.codec,
    )  # fmt: skip
    assert header.duration == pytest.approx(ffprobe.duration, abs=0.05)
    assert header.file_duration == pytest.approx(ffprobe.file_duration, abs=0.05)
    assert header.fps == pytest.approx(ffprobe.fps, rel=0.01)
    assert header.display_aspect == pytest.approx(ffprobe.display_aspect, rel=0.01)


@pytest.mark.parametrize("container", ["mov", "fragmented"])
def test_quicktime_and_fragmented_files_are_read(container: str, clips: dict[str, Path], tmp_path: Path) -> None:
    target = tmp_path / f"clip.{'mov' if container == 'mov' else 'mp4'}"
    flags = ["-movflags", "frag_keyframe+empty_moov"] if container == "fragmented" else []
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(clips["landscape"]), "-c", "copy", *flags, str(target)],
                   check=True, timeout=60)  # fmt: skip
    found = read_header(target)
    assert (found.width, found.height) == (1920, 1080)
    assert found.duration == pytest.approx(21, abs=0.05)


class _CountingReader(io.RawIOBase):
    """A seekable reader that counts the bytes it hands out, like a ranged reader of a stored object."""

    def __init__(self, path: Path) -> None:
        self.handle = path.open("rb")
        self.delivered = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self.handle.seek(offset, whence)

    def tell(self) -> int:
        return self.handle.tell()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.delivered += len(data)
        return data


@pytest.mark.parametrize("faststart", [True, False])
def test_a_large_file_is_read_by_its_header_only(faststart: bool, clips: dict[str, Path], tmp_path: Path) -> None:
    source = clips["landscape"]
    if not faststart:  # moov after mdat: the reader must seek past the media data, not read it
        source = tmp_path / "moov-last.mp4"
        subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(clips["landscape"]), "-c", "copy", str(source)],
                       check=True, timeout=60)  # fmt: skip
    large = pad_mp4(source, tmp_path / "large.mp4", 80 * MIB)
    reader = _CountingReader(large)
    with reader:
        found = read_header(reader)
    assert found.duration == pytest.approx(21, abs=0.05)
    assert reader.delivered < 2 * MIB, reader.delivered


@pytest.mark.parametrize("name", ["random", "pdf", "audio_only"])
def test_what_is_not_an_iso_bmff_video_is_refused(name: str, broken: dict[str, Path]) -> None:
    if name == "audio_only":  # the right container, no video: the caller refuses it
        assert not read_header(broken[name]).has_video
        return
    with pytest.raises(ProbeFailed):
        read_header(broken[name])


def test_a_file_cut_after_its_header_is_truncated(broken: dict[str, Path]) -> None:
    with pytest.raises(TruncatedInput) as raised:
        read_header(broken["truncated"])
    assert raised.value.permanent
