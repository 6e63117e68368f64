"""Usage statistics through the Flask test client and the CLI: what is counted and what is not,
the staff page and its exports, and counting that never breaks a request.

(Counting through the real server, the killed server and the personal-data check are in
tests/test_usage_live.py; the dashboard in a real browser in tests/test_browser.py.)
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

import archive.accounts
from archive.accounts import AccountStore
from archive.usage import (
    MIGRATIONS,
    SCHEMA_VERSION,
    USAGE_FILE,
    Event,
    Period,
    Search,
    UsageStore,
    fold_query,
)
from indexer.cli.main import main
from indexer.home import ArchiveHome
from webui import create_app
from webui.server.usage import UsageCounter, is_robot

from conftest import paper_id_of

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
OTHER_BROWSER = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Safari/605.1"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
USER, PASSWORD = "curator", "otters-and-leopards"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
LEOPARD = "amur-leopard-fact-sheet.pdf"


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    # As in tests/test_staff.py: these tests are about usage, not the password hash.
    monkeypatch.setattr(archive.accounts, "_hasher", PasswordHasher.from_parameters(CHEAPEST))


@pytest.fixture
def usage_app(demo_home: ArchiveHome) -> Iterator[Flask]:
    """The demo archive's app with a staff account; its background threads stopped after."""
    AccountStore(demo_home.root).add(USER, PASSWORD)
    app = create_app({"ARCHIVE_HOME": str(demo_home.root), "TESTING": True})
    yield app
    app.extensions["staff_services"].uploads.stop()
    app.extensions["staff_services"].sync.stop()


def reader(app: Flask, user_agent: str = BROWSER, address: str = "192.0.2.7") -> FlaskClient:
    """A member of the public with a browser, at an address of their own."""
    client = app.test_client()
    client.environ_base.update({"HTTP_USER_AGENT": user_agent, "REMOTE_ADDR": address})
    return client


def flush(app: Flask) -> UsageCounter:
    counter = app.extensions["usage_counter"]
    counter.flush()
    return counter


def store(app: Flask) -> UsageStore:
    return app.extensions["usage_store"]


def rows(app: Flask, sql: str) -> list[tuple]:
    flush(app)
    with sqlite3.connect(store(app).path) as connection:
        return connection.execute(sql).fetchall()


