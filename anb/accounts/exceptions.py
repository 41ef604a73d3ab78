from __future__ import annotations

from anb.db.unit_of_work import KeepsTheUnit
from anb.errors import BadRequest, Unauthorized


class EmailTaken(BadRequest):
    code = "email_taken"
    detail = "El email ya está registrado."


class PasswordMismatch(BadRequest):
    code = "password_mismatch"
    detail = "Las contraseñas no coinciden."


class WeakPassword(BadRequest):
    code = "weak_password"
    detail = "La contraseña debe tener entre 8 y 128 caracteres e incluir letras y números."


class InvalidEmail(BadRequest):
    code = "invalid_email"
    detail = "El email no es válido."


class InvalidCredentials(Unauthorized):
    code = "invalid_credentials"
    detail = "Credenciales inválidas."


class InvalidRefreshToken(Unauthorized):
    code = "invalid_refresh_token"
    detail = "El token de actualización no es válido o ha expirado."


class RefreshTokenReplayed(InvalidRefreshToken, KeepsTheUnit):
    """A rotated refresh token used again: its whole family is revoked, and that revocation must
    survive this 401 (the client sees the same error as for any invalid token)."""
