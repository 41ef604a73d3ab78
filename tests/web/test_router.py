"""The UI's HTTP surface: the index, versioned assets and their cache headers, API priority.

Synchronous on purpose, with the app on an event loop in a thread of its own: the browser tests
of this package keep Playwright's event loop running in the main thread.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from anyio.from_thread import start_blocking_portal

from anb.app import create_app
from anb.config import Settings
from anb.web.meta import PageMeta
from anb.web.router import STATIC_DIR, VERSION

Get = Callable[[str], httpx.Response]


def serving(settings: Settings) -> Iterator[Get]:
    app = create_app(settings)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
    with start_blocking_portal() as portal:
        yield lambda path: portal.call(client.get, path)
        portal.call(client.aclose)
        portal.call(app.state.anb.close)


@pytest.fixture
def get(tmp_path: Path) -> Iterator[Get]:
    yield from serving(Settings(data_dir=tmp_path / "data"))  # type: ignore[call-arg]


def test_index_is_revalidated_and_has_no_inline_script(get: Get) -> None:
    answer = get("/")
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-cache"
    assert answer.headers["content-type"].startswith("text/html")
    html = answer.text
    assert '<html lang="es">' in html
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts and all(" src=" in tag for tag in scripts)
    assert not re.search(r"\son[a-z]+=", html), "inline event handlers break under the CSP"
    assert f"/assets/{VERSION}/js/main.js" in html
    assert "__VERSION__" not in html


def test_the_ui_is_served_under_the_strict_csp(get: Get) -> None:
    policy = get("/").headers["content-security-policy"]
    directives = dict(directive.strip().split(" ", 1) for directive in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert "unsafe" not in policy


def test_every_module_is_preloaded_and_served_immutable(get: Get) -> None:
    html = (get("/")).text
    modules = sorted(path.relative_to(STATIC_DIR).as_posix() for path in STATIC_DIR.rglob("*.js"))
    for name in modules:
        assert f'<link rel="modulepreload" href="/assets/{VERSION}/{name}">' in html
        answer = get(f"/assets/{VERSION}/{name}")
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("text/javascript")
        assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"
    css = get(f"/assets/{VERSION}/app.css")
    assert css.headers["content-type"].startswith("text/css")


def test_an_old_version_gets_todays_file_uncached(get: Get) -> None:
    answer = get("/assets/000000000000/app.css")
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == "no-cache"


@pytest.mark.parametrize("name", ["nothing.js", "..%2Frouter.py", "index.html", "js%2F..%2F..%2Frouter.py"])
def test_only_listed_assets_are_served(get: Get, name: str) -> None:
    answer = get(f"/assets/{VERSION}/{name}")
    assert answer.status_code == 404
    assert answer.json()["code"] == "not_found"


def test_api_routes_keep_priority(get: Get) -> None:
    assert (get("/api/health")).json() == {"status": "healthy"}
    assert (get("/api/nothing")).json()["code"] == "not_found"
    assert "/" not in (get("/api/openapi.json")).json()["paths"]


def test_the_auth_role_serves_no_ui(tmp_path: Path) -> None:
    for get in serving(Settings(data_dir=tmp_path / "data", role="auth")):  # type: ignore[call-arg]
        assert get("/").status_code == 404


def test_the_index_carries_the_sites_preview_tags_and_robots_txt(get: Get) -> None:
    html = get("/").text
    assert '<link rel="canonical" href="http://testserver/">' in html
    assert '<meta property="og:title" content="ANB Rising Stars Showcase">' in html
    assert f'<meta property="og:image" content="http://testserver/assets/{VERSION}/og-card.png">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert get(f"/assets/{VERSION}/og-card.png").headers["content-type"] == "image/png"
    robots = get("/robots.txt")
    assert robots.status_code == 200 and "Disallow: /api/" in robots.text


# Ids of no possible shape answer before the database (test_showcase.py covers unknown UUIDs).
@pytest.mark.parametrize("path", ["/videos/no-existe", "/players/no-existe", "/videos/99999"])
def test_unknown_shared_pages_are_404_documents_not_indexed(get: Get, path: str) -> None:
    answer = get(path)
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")
    assert '<meta name="robots" content="noindex">' in answer.text
    assert f"/assets/{VERSION}/js/main.js" in answer.text


def test_a_title_is_escaped_in_the_preview_tags() -> None:
    tags = PageMeta('<script>x</script> & "y"', "d", "http://h/videos/1", "http://h/p.jpg").tags()
    assert "<script>" not in tags
    assert "&lt;script&gt;x&lt;/script&gt; &amp; &quot;y&quot;" in tags


def test_public_base_url_names_the_absolute_addresses(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", http={"public_base_url": "https://anb.example.org"})  # type: ignore[call-arg,arg-type]
    for get in serving(settings):
        assert '<meta property="og:url" content="https://anb.example.org/">' in get("/").text
