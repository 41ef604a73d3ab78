"""Real uploads of generated clips through the API, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from anb.videos.models import Video
from tests.support.accounts import bearer, signup_and_login


async def _upload(
    client: httpx.AsyncClient, token: str, path: Path, title: str | None = "Mi mejor jugada", field: str = "video_file"
) -> httpx.Response:
    data = {} if title is None else {"title": title}
    with path.open("rb") as handle:
        return await client.post(
            "/api/videos/upload", headers=bearer(token), data=data, files={field: (path.name, handle, "video/mp4")}
        )


async def _video_count(app: FastAPI) -> int:
    async with app.state.anb.sessions() as db:
        return int(await db.scalar(select(func.count()).select_from(Video)) or 0)


def _stored_files(app: FastAPI) -> list[Path]:
    root = app.state.anb.settings.data_dir / "media"
    return [p for p in root.rglob("*") if p.is_file()]


async def test_upload_accepts_a_1080p_clip(client: httpx.AsyncClient, app: FastAPI, clips: dict[str, Path]) -> None:
    session = await signup_and_login(client)
    answer = await _upload(client, session["access_token"], clips["good"], title="  Triple desde media cancha ")
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["message"] == "Video subido correctamente. Procesamiento en curso."
    assert body["task_id"] == body["video_id"]
    assert answer.headers["location"] == f"/api/videos/{body['video_id']}"
    detail = await client.get(answer.headers["location"], headers=bearer(session["access_token"]))
    assert detail.status_code == 200
    video = detail.json()
    assert set(video) >= {
        "video_id",
        "title",
        "status",
        "uploaded_at",
        "processed_at",
        "original_url",
        "processed_url",
        "votes",
    }
    assert video["title"] == "Triple desde media cancha"
    assert video["status"] == "uploaded"
    assert video["processed_at"] is None and video["processed_url"] is None
    assert video["votes"] == 0
    original = await client.get(video["original_url"])
    assert original.status_code == 200
    assert original.content == clips["good"].read_bytes()


async def test_upload_accepts_vertical_video_and_the_file_alias(
    client: httpx.AsyncClient, clips: dict[str, Path]
) -> None:
    session = await signup_and_login(client)
    answer = await _upload(client, session["access_token"], clips["vertical"], field="file")
    assert answer.status_code == 201, answer.text


@pytest.mark.parametrize(
    ("clip", "code"),
    [
        ("short", "invalid_duration"),
        ("long", "invalid_duration"),
        ("720p", "resolution_too_low"),
        ("pdf", "unsupported_format"),
        ("audio_only", "unsupported_format"),
        ("truncated", "corrupt_video"),
        ("empty", "empty_file"),
    ],
)
async def test_upload_rejections_leave_nothing_behind(
    client: httpx.AsyncClient, app: FastAPI, clips: dict[str, Path], clip: str, code: str
) -> None:
    session = await signup_and_login(client)
    before = await _video_count(app)
    answer = await _upload(client, session["access_token"], clips[clip])
    assert answer.status_code == 400, answer.text
    assert answer.json()["code"] == code
    assert answer.json()["detail"]
    assert await _video_count(app) == before
    assert _stored_files(app) == []


@pytest.mark.parametrize(
    ("title", "code"),
    [(None, "missing_title"), ("", "missing_title"), ("   ", "missing_title"), ("x" * 256, "title_too_long")],
)
async def test_upload_requires_a_valid_title(
    client: httpx.AsyncClient, app: FastAPI, clips: dict[str, Path], title: str | None, code: str
) -> None:
    session = await signup_and_login(client)
    answer = await _upload(client, session["access_token"], clips["good"], title=title)
    assert answer.status_code == 400
    assert answer.json()["code"] == code
    assert _stored_files(app) == []


async def test_upload_without_file_or_not_multipart(client: httpx.AsyncClient) -> None:
    session = await signup_and_login(client)
    headers = bearer(session["access_token"])
    no_file = await client.post("/api/videos/upload", headers=headers, files={"title": (None, "solo título")})
    assert no_file.status_code == 400 and no_file.json()["code"] == "missing_file"
    as_json = await client.post("/api/videos/upload", headers=headers, json={"title": "x"})
    assert as_json.status_code == 400 and as_json.json()["code"] == "not_multipart"


async def test_upload_larger_than_the_limit(client: httpx.AsyncClient, app: FastAPI, clips: dict[str, Path]) -> None:
    app.state.anb.settings.upload.max_bytes = 1024 * 1024
    session = await signup_and_login(client)
    answer = await _upload(client, session["access_token"], clips["good"])
    assert answer.status_code == 400
    assert answer.json()["code"] == "file_too_large"
    assert _stored_files(app) == []


async def test_upload_requires_authentication(client: httpx.AsyncClient, clips: dict[str, Path]) -> None:
    with clips["good"].open("rb") as handle:
        answer = await client.post("/api/videos/upload", files={"video_file": handle}, data={"title": "x"})
    assert answer.status_code == 401
