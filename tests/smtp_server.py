"""A real SMTP server on localhost for the tests (aiosmtpd), collecting what it receives.

The archive's own client code (archive/mail.py, smtplib) talks to it over a socket, as it would
to the charity's mail server; nothing is patched.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "archive", "mail password"


@dataclass
class Mailbox:
    """The messages the server accepted, parsed."""

    messages: list[EmailMessage] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(message)  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        """The messages sent to ``address``."""
        return [m for m in self.messages if address in str(m["To"])]


def _authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
    ok = (
        isinstance(data, LoginPassword)
        and data.login == USER.encode()
        and data.password == PASSWORD.encode()
    )
    return AuthResult(success=ok)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    """A running server that checks logins (over plain SMTP, as a local relay may); yields its
    mailbox and port."""
    mailbox = Mailbox()
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=_authenticate,
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield mailbox, controller.port
    finally:
        controller.stop()


def app_mail_config(port: int, **extra: Any) -> dict[str, Any]:
    """The Flask settings of an app that sends through the server on ``port``, and ``extra``."""
    return {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": port,
        "SMTP_SECURITY": "none",
        "SMTP_USER": USER,
        "SMTP_PASSWORD": PASSWORD,
        "SMTP_SENDER": "archive@charity.example",
        **extra,
    }


def serve_mail_env(port: int, **extra: str) -> dict[str, str]:
    """The environment of an `archive serve` that sends through the server on ``port``, and
    ``extra`` (``ARCHIVE_...`` names)."""
    settings = app_mail_config(port)
    return {f"ARCHIVE_{name}": str(value) for name, value in settings.items()} | extra
