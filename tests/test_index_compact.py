"""What a commit merges (issue 23): ordinary commits merge with a capped, tiered policy
(``indexer.merging``), so none holds the index's lock for long; ``archive compact`` merges the
rest in bounded steps, giving the lock back between them. Small real indexes, with caps and
tiers scaled down to them; nothing here is timed."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from click.testing import CliRunner

from indexer.cli.main import main
from indexer.engine.search import search
from indexer.home import ArchiveHome
from indexer.index import IndexBusy, SearchIndex, index_papers
from indexer.merging import (
    MB,
    SegmentSize,
    TieredMerge,
    choose_compact,
    choose_tiered,
    tier,
)

from paper_index import random_papers

# Scaled to papers of a few kilobytes: a two-paper commit writes a segment of ~30 KB.
CAP_MB = 0.3
FLOOR_DOCS = 10
QUERIES = ("tiger", "snow leopard", '"camera trap"', "wolf OR lynx", "author:petrov", "tag:tigers")


class _Segment:
    """Stands for a Whoosh segment in the pure tests of the choices."""

    def __init__(self, name: str) -> None:
        self.name = name

    def segment_id(self) -> str:
        return self.name


def _size(name: str, mb: float, docs: int, deleted: int = 0) -> SegmentSize:
    return SegmentSize(_Segment(name), bytes=int(mb * MB), docs=docs, all_docs=docs + deleted)


def _names(chosen: list[SegmentSize]) -> list[str]:
    return [size.segment.segment_id() for size in chosen]


def _small_policy(merged: list[list[SegmentSize]] | None = None) -> TieredMerge:
    return TieredMerge(
        cap_mb=CAP_MB,
        floor_docs=FLOOR_DOCS,
        merged=(lambda chosen: merged.append(chosen)) if merged is not None else None,
    )


def _grown(path: Path, commits: int, merged: list[list[SegmentSize]] | None = None) -> SearchIndex:
    """An index grown by ``commits`` commits of two papers each (an import's batches, uploads)."""
    index = SearchIndex(path)
    index.create()
    index.merge_policy = _small_policy(merged)
    papers = random_papers(2 * commits, seed=7)
    for start in range(0, len(papers), 2):
        index_papers(index, papers[start : start + 2])
    return index


def _answers(index: SearchIndex) -> list[dict[str, tuple[list[int], float]]]:
    """Each query's papers, with their pages and scores."""
    return [
        {
            hit.id: (hit.pages, hit.score)
            for hit in search(index, query, limit=100, snippets=False).hits
        }
        for query in QUERIES
    ]


def _field_totals(index: SearchIndex) -> dict[str, int]:
    with index.searcher() as searcher:
        reader = searcher.reader()
        return {name: reader.field_length(name) for name in index.open().schema.scorable_names()}


def _same_answers(
    found: list[dict[str, tuple[list[int], float]]],
    expected: list[dict[str, tuple[list[int], float]]],
    scores: bool = True,
) -> None:
    """The same papers and pages for every query, at the same scores (a merge keeps the exact
    total lengths BM25 averages: ``indexer.index.keep_field_totals``). The order of papers of
    equal scores is the index's, which any merge changes."""
    for answer, wanted in zip(found, expected, strict=True):
        # A paper's pages are listed best first; pages of equal scores in the index's order.
        assert {paper: sorted(pages) for paper, (pages, _) in answer.items()} == {
            paper: sorted(pages) for paper, (pages, _) in wanted.items()
        }
        for paper, (_, score) in answer.items() if scores else ():
            assert score == pytest.approx(wanted[paper][1], rel=1e-9), (paper, score)


def test_tiers_grow_by_the_segments_per_tier() -> None:
    assert tier(1) == tier(1_000) == tier(1_900) == 0  # an upload, an import's batch
    assert tier(4 * 990) == tier(4 * 1_062) == 1  # four batches, whatever their size
    assert tier(16 * 1_000) == 2


def test_a_tier_is_merged_when_it_has_four_segments_the_smallest_first() -> None:
    three = [_size(f"s{n}", 10, 1_000 + n) for n in range(3)]
    assert choose_tiered(three, cap_bytes=200 * MB) == []
    bigger = [_size("m0", 40, 4_000), _size("m1", 40, 4_100), _size("m2", 40, 4_200)]
    five = [*three, _size("s3", 10, 1_003), _size("s4", 10, 1_004), *bigger]
    assert _names(choose_tiered(five, cap_bytes=200 * MB)) == ["s0", "s1", "s2", "s3"]


def test_an_ordinary_merge_never_reads_more_than_the_cap() -> None:
    tier_1 = [_size(f"m{n}", 60 + n, 4_000 + n) for n in range(4)]
    chosen = choose_tiered(tier_1, cap_bytes=200 * MB)
    assert _names(chosen) == ["m0", "m1", "m2"]  # four would read 246 MB
    assert sum(size.bytes for size in chosen) <= 200 * MB


def test_full_segments_are_left_to_compact() -> None:
    full = [_size(f"f{n}", 120, 16_000) for n in range(8)]  # over half the cap each
    assert choose_tiered(full, cap_bytes=200 * MB) == []
    # Deleted documents free a full segment's room: it can be merged again.
    half_deleted = _size("d", 120, 8_000, deleted=8_000)
    assert half_deleted.live_bytes == 60 * MB


def test_compact_merges_the_smallest_that_fit_in_a_step() -> None:
    sizes = [_size("a", 150, 16_000), _size("b", 120, 16_000), _size("c", 30, 4_000)]
    assert _names(choose_compact(sizes, step_bytes=400 * MB)) == ["c", "b", "a"]
    assert _names(choose_compact(sizes, step_bytes=200 * MB)) == ["c", "b"]
    done = [_size("a", 300, 30_000), _size("b", 250, 30_000)]
    assert choose_compact(done, step_bytes=400 * MB) == []
    wasteful = [_size("a", 300, 10_000, deleted=10_000), _size("b", 250, 30_000)]
    assert _names(choose_compact(wasteful, step_bytes=400 * MB)) == ["a"]


def test_ordinary_commits_never_merge_past_the_cap_and_segments_stay_bounded(
    tmp_path: Path,
) -> None:
    merged: list[list[SegmentSize]] = []
    index = SearchIndex(tmp_path / "index")
    index.create()
    index.merge_policy = _small_policy(merged)
    papers = random_papers(240, seed=11)
    most = 0
    for start in range(0, len(papers), 2):
        index_papers(index, papers[start : start + 2])
        segments = index.segments()
        most = max(most, len(segments))
        full = [s for s in segments if s.live_bytes > CAP_MB * MB / 2]
        # Below the full segments, at most three of each tier wait (and this commit's own).
        open_tiers = {tier(s.docs, floor=FLOOR_DOCS) for s in segments if s not in full}
        assert len(segments) - len(full) <= 3 * len(open_tiers) + 1
    merges = [chosen for chosen in merged if chosen]
    assert merges, "the policy merged nothing"
    for chosen in merges:
        assert sum(size.bytes for size in chosen) <= CAP_MB * MB
        assert all(size.live_bytes <= CAP_MB * MB / 2 for size in chosen)
    total = sum(s.bytes for s in index.segments())
    assert len(full) >= 2  # the cap mattered: segments filled up and were left alone
    assert len(full) <= total / (CAP_MB * MB / 2)
    assert most < 20  # 120 commits without merging would have made 120 segments
    assert index.stats()["papers"] == 240


def test_compact_leaves_an_index_giving_the_same_results(tmp_path: Path) -> None:
    index = _grown(tmp_path / "index", 100)
    before, segments, totals = _answers(index), len(index.segments()), _field_totals(index)
    total = sum(s.bytes for s in index.segments())
    step_mb = total / MB / 3
    steps = list(index.compact(step_mb=step_mb, pause_s=0))
    assert steps and all(step.read_mb <= step_mb for step in steps)
    after = index.segments()
    assert len(after) < segments
    # What is left cannot be merged within a step: each is more than half of it, or alone.
    assert len(after) == 1 or all(s.bytes > step_mb * MB / 2 for s in after)
    _same_answers(_answers(index), before)
    assert list(index.compact(step_mb=step_mb, pause_s=0)) == []  # nothing more to do

    list(index.compact(step_mb=total / MB * 2, pause_s=0))
    assert len(index.segments()) == 1
    assert _field_totals(index) == totals
    _same_answers(_answers(index), before)


def test_compact_rewrites_segments_with_many_deletions(tmp_path: Path) -> None:
    index = _grown(tmp_path / "index", 40)
    papers = random_papers(80, seed=7)
    index_papers(index, papers[:60])  # indexed again: their old documents are deleted
    assert any(s.deleted_share > 0.2 for s in index.segments())
    before = _answers(index)
    list(index.compact(step_mb=1_000, pause_s=0))
    assert all(s.deleted_share == 0 for s in index.segments())
    # Scores change: BM25's statistics counted the deleted documents until now.
    _same_answers(_answers(index), before, scores=False)
    assert index.stats()["papers"] == 80


def test_an_upload_takes_the_lock_between_steps(tmp_path: Path) -> None:
    index = _grown(tmp_path / "index", 60)
    # Room for two of the largest segments a step: several steps for the whole index.
    step_mb = 2.5 * max(s.bytes for s in index.segments()) / MB
    paper, pages = random_papers(1, seed=99)[0]
    upload = (dataclasses.replace(paper, id="f" * 64), pages)
    steps = index.compact(step_mb=step_mb, pause_s=0)
    next(steps)  # a step done: the generator waits here, as the command waits between steps
    with index.writer(timeout=0) as writer:  # no waiting: the lock must be free now
        index.add(writer, *upload)
    rest = list(steps)
    assert rest, "one step was enough; the test wants several"
    assert upload[0].id in {hit.id for hit in search(index, upload[0].title, limit=50).hits}
    assert index.stats()["papers"] == 121


def test_a_step_holds_the_lock_until_it_is_done(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = _grown(tmp_path / "index", 20)
    tried: list[bool] = []

    def merge_and_try(writer, segments, chosen):  # type: ignore[no-untyped-def]
        other = SearchIndex(index.path)
        try:
            with other.writer(timeout=0):
                tried.append(True)
        except IndexBusy:
            tried.append(False)
        return merge_chosen(writer, segments, chosen)

    from indexer import index as index_module
    from indexer.merging import merge_chosen

    monkeypatch.setattr(index_module, "merge_chosen", merge_and_try)
    assert index.compact_step(step_mb=1_000) is not None
    assert tried == [False]


def test_the_cli_compacts_the_index_in_steps(tmp_path: Path) -> None:
    home = ArchiveHome.at(tmp_path / "home")
    home.index.merge_policy = _small_policy()
    papers = random_papers(120, seed=5)
    for start in range(0, len(papers), 2):
        index_papers(home.index, papers[start : start + 2])
    before, segments = _answers(home.index), len(home.index.segments())
    step_mb = sum(s.bytes for s in home.index.segments()) / MB / 3
    runner = CliRunner()
    args = ["--home", str(home.root), "compact", "--step-mb", f"{max(step_mb, 1):.3f}"]
    result = runner.invoke(main, [*args, "--pause", "0"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Step 1: merged" in result.output
    after = SearchIndex(home.index.path)
    assert f"{segments} -> {len(after.segments())} segments" in result.output
    _same_answers(_answers(after), before)

    again = runner.invoke(main, [*args, "--pause", "0"], catch_exceptions=False)
    assert again.exit_code == 0
    assert "Nothing to merge" in again.output


def test_a_search_begun_before_a_step_reads_on_after_it(tmp_path: Path) -> None:
    index = _grown(tmp_path / "index", 30)
    with index.searcher() as searcher:
        count = searcher.doc_count_all()
        assert len(searcher.reader().leaf_readers()) > 1
        list(index.compact(step_mb=1_000, pause_s=0))
        assert len(index.segments()) == 1
        assert not searcher.up_to_date()
        # The retired generation's files are kept: its stored fields are still read.
        papers = {searcher.stored_fields(n)["paper_id"] for n in range(count)}
    assert len(papers) == 60
    assert index.stats()["papers"] == 60
