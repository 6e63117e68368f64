"""Integrity: `archive verify [--repair]`, and a damaged index rebuilt at start."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive.library import META_NAME, PDF_NAME, TEXT_NAME
from indexer.cli.main import main
from indexer.engine.search import search
from indexer.home import ArchiveHome
from indexer.index import paper_documents
from indexer.verify import (
    METADATA_BROKEN,
    NOT_INDEXED,
    ORPHAN,
    PDF_ALTERED,
    PDF_MISSING,
    STALE,
    TEXT_BROKEN,
    verify,
)


def _folder(home: ArchiveHome, number: int) -> Path:
    """The folder of the number-th paper (in id order)."""
    paper_id = sorted(home.library.ids())[number]
    return home.library.root / paper_id[:2] / paper_id


def _verify_cli(home: ArchiveHome, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--home", str(home.root), "verify", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


def test_a_whole_archive_is_clean(demo_home: ArchiveHome) -> None:
    report = verify(demo_home)
    assert report.clean and report.papers == report.indexed == 5
    code, output = _verify_cli(demo_home)
    assert code == 0
    assert "Checked 5 papers" in output and "All is well" in output


def test_every_kind_of_damage_is_found_said_and_repaired(demo_home: ArchiveHome) -> None:
    altered, no_pdf, bad_meta, bad_text, edited = (_folder(demo_home, n) for n in range(5))
    with (altered / PDF_NAME).open("ab") as handle:
        handle.write(b"\n% one byte changed is enough\n")
    (no_pdf / PDF_NAME).unlink()
    (bad_meta / META_NAME).write_text("{ not json")
    (bad_text / TEXT_NAME).write_text('{"format": 1, "pages": ')
    # A curator's edit that reached the sidecar but not the index (a crash in between).
    meta = json.loads((edited / META_NAME).read_text())
    meta["title"] = "A corrected title"
    (edited / META_NAME).write_text(json.dumps(meta))
    ghost = "f" * 64
    with demo_home.index.writer() as writer:
        writer.add_document(kind="paper", paper_id=ghost, title="ghost", summary={})

    report = verify(demo_home)
    kinds = {problem.paper_id: problem.kind for problem in report.problems}
    assert kinds == {
        altered.name: PDF_ALTERED,
        no_pdf.name: PDF_MISSING,
        bad_meta.name: METADATA_BROKEN,
        bad_text.name: TEXT_BROKEN,
        edited.name: STALE,
        ghost: ORPHAN,
    }
    code, output = _verify_cli(demo_home)
    assert code == 1
    assert "checksum no longer matches" in output
    assert "the PDF (paper.pdf) is missing" in output
    assert "paper.json) does not parse" in output
    assert "text.json) does not parse" in output
    assert "older metadata than paper.json" in output
    assert "not in the library" in output
    assert "archive verify --repair" in output
    assert "Traceback" not in output

    code, output = _verify_cli(demo_home, "--repair")
    assert code == 1, output  # three papers had to be moved aside: a person must look
    assert "Needs a person" in output
    quarantine = demo_home.root / "quarantine"
    assert sorted(p.name for p in quarantine.iterdir()) == sorted(
        [altered.name, no_pdf.name, bad_meta.name]
    )
    # Moved aside whole, not deleted: the altered PDF is still there to look at.
    assert (quarantine / altered.name / PDF_NAME).read_bytes().endswith(b"enough\n")

    after = verify(demo_home)
    assert after.clean, after.problems
    assert after.papers == after.indexed == 2
    assert [hit.title for hit in search(demo_home.index, "corrected").hits] == ["A corrected title"]
    assert search(demo_home.index, "ghost").total == 0
    assert verify(demo_home).clean and _verify_cli(demo_home)[0] == 0


def test_repair_of_index_only_problems_exits_zero(demo_home: ArchiveHome) -> None:
    missing = sorted(demo_home.library.ids())[0]
    demo_home.index.remove(missing)
    # Index one paper twice (an index written by a buggy or interrupted writer).
    twice = sorted(demo_home.library.ids())[1]
    paper = demo_home.library.get(twice)
    with demo_home.index.writer() as writer:
        for document in paper_documents(paper, demo_home.library.page_texts(twice)):
            writer.add_document(**document)
    report = verify(demo_home)
    assert {(p.paper_id, p.kind) for p in report.problems} == {
        (missing, NOT_INDEXED),
        (twice, STALE),
    }
    assert "indexed 2 times" in str(next(p for p in report.problems if p.paper_id == twice))
    code, output = _verify_cli(demo_home, "--repair")
    assert code == 0, output
    assert "Indexed 2 papers again" in output
    assert verify(demo_home).clean
    assert demo_home.index.stats()["papers"] == 5


def test_verify_json_report(demo_home: ArchiveHome) -> None:
    (_folder(demo_home, 0) / TEXT_NAME).unlink()
    code, output = _verify_cli(demo_home, "--json")
    data = json.loads(output)
    assert code == 1
    assert data["clean"] is False
    assert [p["kind"] for p in data["problems"]] == [TEXT_BROKEN]


# --- a damaged index is found at start and rebuilt from the library --------------------------


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _segment_files(index: Path) -> list[Path]:
    """A segment's term dictionary and postings (each segment is several plain files)."""
    return [*index.glob("*.trm"), *index.glob("*.pst")]


def _garbage(path: Path) -> None:
    path.write_bytes(b"\x00garbage" * (path.stat().st_size // 8 + 1))


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(
            lambda index: [_truncate(seg) for seg in _segment_files(index)], id="truncated"
        ),
        pytest.param(lambda index: [_garbage(seg) for seg in _segment_files(index)], id="garbage"),
        pytest.param(
            lambda index: [seg.unlink() for seg in _segment_files(index)], id="no-segment"
        ),
        pytest.param(lambda index: [_garbage(toc) for toc in index.glob("*.toc")], id="toc"),
        pytest.param(lambda index: shutil.rmtree(index), id="deleted"),
    ],
)
def test_damaged_index_is_rebuilt_at_start(demo_home: ArchiveHome, damage) -> None:  # type: ignore[no-untyped-def]
    index_dir = demo_home.root / "index"
    assert _segment_files(index_dir)
    damage(index_dir)
    assert not demo_home.index.is_usable()
    reopened = ArchiveHome.at(demo_home.root)
    assert reopened.index.is_usable()
    assert reopened.index.stats()["papers"] == 5
    assert search(reopened.index, "leopard").total > 0
    assert verify(reopened).clean
