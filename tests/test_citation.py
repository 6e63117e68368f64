"""Citations: BibTeX and RIS read back by real parsers, and the APA-like reference."""

from __future__ import annotations

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors

from archive.citation import (
    apa_reference,
    bibtex,
    bibtex_entry,
    citation_key,
    ris,
    unique_keys,
)
from archive.paper import Paper


def paper(title: str, authors: list[str] | None = None, year: int | None = 2018, **more) -> Paper:
    """A paper with just the metadata a citation needs."""
    return Paper(
        id=f"{abs(hash((title, year))):064x}"[:64],
        title=title,
        filename="x.pdf",
        pages=3,
        size=1000,
        authors=["Anna Petrova", "James Whitfield"] if authors is None else authors,
        year=year,
        **more,
    )


def parse_bibtex(text: str) -> list[dict[str, object]]:
    """Entries of a BibTeX file as dicts of decoded values, after checking nothing failed."""
    library = bibtexparser.parse_string(
        text, append_middleware=[SeparateCoAuthors(), LatexDecodingMiddleware()]
    )
    assert not library.failed_blocks, [block.error for block in library.failed_blocks]
    return [
        {"key": entry.key, "type": entry.entry_type} | {f.key: f.value for f in entry.fields}
        for entry in library.entries
    ]


TRICKY_TITLES = [
    "Amur leopard {Panthera pardus orientalis} & tigers: 100% of $5 budgets #1",
    "Einführung in die Ökologie des Fernöstlichen Leoparden",
    "Requêtes sur l'écologie du léopard",
    "Snake_case, tildes~ and back\\slashes",
    'Quotes "inside" titles',
    "Тигр амурский",
]


@pytest.mark.parametrize("title", TRICKY_TITLES)
def test_bibtex_title_reads_back_exactly(title: str) -> None:
    """A title with TeX specials, paired braces or accents comes back unchanged from a BibTeX
    parser (escaped on the way out, decoded on the way in)."""
    (entry,) = parse_bibtex(bibtex([paper(title, doi="10.1000/a_b%c")]))
    assert entry["title"] == title
    assert entry["year"] == "2018"
    assert entry["doi"] == "10.1000/a_b%c"
    assert entry["author"] == ["Anna Petrova", "James Whitfield"]


@pytest.mark.parametrize("title", ["An unbalanced { brace", "Closed } first {", "}}}"])
def test_unbalanced_braces_never_swallow_the_next_entry(title: str) -> None:
    """An unpaired brace in a title cannot unbalance the file: every entry parses, the next one
    intact (BibTeX counts braces even after a backslash)."""
    text = bibtex([paper(title), paper("The next paper", year=2020)])
    first, second = parse_bibtex(text)
    assert "textbrace" in str(bibtexparser.parse_string(text).entries[0]["title"])
    assert second["title"] == "The next paper"
    assert second["year"] == "2020"
    # Readers that know \textbraceleft show the brace; the words survive in any reader.
    assert str(first["title"]).split() == title.replace("{", " ").replace("}", " ").split()


def test_group_author_holding_and_stays_one_author() -> None:
    """An organisation whose name holds the word "and" is one author, not two."""
    (entry,) = parse_bibtex(
        bibtex([paper("T", authors=["Fauna and Flora International", "Jo Li"])])
    )
    # The braces are BibTeX's "keep as one name"; the parser leaves them on the split names.
    assert [name.strip("{}") for name in entry["author"]] == [
        "Fauna and Flora International",
        "Jo Li",
    ]


def test_bibtex_keys_are_unique_and_readable() -> None:
    """Same author, year and first word give smith2018amura, smith2018amurb...; keys are ASCII."""
    same = [paper("Amur leopards", ["John Smith"]) for _ in range(3)]
    other = paper("Der Fernöstliche Leopard", ["Jürgen Müller"], 2001)
    keys = unique_keys([*same, other, paper("The Amur tiger", [], None)])
    assert keys[:3] == ["smith2018amura", "smith2018amurb", "smith2018amurc"]
    assert keys[3] == "muller2001der"
    assert keys[4] == "anonamur"
    assert len(set(keys)) == len(keys)
    entries = parse_bibtex(bibtex([*same, other]))
    assert [entry["key"] for entry in entries] == keys[:4]
    assert all(key.isascii() and key.isalnum() for key in keys)


def test_bibtex_key_never_clashes_with_a_suffixed_key() -> None:
    """A paper whose natural key is already "smith2018amura" does not collide with the suffix
    given to two papers keyed "smith2018amur"."""
    twins = [paper("Amur", ["John Smith"]), paper("Amur", ["John Smith"])]
    lone = paper("Amura", ["John Smith"])
    assert citation_key(lone) == "smith2018amura"
    keys = unique_keys([*twins, lone])
    assert len(set(keys)) == 3


