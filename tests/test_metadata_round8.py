"""Rules of the eighth round of issue 24, each on the text of a first page of the seen set
fresh3-tuned that showed the need (written here as pypdf reads it; the pages' licences keep
most of them out of the repository). The held-out sets are never used here: they measure the
round (benchmarks/metadata_bench)."""

from __future__ import annotations

from indexer.describe.header import (
    Header,
    Run,
    Venue,
    date_line_year,
    fallback_title,
    read_venue,
)
from indexer.ingest.extract import Extraction, _described
from tests.header_pages import byline, families, header_of_runs, unseen


def test_a_jstor_cover_dates_the_paper_not_the_download() -> None:
    # Kendall 1938 behind JSTOR's cover (the PDF was made in 2008, downloaded in 2012).
    cover = "\n".join(
        [
            "Biometrika Trust",
            "A New Measure of Rank Correlation",
            "Author(s): M. G. Kendall",
            "Reviewed work(s):",
            "Source: Biometrika, Vol. 30, No. 1/2 (Jun., 1938), pp. 81-93",
            "Published by: Biometrika Trust",
            "Stable URL: http://www.jstor.org/stable/2332226 .",
            "Accessed: 11/05/2012 13:28",
        ]
    )
    venue = read_venue(cover)
    assert (venue.year, venue.container, venue.volume, venue.page_range) == (
        1938,
        "Biometrika",
        "30",
        "81-93",
    )


def test_date_lines_of_covers_in_other_forms() -> None:
    # A Russian thesis's place and year at the foot of its cover, with a dash.
    assert date_line_year("Научный руководитель:\nКознов Д. В.\nСанкт-Петербург—2023") == 2023
    assert date_line_year("Диссертация\nМосква – 2015") == 2015
    # Purdue e-Pubs' cover of a 1975 report (the PDF is from 2012).
    assert date_line_year("Purdue University\nPurdue e-Pubs\n1-1-1975\nThe Algorithm") == 1975
    # A French thesis dated by its defence.
    assert date_line_year("Thèse dirigée par Michel RIVEILL\nsoutenue le 30 août 2013") == 2013
    # A download stamp, a date of receipt: no date of the work.
    assert date_line_year("Title\nAccessed: 11/05/2012 13:28") is None
    assert date_line_year("Title\nReceived: 12 May 2014\nAbstract") is None


def test_an_orcid_icon_read_as_letters_is_no_part_of_the_name() -> None:
    # PLOS Medicine 2020: each ORCID icon comes out of pypdf as "ID" after the name.
    assert byline(
        "Elie AntounID1, Negusse T. KitabaID1, Philip TitcombeID1,2, Joanna D. Holbrook1,",
        "Michael S. Kobor3, David TS LinID3, Karen A. LillycropID1,4",
    ) == [
        "Elie Antoun",
        "Negusse T. Kitaba",
        "Philip Titcombe",
        "Joanna D. Holbrook",
        "Michael S. Kobor",
        "David TS Lin",
        "Karen A. Lillycrop",
    ]
    # A name in capitals keeps its own "ID" letters.
    assert byline("DAVID SMITH and Anna Petrova") == ["David Smith", "Anna Petrova"]


def test_a_team_signing_beside_people_is_no_author() -> None:
    # A NOAA stock assessment (stored): "Groundfish Analysis Team" under the two authors.
    got = unseen("sab2021_blackgill-rockfish-2017.pdf")
    assert got.authors == ["John C. Field", "Xi He"]
    assert got.year == 2018


def test_a_pdf_title_the_page_never_prints_loses_to_the_printed_one() -> None:
    """Thoma 2016 (fresh3-tuned): the PDF says "Art in Machine Learning", a draft's title; the
    page prints "Creativity in Machine Learning" in a type only a little larger than the body's
    (so the page's title is not believed for its size alone)."""

    def title(info_title: str, page: str) -> str:
        header = Header(title="Creativity in Machine Learning", title_ratio=1.2)
        info = {"title": info_title, "years": []}
        done = _described(
            Extraction(pages=[page], title="", warnings=[]), header, "", Venue(), info, "x.pdf"
        )
        return done.title

    page = "Creativity in Machine Learning\nMartin Thoma\nAbstract—Recent machine learning ..."
    assert title("Art in Machine Learning", page) == "Creativity in Machine Learning"
    # A PDF title the page prints (here broken over two lines with a hyphen) is believed:
    # the page's largest line may be a journal's banner.
    page = "Creativity in Machine\nLearning of Re-\ncognition\nMartin Thoma"
    assert title("Creativity in Machine Learning of Recognition", page) == (
        "Creativity in Machine Learning of Recognition"
    )


