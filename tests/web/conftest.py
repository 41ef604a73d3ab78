"""A real ``anb serve`` and Debian's Chromium driven by Playwright, shared by the web tests."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Playwright, sync_playwright

from bench.harness.clips import make_clip
from bench.harness.processes import anb_serve

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(scope="package")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One all-in-one service for the web tests, processing with the fastest x264 preset.

    The public lists are cached per server process for ANB_VOTING__PUBLIC_CACHE_TTL_SECONDS; 0 lets a test
    see its own vote in the ranking at once. Every test signs players up from the same address, more
    than the default per-address signup limit allows in an hour.
    """
    folder = tmp_path_factory.mktemp("web")
    env = {
        "ANB_DATA_DIR": str(folder / "data"),
        "ANB_FFMPEG__PRESET": "ultrafast",
        "ANB_VOTING__PUBLIC_CACHE_TTL_SECONDS": "0",
        "ANB_RATE_LIMIT__SIGNUP_PER_ADDRESS": "1000/hour",
    }
    with anb_serve(env, folder / "serve.log") as url:
        yield url


# Package scope: the sync API keeps an event loop running in this thread while it is open, which
# would break every asyncio test that runs after the web tests.
@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: scripts/bootstrap --dev installs Debian's chromium")
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


@pytest.fixture(scope="package")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("web-clips")
    return {"good": make_clip(folder / "good.mp4"), "short": make_clip(folder / "short.mp4", seconds=5)}


NewPage = Callable[..., Page]


@pytest.fixture
def new_page(browser: Browser, base_url: str) -> Iterator[NewPage]:
    """Pages in fresh browser contexts (one per player).

    The service sends its strict Content-Security-Policy with every page (test_router checks it);
    after the test, no page may have thrown an uncaught error or hit a CSP violation.
    """
    contexts: list[BrowserContext] = []
    problems: list[str] = []

    def open_page(viewport: dict[str, int] = DESKTOP) -> Page:
        context = browser.new_context(base_url=base_url, viewport=viewport, locale="es-CO")
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
        page.on("console", lambda message: _csp_violation(message, problems))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert problems == []


def _csp_violation(message: ConsoleMessage, problems: list[str]) -> None:
    # Only policy violations count: Chromium also logs every 4xx answer, which tests provoke on purpose.
    if "Content Security Policy" in message.text:
        problems.append(f"console: {message.text}")


def screenshot(page: Page, name: str) -> None:
    """Saves the whole page as artifacts/screenshots/<name>.png (a test artifact, not compared)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