def logged_in(app: Flask) -> FlaskClient:
    client = reader(app, address="192.0.2.200")
    page = client.get("/login").get_data(as_text=True)
    token = TOKEN.search(page).group(1)  # type: ignore[union-attr]
    response = client.post(
        "/login", data={"username": USER, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 303
    return client


def token_of(page: str) -> str:
    match = TOKEN.search(page)
    assert match
    return match.group(1)


# --- what is counted ---------------------------------------------------------------------------


def test_searches_views_and_downloads_are_counted(usage_app: Flask, demo_home: ArchiveHome) -> None:
    client = reader(usage_app)
    leopard = paper_id_of(demo_home, LEOPARD)
    assert client.get("/search?q=Amur+Leopard").status_code == 200
    assert client.get("/search?q=xylophone+quasar").status_code == 200  # nothing
    assert client.get("/search?q=leopard&page=2").status_code == 200
    assert client.get("/api/search?q=tiger").status_code == 200
    assert client.get(f"/papers/{leopard}").status_code == 200
    assert client.get(f"/papers/{leopard}/pdf").status_code == 200
    assert client.get(f"/papers/{leopard}/download").status_code == 200
    assert client.get("/search.zip?q=tiger").status_code == 200

    searches = rows(usage_app, "SELECT query, results > 0, page, source FROM searches ORDER BY 1")
    assert searches == [
        ("amur leopard", 1, 1, "web"),
        ("leopard", 1, 2, "web"),
        ("tiger", 1, 1, "api"),
        ("xylophone quasar", 0, 1, "web"),
    ]
    events = rows(usage_app, "SELECT kind, paper_id, query FROM events ORDER BY kind")
    assert events == [
        ("download", leopard, ""),
        ("pdf", leopard, ""),
        ("view", leopard, ""),
        ("zip", "", "tiger"),
    ]


def test_robots_repeats_later_pieces_and_staff_are_not_counted(
    usage_app: Flask, demo_home: ArchiveHome
) -> None:
    leopard = paper_id_of(demo_home, LEOPARD)
    reader(usage_app, GOOGLEBOT).get("/search?q=tiger")
    reader(usage_app, "python-requests/2.32").get(f"/papers/{leopard}/pdf")  # a script
    reader(usage_app, "").get(f"/papers/{leopard}")  # no user agent at all
    # A crawler with a browser's name, known by its asking for robots.txt.
    sneaky = reader(usage_app, OTHER_BROWSER, "198.51.100.9")
    sneaky.get("/robots.txt")
    sneaky.get("/search?q=tiger")
    # A double click: the same search twice within 30 s counts once.
    person = reader(usage_app)
    person.get("/search?q=snow+leopard")
    person.get("/search?q=snow+leopard")
    # A PDF viewer fetching the rest of the file in pieces: only the first piece counts.
    person.get(f"/papers/{leopard}/pdf", headers={"Range": "bytes=0-99"})
    person.get(f"/papers/{leopard}/pdf", headers={"Range": "bytes=100-199"})
    # Errors: a paper that does not exist, a ZIP of nothing.
    person.get("/papers/" + "0" * 64)
    person.get("/search.zip?q=xylophone")
    # The empty search box and browsing are not searches.
    person.get("/search?q=")
    person.get("/browse?year=2020")
    # A curator at work.
    logged_in(usage_app).get("/search?q=curators+search")

    assert rows(usage_app, "SELECT query FROM searches") == [("snow leopard",)]
    assert rows(usage_app, "SELECT kind, paper_id FROM events") == [("pdf", leopard)]


def test_the_same_search_by_two_readers_counts_twice(usage_app: Flask) -> None:
    reader(usage_app, BROWSER, "192.0.2.1").get("/search?q=tiger")
    reader(usage_app, BROWSER, "192.0.2.2").get("/search?q=TIGER")
    reader(usage_app, OTHER_BROWSER, "192.0.2.1").get("/search?q=tigér")
    assert rows(usage_app, "SELECT query, times FROM searches") == [("tiger", 3)]


def test_a_double_click_counts_again_after_30_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    import webui.server.usage

    clock = [1000.0]
    monkeypatch.setattr(webui.server.usage.time, "monotonic", lambda: clock[0])
    rules = webui.server.usage.ClientFilter()
    client = rules.client("192.0.2.1")
    assert rules.first_click(client, ("view", "a"))
    clock[0] += 29
    assert not rules.first_click(client, ("view", "a"))
    assert rules.first_click(client, ("view", "b"))
    clock[0] += 2
    assert rules.first_click(client, ("view", "a"))


def test_unusable_query_counts_as_finding_nothing(usage_app: Flask) -> None:
    reader(usage_app).get("/search?q=" + "x" * 20 + "*" * 5)
    reader(usage_app).get("/search?q=%22")
    found = rows(usage_app, "SELECT results FROM searches")
    assert found and all(results == 0 for (results,) in found)


def test_relaxed_and_corrected_searches_are_counted_so(usage_app: Flask) -> None:
    reader(usage_app).get("/search?q=leopart")
    # No demo paper says "researchers": a relaxed match.
    reader(usage_app).get("/search?q=how+do+researchers+count+leopards")
    assert sorted(
        rows(usage_app, "SELECT query, results > 0, relaxed, corrected FROM searches")
    ) == [
        ("how do researchers count leopards", 1, 1, 0),
        ("leopart", 0, 0, 1),
    ]


def test_robot_list_is_counters_and_ignores_case() -> None:
    assert is_robot(GOOGLEBOT)
    assert is_robot("Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)")
    assert is_robot("curl/8.5.0") and is_robot("Wget/1.21") and is_robot("")
    assert not is_robot(BROWSER) and not is_robot(OTHER_BROWSER)
    assert not is_robot("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) Mobile/15E148")


def test_counting_off_stores_nothing(demo_home: ArchiveHome, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("ARCHIVE_USAGE_COUNTING", "off")
    app = create_app({"ARCHIVE_HOME": str(demo_home.root), "TESTING": True})
    assert reader(app).get("/search?q=tiger").status_code == 200
    assert "usage_counter" not in app.extensions
    assert not (demo_home.root / USAGE_FILE).exists()


# --- counting never breaks a request -----------------------------------------------------------


def test_an_unwritable_store_drops_counts_with_a_warning(
    usage_app: Flask, demo_home: ArchiveHome, caplog: pytest.LogCaptureFixture
) -> None:
    (demo_home.root / USAGE_FILE).mkdir()  # what SQLite cannot open: like a full or broken disk
    client = reader(usage_app)
    assert client.get("/search?q=tiger").status_code == 200
    with caplog.at_level(logging.WARNING):
        assert flush(usage_app).flush() == 0
        assert reader(usage_app, address="192.0.2.99").get("/search?q=leopard").status_code == 200
        assert usage_app.extensions["usage_counter"].flush() == 0
    assert "usage statistics: 1 counts dropped" in caplog.text
    staff = logged_in(usage_app)
    page = staff.get("/staff/usage")
    assert page.status_code == 200
    assert "cannot be read just now" in page.get_data(as_text=True)
    leopard = paper_id_of(demo_home, LEOPARD)
    assert staff.get(f"/papers/{leopard}").status_code == 200


def test_a_locked_store_drops_the_batch_and_counting_goes_on(
    usage_app: Flask, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    import archive.usage

    monkeypatch.setattr(archive.usage, "BUSY_TIMEOUT_MS", 100)
    reader(usage_app).get("/search?q=tiger")
    flush(usage_app)  # the store exists
    blocker = sqlite3.connect(store(usage_app).path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")  # another process writing for a long time
    try:
        assert reader(usage_app).get("/search?q=leopard").status_code == 200
        with caplog.at_level(logging.WARNING):
            assert usage_app.extensions["usage_counter"].flush() == 0
        assert "database is locked" in caplog.text
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    reader(usage_app).get("/search?q=snow")
    assert rows(usage_app, "SELECT query FROM searches ORDER BY query") == [("snow",), ("tiger",)]


# --- the store ---------------------------------------------------------------------------------


def test_store_report_weeks_misses_handled_and_retention(tmp_path: Path) -> None:
    usage = UsageStore(tmp_path)
    monday = date(2026, 3, 2)
    day = [(monday + timedelta(days=n)).isoformat() for n in range(15)]
    usage.append(
        [
            Search("Amur leopard", 4, day=day[0]),
            Search("amur  LEOPARD", 4, day=day[1]),
            Search("amur leopard", 4, page=2, day=day[1]),
            Search("snow leopard diet", 1, day=day[7]),
            Search("otter", 0, day=day[8]),
            Search("otter", 0, day=day[8]),
            Search("tiger zoo breeding", 6, relaxed=True, day=day[9]),
        ],
        [
            Event("view", paper_id="a" * 64, day=day[0]),
            Event("pdf", paper_id="a" * 64, day=day[0]),
            Event("download", paper_id="b" * 64, day=day[8]),
            Event("zip", query="Tiger", day=day[8]),
        ],
    )
    report = usage.report(Period(monday, monday + timedelta(days=13)))
    assert [(w.start, w.searches, w.missed, w.views, w.full_text) for w in report.weeks] == [
        ("2026-03-02", 2, 0, 1, 1),
        ("2026-03-09", 4, 4, 0, 2),
    ]
    assert report.further_pages == 1
    assert [(f.query, f.searches) for f in report.top_queries][:2] == [
        ("amur leopard", 2),
        ("otter", 2),
    ]
    assert [(f.query, f.results, f.relaxed) for f in report.missed_queries] == [
        ("otter", 0, False),
        ("snow leopard diet", 1, False),
        ("tiger zoo breeding", 6, True),
    ]
    assert [(p.paper_id[0], p.reads) for p in report.top_papers] == [("a", 2), ("b", 1)]
    assert usage.paper("a" * 64).views == 1 and usage.paper("c" * 64).reads == 0

    usage.mark_handled("Otter", day=day[8])
    period = Period(monday, monday + timedelta(days=13))
    assert "otter" not in [f.query for f in usage.report(period).missed_queries]
    usage.append([Search("otter", 0, day=day[10])], [])  # missed again later: back on the list
    assert "otter" in [f.query for f in usage.report(period).missed_queries]

    assert usage.first_day() == monday
    assert usage.forget_before(day[7]) == 5
    assert usage.first_day() == monday + timedelta(days=7)


def test_fold_query() -> None:
    assert fold_query("  Amur\tLEOPARD  ") == "amur leopard"
    assert fold_query("Einführung requêtes") == "einfuhrung requetes"
    assert len(fold_query("x" * 1000)) == 200


def test_a_store_from_a_newer_version_is_refused_not_rewritten(tmp_path: Path) -> None:
    path = tmp_path / USAGE_FILE
    with sqlite3.connect(path) as connection:
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = path.read_bytes()
    assert "newer version" in (UsageStore(tmp_path).check() or "")
    with pytest.raises(Exception, match="newer version"):
        UsageStore(tmp_path).append([Search("tiger", 1)], [])
    assert path.read_bytes() == before


# --- the staff page ----------------------------------------------------------------------------


def test_usage_page_is_for_staff_only(usage_app: Flask) -> None:
    anonymous = reader(usage_app)
    assert anonymous.get("/staff/usage").status_code == 302
    assert anonymous.get("/staff/usage.csv").status_code == 302
    assert anonymous.post("/staff/usage/handled", data={"query": "x"}).status_code in (302, 401)


def test_usage_page_shows_the_figures_and_marks_a_miss_handled(
    usage_app: Flask, demo_home: ArchiveHome
) -> None:
    leopard = paper_id_of(demo_home, LEOPARD)
    client = reader(usage_app)
    client.get("/search?q=<b>pangolin</b>")  # found nothing; the text is shown escaped
    client.get("/search?q=amur+leopard")
    client.get(f"/papers/{leopard}")
    client.get(f"/papers/{leopard}/download")
    flush(usage_app)

    staff = logged_in(usage_app)
    page = staff.get("/staff/usage?weeks=4").get_data(as_text=True)
    assert "<h1>Usage statistics</h1>" in page
    assert "<svg" in page and 'role="img"' in page and "<rect" in page
    assert "<b>pangolin</b>" not in page and "&lt;b&gt;pangolin&lt;/b&gt;" in page
    missed = page.split("found nothing or almost nothing")[1].split("Top queries")[0]
    assert "/search?q=%3Cb%3Epangolin%3C/b%3E" in missed and "amur leopard" not in missed
    assert "The Amur Leopard" in page.split("Most read papers")[1]

    # Handled without the form's token: refused, nothing changed.
    assert staff.post("/staff/usage/handled", data={"query": "<b>pangolin</b>"}).status_code == 400
    response = staff.post(
        "/staff/usage/handled",
        data={"query": "<b>pangolin</b>", "csrf_token": token_of(page), "back": "/staff/usage"},
    )
    assert response.status_code == 303 and response.headers["Location"] == "/staff/usage"
    page = staff.get("/staff/usage").get_data(as_text=True)
    assert "is marked handled" in page
    missed = page.split("found nothing or almost nothing")[1].split("Top queries")[0]
    assert "pangolin" not in missed and "None in this period" in missed
    journal = (demo_home.log_dir / "activity.jsonl").read_text()
    assert '"action": "usage-handled"' in journal

    # The paper's staff view has its own figures.
    paper_page = staff.get(f"/papers/{leopard}").get_data(as_text=True)
    assert "Readers saw this page 1 time, opened the PDF 0 times and downloaded it 1 time" in (
        " ".join(paper_page.split())
    )
    assert "Readers saw" not in reader(usage_app).get(f"/papers/{leopard}").get_data(as_text=True)


def test_usage_csv_download_and_odd_dates(usage_app: Flask) -> None:
    reader(usage_app).get("/search?q=tiger")
    flush(usage_app)
    staff = logged_in(usage_app)
    today = date.today()
    response = staff.get(f"/staff/usage.csv?since={today - timedelta(days=20)}&until={today}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    table = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert table[-1]["week_starting"] == "total" and table[-1]["searches"] == "1"
    assert sum(int(row["searches"]) for row in table[:-1]) == 1
    page = staff.get("/staff/usage?since=yesterday&until=2026-13-01")
    assert page.status_code == 200
    assert "Dates are written 2026-01-31" in page.get_data(as_text=True)
    assert staff.get("/staff/usage?weeks=9999").status_code == 200


# --- the command line --------------------------------------------------------------------------


def test_stats_usage_cli_json_csv_and_text(demo_home: ArchiveHome) -> None:
    UsageStore(demo_home.root).append(
        [Search("otter", 0, day="2026-01-05"), Search("tiger", 3, day="2026-02-03")],
        [Event("download", paper_id="a" * 64, day="2026-02-03")],
    )
    runner = CliRunner()
    base = ["--home", str(demo_home.root), "stats", "--usage"]

    result = runner.invoke(main, [*base, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["since"] == "2026-01-05" and data["totals"]["searches"] == 2
    assert [q["query"] for q in data["missed_queries"]] == ["otter"]
    assert data["top_papers"][0]["downloads"] == 1

    result = runner.invoke(main, [*base, "--since", "2026-02-01", "--csv"])
    assert result.exit_code == 0, result.output
    table = list(csv.DictReader(io.StringIO(result.output)))
    assert table[0]["week_starting"] == "2026-01-26"
    assert table[-1] == {
        "week_starting": "total",
        "searches": "1",
        "searches_finding_little": "0",
        "paper_pages": "0",
        "pdf_views": "0",
        "pdf_downloads": "1",
        "zip_downloads": "0",
    }

    result = runner.invoke(main, base)
    assert result.exit_code == 0 and "2 searches (1 finding little or nothing)" in result.output
    assert "1 x otter (0 results)" in result.output

    for wrong in (["--csv"], ["--usage", "--json", "--csv"], ["--usage", "--since", "soon"]):
        result = runner.invoke(main, ["--home", str(demo_home.root), "stats", *wrong])
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output


def test_stats_usage_with_nothing_counted(cli: tuple[CliRunner, list[str]]) -> None:
    runner, home = cli
    result = runner.invoke(main, [*home, "stats", "--usage"])
    assert result.exit_code == 0 and "0 searches" in result.output


def test_verify_checks_the_usage_store(demo_home: ArchiveHome) -> None:
    runner = CliRunner()
    UsageStore(demo_home.root).append([Search("tiger", 1)], [])
    result = runner.invoke(main, ["--home", str(demo_home.root), "verify"])
    assert result.exit_code == 0, result.output
    (demo_home.root / USAGE_FILE).write_bytes(b"not a database at all" * 100)
    result = runner.invoke(main, ["--home", str(demo_home.root), "verify"])
    assert result.exit_code == 1
    assert "usage.sqlite: the usage statistics (usage.sqlite) are damaged" in result.output
    result = runner.invoke(main, ["--home", str(demo_home.root), "verify", "--repair"])
    assert result.exit_code == 1 and "restore usage.sqlite from a backup" in result.output


# --- aggregate form (issue 22: a flood of unique queries must not keep two years of rows) -----


def test_a_store_of_the_previous_version_is_upgraded_in_place_with_every_count(
    tmp_path: Path,
) -> None:
    # The previous version's store: a row per count, no paper as NULL, one query marked handled.
    with sqlite3.connect(tmp_path / USAGE_FILE) as old:
        old.executescript(MIGRATIONS[0])
        old.execute("PRAGMA user_version = 1")
        old.executemany(
            "INSERT INTO searches (day, query, results, relaxed, page) VALUES (?, ?, ?, ?, ?)",
            [("2026-03-02", "otter", 0, 0, 1)] * 3
            + [("2026-03-03", "amur leopard", 4, 0, 1), ("2026-03-03", "amur leopard", 4, 0, 2)]
            + [("2026-03-04", "tiger zoo", 6, 1, 1)],
        )
        old.executemany(
            "INSERT INTO events (day, kind, paper_id, query) VALUES (?, ?, ?, ?)",
            [("2026-03-02", "download", "a" * 64, None)] * 4
            + [("2026-03-03", "zip", None, "tiger")],
        )
        old.execute("INSERT INTO handled (query, day) VALUES ('tiger zoo', '2026-03-05')")
    usage = UsageStore(tmp_path)
    report = usage.report(Period(date(2026, 3, 2), date(2026, 3, 8)))

    week = report.weeks[0]
    assert (week.searches, week.missed, week.downloads, week.zips) == (5, 4, 4, 1)
    assert report.further_pages == 1
    assert [(f.query, f.searches) for f in report.missed_queries] == [("otter", 3)]  # tiger handled
    assert [(p.paper_id, p.downloads) for p in report.top_papers] == [("a" * 64, 4)]
    assert usage.check() is None
    assert rows_of(tmp_path, "SELECT query, times FROM searches WHERE query = 'otter'") == [
        ("otter", 3)
    ]


def test_rare_queries_lose_their_text_after_a_month_and_the_figures_stay_exact(
    tmp_path: Path,
) -> None:
    usage = UsageStore(tmp_path)
    old, recent = "2026-01-05", "2026-03-02"
    flood = [Search(f"zq{n} xk{n * 7}", 0, day=old) for n in range(40)]  # a script's noise
    asked = [Search("otter", 0, day=old)] * 3 + [Search("amur leopard", 5, day=old)] * 4
    asked += [Search("snow leopard", 2, day=old)] * 2 + [
        Search(f"found {n}", 9, day=old) for n in range(5)
    ]
    usage.append(
        [*flood, *asked, Search("zq1 xk7", 0, day=recent)],
        [Event("zip", query="tiger", day=old), Event("view", paper_id="a" * 64, day=old)],
    )
    period = Period(date(2026, 1, 5), date(2026, 3, 8))
    before = usage.report(period, limit=3)

    folded = usage.fold_rare_queries("2026-02-01", keep=2)

    after = usage.report(period, limit=3)
    assert folded > 40  # the noise, the rare found queries and the ZIP's query text
    assert after.weeks == before.weeks  # every count is still there, week by week
    assert after.further_pages == before.further_pages
    assert [f.query for f in after.top_queries] == ["amur leopard", "otter", "snow leopard"]
    assert [f.query for f in after.missed_queries][:2] == ["otter", "snow leopard"]
    assert after.top_queries == before.top_queries
    # The recent day keeps every query's text.
    assert rows_of(tmp_path, f"SELECT query FROM searches WHERE day = '{recent}'") == [("zq1 xk7",)]
    old_rows = rows_of(tmp_path, f"SELECT query FROM searches WHERE day = '{old}'")
    # The three kept queries, and a row without text for the misses and one for the rest.
    assert sorted(old_rows) == [("",), ("",), ("amur leopard",), ("otter",), ("snow leopard",)]
    assert rows_of(tmp_path, "SELECT query, times FROM events WHERE kind = 'zip'") == [("", 1)]
    assert usage.fold_rare_queries("2026-02-01", keep=2) == 0  # nothing left to fold


def rows_of(root: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(root / USAGE_FILE) as connection:
        return connection.execute(sql).fetchall()
