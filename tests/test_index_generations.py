"""A search that began on one generation of the index keeps reading it while a commit (an
import, an upload, the index catching up) merges its segments away: Whoosh deletes the files of
merged segments at once, and a searcher opens some of a segment's files only when a search first
reads them (a paper's stored fields, a column). The crash test met this as a 500 from
/api/search while the restarted server indexed what it had received."""

from __future__ import annotations

import os
import time
from pathlib import Path

from indexer.index import OBSOLETE_GRACE_S, SearchIndex, index_papers
from indexer.merging import TieredMerge

from paper_index import build_index, paper

LEOPARD = paper("Amur leopard camera traps", ["Leopard tracks seen on the camera traps."])
SAOLA = paper("Saola sightings in the Annamites", ["A saola was seen by the rangers."])
DHOLE = paper("Dhole pack territories", ["Dhole packs hunt in the dry forest."])


def _merging_pairs(index: SearchIndex) -> SearchIndex:
    """``index``, its commits merging two small segments into one (the archive's policy waits
    for four)."""
    index.merge_policy = TieredMerge(per_tier=2)
    return index


def _stored_papers(index: SearchIndex) -> set[str]:
    with index.searcher() as searcher:
        return {fields["paper_id"] for fields in searcher.all_stored_fields()}


def test_a_searcher_reads_its_segments_after_a_commit_merged_them_away(tmp_path: Path) -> None:
    index = _merging_pairs(build_index(tmp_path / "index", [LEOPARD]))
    index_papers(index, [SAOLA])  # a second segment
    with index.searcher() as searcher:
        files_before = set(os.listdir(index.path))
        assert len(searcher.reader().leaf_readers()) == 2
        index_papers(index, [DHOLE])  # commits, merging the small segments into one
        assert not searcher.up_to_date()
        # The old generation's files are all still there, and the searcher reads them.
        assert not files_before - set(os.listdir(index.path))
        assert len(index.segments()) == 1
        count = searcher.doc_count_all()
        papers = {searcher.stored_fields(n)["paper_id"] for n in range(count)}
    assert papers == {LEOPARD[0].id, SAOLA[0].id}
    assert _stored_papers(index) == {p.id for p, _ in (LEOPARD, SAOLA, DHOLE)}


def test_files_of_generations_retired_long_ago_are_deleted(tmp_path: Path) -> None:
    index = _merging_pairs(build_index(tmp_path / "index", [LEOPARD]))
    index_papers(index, [SAOLA])
    first = set(os.listdir(index.path))
    index_papers(index, [DHOLE])  # merges: the first generations' segments are obsolete
    assert len(index.segments()) == 1
    # As if those commits had happened longer ago than the grace period.
    past = time.time() - OBSOLETE_GRACE_S - 60
    for name in os.listdir(index.path):
        os.utime(index.path / name, (past, past))
    index_papers(index, [paper("Otter holts", ["Otters use holts along the river."])])
    left = set(os.listdir(index.path))
    assert not {name for name in first if name.endswith(".toc")} & left
    assert {name for name in first if not name.endswith(".toc")} - left  # merged segments' files
    assert len(_stored_papers(index)) == 4
