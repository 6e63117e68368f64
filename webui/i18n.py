"""The interface's languages (issue 21): Flask-Babel, the reader's choice of locale, the switch.

The locale of a request is, first that found:

1. the reader's choice on the language switch, kept in the ``archive_lang`` cookie;
2. the browser's ``Accept-Language``, matched against the languages the archive has;
3. the ``default_language`` setting (English unless the home says otherwise).

Catalogues live in ``webui/translations/<code>/LC_MESSAGES/messages.po`` with their compiled
``messages.mo`` committed beside them (the README says why); adding a language is one new
catalogue and one entry in :data:`LANGUAGES`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from babel.support import NullTranslations
from flask import Blueprint, Flask, Response, current_app, g, redirect, request
from flask_babel import Babel, format_date, format_time, get_locale, get_translations

# Code -> the language's own name (what the switch shows, so each reader finds theirs).
LANGUAGES: dict[str, str] = {"en": "English", "ru": "Русский"}
DEFAULT_LANGUAGE = "en"
COOKIE_NAME = "archive_lang"
COOKIE_MAX_AGE = 365 * 24 * 3600

bp = Blueprint("i18n", __name__)
babel = Babel()


def N_(text: str) -> str:
    """Mark ``text`` for the catalogue without translating it here: tables of messages kept in
    English (the API answers with them) and translated with ``gettext`` where a page shows them
    (Babel's extractor knows ``N_``)."""
    return text


def select_locale() -> str:
    """The request's language: the switch's cookie, else Accept-Language, else the setting."""
    chosen = request.cookies.get(COOKIE_NAME, "")
    if chosen in LANGUAGES:
        return chosen
    best = request.accept_languages.best_match(list(LANGUAGES))
    if best:
        return best
    default = current_app.config.get("DEFAULT_LANGUAGE") or DEFAULT_LANGUAGE
    return default if default in LANGUAGES else DEFAULT_LANGUAGE


def current_language() -> str:
    """The code of the language this request is answered in (``en``, ``ru``)."""
    return str(get_locale() or DEFAULT_LANGUAGE)


def local_date(value: Any) -> str:
    """An ISO date (``2026-12-05``, or the day of a timestamp) as the reader's language writes
    it ("Dec 5, 2026" in English); anything else unchanged."""
    if not value:
        return ""
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(str(value)[:10])
        except ValueError:
            return str(value)
    return format_date(value, "medium")


def local_time(value: Any) -> str:
    """An ISO timestamp (UTC) as the reader's language writes a day and a time to the minute:
    "Dec 5, 2026, 5:14 PM" in English; anything else unchanged."""
    if not value:
        return ""
    if not isinstance(value, datetime):
        try:
            value = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            return str(value)
    return f"{format_date(value, 'medium')}, {format_time(value, 'short')}"


@bp.route("/language/<code>")
def switch(code: str) -> Any:
    """Remember the reader's language in a cookie and go back to the page they were on.

    A plain link (no script, no form), so it works everywhere; an unknown code changes
    nothing, and ``next`` may only name a page of this site."""
    from webui.auth import safe_next  # webui.auth uses N_ from here

    target = request.args.get("next") or ""
    if not target.startswith("/") or target.startswith("//"):
        target = "/"
    response = redirect(safe_next(target), 303)
    if code in LANGUAGES:
        response.set_cookie(
            COOKIE_NAME,
            code,
            max_age=COOKIE_MAX_AGE,
            samesite="Lax",
            httponly=True,
            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        )
    response.headers["Cache-Control"] = "no-store"
    return response


def _catalogue() -> NullTranslations:
    """The catalogue of this request's language, found once per locale: Flask-Babel looks it
    up again for every ``_()`` of a template (the locale's name built, the cache searched), a
    fifth of a results page's rendering. ``force_locale`` sets another locale object, so an
    e-mail in the reader's language still finds its own catalogue."""
    locale = get_locale()
    found = g.get("_catalogue")
    if found is None or found[0] is not locale:
        found = g._catalogue = (locale, get_translations())
    return found[1]


@bp.app_context_processor
def language_in_templates() -> dict[str, Any]:
    """``current_language`` (for ``<html lang>``) and ``languages`` (for the switch)."""
    return {"current_language": current_language(), "languages": LANGUAGES}


@bp.after_app_request
def vary_on_language(response: Response) -> Response:
    """Pages differ by the cookie and Accept-Language: a shared cache must keep them apart."""
    if response.mimetype in {"text/html", "text/plain"}:
        response.vary.update(("Cookie", "Accept-Language"))
    return response


def init_i18n(app: Flask) -> None:
    """Bind Flask-Babel (``_``, ``ngettext`` and the date and number filters in templates)."""
    app.config.setdefault("DEFAULT_LANGUAGE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    from webui.labels import template_labels  # webui.labels uses N_ from here

    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda text: _catalogue().ugettext(text),
        ngettext=lambda one, many, n: _catalogue().ungettext(one, many, n),
        pgettext=lambda context, text: _catalogue().upgettext(context, text),
        npgettext=lambda context, one, many, n: _catalogue().unpgettext(context, one, many, n),
        newstyle=True,
    )
    app.context_processor(template_labels)
    # {% trans %} blocks are read with their whitespace folded, as babel.cfg extracts them.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.filters["localdate"] = local_date
    app.jinja_env.filters["localtime"] = local_time
    app.register_blueprint(bp)
