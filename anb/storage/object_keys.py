"""Object keys: the only names the database stores and the only names a backend accepts.

Keys are ``/``-separated segments of ASCII letters, digits, ``_``, ``-`` and ``.``, each starting with
a letter, digit or ``_``. That rules out ``..``, ``.``, empty segments, absolute paths, backslashes
and hidden names by construction, so a key can be joined to a directory without escaping it and put
in a URL without quoting surprises; it also keeps the local disk's ``.tmp`` directory unreachable.
"""

from __future__ import annotations

import re

from anb.storage.errors import InvalidKey

MAX_KEY_LENGTH = 512
_SEGMENT = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")


def validate_key(key: str) -> str:
    """Return ``key`` unchanged when it is well formed, raise ``InvalidKey`` otherwise."""
    if not key or len(key) > MAX_KEY_LENGTH or not all(_SEGMENT.fullmatch(part) for part in key.split("/")):
        raise InvalidKey(key)
    return key


def folder_prefix(prefix: str) -> str:
    """``videos/12`` and ``videos/12/`` both mean the folder ``videos/12/``.

    Prefixes are always folders: a bare string prefix ``videos/12`` would also match
    ``videos/123/...`` and delete another video's files.
    """
    return validate_key(prefix.removesuffix("/")) + "/"
