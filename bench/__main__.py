"""``python -m bench``: the benchmarks, what each measures and how to run it (read from their docstrings)."""

from __future__ import annotations

import ast
from pathlib import Path

BENCH = Path(__file__).parent
# The entry points, in the order the docs introduce them; each module's docstring says the rest.
ENTRY_POINTS = {
    "bench.upload_bench": "upload_bench.py",
    "bench.inspection_cpu": "inspection_cpu.py",
    "bench.upload_cpu": "upload_cpu.py",
    "bench.s3_call_cpu": "s3_call_cpu.py",
    "bench.processing_bench": "processing_bench.py",
    "bench.rankings_bench": "rankings_bench.py",
    "bench.ratelimit_bench": "ratelimit_bench.py",
    "bench.contest_window_bench": "contest_window_bench.py",
    "bench.contest_close_bench": "contest_close_bench.py",
    "bench.integrity_sim": "integrity_sim.py",
    "bench.scan_bench": "scan_bench.py",
    "bench.sqlite_votes": "sqlite_votes.py",
    "bench.capacity": "capacity/__init__.py",
    "bench.cli_start": "cli_start.py",
    "bench.lighthouse_bench": "lighthouse_bench.py",
    "bench.deployment_bench": "deployment_bench.py",
}


def describe(module: str, source: str) -> str:
    doc = ast.get_docstring(ast.parse((BENCH / source).read_text(encoding="utf-8"))) or ""
    lines = doc.splitlines()
    usage = [line.strip() for line in lines if line.strip().startswith(".venv/bin/python -m")]
    return "\n".join([f"{module} — {lines[0] if lines else ''}", *(f"    {line}" for line in usage)])


def main() -> None:
    print("\n\n".join(describe(module, source) for module, source in ENTRY_POINTS.items()))
    print("\nEach run writes a summary to docs/results/ (--summary-dir elsewhere); see docs/results/README.md.")


if __name__ == "__main__":
    main()
