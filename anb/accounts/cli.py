"""``anb users grant-operator|revoke-operator|grant-jury|revoke-jury EMAIL``: who may review flagged
votes, who scores videos for the contest's jury."""

from __future__ import annotations

import asyncio

import click
from sqlalchemy import update

from anb.accounts.models import User
from anb.accounts.normalize import normalize_email
from anb.audit import record
from anb.cli_support import load_settings
from anb.db.engine import create_async_db_engine, session_factory
from anb.db.unit_of_work import UnitOfWork


@click.group()
def users() -> None:
    """Manage accounts' roles."""


async def _set_role(email: str, role: str) -> bool:
    settings = load_settings()
    engine = create_async_db_engine(settings.resolved_database_url, null_pool=True)
    try:
        async with UnitOfWork(session_factory(engine)) as unit:
            changed = await unit.session.scalar(
                update(User).where(User.email == normalize_email(email)).values(role=role).returning(User.id)
            )
            if changed is not None:
                record(unit.session, "cli", f"set_role_{role}", {"user": str(changed)})
            return changed is not None
    finally:
        await engine.dispose()


_ROLE_NAMES = {"operator": "an operator", "jury": "a jury member", "player": "a player"}


def _apply(email: str, role: str) -> None:
    if not asyncio.run(_set_role(email, role)):
        raise click.ClickException(f"no account with the email {email}")
    click.echo(f"{email} is now {_ROLE_NAMES[role]}")


@users.command("grant-operator")
@click.argument("email")
def grant_operator(email: str) -> None:
    """Make the account an operator (reviews flagged votes, sees the vote ledger)."""
    _apply(email, "operator")


@users.command("revoke-operator")
@click.argument("email")
def revoke_operator(email: str) -> None:
    """Make the operator a player again."""
    _apply(email, "player")


@users.command("grant-jury")
@click.argument("email")
def grant_jury(email: str) -> None:
    """Make the account a jury member (scores published videos for the contest)."""
    _apply(email, "jury")


@users.command("revoke-jury")
@click.argument("email")
def revoke_jury(email: str) -> None:
    """Make the jury member a player again."""
    _apply(email, "player")
