"""A whole contest against a real ``anb serve``, as API steps: the browser journey (tests/web) and
the API-only journey (both backends) compose them."""

from __future__ import annotations

import json
import os
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from anb.contest_rules.rules import iso_utc
from anb.db.base import utcnow
from bench.harness.processes import ANB, anb_serve, wait_until
from tests.support.smtp_server import Mailbox, smtp_server

PASSWORD = "Canasta2024"


@dataclass
class Contest:
    base_url: str
    env: dict[str, str]
    mailbox: Mailbox
    operator: dict[str, str]

    def anb(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [ANB, *args], env={**os.environ, **self.env}, capture_output=True, text=True, timeout=120, check=False
        )

    def set_window(self, opens_in: float, closes_in: float) -> None:
        now = utcnow()
        body = {
            "opens_at": iso_utc(now + timedelta(seconds=opens_in)),
            "closes_at": iso_utc(now + timedelta(seconds=closes_in)),
            "squad_size": 1,
        }
        answer = httpx.put(f"{self.base_url}/api/admin/contest", json=body, headers=self.operator, timeout=30)
        assert answer.status_code == 200, answer.text

    def contest(self) -> dict[str, object]:
        return dict(httpx.get(f"{self.base_url}/api/public/contest", timeout=30).json())


@contextmanager
def running_contest(folder: Path, database_url: str | None = None) -> Iterator[Contest]:
    """``anb serve`` mailing through a loopback SMTP server, confirmed voters required, sweeping every
    second (the sweep closes the contest), with an operator signed in."""
    with smtp_server() as mailbox:
        env = {
            "ANB_DATA_DIR": str(folder / "data"),
            "ANB_FFMPEG__PRESET": "ultrafast",
            "ANB_VOTING__PUBLIC_CACHE_TTL_SECONDS": "0",
            "ANB_RATE_LIMIT__SIGNUP_PER_ADDRESS": "1000/hour",
            "ANB_VOTING__REQUIRE_CONFIRMED_EMAIL": "true",
            "ANB_SMTP_URL": mailbox.url,
            "ANB_JOBS__SWEEP_INTERVAL_SECONDS": "1",
            "ANB_CONTEST__RULES_CACHE_SECONDS": "1",
            "ANB_CONTEST__CLOSE_GRACE_SECONDS": "1",
        }
        if database_url:
            env["ANB_DATABASE__URL"] = database_url
        with anb_serve(env, folder / "serve.log") as base_url:
            contest = Contest(base_url, env, mailbox, {})
            email = sign_up(base_url, "Olga", "Operadora", "Bogotá")
            granted = contest.anb("users", "grant-operator", email)
            assert granted.returncode == 0, granted.stderr
            contest.operator.update(log_in(base_url, email))
            yield contest


def sign_up(base_url: str, first: str, last: str, city: str) -> str:
    email = f"{first.lower()}-{uuid.uuid4().hex[:8]}@example.com"
    body = {"first_name": first, "last_name": last, "email": email, "password1": PASSWORD, "password2": PASSWORD,
            "city": city, "country": "Colombia"}  # fmt: skip
    answer = httpx.post(f"{base_url}/api/auth/signup", json=body, timeout=30)
    assert answer.status_code == 201, answer.text
    return email


def log_in(base_url: str, email: str) -> dict[str, str]:
    answer = httpx.post(f"{base_url}/api/auth/login", json={"email": email, "password": PASSWORD}, timeout=30)
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def confirmation_token(link: str) -> str:
    route, _, query = urlsplit(link).fragment.partition("?")
    assert route == "/confirmar", link
    return parse_qs(query)["token"][0]


def upload(base_url: str, headers: dict[str, str], clip: Path, title: str) -> str:
    with clip.open("rb") as handle:
        answer = httpx.post(
            f"{base_url}/api/videos/upload",
            headers=headers,
            data={"title": title},
            files={"video_file": (clip.name, handle, "video/mp4")},
            timeout=120,
        )
    assert answer.status_code == 201, answer.text
    return str(answer.json()["video_id"])


def wait_published(base_url: str, headers: dict[str, str], video_id: str) -> None:
    def published() -> bool:
        status = httpx.get(f"{base_url}/api/videos/{video_id}", headers=headers, timeout=30).json()["status"]
        assert status != "failed"
        return bool(status == "processed")

    wait_until(published, 240, f"video {video_id} published")


def vote(base_url: str, headers: dict[str, str], video_id: str) -> httpx.Response:
    return httpx.post(f"{base_url}/api/public/videos/{video_id}/vote", headers=headers, timeout=30)


def wait_results(base_url: str) -> dict[str, Any]:
    wait_until(lambda: httpx.get(f"{base_url}/api/public/results", timeout=30).status_code == 200, 60, "the close")
    return dict(httpx.get(f"{base_url}/api/public/results", timeout=30).json())


def export_and_verify(contest: Contest, folder: Path) -> None:
    """The export verifies against the published result; one changed line of it does not."""
    exported = contest.anb("contest", "export", str(folder))
    assert exported.returncode == 0, exported.stderr
    published = f"{contest.base_url}/api/public/results"
    verified = contest.anb("contest", "verify", str(folder / "contest.json"), "--published", published)
    assert verified.returncode == 0, verified.stderr
    text = (folder / "contest.json").read_text()
    line = next(line for line in text.splitlines() if '"voter"' in line)
    forged = line.replace(json.loads("{" + line.strip().rstrip(",") + "}")["voter"], "0" * 32)
    tampered = folder / "tampered.json"
    tampered.write_text(text.replace(line, forged, 1))
    refused = contest.anb("contest", "verify", str(tampered), "--published", published)
    assert refused.returncode == 1 and "MISMATCH" in refused.stderr
