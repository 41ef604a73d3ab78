"""The journey every form of the production topology must carry, driven through its edge:
signup -> upload -> processed (by a worker, from S3) -> vote -> ranking."""

from __future__ import annotations

import uuid
from pathlib import Path

import httpx

from bench.harness.processes import wait_until
from bench.harness.signup import signup_body
from tests.contest.journey import confirmation_token
from tests.support.accounts import bearer
from tests.support.smtp_server import Mailbox


def journey(edge: httpx.Client, clip: Path, mailbox: Mailbox | None = None) -> None:
    """With ``mailbox`` (the SMTP server the auth role sends to), voters confirm their email first,
    as production requires (ANB_VOTING__REQUIRE_CONFIRMED_EMAIL)."""
    city = f"Medellín {uuid.uuid4().hex[:6]}"
    player = signup(edge, "/auth/api/v1", city=city)
    # Both account path families reach the auth service; /metrics is not exposed at the edge.
    assert edge.get("/api/auth/me", headers=player).status_code == 200
    assert edge.get("/metrics").status_code == 404

    with clip.open("rb") as handle:
        uploaded = edge.post(
            "/api/videos/upload",
            headers=player,
            data={"title": "Triple desde la esquina"},
            files={"video_file": ("clip.mp4", handle, "video/mp4")},
        )
    assert uploaded.status_code == 201, uploaded.text
    video_id = uploaded.json()["video_id"]

    def processed() -> bool:
        detail = edge.get(f"/api/videos/{video_id}", headers=player).json()
        assert detail["status"] != "failed", detail
        return bool(detail["status"] == "processed")

    # The worker takes the job from RabbitMQ, reads the original from S3 and stores the outputs there.
    wait_until(processed, timeout=150, what=f"video {video_id} processed", interval=1)
    detail = edge.get(f"/api/videos/{video_id}", headers=player).json()
    playable = httpx.get(detail["processed_url"], headers={"Range": "bytes=0-1023"}, timeout=30)
    assert playable.status_code == 206 and len(playable.content) == 1024

    voter_body = signup_body(city=city)
    voter = signup_with(edge, "/api/auth", voter_body)
    if mailbox is not None:
        token = confirmation_token(mailbox.link_to(voter_body["email"], timeout=60))
        assert edge.post("/api/auth/confirm", json={"token": token}).status_code == 200
    assert edge.post(f"/api/public/videos/{video_id}/vote", headers=voter).status_code == 200
    again = edge.post(f"/api/public/videos/{video_id}/vote", headers=voter)
    assert again.status_code == 400 and again.json()["detail"] == "Ya has votado por este video."
    assert edge.get(f"/api/videos/{video_id}", headers=player).json()["votes"] == 1
    # Nothing asked for this city's ranking before the vote, so no server process has it cached.
    rankings = edge.get("/api/public/rankings", params={"city": city})
    assert rankings.status_code == 200
    assert rankings.json() == [{"position": 1, "username": "Ana Pérez", "city": city, "votes": 1}]


def signup(edge: httpx.Client, prefix: str, **overrides: str) -> dict[str, str]:
    return signup_with(edge, prefix, signup_body(**overrides))


def signup_with(edge: httpx.Client, prefix: str, body: dict[str, str]) -> dict[str, str]:
    created = edge.post(f"{prefix}/signup", json=body)
    assert created.status_code == 201, created.text
    login = edge.post(f"{prefix}/login", json={"email": body["email"], "password": body["password1"]})
    assert login.status_code == 200, login.text
    return bearer(login.json()["access_token"])
