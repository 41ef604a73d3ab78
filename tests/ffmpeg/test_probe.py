"""ffprobe facts of each kind of clip, and the decodability check the upload validation relies on."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from anb.ffmpeg.errors import CorruptInput, ProbeFailed
from anb.ffmpeg.probe import check_decodable, probe

MP4 = "mov,mp4,m4a,3gp,3g2,mj2"


@pytest.mark.parametrize(
    ("clip", "size", "fps", "seconds", "audio"),
    [
        ("landscape", (1920, 1080), 30, 21, True),
        ("vertical", (1080, 1920), 30, 4, False),
        ("four_three", (1440, 1080), 30, 4, False),
        ("sixty_fps", (1920, 1080), 60, 4, False),
        ("rotated", (1080, 1920), 60, 4, False),  # stored 1920×1080, displayed upright
        ("long", (1280, 720), 10, 33, False),
    ],
)
def test_probe_reads_the_content(
    clip: str, size: tuple[int, int], fps: int, seconds: float, audio: bool, clips: dict[str, Path]
) -> None:
    found = probe(clips[clip])
    assert found.format_name == MP4 and found.is_iso_bmff
    assert found.has_video and found.codec == "h264"
    assert (found.width, found.height) == size
    assert found.short_side == min(size)
    assert found.fps == pytest.approx(fps)
    assert found.duration == pytest.approx(seconds, abs=0.05)
    assert found.has_audio is audio
    check_decodable(clips[clip], found.duration)


def test_audio_only_mp4_family_has_no_video(broken: dict[str, Path]) -> None:
    found = probe(broken["audio_only"])
    assert found.is_iso_bmff and found.has_audio and not found.has_video
    with pytest.raises(CorruptInput):
        check_decodable(broken["audio_only"], found.duration or 21)


@pytest.mark.parametrize("name", ["random", "pdf", "empty"])
def test_what_is_not_media_fails_to_probe_permanently(name: str, broken: dict[str, Path]) -> None:
    with pytest.raises(ProbeFailed) as raised:
        probe(broken[name])
    assert raised.value.permanent


def test_a_cut_file_probes_but_is_not_decodable_to_its_end(broken: dict[str, Path]) -> None:
    found = probe(broken["truncated"])
    assert found.has_video and found.duration == pytest.approx(21, abs=0.05), "the header survived"
    started = time.monotonic()
    with pytest.raises(CorruptInput, match="end") as raised:
        check_decodable(broken["truncated"], found.duration, timeout=30)
    assert raised.value.permanent and time.monotonic() - started < 10
