"""Usage statistics: what readers searched for, what they found, which papers they read.

One SQLite file, ``HOME/usage.sqlite``, in WAL mode: the web server appends counts in batches
from a background thread while the staff dashboard, ``archive stats --usage`` or a second
process read it. Nothing that identifies a reader is ever stored: no address, cookie, user
agent or time of day, only the day (UTC), the kind of event, the paper or the folded query
text and the number of results. Rows older than the retention period are deleted.

Counts are kept in aggregate form: one row per day and distinct search (or paper event) with
the number of ``times`` it happened, so a repeated query costs nothing. After
:data:`KEEP_TEXT_DAYS` a day keeps the text of its :data:`KEEP_QUERIES_PER_DAY` most asked
queries and as many most asked misses; the rest are folded into counts without text (issue 22:
a flood of unique queries must not keep two years of rows, and rare queries name nobody's
needs once the weekly figures hold them).

The schema is versioned with SQLite's ``user_version``; :data:`MIGRATIONS` takes an older
store forward in place, and a store newer than this code is refused (never rewritten).
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from archive.sqlite_wal import use_wal

USAGE_FILE = "usage.sqlite"
# Kinds of paper event: its page, the PDF opened in the browser, the PDF saved as a file, and
# a ZIP of a search's matches (which names a query, not a paper).
VIEW, PDF, DOWNLOAD, ZIP = "view", "pdf", "download", "zip"
EVENT_KINDS = (VIEW, PDF, DOWNLOAD, ZIP)
# Full-text requests in COUNTER's sense: the PDF itself reached the reader.
DOWNLOAD_KINDS = (PDF, DOWNLOAD, ZIP)
# "Almost nothing": a search with at most this many results is listed with the misses.
FEW_RESULTS = 2
MAX_QUERY_CHARS = 200
# How long every query's text is kept, and how many a day keep it afterwards (see above).
KEEP_TEXT_DAYS = 30
KEEP_QUERIES_PER_DAY = 200
BUSY_TIMEOUT_MS = 2000

MIGRATIONS: list[str] = [
    # 1: searches and paper events, one row each, kept by day; queries marked handled.
    """
    CREATE TABLE searches (
        day TEXT NOT NULL,
        query TEXT NOT NULL,
        results INTEGER NOT NULL,
        relaxed INTEGER NOT NULL DEFAULT 0,
        corrected INTEGER NOT NULL DEFAULT 0,
        page INTEGER NOT NULL DEFAULT 1,
        source TEXT NOT NULL DEFAULT 'web'
    );
    CREATE INDEX searches_day ON searches (day);
    CREATE INDEX searches_query ON searches (query);
    CREATE TABLE events (
        day TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('view', 'pdf', 'download', 'zip')),
        paper_id TEXT,
        query TEXT
    );
    CREATE INDEX events_day ON events (day);
    CREATE INDEX events_paper ON events (paper_id);
    CREATE TABLE handled (
        query TEXT PRIMARY KEY,
        day TEXT NOT NULL
    );
    """,
    # 2: aggregate form. Identical rows of a day become one with the number of times; the
    # unique keys let each new count be added to its row (an upsert) instead of a row each.
    """
    CREATE TABLE searches_counted (
        day TEXT NOT NULL,
        query TEXT NOT NULL,
        results INTEGER NOT NULL,
        relaxed INTEGER NOT NULL DEFAULT 0,
        corrected INTEGER NOT NULL DEFAULT 0,
        page INTEGER NOT NULL DEFAULT 1,
        source TEXT NOT NULL DEFAULT 'web',
        times INTEGER NOT NULL DEFAULT 1,
        UNIQUE (day, query, results, relaxed, corrected, page, source)
    );
    INSERT INTO searches_counted
        SELECT day, query, results, relaxed, corrected, page, source, COUNT(*) FROM searches
        GROUP BY day, query, results, relaxed, corrected, page, source;
    DROP TABLE searches;
    ALTER TABLE searches_counted RENAME TO searches;
    CREATE INDEX searches_query ON searches (query);
    CREATE TABLE events_counted (
        day TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('view', 'pdf', 'download', 'zip')),
        paper_id TEXT NOT NULL DEFAULT '',
        query TEXT NOT NULL DEFAULT '',
        times INTEGER NOT NULL DEFAULT 1,
        UNIQUE (day, kind, paper_id, query)
    );
    INSERT INTO events_counted
        SELECT day, kind, COALESCE(paper_id, ''), COALESCE(query, ''), COUNT(*) FROM events
        GROUP BY day, kind, COALESCE(paper_id, ''), COALESCE(query, '');
    DROP TABLE events;
    ALTER TABLE events_counted RENAME TO events;
    CREATE INDEX events_paper ON events (paper_id);
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


