"""Every refusal reaches the person as the API's (or the form's) Spanish message in an alert."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, Request, expect

from bench.harness.browser import PHONE
from tests.web.conftest import NewPage, screenshot
from tests.web.ui import choose_upload, log_in, new_player, register


def test_wrong_password_shows_invalid_credentials(new_page: NewPage, base_url: str) -> None:
    player = new_player("Marta", "Ruiz", "Cali")
    register(base_url, player)
    page = new_page(viewport=PHONE)
    log_in(page, player.email, "NoEsMiClave99", expect_success=False)
    expect(page.get_by_role("alert")).to_have_text("Credenciales inválidas.")
    expect(page.get_by_role("button", name="Salir")).to_be_hidden()
    screenshot(page, "ingresar-error-movil")


def _mismatch_then_taken_email(page: Page, submit: str) -> None:
    """Both signup forms (js/signup-form.js): passwords that differ, then an email already registered."""
    page.get_by_label("Contraseña", exact=True).fill("Canasta2024")
    page.get_by_label("Repite la contraseña").fill("Canasta2025")
    page.get_by_role("button", name=submit).click()
    expect(page.get_by_role("alert")).to_have_text("Las contraseñas no coinciden.")

    page.get_by_label("Repite la contraseña").fill("Canasta2024")
    page.get_by_role("button", name=submit).click()
    expect(page.get_by_role("alert")).to_have_text("El email ya está registrado.")


def test_signup_errors(new_page: NewPage, base_url: str) -> None:
    taken = new_player("Sofía", "Mora", "Cali")
    register(base_url, taken)
    page = new_page()
    page.goto("/#/registro")
    page.get_by_label("Nombre", exact=True).fill("Sofía")
    page.get_by_role("button", name="Crear cuenta").click()
    expect(page.get_by_role("alert")).to_have_text("Completa todos los campos.")
    expect(page.get_by_label("Apellido")).to_be_focused()

    page.get_by_label("Apellido").fill("Mora")
    page.get_by_label("Correo electrónico").fill(taken.email)
    page.get_by_label("Ciudad").fill("Cali")
    page.get_by_label("País").fill("Colombia")
    _mismatch_then_taken_email(page, "Crear cuenta")
    screenshot(page, "registro-error")


def test_fan_signup_errors(new_page: NewPage, base_url: str) -> None:
    """The fan's form checks as the player's does (js/signup-form.js); spaces alone are no password."""
    taken = new_player("Tomás", "Gil", "Cali")
    register(base_url, taken)
    page = new_page(viewport=PHONE)
    page.goto("/#/registro-aficionado")
    page.get_by_label("Tu nombre").fill("Tomás")
    page.get_by_label("Correo electrónico").fill(taken.email)
    page.get_by_label("Contraseña", exact=True).fill("   ")
    page.get_by_role("button", name="Crear cuenta y volver").click()
    expect(page.get_by_role("alert")).to_have_text("Completa todos los campos.")
    expect(page.get_by_label("Contraseña", exact=True)).to_be_focused()

    _mismatch_then_taken_email(page, "Crear cuenta y volver")
    expect(page.get_by_role("button", name="Crear cuenta y volver")).to_be_enabled()


def test_too_short_video_shows_the_api_reason(new_page: NewPage, base_url: str, clips: dict[str, Path]) -> None:
    player = new_player("Pedro", "Lara", "Cali")
    register(base_url, player)
    page = new_page()
    log_in(page, player.email)
    choose_upload(page, "Muy corto", clips["short"])
    expect(page.get_by_role("alert")).to_contain_text("La duración del video debe estar entre 20 y 60 segundos")
    screenshot(page, "subir-error-duracion")
    page.goto("/#/mis-videos")
    expect(page.get_by_role("status")).to_contain_text("Aún no has subido videos.")


def test_client_side_checks_send_nothing(new_page: NewPage, base_url: str, tmp_path: Path) -> None:
    player = new_player("Julia", "Ríos", "Cali")
    register(base_url, player)
    page = new_page()
    log_in(page, player.email)
    uploads: list[Request] = []
    page.on("request", lambda request: uploads.append(request) if "/api/videos/upload" in request.url else None)

    notes = tmp_path / "jugadas.txt"
    notes.write_text("no es un video")
    choose_upload(page, "Notas", notes)
    expect(page.get_by_role("alert")).to_have_text("El archivo debe ser un video MP4 o MOV (.mp4, .m4v o .mov).")
    expect(page.get_by_label("Archivo de video")).to_be_focused()

    page.get_by_label("Título del video").fill("   ")
    page.get_by_role("button", name="Subir video").click()
    expect(page.get_by_role("alert")).to_have_text("El título es obligatorio y debe tener entre 1 y 255 caracteres.")

    # Over 100 MB: refused before a single byte is sent (the file is sparse, so it costs nothing).
    huge = tmp_path / "enorme.mp4"
    with huge.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024 + 1)
    choose_upload(page, "Enorme", huge)
    expect(page.get_by_role("alert")).to_have_text("El archivo supera el tamaño máximo permitido de 100 MB.")
    assert uploads == []
    screenshot(page, "subir-error-cliente")
