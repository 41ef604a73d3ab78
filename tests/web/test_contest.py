"""A whole contest in Chromium on the embedded service, with a short voting window: players upload,
a fan confirms their email by the mailed link and votes, a vote after the close is refused, the
results page shows each city's squad, the export verifies and a tampered export does not."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from bench.harness.browser import PHONE
from bench.harness.processes import wait_until
from tests.contest.journey import (
    Contest,
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
from tests.web.conftest import NewPage, screenshot
from tests.web.ui import card, choose_upload, new_player
from tests.web.ui import log_in as ui_log_in
from tests.web.ui import sign_up as ui_sign_up

pytestmark = [pytest.mark.slow, LOGIN_WITHOUT_TLS]


@pytest.fixture
def contest(tmp_path: Path) -> Iterator[Contest]:
    with running_contest(tmp_path) as running:
        yield running


@pytest.fixture
def base_url(contest: Contest) -> str:
    """This test's pages (the ``new_page`` fixture) open on its own contest service."""
    return contest.base_url


def test_a_whole_contest_in_the_browser(
    new_page: NewPage, contest: Contest, clips: dict[str, Path], tmp_path: Path
) -> None:
    base, clip = contest.base_url, clips["good"]
    contest.set_window(-60, 3600)

    # The home page explains the contest, with its dates and a running countdown.
    visitor = new_page()
    visitor.goto("/")
    expect(visitor.get_by_role("heading", name="ANB Rising Stars: el concurso")).to_be_visible()
    expect(visitor.get_by_text("La votación abre el")).to_contain_text("(hora de Colombia)")
    countdown = visitor.get_by_role("timer")
    expect(countdown).to_have_text(re.compile(r"\d\d:\d\d:\d\d"))
    first = countdown.text_content()
    expect(countdown).not_to_have_text(first or "")
    expect(visitor.get_by_role("link", name="Sube tu video")).to_be_visible()
    expect(visitor.get_by_text("Un lugar en la selección de tu ciudad (1 jugador)")).to_be_visible()
    screenshot(visitor, "concurso-inicio")
    visitor.get_by_role("link", name="Lee las reglas completas").click()
    expect(visitor.get_by_role("heading", name="Reglas del concurso")).to_be_visible()
    expect(visitor.get_by_text("Empates: los jugadores con el mismo puntaje")).to_be_visible()
    screenshot(visitor, "concurso-reglas")

    # Players upload: Ana in the browser, Carla through the API.
    ana = new_player("Ana", "Pérez", "Bogotá")
    player = new_page()
    ui_sign_up(player, ana)
    ui_log_in(player, ana.email)
    choose_upload(player, "Triple de Ana", clip)
    expect(player.get_by_role("status")).to_contain_text("Video subido correctamente.")
    ana_api = log_in(base, ana.email)
    ana_video = httpx.get(f"{base}/api/videos", headers=ana_api, timeout=30).json()[0]["video_id"]
    carla = log_in(base, sign_up(base, "Carla", "Mora", "Cali"))
    carla_video = upload(base, carla, clip, "Bandeja de Carla")
    wait_published(base, ana_api, ana_video)
    wait_published(base, carla, carla_video)

    # A fan signs up, cannot vote before confirming, asks for another link, follows it and votes.
    fan = new_player("Fabio", "Hincha", "Medellín")
    phone = new_page(PHONE)
    ui_sign_up(phone, fan)
    ui_log_in(phone, fan.email)
    phone.goto("/#/galeria")
    card(phone, "Triple de Ana").get_by_role("button", name="Votar").click()
    expect(card(phone, "Triple de Ana").get_by_role("alert")).to_contain_text("Confirma tu email para votar")
    phone.goto("/#/inicio")
    phone.get_by_role("button", name="Reenviar enlace de confirmación").click()
    expect(phone.get_by_role("status").filter(has_text="Te enviamos un nuevo enlace de confirmación.")).to_be_visible()
    wait_until(lambda: sum(m["To"] == fan.email for m in contest.mailbox.messages) == 2, 15, "the second link")
    phone.goto(contest.mailbox.link_to(fan.email))
    expect(phone.get_by_role("status")).to_have_text("Email confirmado. Ya puedes votar.")
    screenshot(phone, "concurso-email-confirmado")
    phone.get_by_role("link", name="Ir a votar").click()
    card(phone, "Triple de Ana").get_by_role("button", name="Votar").click()
    expect(card(phone, "Triple de Ana").get_by_role("status")).to_have_text("Voto registrado exitosamente.")

    # The live ranking of Bogotá marks the squad's cut-off.
    visitor.goto("/#/ranking?ciudad=bogota")
    expect(visitor.get_by_text("Corte de la selección")).to_be_visible()
    screenshot(visitor, "concurso-ranking-corte")

    # The operator shortens the window; once closed, a vote is refused and the sweeper publishes.
    contest.set_window(-60, 3)
    wait_until(lambda: contest.contest()["phase"] == "closed", 30, "voting closes")
    fan_api = log_in(base, fan.email)
    late = vote(base, fan_api, carla_video)
    assert late.status_code == 400 and late.json()["code"] == "voting_closed"
    results = wait_results(base)

    phone.goto("/#/galeria")
    phone.reload()
    expect(card(phone, "Bandeja de Carla").get_by_role("link", name="Ver resultados")).to_be_visible()
    expect(card(phone, "Bandeja de Carla").get_by_role("button", name="Votar")).to_have_count(0)
    visitor.goto("/#/inicio")
    visitor.reload()
    expect(visitor.get_by_text("La votación terminó.")).to_be_visible()
    visitor.get_by_role("link", name="Ver resultados").click()
    expect(visitor.get_by_role("heading", name="Resultados")).to_be_visible()
    expect(visitor.get_by_text(str(results["head_digest"]))).to_be_visible()
    bogota = visitor.locator("section.results__city").filter(has=visitor.get_by_role("heading", name="Bogotá"))
    expect(bogota.locator("tr[data-squad=true]")).to_contain_text("Ana Pérez")
    cali = visitor.locator("section.results__city").filter(has=visitor.get_by_role("heading", name="Cali"))
    expect(cali.locator("tr[data-squad=true]")).to_contain_text("Carla Mora")
    screenshot(visitor, "concurso-resultados")

    export_and_verify(contest, tmp_path / "export")
