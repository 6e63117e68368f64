"""A web upload is read as a bulk import reads its files: scans OCRed in the home's
``ocr_languages``, and papers with a DOI described by Crossref when ``crossref_lookup`` is on
(against a real local stand-in for Crossref)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from crossref_server import IOP_DOI, IOP_PDF, MAILTO, crossref_server
from flask import Flask
from flask.testing import FlaskClient
from scanned_pages import FONT, REPORT_LINES, scanned_pdf
from security_support import PASSWORD, USER
from staff_support import (
    _cheap_password_hashing,
    login,
    search_ids,
    services,
    upload_and_wait,
    wait_until,
)

from archive.accounts import AccountStore
from indexer.home import ArchiveHome
from indexer.ingest.ocr import installed_languages, ocr_available
from webui import create_app

from pdf_factory import make_pdf

__all__ = ["_cheap_password_hashing"]  # fixtures, used by name


@contextlib.contextmanager
def _staff_app(home: ArchiveHome, config: str) -> Iterator[tuple[Flask, FlaskClient]]:
    (home.root / "config.toml").write_text(config, encoding="utf-8")
    AccountStore(home.root).add(USER, PASSWORD)
    app = create_app({"ARCHIVE_HOME": str(home.root), "TESTING": True})
    client = app.test_client()
    assert login(client, USER, PASSWORD).status_code == 303
    try:
        yield app, client
    finally:
        services(app).uploads.stop()
        services(app).sync.stop()


@pytest.fixture
def crossref() -> Iterator[str]:
    with crossref_server() as (url, _seen):
        yield url


@pytest.mark.skipif(not IOP_PDF.is_file(), reason="the shared corpus is not there")
def test_an_upload_with_a_doi_is_looked_up_when_the_setting_says_so(
    demo_home: ArchiveHome, crossref: str
) -> None:
    config = f'crossref_lookup = true\ncrossref_mailto = "{MAILTO}"\ncrossref_url = "{crossref}"\n'
    with _staff_app(demo_home, config) as (app, client):
        [row] = upload_and_wait(client, app, [(IOP_PDF.read_bytes(), "iop paper.pdf")])
        assert row["status"] == "added", row
        paper = demo_home.library.get(row["id"])
        assert paper.container == "Journal of Physics: Conference Series"
        assert paper.authors[:2] == ["Yuqi Xi", "Jiamin Lu"]
        assert paper.sources["authors"] == "crossref"
        assert paper.doi == IOP_DOI


def test_a_failed_lookup_keeps_the_upload_and_says_why(
    demo_home: ArchiveHome, tmp_path: Path
) -> None:
    # Nothing listens on port 9: the lookup fails, the paper is added with what it says.
    config = (
        f'crossref_lookup = true\ncrossref_mailto = "{MAILTO}"\n'
        'crossref_url = "http://127.0.0.1:9"\n'
    )
    pdf = make_pdf(tmp_path / "survey.pdf", ["Tiger survey. doi:10.5555/nobody " * 5])
    with _staff_app(demo_home, config) as (app, client):
        [row] = upload_and_wait(client, app, [(pdf.read_bytes(), "survey.pdf")])
        assert row["status"] == "added", row
        assert "Crossref lookup skipped" in row["reason"]
        assert demo_home.library.get(row["id"]).title


@pytest.mark.skipif(not ocr_available(), reason="needs OCRmyPDF and Tesseract")
@pytest.mark.skipif(not FONT.is_file(), reason="needs fonts-dejavu-core")
@pytest.mark.skipif("rus" not in installed_languages(), reason="apt-get install tesseract-ocr-rus")
@pytest.mark.parametrize(("languages", "found"), [("eng+rus", 1), ("eng", 0)])
def test_an_uploaded_russian_scan_is_read_in_the_home_s_languages(
    demo_home: ArchiveHome, tmp_path: Path, languages: str, found: int
) -> None:
    scan = scanned_pdf(tmp_path / "otchet-1996.pdf", REPORT_LINES)
    with _staff_app(demo_home, f'ocr_languages = "{languages}"\n') as (app, client):
        [row] = upload_and_wait(client, app, [(scan.read_bytes(), "otchet-1996.pdf")])
        assert row["status"] == "added", row
        # The paper is indexed (its title found) before its words are looked for.
        wait_until(lambda: bool(search_ids(client, "otchet")), timeout=30)
        assert len(search_ids(client, "Бикин")) == found
