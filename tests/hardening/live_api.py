"""A player talking to a running ``anb serve`` over real HTTP, for the fault and soak tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx

from bench.harness.processes import wait_until
from bench.harness.signup import signup_body

# Enough for a request that must not hang; every bound in these tests is a client timeout.
TIMEOUT = 30.0
# Generous limits on the servers these tests start: they sign up and upload more than a person would.
GENEROUS_RATE_LIMITS = {
    f"ANB_RATE_LIMIT__{name}": "100000/minute"
    for name in ("VOTE_PER_USER", "VOTE_PER_ADDRESS", "SIGNUP_PER_ADDRESS", "LOGIN_PER_ADDRESS", "UPLOAD_PER_USER")
}


# Upload limits of the servers these tests start, lowered so that a valid clip is small and cheap to
# process (the limits themselves are tested in tests/videos).
SMALL_CLIP_LIMITS = {"ANB_UPLOAD__MIN_DURATION_SECONDS": "1", "ANB_UPLOAD__MIN_SHORT_SIDE": "240"}


def service_env(data_dir: Path) -> dict[str, str]:
    """Environment of an ``anb serve`` for these tests: one embedded worker, small valid clips."""
    return {
        "ANB_DATA_DIR": str(data_dir),
        "ANB_JOBS__CONCURRENCY": "1",
        "ANB_JOBS__POLL_INTERVAL_SECONDS": "0.5",
        "ANB_FFMPEG__PRESET": "ultrafast",
        **SMALL_CLIP_LIMITS,
        **GENEROUS_RATE_LIMITS,
    }


def signup_and_login(http: httpx.Client) -> str:
    """A new player's access token."""
    body = signup_body()
    created = http.post("/api/auth/signup", json=body)
    assert created.status_code == 201, created.text
    login = http.post("/api/auth/login", json={"email": body["email"], "password": body["password1"]})
    assert login.status_code == 200, login.text
    return str(login.json()["access_token"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def upload(http: httpx.Client, token: str, clip: Path, title: str = "Triple en la final") -> httpx.Response:
    with clip.open("rb") as video:
        return http.post(
            "/api/videos/upload",
            headers=bearer(token),
            files={"video_file": (clip.name, video, "video/mp4")},
            data={"title": title},
        )


class StreamedUpload:
    """A multipart upload body the test produces chunk by chunk (a slow client, a cut-off one)."""

    def __init__(self, title: str = "Subida lenta") -> None:
        self.boundary = uuid.uuid4().hex
        self.title = title

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self.boundary}"

    def body(self, file_chunks: Iterator[bytes]) -> Iterator[bytes]:
        head = (
            f"--{self.boundary}\r\n"
            'Content-Disposition: form-data; name="title"\r\n\r\n'
            f"{self.title}\r\n"
            f"--{self.boundary}\r\n"
            'Content-Disposition: form-data; name="video_file"; filename="lenta.mp4"\r\n'
            "Content-Type: video/mp4\r\n\r\n"
        )
        yield head.encode()
        yield from file_chunks
        yield f"\r\n--{self.boundary}--\r\n".encode()


def wait_processed(http: httpx.Client, token: str, video_id: str, timeout: float = 120) -> None:
    """Until the embedded worker published the video (a failed job fails the wait at once)."""

    def processed() -> bool:
        status = http.get(f"/api/videos/{video_id}", headers=bearer(token)).json()["status"]
        assert status != "failed", f"video {video_id} failed to process"
        return bool(status == "processed")

    wait_until(processed, timeout, f"video {video_id} processed")
