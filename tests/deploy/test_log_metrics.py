"""The CloudWatch log metric filters (deploy/terraform/modules/monitoring/logs.tf) read loggers and
fields the application really writes: renaming either fails here, not on a flat CloudWatch graph."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from anb.observability import middleware
from anb.observability.logs import JsonFormatter
from anb.processing import job as processing
from anb.videos import router as videos_router
from tests.deploy.test_terraform import TERRAFORM, blocks

FILTERS: dict[str, Any] = blocks(
    TERRAFORM / "modules" / "monitoring" / "logs.tf", "resource", "aws_cloudwatch_log_metric_filter"
)
FIELD = re.compile(r"\$\.(\w+)")


def _fields_read() -> set[str]:
    fields: set[str] = set()
    for body in FILTERS.values():
        (metric,) = body["metric_transformation"]
        for text in (body["pattern"], metric["value"], *metric.get("dimensions", {}).values()):
            fields |= set(FIELD.findall(text))
    return fields


def test_every_field_a_filter_reads_is_written_by_the_json_formatter() -> None:
    fields = _fields_read()
    assert {"logger", "level", "outcome", "stage", "status", "route", "duration_ms"} <= fields
    record = logging.LogRecord("anb.test", logging.ERROR, __file__, 1, "message", None, None)
    for field in fields:
        setattr(record, field, 503)
    written = json.loads(JsonFormatter().format(record))
    assert fields <= set(written), fields - set(written)
    # Numeric comparisons (status >= 500) and values (duration_ms) need JSON numbers, kept as such.
    assert written["status"] == written["duration_ms"] == 503


def test_every_logger_a_filter_selects_exists() -> None:
    selected = {name for body in FILTERS.values() for name in re.findall(r'\$\.logger = "([\w.]+)"', body["pattern"])}
    assert selected == {module.log.name for module in (middleware, videos_router, processing)}
