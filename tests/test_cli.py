"""The ``archive`` command as scripts and curators use it (click's CliRunner, and a subprocess)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli.main import main

from conftest import DEMO_PAPERS, demo_pdfs
from pdf_factory import encrypt_pdf, make_pdf

Cli = tuple[CliRunner, list[str]]


def run(cli: Cli, *args: str) -> tuple[int, str]:
    runner, home_args = cli
    result = runner.invoke(main, [*home_args, *args], catch_exceptions=False)
    return result.exit_code, result.output


def import_demo(cli: Cli) -> None:
    code, output = run(cli, "import", str(DEMO_PAPERS))
    assert code == 0, output


def test_import_reports_every_file_and_exit_codes(cli: Cli, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    shutil.copytree(DEMO_PAPERS, inbox, ignore=shutil.ignore_patterns("*.py", "*.md"))
    shutil.copy(inbox / "amur-tiger-fact-sheet.pdf", inbox / "copy of tiger.pdf")
    (inbox / "notes.pdf").write_text("these are notes, not a PDF")
    (inbox / "README.txt").write_text("ignored: not a .pdf in a folder")
    (inbox / "._amur-leopard-fact-sheet.pdf").write_bytes(b"macOS resource fork, hidden")
    encrypt_pdf(
        make_pdf(tmp_path / "plain.pdf", ["secret"]), inbox / "locked.pdf", user_password="pw"
    )
    report_path = tmp_path / "report.json"

    code, output = run(cli, "import", str(inbox), "--report", str(report_path))
    assert code == 1, output  # some files failed
    report = json.loads(report_path.read_text())
    by_name = {Path(row["path"]).name: row for row in report["files"]}
    assert set(by_name) == {p.name for p in demo_pdfs()} | {
        "copy of tiger.pdf",
        "notes.pdf",
        "locked.pdf",
    }
    for pdf in demo_pdfs():
        row = by_name[pdf.name]
        assert row["status"] == "added"
        assert row["pages"] == 3
        assert len(row["id"]) == 64
    assert by_name["copy of tiger.pdf"]["status"] == "duplicate"
    assert by_name["copy of tiger.pdf"]["id"] == by_name["amur-tiger-fact-sheet.pdf"]["id"]
    assert by_name["notes.pdf"] == {
        "path": str(inbox / "notes.pdf"),
        "status": "failed",
        "reason": "not a PDF",
        "id": None,
        "pages": None,
    }
    assert by_name["locked.pdf"]["reason"] == "encrypted with a password"
    summary = report["summary"]
    assert (summary["added"], summary["duplicate"], summary["failed"]) == (5, 1, 2)
    assert "failed, not a PDF: 1" in output

    # Again: nothing new, the failures fail the same way.
    code, _ = run(cli, "import", str(inbox), "--report", str(report_path))
    again = json.loads(report_path.read_text())
    assert code == 1
    assert again["summary"]["unchanged"] == 5
    assert again["summary"]["added"] == 0
    code, output = run(cli, "stats", "--json")
    assert json.loads(output)["papers"] == 5


def test_import_of_only_good_files_exits_zero_and_again_unchanged(cli: Cli) -> None:
    import_demo(cli)
    code, output = run(cli, "import", str(DEMO_PAPERS / "amur-leopard-fact-sheet.pdf"))
    assert code == 0
    assert "1 unchanged" in output


def test_usage_errors_exit_2(cli: Cli, tmp_path: Path) -> None:
    assert run(cli, "import", str(tmp_path / "missing.pdf"))[0] == 2
    assert run(cli, "import")[0] == 2
    assert run(cli, "search")[0] == 2
    assert run(cli, "search", "x", "--limit", "0")[0] == 2


def test_search_json_contract(cli: Cli) -> None:
    import_demo(cli)
    code, output = run(cli, "search", "Kedrovaya Pad", "--json")
    assert code == 0
    data = json.loads(output)
    # The contract; issue 20 added "answers" (a list: passages for a query of several words).
    assert set(data) == {"query", "total", "results", "answers"}
    assert isinstance(data["answers"], list)
    assert data["query"] == "Kedrovaya Pad"
    assert data["total"] >= 1
    top = data["results"][0]
    assert set(top) == {
        "id",
        "title",
        "authors",
        "year",
        "filename",
        "score",
        "pages",
        "snippets",
    }
    assert top["filename"] == "amur-leopard-fact-sheet.pdf"
    assert top["title"] == "The Amur Leopard: A Fact Sheet"
    assert top["authors"] == ["Anna Petrova", "James Whitfield"]
    assert top["year"] == 2024
    assert top["pages"][0] == 1
    assert top["snippets"][0]["page"] == 1
    assert "<mark>Kedrovaya</mark>" in top["snippets"][0]["html"]
    assert isinstance(top["score"], float)


def test_search_limit_and_text_output(cli: Cli) -> None:
    import_demo(cli)
    code, output = run(cli, "search", "leopard", "--limit", "1", "--json")
    data = json.loads(output)
    assert len(data["results"]) == 1
    assert data["total"] > 1
    code, output = run(cli, "search", "snow leopard")
    assert code == 0
    assert "The Snow Leopard: A Fact Sheet" in output.splitlines()[2]


def test_search_says_how_many_match_in_plain_words(cli: Cli, tmp_path: Path) -> None:
    folder = tmp_path / "one"
    make_pdf(
        folder / "leopards.pdf",
        ["Snow leopards were counted with camera traps in the Altai mountains."],
        heading="Counting snow leopards",
    )
    assert run(cli, "import", str(folder))[0] == 0
    # One paper has every word: nothing is said of papers with most of them, as there are none.
    code, output = run(cli, "search", "snow leopards camera traps")
    assert code == 0
    assert "1 paper matches 'snow leopards camera traps'." in output
    assert "the others" not in output
    # Without all of them, the paper shown says which word it lacks.
    code, output = run(cli, "search", "snow leopards camera tigers")
    assert "No paper has all of your words" in output and "tigers" in output


def test_search_nothing_to_search_is_a_clear_error(cli: Cli) -> None:
    import_demo(cli)
    code, output = run(cli, "search", "((")
    assert code == 1
    assert "nothing to search for" in output
    assert "Traceback" not in output


def test_show_remove_and_reindex(cli: Cli) -> None:
    import_demo(cli)
    data = json.loads(run(cli, "search", "tiger", "--json")[1])
    tiger = next(r for r in data["results"] if r["filename"] == "amur-tiger-fact-sheet.pdf")
    code, output = run(cli, "show", tiger["id"][:10], "--json")
    assert code == 0
    shown = json.loads(output)
    assert shown["id"] == tiger["id"]
    assert shown["title"] == "The Amur Tiger: A Fact Sheet"
    assert shown["pages"] == 3
    assert "evidence" in shown  # the curation queue's, in --json only
    code, output = run(cli, "show", tiger["id"])
    assert "The Amur Tiger: A Fact Sheet" in output
    assert "evidence" not in output and "crossref" not in output

    code, output = run(cli, "remove", tiger["id"])
    assert code == 0, output
    assert "Removed" in output
    ids = [r["id"] for r in json.loads(run(cli, "search", "tiger", "--json")[1])["results"]]
    assert tiger["id"] not in ids
    code, output = run(cli, "show", tiger["id"])
    assert code == 1
    assert "No paper with id" in output

    code, output = run(cli, "reindex")
    assert code == 0
    assert "Re-indexed 4 papers" in output
    assert json.loads(run(cli, "stats", "--json")[1])["papers"] == 4
    assert json.loads(run(cli, "search", "leopard", "--json")[1])["total"] >= 3


def test_reindex_needs_no_pdfs_and_deleted_index_is_rebuilt(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_demo(cli)
    home = Path(cli[1][1])
    before = json.loads(run(cli, "search", "Panthera", "--json")[1])

    def no_pdf_reading(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("reindex must use the text cache, not the PDFs")

    monkeypatch.setattr("indexer.ingest.extract.PdfReader", no_pdf_reading)
    assert run(cli, "reindex")[0] == 0
    shutil.rmtree(home / "index")
    code, output = run(cli, "search", "Panthera", "--json")
    assert code == 0
    after = json.loads(output)
    assert after["total"] == before["total"] == 4
    assert after["results"][0]["pages"] == before["results"][0]["pages"]


def test_home_from_environment(tmp_path: Path) -> None:
    runner = CliRunner(env={"ARCHIVE_HOME": str(tmp_path / "env-home")})
    result = runner.invoke(main, ["import", str(DEMO_PAPERS / "amur-tiger-fact-sheet.pdf")])
    assert result.exit_code == 0
    assert (tmp_path / "env-home" / "library").is_dir()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_runs_waitress_and_serves_search(tmp_path: Path) -> None:
    home = tmp_path / "served"
    archive = [sys.executable, "-m", "indexer", "--home", str(home)]
    subprocess.run([*archive, "import", str(DEMO_PAPERS)], check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen(
        [*archive, "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz") as response:
                    health = json.load(response)
                    server_header = response.headers.get("Server", "")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail("archive serve did not start")
                time.sleep(0.2)
        assert health["status"] == "ok"
        assert health["papers"] == 5
        assert "waitress" in server_header or server_header == "archive"
        url = f"http://127.0.0.1:{port}/search?q=camera+traps"
        with urllib.request.urlopen(url) as response:
            assert "Camera Trapping for Big Cats" in response.read().decode()
    finally:
        server.terminate()
        # SIGTERM is the ordinary way to stop a service: a clean exit, not a signal death.
        assert server.wait(timeout=30) == 0