class UsageStoreError(Exception):
    """The store cannot be used (damaged, or made by a newer version); ``str()`` says why."""


def fold_query(text: str) -> str:
    """A query as counted: case and accents folded, spaces collapsed, at most 200 characters,
    so that "Amur  Leopard" and "amur leopard" are one query in the figures."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return re.sub(r"\s+", " ", plain).strip()[:MAX_QUERY_CHARS]


def today() -> str:
    """Today's date (UTC) as stored."""
    return datetime.now(UTC).date().isoformat()


@dataclass(frozen=True)
class Search:
    """One counted search."""

    query: str
    results: int
    relaxed: bool = False
    corrected: bool = False
    page: int = 1
    source: str = "web"
    day: str = field(default_factory=today)

    def row(self) -> tuple[Any, ...]:
        """The values of its row in ``searches``."""
        flags = (int(self.relaxed), int(self.corrected))
        return (self.day, fold_query(self.query), self.results, *flags, self.page, self.source)


@dataclass(frozen=True)
class Event:
    """One counted paper view, PDF view or download (``paper_id``), or ZIP (``query``)."""

    kind: str
    paper_id: str | None = None
    query: str | None = None
    day: str = field(default_factory=today)


@dataclass(frozen=True)
class Period:
    """Days from ``since`` to ``until``, both included."""

    since: date
    until: date

    @classmethod
    def last_weeks(cls, weeks: int, until: date | None = None) -> Period:
        """The ``weeks`` weeks up to ``until`` (today), whole weeks from a Monday."""
        end = until or datetime.now(UTC).date()
        start = end - timedelta(days=end.weekday()) - timedelta(weeks=weeks - 1)
        return cls(start, end)

    def args(self) -> tuple[str, str]:
        return self.since.isoformat(), self.until.isoformat()


# A week's figures, in the order of the CSV's columns after the week.
WEEK_FIGURES = ("searches", "missed", "views", "pdf_views", "downloads", "zips")


@dataclass
class Week:
    """One week's figures (``start`` is its Monday)."""

    start: str
    searches: int = 0
    missed: int = 0
    views: int = 0
    pdf_views: int = 0
    downloads: int = 0
    zips: int = 0

    @property
    def full_text(self) -> int:
        """PDFs that reached readers: opened, saved, or in a ZIP."""
        return self.pdf_views + self.downloads + self.zips


@dataclass
class QueryFigure:
    """A query and how it fared over the period."""

    query: str
    searches: int
    results: int  # the most results it had
    relaxed: bool = False
    corrected: bool = False
    last_day: str = ""


@dataclass
class PaperFigure:
    """How often a paper's page was seen and its PDF opened or saved."""

    paper_id: str
    views: int = 0
    pdf_views: int = 0
    downloads: int = 0

    @property
    def reads(self) -> int:
        return self.views + self.pdf_views + self.downloads


@dataclass
class UsageReport:
    """Everything the dashboard and ``archive stats --usage`` show for a period."""

    period: Period
    weeks: list[Week]
    top_queries: list[QueryFigure]
    missed_queries: list[QueryFigure]
    top_papers: list[PaperFigure]
    further_pages: int = 0

    @property
    def totals(self) -> Week:
        total = Week(start=self.period.since.isoformat())
        for week in self.weeks:
            for name in WEEK_FIGURES:
                setattr(total, name, getattr(total, name) + getattr(week, name))
        return total

    def to_json(self) -> dict[str, Any]:
        """The report as plain data (``--json``)."""
        totals = asdict(self.totals)
        del totals["start"]
        return {
            "since": self.period.since.isoformat(),
            "until": self.period.until.isoformat(),
            "totals": {**totals, "further_result_pages": self.further_pages},
            "weeks": [asdict(week) for week in self.weeks],
            "top_queries": [asdict(figure) for figure in self.top_queries],
            "missed_queries": [asdict(figure) for figure in self.missed_queries],
            "top_papers": [{**asdict(figure), "reads": figure.reads} for figure in self.top_papers],
        }


