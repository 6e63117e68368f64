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
