"""Resumable direct uploads on S3 (a real S3-compatible server on loopback: parts PUT to presigned
URLs) and on local disk (the tus 1.0 endpoint): resume after a cut, a part replayed, a completion
without parts, a size lie, an expired upload, another player's upload id."""

from __future__ import annotations

import base64
import dataclasses
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from anb.videos.direct_uploads import Ticket, TicketSigner
from bench.harness.clips import pad_mp4
from tests.support.accounts import bearer, signup_and_login

MIB = 1024 * 1024
TUS = {"Tus-Resumable": "1.0.0"}


@pytest.fixture(scope="module")
def large(clips: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A valid 20 MB upload: three S3 parts of 8, 8 and 4 MB."""
    return pad_mp4(clips["good"], tmp_path_factory.mktemp("direct") / "large.mp4", 20 * MIB).read_bytes()


async def _player(client: httpx.AsyncClient) -> dict[str, str]:
    return bearer((await signup_and_login(client))["access_token"])


async def _open(client: httpx.AsyncClient, player: dict[str, str], size: int, title: str = "Triple") -> dict:
    answer = await client.post(
        "/api/videos/uploads", headers=player, json={"title": title, "size": size, "content_type": "video/mp4"}
    )
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


def _put_parts(parts: list[dict], data: bytes, only: set[int] | None = None) -> list[dict]:
    """PUT the parts (``only`` some) as a browser does; their numbers and the ETags S3 answered."""
    sent = []
    with httpx.Client(timeout=60) as browser:
        offset = 0
        for part in parts:
            if only is None or part["number"] in only:
                put = browser.put(part["url"], content=data[offset : offset + part["size"]])
                assert put.status_code == 200, put.text
                sent.append({"number": part["number"], "etag": put.headers["ETag"]})
            offset += part["size"]
    return sent


async def _complete(
    client: httpx.AsyncClient, player: dict[str, str], opened: dict, parts: list[dict]
) -> httpx.Response:
    return await client.post(
        f"/api/videos/uploads/{opened['upload_id']}/complete", headers=player, json={"parts": parts}
    )


def _bucket_keys(client: httpx.AsyncClient) -> list[str]:
    storage = client.app.state.anb.storage  # type: ignore[attr-defined]
    return [item["Key"] for item in storage._client.list_objects_v2(Bucket=storage.bucket).get("Contents", [])]


# S3: parts straight to the bucket.


async def test_s3_upload_resumes_after_a_cut_mid_part_and_takes_a_replayed_part(
    s3_client: httpx.AsyncClient, large: bytes
) -> None:
    player = await _player(s3_client)
    opened = await _open(s3_client, player, len(large))
    assert opened["protocol"] == "s3" and [p["size"] for p in opened["parts"]] == [8 * MIB, 8 * MIB, 4 * MIB]
    [first] = _put_parts(opened["parts"], large, only={1})
    second = opened["parts"][1]

    def cut() -> Iterator[bytes]:
        yield large[8 * MIB : 12 * MIB]
        raise ConnectionResetError("network dropped mid-part")

    with httpx.Client(timeout=60) as browser, pytest.raises(ConnectionResetError):
        browser.put(second["url"], content=cut(), headers={"Content-Length": str(second["size"])})
    state = (await s3_client.get(f"/api/videos/uploads/{opened['upload_id']}", headers=player)).json()
    assert [(p["number"], p["etag"]) for p in state["uploaded_parts"]] == [(1, first["etag"])], "the cut part is gone"
    sent = _put_parts(state["parts"], large, only={1, 2, 3})  # resumes: part 1 replayed, 2 and 3 sent
    done = await _complete(s3_client, player, opened, sent[::-1])  # in any order
    assert done.status_code == 201, done.text
    video_id = done.json()["video_id"]
    assert video_id == opened["video_id"]
    storage = s3_client.app.state.anb.storage  # type: ignore[attr-defined]
    with storage.open_read(f"videos/{video_id}/original.mp4") as stored:
        assert stored.read() == large
    detail = (await s3_client.get(f"/api/videos/{video_id}", headers=player)).json()
    assert detail["status"] == "uploaded" and detail["title"] == "Triple"
    # S3 accepts a completion again (so does the test server): the video's row refuses it, and the
    # first completion's files stay.
    again = await _complete(s3_client, player, opened, sent)
    assert again.status_code == 404 and again.json()["code"] == "upload_not_found", "completed twice"
    assert _bucket_keys(s3_client) == [f"videos/{video_id}/original.mp4"]


async def test_s3_completion_without_parts_or_with_a_size_lie_is_refused(
    s3_client: httpx.AsyncClient, large: bytes
) -> None:
    player = await _player(s3_client)
    empty = await _open(s3_client, player, len(large))
    answer = await s3_client.post(f"/api/videos/uploads/{empty['upload_id']}/complete", headers=player)
    assert answer.status_code == 400 and answer.json()["code"] == "upload_incomplete", answer.text
    assert f"se recibieron 0 de {len(large)} bytes" in answer.json()["detail"]
    lie = await _open(s3_client, player, len(large) + 3 * MIB)  # the file is 3 MB shorter than announced
    sent = _put_parts(lie["parts"][:-1], large)
    answer = await _complete(s3_client, player, lie, sent)
    assert answer.status_code == 400 and answer.json()["code"] == "upload_incomplete"
    assert _bucket_keys(s3_client) == [], "nothing was stored as an object"


async def test_s3_a_last_part_shorter_than_its_url_signed_is_caught_by_the_joined_size(
    s3_client: httpx.AsyncClient, large: bytes
) -> None:
    """S3 refuses a part whose length is not the one its URL signed; the test server does not, like
    some S3-compatible servers: the joined object's size (the ranged read's Content-Range) is checked."""
    player = await _player(s3_client)
    lie = await _open(s3_client, player, len(large) + MIB)  # parts of 8, 8 and 5 MB; the last one sent has 4
    sent = _put_parts(lie["parts"], large)
    answer = await _complete(s3_client, player, lie, sent)
    assert answer.status_code == 400 and answer.json()["code"] == "upload_incomplete", answer.text
    assert f"se recibieron {len(large)} de {len(large) + MIB} bytes" in answer.json()["detail"]
    assert _bucket_keys(s3_client) == [], "the joined object was removed"


async def test_s3_a_completion_with_a_forged_or_missing_etag_is_refused_and_can_be_retried(
    s3_client: httpx.AsyncClient, large: bytes
) -> None:
    player = await _player(s3_client)
    opened = await _open(s3_client, player, len(large))
    sent = _put_parts(opened["parts"], large)
    forged = [sent[0], {**sent[1], "etag": '"0123456789abcdef0123456789abcdef"'}, sent[2]]
    twice = [*sent, sent[0]]
    outside = [*sent, {"number": 4, "etag": sent[0]["etag"]}]
    for parts in (forged, twice, outside):
        answer = await _complete(s3_client, player, opened, parts)
        assert answer.status_code == 400 and answer.json()["code"] == "upload_parts_rejected", answer.text
        assert "ETag" in answer.json()["detail"]
    assert _bucket_keys(s3_client) == [], "nothing joined"
    done = await _complete(s3_client, player, opened, sent)
    assert done.status_code == 201, "the upload stayed open: completed with the right ETags"


async def test_s3_an_upload_that_is_not_a_video_is_refused_and_removed(
    s3_client: httpx.AsyncClient, clips: dict[str, Path]
) -> None:
    player = await _player(s3_client)
    data = clips["truncated"].read_bytes()
    opened = await _open(s3_client, player, len(data))
    answer = await _complete(s3_client, player, opened, _put_parts(opened["parts"], data))
    assert answer.status_code == 400 and answer.json()["code"] == "corrupt_video"
    assert _bucket_keys(s3_client) == []


async def test_s3_another_players_upload_and_an_expired_upload(s3_client: httpx.AsyncClient, large: bytes) -> None:
    owner, other = await _player(s3_client), await _player(s3_client)
    opened = await _open(s3_client, owner, len(large))
    for method, path in [("GET", ""), ("POST", "/complete"), ("DELETE", "")]:
        answer = await s3_client.request(method, f"/api/videos/uploads/{opened['upload_id']}{path}", headers=other)
        assert answer.status_code == 403 and answer.json()["code"] == "not_upload_owner"
    forged = opened["upload_id"][:-2] + ("AA" if not opened["upload_id"].endswith("AA") else "BB")
    assert (await s3_client.get(f"/api/videos/uploads/{forged}", headers=owner)).status_code == 404
    expired = _expired(s3_client.app, opened["upload_id"])  # type: ignore[attr-defined]
    answer = await s3_client.post(f"/api/videos/uploads/{expired}/complete", headers=owner)
    assert answer.status_code == 410 and answer.json()["code"] == "upload_expired"
    assert (await s3_client.delete(f"/api/videos/uploads/{opened['upload_id']}", headers=owner)).status_code == 204
    assert (await s3_client.get(f"/api/videos/uploads/{opened['upload_id']}", headers=owner)).status_code == 404


def _expired(app: FastAPI, token: str) -> str:
    """The same upload signed by the server's key with an expiry in the past (time passing, quickly)."""
    signer = TicketSigner(app.state.anb.settings.secret_key.get_secret_value().encode())
    ticket: Ticket = signer.read(token)
    return signer.sign(dataclasses.replace(ticket, expires_at=int(time.time()) - 1))


