"""The ``anb`` command: one subcommand per process role.

Each subcommand's module is imported only when that subcommand runs, so a command pays for what it
runs and nothing else (``anb --help`` imports none of them).
"""

from __future__ import annotations

import importlib
import sys

import click

# name -> (module:attribute, the one-line summary `anb --help` shows without importing the module)
COMMANDS: dict[str, tuple[str, str]] = {
    "serve": ("anb.server_cli:serve", "Run the all-in-one service: web UI, both APIs and the processing workers."),
    "api": ("anb.server_cli:api", "Run one production HTTP role (ANB_ROLE=auth|core|all)."),
    "migrate": ("anb.server_cli:migrate", "Apply the database schema migrations."),
    "worker": ("anb.processing.cli:worker", "Run a Celery worker that processes videos from the broker."),
    "jobs": ("anb.processing.cli:jobs", "Inspect and repair processing jobs."),
    "process": ("anb.processing.file_cli:process", "Turn a local video file into a published ANB video."),
    "demo": ("anb.voting.cli:demo", "Add demo players, published videos and votes to the database."),
    "keygen": ("anb.access_tokens.keygen_cli:keygen", "Write a new Ed25519 key pair for access tokens."),
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, attribute = COMMANDS[cmd_name][0].split(":")
        command = getattr(importlib.import_module(module), attribute)
        assert isinstance(command, click.Command)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, summary) for name, (_, summary) in sorted(COMMANDS.items())])


@click.group(cls=LazyGroup)
def main() -> None:
    """ANB Rising Stars Showcase."""


if __name__ == "__main__":
    sys.exit(main())
