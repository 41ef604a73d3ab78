"""deploy/Dockerfile against the rules that matter (tests/deploy/dockerfile_lint.py says why not
hadolint), and against what the roles need from the image."""

from __future__ import annotations

import json

import pytest

from tests.deploy.dockerfile_lint import copied_sources, excluded_by_dockerignore, final_stage, lint, parse
from tests.support.deploy_tools import DEPLOY, REPO

DOCKERFILE = (DEPLOY / "Dockerfile").read_text()


def test_the_dockerfile_follows_the_rules() -> None:
    assert lint(DOCKERFILE) == []


@pytest.mark.parametrize(
    ("old", "new", "rule"),
    [
        ("ARG BASE=debian:12.11-slim", "ARG BASE=debian:latest", "DL3007"),
        ("ARG BASE=debian:12.11-slim", "ARG BASE=debian:bookworm-slim", "DL3006"),
        ("FROM ${BASE}\n", "FROM debian:12\n", "DL3006"),
        ("USER anb", "USER root", "DL3002"),
        ("HEALTHCHECK --interval", "# HEALTHCHECK --interval", "HEALTHCHECK"),
        ("--no-install-recommends python3 ffmpeg", "python3 ffmpeg", "DL3015"),
        ("&& rm -rf /var/lib/apt/lists/* \\", "\\", "DL3009"),
        ('ENTRYPOINT ["anb"]', "ENTRYPOINT anb", "DL3025"),
    ],
)
def test_the_linter_catches_each_broken_rule(old: str, new: str, rule: str) -> None:
    assert old in DOCKERFILE
    problems = lint(DOCKERFILE.replace(old, new, 1))
    assert any(rule in problem for problem in problems), problems


def test_one_image_runs_every_role_through_the_anb_cli() -> None:
    last = final_stage(parse(DOCKERFILE))
    entrypoint = [json.loads(ins.arguments) for ins in last if ins.keyword == "ENTRYPOINT"]
    assert entrypoint == [["anb"]]
    # Requirements pinned by the lock, from the wheelhouse only; ffmpeg from Debian; the ECS
    # sidecar is in the image.
    assert "--no-index --find-links /wheels/deps --constraint /src/requirements.lock" in DOCKERFILE
    assert "ffmpeg" in next(ins.arguments for ins in last if ins.keyword == "RUN")
    assert "/opt/anb/libexec/scale_in_protection.py" in DOCKERFILE


def test_the_build_context_holds_every_copied_file() -> None:
    sources = copied_sources(DOCKERFILE)
    assert "build/wheelhouse/app" in sources and "requirements.lock" in sources
    for source in sources:
        # The wheelhouse is made by deploy/image/build right before the build.
        assert source.startswith("build/wheelhouse/") or (REPO / source).exists(), source
        assert not excluded_by_dockerignore(source, REPO / ".dockerignore"), f"{source} is excluded by .dockerignore"
    for private in (".venv", "data", ".git", "tests", "deploy/compose/.env"):
        assert excluded_by_dockerignore(private, REPO / ".dockerignore"), f"{private} would enter the image"
