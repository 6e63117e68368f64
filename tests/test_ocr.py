"""OCR in the papers' languages: a scanned Russian field report, read with Tesseract's Russian
data (skipped where it is not installed), and languages that are missing said once."""

from __future__ import annotations

from pathlib import Path

import pytest
from scanned_pages import FONT, REPORT_LINES, scanned_pdf

from archive.settings import load_settings
from indexer.engine.search import search
from indexer.home import ArchiveHome
from indexer.ingest.importer import ImportOptions, import_paths
from indexer.ingest.ocr import installed_languages, ocr_available

needs_ocr = pytest.mark.skipif(not ocr_available(), reason="needs OCRmyPDF and Tesseract")
needs_font = pytest.mark.skipif(not FONT.is_file(), reason="needs fonts-dejavu-core")


def found(home: ArchiveHome, query: str) -> int:
    return search(home.index, query).total


@needs_ocr
@needs_font
@pytest.mark.skipif("rus" not in installed_languages(), reason="apt-get install tesseract-ocr-rus")
def test_a_scanned_russian_report_is_searchable_in_russian(tmp_path: Path) -> None:
    scan = scanned_pdf(tmp_path / "otchet-1996.pdf", REPORT_LINES)
    home = ArchiveHome.at(tmp_path / "home")
    [outcome] = import_paths(home, [scan], jobs=1, options=ImportOptions()).files  # eng+rus
    assert outcome.status == "added"
    assert outcome.reason == "1 scanned pages made searchable with OCR"
    assert found(home, "Бикин") == 1
    assert found(home, "амурского тигра") == 1
    assert found(home, "Приморском") == 1


@needs_ocr
@needs_font
def test_english_alone_cannot_read_it(tmp_path: Path) -> None:
    """What the setting is for: read with English data only, the Russian words are lost."""
    scan = scanned_pdf(tmp_path / "otchet-1996.pdf", REPORT_LINES)
    home = ArchiveHome.at(tmp_path / "home")
    import_paths(home, [scan], jobs=1, options=ImportOptions(ocr_languages="eng"))
    assert found(home, "Бикин") == 0


@needs_ocr
@needs_font
def test_languages_not_installed_are_said_once_not_per_file(tmp_path: Path) -> None:
    folder = tmp_path / "scans"
    folder.mkdir()
    scanned_pdf(folder / "a.pdf", ["Tiger tracks along the Bikin river"])
    scanned_pdf(folder / "b.pdf", ["Leopard survey in Kedrovaya Pad"])
    home = ArchiveHome.at(tmp_path / "home")
    options = ImportOptions(ocr_languages="eng+tlh")  # Klingon: never installed
    report = import_paths(home, [folder], jobs=1, options=options)
    assert [o.reason for o in report.files] == ["1 scanned pages made searchable with OCR"] * 2
    assert report.summary()["notes"] == [
        "OCR languages not installed: tlh (scans are read with eng; "
        "apt-get install tesseract-ocr-tlh)"
    ]
    assert found(home, "Bikin") == 1


def test_the_ocr_languages_setting(tmp_path: Path) -> None:
    assert load_settings(None, environ={}).ocr_languages == "eng+rus"
    assert load_settings(None, environ={"ARCHIVE_OCR_LANGUAGES": "eng+fra+deu"}).ocr_languages == (
        "eng+fra+deu"
    )
    settings = load_settings(None, environ={"ARCHIVE_OCR_LANGUAGES": "english; russian"})
    assert settings.ocr_languages == "eng+rus"
    assert "is not Tesseract languages such as eng+rus" in settings.warnings[0]
