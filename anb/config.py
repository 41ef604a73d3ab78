"""Typed, grouped settings read from ``ANB_``-prefixed environment variables.

The application never reads the environment itself: ``create_app(settings)`` receives a
``Settings`` object, so tests build one instead of mutating ``os.environ``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Development secrets are public (they are in this file): production refuses them.
DEV_SECRET = "anb-development-secret-do-not-use-in-production"  # noqa: S105


class AuthSettings(BaseModel):
    access_ttl_seconds: int = Field(900, ge=30)
    refresh_ttl_seconds: int = Field(14 * 24 * 3600, ge=300)
    issuer: str = "anb-rising-stars"
    # PEM of an Ed25519 private key. Empty: a development key is created under the data directory.
    signing_key: SecretStr = SecretStr("")


class UploadSettings(BaseModel):
    max_bytes: int = Field(100 * 1024 * 1024, ge=1)
    min_duration_seconds: float = 20.0
    max_duration_seconds: float = 60.0
    min_short_side: int = 1080
    probe_timeout_seconds: float = 30.0


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ANB_", env_nested_delimiter="__", extra="ignore")

    env: Literal["development", "production"] = "development"
    # Explicit opt-in to run production with SQLite or local disk (a single-box deployment).
    allow_embedded_in_production: bool = False

    data_dir: Path = Path("data")
    database_url: str = ""
    secret_key: SecretStr = SecretStr(DEV_SECRET)

    storage: Literal["local", "s3"] = "local"
    s3_bucket: str = ""
    s3_region: str | None = None
    s3_endpoint_url: str | None = None
    # Endpoint put in presigned URLs when browsers reach S3 by another name than the servers do.
    s3_public_endpoint_url: str | None = None
    s3_access_key: SecretStr | None = None
    s3_secret_key: SecretStr | None = None
    media_url_ttl_seconds: int = Field(3600, ge=60)

    http_workers: int = Field(default_factory=lambda: max(2, os.cpu_count() or 1), ge=1)
    cors_origins: list[str] = []

    auth: AuthSettings = AuthSettings()
    upload: UploadSettings = UploadSettings()

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.env != "production":
            return self
        problems = []
        if self.secret_key.get_secret_value() == DEV_SECRET or len(self.secret_key.get_secret_value()) < 32:
            problems.append("ANB_SECRET_KEY must be set to a random value of at least 32 characters")
        if not self.auth.signing_key.get_secret_value():
            problems.append("ANB_AUTH__SIGNING_KEY must hold the Ed25519 private key (PEM)")
        if not self.allow_embedded_in_production:
            if self.resolved_database_url.startswith("sqlite"):
                problems.append("ANB_DATABASE_URL must point to PostgreSQL (or set ANB_ALLOW_EMBEDDED_IN_PRODUCTION)")
            if self.storage == "local":
                problems.append("ANB_STORAGE must be s3 (or set ANB_ALLOW_EMBEDDED_IN_PRODUCTION)")
        if problems:
            raise ValueError("production refuses development defaults: " + "; ".join(problems))
        return self

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'anb.sqlite3').resolve()}"
