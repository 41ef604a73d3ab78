"""Lighthouse in mobile mode on the gallery, a video page and the ranking of a real service.

    .venv/bin/python -m bench.lighthouse_bench [--runs 3] [--output docs/web/lighthouse.json] [--screenshots docs/web]

Starts ``anb serve`` on a free loopback port with a temporary data directory, publishes three
videos through the API (tests/web/site.py: real uploads, the embedded workers' real ffmpeg) and a
few votes, then runs Lighthouse (npm dev dependency, Debian's Chromium) ``--runs`` times per page.
Writes the command, commit, machine, every run's scores and the median per category. Performance
depends on the machine's load (Lighthouse simulates a slow phone from the observed trace), so it
is recorded here and not asserted; tests/web/test_lighthouse.py holds the other three.
With ``--screenshots DIR`` it also saves the pages (and a profile) as PNGs at desktop and phone
sizes, the pictures of docs/web.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.clips import make_clip
from tests.processes import anb_serve
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE
from tests.web.lighthouse import CATEGORIES, COMMAND, ROOT, audit
from tests.web.site import Showcase, build_showcase

SERVICE_ENV = {
    "ANB_FFMPEG__PRESET": "ultrafast",
    "ANB_RATE_LIMIT__SIGNUP_PER_ADDRESS": "1000/hour",
}


def _machine() -> dict[str, object]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    memory_kib = int(
        next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if "MemTotal" in line)
    )
    chromium = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory_kib / 1024**2, 1),
        "os": platform.platform(),
        "chromium": chromium,
        "load_average_at_start": [round(value, 2) for value in os.getloadavg()],
    }


def _commit() -> str:
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    return f"{head}{' (with uncommitted changes)' if dirty else ''}"


def screenshots(url: str, site: Showcase, folder: Path) -> None:
    """The gallery, a video page, a profile and the ranking, as a person sees them on arrival."""
    pages = {
        "galeria": ("/", "article.card"),
        "video": (f"/videos/{site.videos['Triple bench']}", "article.card h1"),
        "perfil": (f"/players/{site.players['John Doe (Barranquilla)']}", "article.card"),
        "ranking": ("/#/ranking", "table.ranking tbody tr"),
    }
    folder.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for size, viewport in (("escritorio", DESKTOP), ("movil", PHONE)):
            page = browser.new_context(base_url=url, viewport=viewport, locale="es-CO").new_page()
            for name, (path, ready) in pages.items():
                page.goto(path)
                page.wait_for_selector(ready)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=folder / f"{name}-{size}.png")
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "web" / "lighthouse.json")
    parser.add_argument("--screenshots", type=Path, default=None, help="folder for PNGs of the pages")
    args = parser.parse_args()
    summary: dict[str, object] = {
        "command": shlex.join(["python", "-m", "bench.lighthouse_bench", *sys.argv[1:]]),
        "lighthouse_command": shlex.join(COMMAND),
        "commit": _commit(),
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": _machine(),
        "pages": {},
    }
    with tempfile.TemporaryDirectory() as folder:
        clip = make_clip(Path(folder) / "clip.mp4")
        env = {**SERVICE_ENV, "ANB_DATA_DIR": str(Path(folder) / "data")}
        with anb_serve(env, Path(folder) / "serve.log") as url:
            site = build_showcase(url, clip, "bench")
            pages = {
                "gallery": f"{url}/",
                "video": f"{url}/videos/{next(iter(site.videos.values()))}",
                "ranking": f"{url}/#/ranking",
            }
            results: dict[str, object] = {}
            for name, page in pages.items():
                runs = [audit(page) for _ in range(args.runs)]
                results[name] = {
                    "path": page.removeprefix(url),
                    "median": {c: statistics.median(run.scores[c] for run in runs) for c in CATEGORIES},
                    "runs": [run.scores for run in runs],
                    "failing_audits_last_run": runs[-1].failing,
                    "lighthouse_attempts_per_run": [run.attempts for run in runs],
                }
                print(name, results[name], flush=True)
            summary["pages"] = results
            if args.screenshots:
                screenshots(url, site, args.screenshots)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written {args.output}")


if __name__ == "__main__":
    main()
