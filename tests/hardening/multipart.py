"""Multipart bodies written byte by byte, so a test can send what a well-behaved client library would
refuse to: two files, control characters in a filename, any part type."""

from __future__ import annotations

from dataclasses import dataclass

BOUNDARY = "anb-hostile-boundary"
CONTENT_TYPE = f"multipart/form-data; boundary={BOUNDARY}"


@dataclass(frozen=True)
class Part:
    name: str
    content: bytes
    filename: bytes | None = None  # raw bytes: may hold anything a header line can carry
    content_type: str | None = None


def file_part(content: bytes, name: str = "video_file", filename: bytes = b"jugada.mp4") -> Part:
    return Part(name, content, filename, "video/mp4")


def title_part(title: str) -> Part:
    return Part("title", title.encode())


def part_head(part: Part) -> bytes:
    disposition = f'Content-Disposition: form-data; name="{part.name}"'.encode()
    if part.filename is not None:
        disposition += b'; filename="' + part.filename + b'"'
    head = b"--" + BOUNDARY.encode() + b"\r\n" + disposition + b"\r\n"
    if part.content_type:
        head += f"Content-Type: {part.content_type}\r\n".encode()
    return head + b"\r\n"


def multipart_body(*parts: Part) -> bytes:
    return b"".join(part_head(p) + p.content + b"\r\n" for p in parts) + b"--" + BOUNDARY.encode() + b"--\r\n"
