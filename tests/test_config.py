from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pydantic import ValidationError

from anb.access_tokens.signing_keys import generate_pem
from anb.config import DEV_SECRET, Settings
from bench.harness.processes import ANB

STRONG = "x" * 40


def test_development_defaults_need_no_configuration(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    assert settings.resolved_database_url.startswith("sqlite:///")
    assert settings.storage.backend == "local"


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({}, "ANB_SECRET_KEY"),
        ({"secret_key": DEV_SECRET}, "ANB_SECRET_KEY"),
        ({"secret_key": STRONG}, "ANB_AUTH__SIGNING_KEY"),
        ({"secret_key": STRONG, "auth": {"signing_key": "pem"}}, "PostgreSQL"),
        ({"secret_key": STRONG, "auth": {"signing_key": "pem"}, "database_url": "postgresql://db/anb"}, "s3"),
    ],
)
def test_production_refuses_development_defaults(overrides: dict[str, object], problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        Settings(env="production", **overrides)  # type: ignore[arg-type]


def test_production_accepts_explicit_embedded_override() -> None:
    settings = Settings(
        env="production", secret_key=STRONG, auth={"signing_key": "pem"}, allow_embedded_in_production=True
    )  # type: ignore[arg-type]
    assert settings.env == "production"


def test_cli_refuses_to_start_production_with_defaults(tmp_path: Path) -> None:
    result = subprocess.run(
        [ANB, "migrate"],
        env={"ANB_ENV": "production", "ANB_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "production refuses development defaults" in result.stderr
    assert not (tmp_path / "anb.sqlite3").exists()


def test_nested_settings_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    pem = generate_pem().decode()
    monkeypatch.setenv("ANB_AUTH__SIGNING_KEY", pem)
    monkeypatch.setenv("ANB_AUTH__ACCESS_TTL_SECONDS", "120")
    settings = Settings()
    assert settings.auth.access_ttl_seconds == 120
    assert settings.auth.signing_key.get_secret_value() == pem
    assert pem not in repr(settings)
