"""docs/api.md is the HTTP contract: in step with the shared spec, and matched by the served API."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[1]
CONTRACT = REPO / "docs" / "api.md"
# The competition's shared spec, beside the repository when it is checked out with it.
SHARED_SPEC = REPO.parent / "shared" / "spec" / "api.md"
# Routes of the contract that the OpenAPI document leaves out on purpose: the two that serve the
# document itself, and the infrastructure routes the load balancer and Prometheus call.
NOT_IN_OPENAPI = {"GET /api/docs", "GET /api/openapi.json", "GET /health", "GET /metrics"}
ACCOUNT_FAMILIES = ("/api/auth", "/auth/api/v1")


def contract_text() -> str:
    """The contract as the shared spec words it, without docs/api.md's one-line header."""
    header, body = CONTRACT.read_text(encoding="utf-8").split("\n", 1)
    assert header.startswith("<!--"), "docs/api.md starts with its one-line header"
    return body


def contract_routes() -> set[str]:
    """Every ``METHOD /path`` the contract names, path parameters written as ``{}``."""
    text = contract_text()
    routes = set(re.findall(r"`((?:GET|POST|PUT|PATCH|DELETE) /[^`\s]*)`", text))
    for op, method in re.findall(r"^\| `(\w+)` \| (GET|POST) \|", text, flags=re.MULTILINE):
        routes |= {f"{method} {family}/{op}" for family in ACCOUNT_FAMILIES}
    return {without_parameter_names(route) for route in routes}


def without_parameter_names(route: str) -> str:
    """``GET /api/videos/{video_id}`` -> ``GET /api/videos/{}``: the contract calls every id ``{id}``."""
    return re.sub(r"\{\w+\}", "{}", route)


def test_contract_is_the_shared_spec() -> None:
    if not SHARED_SPEC.exists():
        pytest.skip(f"no shared spec beside the repository ({SHARED_SPEC})")
    assert contract_text() == SHARED_SPEC.read_text(encoding="utf-8")


async def test_every_contract_route_is_in_the_openapi_document(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/api/openapi.json")).json()["paths"]
    served = {
        without_parameter_names(f"{method.upper()} {path}")
        for path, operations in paths.items()
        for method in operations
    }
    routes = contract_routes()
    assert len(routes) > 20, "the contract's routes were read"
    assert sorted(routes - NOT_IN_OPENAPI - served) == []


def test_every_quoted_message_is_spelled_so_in_the_code() -> None:
    """Clients match the Spanish texts exactly: a reworded message in anb/ breaks them."""
    messages = set(re.findall(r'"([A-ZÁÉÍÓÚ][^"]*\.)"', contract_text()))
    assert len(messages) >= 10, "the contract's messages were read"
    code = "\n".join(path.read_text(encoding="utf-8") for path in (REPO / "anb").rglob("*.py"))
    assert sorted(message for message in messages if f'"{message}"' not in code) == []
