"""ASGI entry point for server processes: settings come from the ``ANB_`` environment."""

from __future__ import annotations

from fastapi import FastAPI

from anb.app import create_app
from anb.config import Settings


def app_from_env() -> FastAPI:
    return create_app(Settings())
