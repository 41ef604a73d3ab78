"""The showcase routes read the same data as the public voting routes: reuse their fixtures."""

from tests.voting.conftest import settings

__all__ = ["settings"]
