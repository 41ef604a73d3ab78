"""Session fixtures of the deployment tests: the Terraform root module applied to the AWS emulator
(destroyed at the end), and the image built once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.deploy.aws_emulator import Deployment, emulated_deployment
from tests.deploy.containers import build_image, require_engine


@pytest.fixture(scope="session")
def emulated_aws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    with emulated_deployment(tmp_path_factory.mktemp("aws")) as deployment:
        yield deployment


@pytest.fixture(scope="session")
def image() -> str:
    require_engine()
    return build_image()
