"""The settings of a running archive, read in one place with one precedence.

Every setting can come from four places; the first that gives a usable value wins:

1. a command-line flag (``archive serve --port 8000``), or a key given to ``create_app()``;
2. an environment variable, ``ARCHIVE_`` and the name in capitals (``ARCHIVE_PORT=8000``);
3. the file ``HOME/config.toml`` (``port = 8000``, top-level keys);
4. the default below.

A value that cannot be used (``ARCHIVE_THREADS=lots``, an unknown key in config.toml, a file
that is not TOML) is skipped with a warning in :attr:`Settings.warnings` rather than stopping
the archive from starting: the next source, or the default, applies.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CONFIG_FILE = "config.toml"
ENV_PREFIX = "ARCHIVE_"
MiB = 1024**2
GiB = 1024**3


class SettingError(ValueError):
    """A value that cannot be used for a setting; ``str(error)`` says why, for a person."""


def parse_size(value: str | int) -> int:
    """A size in bytes from ``2G``, ``500M``, ``750k``, ``1.5GiB`` or a number of bytes."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*", str(value), re.IGNORECASE)
    if not match:
        raise SettingError(f"{value!r} is not a size such as 500M or 2G")
    number, unit = float(match.group(1)), match.group(2).lower()
    return int(number * 1024 ** " kmgt".index(unit or " "))


def _whole(low: int, high: int | None = None) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        try:
            number = int(str(value).strip()) if not isinstance(value, bool) else None
        except ValueError:
            number = None
        if number is None or number < low or (high is not None and number > high):
            span = f"from {low} to {high}" if high is not None else f"of at least {low}"
            raise SettingError(f"{value!r} is not a whole number {span}")
        return number

    return parse


def _text(value: Any) -> str | None:
    text = str(value).strip()
    return text or None


def _url(value: Any) -> str | None:
    text = str(value).strip().rstrip("/")
    if text and not re.match(r"https?://[^/\s]+", text):
        raise SettingError(f"{value!r} is not an address such as https://papers.example.org")
    return text or None


def _email(value: Any) -> str | None:
    text = str(value).strip()
    if text and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", text):
        raise SettingError(f"{value!r} is not an e-mail address such as curator@example.org")
    return text or None


def _languages(value: Any) -> str:
    codes = [code.strip() for code in str(value).split("+")]
    if not all(re.fullmatch(r"[a-z]{3}(?:_[a-z]+)?", code) for code in codes):
        raise SettingError(f"{value!r} is not Tesseract languages such as eng+rus")
    return "+".join(codes)


def _scheme(value: Any) -> str:
    text = str(value).strip().lower()
    if text not in {"http", "https"}:
        raise SettingError(f"{value!r} is not http or https")
    return text


def _hosts(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list | tuple) else re.split(r"[\s,]+", str(value))
    hosts = tuple(str(item).strip().lower() for item in items if str(item).strip())
    for host in hosts:
        if not re.fullmatch(r"\.?[a-z0-9]([a-z0-9.-]*[a-z0-9])?|\[[0-9a-f:.]+\]", host):
            raise SettingError(f"{host!r} is not a host name such as papers.example.org")
    return hosts


def _access(value: Any) -> str:
    from archive.access import AccessError, access_from

    try:
        return access_from(str(value))
    except AccessError as error:
        raise SettingError(str(error)) from None


# The languages the web interface has catalogues for (webui/i18n.py names them for the switch).
INTERFACE_LANGUAGES = ("en", "ru")


def _language(value: Any) -> str:
    text = str(value).strip().lower()
    if text not in INTERFACE_LANGUAGES:
        known = " or ".join(INTERFACE_LANGUAGES)
        raise SettingError(f"{value!r} is not a language of the interface: {known}")
    return text


def _security(value: Any) -> str:
    text = str(value).strip().lower()
    if text not in {"starttls", "ssl", "none"}:
        raise SettingError(f"{value!r} is not starttls, ssl or none")
    return text


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off"}:
        return False
    raise SettingError(f"{value!r} is not true or false")


@dataclass(frozen=True)
class _Spec:
    default: Any
    parse: Callable[[Any], Any]
    help: str


