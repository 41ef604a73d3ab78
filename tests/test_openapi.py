from __future__ import annotations

import httpx


async def test_openapi_documents_every_route_without_422(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/api/openapi.json")).json()
    paths = schema["paths"]
    for family in ("/api/auth", "/auth/api/v1"):
        for op in ("signup", "login", "refresh", "logout", "me", "status"):
            assert f"{family}/{op}" in paths
    assert "/api/health" in paths and "/api/ready" in paths
    text = str(schema)
    assert "'422'" not in text and "HTTPValidationError" not in text
    assert "ErrorOut" in schema["components"]["schemas"]
    login = paths["/api/auth/login"]["post"]
    assert set(login["requestBody"]["content"]) == {"application/json", "application/x-www-form-urlencoded"}
    assert {"400", "401"} <= set(login["responses"])


async def test_docs_page_is_served(client: httpx.AsyncClient) -> None:
    answer = await client.get("/api/docs")
    assert answer.status_code == 200
    assert "swagger" in answer.text.lower()


async def test_unknown_route_uses_the_error_model(client: httpx.AsyncClient) -> None:
    answer = await client.get("/api/nothing-here")
    assert answer.status_code == 404
    assert answer.json() == {"detail": "Recurso no encontrado.", "code": "not_found"}
