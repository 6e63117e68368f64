"""Shared fixtures: archive homes with the demo papers or the shared corpus, the web app."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from indexer.cli.main import main
from indexer.describe.metadata_file import load_metadata
from indexer.home import ArchiveHome
from indexer.ingest.importer import ImportOptions, ImportReport, import_paths
from webui import create_app

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


__all__ = ["CORPUS", "DEMO_PAPERS", "demo_pdfs", "main", "paper_id_of"]
