"""Lighthouse in mobile mode on the gallery, a video page and the ranking of a real service.

    .venv/bin/python -m bench.lighthouse_bench [--runs 3] [--screenshots docs/web]

Starts ``anb serve`` on a free loopback port with a temporary data directory, publishes three
videos through the API (bench/harness/showcase_site.py: real uploads, the embedded workers' real ffmpeg) and a
few votes, then runs Lighthouse (npm dev dependency, Debian's Chromium) ``--runs`` times per page.
Writes the command, commit, machine, every run's scores and the median per category to
docs/results/lighthouse-<UTC time>.json (bench/results.py). Performance
depends on the machine's load (Lighthouse simulates a slow phone from the observed trace), so it
is recorded here and not asserted; tests/web/test_lighthouse.py holds the other three.
With ``--screenshots DIR`` it also saves the pages (and a profile) as PNGs at desktop and phone
sizes, the pictures of docs/web.md.
"""

from __future__ import annotations

import argparse
import shlex
import statistics
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.harness.browser import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE
from bench.harness.clips import make_clip
from bench.harness.lighthouse import CATEGORIES, COMMAND, audit
from bench.harness.processes import anb_serve
from bench.harness.showcase_site import Showcase, build_showcase
from bench.results import add_summary_option, write_summary
from bench.stamp import Stamp

SERVICE_ENV = {
    "ANB_FFMPEG__PRESET": "ultrafast",
    "ANB_RATE_LIMIT__SIGNUP_PER_ADDRESS": "1000/hour",
}


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


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--screenshots", type=Path, default=None, help="folder for PNGs of the pages")
    add_summary_option(parser)
    args = parser.parse_args(argv)
    stamp = Stamp.now("bench.lighthouse_bench", sys.argv[1:] if argv is None else argv)
    with tempfile.TemporaryDirectory() as folder:
        clip = make_clip(Path(folder) / "clip.mp4")
        env = {**SERVICE_ENV, "ANB_DATA_DIR": str(Path(folder) / "data")}
        with anb_serve(env, Path(folder) / "serve.log") as url:
            site = build_showcase(url, clip, "bench")
            pages = {
                "gallery": f"{url}/",
                "video": f"{url}/videos/{site.videos['Triple bench']}",
                "ranking": f"{url}/#/ranking",
            }
            results: dict[str, object] = {"lighthouse_command": shlex.join(COMMAND)}
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
            if args.screenshots:
                screenshots(url, site, args.screenshots)
    write_summary("lighthouse", stamp, results, args.summary_dir)


if __name__ == "__main__":
    main()
