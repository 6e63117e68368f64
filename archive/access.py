"""Who may see what of a paper: access levels and embargo dates, as pure rules.

A paper is ``open`` (everything public), ``on-request`` (its metadata, abstract and search hits
with snippets are public; its PDF is sent only on request) or ``staff-only`` (invisible to the
public everywhere). An embargo date makes a paper ``open`` from that day (UTC) by itself, with
nothing to run. Staff signed in see everything; the command line is a staff tool.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

OPEN = "open"
ON_REQUEST = "on-request"
STAFF_ONLY = "staff-only"
ACCESS_LEVELS = {
    OPEN: "Open: anyone may read and download it",
    ON_REQUEST: "On request: found and described publicly, the PDF sent on request",
    STAFF_ONLY: "Staff only: invisible to the public",
}
# Sidecars written before access levels existed: every paper was public, and stays so.
LEGACY_ACCESS = OPEN
# What the index stores for a paper hidden with no end in sight (see hidden_until).
NEVER = "9999-12-31"
_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})\s*$")


class AccessError(ValueError):
    """An access level or embargo date that cannot be used; ``str()`` says why, for a person."""


def today() -> str:
    """Today's date in UTC as ISO 8601 (embargoes end at midnight UTC)."""
    return datetime.now(UTC).date().isoformat()


def access_from(value: str) -> str:
    """The access level ``value`` means: "open", "on-request" or "staff-only", forgiving case,
    spaces and underscores ("On request", "staff_only"). Raises :class:`AccessError`."""
    folded = "".join(ch for ch in value.casefold() if ch.isalnum())
    for level in ACCESS_LEVELS:
        if folded == level.replace("-", ""):
            return level
    raise AccessError(
        f"An access level is one of {', '.join(ACCESS_LEVELS)}, not {value.strip()!r}."
    )


def embargo_from(value: str | None) -> str | None:
    """An embargo date as ISO 8601 (``2027-01-31``), or None for an empty value. Raises
    :class:`AccessError` for anything that is not a real date."""
    if value is None or not str(value).strip():
        return None
    match = _DATE.match(str(value))
    try:
        if not match:
            raise ValueError
        return date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        shown = str(value).strip()
        raise AccessError(
            f"An embargo date is written as 2027-01-31 (year-month-day), not {shown!r}."
        ) from None


def stored_access(value: object) -> str:
    """The access level of a sidecar's value: the legacy level when missing, and staff-only
    (failing closed) when it holds something this version does not know."""
    if value is None:
        return LEGACY_ACCESS
    try:
        return access_from(str(value))
    except AccessError:
        return STAFF_ONLY


def stored_embargo(value: object) -> str | None:
    """The embargo date of a sidecar's value; None when missing or unreadable."""
    try:
        return embargo_from(None if value is None else str(value))
    except AccessError:
        return None


def effective_access(level: str, embargo: str | None, on: str | None = None) -> str:
    """The level in force on the day ``on`` (default today): ``open`` once the embargo date
    is reached, else ``level``."""
    if embargo is not None and (on or today()) >= embargo:
        return OPEN
    return level


def may_list(level: str, embargo: str | None, on: str | None = None) -> bool:
    """Whether the public may find and see the paper's metadata (not staff-only)."""
    return effective_access(level, embargo, on) != STAFF_ONLY


def may_read(level: str, embargo: str | None, on: str | None = None) -> bool:
    """Whether the public may read the paper's PDF and full text (open)."""
    return effective_access(level, embargo, on) == OPEN


def closed_until(level: str, embargo: str | None) -> str | None:
    """The first day the public may read the paper's PDF, for the index to count on
    ("9999-12-31" when never by itself); None for an open paper."""
    if level == OPEN:
        return None
    return embargo or NEVER


def hidden_until(level: str, embargo: str | None) -> str | None:
    """The first day the public may list the paper, for the index to filter on ("9999-12-31"
    when never by itself); None for a paper the public may list already."""
    if level != STAFF_ONLY:
        return None
    return embargo or NEVER
