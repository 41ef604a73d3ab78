"""Reading small request bodies that may come as JSON or as an HTML form."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request

from anb.errors import InvalidInput


async def read_json_or_form(request: Request) -> dict[str, Any]:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.form()
        return {key: value for key, value in form.items() if isinstance(value, str)}
    try:
        body = json.loads(await request.body() or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput("El cuerpo de la solicitud no es JSON válido.") from exc
    if not isinstance(body, dict):
        raise InvalidInput("El cuerpo de la solicitud debe ser un objeto JSON.")
    return body
