from __future__ import annotations

import subprocess
import sys

import pytest

from anb.storage import InvalidKey, folder_prefix, validate_key

ESCAPES = [
    "",
    "/etc/passwd",
    "../etc/passwd",
    "videos/../../etc/passwd",
    "videos/..",
    "./videos/1",
    "videos//1",
    "videos/1/",
    "videos\\..\\x",
    ".tmp/upload.mp4",
    "videos/%2e%2e/x",
    "videos/1/original.mp4\n",
    "vídeos/1",
    "a" * 513,
]


@pytest.mark.parametrize("key", ["videos/1/original.mp4", "videos/7f3a/processed.v2.mp4", "_probe", "a-b_c.d"])
def test_valid_keys_are_returned_unchanged(key: str) -> None:
    assert validate_key(key) == key


@pytest.mark.parametrize("key", ESCAPES)
def test_keys_that_could_escape_or_hide_are_refused(key: str) -> None:
    with pytest.raises(InvalidKey):
        validate_key(key)


def test_invalid_key_is_also_a_value_error() -> None:
    with pytest.raises(ValueError):
        validate_key("../x")


@pytest.mark.parametrize("prefix", ["videos/12", "videos/12/"])
def test_prefixes_are_folders(prefix: str) -> None:
    assert folder_prefix(prefix) == "videos/12/"


@pytest.mark.parametrize("prefix", ["", "/", "../videos", "videos//"])
def test_empty_or_escaping_prefixes_are_refused(prefix: str) -> None:
    with pytest.raises(InvalidKey):
        folder_prefix(prefix)


def test_storage_imports_nothing_of_the_project_but_its_settings_group() -> None:
    code = "import sys, anb.storage; print(' '.join(m for m in sys.modules if m.startswith('anb.')))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert loaded and all(name.startswith("anb.storage") or name == "anb.config" for name in loaded), loaded
