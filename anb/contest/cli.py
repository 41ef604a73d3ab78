"""``anb contest set|close|export|verify``: the rules, the close by hand, the export, its check."""

from __future__ import annotations

import asyncio
import json
import sys
import urllib.request
from pathlib import Path
from typing import Any

import click

from anb.audit import record
from anb.cli_support import load_settings
from anb.config import Settings
from anb.contest import service
from anb.contest.closing import run_close
from anb.contest.verify import verify_file
from anb.contest_rules.rules import Rules, iso_utc, parse_instant
from anb.db.unit_of_work import unit_on_own_engine
from anb.errors import AppError


@click.group()
def contest() -> None:
    """The contest: rules, close, export and verification of the result."""


def _instant(_ctx: click.Context, _param: click.Parameter, value: str | None) -> Any:
    if value is None:
        return None
    try:
        return parse_instant(value)
    except ValueError as exc:
        raise click.BadParameter(f"not an ISO 8601 instant: {value}") from exc


async def _save_rules(settings: Settings, rules: Rules) -> None:
    async with unit_on_own_engine(settings.resolved_database_url) as unit:
        await service.set_rules(unit.session, rules, "cli")
        record(unit.session, "cli", "set_contest_rules", rules.as_export())


@contest.command("set")
@click.option("--opens", required=True, callback=_instant, help="Voting opens (ISO 8601; no offset = Colombia).")
@click.option("--closes", required=True, callback=_instant, help="Voting closes (ISO 8601; no offset = Colombia).")
@click.option("--uploads-close", callback=_instant, help="Uploads end (default: never).")
@click.option("--squad-size", type=click.IntRange(1, 100), default=5, show_default=True)
@click.option("--self-votes/--no-self-votes", default=True, show_default=True, help="Whether self-votes count.")
@click.option("--jury-weight", type=click.IntRange(0, 100), default=0, show_default=True, help="Percent.")
def set_rules(**options: Any) -> None:
    """Set the contest's rules (replacing any earlier ones until the contest has closed)."""
    rules = Rules(options["opens"], options["closes"], options["uploads_close"], options["squad_size"],
                  options["self_votes"], options["jury_weight"])  # fmt: skip
    try:
        asyncio.run(_save_rules(load_settings(), rules))
    except AppError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"contest rules set: voting {iso_utc(rules.opens_at)} → {iso_utc(rules.closes_at)}")


@contest.command()
def close() -> None:
    """Freeze the standings now that voting has closed (the sweeper does it by itself)."""
    try:
        result, closed_now = run_close(load_settings())
    except service.NotYetClosable as exc:
        raise click.ClickException(f"not closable yet: {exc}") from exc
    state = "closed now" if closed_now else "already closed"
    click.echo(
        f"contest {state} (at {iso_utc(result.closed_at)}): {result.vote_count} votes, head {result.head_digest}"
    )


async def _export(settings: Settings, folder: Path) -> tuple[list[Path], str]:
    # Read-only: the unit has nothing to commit.
    async with unit_on_own_engine(settings.resolved_database_url) as unit:
        return await service.export_files(unit.session, settings.secret_key.get_secret_value(), folder)


@contest.command("export")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def export_command(folder: Path) -> None:
    """Write contest.json, votes.csv and standings.csv of the closed contest into FOLDER."""
    try:
        paths, head_digest = asyncio.run(_export(load_settings(), folder))
    except (service.NotYetClosable, service.LedgerChanged) as exc:
        raise click.ClickException(str(exc)) from exc
    for path in paths:
        click.echo(f"wrote {path}")
    click.echo(f"head {head_digest}")


def _published(source: str) -> dict[str, Any]:
    """The published result: a URL of GET /api/public/results, or a file holding its answer."""
    if source.startswith(("http://", "https://")):
        with urllib.request.urlopen(source, timeout=30) as answer:  # noqa: S310 - http(s) only, checked above
            loaded = json.load(answer)
    else:
        loaded = json.loads(Path(source).read_text(encoding="utf-8"))
    if not isinstance(loaded, dict):
        raise click.ClickException(f"{source} is not a published result")
    return loaded


@contest.command()
@click.argument("export_file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--published", help="URL of /api/public/results (or a file with its answer) to compare with.")
def verify(export_file: Path, published: str | None) -> None:
    """Recompute the chain's head and the standings from EXPORT_FILE alone; exit 1 if anything differs."""
    verdict = verify_file(export_file, _published(published) if published else None)
    for problem in verdict.problems:
        click.echo(f"MISMATCH: {problem}", err=True)
    if not verdict.ok:
        sys.exit(1)
    click.echo(f"OK: the records chain to {verdict.recomputed_head} and give the stated standings")
