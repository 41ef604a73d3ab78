"""The session as the browser keeps it: silent refresh, logout, protected pages, keyboard use."""

from __future__ import annotations

import json
import re

import httpx
from playwright.sync_api import Page, expect

from tests.web.conftest import NewPage, screenshot
from tests.web.ui import PASSWORD, log_in, new_player, register


def stored_session(page: Page) -> dict[str, str]:
    return json.loads(page.evaluate("() => localStorage.getItem('anb.session')") or "null")


def refresh_answers(base_url: str, refresh_token: str) -> int:
    return httpx.post(f"{base_url}/api/auth/refresh", json={"refresh_token": refresh_token}, timeout=30).status_code


def test_expired_access_token_is_refreshed_once_and_rotated(new_page: NewPage, base_url: str) -> None:
    player = new_player("Rosa", "Díaz", "Cali")
    register(base_url, player)
    page = new_page()
    log_in(page, player.email)
    page.goto("/#/galeria")
    before = stored_session(page)
    # An access token the server refuses, as an expired one would be.
    page.evaluate(
        "() => { const s = JSON.parse(localStorage.getItem('anb.session'));"
        " s.access_token = 'caducado'; localStorage.setItem('anb.session', JSON.stringify(s)); }"
    )
    refreshes = []
    page.on("request", lambda request: refreshes.append(request) if request.url.endswith("/api/auth/refresh") else None)
    page.goto("/#/mis-videos")
    expect(page.get_by_role("status")).to_contain_text("Aún no has subido videos.")
    expect(page.get_by_role("alert")).to_have_text("")
    after = stored_session(page)
    assert len(refreshes) == 1
    assert after["refresh_token"] != before["refresh_token"]
    assert after["access_token"] not in ("caducado", before["access_token"])
    # The rotated-out refresh token is dead on the server.
    assert refresh_answers(base_url, before["refresh_token"]) == 401


def test_logout_revokes_the_session(new_page: NewPage, base_url: str) -> None:
    player = new_player("Tomás", "Vega", "Cali")
    register(base_url, player)
    page = new_page()
    log_in(page, player.email)
    refresh_token = stored_session(page)["refresh_token"]
    page.get_by_role("button", name="Salir (Tomás)").click()
    expect(page.get_by_role("link", name="Ingresar")).to_be_visible()
    expect(page.get_by_role("heading", name="ANB Rising Stars: el concurso")).to_be_visible()
    assert stored_session(page) is None
    assert refresh_answers(base_url, refresh_token) == 401


def test_protected_page_asks_to_log_in_then_returns(new_page: NewPage, base_url: str) -> None:
    player = new_player("Elena", "Soto", "Cali")
    register(base_url, player)
    page = new_page()
    page.goto("/#/subir")
    expect(page.get_by_role("heading", name="Ingresar")).to_be_visible()
    screenshot(page, "ingresar")
    log_in(page, player.email)
    expect(page.get_by_role("heading", name="Subir video")).to_be_visible()
    screenshot(page, "subir")


def test_keyboard_only_login(new_page: NewPage, base_url: str) -> None:
    player = new_player("Iván", "Cruz", "Cali")
    register(base_url, player)
    page = new_page()
    page.goto("/#/ingresar")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Saltar al contenido")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    assert page.url.endswith("#/ingresar")
    # From the content: the first focusable things are the two signup links, then the form.
    for _ in range(3):
        page.keyboard.press("Tab")
    expect(page.get_by_label("Correo electrónico")).to_be_focused()
    page.keyboard.type(player.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Mis videos")).to_be_focused()
    screenshot(page, "mis-videos-vacio")


def test_public_pages_render(new_page: NewPage) -> None:
    page = new_page()
    page.goto("/")
    expect(page.get_by_role("heading", name="ANB Rising Stars: el concurso")).to_be_visible()
    assert page.evaluate("() => document.documentElement.lang") == "es"
    screenshot(page, "inicio")
    page.get_by_role("link", name="Galería").click()
    expect(page.get_by_role("heading", name="Galería de jugadores")).to_be_visible()
    screenshot(page, "galeria")
    page.get_by_role("link", name="Ranking").click()
    expect(page.get_by_role("heading", name="Ranking de jugadores")).to_be_focused()
    screenshot(page, "ranking")
    page.get_by_role("link", name="Registrarse").click()
    expect(page.get_by_role("heading", name="Crear cuenta de jugador")).to_be_visible()
    screenshot(page, "registro")
    # An address of the first version of the app goes to the video's page of today.
    page.goto("/#/video/no-existe")
    expect(page).to_have_url(re.compile(r"/videos/no-existe$"))
    expect(page.get_by_role("alert")).to_have_text("Video no encontrado.")
