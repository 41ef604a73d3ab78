"""The operators' page (#/admin) in Chromium against a real ``anb serve`` whose embedded sweeper runs
the vote scan: a ring's held votes appear as a flag with its evidence, are partly restored from the
player's timeline, the rest confirmed, and the audit log shows every step. A player is refused."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect
from sqlalchemy import func, insert, select

from anb.accounts.models import User
from anb.db.base import utcnow
from anb.db.engine import create_sync_db_engine
from anb.videos import file_layout
from anb.videos.models import Video, VideoStatus
from anb.voting.models import Vote
from bench.harness.processes import ANB, anb_serve, wait_until
from tests.web.conftest import NewPage
from tests.web.ui import PASSWORD, log_in, new_player, register

RING = 9


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("admin")
    env = {
        "ANB_DATA_DIR": str(folder / "data"),
        "ANB_VOTING__PUBLIC_CACHE_TTL_SECONDS": "0",
        # The embedded sweeper sweeps and scans every 2 s, so the ring is held soon after it votes.
        "ANB_JOBS__SWEEP_INTERVAL_SECONDS": "2",
        "ANB_INTEGRITY__SCAN_INTERVAL_SECONDS": "2",
        "ANB_JOBS__CONCURRENCY": "1",
    }
    with anb_serve(env, folder / "serve.log") as url:
        yield url, folder / "data"


@pytest.fixture(scope="module")
def base_url(served: tuple[str, Path]) -> str:
    return served[0]


def _published_video(database_url: str) -> uuid.UUID:
    player_id, video_id = uuid.uuid4(), uuid.uuid4()
    engine = create_sync_db_engine(database_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                insert(User),
                [
                    {
                        "id": player_id, "email": f"{player_id.hex}@example.com", "password_hash": "unused",
                        "first_name": "Rosa", "last_name": "Mina", "city": "Tumaco", "city_key": "tumaco",
                        "country": "Colombia", "is_active": True, "vote_count": 0, "created_at": utcnow(),
                    }
                ],
            )  # fmt: skip
            conn.execute(
                insert(Video),
                [
                    {
                        "id": video_id, "owner_id": player_id, "title": "Bandeja", "status": VideoStatus.PROCESSED,
                        "original_key": file_layout.original_key(video_id),
                        "processed_key": file_layout.processed_key(video_id),
                        "poster_key": file_layout.poster_key(video_id), "size_bytes": 1000,
                        "duration_seconds": 25.0, "width": 1920, "height": 1080, "processed_at": utcnow(),
                    }
                ],
            )  # fmt: skip
    finally:
        engine.dispose()
    return video_id


def _ring_votes(base_url: str, video_id: uuid.UUID) -> None:
    """Fresh accounts from one /24 (addresses handed over by a trusted proxy, loopback here)."""
    for n in range(RING):
        voter = new_player("Bot", str(n), "Tumaco")
        address = {"X-Forwarded-For": f"203.0.113.{n + 1}"}
        register(base_url, voter)
        login = httpx.post(
            f"{base_url}/api/auth/login", json={"email": voter.email, "password": PASSWORD}, headers=address, timeout=30
        )
        token = login.json()["access_token"]
        voted = httpx.post(
            f"{base_url}/api/public/videos/{video_id}/vote",
            headers={**address, "Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert voted.status_code == 200, voted.text


def test_an_operator_reviews_a_held_ring_and_a_player_is_refused(served: tuple[str, Path], new_page: NewPage) -> None:
    base_url, data_dir = served
    database_url = f"sqlite:///{data_dir / 'anb.sqlite3'}"
    video_id = _published_video(database_url)
    _ring_votes(base_url, video_id)

    engine = create_sync_db_engine(database_url)
    try:

        def held() -> int:
            with engine.connect() as conn:
                return int(conn.scalar(select(func.count()).select_from(Vote).where(Vote.status == "held")) or 0)

        wait_until(lambda: held() == RING, timeout=60, what="the sweeper's scan holding the ring")
    finally:
        engine.dispose()

    player = new_player("Ana", "Pérez", "Tumaco")
    register(base_url, player)
    page = new_page()
    log_in(page, player.email)
    page.goto("/#/admin")
    expect(page.get_by_role("alert")).to_have_text("Solo los operadores pueden acceder a esta sección.")

    operator = new_player("Olga", "Revisora", "Bogotá")
    register(base_url, operator)
    env = {**os.environ, "ANB_DATA_DIR": str(data_dir)}
    subprocess.run([ANB, "users", "grant-operator", operator.email], env=env, check=True, capture_output=True)
    page = new_page()
    log_in(page, operator.email)
    page.goto("/#/admin")
    flag = page.locator("article.admin-flag")
    expect(flag).to_have_count(1)
    expect(flag.get_by_role("heading")).to_have_text("Muchas cuentas nuevas desde una misma red: Rosa Mina (Tumaco)")
    expect(flag).to_contain_text("203.0.113.0/24")
    expect(flag).to_contain_text(f"{RING} votos retenidos")

    flag.get_by_role("button", name="Ver votos del jugador").click()
    rows = page.locator(".admin-timeline tbody tr")
    expect(rows).to_have_count(RING)
    expect(rows.first).to_contain_text("Retenido")
    boxes = page.get_by_role("checkbox", name="Seleccionar voto")
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.get_by_role("button", name="Restaurar seleccionados").click()
    expect(page.get_by_role("status")).to_have_text("2 votos restaurados (2 seleccionados).")
    page.locator("article.admin-flag").get_by_role("button", name="Confirmar fraude (anular)").click()
    expect(page.get_by_role("status")).to_have_text(f"{RING - 2} votos anulados (alerta confirmada).")
    expect(page.get_by_text("No hay alertas abiertas.")).to_be_visible()
    audit = page.get_by_role("list", name="Registro de auditoría").get_by_role("listitem")
    expect(audit).to_have_count(4)  # confirm, restore, grant, hold
    expect(audit.nth(3)).to_contain_text("scan · hold")

    ranking = httpx.get(f"{base_url}/api/public/rankings", params={"city": "Tumaco"}, timeout=30).json()
    assert ranking[0]["votes"] == 2
    checked = subprocess.run([ANB, "votes", "check"], env=env, capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