# Name -> default, parser, meaning. The README's settings table lists the same.
SPECS: dict[str, _Spec] = {
    "host": _Spec("127.0.0.1", _text, "Address to listen on (0.0.0.0: every interface)."),
    "port": _Spec(8080, _whole(1, 65535), "Port to listen on."),
    # Python runs one request's code at a time; beyond a few threads they queue for the
    # interpreter lock (make bench-load on 2 cores: 4 threads 57 searches/s, 8 threads 50).
    "threads": _Spec(4, _whole(1, 64), "Requests served at once."),
    # So one process uses one core: more processes, each with its threads, use the others.
    "processes": _Spec(1, _whole(1, 16), "Server processes, each with its threads."),
    "connection_limit": _Spec(100, _whole(1), "Open connections at most; more wait."),
    "channel_timeout": _Spec(60, _whole(1), "Seconds before an idle connection is closed."),
    "max_request_bytes": _Spec(
        200 * MiB, parse_size, "Largest request body (an upload), e.g. 200M."
    ),
    "trusted_proxy": _Spec(
        None, _text, "Address of a reverse proxy whose X-Forwarded-* headers are believed."
    ),
    "public_base_url": _Spec(
        None, _url, "The archive's public address, for canonical URLs, citations and feeds."
    ),
    "export_max_papers": _Spec(500, _whole(1), "Most papers in one ZIP of search results."),
    "export_max_bytes": _Spec(2 * GiB, parse_size, "Most PDF bytes in one ZIP, e.g. 2G."),
    "access_log": _Spec(True, _flag, "Write HOME/logs/access.log (one line per request)."),
    # Staff sessions and uploads.
    "preferred_url_scheme": _Spec(
        "http",
        _scheme,
        "https when served over HTTPS: staff cookies are then never sent over plain HTTP.",
    ),
    "session_cookie_secure": _Spec(False, _flag, "Send the staff session cookie over HTTPS only."),
    "secret_key": _Spec(
        None, _text, "Signs staff sessions; by default a key made on first run in HOME/secret-key."
    ),
    "login_rate_limit": _Spec(
        "5 per minute; 30 per hour", _text, "Login attempts allowed per address."
    ),
    "ratelimit_storage_uri": _Spec(
        "memory://",
        _text,
        "Where login attempts are counted (shared storage for several server processes).",
    ),
    "upload_max_file_bytes": _Spec(100 * MiB, parse_size, "Largest PDF one upload may hold."),
    "upload_max_files": _Spec(50, _whole(1), "Most PDFs in one upload."),
    # What one client may cost (issue 13): exports in flight, rate limits, request sizes.
    "export_slots": _Spec(8, _whole(1), "Downloads of all matches in progress at once."),
    "export_builds": _Spec(2, _whole(1), "Downloads of all matches being prepared at once."),
    "export_spool_bytes": _Spec(
        4 * GiB, parse_size, "Disk for downloads of all matches in progress, e.g. 4G."
    ),
    "export_rate_limit": _Spec(
        "10 per minute; 60 per hour", _text, "Downloads of all matches allowed per address."
    ),
    "deep_page_rate_limit": _Spec(
        "30 per minute; 300 per hour", _text, "Result pages past the 100th result per address."
    ),
    "max_form_bytes": _Spec(1 * MiB, parse_size, "Largest request body except an upload."),
    "max_request_header_bytes": _Spec(
        16 * 1024, parse_size, "Largest request line and headers (the query string among them)."
    ),
    "header_timeout": _Spec(
        20, _whole(1), "Seconds a client may take to send a request's headers, or stay idle."
    ),
    # Metadata by DOI from Crossref (indexer/describe/crossref.py): off unless asked for.
    "crossref_lookup": _Spec(
        False, _flag, "Look papers up by DOI at Crossref on every import (as --lookup does)."
    ),
    "crossref_mailto": _Spec(
        None,
        _email,
        "Contact e-mail sent to Crossref with each lookup (its polite pool); set it to look up.",
    ),
    "crossref_url": _Spec("https://api.crossref.org", _url, "Crossref REST API address."),
    "crossref_timeout": _Spec(10, _whole(1, 120), "Seconds to wait for one Crossref answer."),
    # Scanned papers (indexer/ingest/ocr.py); each language needs its Tesseract data installed.
    "ocr_languages": _Spec(
        "eng+rus",
        _languages,
        "Tesseract languages for scans, joined by + (apt-get install tesseract-ocr-rus).",
    ),
    "trusted_hosts": _Spec(
        (), _hosts, "Host names the archive answers to; requests naming another get 400."
    ),
    # Usage statistics (HOME/usage.sqlite): counted without anything that identifies a reader.
    "usage_counting": _Spec(True, _flag, "Count searches, views and downloads for staff."),
    "usage_retention_days": _Spec(
        730, _whole(1), "Days that usage counts are kept (two years: a funder's report and more)."
    ),
    # Page previews (issue 16): drawn on demand, cached under HOME/cache/previews.
    "preview_cache_bytes": _Spec(
        256 * MiB, parse_size, "Disk for cached page previews (oldest used dropped), e.g. 256M."
    ),
    "preview_timeout": _Spec(
        10, _whole(1, 120), "Seconds one page preview may take to draw (or wait to be drawn)."
    ),
    "preview_rate_limit": _Spec(
        "30 per minute; 300 per hour", _text, "Page previews drawn per address (cached: free)."
    ),
    "inline_scripted_pdfs": _Spec(
        False, _flag, "Show PDFs holding JavaScript in the browser (else: download only)."
    ),
    # Access levels and requests for a copy (archive/access.py, archive/copy_requests.py).
    "default_access": _Spec(
        "open", _access, "Access of papers added without one: open, on-request or staff-only."
    ),
    "smtp_host": _Spec(None, _text, "SMTP server for e-mail (copy requests); unset: no e-mail."),
    "smtp_port": _Spec(587, _whole(1, 65535), "SMTP port (587 with starttls, 465 with ssl)."),
    "smtp_security": _Spec("starttls", _security, "starttls, ssl or none (a local relay only)."),
    "smtp_user": _Spec(None, _text, "SMTP user name, when the server wants a login."),
    "smtp_password": _Spec(None, _text, "SMTP password."),
    "smtp_sender": _Spec(None, _email, "The From address of the archive's e-mail."),
    "copy_request_notify": _Spec(
        None, _email, "Staff address told of each new request for a copy."
    ),
    "copy_link_days": _Spec(7, _whole(1, 365), "Days a copy's download link works."),
    "copy_request_retention_days": _Spec(
        30, _whole(1), "Days a decided request (the reader's name and address) is kept."
    ),
    "copy_request_rate_limit": _Spec(
        "5 per hour; 20 per day", _text, "Requests for a copy allowed per address."
    ),
    # Readers' questions to the charity (issue 27; archive/questions.py, webui/public/questions.py).
    "question_retention_days": _Spec(
        90, _whole(1), "Days a question's name and reply address are kept (then deleted)."
    ),
    "question_rate_limit": _Spec(
        "5 per hour; 20 per day", _text, "Questions to the charity allowed per address."
    ),
    "question_daily_limit": _Spec(
        200, _whole(1), "Questions taken from everyone in one day (a flood from many addresses)."
    ),
    "question_notify": _Spec(
        None, _email, "Staff address told of each new question (else copy_request_notify)."
    ),
    # The interface's language (issue 21) when neither the reader's switch nor the browser's
    # Accept-Language names one the archive has.
    "default_language": _Spec(
        "en", _language, "Language of the pages when the browser asks for none we have: en or ru."
    ),
}


