from __future__ import annotations

from anb.errors import BadRequest, Forbidden, NotFound


class InvalidRules(BadRequest):
    code = "invalid_rules"
    detail = "Reglas del concurso inválidas."


class ResultsNotPublished(NotFound):
    code = "results_not_published"
    detail = "Los resultados se publican al cierre de la votación."


class NotAJuror(Forbidden):
    code = "not_a_juror"
    detail = "Solo un miembro del jurado puede calificar videos."
