"""The staff usage page: searches and downloads per week, what readers looked for and missed,
the most read papers, and the same figures as CSV for funders' reports."""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_date, format_number, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from archive.library import PaperNotFound
from archive.usage import (
    FEW_RESULTS,
    PaperFigure,
    Period,
    UsageReport,
    UsageStore,
    UsageStoreError,
    Week,
    fold_query,
    weeks_csv,
)
from webui.auth import login_required, safe_next
from webui.background import staff_services
from webui.context import get_home

bp = Blueprint("usage", __name__, url_prefix="/staff")
log = logging.getLogger(__name__)

PERIODS = {
    4: _l("Last 4 weeks"),
    12: _l("Last 12 weeks"),
    26: _l("Last 26 weeks"),
    52: _l("Last 52 weeks"),
}
DEFAULT_WEEKS = 12
CHART_WIDTH, CHART_HEIGHT, CHART_LEFT, CHART_BOTTOM, CHART_TOP = 640, 240, 44, 28, 12


def usage_store() -> UsageStore:
    """The usage store of the app's home."""
    return current_app.extensions["usage_store"]


def _period() -> tuple[Period, int | None]:
    """The period asked for: ``weeks=N``, or ``since``/``until`` dates; odd values are
    replaced by the default with a word to the curator."""
    since, until = request.args.get("since", ""), request.args.get("until", "")
    if since or until:
        try:
            start = date.fromisoformat(since) if since else None
            end = date.fromisoformat(until) if until else datetime.now(UTC).date()
            if start is None or start > end:
                raise ValueError
            return _bounded(start, end), None
        except ValueError:
            flash(_("Dates are written 2026-01-31, the first before the second."), "error")
    weeks = request.args.get("weeks", DEFAULT_WEEKS, type=int)
    weeks = weeks if weeks in PERIODS else DEFAULT_WEEKS
    return Period.last_weeks(weeks), weeks


def _bounded(start: date, end: date) -> Period:
    """The period within what the store keeps: no later than today, no longer than the
    retention period (counts older than that are deleted anyway). An unbounded period would
    build a page of thousands of empty weeks, and a week past 9999-12-31 cannot be counted."""
    today = datetime.now(UTC).date()
    keep = timedelta(days=int(current_app.config.get("USAGE_RETENTION_DAYS") or 730))
    bounded_end = min(end, today)
    bounded_start = min(max(start, bounded_end - keep), bounded_end)
    if (bounded_start, bounded_end) != (start, end):
        flash(
            _(
                "Usage is kept for %(days)s days up to today: showing %(start)s to %(end)s.",
                days=keep.days,
                start=format_date(bounded_start),
                end=format_date(bounded_end),
            ),
            "info",
        )
    return Period(bounded_start, bounded_end)


@dataclass
class Bar:
    """One bar of the chart, in SVG coordinates."""

    x: float
    y: float
    width: float
    height: float
    value: int
    label: str


def bar_label(name: str, day: str, value: int) -> str:
    """A bar's tooltip in the reader's language: "week of Dec 1, 2026: 5 searches"."""
    count = format_number(value)
    if name == "searches":
        return ngettext(
            "week of %(day)s: %(count)s search", "week of %(day)s: %(count)s searches", value,
            day=day, count=count,
        )  # fmt: skip
    return ngettext(
        "week of %(day)s: %(count)s download", "week of %(day)s: %(count)s downloads", value,
        day=day, count=count,
    )  # fmt: skip


