"""The start-up check of the ffmpeg installation."""

from __future__ import annotations

import pytest

from anb.ffmpeg import tools
from anb.ffmpeg.errors import FfmpegMissing


def test_this_machines_ffmpeg_is_usable() -> None:
    assert tools.check_ffmpeg().startswith("ffmpeg version")


def test_a_missing_ffmpeg_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(FfmpegMissing, match="ffmpeg is not on PATH") as raised:
        tools.check_ffmpeg()
    assert not raised.value.permanent, "not the video's fault: retried, then dead-lettered"


def test_a_build_lacking_a_needed_encoder_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(tools.REQUIRED, "encoders", ("libx264", "an_encoder_no_build_has"))
    with pytest.raises(FfmpegMissing, match="lacks the encoders an_encoder_no_build_has"):
        tools.check_ffmpeg()