def test_small_capitals_drawn_as_two_sizes_are_one_line_of_one_size() -> None:
    # Taillard 1989 (fresh3-tuned): a Word document's small capitals are a large capital and
    # smaller ones; "FOR" has no large capital, so the title read as three sizes.
    runs = [
        Run("1\n", 10.0, 300.0, 789.0),
        Run("B", 18.0, 200.0, 749.0),
        Run("ENCHMARKS\n", 14.5, 212.0, 749.0),
        Run("FOR\n", 14.5, 280.0, 729.0),
        Run("B", 18.0, 150.0, 708.0),
        Run("ASIC ", 14.5, 162.0, 708.0),
        Run("S", 18.0, 210.0, 708.0),
        Run("CHEDULING ", 14.5, 222.0, 708.0),
        Run("P", 18.0, 320.0, 708.0),
        Run("ROBLEMS\n", 14.5, 332.0, 708.0),
        Run("E. T", 14.0, 250.0, 671.0),
        Run("AILLARD\n", 11.0, 280.0, 671.0),
        Run("ORWP89/21 Dec. 1989\n", 12.0, 240.0, 651.0),
        Run("Abstract\n", 14.0, 72.0, 616.0),
    ]
    runs += [Run("In this paper, we propose 260 problems.\n", 10.0, 72.0, 596.0 - 14 * i)
             for i in range(8)]  # fmt: skip
    assert fallback_title(runs) == "BENCHMARKS FOR BASIC SCHEDULING PROBLEMS"
    assert header_of_runs(runs).authors == ["E. Taillard"]


def test_a_name_in_capitals_does_not_run_on_into_the_affiliation() -> None:
    # Opto-Electronics Review 2015 (fresh3-tuned): "Laser" opens the group's name.
    assert byline(
        "D. STACHOWIAK*, P. KACZMAREK, and K.M. ABRAMSKI",
        "Laser and Fibre Electronics Group, Wrocław University of Technology",
    ) == ["D. Stachowiak", "P. Kaczmarek", "K.M. Abramski"]
    # A name in mixed case broken over two lines still runs on.
    assert (
        byline(
            "Anna Petrova, James Whitfield, Benjamin Charles",
            "Germain, Department of Zoology, University of Oxford",
        )[-1]
        == "Benjamin Charles Germain"
    )


def test_a_first_page_naming_its_permalink_is_no_cover() -> None:
    # A Manubot manuscript (stored, CC BY): "This manuscript (permalink) was automatically
    # generated ..." reads as a cover's mark, but the page sets its title and authors itself;
    # the page behind goes on with a section, "Evidence sythesis", and no authors of its own.
    got = unseen("esmanubot_manuscript.pdf")
    assert got.title == "An Ecosystem of Open Source Tools for Evidence Synthesis in R"
    assert families(got.authors) == ["Haddaway", "Grainger"]
    assert got.year == 2022


def test_a_supplement_s_label_under_its_title_is_neither_title_nor_name() -> None:
    # allelematch's supplement (fresh3-tuned): the label in the title's own type and size.
    runs = [
        Run("The allelematch package for R:\n", 17.2, 150.0, 628.0),
        Run("A detailed introduction and tutorial\n", 17.2, 140.0, 607.0),
        Run("SUPPLEMENTARY DOCUMENTATION\n", 17.2, 160.0, 585.0),
        Run("P. Galpern, M. Manseau, P. Hettinga, K. Smith, and P. Wilson\n", 12.0, 120.0, 554.0),
        Run("Natural Resources Institute, University of Manitoba\n", 12.0, 150.0, 529.0),
        Run("Contents\n", 14.3, 72.0, 436.0),
    ]
    runs += [Run("1 Introduction and the matching of genotypes 2\n", 10.9, 72.0, 411.0 - 14 * i)
             for i in range(10)]  # fmt: skip
    header = header_of_runs(runs)
    assert header.title == "The allelematch package for R: A detailed introduction and tutorial"
    assert families(header.authors) == ["Galpern", "Manseau", "Hettinga", "Smith", "Wilson"]
