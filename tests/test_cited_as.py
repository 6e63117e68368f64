"""The suggested citation a paper prints ("Citation: ...", "To cite this article: ...") as a
second reading of its byline (indexer/describe/cited_as.py): the lines as publishers print them
and as pypdf reads them, and a real MDPI paper whose byline cannot say which words of a name
are the family name."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.names import family_name
from indexer.describe.cited_as import Cited, checked_against_citation, suggested_citation
from indexer.ingest.extract import extract_pdf

DATA = Path(__file__).parent / "data" / "metadata"

# Each as pypdf gives the page's text: the citation wraps over the narrow column's lines.
PRINTED = {
    "PLOS": (
        "Citation: Iskandar DT, Evans BJ, McGuire \nJA (2014) A Novel Reproductive Mode in Frogs:"
        " A \nNew Species of Fanged Frog",
        ["Iskandar", "Evans", "McGuire"],
    ),
    "MDPI": (
        "Citation: Faragalla, H.; Plotkin, A.; \nBarnes, P.; Lu, F.-I.; Kos, Z.; Mulligan, \n"
        "A.M.; Bane, A.; Nofech Mozes, S. \nKi67 in Breast Cancer Assay: An Ad \nHoc Testing "
        "Recommendation. Curr. Oncol. \n2023, 30, 3079",
        ["Faragalla", "Plotkin", "Barnes", "Lu", "Kos", "Mulligan", "Bane", "Nofech Mozes"],
    ),
    "AGU": (
        "Citation: \nZapata-Rios, X., J. McIntosh, \nL. Rademacher, P. A. Troch, \nP. D. Brooks, "
        "C. Rasmussen, and \nJ. Chorover (2015), Climatic and \nlandscape controls",
        ["Zapata-Rios", "McIntosh", "Rademacher", "Troch", "Brooks", "Rasmussen", "Chorover"],
    ),
    "APA": (
        "Citation for published version (APA): \nSalden, A. H., Goedvolk, E-J., Ter Doest, H., "
        "Kersemakers, R., Slijp, D., & Prins, J. E. J. (2002). Digital Rights",
        ["Salden", "Goedvolk", "Ter Doest", "Kersemakers", "Slijp", "Prins"],
    ),
    "Taylor & Francis": (
        "To cite this article: George A. Jelinek, Tracey J. Weiland, Emily J. Hadgkiss, Claudia "
        "H. Marck, \nNaresh Pereira & Dania M. van der Meer (2015) Medication use in a large",
        ["Jelinek", "Weiland", "Hadgkiss", "Marck", "Pereira", "van der Meer"],
    ),
    "PeerJ": (
        "How to cite this article Bogner J, Wagner S, Zimmermann A. 2019. On the impact of "
        "service-oriented patterns",
        ["Bogner", "Wagner", "Zimmermann"],
    ),
    "Frontiers": (
        "Citation: Range F and Virányi Z (2014) Tracking the evolutionary origins of dog-human "
        "cooperation",
        ["Range", "Virányi"],
    ),
}


@pytest.mark.parametrize("publisher", PRINTED)
def test_the_citation_each_publisher_prints_gives_its_family_names(publisher: str) -> None:
    text, families = PRINTED[publisher]
    cited = suggested_citation("Some journal 12 (3)\n" + text + "\nEditor: Someone Else")
    assert cited is not None and cited.complete
    assert list(cited.families) == families


@pytest.mark.parametrize(
    "text",
    [
        # RSC names its journal, not the authors.
        "Cite this: Chem. Sci., 2022, 13,1408 \nAll publication charges for this article",
        # ACM's copyright notice.
        "and that copies bear this notice and the full citation on the first page. 2007",
        # HAL names the author and the title without a year between them.
        "To cite this version: \nNathalie Mitton. AUTO-ORGANISATION DES RESEAUX SANS FIL.. "
        "Computer Science. INSA de Lyon, 2006.",
        "Citation: see the supplementary material for 2014",
        "No citation line at all (2014)",
    ],
)
def test_lines_that_name_no_authors_are_not_read_as_a_citation(text: str) -> None:
    assert suggested_citation(text) is None


def test_a_citation_ending_in_et_al_is_not_a_whole_list() -> None:
    cited = suggested_citation("To cite this article: V V Kazina et al 2021 IOP Conf. Ser.: Earth")
    assert cited is not None and not cited.complete
    names = ["V V Kazina", "Somebody Else"]
    assert checked_against_citation(names, cited) == names


def test_words_the_byline_reading_took_for_a_name_are_dropped() -> None:
    cited = suggested_citation(PRINTED["Frontiers"][0])
    got = checked_against_citation(
        ["Friederike Range", "Zsófia Virányi", "Comparative Cognition"], cited
    )
    assert got == ["Friederike Range", "Zsófia Virányi"]


def test_a_name_the_byline_reading_missed_comes_back_as_the_citation_prints_it() -> None:
    cited = suggested_citation(PRINTED["PLOS"][0])
    got = checked_against_citation(["David T. Iskandar", "Jimmy A. McGuire"], cited)
    assert got == ["David T. Iskandar", "Evans, BJ", "Jimmy A. McGuire"]
    assert [family_name(name) for name in got] == ["Iskandar", "Evans", "McGuire"]


def test_a_family_name_of_two_words_is_written_family_first() -> None:
    cited = Cited(("Franco da Silva", "Wagner"), ("Franco da Silva, A. C.", "Wagner, S."), True)
    # The byline lost a space: "Francoda Silva".
    got = checked_against_citation(["Ana Cristina Francoda Silva", "Stefan Wagner"], cited)
    assert got == ["Franco da Silva, Ana Cristina", "Stefan Wagner"]


def test_names_the_byline_reading_broke_apart_come_from_the_citation() -> None:
    """Ecological Applications: the byline's capitals are drawn with their accents apart
    ("MARTIN KRKO|SEK"), and pypdf leaves the citation's accent as a glyph's name."""
    cited = suggested_citation(
        "Citation: Godwin, S. C., M. Krko/C20sek, J. D. Reynolds, and A. W. Bateman. 2021. "
        "Bias in self-reported \nparasite data from the salmon farming industry."
    )
    got = checked_against_citation(["Sean C. Godwin", "Martin Krko"], cited)
    assert got == ["Sean C. Godwin", "Krkosek, M.", "Reynolds, J. D.", "Bateman, A. W."]


def test_a_generational_suffix_is_no_part_of_the_family_name() -> None:
    cited = suggested_citation(
        "Cite this article: Reiner Jr RC, Perkins TA. 2013 A systematic review"
    )
    assert cited is not None and cited.families == ("Reiner", "Perkins")
    got = checked_against_citation(["Robert C. Reiner Jr", "T. Alex Perkins"], cited)
    assert [family_name(name) for name in got] == ["Reiner", "Perkins"]


def test_a_citation_that_disagrees_with_the_byline_changes_nothing() -> None:
    cited = suggested_citation(PRINTED["AGU"][0])
    names = ["Ana Dias", "Connor Clairmont", "Mai Tran"]
    assert checked_against_citation(names, cited) == names


def test_an_mdpi_paper_cites_its_author_with_a_two_word_family_name() -> None:
    """A real page: the byline prints "Sharon Nofech Mozes", the citation "Nofech Mozes, S."."""
    got = extract_pdf(DATA / "pymupdf_test_4026.pdf")
    assert got.authors[-1] == "Nofech Mozes, Sharon"
    assert [family_name(name) for name in got.authors] == [
        "Faragalla", "Plotkin", "Barnes", "Lu", "Kos", "Mulligan", "Bane", "Nofech Mozes",
    ]  # fmt: skip
