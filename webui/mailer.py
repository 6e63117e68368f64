"""The app's e-mail: its SMTP settings, and sending one message without ever failing a page.

Readers' requests for a copy (:mod:`webui.public.copy_requests`) and questions to the charity
(:mod:`webui.public.questions`) both send through here: a message that cannot go is logged, and the
caller says so in words (the request or question is kept either way).
"""

from __future__ import annotations

import logging

from flask import current_app

from archive.mail import MailError, MailSettings, send_mail

log = logging.getLogger(__name__)


def mail_settings() -> MailSettings:
    """The SMTP settings of the app."""
    config = current_app.config
    return MailSettings(
        host=config.get("SMTP_HOST"),
        port=int(config.get("SMTP_PORT") or 587),
        security=config.get("SMTP_SECURITY") or "starttls",
        user=config.get("SMTP_USER"),
        password=config.get("SMTP_PASSWORD"),
        sender=config.get("SMTP_SENDER"),
    )


def send_if_configured(to: str | None, subject: str, body: str) -> bool:
    """Send one message when mail is configured and there is someone to send it to; a failure
    is logged, never shown as an error page. True when the message went."""
    settings = mail_settings()
    if not to or not settings.configured:
        return False
    try:
        send_mail(settings, to, subject, body)
    except MailError as error:
        log.warning("%s", error)
        return False
    return True
