"""Related papers from word counts stored at index time: the same papers as analysing the text
on the page's view gave (the previous way), on the demo and the corpus, and an index written by
the previous version (no stored counts) upgrades in place."""

from __future__ import annotations

import shutil

from flask.testing import FlaskClient
from whoosh import index as whoosh_index
from whoosh.query import Or, Term

from archive.paper import Paper
from indexer.engine.access_filter import hidden_docs
from indexer.engine.related import KEY_TERMS, key_terms, related_papers
from indexer.home import ArchiveHome
from indexer.index import RELATED_TEXT_CHARS, VERSION_FILE, paper_documents
from indexer.ingest.importer import ImportReport
from indexer.schema import PAPER, make_schema
from webui import create_app


def _previous_related(home: ArchiveHome, paper_id: str, public: bool) -> list[str]:
    """Related papers as the previous version found them: the paper's text analysed on the
    page's view (``key_terms_from_text``), then the same search."""
    paper = home.library.get(paper_id)
    text = "\n".join([paper.title, paper.abstract, *home.library.page_texts(paper_id)])
    text = text[:RELATED_TEXT_CHARS]
    if not text.strip():
        return []
    with home.index.searcher() as searcher:
        docnum = next(
            n
            for n in searcher.document_numbers(paper_id=paper_id)
            if searcher.stored_fields(n)["kind"] == PAPER
        )
        terms = searcher.key_terms_from_text("content", text, numterms=KEY_TERMS)
        assert terms == key_terms(searcher, docnum)
        if not terms:
            return []
        query = Or([Term("content", word, boost=weight) for word, weight in terms])
        mask = {docnum, *(hidden_docs(searcher).tolist() if public else ())}
        found = searcher.search(query, limit=5, filter=Term("kind", PAPER), mask=mask)
        return [hit["paper_id"] for hit in found]


def _assert_same_as_before(home: ArchiveHome) -> int:
    """Every paper's related list equals the previous version's; returns how many had one."""
    listed = 0
    for paper in home.library.papers():
        for public in (True, False):
            now = [hit.id for hit in related_papers(home.index, paper.id, public=public)]
            assert now == _previous_related(home, paper.id, public), paper.filename
            listed += bool(now)
    return listed


def test_demo_related_papers_are_the_same_as_before(demo_home: ArchiveHome) -> None:
    assert _assert_same_as_before(demo_home) >= len(list(demo_home.library.papers()))


def test_corpus_related_papers_are_the_same_as_before(
    corpus_import: tuple[ArchiveHome, ImportReport],
) -> None:
    home, _ = corpus_import
    # Most corpus papers have text, so most have related papers.
    assert _assert_same_as_before(home) > len(list(home.library.papers()))


def _write_previous_version_index(home: ArchiveHome) -> None:
    """Replace ``home``'s index by one as the previous version wrote it: schema 7, without
    the related_terms column."""
    schema = make_schema()
    schema.remove("related_terms")
    path = home.index.path
    shutil.rmtree(path)
    path.mkdir()
    index = whoosh_index.create_in(path, schema)
    (path / VERSION_FILE).write_text("7\n")
    writer = index.writer()
    for paper in home.library.papers():
        for document in paper_documents(paper, home.library.page_texts(paper.id)):
            document.pop("related_terms", None)
            writer.add_document(**document)
    writer.commit()


def test_a_home_of_the_previous_version_upgrades_in_place(demo_home: ArchiveHome) -> None:
    papers = {paper.id: paper.title for paper in demo_home.library.papers()}
    _write_previous_version_index(demo_home)
    assert not demo_home.index.is_usable()

    # Opening the home (as `archive serve` and every command do) rebuilds the index from the
    # library; the stored word counts come with it.
    upgraded = ArchiveHome.at(demo_home.root)
    assert upgraded.index.paper_ids() == set(papers)
    assert _assert_same_as_before(upgraded) >= len(papers)

    client: FlaskClient = create_app(
        {"ARCHIVE_HOME": str(upgraded.root), "TESTING": True}
    ).test_client()
    some_id = next(iter(papers))
    body = client.get(f"/papers/{some_id}").get_data(as_text=True)
    assert '<section class="related"' in body
    expected = related_papers(upgraded.index, some_id)
    assert expected and f"/papers/{expected[0].id}" in body


def test_a_paper_without_text_has_no_related_papers(home: ArchiveHome) -> None:
    paper = Paper(id="0" * 64, title="", filename="blank.pdf", pages=1, size=10)
    documents = list(paper_documents(paper, [""]))
    assert documents[0]["related_terms"] == b""
    with home.index.writer() as writer:
        for document in documents:
            writer.add_document(**document)
    assert related_papers(home.index, paper.id) == []