def test_bibtex_entry_is_misc_with_url() -> None:
    """An entry is @misc with the url, and the title braced to keep its capitals."""
    text = bibtex_entry(paper("Amur Leopard"), url="https://example.org/papers/abc?x=1&y=2")
    (entry,) = parse_bibtex(text)
    assert entry["type"] == "misc"
    assert entry["url"] == "https://example.org/papers/abc?x=1&y=2"
    assert "title = {{Amur Leopard}}" in text


def test_newlines_and_control_characters_never_reach_the_file() -> None:
    """A title with line breaks and control characters becomes one clean line."""
    text = bibtex([paper("Line one\nline two\r\x00\x07 end")])
    (entry,) = parse_bibtex(text)
    assert entry["title"] == "Line one line two end"
    assert "\x00" not in text


@pytest.mark.parametrize(
    "title", [*TRICKY_TITLES, "An unbalanced { brace", "ER - fake end", "TY - JOUR"]
)
def test_ris_reads_back(title: str) -> None:
    """RIS records come back from an RIS parser with every field, whatever the title holds."""
    papers = [
        paper(title, doi="10.1000/xyz", tags=["leopard", "camera traps"], abstract="A\nB"),
        paper("Second", ["Jo Li"], None),
    ]
    records = rispy.loads(
        ris(
            papers, urls=["https://a.example/p/1", None], pdf_urls=["https://a.example/1.pdf", None]
        )
    )
    assert len(records) == 2
    first, second = records
    assert first["type_of_reference"] == "GEN"
    assert first["title"] == title
    assert first["authors"] == ["Anna Petrova", "James Whitfield"]
    assert first["year"] == "2018"
    assert first["doi"] == "10.1000/xyz"
    assert first["urls"] == ["https://a.example/p/1"]
    assert first["keywords"] == ["leopard", "camera traps"]
    assert first["abstract"] == "A B"
    assert second["title"] == "Second"
    assert "year" not in second


def test_ris_title_with_a_newline_cannot_inject_a_record() -> None:
    """A title that tries to end the record and start another stays inside its TI line."""
    records = rispy.loads(ris([paper("Real\r\nER  - \r\nTY  - JOUR\r\nTI  - Injected")]))
    assert len(records) == 1
    assert records[0]["type_of_reference"] == "GEN"


@pytest.mark.parametrize(
    ("authors", "year", "expected"),
    [
        (["Anna Petrova"], 2024, "Petrova, A. (2024). Amur leopards."),
        (["Anna Petrova", "James K. Whitfield"], 2024, "Petrova, A., & Whitfield, J. K. (2024)."),
        (["A B", "C D", "E F"], 2024, "B, A., D, C., & F, E. (2024)."),
        (["Ludwig van Beethoven"], None, "van Beethoven, L. (n.d.)."),
        (["WWF Russia"], 2010, "WWF Russia. (2010). Amur leopards."),
        ([], 2010, "Amur leopards. (2010). Conservation Paper Archive."),
    ],
)
def test_apa_reference(authors: list[str], year: int | None, expected: str) -> None:
    """The reference reads "Authors (Year). Title. Archive. Link", in APA's manner."""
    assert expected in apa_reference(paper("Amur leopards", authors, year))


def test_apa_reference_links_doi_or_page() -> None:
    """The reference ends with the DOI's URL when there is one, else the paper's page."""
    with_doi = apa_reference(paper("T", doi="10.1/x"), url="https://a.example/p")
    assert with_doi.endswith("Conservation Paper Archive. https://doi.org/10.1/x")
    assert apa_reference(paper("T?"), url="https://a.example/p").endswith(
        "(2018). T? Conservation Paper Archive. https://a.example/p"
    )


def test_apa_reference_with_many_authors_elides_the_middle() -> None:
    """With more than twenty authors, the first nineteen, an ellipsis and the last are named."""
    authors = [f"Given Name{n}" for n in range(25)]
    text = apa_reference(paper("T", authors))
    assert "Name18, G., . . . Name24, G." in text
    assert "Name19" not in text


# --- the venue ----------------------------------------------------------------------------------

JOURNAL = {
    "container": "Oryx",
    "volume": "52",
    "issue": "3",
    "page_range": "457-465",
    "publisher": "Cambridge University Press",
    "doc_type": "article",
    "doi": "10.1017/S0030605316001034",
}


