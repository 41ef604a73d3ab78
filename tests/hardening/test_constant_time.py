"""Secrets are compared in constant time: no ``==``/``!=`` in the application code has a secret on
either side (tokens, signatures, digests, password hashes). ``hmac.compare_digest`` (or a library's
own verification: Argon2, PyJWT) is used instead, so response times reveal nothing about how much
of a guess was right.

Two kinds of comparison are not timing channels and are allowed: SQL expressions on mapped
columns (``RefreshToken.token_hash == ...`` becomes an indexed lookup of a hash of 256 random bits,
nothing a guesser can steer byte by byte) and comparisons with a module constant, a published value
(``DEV_SECRET``, whose use production refuses).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import anb

SECRET_NAME = re.compile(r"(^|_)(sig|signature|digest|token|secret|password|hash|mac|hmac)s?($|_)", re.IGNORECASE)
SOURCES = sorted(Path(anb.__file__).parent.rglob("*.py"))


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Call):
        return _name(node.func)
    if isinstance(node, ast.Attribute):
        return node.attr if not SECRET_NAME.search(_name(node.value)) else _name(node.value)
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Subscript):
        return _name(node.value)
    return ""


def _is_column(node: ast.expr) -> bool:
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id[:1].isupper()


def _is_constant(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) or (isinstance(node, ast.Name) and node.id.isupper())


def secret_comparisons(source: str) -> list[int]:
    """Lines where ``==``/``!=`` compares something named like a secret with a non-constant."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Compare) or not any(isinstance(op, ast.Eq | ast.NotEq) for op in node.ops):
            continue
        operands = [node.left, *node.comparators]
        if any(_is_column(o) or _is_constant(o) for o in operands):
            continue
        if any(SECRET_NAME.search(_name(o)) for o in operands):
            lines.append(node.lineno)
    return lines


def test_the_scan_finds_what_it_looks_for() -> None:
    assert secret_comparisons("ok = sig == expected") == [1]
    assert secret_comparisons("ok = stored.token_hash != hash_refresh_token(token)") == [1]
    assert secret_comparisons("ok = self._signature(key, exp) == given") == [1]
    assert secret_comparisons("ok = hmac.compare_digest(sig, expected)") == []
    assert secret_comparisons("q = select(T).where(RefreshToken.token_hash == token_hash)") == []
    assert secret_comparisons("bad = secret == DEV_SECRET") == []


def test_no_secret_is_compared_with_equality() -> None:
    found = {
        f"{path.relative_to(path.parents[1])}:{line}"
        for path in SOURCES
        for line in secret_comparisons(path.read_text(encoding="utf-8"))
    }
    assert not found, f"compare these with hmac.compare_digest: {sorted(found)}"