CSV_COLUMNS = [
    "week_starting",
    "searches",
    "searches_finding_little",
    "paper_pages",
    "pdf_views",
    "pdf_downloads",
    "zip_downloads",
]


def weeks_csv(report: UsageReport) -> str:
    """The weekly figures as CSV (for funders' reports), a row per week and a total."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    rows = [(week.start, week) for week in report.weeks] + [("total", report.totals)]
    for label, week in rows:
        writer.writerow([label, *(getattr(week, name) for name in WEEK_FIGURES)])
    return out.getvalue()


def report_text(report: UsageReport) -> str:
    """The report in words and a weekly table (``archive stats --usage``)."""
    totals = report.totals
    since, until = report.period.args()
    lines = [
        f"From {since} to {until}: {totals.searches} searches ({totals.missed} finding little or"
        f" nothing), {totals.views} paper pages seen, {totals.full_text} downloads"
        f" ({totals.pdf_views} PDFs opened, {totals.downloads} saved, {totals.zips} ZIPs).",
        "",
        f"{'week of':<12}{'searches':>10}{'little':>8}{'pages':>8}{'downloads':>11}",
    ]
    lines += [
        f"{w.start:<12}{w.searches:>10}{w.missed:>8}{w.views:>8}{w.full_text:>11}"
        for w in report.weeks
    ]
    for heading, figures in (
        ("Searches that found nothing or almost nothing", report.missed_queries),
        ("Top queries", report.top_queries),
    ):
        lines += ["", f"{heading}:"]
        lines += [f"  {f.searches:>5} x {f.query} ({f.results} results)" for f in figures]
        if not figures:
            lines.append("  none")
    lines += ["", "Most read papers (page seen / PDF opened / downloaded):"]
    lines += [
        f"  {f.views:>5} {f.pdf_views:>5} {f.downloads:>5}  {f.paper_id}" for f in report.top_papers
    ]
    if not report.top_papers:
        lines.append("  none")
    return "\n".join(lines)


class UsageStore:
    """The usage store of one home. Each call opens its own connection (threads and processes
    share the file through SQLite's locking), so the object itself is safe to share."""

    def __init__(self, home: Path) -> None:
        self.path = home / USAGE_FILE

    @contextlib.contextmanager
    def _connect(self, create: bool = True) -> Iterator[sqlite3.Connection]:
        if not create and not self.path.exists():
            raise FileNotFoundError(self.path)
        connection = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._migrate(connection)
            yield connection
        finally:
            connection.close()

    def _migrate(self, connection: sqlite3.Connection) -> None:
        try:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as error:
            raise UsageStoreError(f"{self.path} is not a usable SQLite file ({error})") from error
        if version > SCHEMA_VERSION:
            raise UsageStoreError(
                f"{self.path} was written by a newer version of the archive (schema {version});"
                " upgrade the archive to read it"
            )
        if version == SCHEMA_VERSION:
            return
        # WAL: readers never wait for the writer, and a killed writer leaves the file whole.
        use_wal(connection)
        with connection:
            connection.execute("BEGIN IMMEDIATE")
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            for number in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def append(self, searches: Iterable[Search], events: Iterable[Event]) -> None:
        """Add counted searches and events in one transaction (all or none).

        Raises :class:`sqlite3.Error` or :class:`OSError` when the file cannot be written
        (locked for longer than the busy timeout, a full disk): the caller drops the batch.
        """
        with self._connect() as connection, connection:
            connection.executemany(
                "INSERT INTO searches (day, query, results, relaxed, corrected, page, source)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT"
                " (day, query, results, relaxed, corrected, page, source)"
                " DO UPDATE SET times = times + 1",
                [search.row() for search in searches],
            )
            connection.executemany(
                "INSERT INTO events (day, kind, paper_id, query) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (day, kind, paper_id, query) DO UPDATE SET times = times + 1",
                [
                    (e.day, e.kind, e.paper_id or "", fold_query(e.query) if e.query else "")
                    for e in events
                ],
            )

    def forget_before(self, day: str) -> int:
        """Delete what was counted before ``day`` (the retention period); how many rows."""
        with self._connect() as connection, connection:
            removed = connection.execute("DELETE FROM searches WHERE day < ?", (day,)).rowcount
            removed += connection.execute("DELETE FROM events WHERE day < ?", (day,)).rowcount
            connection.execute("DELETE FROM handled WHERE day < ?", (day,))
        return removed

    def fold_rare_queries(self, before: str, keep: int = KEEP_QUERIES_PER_DAY) -> int:
        """Fold the text of rare queries counted before ``before`` into counts without text.

        Each such day keeps its ``keep`` most asked queries and ``keep`` most asked misses by
        name; every other query's counts are added to the day's rows for the empty query,
        with results capped just above "almost nothing" so the weekly figures stay exact.
        ZIP events lose their query text as well (nothing reads it back). How many rows went.
        """
        if not self.path.exists():
            return 0
        with self._connect() as connection, connection:
            days = [
                day
                for (day,) in connection.execute(
                    "SELECT day FROM searches WHERE day < ? AND query != ''"
                    " GROUP BY day HAVING COUNT(DISTINCT query) > ?",
                    (before, keep),
                )
            ]
            folded = sum(self._fold_day(connection, day, keep) for day in days)
            connection.execute(
                "INSERT INTO events (day, kind, paper_id, query, times)"
                " SELECT day, kind, paper_id, '', SUM(times) FROM events"
                " WHERE day < ? AND query != '' GROUP BY day, kind, paper_id"
                " ON CONFLICT (day, kind, paper_id, query)"
                " DO UPDATE SET times = times + excluded.times",
                (before,),
            )
            folded += connection.execute(
                "DELETE FROM events WHERE day < ? AND query != ''", (before,)
            ).rowcount
        return folded

    @staticmethod
    def _fold_day(connection: sqlite3.Connection, day: str, keep: int) -> int:
        connection.execute("CREATE TEMP TABLE IF NOT EXISTS kept (query TEXT PRIMARY KEY)")
        connection.execute("DELETE FROM kept")
        for having in ("", " HAVING MAX(results) <= :few OR MAX(relaxed) = 1"):
            connection.execute(
                "INSERT OR IGNORE INTO kept SELECT query FROM searches"
                " WHERE day = :day AND query != '' GROUP BY query"
                f"{having} ORDER BY SUM(times) DESC, query LIMIT :keep",
                {"day": day, "few": FEW_RESULTS, "keep": keep},
            )
        rare = "day = :day AND query != '' AND query NOT IN (SELECT query FROM kept)"
        connection.execute(
            "INSERT INTO searches (day, query, results, relaxed, corrected, page, source, times)"
            " SELECT day, '', MIN(results, :few + 1), relaxed, corrected, MIN(page, 2), source,"
            f" SUM(times) FROM searches WHERE {rare}"
            " GROUP BY MIN(results, :few + 1), relaxed, corrected, MIN(page, 2), source"
            " ON CONFLICT (day, query, results, relaxed, corrected, page, source)"
            " DO UPDATE SET times = times + excluded.times",
            {"day": day, "few": FEW_RESULTS},
        )
        return connection.execute(f"DELETE FROM searches WHERE {rare}", {"day": day}).rowcount

    def mark_handled(self, query: str, day: str | None = None) -> None:
        """Take a query off the list of misses until it misses again after ``day``."""
        with self._connect() as connection, connection:
            connection.execute(
                "INSERT INTO handled (query, day) VALUES (?, ?)"
                " ON CONFLICT (query) DO UPDATE SET day = excluded.day",
                (fold_query(query), day or today()),
            )

    def report(self, period: Period, limit: int = 20) -> UsageReport:
        """The figures of ``period``: per week, the top and the missed queries, top papers."""
        if not self.path.exists():
            return UsageReport(period, _empty_weeks(period), [], [], [])
        span = period.args()
        with self._connect() as connection:
            weeks = {week.start: week for week in _empty_weeks(period)}

            def week_of(day: str) -> Week | None:
                monday = date.fromisoformat(day) - timedelta(days=date.fromisoformat(day).weekday())
                return weeks.get(monday.isoformat())

            for day, searches, missed in connection.execute(
                "SELECT day, SUM(times), SUM(times * (results <= ? OR relaxed)) FROM searches"
                " WHERE day BETWEEN ? AND ? AND page = 1 GROUP BY day",
                (FEW_RESULTS, *span),
            ):
                if (week := week_of(day)) is not None:
                    week.searches += searches
                    week.missed += missed
            names = {VIEW: "views", PDF: "pdf_views", DOWNLOAD: "downloads", ZIP: "zips"}
            for day, kind, count in connection.execute(
                "SELECT day, kind, SUM(times) FROM events WHERE day BETWEEN ? AND ?"
                " GROUP BY day, kind",
                span,
            ):
                if (week := week_of(day)) is not None and kind in names:
                    setattr(week, names[kind], getattr(week, names[kind]) + count)
            further = connection.execute(
                "SELECT COALESCE(SUM(times), 0) FROM searches"
                " WHERE day BETWEEN ? AND ? AND page > 1",
                span,
            ).fetchone()[0]
            top = self._queries(connection, span, limit, missed_only=False)
            missed = self._queries(connection, span, limit, missed_only=True)
            papers = self._papers(connection, span, limit)
        return UsageReport(period, list(weeks.values()), top, missed, papers, further)

    @staticmethod
    def _queries(
        connection: sqlite3.Connection, span: tuple[str, str], limit: int, missed_only: bool
    ) -> list[QueryFigure]:
        having = (
            # A miss: at most FEW_RESULTS, or found only with some words left out, and not
            # marked handled since it last missed.
            " HAVING (MAX(results) <= :few OR MAX(relaxed) = 1)"
            " AND (MAX(h.day) IS NULL OR MAX(s.day) > MAX(h.day))"
            if missed_only
            else ""
        )
        rows = connection.execute(
            "SELECT s.query, SUM(s.times), MAX(results), MAX(relaxed), MAX(corrected), MAX(s.day)"
            " FROM searches s LEFT JOIN handled h ON h.query = s.query"
            " WHERE s.day BETWEEN :since AND :until AND page = 1 AND s.query != ''"
            f" GROUP BY s.query{having} ORDER BY SUM(s.times) DESC, s.query LIMIT :limit",
            {"since": span[0], "until": span[1], "few": FEW_RESULTS, "limit": limit},
        )
        return [
            QueryFigure(query, count, results, bool(relaxed), bool(corrected), last)
            for query, count, results, relaxed, corrected, last in rows
        ]

    @staticmethod
    def _papers(
        connection: sqlite3.Connection, span: tuple[str, str], limit: int | None
    ) -> list[PaperFigure]:
        rows = connection.execute(
            "SELECT paper_id, SUM(times * (kind = 'view')), SUM(times * (kind = 'pdf')),"
            " SUM(times * (kind = 'download')) FROM events"
            " WHERE day BETWEEN ? AND ? AND paper_id != ''"
            " GROUP BY paper_id ORDER BY SUM(times) DESC, paper_id LIMIT ?",
            (*span, -1 if limit is None else limit),
        )
        return [PaperFigure(*row) for row in rows]

    def first_day(self) -> date | None:
        """The earliest day anything kept was counted on (None: nothing yet)."""
        if not self.path.exists():
            return None
        with self._connect() as connection:
            day = connection.execute(
                "SELECT MIN(day) FROM (SELECT MIN(day) AS day FROM searches"
                " UNION ALL SELECT MIN(day) FROM events)"
            ).fetchone()[0]
        return date.fromisoformat(day) if day else None

    def paper(self, paper_id: str) -> PaperFigure:
        """A paper's views, PDF views and downloads over everything kept."""
        if not self.path.exists():
            return PaperFigure(paper_id)
        with self._connect() as connection:
            row = connection.execute(
                "SELECT COALESCE(SUM(times * (kind = 'view')), 0),"
                " COALESCE(SUM(times * (kind = 'pdf')), 0),"
                " COALESCE(SUM(times * (kind = 'download')), 0) FROM events WHERE paper_id = ?",
                (paper_id,),
            ).fetchone()
        return PaperFigure(paper_id, *row)

    def check(self) -> str | None:
        """What is wrong with the store, in words for a person; None when it is sound (or
        absent: nothing has been counted yet)."""
        if not self.path.exists():
            return None
        try:
            connection = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=5)
        except sqlite3.Error as error:
            return f"the usage statistics ({self.path.name}) cannot be opened ({error})."
        try:
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                return (
                    f"the usage statistics ({self.path.name}) were written by a newer version"
                    " of the archive."
                )
            verdict = connection.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as error:
            return f"the usage statistics ({self.path.name}) are damaged ({error})."
        finally:
            connection.close()
        if verdict != "ok":
            return f"the usage statistics ({self.path.name}) are damaged ({verdict})."
        return None


def _empty_weeks(period: Period) -> list[Week]:
    monday = period.since - timedelta(days=period.since.weekday())
    weeks = []
    while monday <= period.until:
        weeks.append(Week(start=monday.isoformat()))
        monday += timedelta(weeks=1)
    return weeks