# Local disk: tus 1.0.


def _metadata(**pairs: str) -> str:
    return ",".join(f"{key} {base64.b64encode(value.encode()).decode()}" for key, value in pairs.items())


async def _create(client: httpx.AsyncClient, player: dict[str, str], size: int) -> str:
    answer = await client.post(
        "/api/videos/tus",
        headers={
            **player,
            **TUS,
            "Upload-Length": str(size),
            "Upload-Metadata": _metadata(title="Tapón", filetype="video/mp4"),
        },
    )
    assert answer.status_code == 201, answer.text
    assert answer.headers["Tus-Resumable"] == "1.0.0" and answer.headers["Upload-Expires"].endswith("GMT")
    return answer.headers["Location"]


async def _patch(
    client: httpx.AsyncClient, player: dict[str, str], url: str, offset: int, body: bytes
) -> httpx.Response:
    headers = {**player, **TUS, "Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"}
    return await client.patch(url, headers=headers, content=body)


async def test_tus_capabilities_and_version(client: httpx.AsyncClient) -> None:
    options = await client.options("/api/videos/tus")
    assert options.status_code == 204
    assert options.headers["Tus-Version"] == "1.0.0"
    assert set(options.headers["Tus-Extension"].split(",")) == {"creation", "expiration", "termination"}
    assert int(options.headers["Tus-Max-Size"]) == 100 * MIB
    player = await _player(client)
    refused = await client.post("/api/videos/tus", headers={**player, "Tus-Resumable": "0.2.2", "Upload-Length": "1"})
    assert refused.status_code == 412 and refused.headers["Tus-Version"] == "1.0.0"


