"""Hostile uploads through the application, on SQLite and PostgreSQL: each is refused with a 400 and
its own ``code`` or, when it is legitimate input, accepted intact; a refusal stores nothing (no row,
no file, no temporary file).

The real-server cases (an oversized body cut off early, serving others during a slow upload) are in
test_hostile_served.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from anb.videos.models import Video
from tests.hardening.hostile_files import claiming_duration, png_image, zip_of
from tests.hardening.multipart import CONTENT_TYPE, Part, file_part, multipart_body, part_head, title_part
from tests.support.accounts import bearer, signup_and_login

MIB = 1024 * 1024
# Long enough for any request that must not hang; never a measure of speed.
GUARD_SECONDS = 60


@pytest.fixture(scope="module")
def hostile(clips: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The corpus, every file named .mp4 whatever it holds."""
    folder = tmp_path_factory.mktemp("hostile")
    return {
        "pdf": clips["pdf"],
        "png": png_image(folder / "image.mp4"),
        "zip": zip_of(clips["good"], folder / "archive.mp4"),
        "truncated": clips["truncated"],
        "huge_duration": claiming_duration(clips["good"], folder / "ten-hours.mp4", seconds=36_000),
        "empty": clips["empty"],
    }


@pytest.fixture
async def player(client: httpx.AsyncClient) -> dict[str, str]:
    return bearer((await signup_and_login(client))["access_token"])


def _post(client: httpx.AsyncClient, headers: dict[str, str], *parts: Part) -> Awaitable[httpx.Response]:
    return client.post(
        "/api/videos/upload", headers={**headers, "Content-Type": CONTENT_TYPE}, content=multipart_body(*parts)
    )


async def _rows(app: FastAPI) -> int:
    async with app.state.anb.sessions() as db:
        return int(await db.scalar(select(func.count()).select_from(Video)) or 0)


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


async def refused(app: FastAPI, request: Awaitable[httpx.Response], code: str) -> httpx.Response:
    """Send ``request`` and check it is a 400 with ``code`` that left no row and no file behind."""
    # The test's whole directory: the data directory (media, temp files) and anything a path escaping it could reach.
    root = app.state.anb.settings.data_dir.parent
    rows, files = await _rows(app), _files(root)
    answer = await request
    assert answer.status_code == 400, answer.text
    body = answer.json()
    assert body["code"] == code, body
    assert body["detail"].endswith("."), body
    assert await _rows(app) == rows, "a refused upload left a row"
    assert _files(root) == files, "a refused upload left a file (stored or temporary)"
    return answer


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("pdf", "unsupported_format"),
        ("png", "unsupported_format"),
        ("zip", "unsupported_format"),
        ("truncated", "corrupt_video"),
        ("huge_duration", "invalid_duration"),
        ("empty", "empty_file"),
    ],
)
async def test_hostile_files(
    client: httpx.AsyncClient, app: FastAPI, player: dict[str, str], hostile: dict[str, Path], name: str, code: str
) -> None:
    content = hostile[name].read_bytes()
    answer = await refused(app, _post(client, player, title_part("Mi jugada"), file_part(content)), code)
    if name == "huge_duration":  # refused for what it claims, which the player can see in the message
        assert "36000" in answer.json()["detail"]


@pytest.mark.parametrize("second", ["video_file", "file"])
async def test_two_files_in_one_body(
    client: httpx.AsyncClient, app: FastAPI, player: dict[str, str], clips: dict[str, Path], second: str
) -> None:
    video = clips["good"].read_bytes()
    parts = (title_part("Dos"), file_part(video), file_part(video, name=second))
    await refused(app, _post(client, player, *parts), "multiple_files")


@pytest.mark.parametrize("character", ["x", "🏀"])
async def test_a_10000_character_title(
    client: httpx.AsyncClient, app: FastAPI, player: dict[str, str], clips: dict[str, Path], character: str
) -> None:
    parts = (title_part(character * 10_000), file_part(clips["good"].read_bytes()))
    answer = await refused(app, _post(client, player, *parts), "title_too_long")
    assert "255" in answer.json()["detail"]


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/json", b'{"title": "x", "video_file": "AAAA"}'),
        ("text/plain", b"title=x"),
        ("application/x-www-form-urlencoded", b"title=x&video_file=AAAA"),
        ("video/mp4", b"\x00\x00\x00\x20ftypisom"),
        ("multipart/form-data", multipart_body(title_part("sin boundary"))),
        ("multipart/mixed; boundary=anb-hostile-boundary", multipart_body(title_part("otro multipart"))),
        ("", b""),
    ],
)
async def test_wrong_request_content_types(
    client: httpx.AsyncClient, app: FastAPI, player: dict[str, str], content_type: str, body: bytes
) -> None:
    request = client.post("/api/videos/upload", headers={**player, "Content-Type": content_type}, content=body)
    await refused(app, request, "not_multipart")


async def test_a_broken_multipart_body(client: httpx.AsyncClient, app: FastAPI, player: dict[str, str]) -> None:
    # A part whose header block never ends, then the closing boundary.
    body = part_head(title_part("x"))[:-2] + b"\x00garbage without a header end\r\n--anb-hostile-boundary--\r\n"
    request = client.post("/api/videos/upload", headers={**player, "Content-Type": CONTENT_TYPE}, content=body)
    await refused(app, request, "malformed_multipart")


