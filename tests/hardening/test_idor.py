"""Owner routes, tried by another player (insecure direct object references): player B can neither
read, list, delete nor reach the files of player A's video, by id or by a crafted media URL; the
spec's answer is 403 for an existing video of someone else and 404 for an unknown id."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from tests.support.accounts import bearer, signup_and_login
from tests.videos.test_upload import _stored_files


@dataclass
class Player:
    headers: dict[str, str]
    user_id: str
    video_id: str
    title: str


async def _player_with_video(client: httpx.AsyncClient, clip: Path, title: str, **form: str) -> Player:
    session = await signup_and_login(client)
    headers = bearer(session["access_token"])
    with clip.open("rb") as handle:
        answer = await client.post(
            "/api/videos/upload", headers=headers, data={"title": title, **form}, files={"video_file": handle}
        )
    assert answer.status_code == 201, answer.text
    return Player(headers, session["user_id"], answer.json()["video_id"], title)


@pytest.fixture
async def players(client: httpx.AsyncClient, clips: dict[str, Path]) -> tuple[Player, Player]:
    owner = await _player_with_video(client, clips["good"], "Clavada secreta de A")
    intruder = await _player_with_video(client, clips["good"], "Video de B")
    return owner, intruder


def _assert_refused_without_leak(answer: httpx.Response, status: int, owner: Player) -> None:
    assert answer.status_code == status, answer.text
    assert owner.title not in answer.text and "/media/" not in answer.text


async def test_another_player_cannot_read_or_delete_a_video(
    client: httpx.AsyncClient, app: FastAPI, players: tuple[Player, Player]
) -> None:
    owner, intruder = players
    files = _stored_files(app)
    for method in ("GET", "DELETE"):
        answer = await client.request(method, f"/api/videos/{owner.video_id}", headers=intruder.headers)
        _assert_refused_without_leak(answer, 403, owner)
        assert answer.json()["code"] == "not_video_owner"
    # Nothing changed for the owner.
    assert (await client.get(f"/api/videos/{owner.video_id}", headers=owner.headers)).status_code == 200
    assert _stored_files(app) == files


async def test_unknown_ids_are_404_whatever_their_shape(
    client: httpx.AsyncClient, players: tuple[Player, Player]
) -> None:
    owner, intruder = players
    for unknown in (str(uuid.uuid4()), "99999", "../" + owner.video_id, owner.video_id.upper() + "0"):
        for method in ("GET", "DELETE"):
            answer = await client.request(method, f"/api/videos/{unknown}", headers=intruder.headers)
            _assert_refused_without_leak(answer, 404, owner)


async def test_lists_hold_only_the_players_own_videos(
    client: httpx.AsyncClient, players: tuple[Player, Player]
) -> None:
    owner, intruder = players
    for player in players:
        listed = (await client.get("/api/videos?limit=100", headers=player.headers)).json()
        assert [video["video_id"] for video in listed] == [player.video_id]
    # Unpublished videos are not public either, by list, by id or by vote.
    gallery = (await client.get("/api/public/videos?limit=100")).json()
    assert owner.video_id not in {video["video_id"] for video in gallery}
    assert (await client.get(f"/api/public/videos/{owner.video_id}")).status_code == 404
    vote = await client.post(f"/api/public/videos/{owner.video_id}/vote", headers=intruder.headers)
    assert vote.status_code == 404


async def test_media_urls_cannot_be_guessed_or_rewritten(
    client: httpx.AsyncClient, players: tuple[Player, Player]
) -> None:
    owner, intruder = players
    own_url = (await client.get(f"/api/videos/{intruder.video_id}", headers=intruder.headers)).json()["original_url"]
    assert (await client.get(own_url)).status_code == 200
    # B's valid signature does not open A's file, nor does a bare or forged URL.
    for url in (
        own_url.replace(intruder.video_id, owner.video_id),
        f"/media/videos/{owner.video_id}/original.mp4",
        f"/media/videos/{owner.video_id}/original.mp4?exp=99999999999&sig=AAAA",
    ):
        answer = await client.get(url)
        assert answer.status_code == 403, url
        assert answer.content.startswith(b"{")  # the error body, never the file


async def test_identity_comes_only_from_the_token(
    client: httpx.AsyncClient, clips: dict[str, Path], players: tuple[Player, Player]
) -> None:
    owner, _ = players
    # Fields naming another player are ignored: the upload belongs to whoever holds the token.
    third = await _player_with_video(
        client, clips["good"], "Subido a nombre de otro", owner_id=owner.user_id, user_id=owner.user_id
    )
    listed = (await client.get("/api/videos?limit=100", headers=owner.headers)).json()
    assert third.video_id not in {video["video_id"] for video in listed}
    assert (await client.get(f"/api/videos/{third.video_id}", headers=third.headers)).status_code == 200
