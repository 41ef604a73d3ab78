"""Typed, grouped settings read from ``ANB_``-prefixed environment variables.

The application never reads the environment itself: ``create_app(settings)`` receives a
``Settings`` object, so tests build one instead of mutating ``os.environ``.
"""

from __future__ import annotations

import ipaddress
import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

# Development secrets are public (they are in this file): production refuses them.
DEV_SECRET = "anb-development-secret-do-not-use-in-production"  # noqa: S105


class AuthSettings(BaseModel):
    access_ttl_seconds: int = Field(900, ge=30)
    refresh_ttl_seconds: int = Field(14 * 24 * 3600, ge=300)
    issuer: str = "anb-rising-stars"
    # PEM of an Ed25519 private key (the auth role signs with it). Empty: a development key is
    # created under the data directory.
    signing_key: SecretStr = SecretStr("")
    # PEM of the matching public key: enough for a role that only verifies tokens (core).
    public_key: str = ""


class UploadSettings(BaseModel):
    max_bytes: int = Field(100 * 1024 * 1024, ge=1)
    min_duration_seconds: float = 20.0
    max_duration_seconds: float = 60.0
    min_short_side: int = 1080
    # How long an opened direct upload (docs/videos.md) may take before it must be started again.
    direct_upload_ttl_seconds: int = Field(24 * 3600, ge=60, le=7 * 24 * 3600)


_RATE_UNITS = {"s": 1, "second": 1, "m": 60, "minute": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}
_RATE_TEXT = re.compile(r"(\d+)\s*/\s*(\d+(?:\.\d+)?)?\s*(" + "|".join(_RATE_UNITS) + ")")


class RateLimitRule(BaseModel):
    """``requests`` per ``period_seconds``: that many at once, then refilled evenly over the period."""

    model_config = ConfigDict(frozen=True)

    requests: int = Field(ge=1)
    period_seconds: float = Field(gt=0)

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        # The form operators write in variables: "120/minute", "10/30s", "5/second".
        if not isinstance(value, str):
            return value
        match = _RATE_TEXT.fullmatch(value.strip())
        if match is None:
            raise ValueError("expected '<requests>/<period>', e.g. '120/minute' or '10/30s'")
        requests, amount, unit = match.groups()
        return {"requests": int(requests), "period_seconds": float(amount or 1) * _RATE_UNITS[unit]}


# Read from its text form, never as JSON.
RateLimitText = Annotated[RateLimitRule, NoDecode]


class LoginLockoutRule(BaseModel):
    """Per-account backoff: after ``free_failures`` failed logins in a row, every further failure
    locks the account's logins for ``base_seconds``, doubled each time up to ``max_seconds``."""

    model_config = ConfigDict(frozen=True)

    free_failures: int = Field(5, ge=1)
    base_seconds: float = Field(30.0, gt=0)
    max_seconds: float = Field(900.0, gt=0)
    # A run of failures is forgotten after this long without a new one.
    forget_after_seconds: float = Field(3600.0, gt=0)


class RateLimitSettings(BaseModel):
    # "sqlite": one count shared by the server processes of one host, in a small database of its
    # own under the data directory (the embedded service); "redis": one count shared by every
    # process and task (needs ANB_REDIS_URL); "memory": each process counts on its own (tests).
    backend: Literal["sqlite", "redis", "memory"] = "sqlite"
    vote_per_user: RateLimitText = RateLimitRule.model_validate("120/minute")
    # Generous: voters behind one NAT (a school, a stadium's Wi-Fi) share an address.
    vote_per_address: RateLimitText = RateLimitRule.model_validate("1200/minute")
    # Per client address too, for the same reason a whole team may sign up from one gym.
    signup_per_address: RateLimitText = RateLimitRule.model_validate("30/hour")
    login_per_address: RateLimitText = RateLimitRule.model_validate("60/minute")
    # Each upload costs up to 100 MB of disk and a probe: a player needs a few, never hundreds.
    upload_per_user: RateLimitText = RateLimitRule.model_validate("30/hour")
    login_lockout: LoginLockoutRule = LoginLockoutRule()


