"""The whole competition in a real browser: a player signs up, uploads and sees the video
published; another player votes for it on a phone; the rankings put the first player on top."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from bench.harness.browser import PHONE
from tests.web.conftest import NewPage, screenshot
from tests.web.ui import card, choose_upload, log_in, new_player, sign_up

pytestmark = pytest.mark.slow

# Processing a 21 s clip takes 10–30 s here; the margin covers a busy CI machine.
PROCESSING_TIMEOUT_MS = 120_000
# The throttled transfer of the clip takes about this long, so the progress bar has time to move.
UPLOAD_SECONDS = 2.5


def test_upload_process_vote_and_rank(new_page: NewPage, clips: dict[str, Path]) -> None:
    ana = new_player("Ana", "Pérez", "Bogotá")
    page = new_page()
    sign_up(page, ana)
    screenshot(page, "ingresar-tras-registro")
    log_in(page, ana.email)

    samples = upload_throttled(page, "Mi mejor jugada", clips["good"])
    moving = [value for value in samples if 0 < value < 100]
    assert len(set(moving)) >= 3, f"the progress bar did not move during the transfer: {samples}"
    assert samples == sorted(samples), f"the progress bar went backwards: {samples}"
    expect(page.get_by_role("status")).to_contain_text("Video subido correctamente. Procesamiento en curso.")
    screenshot(page, "subir-terminado")

    page.get_by_role("link", name="Ver mis videos").click()
    mine = card(page, "Mi mejor jugada")
    expect(mine).to_have_attribute("data-status", re.compile("uploaded|processing"))
    screenshot(page, "mis-videos-procesando")
    expect(mine).to_have_attribute("data-status", "processed", timeout=PROCESSING_TIMEOUT_MS)
    expect(mine.locator(".status")).to_have_text("Procesado y publicado para votación")
    expect(mine.locator("video")).to_have_count(1)
    # A published video cannot be deleted, so the button is gone.
    expect(mine.get_by_role("button", name="Eliminar")).to_be_hidden()
    screenshot(page, "mis-videos-procesado")

    delete_a_pending_video(page, clips["good"])

    vote_on_a_phone(new_page, "Mi mejor jugada")

    page.goto("/#/ranking")
    page.get_by_label("Ciudad").select_option(label="Bogotá")
    expect(page).to_have_url(re.compile(r"#/ranking\?ciudad=bogota$"))
    first = page.locator("table.ranking tbody tr").first
    expect(first.locator("td").first).to_have_text("1")
    expect(first.get_by_role("rowheader")).to_have_text(ana.username)
    expect(first).to_contain_text("1 voto")
    screenshot(page, "ranking-bogota")


def upload_throttled(page: Page, title: str, clip: Path) -> list[int]:
    """Uploads over a slowed-down network and returns the progress bar's values seen meanwhile."""
    network = page.context.new_cdp_session(page)
    network.send("Network.enable")
    network.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 20,
            "downloadThroughput": -1,
            "uploadThroughput": clip.stat().st_size / UPLOAD_SECONDS,
        },
    )
    choose_upload(page, title, clip)
    bar = page.locator("#subir-progreso")
    done = page.get_by_role("status").filter(has_text="Video subido")
    samples: list[int] = []
    deadline = time.monotonic() + 60
    while not done.is_visible() and time.monotonic() < deadline:
        if bar.is_visible():
            samples.append(int(bar.evaluate("element => element.value")))
            if 40 <= samples[-1] < 100 and not any(40 <= value < 100 for value in samples[:-1]):
                screenshot(page, "subir-en-curso")
        time.sleep(0.05)
    network.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    network.detach()
    return samples


def delete_a_pending_video(page: Page, clip: Path) -> None:
    """A video still waiting for (or in) processing can be deleted from "Mis videos"."""
    choose_upload(page, "Video para borrar", clip)
    expect(page.get_by_role("status")).to_contain_text("Video subido correctamente.")
    page.goto("/#/mis-videos")
    doomed = card(page, "Video para borrar")
    page.once("dialog", lambda dialog: dialog.accept())
    doomed.get_by_role("button", name="Eliminar").click()
    expect(page.get_by_role("status").first).to_have_text("El video ha sido eliminado exitosamente.")
    expect(doomed).to_have_count(0)


def vote_on_a_phone(new_page: NewPage, title: str) -> None:
    """A second player, on a phone, is told why voting needs an account, logs in, comes back and votes once."""
    luis = new_player("Luis", "Gómez", "Medellín")
    phone = new_page(viewport=PHONE)
    sign_up(phone, luis)
    phone.goto("/#/galeria")
    video = card(phone, title)
    # A poster card: no player (and nothing downloaded) until someone presses play.
    expect(video.locator("video")).to_have_count(0)
    screenshot(phone, "galeria-movil")
    video.get_by_role("button", name="Votar").click()
    expect(video.get_by_role("status")).to_contain_text("Para votar necesitas una cuenta.")
    video.get_by_role("link", name="Ingresa").click()
    expect(phone.get_by_role("heading", name="Ingresar")).to_be_visible()
    log_in(phone, luis.email)
    expect(phone.get_by_role("heading", name="Galería de jugadores")).to_be_visible()

    video = card(phone, title)
    video.get_by_role("button", name="Votar").click()
    expect(video.get_by_role("status")).to_have_text("Voto registrado exitosamente.")
    expect(video.locator(".card__votes")).to_have_text("1 voto")
    screenshot(phone, "galeria-movil-votado")

    # After a reload the card still knows: the vote button says so and cannot be pressed again.
    phone.reload()
    video = card(phone, title)
    expect(video.get_by_role("button", name="Votado ✓")).to_be_disabled()
    expect(video.locator(".card__votes")).to_have_text("1 voto")
    screenshot(phone, "galeria-movil-ya-votado")

    video.get_by_role("button", name=re.compile("^Reproducir")).click()
    expect(video.locator("video")).to_have_attribute("controls", "")
    video.get_by_role("link", name=title).click()
    expect(phone.get_by_role("heading", level=1, name=title)).to_be_visible()
    expect(phone.locator(".card__votes")).to_have_text("1 voto")
    expect(phone.get_by_role("button", name="Votado ✓")).to_be_disabled()
    screenshot(phone, "video-movil")
