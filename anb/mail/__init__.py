"""Sending email: SMTP when ``ANB_SMTP_URL`` is set, otherwise the log and ``<data dir>/outbox/``."""

from anb.mail.sender import Mailer, build_mailer

__all__ = ["Mailer", "build_mailer"]
