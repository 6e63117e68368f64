"""Text bound for a spreadsheet: CSV cells that a spreadsheet program shows and never runs."""

from __future__ import annotations

# A cell starting with one of these is a formula to a spreadsheet (CSV injection); some
# programs skip a leading tab or carriage return before they look.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(text: str) -> str:
    """``text`` as a CSV cell: with a leading apostrophe when it would start a formula (readers
    type such text, and PDFs carry titles such as "=HYPERLINK(...)")."""
    return "'" + text if text.startswith(FORMULA_START) else text
