"""Sending e-mail through the charity's SMTP server (the standard library's smtplib).

Settings: host, port, security (``starttls``: plain connection upgraded, usually port 587;
``ssl``: TLS from the start, usually 465; ``none``: a local relay only), an optional user and
password, and the sender address. Without a host and a sender, mail is off and callers say so.
"""

from __future__ import annotations

import re
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, getaddresses, make_msgid

SECURITY = ("starttls", "ssl", "none")
TIMEOUT_S = 20.0
# One addr-spec of the everyday kind: a local part and a dotted domain, nothing that could make
# a second recipient or a display name (commas, angle brackets, quotes, spaces, semicolons).
_ADDR_SPEC = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


class MailError(RuntimeError):
    """The message could not be handed to the SMTP server; ``str()`` says why, for a person."""


@dataclass(frozen=True)
class MailSettings:
    """Where and how to send mail."""

    host: str | None
    port: int = 587
    security: str = "starttls"
    user: str | None = None
    password: str | None = None
    sender: str | None = None

    @property
    def configured(self) -> bool:
        """True when mail can be sent (a host and a sender address are set)."""
        return bool(self.host and self.sender)


def single_address(text: str) -> str | None:
    """``text`` when it is exactly one e-mail address (one ``addr-spec``, as the standard
    library's :func:`email.utils.getaddresses` parses it, with no display name, list or group),
    else None: ``postmaster,reader@example.org`` or ``a@b.c>,<x`` would be several recipients."""
    text = text.strip()
    if not _ADDR_SPEC.fullmatch(text):
        return None
    parsed = getaddresses([text])
    if len(parsed) != 1 or parsed[0] != ("", text):
        return None
    return text


def _one_line(text: str) -> str:
    # A header value from a form must not start another header.
    return " ".join(text.split())


def send_mail(settings: MailSettings, to: str, subject: str, body: str) -> None:
    """Send a plain-text message to ``to``, one address and that one only; raises
    :class:`MailError` on any failure."""
    if not settings.configured:
        raise MailError("No SMTP server is configured (smtp_host and smtp_sender).")
    recipient = single_address(to)
    if recipient is None:
        raise MailError(f"{_one_line(to)!r} is not one e-mail address; nothing was sent.")
    message = EmailMessage()
    message["From"] = str(settings.sender)
    message["To"] = recipient
    message["Subject"] = _one_line(subject)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=str(settings.sender).rpartition("@")[2] or None)
    message.set_content(body)
    host, port = str(settings.host), settings.port
    try:
        if settings.security == "ssl":
            context = ssl.create_default_context()
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=TIMEOUT_S, context=context)
        else:
            smtp = smtplib.SMTP(host, port, timeout=TIMEOUT_S)
        with smtp:
            if settings.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            if settings.user:
                smtp.login(settings.user, settings.password or "")
            smtp.send_message(message, to_addrs=[recipient])
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(
            f"The mail server {host}:{port} did not take the message: {error}"
        ) from error
