"""Keeping the import's workers busy to the end: files with most pages start first (issue 23)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli.main import main
from indexer.engine.search import search
from indexer.home import ArchiveHome
from indexer.ingest import importer
from indexer.ingest.extract import DAMAGED, count_pages
from indexer.ingest.importer import _longest_first
from indexer.ingest.workers import Job, Limits

from pdf_factory import make_pdf, one_page_pdf

PARAGRAPH = (
    "Snow leopards range across the mountains of Central Asia, where herders and rangers count "
    "them with camera traps along ridges and valleys in every season of the year. "
) * 14


def _heavy_pdf(path: Path, size: int) -> Path:
    """One page whose content stream is ``size`` bytes of drawing: a big file, quick to count."""
    return one_page_pdf(path, b"q Q\n" * (size // 4))


@pytest.fixture(autouse=True)
def count_small_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """Count pages from 20 kB, so that test files can be small."""
    monkeypatch.setattr(importer, "COUNT_PAGES_FROM", 20_000)


def test_the_file_with_most_pages_starts_first_not_the_largest(tmp_path: Path) -> None:
    long = make_pdf(tmp_path / "annual-reports-1990-2020.pdf", [PARAGRAPH] * 30)
    heavy = _heavy_pdf(tmp_path / "scanned-map.pdf", long.stat().st_size + 500_000)
    broken = tmp_path / "truncated-download.pdf"
    broken.write_bytes(b"%PDF-1.7\n" + b"\0" * (heavy.stat().st_size + 100_000))
    small = make_pdf(tmp_path / "fact-sheet.pdf", ["Snow leopard fact sheet."])
    assert (
        importer.COUNT_PAGES_FROM
        <= long.stat().st_size
        < heavy.stat().st_size
        < broken.stat().st_size
    )

    jobs = [Job(path.name, path, path.name) for path in (small, heavy, broken, long)]
    _longest_first(jobs, 2, tmp_path / "import.log", Limits())

    # 30 pages before 1 page of more bytes; a file that cannot be counted keeps its place by
    # size among the rest (its worker says why it cannot be read when its turn comes).
    assert [job.path for job in jobs] == [long, heavy, broken, small]
    assert count_pages(long) == 30
    assert count_pages(broken) == DAMAGED


def test_an_import_with_large_files_reads_and_finds_them_all(tmp_path: Path) -> None:
    folder = tmp_path / "incoming"
    long = make_pdf(folder / "annual-reports-1990-2020.pdf", [PARAGRAPH] * 30)
    make_pdf(folder / "survey.pdf", [PARAGRAPH] * 20, heading="Camera-trap survey of ibex")
    make_pdf(folder / "fact-sheet.pdf", ["Amur leopard fact sheet: 120 left in the wild."])
    _heavy_pdf(folder / "map.pdf", long.stat().st_size + 500_000)
    home = tmp_path / "home"

    result = CliRunner().invoke(
        main, ["--home", str(home), "import", str(folder), "--jobs", "2", "--ocr", "never"]
    )

    assert result.exit_code == 0, result.output
    assert "4 added" in result.output
    hits = search(ArchiveHome.at(home).index, "ibex").hits
    assert [hit.title for hit in hits] == ["Camera-trap survey of ibex"]
