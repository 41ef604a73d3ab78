"""Mail senders. The standard library's ``smtplib`` speaks SMTP (run in a thread: it blocks);
``email.message.EmailMessage`` builds the message.

``smtp://user:password@host:587`` upgrades with STARTTLS when the server offers it (Amazon SES's
SMTP endpoint does, and requires it); ``smtps://host:465`` is TLS from the first byte. Without a
URL, each message is logged and written as an ``.eml`` file under ``<data dir>/outbox/``, so the
embedded service runs with no mail server and a person can still follow the links.
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
import ssl
import uuid
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from anb.db.base import utcnow

log = logging.getLogger(__name__)

SMTP_TIMEOUT_SECONDS = 15.0


class Mailer(Protocol):
    async def send(self, to: str, subject: str, body: str) -> None: ...


def _message(sender: str, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message["Date"] = utcnow().strftime("%a, %d %b %Y %H:%M:%S +0000")
    message["Message-ID"] = f"<{uuid.uuid4()}@anb-rising-stars>"
    message.set_content(body)
    return message


class SmtpMailer:
    def __init__(self, url: str, sender: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("ANB_SMTP_URL must look like smtp://user:password@host:port or smtps://…")
        self._tls = parts.scheme == "smtps"
        self._host = parts.hostname
        self._port = parts.port or (465 if self._tls else 587)
        self._user = unquote(parts.username) if parts.username else None
        self._password = unquote(parts.password) if parts.password else None
        self._sender = sender

    def _send_blocking(self, message: EmailMessage) -> None:
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if self._tls:
            smtp = smtplib.SMTP_SSL(self._host, self._port, timeout=SMTP_TIMEOUT_SECONDS, context=context)
        else:
            smtp = smtplib.SMTP(self._host, self._port, timeout=SMTP_TIMEOUT_SECONDS)
        with smtp:
            smtp.ehlo()
            if not self._tls and smtp.has_extn("starttls"):
                smtp.starttls(context=context)
                smtp.ehlo()
            if self._user:
                smtp.login(self._user, self._password or "")
            smtp.send_message(message)

    async def send(self, to: str, subject: str, body: str) -> None:
        await asyncio.to_thread(self._send_blocking, _message(self._sender, to, subject, body))


class OutboxMailer:
    def __init__(self, folder: Path, sender: str) -> None:
        self._folder = folder
        self._sender = sender

    def _write(self, message: EmailMessage) -> Path:
        self._folder.mkdir(parents=True, exist_ok=True)
        path = self._folder / f"{utcnow():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
        path.write_bytes(bytes(message))
        return path

    async def send(self, to: str, subject: str, body: str) -> None:
        path = await asyncio.to_thread(self._write, _message(self._sender, to, subject, body))
        log.info("mail to %s written to %s (no ANB_SMTP_URL):\n%s", to, path, body)


def build_mailer(smtp_url: str | None, sender: str, data_dir: Path) -> Mailer:
    if smtp_url:
        return SmtpMailer(smtp_url, sender)
    return OutboxMailer(data_dir / "outbox", sender)
