"""A small, real showcase for the browser tests, the Lighthouse check and the screenshots: players
(two of them namesakes) who upload a generated clip through the API, the embedded workers publish
it, and a fan votes. Everything goes through the service's HTTP API, nothing into its database."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from anb.accounts.models import User
from anb.db.base import utcnow
from anb.videos.models import Video, VideoStatus
from bench.harness.signup import signup_body

PROCESSING_TIMEOUT_S = 180
PASSWORD = str(signup_body()["password1"])


@dataclass
class Showcase:
    base_url: str
    # Title -> video id, and username -> player id, of what was published.
    videos: dict[str, str] = field(default_factory=dict)
    players: dict[str, str] = field(default_factory=dict)
    # Emails by the same keys as ``players``, to log in as one of them.
    emails: dict[str, str] = field(default_factory=dict)


def token(base_url: str, email: str) -> str:
    answer = httpx.post(f"{base_url}/api/auth/login", json={"email": email, "password": PASSWORD}, timeout=30)
    answer.raise_for_status()
    return str(answer.json()["access_token"])


def upload(base_url: str, access_token: str, title: str, clip: Path) -> str:
    with clip.open("rb") as body:
        answer = httpx.post(
            f"{base_url}/api/videos/upload",
            headers={"Authorization": f"Bearer {access_token}"},
            data={"title": title},
            files={"video_file": (clip.name, body, "video/mp4")},
            timeout=120,
        )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["video_id"])


def wait_published(base_url: str, video_ids: list[str]) -> None:
    deadline = time.monotonic() + PROCESSING_TIMEOUT_S
    pending = set(video_ids)
    while pending and time.monotonic() < deadline:
        pending = {v for v in pending if httpx.get(f"{base_url}/api/public/videos/{v}", timeout=30).status_code != 200}
        time.sleep(0.5)
    assert not pending, f"not published within {PROCESSING_TIMEOUT_S} s: {pending}"


def vote(base_url: str, access_token: str, video_id: str) -> None:
    answer = httpx.post(
        f"{base_url}/api/public/videos/{video_id}/vote", headers={"Authorization": f"Bearer {access_token}"}, timeout=30
    )
    assert answer.status_code == 200, answer.text


def build_showcase(
    base_url: str, clip: Path, tag: str, cities: tuple[str, str] = ("Cartagena", "Barranquilla")
) -> Showcase:
    """Three published videos of three players, two of them "John Doe" (one in each city), and votes.

    ``tag`` makes the titles this call's own; showcases that share one service need ``cities`` of
    their own too, or their players become namesakes of one another ("John Doe (Cali, 2)").
    """
    first, second = cities
    site = Showcase(base_url)
    uploads = [
        (signup_body(first_name="John", last_name="Doe", city=first), f"Bandeja {tag}"),
        (signup_body(first_name="John", last_name="Doe", city=second), f"Triple {tag}"),
        (signup_body(first_name="Valentina", last_name="Ríos", city=second), f"Clavada {tag}"),
    ]
    ids = []
    for body, title in uploads:
        created = httpx.post(f"{base_url}/api/auth/signup", json=body, timeout=30)
        assert created.status_code == 201, created.text
        video_id = upload(base_url, token(base_url, body["email"]), title, clip)
        site.videos[title] = video_id
        ids.append(video_id)
    wait_published(base_url, ids)
    for body, title in uploads:
        detail = httpx.get(f"{base_url}/api/public/gallery/{site.videos[title]}", timeout=30).json()
        key = f"{body['first_name']} {body['last_name']} ({body['city']})"
        site.players[key] = detail["player_id"]
        site.emails[key] = body["email"]
    # Two fans: the second city's "Triple" gets two votes, the "Clavada" one.
    for number in (1, 2):
        fan = signup_body()
        created = httpx.post(
            f"{base_url}/api/auth/signup/fan",
            json={"name": f"Fan {number}", "email": fan["email"], "password1": PASSWORD, "password2": PASSWORD},
            timeout=30,
        )
        assert created.status_code == 201, created.text
        fan_token = token(base_url, fan["email"])
        vote(base_url, fan_token, site.videos[f"Triple {tag}"])
        if number == 1:
            vote(base_url, fan_token, site.videos[f"Clavada {tag}"])
    return site


def add_rows(
    data_dir: Path, *, like_video: str, owner_email: str, count: int, status: str, reason: str | None = None
) -> None:
    """Video rows written straight into the service's SQLite database, as the voting tests do:
    publishing is the workers' job, and a gallery of more than a page or a failed job would take
    minutes of real processing. They reuse the media keys of ``like_video`` so their posters load."""
    engine = create_engine(f"sqlite:///{data_dir / 'anb.sqlite3'}")
    try:
        with Session(engine) as db:
            model = db.get(Video, uuid.UUID(like_video))
            owner = db.scalars(select(User).where(User.email == owner_email)).one()
            assert model is not None
            published = status == VideoStatus.PROCESSED
            for number in range(count):
                db.add(
                    Video(
                        owner_id=owner.id,
                        title=f"Jugada {number + 1:02d}",
                        status=VideoStatus(status),
                        original_key=model.original_key,
                        processed_key=model.processed_key if published else None,
                        poster_key=model.poster_key if published else None,
                        size_bytes=model.size_bytes,
                        duration_seconds=model.duration_seconds,
                        width=model.width,
                        height=model.height,
                        processed_at=utcnow() if published else None,
                        failure_reason=reason,
                    )
                )
            db.commit()
    finally:
        engine.dispose()
