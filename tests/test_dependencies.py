"""No route or dependency is sync: FastAPI runs sync callables in its thread pool, a hop per
callable per request that queues behind the pool's 40 threads (a sync client-address dependency
cost the vote route a fifth of its throughput, docs/voting.md)."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute


def _api_routes(routes: list[Any]) -> Iterator[APIRoute]:
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        # An included router keeps its own routes (FastAPI resolves the prefix lazily).
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from _api_routes(included.routes)


def _callables(dependant: Dependant) -> Iterator[Any]:
    if dependant.call is not None:
        yield dependant.call
    for child in dependant.dependencies:
        yield from _callables(child)


def _runs_on_the_event_loop(call: Any) -> bool:
    function = call if inspect.isfunction(call) or inspect.ismethod(call) else type(call).__call__
    return inspect.iscoroutinefunction(function) or inspect.isasyncgenfunction(function)


def test_every_route_and_dependency_is_async(app: FastAPI) -> None:
    routes = list(_api_routes(app.routes))
    assert len(routes) > 20  # the walk reached the included routers
    sync = {
        f"{route.path}: {getattr(call, '__qualname__', type(call).__qualname__)}"
        for route in routes
        for call in _callables(route.dependant)
        if not _runs_on_the_event_loop(call)
    }
    assert not sync
