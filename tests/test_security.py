"""The security review's findings (issue 17), each through a real `archive serve` or the CLI:
sessions end on the server at logout, a forged Host never reaches a shared cache, the login
limit holds under parallel requests, file names are cleaned on the way in and served safely
whatever is stored, and the access log cannot be given fake fields."""

from __future__ import annotations

import io
import json
import re
import shutil
import time
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import pytest
from security_support import FORM, PASSWORD, USER, Answer, fetch, form_token, log_in, post_login

from archive.library import META_NAME
from archive.settings import CONFIG_FILE, load_settings

from live_server import LiveServer, add_staff_account, cli, live_server
from pdf_factory import make_pdf

# Enough logins for the session tests on one server; the rate-limit test has a server of its own.
GENEROUS_LIMIT = {"ARCHIVE_LOGIN_RATE_LIMIT": "200 per minute"}


def post_staff_form(server: LiveServer, cookie: str, action: str) -> Answer:
    """Post one of the signed-in curator's forms (with the token from /staff, as a browser)."""
    token, cookie = form_token(server, "/staff", cookie)
    return fetch(
        server, "POST", action, {**FORM, "Cookie": cookie}, urlencode({"csrf_token": token})
    )


def signed_in(server: LiveServer, cookie: str) -> bool:
    """Whether ``cookie`` opens the staff dashboard (rather than a redirect to the login)."""
    answer = fetch(server, "GET", "/staff", {"Cookie": cookie})
    assert answer.status in {200, 302}, answer.status
    return answer.status == 200


