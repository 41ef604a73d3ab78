"""Reading the kit's Markdown reports back in tests."""

from __future__ import annotations


def table(report: str, heading: str) -> list[list[str]]:
    """The rows of the first Markdown table under ``## heading`` (its header and rule left out)."""
    section = report.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows[2:]]
