"""``anb keygen``: a new Ed25519 key pair for access tokens."""

from __future__ import annotations

import os

import click

from anb.access_tokens.signing_keys import generate_pem, key_pair_from_pem, public_pem


@click.command("keygen")
@click.argument("private_path", type=click.Path(dir_okay=False, writable=True))
@click.argument("public_path", type=click.Path(dir_okay=False, writable=True))
def keygen(private_path: str, public_path: str) -> None:
    """Write a new Ed25519 signing key (mode 0600) and its public key, for ANB_AUTH__SIGNING_KEY / PUBLIC_KEY."""
    pem = generate_pem()
    with os.fdopen(os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle:
        handle.write(pem)
    with open(public_path, "wb") as handle:
        handle.write(public_pem(key_pair_from_pem(pem)))
    click.echo(f"wrote {private_path} (keep secret) and {public_path}")
