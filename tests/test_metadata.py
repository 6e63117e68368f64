"""Metadata heuristics: junk titles, titles from the first page, authors, DOI, year."""

from __future__ import annotations

import pytest

from archive.curation import apply_edit
from indexer.describe.curation_queue import UNCERTAIN, curation_queue, field_confidence
from indexer.describe.metadata import (
    arxiv_year,
    find_doi,
    is_junk_title,
    is_placeholder_name,
    latest_plausible_year,
    plausible_year,
    split_authors,
    suspicious_info_title,
    tidy_title,
    title_from_runs,
)
from indexer.home import ArchiveHome


@pytest.mark.parametrize(
    ("title", "filename"),
    [
        (None, "x.pdf"),
        ("", "x.pdf"),
        ("Microsoft Word - draft3.doc", "draft3.pdf"),
        ("untitled", "a.pdf"),
        ("Untitled spreadsheet", "a.pdf"),
        ("report_final.docx", "a.pdf"),
        ("imagemagick-lzw\x00", "imagemagick-lzw.pdf"),
        ("loremipsum.jpg", "loremipsum-flat.pdf"),
        ("Proceedings Template - WORD", "p.pdf"),
        ("2.3.59", "p.pdf"),
        ("Title", "p.pdf"),
        ("fake memo", "fake_memo.pdf"),
    ],
)
def test_junk_titles(title: str | None, filename: str) -> None:
    assert is_junk_title(title, filename)


@pytest.mark.parametrize(
    "title",
    [
        "The Amur Leopard: A Fact Sheet",
        "Geometrie und Topologie",
        "S2ORC: The Semantic Scholar Open Research Corpus",
        "Title IX and field biology",
    ],
)
def test_real_titles_are_kept(title: str) -> None:
    assert not is_junk_title(title, "paper.pdf")


def test_tidy_title_decodes_entities() -> None:
    assert tidy_title("COVID&#x02010;19 vaccination") == "COVID-19 vaccination"


def test_title_from_runs_takes_the_largest_text_at_the_top() -> None:
    runs = [
        (9.0, "Journal of Wildlife 12 (2019)"),
        (17.2, "Camera traps reveal"),
        (17.2, "leopard recovery"),
        (10.0, "Anna Petrova"),
        (17.2, "Results"),
    ]
    assert title_from_runs(runs) == "Camera traps reveal leopard recovery"


def test_title_from_runs_rejects_a_page_of_body_text() -> None:
    body = [(10.0, "lorem ipsum dolor sit amet " * 3)] * 5
    assert title_from_runs(body) == ""
    assert title_from_runs([]) == ""
    assert title_from_runs([(20.0, "12")]) == ""


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Anna Petrova; James Whitfield", ["Anna Petrova", "James Whitfield"]),
        ("Anna Petrova and James Whitfield", ["Anna Petrova", "James Whitfield"]),
        ("A. Petrova, J. Whitfield & C. Bennett", ["A. Petrova", "J. Whitfield", "C. Bennett"]),
        ("Petrova, Anna", ["Petrova, Anna"]),
        ("", []),
        (None, []),
    ],
)
def test_split_authors(raw: str | None, expected: list[str]) -> None:
    assert split_authors(raw) == expected


def test_find_doi() -> None:
    assert find_doi("see https://doi.org/10.1111/IMM.13445.") == "10.1111/imm.13445"
    assert (
        find_doi("DOI:\t10.1088/1742-6596/2188/1/012011 text") == "10.1088/1742-6596/2188/1/012011"
    )
    assert find_doi("no identifier 10.12/x here") is None


def test_plausible_year_prefers_copyright_then_metadata_then_text() -> None:
    assert plausible_year("© 2019 Elsevier. Received 2017", [2021]) == 2019
    assert plausible_year("Received 2017, accepted 2018", [2021]) == 2021
    assert plausible_year("Received 2017, accepted 2018, 2018", []) == 2018
    assert plausible_year("in the year 1492 and 3000", [1066]) is None
    assert plausible_year("", [latest_plausible_year() + 5]) is None


