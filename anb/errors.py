"""One error hierarchy for the whole service, rendered by one set of handlers.

Domain code raises ``AppError`` subclasses; every error body is ``{"detail", "code"}``
(plus ``errors`` for per-field problems) and expected conditions never surface as 500.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from anb.security_headers import security_headers

log = logging.getLogger(__name__)


class AppError(Exception):
    status_code: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"
    detail: ClassVar[str] = "Solicitud inválida."

    def __init__(self, detail: str | None = None, *, headers: dict[str, str] | None = None) -> None:
        self.message = detail or self.detail
        self.headers = headers
        super().__init__(self.message)


class BadRequest(AppError):
    pass


class InvalidInput(AppError):
    code = "validation_error"
    detail = "Datos de entrada inválidos."


class InvalidQuery(AppError):
    code = "invalid_query"
    detail = "Parámetro inválido en la consulta."


class Unauthorized(AppError):
    status_code = 401
    code = "not_authenticated"
    detail = "No autenticado."

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"})


class Forbidden(AppError):
    status_code = 403
    code = "forbidden"
    detail = "No tienes permiso para acceder a este recurso."


class NotFound(AppError):
    status_code = 404
    code = "not_found"
    detail = "Recurso no encontrado."


class ServiceUnavailable(AppError):
    status_code = 503
    code = "service_unavailable"
    detail = "Servicio no disponible temporalmente. Inténtalo de nuevo en unos segundos."

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail, headers={"Retry-After": "5"})


class DatabaseUnavailable(ServiceUnavailable):
    code = "database_unavailable"
    detail = "La base de datos no está disponible. Inténtalo de nuevo en unos segundos."


def error_body(code: str, detail: str, **extra: Any) -> dict[str, Any]:
    return {"detail": detail, "code": code, **extra}


_HTTP_CODES = {404: ("not_found", "Recurso no encontrado."), 405: ("method_not_allowed", "Método no permitido.")}


def _field_errors(exc: RequestValidationError) -> list[dict[str, str]]:
    return [
        {"field": ".".join(str(p) for p in err["loc"] if p not in ("body", "query", "path")), "message": err["msg"]}
        for err in exc.errors()
    ]


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(_: Request, exc: AppError) -> JSONResponse:
        return _app_error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _field_errors(exc)
        fields = ", ".join(sorted({e["field"] for e in errors if e["field"]}))
        detail = f"Datos de entrada inválidos: {fields}." if fields else InvalidInput.detail
        return JSONResponse(error_body(InvalidInput.code, detail, errors=errors), 400)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code, detail = _HTTP_CODES.get(exc.status_code, ("http_error", str(exc.detail)))
        return JSONResponse(error_body(code, detail), exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, _: Exception) -> JSONResponse:
        # Starlette sends this answer from outside every middleware (then logs the exception), so it
        # carries the security headers itself; the body keeps the error model and reveals nothing.
        headers = {name.decode(): value.decode() for name, value in security_headers(request.url.path)}
        return JSONResponse(error_body("internal_error", "Error interno del servidor."), 500, headers=headers)

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    # asyncpg's own connect failures reach the app unwrapped: refused, or no answer within the
    # engine's connect timeout (a server that went away without closing its connections).
    @app.exception_handler(ConnectionRefusedError)
    @app.exception_handler(TimeoutError)
    # Every pooled connection busy for the whole pool timeout: overloaded, so a 503 to retry later.
    @app.exception_handler(PoolTimeout)
    # Raised by code that meets the driver's errors itself (the vote), with the driver's error as cause.
    @app.exception_handler(DatabaseUnavailable)
    async def _database_down(_: Request, exc: Exception) -> JSONResponse:
        log.error("database error: %s", type(exc.__cause__ or exc).__name__)
        return _app_error_response(exc if isinstance(exc, DatabaseUnavailable) else DatabaseUnavailable())

    @app.exception_handler(DBAPIError)
    async def _connection_lost(request: Request, exc: DBAPIError) -> JSONResponse:
        # A pooled connection the server closed ("closed in the middle of operation") is a generic
        # DBAPIError flagged as a disconnect; SQLAlchemy has already dropped the pool's connections.
        # A server refusing a new connection (too many clients, starting up, shutting down) is a
        # generic DBAPIError too, told apart only by its SQLSTATE.
        if exc.connection_invalidated or _server_refusing(exc):
            return await _database_down(request, exc)
        raise exc


def _app_error_response(exc: AppError) -> JSONResponse:
    return JSONResponse(error_body(exc.code, exc.message), exc.status_code, headers=exc.headers)


# SQLSTATE classes of a server that cannot take the work now, whatever the statement: 08 connection
# exception, 53 insufficient resources (53300 too many connections), 57P0x shutting down or starting up.
_UNAVAILABLE_SQLSTATES = ("08", "53", "57P0")


def _server_refusing(exc: DBAPIError) -> bool:
    sqlstate = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    return isinstance(sqlstate, str) and sqlstate.startswith(_UNAVAILABLE_SQLSTATES)


class ErrorOut(BaseModel):
    detail: str
    code: str


_DESCRIPTIONS = {
    400: "Datos inválidos",
    401: "No autenticado",
    403: "Prohibido",
    404: "No encontrado",
    410: "Expirado",
    413: "Cuerpo de la solicitud demasiado grande",
    429: "Demasiadas solicitudes",
    503: "Servicio no disponible",
}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for a route's documented error codes, all with the error body."""
    return {code: {"model": ErrorOut, "description": _DESCRIPTIONS[code]} for code in codes}