def chart(weeks: list[Week]) -> dict[str, Any]:
    """The geometry of the weekly bar chart (searches and downloads side by side)."""
    top = max([1] + [max(week.searches, week.full_text) for week in weeks])
    plot_w = CHART_WIDTH - CHART_LEFT - 8
    plot_h = CHART_HEIGHT - CHART_BOTTOM - CHART_TOP
    slot = plot_w / max(1, len(weeks))
    bar_w = max(1.0, slot * 0.38)
    series: dict[str, list[Bar]] = {"searches": [], "downloads": []}
    labels = []
    every = max(1, len(weeks) // 8)
    for number, week in enumerate(weeks):
        left = CHART_LEFT + number * slot + slot * 0.1
        pairs = ((0, "searches", week.searches), (1, "downloads", week.full_text))
        day = format_date(date.fromisoformat(week.start), "medium")
        for offset, name, value in pairs:
            height = plot_h * value / top
            series[name].append(
                Bar(
                    round(left + offset * bar_w, 1),
                    round(CHART_TOP + plot_h - height, 1),
                    round(bar_w, 1),
                    round(height, 1),
                    value,
                    bar_label(name, day, value),
                )
            )
        if number % every == 0:
            labels.append(
                (round(left + bar_w, 1), format_date(date.fromisoformat(week.start), "d MMM"))
            )
    ticks = sorted({0, top // 2, top})
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_LEFT,
        "base": CHART_TOP + plot_h,
        "series": series,
        "labels": labels,
        "ticks": [(value, round(CHART_TOP + plot_h - plot_h * value / top, 1)) for value in ticks],
    }


def _report(period: Period) -> UsageReport | None:
    try:
        return usage_store().report(period)
    except (sqlite3.Error, OSError, UsageStoreError) as error:
        log.warning("usage statistics could not be read: %s", error)
        return None


def _titles(figures: list[PaperFigure]) -> dict[str, str]:
    library = get_home().library
    titles = {}
    for figure in figures:
        with contextlib.suppress(PaperNotFound):  # removed since: listed by its id
            titles[figure.paper_id] = library.get(figure.paper_id).title
    return titles


@bp.get("/usage")
@login_required
def dashboard() -> Any:
    """The usage figures of a period, with a chart and its table."""
    period, weeks = _period()
    report = _report(period)
    return render_template(
        "usage.html",
        period=period,
        weeks=weeks,
        periods=PERIODS,
        report=report,
        chart=chart(report.weeks) if report else None,
        titles=_titles(report.top_papers) if report else {},
        few=FEW_RESULTS,
        counting=bool(current_app.extensions.get("usage_counter")),
    )


@bp.get("/usage.csv")
@login_required
def csv_download() -> Any:
    """The weekly figures of the period as CSV."""
    period, _ = _period()
    report = _report(period)
    if report is None:
        flash(_("The usage statistics cannot be read just now; see the error log."), "error")
        return redirect(url_for("usage.dashboard"), 303)
    response = Response(weeks_csv(report), content_type="text/csv; charset=utf-8")
    since, until = period.args()
    response.headers["Content-Disposition"] = f'attachment; filename="usage-{since}-{until}.csv"'
    return response


@bp.post("/usage/handled")
@login_required
def mark_handled() -> Any:
    """Take a query off the list of misses (it comes back if it misses again later)."""
    query = fold_query(request.form.get("query", ""))
    back = request.form.get("back", "")
    target = safe_next(back) if back.startswith("/staff/usage") else url_for("usage.dashboard")
    if not query:
        flash(_("No query was given, so nothing was marked."), "error")
        return redirect(target, 303)
    try:
        usage_store().mark_handled(query)
    except (sqlite3.Error, OSError, UsageStoreError) as error:
        log.warning("usage statistics: marking %r handled failed: %s", query, error)
        flash(_("The usage statistics cannot be written just now; try again in a moment."), "error")
        return redirect(target, 303)
    staff_services().activity.record("usage-handled", user=g.staff, query=query)
    flash(_("“%(query)s” is marked handled.", query=query), "info")
    return redirect(target, 303)


@bp.app_template_global()
def paper_usage(paper_id: str) -> PaperFigure | None:
    """A paper's counts for its staff view; None when the store cannot be read."""
    try:
        return usage_store().paper(paper_id)
    except (sqlite3.Error, OSError, UsageStoreError) as error:
        log.warning("usage statistics could not be read: %s", error)
        return None