async def test_the_declared_type_of_the_file_part_is_not_trusted(
    client: httpx.AsyncClient, app: FastAPI, player: dict[str, str], clips: dict[str, Path], hostile: dict[str, Path]
) -> None:
    """Only the content decides: a PDF sent as video/mp4 is refused, a real MP4 sent as a PDF is a video."""
    pdf_as_video = Part("video_file", hostile["pdf"].read_bytes(), b"a.mp4", "video/mp4")
    await refused(app, _post(client, player, title_part("x"), pdf_as_video), "unsupported_format")
    video_as_pdf = Part("video_file", clips["good"].read_bytes(), b"a.pdf", "application/pdf")
    assert (await _post(client, player, title_part("x"), video_as_pdf)).status_code == 201


async def test_a_hostile_filename_is_never_used(
    client: httpx.AsyncClient, app: FastAPI, player: dict[str, str], clips: dict[str, Path]
) -> None:
    """The client's filename names nothing on the server: the file is stored under the video's id."""
    root = app.state.anb.settings.data_dir.parent
    before = _files(root)
    filename = b"../../../../tmp/evil\x01\x1b[31m\x7f\t..%2f..%2fpasswd.mp4"
    part = file_part(clips["good"].read_bytes(), filename=filename)
    answer = await _post(client, player, title_part("Nombre raro"), part)
    assert answer.status_code == 201, answer.text
    media = app.state.anb.settings.data_dir / "media"
    assert _files(root) - before == {media / "videos" / answer.json()["video_id"] / "original.mp4"}


async def test_an_emoji_and_right_to_left_title_round_trips(
    client: httpx.AsyncClient, player: dict[str, str], clips: dict[str, Path]
) -> None:
    title = "🏀🔥 تسديدة من منتصف الملعب — קליעה‏ Ñandú e\u0301"
    answer = await _post(client, player, title_part(title), file_part(clips["good"].read_bytes()))
    assert answer.status_code == 201, answer.text
    detail = await client.get(answer.headers["location"], headers=player)
    assert detail.json()["title"] == title
    listed = await client.get("/api/videos", headers=player)
    assert [video["title"] for video in listed.json()] == [title]


class TempFileSizes:
    """Wraps the storage's temp files to record how big each grew before it was removed."""

    def __init__(self, app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> None:
        self.sizes: list[int] = []
        storage = app.state.anb.storage
        original = storage.temp_file

        @contextmanager
        def recorded(suffix: str = "") -> Iterator[Path]:
            with original(suffix) as path:
                try:
                    yield path
                finally:
                    self.sizes.append(path.stat().st_size if path.exists() else 0)

        monkeypatch.setattr(storage, "temp_file", recorded)


class CountingBody:
    """A 64 MiB multipart body, sent in 64 KiB chunks, that counts how much of it the server read."""

    def __init__(self, head: bytes, total: int = 64 * MIB, chunk: int = 64 * 1024) -> None:
        self.head, self.total, self.chunk = head, total, chunk
        self.read = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        self.read += len(self.head)
        yield self.head
        block = b"\0" * self.chunk
        while self.read < self.total:
            self.read += len(block)
            yield block


@pytest.fixture
def one_mib_limit(app: FastAPI) -> int:
    app.state.anb.settings.upload.max_bytes = MIB
    return MIB


async def test_an_oversized_body_without_length_is_cut_off_at_the_limit(
    client: httpx.AsyncClient, app: FastAPI, player: dict[str, str], one_mib_limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp_files = TempFileSizes(app, monkeypatch)
    body = CountingBody(part_head(title_part("x")) + b"x\r\n" + part_head(file_part(b"")))
    request = client.post("/api/videos/upload", headers={**player, "Content-Type": CONTENT_TYPE}, content=body)
    await refused(app, request, "file_too_large")
    # Reading stopped within one chunk of the limit, and the disk never held more than the limit.
    assert body.read <= one_mib_limit + 2 * body.chunk
    assert temp_files.sizes and max(temp_files.sizes) <= one_mib_limit


async def test_an_oversized_declared_length_is_refused_before_reading(
    client: httpx.AsyncClient, app: FastAPI, player: dict[str, str], one_mib_limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp_files = TempFileSizes(app, monkeypatch)
    body = CountingBody(part_head(file_part(b"")))
    headers = {**player, "Content-Type": CONTENT_TYPE, "Content-Length": str(body.total)}
    await refused(app, client.post("/api/videos/upload", headers=headers, content=body), "file_too_large")
    assert body.read == 0
    assert max(temp_files.sizes, default=0) == 0


async def test_others_are_served_while_a_hostile_upload_trickles_in(
    client: httpx.AsyncClient, app: FastAPI, player: dict[str, str], hostile: dict[str, Path]
) -> None:
    """The upload parks half-way; health, the gallery and another player's list answer meanwhile."""
    other = bearer((await signup_and_login(client))["access_token"])
    halfway, release = asyncio.Event(), asyncio.Event()
    pdf = hostile["pdf"].read_bytes()

    async def trickle() -> AsyncIterator[bytes]:
        yield part_head(title_part("lenta")) + b"lenta\r\n" + part_head(file_part(b"")) + pdf[:10]
        halfway.set()
        await release.wait()
        yield pdf[10:] + b"\r\n--anb-hostile-boundary--\r\n"

    headers = {**player, "Content-Type": CONTENT_TYPE}
    request = client.post("/api/videos/upload", headers=headers, content=trickle())
    upload = asyncio.create_task(refused(app, request, "unsupported_format"))
    await asyncio.wait_for(halfway.wait(), GUARD_SECONDS)
    others = await asyncio.wait_for(
        asyncio.gather(
            client.get("/api/health"), client.get("/api/public/videos"), client.get("/api/videos", headers=other)
        ),
        GUARD_SECONDS,
    )
    assert [answer.status_code for answer in others] == [200, 200, 200]
    assert not upload.done()
    release.set()
    await asyncio.wait_for(upload, GUARD_SECONDS)