def test_bibtex_of_a_journal_article_names_the_journal_and_its_pages() -> None:
    """@article with journal, volume, number and pages (a BibTeX range: two hyphens)."""
    text = bibtex([paper("Amur leopard & tiger density", **JOURNAL)])
    (entry,) = parse_bibtex(text)
    assert entry["type"] == "article"
    assert (entry["journal"], entry["volume"], entry["number"]) == ("Oryx", "52", "3")
    assert "pages = {457--465}" in text
    assert entry["publisher"] == "Cambridge University Press"
    assert "howpublished" not in entry


def test_bibtex_of_a_conference_paper_is_inproceedings_with_a_booktitle() -> None:
    venue = {"container": "Proceedings of EMNLP-IJCNLP 2019", "page_range": "3615-3620"}
    (entry,) = parse_bibtex(bibtex([paper("SciBERT", doc_type="conference", **venue)]))
    assert entry["type"] == "inproceedings"
    assert entry["booktitle"] == "Proceedings of EMNLP-IJCNLP 2019"
    assert "journal" not in entry


def test_a_venue_with_tex_specials_reads_back() -> None:
    (entry,) = parse_bibtex(bibtex([paper("X", container="Fauna & Flora {Notes} 100%")]))
    assert entry["journal"] == "Fauna & Flora {Notes} 100%"


def test_ris_of_a_journal_article_has_jo_vl_is_sp_ep() -> None:
    (record,) = rispy.loads(ris([paper("Amur leopard density", **JOURNAL)]))
    assert record["type_of_reference"] == "JOUR"
    assert record["journal_name"] == "Oryx"  # JO
    assert record["secondary_title"] == "Oryx"  # T2: what Zotero reads as the publication
    assert (record["volume"], record["number"]) == ("52", "3")
    assert (record["start_page"], record["end_page"]) == ("457", "465")
    assert record["publisher"] == "Cambridge University Press"


def test_ris_of_a_conference_paper_is_conf_with_its_proceedings() -> None:
    venue = {"container": "Proceedings of CHI 2023", "page_range": "1-17", "doc_type": "conference"}
    (record,) = rispy.loads(ris([paper("CiteSee", **venue)]))
    assert record["type_of_reference"] == "CONF"
    assert record["secondary_title"] == "Proceedings of CHI 2023"
    assert "journal_name" not in record


def test_apa_names_the_journal_volume_issue_and_pages() -> None:
    reference = apa_reference(paper("Amur leopard density", year=2018, **JOURNAL))
    assert reference == (
        "Petrova, A., & Whitfield, J. (2018). Amur leopard density. Oryx, 52(3), 457\u2013465. "
        "https://doi.org/10.1017/S0030605316001034"
    )


def test_apa_of_a_conference_paper_says_in_and_pp() -> None:
    venue = {"container": "Proceedings of CHI 2023", "page_range": "1-17", "publisher": "ACM"}
    reference = apa_reference(paper("CiteSee", year=2023, doc_type="conference", **venue))
    assert reference.endswith("CiteSee. In Proceedings of CHI 2023 (pp. 1\u201317). ACM.")


def test_without_a_venue_the_archive_is_the_publisher() -> None:
    assert apa_reference(paper("Fact sheet", year=2024)).endswith(
        "Fact sheet. Conservation Paper Archive."
    )
    assert "@misc" in bibtex([paper("Fact sheet")])


@pytest.mark.parametrize(
    ("doc_type", "bibtex_type", "ris_type", "publisher_field"),
    [
        ("report", "techreport", "RPRT", "institution"),
        ("thesis", "phdthesis", "THES", "school"),
        ("book", "book", "BOOK", "publisher"),
        ("conference", "inproceedings", "CONF", None),
        ("article", "article", "JOUR", None),
        ("fact-sheet", "misc", "GEN", None),
        ("other", "misc", "GEN", None),
    ],
)
def test_each_document_type_is_cited_as_its_own_kind(
    doc_type: str, bibtex_type: str, ris_type: str, publisher_field: str | None
) -> None:
    """A report with no journal is a technical report to a reference manager, not @misc."""
    one = paper(
        "Monitoring of Amur tigers 2019", ["Ivan Petrov"], doc_type=doc_type, publisher="WWF Russia"
    )
    (entry,) = parse_bibtex(bibtex_entry(one))
    assert entry["type"] == bibtex_type
    if publisher_field:
        assert entry[publisher_field] == "WWF Russia"
    assert ("howpublished" in entry) == (bibtex_type == "misc")
    (record,) = rispy.loads(ris([one]))
    assert record["type_of_reference"] == ris_type
    assert record["publisher"] == "WWF Russia"
