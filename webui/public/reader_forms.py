"""What the readers' forms share: request a copy (:mod:`webui.public.copy_requests`) and ask
the charity (:mod:`webui.public.questions`).

Both are guarded alike: the app's CSRF token, a per-address rate limit (each form's own
setting), a honeypot field people never see, bounded lengths and one reply address
(:func:`archive.mail.single_address`). Both keep what the reader sent in a store in the
archive's home, and tell the staff by e-mail in the archive's own language.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TypeVar

from flask import current_app, request
from flask_babel import force_locale, gettext

from archive.mail import single_address
from webui.context import get_home

# The field people never see (hidden by the stylesheet and from screen readers, labelled "Leave
# this empty"): a bot that fills it is thanked and nothing is kept.
HONEYPOT = "website"
MAX_NAME = 200
MAX_EMAIL = 254

Store = TypeVar("Store")


def sent_by_a_bot() -> bool:
    """True when the form came back with the honeypot field filled."""
    return bool(request.form.get(HONEYPOT, "").strip())


def reader_contact() -> tuple[str, str]:
    """The name (its spaces folded) and the e-mail address the form sent."""
    return " ".join(request.form.get("name", "").split()), request.form.get("email", "").strip()


def contact_errors(name: str, email: str, email_help: str) -> dict[str, str]:
    """What is wrong with a reader's name (too long) and address (not one address, or too
    long: ``email_help`` says what to give), by field."""
    errors = {}
    if len(name) > MAX_NAME:
        errors["name"] = gettext("Please shorten your name to %(most)s characters.", most=MAX_NAME)
    if len(email) > MAX_EMAIL or single_address(email) is None:
        errors["email"] = email_help
    return errors


def home_store(name: str, make: Callable[[Path], Store]) -> Store:
    """The app's store ``name`` (opened as the app starts), made from the home's root by
    ``make`` when the app has none yet."""
    store = current_app.extensions.get(name)
    if store is None:
        store = current_app.extensions[name] = make(get_home().root)
    return store


def in_staff_language() -> AbstractContextManager[None]:
    """Within it, text is in the archive's own language (the staff's), whatever the reader's."""
    return force_locale(current_app.config.get("DEFAULT_LANGUAGE") or "en")
