"""The fan's and the player's site, at desktop and phone sizes: vote state after reloads, fan
accounts, poster cards, sort, search, infinite scroll, profiles, distinct names, shareable pages
with preview tags, the share button, "Mis videos", the phone menu and the city suggestions.
Every page visited is also checked with axe-core."""

from __future__ import annotations

import re
import uuid
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from bench.harness.browser import DESKTOP, PHONE
from bench.harness.showcase_site import Showcase, add_rows, build_showcase, token
from tests.web.axe import violations
from tests.web.conftest import NewPage, screenshot
from tests.web.ui import PASSWORD, card, log_in, new_player, register

pytestmark = pytest.mark.slow

FAILURE = "No se pudo procesar el video tras 3 intentos. Inténtalo más tarde."
SIZES = [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")]


@pytest.fixture(scope="module")
def site(base_url: str, clips: dict[str, Path]) -> Showcase:
    return build_showcase(base_url, clips["good"], uuid.uuid4().hex[:6])


def no_violations(page: Page) -> None:
    assert violations(page) == [], page.url


def size_name(viewport: dict[str, int]) -> str:
    return "movil" if viewport == PHONE else "escritorio"


@pytest.mark.parametrize("viewport", SIZES)
def test_votes_show_after_a_reload(new_page: NewPage, site: Showcase, viewport: dict[str, int]) -> None:
    fan = new_player("Aficionada", "Uno", "")
    page = new_page(viewport)
    page.goto(f"/#/registro-aficionado?volver=/videos/{site.videos[_title(site, 'Bandeja')]}")
    fill_fan_form(page, fan.first_name, fan.email)
    expect(page).to_have_url(re.compile(rf"/videos/{site.videos[_title(site, 'Bandeja')]}$"))
    page.get_by_role("button", name="Votar").click()
    expect(page.get_by_role("status").first).to_have_text("Voto registrado exitosamente.")

    page.reload()
    expect(page.get_by_role("button", name="Votado ✓")).to_be_disabled()
    page.goto("/#/galeria")
    voted = card(page, _title(site, "Bandeja"))
    expect(voted.get_by_role("button", name="Votado ✓")).to_be_disabled()
    # The others were not voted by this fan.
    expect(card(page, _title(site, "Triple")).get_by_role("button", name="Votar")).to_be_enabled()
    no_violations(page)


@pytest.mark.parametrize("viewport", SIZES)
def test_vote_signed_out_explains_and_fan_signup_returns(
    new_page: NewPage, site: Showcase, viewport: dict[str, int]
) -> None:
    video_id = site.videos[_title(site, "Clavada")]
    page = new_page(viewport)
    page.goto(f"/videos/{video_id}")
    page.get_by_role("button", name="Votar").click()
    invitation = page.get_by_role("status").first
    expect(invitation).to_contain_text("Para votar necesitas una cuenta.")
    expect(invitation).to_contain_text("luego vuelves a este video")
    no_violations(page)
    screenshot(page, f"votar-sin-cuenta-{size_name(viewport)}")
    invitation.get_by_role("link", name="crea una cuenta de aficionado").click()

    # A fan is asked only for a name, an email and a password.
    expect(page.get_by_role("heading", name="Crear cuenta de aficionado")).to_be_visible()
    assert page.locator("form input").count() == 4
    no_violations(page)
    screenshot(page, f"registro-aficionado-{size_name(viewport)}")
    fan = new_player("Camilo", "Fan", "")
    fill_fan_form(page, fan.first_name, fan.email)
    expect(page).to_have_url(re.compile(rf"/videos/{video_id}$"))
    page.get_by_role("button", name="Votar").click()
    expect(page.get_by_role("button", name="Votado ✓")).to_be_disabled()
    # A fan's menu has no upload: fans vote, players upload.
    expect(page.locator("#nav li:has(a[data-route=subir])")).to_have_attribute("hidden", "")
    expect(page.locator("#nav li:has(#logout)")).not_to_have_attribute("hidden", re.compile(".*"))


@pytest.mark.parametrize("viewport", SIZES)
def test_login_from_the_invitation_returns_to_the_video(
    new_page: NewPage, base_url: str, site: Showcase, viewport: dict[str, int]
) -> None:
    voter = new_player("Marta", "Votante", "Cali")
    register(base_url, voter)
    video_id = site.videos[_title(site, "Triple")]
    page = new_page(viewport)
    page.goto(f"/videos/{video_id}")
    page.get_by_role("button", name="Votar").click()
    page.get_by_role("status").first.get_by_role("link", name="Ingresa").click()
    log_in(page, voter.email)
    expect(page).to_have_url(re.compile(rf"/videos/{video_id}$"))
    expect(page.get_by_role("heading", level=1, name=_title(site, "Triple"))).to_be_visible()


@pytest.mark.parametrize("viewport", SIZES)
def test_gallery_cards_sort_search_and_names(new_page: NewPage, site: Showcase, viewport: dict[str, int]) -> None:
    page = new_page(viewport)
    page.goto("/#/galeria?q=doe")
    triple = card(page, _title(site, "Triple"))
    # A poster card: image, duration badge, city, votes; no player (no control bar) until played.
    expect(triple.locator("img")).to_have_attribute("src", re.compile("poster"))
    expect(triple.locator(".card__duration")).to_have_text("0:26")
    expect(triple).to_contain_text("Barranquilla")
    expect(triple.locator(".card__votes")).to_have_text(re.compile(r"^\d+ votos?$"))
    expect(page.locator("article video")).to_have_count(0)
    # Namesakes are told apart, and every name leads to the player's profile.
    names = page.locator(".card__player a").all_inner_texts()
    assert "John Doe (Barranquilla)" in names and "John Doe (Cartagena)" in names, names
    no_violations(page)
    screenshot(page, f"galeria-{size_name(viewport)}")

    triple.get_by_role("button", name=re.compile("^Reproducir")).click()
    expect(triple.locator("video")).to_have_attribute("controls", "")

    page.get_by_label("Buscar jugador").fill("valentina")
    page.get_by_role("button", name="Buscar").click()
    expect(page).to_have_url(re.compile(r"#/galeria\?q=valentina$"))
    titles = page.locator("article h2")
    expect(titles.first).to_have_text(_title(site, "Clavada"))
    assert all(name.startswith("Valentina") for name in page.locator(".card__player a").all_inner_texts())

    page.get_by_label("Buscar jugador").fill("")
    page.get_by_role("button", name="Buscar").click()
    page.get_by_label("Ordenar por").select_option(label="Más votados")
    expect(page).to_have_url(re.compile(r"orden=votos"))
    votes = [int(text.split()[0]) for text in _all_votes(page)]
    assert votes == sorted(votes, reverse=True)


def test_gallery_loads_more_as_it_scrolls(
    new_page: NewPage, site: Showcase, service_data_dir: Path, base_url: str
) -> None:
    scorer = new_player("Pedro", f"Scroll{uuid.uuid4().hex[:4]}", f"Pasto {uuid.uuid4().hex[:4]}")
    register(base_url, scorer)
    add_rows(
        service_data_dir,
        like_video=site.videos[_title(site, "Triple")],
        owner_email=scorer.email,
        count=14,
        status="processed",
    )
    page = new_page(PHONE)
    page.goto(f"/#/galeria?q={scorer.last_name}")
    cards = page.locator("article.card")
    expect(cards).to_have_count(12)
    cards.last.scroll_into_view_if_needed()
    page.mouse.wheel(0, 4000)
    expect(cards).to_have_count(14)
    expect(page.get_by_role("button", name="Cargar más videos")).to_be_hidden()


@pytest.mark.parametrize("viewport", SIZES)
def test_player_profile_from_a_name(new_page: NewPage, site: Showcase, viewport: dict[str, int]) -> None:
    page = new_page(viewport)
    page.goto("/#/ranking?ciudad=barranquilla")
    no_violations(page)
    screenshot(page, f"ranking-{size_name(viewport)}")
    # Other tests of this module vote too: the profile must agree with the ranking, whatever it says.
    row = page.locator("table.ranking tbody tr").filter(has=page.get_by_role("link", name="John Doe (Barranquilla)"))
    position, votes = row.locator("td").first.inner_text(), row.locator("td").last.inner_text()
    row.get_by_role("link").click()
    player_id = site.players["John Doe (Barranquilla)"]
    expect(page).to_have_url(re.compile(rf"/players/{player_id}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("John Doe (Barranquilla)")
    stats = page.get_by_role("list", name="Resumen")
    expect(stats).to_contain_text(votes)
    expect(stats).to_contain_text(f"Puesto {position}")
    expect(stats).to_contain_text("1 video")
    expect(card(page, _title(site, "Triple"))).to_be_visible()
    no_violations(page)
    screenshot(page, f"perfil-{size_name(viewport)}")


class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        key = values.get("property") or values.get("name")
        if tag == "meta" and key and values.get("content") is not None:
            self.meta[key] = values["content"] or ""


def head_tags(url: str) -> dict[str, str]:
    answer = httpx.get(url, timeout=30)
    assert answer.status_code == 200
    parser = _Head()
    parser.feed(answer.text)
    return parser.meta


def test_pages_have_preview_tags_a_chat_can_follow(base_url: str, site: Showcase) -> None:
    video_id = site.videos[_title(site, "Triple")]
    meta = head_tags(f"{base_url}/videos/{video_id}")
    assert meta["og:title"] == f"{_title(site, 'Triple')} · John Doe (Barranquilla) · ANB Rising Stars"
    assert meta["og:url"] == f"{base_url}/videos/{video_id}"
    assert meta["og:type"] == "video.other"
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["twitter:title"] == meta["og:title"]
    assert meta["og:description"] == "John Doe (Barranquilla), 2 votos. Mira el video y vota por tu favorito."
    poster = httpx.get(meta["og:image"], follow_redirects=True, timeout=30)
    assert poster.status_code == 200 and poster.headers["content-type"] == "image/jpeg"
    assert poster.content.startswith(b"\xff\xd8")
    video = httpx.get(meta["og:video"], follow_redirects=True, timeout=30, headers={"Range": "bytes=0-99"})
    assert video.status_code == 206 and video.headers["content-type"] == "video/mp4"

    player = head_tags(f"{base_url}/players/{site.players['John Doe (Barranquilla)']}")
    assert player["og:title"] == "John Doe (Barranquilla) · ANB Rising Stars"
    assert player["og:type"] == "profile"
    assert re.fullmatch(
        r"John Doe \(Barranquilla\): 1 video, \d+ votos?, puesto \d+ en Barranquilla\.", player["og:description"]
    )
    assert httpx.get(player["og:image"], follow_redirects=True, timeout=30).status_code == 200

    missing = httpx.get(f"{base_url}/videos/{uuid.uuid4()}", timeout=30)
    assert missing.status_code == 404 and 'content="noindex"' in missing.text


@pytest.mark.parametrize("viewport", SIZES)
def test_share_button_copies_the_link(
    new_page: NewPage, base_url: str, site: Showcase, viewport: dict[str, int]
) -> None:
    video_id = site.videos[_title(site, "Clavada")]
    page = new_page(viewport, permissions=["clipboard-read", "clipboard-write"])
    # Headless Chromium has no share sheet: the button falls back to the clipboard.
    page.add_init_script("delete Navigator.prototype.share")
    page.goto(f"/videos/{video_id}")
    page.get_by_role("button", name="Compartir").click()
    expect(page.locator(".share").get_by_role("status")).to_have_text(f"Enlace copiado: {base_url}/videos/{video_id}")
    assert page.evaluate("() => navigator.clipboard.readText()") == f"{base_url}/videos/{video_id}"
    no_violations(page)
    screenshot(page, f"video-{size_name(viewport)}")


def test_share_button_uses_the_share_sheet(new_page: NewPage, base_url: str, site: Showcase) -> None:
    player_id = site.players["Valentina Ríos (Barranquilla)"]
    page = new_page(PHONE)
    page.add_init_script("navigator.share = async (data) => { window.shared = data; }")
    page.goto(f"/players/{player_id}")
    page.get_by_role("button", name="Compartir").click()
    shared = page.wait_for_function("() => window.shared").json_value()
    assert shared["url"] == f"{base_url}/players/{player_id}"
    # The profile's display name (with the city if a namesake published in another showcase).
    assert shared["title"] == page.get_by_role("heading", level=1).inner_text()
    assert shared["title"].startswith("Valentina Ríos")


@pytest.mark.parametrize("viewport", SIZES)
def test_my_videos_shows_votes_links_and_failures(
    new_page: NewPage, site: Showcase, service_data_dir: Path, viewport: dict[str, int]
) -> None:
    key = "John Doe (Barranquilla)"
    if viewport == DESKTOP:
        add_rows(
            service_data_dir,
            like_video=site.videos[_title(site, "Triple")],
            owner_email=site.emails[key],
            count=1,
            status="failed",
            reason=FAILURE,
        )
    page = new_page(viewport)
    log_in(page, site.emails[key])
    expect(page.get_by_role("heading", name="Mis videos")).to_be_visible()
    expect(page.get_by_role("link", name="Subir un video nuevo")).to_be_visible()
    published = card(page, _title(site, "Triple"))
    expect(published.locator(".card__votes")).to_have_text("2 votos")
    expect(published.get_by_role("link", name="Ver página pública")).to_have_attribute(
        "href", f"/videos/{site.videos[_title(site, 'Triple')]}"
    )
    expect(published.get_by_role("button", name="Compartir")).to_be_visible()
    failed = page.locator("article[data-status=failed]").first
    expect(failed.locator(".failure")).to_have_text(
        "Motivo: No se pudo procesar el video tras 3 intentos. Inténtalo más tarde."
    )
    no_violations(page)
    screenshot(page, f"mis-videos-{size_name(viewport)}")


def test_empty_my_videos_invites_to_upload(new_page: NewPage, base_url: str) -> None:
    newcomer = new_player("Nora", "Nueva", "Cali")
    register(base_url, newcomer)
    page = new_page(PHONE)
    log_in(page, newcomer.email)
    expect(page.get_by_role("status")).to_contain_text("Aún no has subido videos.")
    page.get_by_role("status").get_by_role("link", name="Sube el primero").click()
    expect(page.get_by_role("heading", name="Subir video")).to_be_visible()


def test_phone_menu_is_compact(new_page: NewPage) -> None:
    page = new_page(PHONE)
    page.goto("/#/galeria")
    header = page.locator(".site-header").bounding_box()
    assert header is not None and header["height"] < 80, header
    ranking = page.get_by_role("link", name="Ranking")
    expect(ranking).to_be_hidden()
    menu = page.get_by_role("button", name="Menú")
    expect(menu).to_have_attribute("aria-expanded", "false")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    no_violations(page)
    screenshot(page, "menu-movil-abierto")
    ranking.click()
    expect(page.get_by_role("heading", name="Ranking de jugadores")).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(ranking).to_be_hidden()


def test_desktop_menu_is_one_row(new_page: NewPage) -> None:
    page = new_page(DESKTOP)
    page.goto("/#/galeria")
    expect(page.get_by_role("button", name="Menú")).to_be_hidden()
    links = [page.get_by_role("link", name=name).bounding_box() for name in ("Galería", "Ranking", "Ingresar")]
    assert len({round(box["y"]) for box in links if box}) == 1, links


@pytest.mark.parametrize("viewport", SIZES)
def test_signup_city_comes_from_the_list(
    new_page: NewPage, base_url: str, site: Showcase, viewport: dict[str, int]
) -> None:
    page = new_page(viewport)
    page.goto("/#/registro")
    city = page.get_by_label("Ciudad")
    options = page.locator(f"datalist#{city.get_attribute('id')}-lista option")
    expect(options.filter(has=page.locator("[value='Barranquilla']"))).to_have_count(0)  # options are the elements
    expect(page.locator("datalist option[value='Barranquilla']")).to_have_count(1)
    assert options.count() >= 2
    player = new_player("Sara", "Lista", "barranquilla  ")
    page.get_by_label("Nombre", exact=True).fill(player.first_name)
    page.get_by_label("Apellido").fill(player.last_name)
    page.get_by_label("Correo electrónico").fill(player.email)
    page.get_by_label("Contraseña", exact=True).fill(PASSWORD)
    page.get_by_label("Repite la contraseña").fill(PASSWORD)
    city.fill(player.city)
    page.get_by_label("País").fill("Colombia")
    no_violations(page)
    page.get_by_role("button", name="Crear cuenta").click()
    expect(page.get_by_role("heading", name="Ingresar")).to_be_visible()
    profile = httpx.get(
        f"{base_url}/api/auth/me", headers={"Authorization": f"Bearer {token(base_url, player.email)}"}, timeout=30
    )
    # Typed without capital or accent care, stored with the platform's spelling of that city.
    assert profile.json()["city"] == "Barranquilla"


def fill_fan_form(page: Page, name: str, email: str) -> None:
    page.get_by_label("Tu nombre").fill(name)
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña", exact=True).fill(PASSWORD)
    page.get_by_label("Repite la contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Crear cuenta y volver").click()


def _title(site: Showcase, kind: str) -> str:
    return next(title for title in site.videos if title.startswith(kind))


def _all_votes(page: Page) -> list[str]:
    expect(page.locator(".card__votes").first).to_be_visible()
    return page.locator("article .card__votes").all_inner_texts()
