"""Helpers shared by the ``anb`` subcommands of every role."""

from __future__ import annotations

import click
from pydantic import ValidationError

from anb.config import Settings


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        # Invalid or unsafe settings stop the process with pydantic's readable explanation.
        raise click.ClickException(str(exc)) from exc
