"""The background index syncer and the activity journal, without the web app."""

from __future__ import annotations

import shutil
from pathlib import Path

from archive.activity import ActivityLog
from indexer.home import ArchiveHome
from indexer.index import IndexBusy
from indexer.index_sync import IndexSync

from conftest import paper_id_of

LEOPARD_PDF = "amur-leopard-fact-sheet.pdf"


def test_reconcile_indexes_what_the_library_has_and_drops_what_it_lacks(
    demo_home: ArchiveHome,
) -> None:
    leopard = paper_id_of(demo_home, LEOPARD_PDF)
    tiger = paper_id_of(demo_home, "amur-tiger-fact-sheet.pdf")
    with demo_home.index.writer() as writer:  # as if an import died between library and index
        writer.delete_by_term("paper_id", leopard)
    # As if a paper's folder vanished without the index hearing of it.
    folder = demo_home.library.pdf_path(tiger).parent
    shutil.rmtree(folder)
    sync = IndexSync(demo_home.library, demo_home.index)
    try:
        assert sync.reconcile() == 2
        assert sync.wait(1, timeout=10)
        assert demo_home.index.paper_ids() == set(demo_home.library.ids())
        assert leopard in demo_home.index.paper_ids()
        assert sync.reconcile() == 0
    finally:
        sync.stop()


def test_busy_index_keeps_the_work_until_the_lock_is_free(demo_home: ArchiveHome) -> None:
    leopard = paper_id_of(demo_home, LEOPARD_PDF)
    paper = demo_home.library.get(leopard)
    paper.title = "Renamed while the index was busy"
    demo_home.library.save(paper)
    sync = IndexSync(demo_home.library, demo_home.index, lock_timeout=0.1)
    try:
        with demo_home.index.writer():  # this thread holds the lock meanwhile
            ticket = sync.request([leopard])
            assert not sync.wait(ticket, timeout=0.5)
            assert sync.waiting_for_lock
            assert sync.pending == 1
        assert sync.wait(ticket, timeout=10)
        assert not sync.waiting_for_lock
    finally:
        sync.stop()
    with demo_home.index.open().searcher() as searcher:
        stored = [
            doc["summary"]["title"]
            for doc in searcher.documents(paper_id=leopard)
            if "summary" in doc
        ]
    assert stored == ["Renamed while the index was busy"]


def test_index_busy_is_what_the_writer_raises(demo_home: ArchiveHome) -> None:
    """The syncer relies on a held lock showing up as IndexBusy after the timeout."""
    with demo_home.index.writer():
        try:
            with demo_home.index.writer(timeout=0.1):
                raise AssertionError("a second writer got the lock")
        except IndexBusy:
            pass


def test_activity_journal_reads_back_newest_first_and_skips_torn_lines(tmp_path: Path) -> None:
    log = ActivityLog(tmp_path)
    log.record("upload", batch="b1", item="i1", status="received")
    log.record("upload", batch="b1", item="i1", status="failed", reason="not a PDF")
    with log.path.open("a") as handle:
        handle.write('{"time": "cut short')  # a crash mid-line
    log.record("edit", id="x", user="ann")
    assert [e["action"] for e in log.recent()] == ["edit", "upload", "upload"]
    assert [e["reason"] for e in log.recent(failures_only=True)] == ["not a PDF"]
    assert [e["status"] for e in log.batch("b1")] == ["received", "failed"]
