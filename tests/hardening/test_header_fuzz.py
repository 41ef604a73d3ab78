"""The in-process header reader on hostile bytes: mutated, cut and lying headers of a real clip, and
box sizes chosen to hurt (zero, tiny, 64-bit, past the end, nested deep). Whatever it is given, it
answers a ``ProbeResult`` or raises the media errors the upload check turns into a 400 — never
another exception, never a crash of the process, within a bounded read."""

from __future__ import annotations

import contextlib
import io
import struct

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anb.ffmpeg.errors import MediaError
from anb.ffmpeg.header import TruncatedInput, read_header
from bench.harness.clips import make_clip

HEADER_BYTES = 64 * 1024


@pytest.fixture(scope="module")
def header_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The start of a faststart clip: ftyp, the whole moov and the start of mdat."""
    clip = make_clip(tmp_path_factory.mktemp("fuzz") / "clip.mp4", width=640, height=360, seconds=4)
    return clip.read_bytes()[:HEADER_BYTES]


def _read(data: bytes) -> None:
    with contextlib.suppress(MediaError):  # refused: what the upload check expects of hostile input
        read_header(io.BytesIO(data))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_mutated_headers_are_read_or_refused(header_bytes: bytes, data: st.DataObject) -> None:
    mutated = bytearray(header_bytes[: data.draw(st.integers(8, len(header_bytes)), label="cut at")])
    for _ in range(data.draw(st.integers(1, 16), label="mutations")):
        at = data.draw(st.integers(0, len(mutated) - 1))
        mutated[at] = data.draw(st.sampled_from([0, 1, 0x7F, 0x80, 0xFF]) | st.integers(0, 255))
    _read(bytes(mutated))


_BOX_TYPES = [b"ftyp", b"moov", b"trak", b"mdia", b"minf", b"stbl", b"mdat", b"free", b"udta", b"meta", b"mvhd"]


def _box(kind: bytes, payload: bytes, size: int | None = None) -> bytes:
    return struct.pack(">I", len(payload) + 8 if size is None else size) + kind + payload


@settings(max_examples=300, deadline=None)
@given(
    st.recursive(
        st.binary(max_size=64),
        lambda inner: st.builds(
            lambda kind, children, size: _box(kind, b"".join(children), size),
            st.sampled_from(_BOX_TYPES),
            st.lists(inner, max_size=4),
            st.none() | st.sampled_from([0, 1, 7, 8, 0xFFFFFFFF]) | st.integers(0, 1 << 32 - 1),
        ),
        max_leaves=40,
    )
)
def test_hostile_box_trees_are_read_or_refused(tree: bytes) -> None:
    _read(_box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2avc1mp41") + tree)


_FTYP = _box(b"ftyp", b"isom\x00\x00\x02\x00isom")


def test_ten_thousand_nested_boxes_hold_no_video() -> None:
    nested = b""
    for _ in range(10_000):
        nested = _box(b"trak", nested)
    assert not read_header(io.BytesIO(_FTYP + _box(b"moov", nested))).has_video


@pytest.mark.parametrize(
    "box",
    [
        struct.pack(">I", 1) + b"mdat" + struct.pack(">Q", (1 << 63) - 1),  # 64-bit size: exabytes
        struct.pack(">I", 0x7FFFFFFF) + b"moov" + b"\0" * 1024,  # a 2 GB header in a 1 KB file
    ],
)
def test_a_box_larger_than_the_file_is_refused_not_waited_for(box: bytes) -> None:
    with pytest.raises(TruncatedInput):
        read_header(io.BytesIO(_FTYP + box))
