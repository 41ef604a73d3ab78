"""The upload page's direct upload in a real browser: the file's duration is checked before a byte
is sent; a transfer pauses and resumes, and resumes by itself after the network drops."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, Request, expect

from bench.harness.clips import make_clip, pad_mp4
from tests.web.conftest import NewPage, screenshot
from tests.web.ui import choose_upload, log_in, new_player, sign_up

pytestmark = pytest.mark.slow

MIB = 1024 * 1024
# Throttled so that the 24 MB transfer lasts long enough to pause it and cut the network under it.
UPLOAD_BYTES_PER_SECOND = 3 * MIB


@pytest.fixture(scope="module")
def large_clip(clips: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    return pad_mp4(clips["good"], tmp_path_factory.mktemp("resumable") / "grande.mp4", 24 * MIB)


def _signed_in(new_page: NewPage) -> Page:
    player = new_player("Sara", "Ríos", "Cali")
    page = new_page()
    sign_up(page, player)
    log_in(page, player.email)
    return page


def test_a_clip_too_short_is_refused_before_anything_is_sent(new_page: NewPage, tmp_path: Path) -> None:
    page = _signed_in(new_page)
    sent: list[str] = []
    page.on("request", lambda request: sent.append(request.url) if "/api/videos/" in request.url else None)
    choose_upload(page, "Muy corto", make_clip(tmp_path / "corto.mp4", seconds=5))
    expect(page.get_by_role("alert")).to_contain_text("La duración del video debe estar entre 20 y 60 segundos")
    assert sent == [], sent


def _percent(page: Page) -> int:
    return int(page.locator("#subir-progreso").evaluate("element => element.value"))


def test_pause_resume_and_a_network_drop(new_page: NewPage, large_clip: Path) -> None:
    page = _signed_in(new_page)
    network = page.context.new_cdp_session(page)
    network.send("Network.enable")

    def conditions(offline: bool) -> None:
        network.send(
            "Network.emulateNetworkConditions",
            {"offline": offline, "latency": 5, "downloadThroughput": -1, "uploadThroughput": UPLOAD_BYTES_PER_SECOND},
        )

    conditions(offline=False)
    patches: list[Request] = []
    page.on("request", lambda request: patches.append(request) if request.method == "PATCH" else None)
    choose_upload(page, "Jugada reanudable", large_clip)
    expect(page.locator(".progress__value")).not_to_have_text("0 %", timeout=30_000)

    page.get_by_role("button", name="Pausar").click()
    expect(page.locator(".progress__value")).to_contain_text("en pausa")
    paused_at = _percent(page)
    time.sleep(1.5)
    assert _percent(page) == paused_at, "nothing is sent while paused"
    screenshot(page, "subir-en-pausa")
    page.get_by_role("button", name="Reanudar").click()

    deadline = time.monotonic() + 30
    while _percent(page) < paused_at + 10 and time.monotonic() < deadline:
        time.sleep(0.1)
    conditions(offline=True)
    expect(page.locator(".progress__value")).to_contain_text("sin conexión", timeout=30_000)
    screenshot(page, "subir-sin-conexion")
    time.sleep(2)
    conditions(offline=False)
    expect(page.get_by_role("status")).to_contain_text(
        "Video subido correctamente. Procesamiento en curso.", timeout=120_000
    )
    offsets = [int(request.headers["upload-offset"]) for request in patches]
    assert offsets[0] == 0 and offsets == sorted(offsets), offsets
    assert len(set(offsets)) >= 5, "the file went in several parts"
    network.detach()