@pytest.mark.parametrize(
    ("filename", "year"),
    [
        ("1903.10676.pdf", 2019),
        ("2206.10883v3.pdf", 2022),
        ("0704.0001.pdf", 2007),
        ("1913.10676.pdf", None),  # no thirteenth month
        ("2023.eacl-main.121.pdf", None),
        ("report-2019.pdf", None),
        ("9912.12345.pdf", None),  # before new-style identifiers, and not a 2099 paper
    ],
)
def test_arxiv_year_from_file_name(filename: str, year: int | None) -> None:
    assert arxiv_year(filename) == year


def test_placeholder_names() -> None:
    assert is_placeholder_name("anonymous")
    assert is_placeholder_name(" Administrator ")
    assert not is_placeholder_name("Anna Petrova")


@pytest.mark.parametrize(
    "title",
    [
        "ipg1300180a",
        "OECS12_abstract_Muller1",
        "Journal of Hydrology",
        "Proceedings of the 45th Annual Meeting of the Association of Computational Linguistics",
        "Disk-Based Storage for Scalable Video - Circuits and Systems for Video Technology, "
        "IEEE Transactions on",
        "doi:10.1016/j.jhydrol.2005.01.006",
        "AI Magazine",
    ],
)
def test_titles_fields_that_are_not_titles_are_suspicious(title: str) -> None:
    assert suspicious_info_title(title)


@pytest.mark.parametrize(
    "title",
    ["Symmetric Molecular Dynamics", "Combating Web Spam with TrustRank", "Bitcoin: A P2P Cash"],
)
def test_real_titles_are_not_suspicious(title: str) -> None:
    assert not suspicious_info_title(title)


def test_author_fields_lose_affiliations_in_brackets_and_logins() -> None:
    raw = "Zoltan Gyongyi, Hector Garcia-Molina (Stanford Univ.), Jan Pedersen (Yahoo, Inc.)"
    assert split_authors(raw) == ["Zoltan Gyongyi", "Hector Garcia-Molina", "Jan Pedersen"]
    assert split_authors("Heike B. Eberle et al.") == ["Heike B. Eberle"]
    assert is_placeholder_name("antons.jan-niklas")
    assert is_placeholder_name("gg96346")
    assert not is_placeholder_name("Anna Petrova")


def test_the_queue_puts_uncertain_descriptions_first_and_a_staff_edit_settles_them(
    demo_home: ArchiveHome,
) -> None:
    papers = list(demo_home.library.papers())
    shaky, fine = papers[0], papers[1]
    # The PDF's title field was a journal's name and the authors a login and a stray word.
    shaky.title, shaky.sources["title"] = "Journal of Hydrology", "pdf-info"
    shaky.authors, shaky.sources["authors"] = ["z", "hatem"], "first-page"
    demo_home.library.save(shaky)
    confidence = field_confidence(demo_home.library.get(shaky.id))
    assert confidence["title"] < UNCERTAIN and confidence["authors"] < UNCERTAIN
    assert field_confidence(demo_home.library.get(fine.id))["title"] >= UNCERTAIN
    queue, _ = curation_queue(demo_home.library)
    item = next(item for item in queue if item.paper.id == shaky.id)
    assert {"title uncertain", "authors uncertain"} <= set(item.problems)
    assert queue.index(item) == min(i for i, other in enumerate(queue) if other.score == item.score)
    edited = apply_edit(
        demo_home.library.get(shaky.id), {"title": "Flow duration", "authors": "Patrick Lane"}
    )
    demo_home.library.save(edited)
    assert field_confidence(demo_home.library.get(shaky.id))["title"] == 1.0
    queue, _ = curation_queue(demo_home.library)
    assert all(
        "title uncertain" not in item.problems for item in queue if item.paper.id == shaky.id
    )