class JobSettings(BaseModel):
    # "embedded": worker processes owned by `anb serve` claim jobs from the database.
    # "celery": `anb worker` processes consume a RabbitMQ (amqp://) or SQS (sqs://) broker.
    backend: Literal["embedded", "celery"] = "embedded"
    broker_url: str = "amqp://guest:guest@127.0.0.1:5672//"
    queue_name: str = "anb-videos"
    # SQS only: the queues' URLs (Terraform outputs), the region, and plain HTTP for a local
    # SQS-compatible endpoint given in the broker URL (sqs://key:secret@host:port).
    sqs_queue_url: str | None = None
    sqs_dead_letter_queue_url: str | None = None
    sqs_region: str | None = None
    sqs_is_secure: bool = True
    concurrency: int = Field(default_factory=lambda: max(1, (os.cpu_count() or 1) // 2), ge=1)
    max_attempts: int = Field(3, ge=1)
    # A worker holds a job for this long and renews the lease with every progress report; a crashed
    # worker's job is taken over once its lease expires.
    lease_seconds: int = Field(120, ge=10)
    soft_time_limit_seconds: int = Field(600, ge=10)
    hard_time_limit_seconds: int = Field(660, ge=20)
    retry_backoff_seconds: float = Field(10.0, gt=0)
    retry_backoff_max_seconds: float = Field(300.0, gt=0)
    poll_interval_seconds: float = Field(1.0, gt=0)
    # A pending job whose hand-off may have been lost is handed off again after this long.
    requeue_after_seconds: int = Field(120, ge=1)
    sweep_interval_seconds: float = Field(30.0, gt=0)
    # The sweeper deletes upload temp files left unwritten this long (by a server killed mid-upload).
    temp_file_max_idle_seconds: int = Field(3600, ge=1)

    @model_validator(mode="after")
    def _limits_in_order(self) -> JobSettings:
        if self.hard_time_limit_seconds <= self.soft_time_limit_seconds:
            raise ValueError("the hard time limit must exceed the soft time limit")
        return self

    @property
    def visibility_timeout_seconds(self) -> int:
        """Longer than the hard limit, so a broker never redelivers a job that is still running."""
        return self.hard_time_limit_seconds + 120


class DatabaseSettings(BaseModel):
    # Empty: SQLite under the data directory (the embedded service).
    url: str = ""
    # PostgreSQL connections per server process; requests beyond it wait for one (no overflow).
    pool_size: int = Field(20, ge=1, le=200)


class StorageSettings(BaseModel):
    backend: Literal["local", "s3"] = "local"
    s3_bucket: str = ""
    s3_region: str | None = None
    s3_endpoint_url: str | None = None
    # Endpoint put in presigned URLs when browsers reach S3 by another name than the servers do.
    s3_public_endpoint_url: str | None = None
    s3_access_key: SecretStr | None = None
    s3_secret_key: SecretStr | None = None
    # Lifetime of the media URLs handed to clients (signed local URLs or presigned S3 URLs).
    url_ttl_seconds: int = Field(3600, ge=60)


class FfmpegSettings(BaseModel):
    """The processing pipeline's encoder and the ANB assets it stamps (docs/processing.md)."""

    preset: str = "veryfast"
    crf: int = Field(23, ge=0, le=51)
    threads: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=0)
    # Operator-supplied ANB assets; empty means the project's own defaults.
    curtain_open_path: Path | None = None
    curtain_close_path: Path | None = None
    watermark_path: Path | None = None


class TracingSettings(BaseModel):
    # OTLP/HTTP endpoint of an OpenTelemetry collector (e.g. http://collector:4318); empty: tracing off.
    otel_endpoint: str | None = None
    # Longest a finished span waits in a process before it is exported (the SDK's batch delay).
    export_delay_seconds: float = Field(5.0, gt=0, le=300)


class MetricsSettings(BaseModel):
    # Shared directory of prometheus_client's multiprocess mode (default: <data_dir>/metrics).
    dir: Path | None = None
    # Where `anb worker` serves its Prometheus metrics (a worker has no other HTTP port); 0: off.
    worker_port: int = Field(9100, ge=0, le=65535)


class HttpSettings(BaseModel):
    workers: int = Field(default_factory=lambda: max(2, os.cpu_count() or 1), ge=1)
    cors_origins: list[str] = []
    # Origin clients use to reach this service (e.g. https://anb.example.org). Locally stored media
    # gets absolute URLs under it; `anb serve` fills it from --host/--port when unset.
    public_base_url: str = ""


class VotingSettings(BaseModel):
    # Freshness delay of the public lists (rankings, gallery, cities), cached per server process; 0: always fresh.
    public_cache_ttl_seconds: int = Field(30, ge=0, le=300)
    # Only accounts that confirmed their email by the link sent at signup may vote (docs/contest.md).
    require_confirmed_email: bool = False


class ContestSettings(BaseModel):
    """How the contest's rules reach the vote path and how the close settles (docs/contest.md)."""

    # Each process re-reads the rules (window, squad size…) at most this often: the vote path never
    # waits on the database for them. A changed rule takes effect within this delay.
    rules_cache_seconds: float = Field(5.0, gt=0, le=60)
    # The close waits this long after the closing instant, so votes accepted just before it have
    # committed before the standings are frozen.
    close_grace_seconds: float = Field(10.0, ge=0, le=600)
    # A confirmation link stays valid this long.
    confirmation_ttl_seconds: int = Field(3 * 24 * 3600, ge=300)


def _networks(value: Any) -> Any:
    """``ANB_TRUSTED_PROXIES`` as operators write it: CIDRs separated by commas (or a list)."""
    if isinstance(value, str):
        value = [part for part in (p.strip() for p in value.split(",")) if part]
    return [ipaddress.ip_network(item, strict=False) if isinstance(item, str) else item for item in value]


TrustedProxies = Annotated[list[ipaddress.IPv4Network | ipaddress.IPv6Network], NoDecode]


class IntegritySettings(BaseModel):
    """Thresholds of the vote scan's rules (anb/integrity/rules.py, docs/integrity.md)."""

    # How often the sweepers run the scan (its cost grows with the lookback's votes: docs/integrity.md).
    scan_interval_seconds: float = Field(300.0, ge=1)
    # Votes of the last this many seconds are scanned; older ones are settled.
    lookback_seconds: int = Field(48 * 3600, ge=600)
    # An account younger than this when it votes is "new".
    new_account_seconds: int = Field(24 * 3600, ge=60)
    # prefix_cluster: this many new accounts' votes for one player from one /24 or /48 within the window.
    cluster_window_seconds: int = Field(600, ge=10)
    cluster_min_votes: int = Field(8, ge=2)
    # single_purpose_accounts: accounts that voted within this long of signing up, for one player only…
    fresh_vote_seconds: int = Field(900, ge=10)
    # …at least this many for one player, and at least this share of the player's scanned votes.
    single_purpose_min_votes: int = Field(8, ge=2)
    single_purpose_min_share: float = Field(0.3, gt=0, le=1)
    # rate_spike: a player's votes in one hour ≥ factor × the site's mean per voted-for player that hour.
    spike_factor: float = Field(20.0, gt=1)
    spike_min_votes: int = Field(25, ge=2)
    # vote_exchange: a player who traded votes with at least this many players.
    exchange_min_partners: int = Field(4, ge=2)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ANB_", env_nested_delimiter="__", extra="ignore")

    env: Literal["development", "production"] = "development"
    # Which HTTP routes this process serves: everything, the accounts API only, or all but accounts.
    role: Literal["all", "auth", "core"] = "all"
    # Explicit opt-in to run production with SQLite or local disk (a single-box deployment).
    allow_embedded_in_production: bool = False

    data_dir: Path = Path("data")
    secret_key: SecretStr = SecretStr(DEV_SECRET)
    log_level: str = "INFO"
    # Shared services' Redis (rate limits with the redis backend), e.g. redis://127.0.0.1:6379/0.
    redis_url: str | None = None
    # The proxies whose X-Forwarded-For entries are believed (anb/client_address.py): the edge's
    # address or its network (the VPC's CIDR on AWS). Default: loopback only.
    trusted_proxies: TrustedProxies = [ipaddress.ip_network("127.0.0.1/32"), ipaddress.ip_network("::1/128")]
    # Where account emails go: smtp://user:password@host:port (STARTTLS when the server offers it) or
    # smtps://… (TLS from the start); Amazon SES's SMTP endpoint in production. Empty: messages are
    # written to the log and to <data dir>/outbox/ (the embedded service needs no mail server).
    smtp_url: SecretStr | None = None
    mail_from: str = "ANB Rising Stars <no-reply@anb-rising-stars.example>"
    # Registers /api/bench/* (a same-sized JSON body from memory, the floor of bench/rankings_bench.py).
    bench_routes: bool = False

    database: DatabaseSettings = DatabaseSettings()
    storage: StorageSettings = StorageSettings()
    ffmpeg: FfmpegSettings = FfmpegSettings()
    http: HttpSettings = HttpSettings()
    tracing: TracingSettings = TracingSettings()
    metrics: MetricsSettings = MetricsSettings()
    voting: VotingSettings = VotingSettings()
    contest: ContestSettings = ContestSettings()
    integrity: IntegritySettings = IntegritySettings()
    auth: AuthSettings = AuthSettings()
    upload: UploadSettings = UploadSettings()
    jobs: JobSettings = JobSettings()
    rate_limit: RateLimitSettings = RateLimitSettings()

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.env != "production":
            return self
        problems = []
        if self.secret_key.get_secret_value() == DEV_SECRET or len(self.secret_key.get_secret_value()) < 32:
            problems.append("ANB_SECRET_KEY must be set to a random value of at least 32 characters")
        if not self.auth.signing_key.get_secret_value() and not (self.role == "core" and self.auth.public_key):
            problems.append(
                "ANB_AUTH__SIGNING_KEY must hold the Ed25519 private key (PEM); a core-only process may"
                " set ANB_AUTH__PUBLIC_KEY instead"
            )
        if not self.allow_embedded_in_production:
            if self.resolved_database_url.startswith("sqlite"):
                problems.append("ANB_DATABASE__URL must point to PostgreSQL (or set ANB_ALLOW_EMBEDDED_IN_PRODUCTION)")
            if self.storage.backend == "local":
                problems.append("ANB_STORAGE__BACKEND must be s3 (or set ANB_ALLOW_EMBEDDED_IN_PRODUCTION)")
        if problems:
            raise ValueError("production refuses development defaults: " + "; ".join(problems))
        return self

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _trusted_proxies(cls, value: Any) -> Any:
        try:
            return _networks(value)
        except ValueError as exc:
            raise ValueError(f"ANB_TRUSTED_PROXIES must be CIDRs separated by commas: {exc}") from exc

    @model_validator(mode="after")
    def _redis_for_shared_limits(self) -> Settings:
        if self.rate_limit.backend == "redis" and not self.redis_url:
            raise ValueError("ANB_RATE_LIMIT__BACKEND=redis needs ANB_REDIS_URL")
        return self

    @property
    def resolved_database_url(self) -> str:
        if self.database.url:
            return self.database.url
        return f"sqlite:///{(self.data_dir / 'anb.sqlite3').resolve()}"

    @property
    def metrics_dir(self) -> Path:
        return self.metrics.dir or self.data_dir / "metrics"