async def test_tus_upload_resumes_at_the_offset_and_refuses_a_replay(
    client: httpx.AsyncClient, app: FastAPI, large: bytes
) -> None:
    player = await _player(client)
    url = await _create(client, player, len(large))
    first = await _patch(client, player, url, 0, large[: 5 * MIB + 123])  # what arrived before a drop
    assert first.status_code == 204 and first.headers["Upload-Offset"] == str(5 * MIB + 123)
    head = await client.head(url, headers={**player, **TUS})
    assert head.status_code == 200 and head.headers["Upload-Offset"] == str(5 * MIB + 123)
    assert head.headers["Upload-Length"] == str(len(large)) and head.headers["Cache-Control"] == "no-store"
    replay = await _patch(client, player, url, 0, large[: 5 * MIB + 123])  # the same bytes sent again
    assert replay.status_code == 409
    early = await client.post(f"/api/videos/uploads/{url.rsplit('/', 1)[1]}/complete", headers=player)
    assert early.status_code == 400 and early.json()["code"] == "upload_incomplete"
    rest = await _patch(client, player, url, 5 * MIB + 123, large[5 * MIB + 123 :])
    assert rest.status_code == 204 and rest.headers["Upload-Offset"] == str(len(large))
    done = await client.post(f"/api/videos/uploads/{url.rsplit('/', 1)[1]}/complete", headers=player)
    assert done.status_code == 201, done.text
    stored = app.state.anb.storage.resolve(f"videos/{done.json()['video_id']}/original.mp4")
    assert stored.read_bytes() == large
    assert not list(app.state.anb.storage.temp_dir.glob("tus-*")), "the received file was moved, not copied"


async def test_tus_size_lie_termination_and_another_players_upload(
    client: httpx.AsyncClient, app: FastAPI, clips: dict[str, Path]
) -> None:
    player, other = await _player(client), await _player(client)
    data = clips["good"].read_bytes()
    url = await _create(client, player, len(data))
    too_much = await _patch(client, player, url, 0, data + b"extra")
    assert too_much.status_code == 413
    assert (await client.head(url, headers={**player, **TUS})).headers["Upload-Offset"] == "0", "nothing kept"
    for method in ("HEAD", "PATCH", "DELETE"):
        answer = await client.request(
            method,
            url,
            headers={**other, **TUS, "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"},
        )
        assert answer.status_code == 403
    assert (await client.delete(url, headers={**player, **TUS})).status_code == 204
    assert (await client.head(url, headers={**player, **TUS})).status_code == 410
    assert not list(app.state.anb.storage.temp_dir.glob("tus-*"))


async def test_tus_an_idle_upload_expires_by_the_sweeper(
    client: httpx.AsyncClient, app: FastAPI, clips: dict[str, Path]
) -> None:
    player = await _player(client)
    data = clips["good"].read_bytes()
    url = await _create(client, player, len(data))
    assert (await _patch(client, player, url, 0, data[:1000])).status_code == 204
    storage = app.state.anb.storage
    [received] = storage.temp_dir.glob("tus-*")
    idle = app.state.anb.settings.jobs.temp_file_max_idle_seconds
    old = time.time() - idle - 1
    import os

    os.utime(received, (old, old))
    assert storage.remove_stale_temp_files(idle) == 1
    assert (await client.head(url, headers={**player, **TUS})).status_code == 410
    answer = await _patch(client, player, url, 1000, data[1000:])
    assert answer.status_code == 410 and answer.json()["code"] == "upload_expired"
