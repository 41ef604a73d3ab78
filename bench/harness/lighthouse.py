"""Lighthouse (the npm dev dependency, pinned in package-lock.json) on Debian's Chromium, mobile mode.

Used by tests/web/test_lighthouse.py (accessibility, best practices and SEO thresholds) and by
bench/lighthouse_bench.py (which also records performance, a figure of the machine's load).
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.harness.browser import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[2]
LIGHTHOUSE = ROOT / "tools" / "node" / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# Mobile is Lighthouse's default form factor: a Moto G-class screen, simulated slow 4G and a 4x slower CPU.
COMMAND = [
    str(LIGHTHOUSE.relative_to(ROOT)),
    "<url>",
    "--quiet",
    "--output=json",
    f"--only-categories={','.join(CATEGORIES)}",
    f"--chrome-flags={' '.join(CHROMIUM_ARGS)}",
]


@dataclass(frozen=True)
class Audit:
    url: str
    scores: dict[str, int]  # 0–100 by category
    failing: list[str]  # weighted audits that did not pass: "category: audit (value)"
    attempts: int  # runs it took: > 1 when Lighthouse asked to be run again


def audit(url: str, attempts: int = 3) -> Audit:
    """One run of Lighthouse on ``url``.

    A run that Lighthouse itself calls transient ("Please run Lighthouse again", such as a trace
    without its navigation start on a loaded machine) is run again, up to ``attempts`` times.
    """
    if not LIGHTHOUSE.exists():
        raise FileNotFoundError(f"{LIGHTHOUSE} is missing: scripts/bootstrap --dev runs npm ci")
    for attempt in range(1, attempts + 1):
        with tempfile.TemporaryDirectory() as folder:
            report_path = Path(folder) / "report.json"
            command = [str(LIGHTHOUSE), url, *COMMAND[2:], f"--output-path={report_path}"]
            run = subprocess.run(
                command, env={**os.environ, "CHROME_PATH": CHROMIUM}, timeout=300, capture_output=True, text=True
            )
            if run.returncode == 0:
                report = json.loads(report_path.read_text(encoding="utf-8"))
                break
        if attempt == attempts or "run Lighthouse again" not in run.stderr:
            raise RuntimeError(f"lighthouse exited with {run.returncode} on {url}: {run.stderr[-2000:]}")
    failing = []
    for category in report["categories"].values():
        for ref in category["auditRefs"]:
            result = report["audits"][ref["id"]]
            if ref.get("weight") and result.get("score") is not None and result["score"] < 1:
                failing.append(f"{category['id']}: {ref['id']} ({result.get('displayValue') or result['score']})")
    scores = {name: round(category["score"] * 100) for name, category in report["categories"].items()}
    return Audit(report["finalDisplayedUrl"], scores, failing, attempt)
