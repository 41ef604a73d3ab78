from __future__ import annotations

from anb.errors import Forbidden, NotFound


class OperatorsOnly(Forbidden):
    code = "operator_only"
    detail = "Solo los operadores pueden acceder a esta sección."


class FlagNotFound(NotFound):
    code = "flag_not_found"
    detail = "Alerta no encontrada."


class PlayerNotFound(NotFound):
    code = "player_not_found"
    detail = "Jugador no encontrado."
