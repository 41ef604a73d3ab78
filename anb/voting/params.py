"""Query parameters of the public lists, parsed here so every invalid one gets the contract's 400.

FastAPI's own validation would answer with the generic validation message; the contract wants
"Parámetro inválido en la consulta." for any bad parameter, repeated ones included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import QueryParams

from anb.accounts.normalize import city_key
from anb.db.base import MAX_POSITION
from anb.errors import InvalidQuery

MAX_PAGE_SIZE = 100
_DIGITS = re.compile(r"[0-9]{1,10}")


@dataclass(frozen=True)
class Window:
    limit: int
    offset: int


class QueryReader:
    def __init__(self, params: QueryParams) -> None:
        self._params = params

    def text(self, name: str) -> str | None:
        values = self._params.getlist(name)
        if len(values) > 1:
            raise InvalidQuery()
        return values[0] if values else None

    def integer(self, name: str, minimum: int, maximum: int) -> int | None:
        raw = self.text(name)
        if raw is None:
            return None
        if not _DIGITS.fullmatch(raw) or not minimum <= int(raw) <= maximum:
            raise InvalidQuery()
        return int(raw)

    def city(self) -> str:
        """The city filter's key; "" (no filter) for a missing or empty ``city``."""
        return city_key(self.text("city") or "")

    def choice(self, name: str, allowed: tuple[str, ...], default: str) -> str:
        value = self.text(name)
        if value is None:
            return default
        if value not in allowed:
            raise InvalidQuery()
        return value

    def paging(self, default_limit: int) -> Window:
        """``limit`` (1–100) and ``offset`` (≥ 0)."""
        limit = self.integer("limit", 1, MAX_PAGE_SIZE) or default_limit
        return Window(limit, self.integer("offset", 0, MAX_POSITION) or 0)

    def ranking_window(self, default_limit: int) -> Window:
        """``limit``/``offset``, or ``page`` (1-based, ``limit`` players each), or ``from``/``to``
        (1-based inclusive positions, at most 100); mixing the three forms is invalid."""
        first, last = self.integer("from", 1, MAX_POSITION), self.integer("to", 1, MAX_POSITION)
        page = self.integer("page", 1, MAX_POSITION)
        window = self.paging(default_limit)
        if first is None and last is None:
            if page is None:
                return window
            if "offset" in self._params or (page - 1) * window.limit > MAX_POSITION:
                raise InvalidQuery()
            return Window(window.limit, (page - 1) * window.limit)
        if first is None or last is None or last < first or last - first >= MAX_PAGE_SIZE:
            raise InvalidQuery()
        if page is not None or "limit" in self._params or "offset" in self._params:
            raise InvalidQuery()
        return Window(last - first + 1, first - 1)


def _integer_parameter(name: str, description: str, minimum: int, maximum: int | None = None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "integer", "minimum": minimum}
    if maximum is not None:
        schema["maximum"] = maximum
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


CITY_PARAMETER = {
    "name": "city",
    "in": "query",
    "required": False,
    "description": 'Ciudad del jugador, sin importar mayúsculas ni tildes ("bogota" encuentra "Bogotá"); vacío: todas.',
    "schema": {"type": "string"},
}


def paging_parameters(default_limit: int) -> list[dict[str, Any]]:
    return [
        _integer_parameter("limit", f"Tamaño de página (por defecto {default_limit}).", 1, MAX_PAGE_SIZE),
        _integer_parameter("offset", "Elementos a saltar (por defecto 0).", 0, MAX_POSITION),
    ]


RANKING_RANGE_PARAMETERS = [
    _integer_parameter("page", "Página (desde 1) de `limit` jugadores; no se combina con `offset`.", 1),
    _integer_parameter("from", "Primera posición (desde 1, inclusiva); va con `to`, sin limit/offset/page.", 1),
    _integer_parameter("to", "Última posición (inclusiva); como mucho 100 posiciones por consulta.", 1),
]


def sort_parameter(values: tuple[str, ...], default: str) -> dict[str, Any]:
    return {
        "name": "sort",
        "in": "query",
        "required": False,
        "description": "Orden: `votes` (más votados primero) o `newest` (publicados más recientemente primero).",
        "schema": {"type": "string", "enum": list(values), "default": default},
    }
