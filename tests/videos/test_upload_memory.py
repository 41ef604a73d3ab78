"""A 100 MB upload through the real server process keeps its memory flat."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx

from bench.harness.clips import pad_mp4
from bench.harness.memory import peak_rss_mib
from bench.harness.processes import anb_serve_process
from bench.harness.signup import signup_body

MIB = 1024 * 1024


def _upload(base: str, token: str, path: Path) -> httpx.Response:
    with path.open("rb") as handle:
        return httpx.post(
            f"{base}/api/videos/upload",
            headers={"Authorization": f"Bearer {token}"},
            data={"title": "Memoria"},
            files={"video_file": (path.name, handle, "video/mp4")},
            timeout=120,
        )


def test_100_mb_upload_raises_peak_rss_by_less_than_64_mib(tmp_path: Path, clips: dict[str, Path]) -> None:
    big = pad_mp4(clips["good"], tmp_path / "big.mp4", 100 * MIB - 4096)
    small = clips["good"]
    with anb_serve_process({"ANB_DATA_DIR": str(tmp_path / "data")}, tmp_path / "serve.log", workers=1) as served:
        body = signup_body()
        httpx.post(f"{served.base_url}/api/auth/signup", json=body, timeout=30).raise_for_status()
        login = httpx.post(
            f"{served.base_url}/api/auth/login",
            json={"email": body["email"], "password": body["password1"]},
            timeout=30,
        )
        token = login.json()["access_token"]
        # A small upload first loads every code path, so the baseline is the warm server's peak.
        assert _upload(served.base_url, token, small).status_code == 201
        before = peak_rss_mib(served.pid)
        answer = _upload(served.base_url, token, big)
        after = peak_rss_mib(served.pid)
    assert answer.status_code == 201, answer.text
    growth = after - before
    print(f"peak RSS {before:.1f} MiB -> {after:.1f} MiB (+{growth:.1f} MiB) for a 100 MiB upload")
    assert growth < 64, f"peak RSS grew by {growth:.1f} MiB"


def test_over_100_mb_is_refused_without_storing_it(tmp_path: Path, clips: dict[str, Path]) -> None:
    huge = pad_mp4(clips["good"], tmp_path / "huge.mp4", 101 * MIB)
    data_dir = tmp_path / "data"
    with anb_serve_process({"ANB_DATA_DIR": str(data_dir)}, tmp_path / "serve.log", workers=1) as served:
        body = signup_body()
        httpx.post(f"{served.base_url}/api/auth/signup", json=body, timeout=30).raise_for_status()
        token = httpx.post(
            f"{served.base_url}/api/auth/login", json={"email": body["email"], "password": body["password1"]}
        ).json()["access_token"]
        declared = _upload(served.base_url, token, huge)

        def chunks() -> Iterator[bytes]:
            # No Content-Length: the server must count the bytes itself and stop at the limit.
            yield b'--b\r\nContent-Disposition: form-data; name="video_file"; filename="x.mp4"\r\n\r\n'
            with huge.open("rb") as handle:
                while block := handle.read(MIB):
                    yield block
            yield b"\r\n--b--\r\n"

        try:
            streamed = httpx.post(
                f"{served.base_url}/api/videos/upload",
                headers={"Authorization": f"Bearer {token}", "Content-Type": "multipart/form-data; boundary=b"},
                content=chunks(),
                timeout=60,
            )
            assert streamed.status_code == 400 and streamed.json()["code"] == "file_too_large"
        except httpx.TransportError:
            pass  # the server may close the connection before the client finishes sending: also a refusal
    assert declared.status_code == 400
    assert declared.json()["code"] == "file_too_large"
    leftovers = [p for p in (data_dir / "media").rglob("*") if p.is_file()]
    assert leftovers == []
