"""A charity's first run, with the README's commands as written (real subprocesses)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO
from tests.live_server import live_server

PASSWORD = "a long enough password"


def _archive(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "indexer", *args],
        cwd=REPO,
        input=stdin,
        capture_output=True,
        text=True,
    )


def test_first_run_names_the_home_and_the_login_page_gives_the_command(tmp_path: Path) -> None:
    home = tmp_path / "demo-home"
    done = _archive("--home", str(home), "import", "papers", "--metadata", "papers/metadata.csv")
    assert done.returncode == 0, done.stderr
    assert f"Imported into the home {home}." in done.stdout
    with live_server(home) as server:
        # No account yet: the login page says the exact command for the home it serves.
        status, body = server.get("/login")
        assert status == 200
        hint = re.search(rb'id="first-account">(.*?)</p>', body, re.S)
        assert hint is not None
        assert f"archive --home {home} user add NAME".encode() in hint.group(1)
        done = _archive(
            "--home", str(home), "user", "add", "alice", "--password-stdin", stdin=PASSWORD + "\n"
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == f"Added staff user alice to the home {home}."
        # Once an account exists, the public page no longer shows the server's path.
        status, body = server.get("/login")
        assert b'id="first-account"' not in body and str(home).encode() not in body

        # A second server on the same port: the message says how to pick another.
        port = server.url.rsplit(":", 1)[1]
        second = _archive("--home", str(home), "serve", "--port", port)
        assert second.returncode == 1
        assert "Cannot listen on" in second.stderr and "--port 8081" in second.stderr
        assert "make run PORT=8081" in second.stderr and "Traceback" not in second.stderr


def test_make_targets_take_the_port_and_make_the_demo_account() -> None:
    def dry(*args: str, env: dict[str, str] | None = None) -> str:
        import os

        return subprocess.run(
            ["make", "-n", *args],
            cwd=REPO,
            capture_output=True,
            text=True,
            env={**os.environ, **(env or {})},
        ).stdout

    assert "--port 8081" in dry("run", "PORT=8081")
    assert "--port 8082" in dry("run", env={"ARCHIVE_PORT": "8082"})
    assert "archive --home demo-home user add alice" in dry("user", "NAME=alice")


def test_every_demo_paper_has_an_abstract(demo_home) -> None:  # type: ignore[no-untyped-def]
    """The demo should look like a real archive: each paper page shows what the paper is about."""
    papers = list(demo_home.library.papers())
    assert len(papers) == 5
    assert all(len(paper.abstract or "") > 100 for paper in papers), [
        paper.filename for paper in papers if not paper.abstract
    ]
