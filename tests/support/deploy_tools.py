"""Linters of the deployment files that live outside the project's own environment."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
CHECKOV_PINS = DEPLOY / "checks" / "checkov-requirements.txt"
# Terraform's AWS provider as the machine image ships it (no registry is reachable from here).
PLUGIN_MIRROR = Path(os.environ.get("ANB_TF_PLUGIN_MIRROR", "/opt/tf-plugins"))


def checkov() -> Path:
    """checkov in its own virtualenv, (re)built when its pins change.

    Not in the dev extras: checkov pins boto3 and packaging to old versions, which would then
    also pin the application's runtime (requirements.lock constrains the image).
    """
    home = Path(sys.executable).parent.parent / "tools" / "checkov"
    stamp = home / "pins.sha256"
    wanted = hashlib.sha256(CHECKOV_PINS.read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != wanted:
        shutil.rmtree(home, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(home)], check=True, timeout=120)
        pip = [str(home / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
        # The pins are a complete freeze: nothing to resolve.
        subprocess.run([*pip, "--no-deps", "-r", str(CHECKOV_PINS)], check=True, timeout=600)
        stamp.write_text(wanted)
    return home / "bin" / "checkov"


def terraform(scratch: Path) -> tuple[str, dict[str, str]]:
    """The terraform binary and an environment that installs providers from the local mirror only."""
    binary = shutil.which("terraform")
    if binary is None or not PLUGIN_MIRROR.is_dir():
        pytest.skip("terraform or its provider mirror is not on this machine (not installable from our registries)")
    config = scratch / "terraformrc"
    config.write_text(f'provider_installation {{\n  filesystem_mirror {{\n    path = "{PLUGIN_MIRROR}"\n  }}\n}}\n')
    return binary, {**os.environ, "TF_CLI_CONFIG_FILE": str(config), "CHECKPOINT_DISABLE": "1"}
