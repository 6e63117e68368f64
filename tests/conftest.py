"""Shared fixtures: archive homes with the demo papers or the shared corpus, the web app."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from indexer.cli.main import main
from indexer.describe.metadata_file import load_metadata
from indexer.home import ArchiveHome
from indexer.ingest.importer import ImportOptions, ImportReport, import_paths
from webui import create_app

if TYPE_CHECKING:  # the browser tests' types, imported only by the tests that use them
    from playwright.sync_api import Browser, Page
    from smtp_server import Mailbox

    from live_server import LiveServer

REPO = Path(__file__).resolve().parents[1]
DEMO_PAPERS = REPO / "papers"
# The shared corpus of real PDFs sits beside the checkout (never copied into the repository).
CORPUS = REPO.parent / "shared" / "corpus"


def demo_pdfs() -> list[Path]:
    """The demo papers shipped in papers/."""
    return sorted(DEMO_PAPERS.glob("*.pdf"))


@pytest.fixture
def home(tmp_path: Path) -> ArchiveHome:
    """An empty archive home."""
    return ArchiveHome.at(tmp_path / "home")


@pytest.fixture(scope="session")
def _demo_home_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("demo") / "home"
    # As `make run` imports them: with their document types from papers/metadata.csv.
    options = ImportOptions(metadata=load_metadata(DEMO_PAPERS / "metadata.csv"))
    report = import_paths(ArchiveHome.at(root), [DEMO_PAPERS], jobs=1, options=options)
    assert not report.failed
    return root


@pytest.fixture
def demo_home(_demo_home_template: Path, tmp_path: Path) -> ArchiveHome:
    """A home holding the demo papers, private to the test (it may change it)."""
    root = tmp_path / "demo-home"
    shutil.copytree(_demo_home_template, root)
    return ArchiveHome.at(root)


@pytest.fixture(scope="session")
def corpus_import(tmp_path_factory: pytest.TempPathFactory) -> tuple[ArchiveHome, ImportReport]:
    """The whole shared corpus imported once for the session (read-only for tests)."""
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    home = ArchiveHome.at(tmp_path_factory.mktemp("corpus") / "home")
    return home, import_paths(home, [CORPUS])


@pytest.fixture
def app(demo_home: ArchiveHome) -> Flask:
    """The web app over a private copy of the demo archive."""
    return create_app({"ARCHIVE_HOME": str(demo_home.root), "TESTING": True})


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A test client of :func:`app`."""
    return app.test_client()


@pytest.fixture
def cli(tmp_path: Path) -> Iterator[tuple[CliRunner, list[str]]]:
    """A click runner and the ``--home`` arguments of an empty home."""
    yield CliRunner(), ["--home", str(tmp_path / "cli-home")]


def paper_id_of(home: ArchiveHome, filename: str) -> str:
    """The id of the paper imported from ``filename``."""
    return next(p.id for p in home.library.papers() if p.filename == filename)


# --- the real-browser tests' fixtures (their helpers are in browser_support.py) ---------------

# Copies of one fact sheet beside the demo papers, so that a search has more than one page.
BROWSER_EXTRA_COPIES = 8


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium from Debian, one for each test module (skipped without Playwright)."""
    from browser_support import chromium

    with chromium() as running:
        yield running


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """`archive serve` over the demo papers plus distinct copies of the Amur leopard sheet."""
    from live_server import live_server
    from pdf_factory import distinct_copy

    root = tmp_path_factory.mktemp("browser") / "home"
    inbox = tmp_path_factory.mktemp("inbox")
    for number in range(BROWSER_EXTRA_COPIES):
        source = DEMO_PAPERS / "amur-leopard-fact-sheet.pdf"
        distinct_copy(source, inbox / f"leopard-copy-{number}.pdf", f"copy {number}")
    report = import_paths(ArchiveHome.at(root), [DEMO_PAPERS, inbox], jobs=1)
    assert not report.failed
    with live_server(root) as running:
        yield running


@pytest.fixture
def console_errors() -> list[str]:
    """The console errors and uncaught exceptions of :func:`page` (a test may clear expected
    ones, such as the 404 status of an error page it opened on purpose)."""
    return []


@pytest.fixture
def page(browser: Browser, server: LiveServer, console_errors: list[str]) -> Iterator[Page]:
    """A fresh tab on :func:`server`; the test fails on any console error or uncaught
    exception."""
    from browser_support import watched_tab

    with watched_tab(browser, server, console_errors) as tab:
        yield tab


@pytest.fixture
def mail() -> Iterator[tuple[Mailbox, int]]:
    """A local SMTP server (tests/smtp_server.py): its mailbox and port."""
    from smtp_server import smtp_server

    with smtp_server() as running:
        yield running


__all__ = ["CORPUS", "DEMO_PAPERS", "demo_pdfs", "main", "paper_id_of"]
