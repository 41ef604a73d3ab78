"""Upload throughput and server memory, next to a raw loopback copy of the same bytes.

    .venv/bin/python -m bench.upload_bench [--runs 5]

Starts a real ``anb serve`` (one server process, SQLite, local disk) in a temporary data
directory, uploads valid 10 MB and 100 MB MP4s (a generated 1080p clip padded with a ``free``
box), and reports the median MB/s, the time the server needs after the last byte, and the
growth of the server's peak RSS. The floor is a plain socket server in a subprocess that writes
the received bytes to a file on the same disk, measured in the same run.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from anb.config import UploadSettings
from anb.videos.inspection import inspect_upload
from bench.harness.clips import make_clip, pad_mp4
from bench.harness.memory import peak_rss_mib
from bench.harness.processes import anb_serve_process, free_port
from bench.harness.signup import signup_body
from bench.results import add_summary_option, write_summary
from bench.stamp import Stamp

MB = 1_000_000
_SINK = """
import socket, sys
server = socket.create_server(("127.0.0.1", int(sys.argv[1])))
while True:
    conn, _ = server.accept()
    size = int.from_bytes(conn.recv(8, socket.MSG_WAITALL), "big")
    with open(sys.argv[2], "wb") as out:
        buffer = bytearray(1 << 16)
        view = memoryview(buffer)
        while size:
            n = conn.recv_into(buffer, min(size, len(buffer)))
            out.write(view[:n])
            size -= n
    conn.sendall(b"ok")
    conn.close()
"""


def _raw_copy_seconds(port: int, path: Path) -> float:
    size = path.stat().st_size
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port)) as conn, path.open("rb") as handle:
        conn.sendall(size.to_bytes(8, "big"))
        conn.sendfile(handle)
        conn.recv(2)
    return time.perf_counter() - started


def _upload_seconds(base: str, token: str, path: Path) -> float:
    started = time.perf_counter()
    with path.open("rb") as handle:
        answer = httpx.post(
            f"{base}/api/videos/upload",
            headers={"Authorization": f"Bearer {token}"},
            data={"title": "bench"},
            files={"video_file": (path.name, handle, "video/mp4")},
            timeout=300,
        )
    elapsed = time.perf_counter() - started
    answer.raise_for_status()
    return elapsed


def _validate_seconds(path: Path) -> float:
    """The server's content checks alone (ffprobe + decode check), the part of the upload after the last byte."""
    started = time.perf_counter()
    inspect_upload(path, UploadSettings())
    return time.perf_counter() - started


def _login(base: str) -> str:
    body = signup_body()
    httpx.post(f"{base}/api/auth/signup", json=body, timeout=30).raise_for_status()
    answer = httpx.post(f"{base}/api/auth/login", json={"email": body["email"], "password": body["password1"]})
    return str(answer.json()["access_token"])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    add_summary_option(parser)
    args = parser.parse_args(argv)
    stamp = Stamp.now("bench.upload_bench", sys.argv[1:] if argv is None else argv)
    figures: dict[str, dict[str, float]] = {}
    work = Path(tempfile.mkdtemp(prefix="anb-upload-bench-"))
    clip = make_clip(work / "clip.mp4")
    files = {
        label: pad_mp4(clip, work / f"{label}.mp4", size) for label, size in (("10MB", 10 * MB), ("100MB", 100 * MB))
    }
    sink_port = free_port()
    sink = subprocess.Popen([sys.executable, "-c", _SINK, str(sink_port), str(work / "sink.bin")])
    time.sleep(0.5)
    try:
        # One player uploads every run: the per-player upload limit must not count them.
        env = {"ANB_DATA_DIR": str(work / "data"), "ANB_RATE_LIMIT__UPLOAD_PER_USER": "100000/hour"}
        with anb_serve_process(env, work / "serve.log", workers=1) as served:
            token = _login(served.base_url)
            _upload_seconds(served.base_url, token, files["10MB"])  # warm-up: every code path loaded
            print(
                f"{'file':>6} {'raw MB/s':>9} {'upload MB/s':>12} {'ratio':>6} {'validate s':>11} {'peak RSS +MiB':>14}"
            )
            for label, path in files.items():
                megabytes = path.stat().st_size / MB
                raw = [megabytes / _raw_copy_seconds(sink_port, path) for _ in range(args.runs)]
                before = peak_rss_mib(served.pid)
                up = [megabytes / _upload_seconds(served.base_url, token, path) for _ in range(args.runs)]
                growth = peak_rss_mib(served.pid) - before
                validate = statistics.median(_validate_seconds(path) for _ in range(args.runs))
                raw_m, up_m = statistics.median(raw), statistics.median(up)
                print(f"{label:>6} {raw_m:9.0f} {up_m:12.1f} {up_m / raw_m:6.2f} {validate:11.2f} {growth:14.1f}")
                figures[label] = {
                    "raw_mb_per_second": raw_m,
                    "upload_mb_per_second": up_m,
                    "ratio": up_m / raw_m,
                    "validate_seconds": validate,
                    "peak_rss_growth_mib": growth,
                }
    finally:
        sink.kill()
    write_summary("upload", stamp, figures, args.summary_dir)


if __name__ == "__main__":
    main()
