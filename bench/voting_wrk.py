"""wrk (Debian's ``wrk`` package) as the load generator of the voting benchmark.

A C load generator leaves the 2-core box to the server: a Python client would take as much CPU
as the server it measures. Paths (and vote tokens) rotate through a Lua script per thread.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

_REQUEST_ROTATION = """
local lines = {}
local index = 0
local counter = 0

function setup(thread)
  -- A global of the thread's own Lua state (a local here would shadow it).
  thread:set("thread_id", counter)
  counter = counter + 1
end

function init(args)
  -- Thread k takes every n-th line from line k: threads never send the same vote.
  local n, k, i = tonumber(args[2]), thread_id, 0
  for line in io.lines(args[1]) do
    if i % n == k then table.insert(lines, line) end
    i = i + 1
  end
  -- Fewer lines than threads (one GET path): reads may repeat, every thread takes them all.
  if #lines == 0 then
    for line in io.lines(args[1]) do table.insert(lines, line) end
  end
end

function request()
  index = index % #lines + 1
  local path, token = lines[index]:match("^(%S+)%s*(%S*)$")
  if token ~= "" then
    return wrk.format("POST", path, {["Authorization"] = "Bearer " .. token})
  end
  return wrk.format("GET", path)
end
"""

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


@dataclass(frozen=True)
class Load:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    errors: int


def require_wrk() -> str:
    path = shutil.which("wrk")
    if path is None:
        raise SystemExit("the benchmark needs wrk: scripts/bootstrap --dev installs it (Debian's wrk package)")
    return path


def _milliseconds(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def parse(output: str) -> Load:
    percentiles = dict(re.findall(r"^\s+(\d+)%\s+(\S+)\s*$", output, re.MULTILINE))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return Load(
        requests_per_second=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),  # type: ignore[union-attr]
        p50_ms=_milliseconds(percentiles["50"]),
        p99_ms=_milliseconds(percentiles["99"]),
        requests=int(re.search(r"(\d+) requests in", output).group(1)),  # type: ignore[union-attr]
        non_2xx=int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", output)) else 0,
        errors=sum(int(n) for n in errors.groups()) if errors else 0,
    )


def run_wrk(base_url: str, lines: list[str], work: Path, *, seconds: float, connections: int, threads: int = 2) -> Load:
    """Load ``base_url`` with ``lines`` ("path" or "path token" for a vote) in rotation."""
    script, paths = work / "rotation.lua", work / f"paths-{abs(hash(tuple(lines)))}.txt"
    script.write_text(_REQUEST_ROTATION)
    paths.write_text("\n".join(lines) + "\n")
    command = [
        require_wrk(),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{round(seconds)}s",
        "--latency",
        "-s",
        str(script),
        base_url,
        "--",
        str(paths),
        str(threads),
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
    return parse(output)
