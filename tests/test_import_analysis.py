"""The text analysis an import's workers do for the index (issue 23): an index written from
it holds exactly what analysing in the writing process gives, postings, lengths and columns."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from archive.paper import Paper
from indexer.index import SearchIndex, analyse_text, index_papers
from indexer.ingest.extract import extract_pdf
from indexer.merging import TieredMerge
from indexer.schema import PAPER

from conftest import CORPUS, DEMO_PAPERS, demo_pdfs


def _papers(paths: list[Path]) -> list[tuple[Paper, list[str]]]:
    found = []
    for number, path in enumerate(paths):
        extraction = extract_pdf(path)
        found.append((extraction.paper(f"{number:064x}", path.name, 1), extraction.pages))
    return found


def _contents(index: SearchIndex) -> tuple[list, list, list]:
    with index.searcher() as searcher:
        reader = searcher.reader()
        postings = list(reader.iter_postings())
        stored = [searcher.stored_fields(n) for n in range(reader.doc_count_all())]
        lengths = [
            (n, name, reader.doc_field_length(n, name))
            for n in range(reader.doc_count_all())
            for name in ("content", "page_content", "spelling", "title")
        ]
        related = [
            reader.column_reader("related_terms")[n]
            for n in range(reader.doc_count_all())
            if stored[n]["kind"] == PAPER
        ]
    return postings, stored + lengths, related


def _build(tmp_path: Path, name: str, items: list) -> SearchIndex:
    index = SearchIndex(tmp_path / name)
    index.create()
    index_papers(index, items)
    return index


def _same_index(tmp_path: Path, papers: list[tuple[Paper, list[str]]]) -> None:
    plain = _build(tmp_path, "plain", papers)
    analysed = _build(
        tmp_path,
        "analysed",
        [
            (paper, pages, analyse_text(paper.title, paper.abstract, pages))
            for paper, pages in papers
        ],
    )
    assert _contents(analysed) == _contents(plain)
    # The schema written with the index carries no function of the writing process.
    schema = whoosh_index.open_dir(analysed.path).schema
    assert all(
        "index" not in vars(schema[name]) for name in ("content", "page_content", "spelling")
    )


def test_an_index_from_analysed_text_is_the_same_as_from_text(tmp_path: Path) -> None:
    _same_index(
        tmp_path, _papers(demo_pdfs() + sorted((DEMO_PAPERS.parent / "papers-ru").glob("*.pdf")))
    )


def test_a_changed_title_is_analysed_again(tmp_path: Path) -> None:
    # A metadata file or Crossref may change the title after the worker analysed the text:
    # the spelling field and related terms follow the paper as it is stored.
    papers = _papers(demo_pdfs()[:3])
    analyses = [analyse_text(p.title, p.abstract, pages) for p, pages in papers]
    for paper, _pages in papers:
        paper.title = "Snow leopards of the Altai, a curator's title"
    plain = _build(tmp_path, "plain", papers)
    analysed = _build(
        tmp_path,
        "analysed",
        [(paper, pages, a) for (paper, pages), a in zip(papers, analyses, strict=True)],
    )
    assert _contents(analysed) == _contents(plain)


def test_corpus_papers_index_the_same_from_analysed_text(tmp_path: Path) -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    _same_index(tmp_path, _papers(sorted(CORPUS.rglob("*.pdf"))[:12]))


def test_odd_pages_index_the_same_from_analysed_text(tmp_path: Path) -> None:
    # What the single pass over pages must carry over exactly: pages without text or with
    # stop words only before the first word, hyphenated words (their joined form), scripts
    # cut into pairs, a page ending mid-word-list, and text past the related terms' limit.
    long_page = " ".join(f"leopard{n % 500} tiger-cub prey" for n in range(9000))
    pages = [
        "",
        "a the of I to",
        "The well-known snow-leopard survey, 2019-2020: 할인점에서 雪豹.",
        "",
        "of the",
        "Camera traps e.g. 3.5 km apart; COVID-19 lockdown",
        long_page,
        "after the limit: wolverine",
    ]
    papers = [
        (Paper(id=f"{1:064x}", title="A title", filename="a.pdf", pages=8, size=1), pages),
        (Paper(id=f"{2:064x}", title="", filename="b.pdf", pages=2, size=1), ["", "a to"]),
        (
            Paper(
                id=f"{3:064x}",
                title="Title of the tiger-cub study " * 3000,
                filename="c.pdf",
                pages=1,
                size=1,
                abstract="An abstract",
            ),
            ["Body text of the study"],
        ),
    ]
    _same_index(tmp_path, papers)


def test_lengths_kept_in_memory_write_the_same_segments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A commit takes its documents' lengths from memory (indexer.index.keep_lengths) rather
    # than from the new segment's file: the postings and term files are the same bytes,
    # also when a commit merges the small segments before it (one paper per commit here).
    import indexer.index

    papers = _papers(demo_pdfs() + sorted((DEMO_PAPERS.parent / "papers-ru").glob("*.pdf")))
    # Only the last generation's segments: the merged ones are deleted at once.
    monkeypatch.setattr(indexer.index, "OBSOLETE_GRACE_S", 0)

    def build(name: str) -> list[tuple[str, bytes]]:
        index = SearchIndex(tmp_path / name)
        index.create()
        # The last commit merges every segment before it (the archive's policy waits for four
        # segments of a tier, and merges four).
        index.merge_policy = TieredMerge(per_tier=len(papers) - 1)
        for paper in papers:
            index_papers(index, [paper])
        files = [p for p in index.path.iterdir() if p.suffix in (".pst", ".trm", ".fln")]
        return sorted((p.suffix, p.read_bytes()) for p in files)

    kept = build("kept")
    monkeypatch.setattr(indexer.index, "keep_lengths", lambda writer: None)
    assert kept == build("read back")
    assert [suffix for suffix, _ in kept] == [".pst", ".trm"]  # merged into one segment