@pytest.fixture(scope="module")
def staff_home(_demo_home_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the demo archive with one staff account."""
    root = tmp_path_factory.mktemp("security") / "home"
    shutil.copytree(_demo_home_template, root)
    add_staff_account(root, USER, PASSWORD)
    return root


@pytest.fixture(scope="module")
def server(staff_home: Path) -> Iterator[LiveServer]:
    """`archive serve` over that home, with nothing configured about its public address."""
    with live_server(staff_home, env=GENEROUS_LIMIT) as running:
        yield running


# --- sessions end on the server -----------------------------------------------------------------


def test_a_cookie_copied_before_logout_no_longer_opens_staff_pages(server: LiveServer) -> None:
    cookie = log_in(server)
    assert signed_in(server, cookie)
    answer = post_staff_form(server, cookie, "/logout")
    assert answer.status == 303
    assert not signed_in(server, cookie)  # the copy taken before logging out is dead too


def test_logout_ends_only_that_session(server: LiveServer) -> None:
    laptop, phone = log_in(server), log_in(server)
    assert post_staff_form(server, laptop, "/logout").status == 303
    assert not signed_in(server, laptop)
    assert signed_in(server, phone)


def test_log_out_everywhere_ends_every_session_of_the_curator(server: LiveServer) -> None:
    laptop, phone = log_in(server), log_in(server)
    dashboard = fetch(server, "GET", "/staff", {"Cookie": laptop}).text
    assert 'action="/logout/everywhere"' in dashboard
    answer = post_staff_form(server, laptop, "/logout/everywhere")
    assert answer.status == 303
    assert not signed_in(server, laptop)
    assert not signed_in(server, phone)
    assert signed_in(server, log_in(server))  # and logging in again works


def test_the_cli_signs_a_curator_out_everywhere(server: LiveServer, staff_home: Path) -> None:
    assert cli(staff_home, "user", "logout", USER).returncode == 0  # sessions of other tests
    cookie = log_in(server)
    done = cli(staff_home, "user", "logout", USER)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"Ended 1 session of {USER} in the home {staff_home.absolute()}."
    assert not signed_in(server, cookie)
    assert cli(staff_home, "user", "logout", "nobody").returncode == 1


def test_removing_an_account_ends_its_sessions(_demo_home_template: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    shutil.copytree(_demo_home_template, home)
    add_staff_account(home, USER, PASSWORD)
    with live_server(home, env=GENEROUS_LIMIT) as running:
        cookie = log_in(running)
        assert cli(home, "user", "remove", USER).returncode == 0
        assert not signed_in(running, cookie)
        # Even under a new account of the same name: the old session was the old account's.
        add_staff_account(home, USER, PASSWORD)
        assert not signed_in(running, cookie)


# --- a forged Host never reaches a shared cache ---------------------------------------------------

DISCOVERY = ["/robots.txt", "/sitemap.xml", "/feed.atom", "/opensearch.xml"]
FORGED = {"Host": "evil.example"}


@pytest.mark.parametrize("path", DISCOVERY)
def test_without_configuration_a_response_built_from_the_host_is_private(
    server: LiveServer, path: str
) -> None:
    answer = fetch(server, "GET", path, FORGED)
    assert answer.status == 200
    assert "evil.example" in answer.text  # the client's own Host goes back to it alone...
    cache_control = answer.headers["Cache-Control"]
    assert "public" not in cache_control and "private" in cache_control  # ...never to others
    assert "host" in answer.headers["Vary"].lower()


def test_trusted_hosts_refuse_a_forged_host_and_allow_shared_caching(staff_home: Path) -> None:
    env = {**GENEROUS_LIMIT, "ARCHIVE_TRUSTED_HOSTS": "papers.example.org, 127.0.0.1"}
    with live_server(staff_home, env=env) as running:
        for path in [*DISCOVERY, "/", "/search.zip?q=leopard"]:
            answer = fetch(running, "GET", path, FORGED)
            assert answer.status == 400, path
            assert "Traceback" not in answer.text
        good = {"Host": "papers.example.org"}
        robots = fetch(running, "GET", "/robots.txt", good)
        assert robots.status == 200
        assert "Sitemap: http://papers.example.org/sitemap.xml" in robots.text
        assert "public" in robots.headers["Cache-Control"]
        zipped = fetch(running, "GET", "/search.zip?q=leopard", good)
        assert zipped.status == 200
        manifest = zipfile.ZipFile(io.BytesIO(zipped.body)).read("manifest.csv")
        assert b"http://papers.example.org/papers/" in manifest


def test_a_public_base_url_is_the_only_address_in_cached_documents(staff_home: Path) -> None:
    env = {**GENEROUS_LIMIT, "ARCHIVE_PUBLIC_BASE_URL": "https://papers.example.org"}
    with live_server(staff_home, env=env) as running:
        for path in DISCOVERY:
            answer = fetch(running, "GET", path, FORGED)
            assert answer.status == 200
            assert "evil.example" not in answer.text, path
            assert "https://papers.example.org/" in answer.text, path
            assert "public" in answer.headers["Cache-Control"]
        zipped = fetch(running, "GET", "/search.zip?q=leopard", FORGED)
        manifest = zipfile.ZipFile(io.BytesIO(zipped.body)).read("manifest.csv")
        assert b"evil.example" not in manifest
        assert b"https://papers.example.org/papers/" in manifest


# --- the login limit holds under parallel requests ------------------------------------------------


def test_parallel_wrong_passwords_never_get_past_the_limit(staff_home: Path) -> None:
    with live_server(staff_home) as running:  # the default limit: 5 a minute
        token, cookie = form_token(running, "/login")
        with ThreadPoolExecutor(24) as pool:
            answers = list(
                pool.map(lambda _: post_login(running, token, cookie, "wrong password"), range(24))
            )
        statuses = sorted(answer.status for answer in answers)
        checked = statuses.count(200)
        assert statuses.count(429) == 24 - checked, statuses
        assert 1 <= checked <= 5, statuses
        # The right password waits too, now.
        assert post_login(running, token, cookie, PASSWORD).status == 429


# --- file names are cleaned on the way in, and served whatever is stored --------------------------

INJECTED = "nl\nX-Injected: yes.pdf"
ZIPPED = 'he said "hi"\u202egnp.pdf'


def test_a_file_name_with_a_newline_imported_from_the_cli_is_cleaned_and_served(
    _demo_home_template: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    shutil.copytree(_demo_home_template, home)
    folder = tmp_path / "in"
    make_pdf(folder / INJECTED, ["Snow leopards of the Altai, a newline in my name."])
    members = tmp_path / "members.zip"
    make_pdf(tmp_path / "member.pdf", ["Tigers of the Sikhote-Alin, a zip member."])
    with zipfile.ZipFile(members, "w") as archive:
        archive.write(tmp_path / "member.pdf", ZIPPED)
    report = tmp_path / "report.json"
    done = cli(home, "import", str(folder), str(members), "--report", str(report))
    assert done.returncode == 0, done.stdout + done.stderr
    ids = [row["id"] for row in json.loads(report.read_text())["files"]]
    names = [json.loads(cli(home, "show", i, "--json").stdout)["filename"] for i in ids]
    # The report lists files as they finish (two workers): in either order.
    assert sorted(names) == ["he said 'hi' gnp.pdf", "nl X-Injected: yes.pdf"]
    again = cli(home, "import", str(folder), str(members), "--report", str(report))
    assert again.returncode == 0
    assert [row["status"] for row in json.loads(report.read_text())["files"]] == ["unchanged"] * 2
    with live_server(home) as running:
        for paper_id, name in zip(ids, names, strict=True):
            for view in ("pdf", "download"):
                answer = fetch(running, "GET", f"/papers/{paper_id}/{view}")
                assert answer.status == 200, (view, answer.text[:300])
                assert answer.body.startswith(b"%PDF")
                assert "X-Injected" not in answer.headers
                assert f'filename="{name}"' in answer.headers["Content-Disposition"]


def test_a_failed_file_s_name_cannot_drive_the_terminal(tmp_path: Path) -> None:
    """A broken file whose name holds a terminal escape (red text, a cursor move) and a
    newline: the failure line shows them escaped, on one line."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "red\x1b[31mALERT\x1b[2J\nfailed: other.pdf").write_bytes(b"not a pdf")
    done = cli(tmp_path / "home", "import", str(folder))
    assert done.returncode == 1
    failures = [line for line in done.stderr.splitlines() if line.startswith("failed:")]
    assert len(failures) == 1, done.stderr
    assert "\x1b" not in done.stderr
    assert "red\\x1b[31mALERT\\x1b[2J\\nfailed: other.pdf: not a PDF" in failures[0]


def test_a_stored_raw_name_is_served_then_reported_and_repaired_by_verify(
    _demo_home_template: Path, tmp_path: Path
) -> None:
    """A paper imported by an older version keeps its raw name until `verify --repair`."""
    home = tmp_path / "home"
    shutil.copytree(_demo_home_template, home)
    sidecar = next((home / "library").glob(f"*/*/{META_NAME}"))
    paper_id = sidecar.parent.name
    data = json.loads(sidecar.read_text("utf-8"))
    data["filename"] = 'raw\r\nX-Injected: yes "quoted"\u202e\udcff.pdf'
    sidecar.write_text(json.dumps(data), "utf-8")
    with live_server(home) as running:
        for view in ("pdf", "download"):
            answer = fetch(running, "GET", f"/papers/{paper_id}/{view}")
            assert answer.status == 200, (view, answer.text[:300])
            assert "X-Injected" not in answer.headers
    checked = cli(home, "verify")
    assert checked.returncode == 1
    assert "file name" in checked.stdout and paper_id[:12] in checked.stdout
    repaired = cli(home, "verify", "--repair")
    assert repaired.returncode == 0, repaired.stdout + repaired.stderr
    assert json.loads(sidecar.read_text("utf-8"))["filename"] == (
        "raw X-Injected: yes 'quoted' \ufffd.pdf"
    )
    assert cli(home, "verify").returncode == 0


def test_staff_metadata_still_finds_a_file_whose_name_was_cleaned(tmp_path: Path) -> None:
    home, folder = tmp_path / "home", tmp_path / "in"
    name = 'Smith  2010 "draft".pdf'
    make_pdf(folder / name, ["Leopard cats in Primorye."])
    rows = tmp_path / "papers.csv"
    rows.write_text('file,title\n"Smith  2010 ""draft"".pdf",Leopard cats of Primorye\n')
    report = tmp_path / "report.json"
    done = cli(home, "import", str(folder), "--metadata", str(rows), "--report", str(report))
    assert done.returncode == 0, done.stdout + done.stderr
    paper_id = json.loads(report.read_text())["files"][0]["id"]
    shown = json.loads(cli(home, "show", paper_id, "--json").stdout)
    assert shown["filename"] == "Smith 2010 'draft'.pdf"
    assert shown["title"] == "Leopard cats of Primorye"


# --- the access log cannot be given fake fields ---------------------------------------------------

COMBINED = re.compile(
    r'(?P<addr>\S+) - - \[[^\]]+\] "(?P<request>[^"]*)" (?P<status>\d{3}) (?P<size>\d+|-)'
    r' "(?P<referer>[^"]*)" "(?P<agent>[^"]*)" (?P<ms>\d+)'
)


def test_quotes_in_user_agent_and_referer_cannot_forge_log_fields(
    server: LiveServer, staff_home: Path
) -> None:
    agent = 'curl" 999 "forged'
    referer = 'http://x/" 500 1 "-" "fake-agent'
    answer = fetch(server, "GET", "/help?from=log-test", {"User-Agent": agent, "Referer": referer})
    assert answer.status == 200
    # The line is written once the response has been sent: the client may read it sooner.
    log_file = staff_home / "logs" / "access.log"
    deadline = time.monotonic() + 10
    while not (lines := [x for x in log_file.read_text("utf-8").splitlines() if "log-test" in x]):
        assert time.monotonic() < deadline, "no access-log line for the request"
        time.sleep(0.05)
    line = lines[-1]
    fields = COMBINED.fullmatch(line)
    assert fields, line
    assert fields["status"] == "200"
    assert fields["agent"] == "curl%22 999 %22forged"
    assert fields["referer"] == "http://x/%22 500 1 %22-%22 %22fake-agent"


# --- settings -----------------------------------------------------------------------------------


def test_trusted_hosts_setting_takes_a_list_or_text_and_warns_on_nonsense(tmp_path: Path) -> None:
    (tmp_path / CONFIG_FILE).write_text('trusted_hosts = ["Papers.Example.org", ".example.net"]\n')
    assert load_settings(tmp_path, environ={}).trusted_hosts == (
        "papers.example.org",
        ".example.net",
    )
    env = {"ARCHIVE_TRUSTED_HOSTS": "papers.example.org, 127.0.0.1 [::1]"}
    assert load_settings(tmp_path, environ=env).trusted_hosts == (
        "papers.example.org",
        "127.0.0.1",
        "[::1]",
    )
    settings = load_settings(None, environ={"ARCHIVE_TRUSTED_HOSTS": "http://x.org/"})
    assert settings.trusted_hosts == ()
    assert "is not a host name such as papers.example.org" in settings.warnings[0]
