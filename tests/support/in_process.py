"""The application in the test's own process, reached through an in-process HTTP client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI

from anb.app import create_app
from anb.config import Settings


@asynccontextmanager
async def app_client(settings: Settings) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """An application with settings of the test's own and an in-process client for it."""
    application = create_app(settings)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=application), base_url="http://testserver") as http:
        yield application, http
    await application.state.anb.close()
