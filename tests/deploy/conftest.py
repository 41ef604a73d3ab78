"""Session fixtures of the deployment tests: compose's variables as init-env writes them, the
Terraform root module applied to the AWS emulator (destroyed at the end), and the image built once."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator

import pytest

from tests.deploy.aws_emulator import Deployment, emulated_deployment
from tests.deploy.containers import build_image, require_engine
from tests.support.deploy_tools import DEPLOY


@pytest.fixture(scope="session")
def init_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The variables deploy/compose/init-env writes, read back as compose reads an env file."""
    if shutil.which("openssl") is None:
        pytest.fail("openssl is needed by deploy/compose/init-env")
    folder = tmp_path_factory.mktemp("compose")
    shutil.copy(DEPLOY / "compose" / "init-env", folder / "init-env")
    subprocess.run([str(folder / "init-env")], check=True, capture_output=True, timeout=60)
    text = (folder / ".env").read_text()
    assert (folder / ".env").stat().st_mode & 0o777 == 0o600
    return {name: value.strip('"') for name, value in re.findall(r'^(\w+)=("[^"]*"|.*)$', text, re.MULTILINE)}


@pytest.fixture(scope="session")
def emulated_aws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    with emulated_deployment(tmp_path_factory.mktemp("aws")) as deployment:
        yield deployment


@pytest.fixture(scope="session")
def image() -> str:
    require_engine()
    return build_image()
