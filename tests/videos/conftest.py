from __future__ import annotations

from pathlib import Path

import pytest

from tests.clips import PDF_BYTES, make_audio_only, make_clip, truncate_copy


@pytest.fixture(scope="session")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every clip the upload tests need, made once per session."""
    folder = tmp_path_factory.mktemp("clips")
    good = make_clip(folder / "good.mp4")
    pdf = folder / "document.mp4"
    pdf.write_bytes(PDF_BYTES)
    empty = folder / "empty.mp4"
    empty.write_bytes(b"")
    return {
        "good": good,
        "vertical": make_clip(folder / "vertical.mp4", width=1080, height=1920),
        "short": make_clip(folder / "short.mp4", seconds=5),
        "long": make_clip(folder / "long.mp4", seconds=65, fps=5),
        "720p": make_clip(folder / "720p.mp4", width=1280, height=720),
        "audio_only": make_audio_only(folder / "audio.mp4"),
        "truncated": truncate_copy(good, folder / "truncated.mp4"),
        "pdf": pdf,
        "empty": empty,
    }
