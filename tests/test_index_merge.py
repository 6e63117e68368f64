"""Segments merged at a commit (issue 23): the postings of the merged segments are merged in
order rather than sorted again through Whoosh's pool (``indexer.index.merge_in_order``); the
index holds exactly what Whoosh's own merge gives."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import index as whoosh_index

import indexer.index
from indexer.index import SearchIndex, index_papers

from paper_index import random_papers


def _contents(index: SearchIndex) -> tuple[list, list, int]:
    with index.searcher() as searcher:
        reader = searcher.reader()
        postings = list(reader.iter_postings())
        stored = [
            (searcher.stored_fields(n), reader.doc_field_length(n, "content"))
            for n in range(reader.doc_count_all())
            if not reader.is_deleted(n)
        ]
        return postings, stored, len(list(reader.leaf_readers()))


def _build(path: Path, optimize: bool) -> SearchIndex:
    """Nine commits of a few papers each (the tiered merge policy merges the small segments),
    some papers indexed again (their old documents deleted), then optionally one merge of all."""
    index = SearchIndex(path)
    index.create()
    papers = random_papers(40, seed=23)
    for start in range(0, 36, 4):
        index_papers(index, papers[start : start + 4])
    index_papers(index, papers[1:30:3])  # deletions in merged segments: their documents renumbered
    index_papers(index, papers[36:])
    if optimize:
        writer = index.open().writer(compound=False)
        indexer.index.keep_lengths(writer)
        indexer.index.merge_in_order(writer)
        writer.commit(optimize=True)
    return index


@pytest.mark.parametrize("optimize", [False, True])
def test_merged_segments_hold_what_whooshs_merge_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, optimize: bool
) -> None:
    in_order = _build(tmp_path / "in-order", optimize)
    with monkeypatch.context() as patched:
        patched.setattr(indexer.index, "merge_in_order", lambda writer: None)
        sorted_again = _build(tmp_path / "sorted-again", optimize)
    ours, theirs = _contents(in_order), _contents(sorted_again)
    assert ours[2] == theirs[2]  # the same segments were merged
    assert ours[2] == 1 if optimize else ours[2] < 11  # and some were
    assert ours[0] == theirs[0]
    assert ours[1] == theirs[1]
    assert not list((tmp_path / "in-order").glob("*.tmp/*"))


def test_a_merged_index_answers_searches(tmp_path: Path) -> None:
    index = _build(tmp_path / "index", optimize=True)
    assert index.stats()["papers"] == 40
    assert whoosh_index.open_dir(index.path).doc_count() == index.stats()["papers"] + sum(
        len(pages) for _, pages in random_papers(40, seed=23)
    )
