"""A whole contest through the API of a real ``anb serve`` with a short window, on both backends:
players upload, fans confirm their email by the mailed link and vote, a vote after the close is
refused, the sweeper closes, each city's squad is published, the export verifies, a tampered one not."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from bench.harness.clips import make_clip
from bench.harness.processes import wait_until
from tests.contest.journey import (
    confirmation_token,
    export_and_verify,
    log_in,
    running_contest,
    sign_up,
    upload,
    vote,
    wait_published,
    wait_results,
)
from tests.support.smtp_server import LOGIN_WITHOUT_TLS

pytestmark = [pytest.mark.slow, LOGIN_WITHOUT_TLS]


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_clip(tmp_path_factory.mktemp("contest-clip") / "good.mp4")


def test_a_whole_contest(fresh_database_url: str, tmp_path: Path, clip: Path) -> None:
    with running_contest(tmp_path, fresh_database_url) as contest:
        base = contest.base_url
        contest.set_window(-60, 3600)
        ana = log_in(base, sign_up(base, "Ana", "Pérez", "Bogotá"))
        beto = log_in(base, sign_up(base, "Beto", "Ruiz", "bogota"))
        carla = log_in(base, sign_up(base, "Carla", "Mora", "Cali"))
        videos = {name: upload(base, headers, clip, f"Jugada de {name}")
                  for name, headers in (("ana", ana), ("beto", beto), ("carla", carla))}  # fmt: skip
        for name, headers in (("ana", ana), ("beto", beto), ("carla", carla)):
            wait_published(base, headers, videos[name])

        fans = []
        for index in range(3):
            email = sign_up(base, f"Fan{index}", "Hincha", "Medellín")
            headers = log_in(base, email)
            refused = vote(base, headers, videos["ana"])
            assert refused.status_code == 403 and refused.json()["code"] == "email_unconfirmed"
            token = confirmation_token(contest.mailbox.link_to(email))
            confirmed = vote(base, headers, videos["ana"])
            assert confirmed.status_code == 403  # not until the link is followed
            answer = httpx.post(f"{base}/api/auth/confirm", json={"token": token}, timeout=30)
            assert answer.json() == {"message": "Email confirmado. Ya puedes votar."}
            fans.append(headers)
        for headers in fans:
            assert vote(base, headers, videos["ana"]).status_code == 200
        assert vote(base, fans[0], videos["beto"]).status_code == 200
        assert vote(base, fans[1], videos["carla"]).status_code == 200

        contest.set_window(-60, 3)
        wait_until(lambda: contest.contest()["phase"] == "closed", 30, "voting closes")
        late = vote(base, fans[2], videos["carla"])
        assert late.status_code == 400 and late.json()["code"] == "voting_closed"
        assert "La votación está cerrada: estuvo abierta del" in late.json()["detail"]

        results = wait_results(base)
        squads = {city["city"]: [p["name"] for p in city["players"] if p["squad"]] for city in results["standings"]}
        assert squads == {"Bogotá": ["Ana Pérez"], "Cali": ["Carla Mora"]}
        export_and_verify(contest, tmp_path / "export")
