"""deploy/grafana/anb-dashboard.json: a Grafana dashboard whose queries name only metrics the code
exposes, and that shows every one of them (a renamed metric fails here, not on an empty panel)."""

from __future__ import annotations

import json
import re
from typing import Any

from prometheus_client import Counter, Histogram

from anb.observability import metrics
from tests.support.deploy_tools import DEPLOY

DASHBOARD: dict[str, Any] = json.loads((DEPLOY / "grafana" / "anb-dashboard.json").read_text())
METRIC_NAME = re.compile(r"\banb_[a-z0-9_]+\b")


def _exposed() -> dict[str, set[str]]:
    """Each metric the code defines → the sample names a query may use."""
    exposed: dict[str, set[str]] = {name: {name} for name in metrics.SCRAPE_TIME_GAUGES}
    for metric in vars(metrics).values():
        if isinstance(metric, Counter):
            (family,) = metric.describe()
            exposed[family.name] = {f"{family.name}_total"}
        elif isinstance(metric, Histogram):
            (family,) = metric.describe()
            exposed[family.name] = {f"{family.name}{suffix}" for suffix in ("_bucket", "_sum", "_count")}
    return exposed


def _panels() -> list[dict[str, Any]]:
    return [panel for panel in DASHBOARD["panels"] if panel["type"] != "row"]


def test_it_has_the_shape_grafana_imports() -> None:
    assert DASHBOARD["uid"] and DASHBOARD["title"] and isinstance(DASHBOARD["schemaVersion"], int)
    (variable,) = DASHBOARD["templating"]["list"]
    assert (variable["name"], variable["type"], variable["query"]) == ("datasource", "datasource", "prometheus")
    ids = [panel["id"] for panel in DASHBOARD["panels"]]
    assert len(ids) == len(set(ids))
    for panel in DASHBOARD["panels"]:
        position = panel["gridPos"]
        assert {key: type(value) for key, value in position.items()} == dict.fromkeys("hwxy", int)
        assert position["x"] + position["w"] <= 24
    for panel in _panels():
        assert panel["title"] and panel["description"] and panel["targets"], panel
        assert panel["datasource"] == {"type": "prometheus", "uid": "${datasource}"}
        refs = [target["refId"] for target in panel["targets"]]
        assert len(refs) == len(set(refs)) and all(target["expr"] for target in panel["targets"])


def test_panels_do_not_overlap() -> None:
    cells: set[tuple[int, int]] = set()
    for panel in DASHBOARD["panels"]:
        box = panel["gridPos"]
        area = {(x, y) for x in range(box["x"], box["x"] + box["w"]) for y in range(box["y"], box["y"] + box["h"])}
        assert not area & cells, panel["title"]
        cells |= area


def test_queries_name_only_exposed_metrics_and_show_them_all() -> None:
    exposed = _exposed()
    samples = set().union(*exposed.values())
    used: set[str] = set()
    for panel in _panels():
        for target in panel["targets"]:
            names = set(METRIC_NAME.findall(target["expr"]))
            assert names, f"{panel['title']}: {target['expr']}"
            assert names <= samples, f"{panel['title']} queries unknown metrics {names - samples}"
            used |= names
    unshown = [metric for metric, names in exposed.items() if not names & used]
    assert unshown == []
    # Sanity: the metrics module still defines what the docs' table lists.
    assert {"anb_http_requests", "anb_job_stage_seconds", "anb_votes", "anb_jobs_dead_letters"} <= set(exposed)
