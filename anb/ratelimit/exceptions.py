from __future__ import annotations

import math

from anb.errors import AppError


class RateLimited(AppError):
    status_code = 429
    code = "rate_limited"
    detail = "Demasiadas solicitudes. Inténtalo de nuevo en {seconds} s."

    def __init__(self, retry_after: float) -> None:
        # Whole seconds, rounded up: a client that waits exactly Retry-After is admitted.
        seconds = max(1, math.ceil(retry_after))
        super().__init__(self.detail.format(seconds=seconds), headers={"Retry-After": str(seconds)})
        self.retry_after = seconds


class LoginLocked(RateLimited):
    code = "login_locked"
    detail = "Demasiados intentos fallidos de inicio de sesión. Inténtalo de nuevo en {seconds} s."
