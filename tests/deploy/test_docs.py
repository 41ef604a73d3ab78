"""docs/architecture.md and docs/deployment.md stay true to the code they describe."""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import BaseModel

# The models register their tables on Base.metadata when imported.
import anb.accounts.models
import anb.audit
import anb.contest.models
import anb.contest_rules.models
import anb.integrity.models
import anb.videos.models
import anb.voting.models
from anb.config import Settings
from anb.db.base import Base
from tests.support.deploy_tools import DEPLOY, REPO

ARCHITECTURE = (REPO / "docs" / "architecture.md").read_text()
DEPLOYMENT = (REPO / "docs" / "deployment.md").read_text()


def setting_names(model: type[BaseModel], prefix: str = "ANB_") -> Iterator[str]:
    for name, field in model.model_fields.items():
        nested = field.annotation
        if isinstance(nested, type) and issubclass(nested, BaseModel) and nested.__name__.endswith("Settings"):
            yield from setting_names(nested, f"{prefix}{name.upper()}__")
        else:
            yield prefix + name.upper()


def test_deployment_says_how_every_setting_is_set() -> None:
    missing = [name for name in setting_names(Settings) if f"`{name}`" not in DEPLOYMENT]
    assert missing == []


def test_the_data_model_diagram_has_every_table_and_column() -> None:
    diagram = ARCHITECTURE.split("```mermaid\nerDiagram", 1)[1].split("```", 1)[0]
    assert anb.accounts.models.User.__tablename__ in diagram and anb.videos.models.Video.__tablename__ in diagram
    assert anb.contest_rules.models.ContestRulesRow.__tablename__ in diagram
    for table in Base.metadata.sorted_tables:
        body = re.search(rf"\n    {table.name} \{{\n(.*?)\n    \}}", diagram, re.DOTALL)
        assert body, f"table {table.name} is not in the diagram"
        columns = {line.split()[1] for line in body.group(1).splitlines()}
        assert columns == {column.name for column in table.columns}, table.name


def test_the_diagrams_and_the_module_table_are_there() -> None:
    kinds = re.findall(r"```mermaid\n(\w+)", ARCHITECTURE)
    assert sorted(kinds) == ["erDiagram", "flowchart", "flowchart", "sequenceDiagram"]
    for module in (DEPLOY / "terraform" / "modules").iterdir():
        assert f"| `{module.name}` |" in DEPLOYMENT, f"module {module.name} is not described"