@dataclass(frozen=True)
class Settings:
    """Every setting's value, where it came from, and the values that were skipped."""

    host: str
    port: int
    threads: int
    processes: int
    connection_limit: int
    channel_timeout: int
    max_request_bytes: int
    trusted_proxy: str | None
    public_base_url: str | None
    export_max_papers: int
    export_max_bytes: int
    access_log: bool
    preferred_url_scheme: str
    session_cookie_secure: bool
    secret_key: str | None
    login_rate_limit: str
    ratelimit_storage_uri: str
    upload_max_file_bytes: int
    upload_max_files: int
    export_slots: int
    export_builds: int
    export_spool_bytes: int
    export_rate_limit: str
    deep_page_rate_limit: str
    max_form_bytes: int
    max_request_header_bytes: int
    header_timeout: int
    crossref_lookup: bool
    crossref_mailto: str | None
    crossref_url: str
    crossref_timeout: int
    ocr_languages: str
    trusted_hosts: tuple[str, ...]
    usage_counting: bool
    usage_retention_days: int
    preview_cache_bytes: int
    preview_timeout: int
    preview_rate_limit: str
    inline_scripted_pdfs: bool
    default_access: str
    smtp_host: str | None
    smtp_port: int
    smtp_security: str
    smtp_user: str | None
    smtp_password: str | None
    smtp_sender: str | None
    copy_request_notify: str | None
    copy_link_days: int
    copy_request_retention_days: int
    copy_request_rate_limit: str
    question_retention_days: int
    question_rate_limit: str
    question_daily_limit: int
    question_notify: str | None
    default_language: str
    sources: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def env_name(name: str) -> str:
    """The environment variable of a setting: ``port`` -> ``ARCHIVE_PORT``."""
    return ENV_PREFIX + name.upper()


def _read_config(path: Path, warnings: list[str]) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        warnings.append(f"{path} was not read: {error}")
        return {}
    for key in sorted(set(data) - set(SPECS)):
        warnings.append(f"{path}: {key!r} is not a setting (known: {', '.join(SPECS)})")
    return data


def load_settings(
    home: Path | None,
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Settings:
    """The settings: ``overrides`` (flags; None = not given) > environment > config > default."""
    environ = os.environ if environ is None else environ
    warnings: list[str] = []
    config = _read_config(home / CONFIG_FILE, warnings) if home else {}
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for name, spec in SPECS.items():
        candidates = [
            ("command line", (overrides or {}).get(name)),
            (env_name(name), environ.get(env_name(name))),
            (CONFIG_FILE, config.get(name)),
        ]
        values[name], sources[name] = spec.default, "default"
        for source, raw in candidates:
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            try:
                values[name] = spec.parse(raw)
            except SettingError as error:
                warnings.append(f"{source}: ignoring {name} = {error}")
                continue
            sources[name] = source
            break
    return Settings(**values, sources=sources, warnings=warnings)
