"""axe-core (the npm dev dependency, the engine Lighthouse's accessibility audits use) run on a live page."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

AXE = Path(__file__).resolve().parents[2] / "tools" / "node" / "node_modules" / "axe-core" / "axe.min.js"


@cache
def _source() -> str:
    if not AXE.exists():
        raise FileNotFoundError(f"{AXE} is missing: scripts/bootstrap --dev runs npm ci")
    return AXE.read_text(encoding="utf-8")


def violations(page: Page) -> list[dict[str, Any]]:
    """axe's violations on the page as it is now (WCAG 2 A/AA and axe's best practices).

    Evaluated through the DevTools protocol, which the page's CSP does not govern, so the page keeps
    its real policy.
    """
    if not page.evaluate("() => Boolean(window.axe)"):
        page.evaluate(f"{_source()}\n;true")
    result: list[dict[str, Any]] = page.evaluate(
        "async () => (await axe.run(document)).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))"
    )
    return result
