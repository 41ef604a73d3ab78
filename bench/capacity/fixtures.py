"""What the virtual users of scenario 1 need, created against the target through its own API.

Accounts are signed up and logged in here, before the load starts, so that the measured run holds
no sign-up burst and every virtual user has its own account (votes never collide: one vote per user
per video). The result is a JSON file that every Locust process reads once.
"""

from __future__ import annotations

import json
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx

PASSWORD = "Canasta2024"  # noqa: S105 - the password of throw-away load-test accounts
# The gallery is read in pages of the API's maximum size.
PAGE = 100


@dataclass
class Account:
    email: str
    password: str
    token: str


@dataclass
class Fixtures:
    accounts: list[Account]
    published_video_ids: list[str]
    city_keys: list[str]
    # label ("4MB") → path of a valid MP4 the users upload
    uploads: dict[str, str] = field(default_factory=dict)

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self)))

    @classmethod
    def read(cls, path: Path) -> Fixtures:
        raw = json.loads(path.read_text())
        return cls(
            [Account(**a) for a in raw["accounts"]], raw["published_video_ids"], raw["city_keys"], raw["uploads"]
        )


def _account(client: httpx.Client, email: str) -> Account:
    body = {
        "first_name": "Carga",
        "last_name": "Prueba",
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "city": "Cali",
        "country": "Colombia",
    }
    client.post("/api/auth/signup", json=body).raise_for_status()
    answer = client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    answer.raise_for_status()
    return Account(email, PASSWORD, str(answer.json()["access_token"]))


def _published_ids(client: httpx.Client, wanted: int) -> list[str]:
    ids: list[str] = []
    while len(ids) < wanted:
        page = client.get("/api/public/videos", params={"limit": PAGE, "offset": len(ids)})
        page.raise_for_status()
        ids += [str(video["video_id"]) for video in page.json()]
        if len(page.json()) < PAGE:
            break
    return ids[:wanted]


def create(base_url: str, accounts: int, uploads: dict[str, Path], videos_wanted: int = 2000) -> Fixtures:
    run = uuid.uuid4().hex[:8]
    with httpx.Client(base_url=base_url, timeout=60) as client:
        # A few at once: sign-up and login hash passwords on purpose slowly (Argon2).
        with ThreadPoolExecutor(max_workers=4) as pool:
            made = list(pool.map(lambda n: _account(client, f"load-{run}-{n}@example.com"), range(accounts)))
        cities = client.get("/api/public/cities")
        cities.raise_for_status()
        return Fixtures(
            made,
            _published_ids(client, videos_wanted),
            [str(city["key"]) for city in cities.json()],
            {label: str(path) for label, path in uploads.items()},
        )
