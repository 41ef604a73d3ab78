"""What a person does in the web UI, as steps the e2e tests compose into journeys."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from pathlib import Path

import httpx
from playwright.sync_api import Locator, Page, expect

PASSWORD = "Canasta2024"


@dataclass(frozen=True)
class Player:
    first_name: str
    last_name: str
    city: str
    email: str

    @property
    def username(self) -> str:
        return f"{self.first_name} {self.last_name}"


def new_player(first_name: str, last_name: str, city: str) -> Player:
    return Player(first_name, last_name, city, f"{first_name.lower()}-{uuid.uuid4().hex[:8]}@example.com")


def sign_up(page: Page, player: Player) -> None:
    """Fills the signup form; the app then shows the login page with the email filled in."""
    page.goto("/#/registro")
    page.get_by_label("Nombre", exact=True).fill(player.first_name)
    page.get_by_label("Apellido").fill(player.last_name)
    page.get_by_label("Correo electrónico").fill(player.email)
    page.get_by_label("Contraseña", exact=True).fill(PASSWORD)
    page.get_by_label("Repite la contraseña").fill(PASSWORD)
    page.get_by_label("Ciudad").fill(player.city)
    page.get_by_label("País").fill("Colombia")
    page.get_by_role("button", name="Crear cuenta").click()
    expect(page.get_by_role("heading", name="Ingresar")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Usuario creado exitosamente.")
    expect(page.get_by_label("Correo electrónico")).to_have_value(player.email)


def log_in(page: Page, email: str, password: str = PASSWORD, *, expect_success: bool = True) -> None:
    if "#/ingresar" not in page.url:
        page.goto("/#/ingresar")
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña").fill(password)
    page.get_by_role("button", name="Ingresar").click()
    if expect_success:
        # The app leaves the login page once the session is stored and the profile fetched.
        expect(page).not_to_have_url(re.compile("#/ingresar"))
        # "Salir" is in the menu, folded on a phone: shown means not hidden by the session.
        expect(page.locator("li", has=page.locator("#logout"))).not_to_have_attribute("hidden", re.compile(".*"))


def choose_upload(page: Page, title: str, clip: Path) -> None:
    page.goto("/#/subir")
    page.get_by_label("Título del video").fill(title)
    page.get_by_label("Archivo de video").set_input_files(clip)
    page.get_by_role("button", name="Subir video").click()


def card(page: Page, title: str) -> Locator:
    """The card (article) of the video with this title."""
    return page.locator("article.card").filter(has=page.get_by_role("heading", name=title, exact=True))


def register(base_url: str, player: Player) -> None:
    """Creates the account through the API, for tests whose subject is not the signup form."""
    body = {
        "first_name": player.first_name,
        "last_name": player.last_name,
        "email": player.email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "city": player.city,
        "country": "Colombia",
    }
    answer = httpx.post(f"{base_url}/api/auth/signup", json=body, timeout=30)
    assert answer.status_code == 201, answer.text
