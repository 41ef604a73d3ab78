"""The import rules of docs/architecture.md ("The code"), read from the source with ``ast``."""

from __future__ import annotations

import ast
from pathlib import Path

ANB = Path(__file__).resolve().parent.parent / "anb"

# Shared plumbing: what features build on. It imports only shared plumbing: never a feature package
# (accounts, videos, processing, voting, web, …, whatever is added) nor the composition (app,
# wiring, the commands).
SHARED = {
    "access_tokens", "db", "ffmpeg", "jobs", "observability", "ratelimit", "storage", "config",
    "errors", "state", "deps", "response_cache", "body_limit", "request_body", "security_headers",
    "openapi", "cli_support", "cli", "client_address", "mail", "audit",
}  # fmt: skip


def _imported_packages(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = [node.module] if isinstance(node, ast.ImportFrom) and node.module else []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        found |= {name.split(".")[1] for name in names if name.startswith("anb.")}
    return found


def _top_level(path: Path) -> str:
    return path.relative_to(ANB).parts[0].removesuffix(".py")


def test_shared_plumbing_never_imports_a_feature() -> None:
    offences = {
        str(path.relative_to(ANB)): sorted(_imported_packages(path) - SHARED)
        for path in ANB.rglob("*.py")
        if _top_level(path) in SHARED and _imported_packages(path) - SHARED
    }
    assert offences == {}


def test_the_ffmpeg_pipeline_is_pure() -> None:
    """No settings, database or storage: ``anb.ffmpeg`` only knows files and ffmpeg."""
    for path in (ANB / "ffmpeg").rglob("*.py"):
        assert _imported_packages(path) <= {"ffmpeg"}, path


def test_the_cli_imports_no_command_until_one_runs() -> None:
    assert _imported_packages(ANB / "cli.py") == set()


def test_only_the_named_units_commit_on_their_own() -> None:
    """Every ``.commit()``/``.begin()`` outside the unit of work belongs to a unit that
    anb/db/unit_of_work.py names, or to a command that owns its whole run."""
    allowed = {
        "db/unit_of_work.py",  # the request's (and any command's) unit of work
        "voting/vote_store.py",  # a vote: one statement
        "db/sqlite_writer.py",  # the transactions of SQLite's writer thread (votes on SQLite)
        "processing/leases.py",  # job-lease transitions
        "voting/seed.py",  # `anb demo`: the command's own bulk load
        "db/migrate.py",  # `anb migrate`: the migrations' own transaction
    }
    committing = {
        str(path.relative_to(ANB))
        for path in ANB.rglob("*.py")
        if ".commit()" in (text := path.read_text()) or ".begin()" in text
    }
    assert committing <= allowed, committing - allowed
