"""A small Dockerfile linter for the rules that matter to deploy/Dockerfile.

hadolint is a Haskell binary that no official PyPI, npm or Debian package provides (the PyPI
wrappers are third-party downloads of the binary), so these rules are checked here instead. Rule
ids follow hadolint's where one exists.
"""

from __future__ import annotations

import fnmatch
import json
import re
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Instruction:
    line: int
    keyword: str
    arguments: str


def parse(text: str) -> list[Instruction]:
    """Instructions with continuation lines joined and comments dropped."""
    instructions, buffer, start = [], "", 0
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not buffer and (not line or line.startswith("#")):
            continue
        if buffer and line.startswith("#"):
            continue
        start = start or number
        buffer += " " + line.removesuffix("\\").strip()
        if not line.endswith("\\"):
            keyword, _, arguments = buffer.strip().partition(" ")
            instructions.append(Instruction(start, keyword.upper(), arguments.strip()))
            buffer, start = "", 0
    return instructions


def final_stage(instructions: list[Instruction]) -> list[Instruction]:
    last_from = max(i for i, ins in enumerate(instructions) if ins.keyword == "FROM")
    return instructions[last_from:]


def base_arguments(instructions: list[Instruction]) -> dict[str, str]:
    """Defaults of the ARGs declared before the first FROM (the ones a FROM line may use)."""
    defaults = {}
    for ins in instructions:
        if ins.keyword == "FROM":
            break
        if ins.keyword == "ARG" and "=" in ins.arguments:
            name, _, value = ins.arguments.partition("=")
            defaults[name.strip()] = value.strip()
    return defaults


def lint(text: str) -> list[str]:
    instructions = parse(text)
    defaults = base_arguments(instructions)
    stages: set[str] = set()
    problems: list[str] = []
    for ins in instructions:
        if ins.keyword == "FROM":
            # The image a build gets without --build-arg is the one the rules judge.
            image = re.sub(r"\$\{(\w+)\}", lambda m: defaults.get(m[1], m[0]), ins.arguments)
            ins = Instruction(ins.line, ins.keyword, image)
        problems += _check(ins, stages)
    if not stages:
        problems.append("multi-stage: no named build stage; the runtime image would carry build tools")
    last = final_stage(instructions)
    users = [ins.arguments for ins in last if ins.keyword == "USER"]
    if not users or users[-1].split(":")[0] in ("root", "0"):
        problems.append("DL3002: the final stage does not switch to a non-root USER")
    checks = [ins.arguments for ins in last if ins.keyword == "HEALTHCHECK"]
    if not checks or checks[-1].upper() == "NONE":
        problems.append("HEALTHCHECK: the final stage has none")
    return problems


def _check(ins: Instruction, stages: set[str]) -> list[str]:
    """The problems of one instruction; ``stages`` collects the names of build stages seen so far."""
    where = f"line {ins.line}"
    if ins.keyword == "FROM":
        return _check_base(ins.arguments, stages, where)
    if ins.keyword == "ADD":
        return [f"{where} DL3020: use COPY, not ADD"]
    if ins.keyword in ("CMD", "ENTRYPOINT") and not _json_array(ins.arguments):
        return [f"{where} DL3025: {ins.keyword} is not in exec (JSON) form"]
    problems = []
    if ins.keyword == "RUN" and "apt-get" in ins.arguments:
        installs = re.search(r"apt-get\s+(-\S+\s+)*install", ins.arguments)
        if installs and "--no-install-recommends" not in ins.arguments:
            problems.append(f"{where} DL3015: apt-get install without --no-install-recommends")
        if "rm -rf /var/lib/apt/lists/*" not in ins.arguments:
            problems.append(f"{where} DL3009: apt lists are not removed in the same RUN")
    return problems


def _check_base(arguments: str, stages: set[str], where: str) -> list[str]:
    image, *rest = arguments.split()
    if len(rest) == 2 and rest[0].upper() == "AS":
        stages.add(rest[1])
    if image in stages:
        return []
    name = image.split("@")[0]
    tag = name.rpartition(":")[2] if ":" in name else ""
    problems = []
    # A release (Debian's point release 12.11, Python's 3.11.13) or a digest, not a moving name
    # (bookworm, 12, slim, latest).
    if "@sha256:" not in image and not re.search(r"\d+\.\d+", tag):
        problems.append(f"{where} DL3006: base image {image} is not pinned to a full version or digest")
    if tag == "latest":
        problems.append(f"{where} DL3007: base image {image} uses latest")
    return problems


def _json_array(arguments: str) -> bool:
    try:
        return isinstance(json.loads(arguments), list)
    except ValueError:
        return False


def copied_sources(text: str) -> list[str]:
    """Paths that COPY takes from the build context (not from another stage)."""
    sources = []
    for ins in parse(text):
        if ins.keyword == "COPY" and "--from=" not in ins.arguments:
            parts = [part for part in ins.arguments.split() if not part.startswith("--")]
            sources.extend(parts[:-1])
    return sources


def excluded_by_dockerignore(path: str, dockerignore: Path) -> bool:
    """Docker's rule: the last pattern that matches the path (or one of its parents) decides."""
    excluded = False
    for raw in dockerignore.read_text().splitlines():
        pattern = raw.strip()
        if not pattern or pattern.startswith("#"):
            continue
        negated = pattern.startswith("!")
        pattern = pattern.lstrip("!").rstrip("/")
        prefixes = [path.rstrip("/")] + [str(parent) for parent in Path(path.rstrip("/")).parents if str(parent) != "."]
        if any(fnmatch.fnmatch(candidate, pattern) for candidate in prefixes):
            excluded = not negated
    return excluded
