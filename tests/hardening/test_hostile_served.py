"""Hostile uploads against a real ``anb serve`` process (one server process, so nothing hides behind
another): an oversized body is answered before it is read, or cut off at the limit without reaching
the disk; a slow hostile upload does not stop the server answering others.

Requests are written on a raw socket, as an attacker would: a client library would not stop sending
when the answer arrives, nor leave a body half-sent.
"""

from __future__ import annotations

import http.client
import select
import socket
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from bench.harness.clips import PDF_BYTES
from bench.harness.processes import anb_serve
from bench.harness.signup import signup_body
from tests.hardening.multipart import CONTENT_TYPE, file_part, part_head, title_part
from tests.support.accounts import bearer

MIB = 1024 * 1024
LIMIT = MIB
# Long enough for any answer that must come; never a measure of speed.
GUARD_SECONDS = 60


@dataclass
class Server:
    base_url: str
    data_dir: Path
    token: str

    def files(self) -> list[Path]:
        return [p for p in (self.data_dir / "media").rglob("*") if p.is_file()]

    def connect(self) -> socket.socket:
        address = urlsplit(self.base_url)
        return socket.create_connection((address.hostname, address.port), timeout=GUARD_SECONDS)

    def upload_head(self, framing: str) -> bytes:
        return (
            f"POST /api/videos/upload HTTP/1.1\r\nHost: anb\r\nAuthorization: Bearer {self.token}\r\n"
            f"Content-Type: {CONTENT_TYPE}\r\n{framing}\r\n\r\n"
        ).encode()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("served")
    env = {"ANB_DATA_DIR": str(folder / "data"), "ANB_UPLOAD__MAX_BYTES": str(LIMIT)}
    with anb_serve(env, folder / "serve.log", workers=1) as base_url:
        body = signup_body()
        httpx.post(f"{base_url}/api/auth/signup", json=body, timeout=GUARD_SECONDS).raise_for_status()
        login = httpx.post(
            f"{base_url}/api/auth/login",
            json={"email": body["email"], "password": body["password1"]},
            timeout=GUARD_SECONDS,
        )
        yield Server(base_url, folder / "data", login.json()["access_token"])


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:  # removed since it was listed
        return 0


def read_answer(sock: socket.socket) -> tuple[int, bytes]:
    answer = http.client.HTTPResponse(sock)
    answer.begin()
    return answer.status, answer.read()


def send_until_answered(sock: socket.socket, chunks: Iterable[bytes], on_progress: Callable[[], None]) -> int:
    """Send ``chunks`` until the server answers (or takes no more); return how many bytes went out."""
    sent, pending, source = 0, b"", iter(chunks)
    sock.setblocking(False)
    try:
        while True:
            readable, writable, _ = select.select([sock], [sock], [], GUARD_SECONDS)
            if readable:
                return sent
            if not writable:
                raise TimeoutError("the server neither answered nor read")
            if not pending and (pending := next(source, b"")) == b"":
                return sent
            try:
                count = sock.send(pending)
            except (BrokenPipeError, ConnectionResetError):
                return sent
            sent, pending = sent + count, pending[count:]
            on_progress()
    finally:
        sock.setblocking(True)


def test_a_declared_oversized_body_is_answered_before_it_is_sent(server: Server) -> None:
    with server.connect() as sock:
        sock.sendall(server.upload_head(f"Content-Length: {256 * MIB}"))
        # Not one body byte has been sent: the answer cannot have waited for any.
        status, body = read_answer(sock)
    assert status == 400
    assert b'"file_too_large"' in body
    assert server.files() == []


def test_a_chunked_oversized_body_is_cut_off_at_the_limit(server: Server) -> None:
    total = 256 * MIB
    largest_temp_file = 0

    def watch_disk() -> None:
        nonlocal largest_temp_file
        largest_temp_file = max([largest_temp_file, *(_size(p) for p in server.files())])

    def chunked(size: int = 64 * 1024) -> Iterator[bytes]:
        head = part_head(title_part("x")) + b"x\r\n" + part_head(file_part(b""))
        yield b"%x\r\n%s\r\n" % (len(head), head)
        block = b"%x\r\n%s\r\n" % (size, b"\0" * size)
        for _ in range(total // size):
            yield block

    with server.connect() as sock:
        sock.sendall(server.upload_head("Transfer-Encoding: chunked"))
        sent = send_until_answered(sock, chunked(), watch_disk)
        status, body = read_answer(sock)
    assert status == 400
    assert b'"file_too_large"' in body
    # The server stopped reading near the limit: what went out beyond it sat in socket buffers.
    print(f"sent {sent / MIB:.1f} MiB of a {total / MIB:.0f} MiB body before the answer; limit {LIMIT / MIB:.0f} MiB")
    assert sent < total // 4
    assert largest_temp_file <= LIMIT
    assert server.files() == []


def test_others_are_served_during_a_slow_hostile_upload(server: Server) -> None:
    multipart_start = part_head(title_part("lenta")) + b"lenta\r\n" + part_head(file_part(b""))
    end = b"\r\n--anb-hostile-boundary--\r\n"
    length = len(multipart_start) + len(PDF_BYTES) + len(end)
    with server.connect() as sock:
        sock.sendall(server.upload_head(f"Content-Length: {length}") + multipart_start + PDF_BYTES[:10])
        # The upload is parked half-way in the one server process; others still get answers.
        with httpx.Client(base_url=server.base_url, timeout=GUARD_SECONDS) as other:
            assert other.get("/api/health").status_code == 200
            assert other.get("/api/public/videos").status_code == 200
            assert other.get("/api/videos", headers=bearer(server.token)).status_code == 200
        sock.sendall(PDF_BYTES[10:] + end)
        status, body = read_answer(sock)
    assert status == 400
    assert b'"unsupported_format"' in body
    assert server.files() == []
