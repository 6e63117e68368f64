"""Rules of the sixth round of issue 24, each on the layout of a first page of a seen set
(fresh-tuned, new-held-out, round3-held-out) that showed the need, its lines written here as
text runs as pypdf reads them (most of those pages' licences keep them out of the repository).
The 'fresh-held-out' set is never used here: it measures the round (benchmarks/metadata_bench).
"""

from __future__ import annotations

from indexer.describe.header import (
    Header,
    Run,
    Venue,
    _rejoin_out_of_order,
    _unglue_letter,
    agency_banner,
    date_line_year,
    fallback_title,
    lines_of,
    read_venue,
)
from indexer.describe.metadata import copyright_year
from indexer.ingest.extract import Extraction, _described
from tests.header_pages import byline, families, header_of_runs


def _runs(*lines: tuple[float, float, str]) -> list[Run]:
    """Runs of a page, one line each: (size, baseline, text)."""
    return [Run(text + "\n", size, 72.0, y) for size, y, text in lines]


def _paper(*lines: tuple[float, float, str]) -> list[Run]:
    """Runs of a paper's first page: ``lines``, then its body text in 9 pt further down."""
    body = [
        (9.0, 300.0 - 11 * i, "Body text of the paper runs on in its own type.") for i in range(20)
    ]
    return _runs(*lines, *body)


# Titles


def test_a_thesis_cover_in_one_type_gives_its_first_block() -> None:
    # agarwal_thesis (Johns Hopkins, 2018): the title in capitals, a gap, then "A THESIS
    # SUBMITTED TO ..." in the same type, over 40 words in all; the file name was the title.
    runs = _runs(
        (12.0, 572.0, "STATE-OF-THE-ART METHODS FOR IMPROVING LOW-RESOURCE"),
        (12.0, 553.8, "NEURAL MACHINE TRANSLATION"),
        (12.0, 405.2, "A THESIS"),
        (12.0, 387.1, "SUBMITTED TO THE DEPARTMENT OF COMPUTER SCIENCE"),
        (12.0, 368.9, "AND THE COMMITTEE ON GRADUATE STUDIES"),
        (12.0, 350.8, "OF THE JOHNS HOPKINS UNIVERSITY"),
        (12.0, 332.7, "IN PARTIAL FULFILLMENT OF THE REQUIREMENTS"),
        (12.0, 314.5, "FOR THE DEGREE OF"),
        (12.0, 296.4, "MASTER OF SCIENCE"),
        (10.0, 150.3, "Tanay Agarwal"),
        (10.0, 134.8, "December 2018"),
    )
    assert fallback_title(runs) == (
        "STATE-OF-THE-ART METHODS FOR IMPROVING LOW-RESOURCE NEURAL MACHINE TRANSLATION"
    )
    # The statement right under the title, with no gap, still ends it.
    runs = _runs(
        (12.0, 572.0, "SNOW LEOPARDS OF THE ALTAI MOUNTAINS AND THE PEOPLE"),
        (12.0, 553.8, "WHO HERD UNDER THEM"),
        (12.0, 535.6, "A DISSERTATION PRESENTED TO THE FACULTY OF THE GRADUATE SCHOOL"),
        (12.0, 517.4, "OF THE UNIVERSITY OF MONTANA IN PARTIAL FULFILLMENT OF THE"),
        (12.0, 499.2, "REQUIREMENTS FOR THE DEGREE OF DOCTOR OF PHILOSOPHY"),
    )
    assert fallback_title(runs) == (
        "SNOW LEOPARDS OF THE ALTAI MOUNTAINS AND THE PEOPLE WHO HERD UNDER THEM"
    )


def test_a_report_under_an_agency_banner_in_one_type() -> None:
    # pdftotree's report9 (USGS Open-File Report 95-530): every line at 18 pt.
    runs = _runs(
        (18.0, 882.2, "U.S. DEPARTMENT OF THE INTERIOR"),
        (18.0, 844.8, "U.S. GEOLOGICAL SURVEY"),
        (18.0, 751.0, "Preliminary report on petroleum source potential and"),
        (18.0, 732.5, "thermal maturity of the Lospe Formation (lower Miocene)"),
        (18.0, 713.6, "near Point Sal, onshore Santa Maria basin, California"),
        (18.0, 657.6, "by"),
        (18.0, 588.8, "Richard G. Stanley1, Mark J. Pawlewicz2, David R. York3,"),
        (18.0, 568.6, "Samuel Y. Johnson2, and Zenon C. Valin1"),
        (18.0, 456.6, "Open-File Report 95-530"),
        (18.0, 343.4, "This report is preliminary and has not been reviewed for conformity with"),
        (18.0, 324.2, "U.S. Geological Survey editorial standards or with the North American"),
        (18.0, 133.4, "1995"),
    )
    assert fallback_title(runs).startswith("Preliminary report on petroleum source potential")
    assert fallback_title(runs).endswith("onshore Santa Maria basin, California")
    for banner in (
        "U.S. GEOLOGICAL SURVEY",
        "Open-File Report 95-530",
        "NIST Special Publication 800-223",
    ):
        assert agency_banner(banner), banner
    assert not agency_banner("Snow leopard conservation in the Altai")


def test_a_one_font_page_of_prose_still_has_no_title() -> None:
    prose = [
        "The losses of dissolved calcium and sodium have been determined for six small",
        "watersheds in New Hampshire during the period of the study, and from the rate",
        "at which they were lost the weathering rate is calculated per hectare per year",
        "under podzol weathering conditions and with the retention of the clays in the",
        "soil which is the subject of the discussion in the sections that follow here",
    ]
    runs = _runs(*[(10.0, 700.0 - 12 * i, text) for i, text in enumerate(prose)])
    assert fallback_title(runs) == ""


def test_a_subtitle_set_smaller_under_the_title_joins_it_with_a_colon() -> None:
    # lungu_thesis (Copenhagen, 2017) and NIST SP 800-223: the subtitle in a type between the
    # title's and the body's, on lines of its own.
    runs = _runs(
        (24.8, 554.5, "Smartfun Academy"),
        (17.2, 518.4, "Building A Hollistic STEM Learning"),
        (17.2, 496.5, "Application for Kids"),
        (14.3, 464.4, "Bachelor Thesis"),
        (14.3, 403.9, "Ada Lungu"),
        (14.3, 380.3, "13 February 2017"),
        (14.3, 291.5, "Supervisor: Constantin Alexandru Gheorghiasa"),
        (14.3, 231.1, "Professional Bachelor in Web Development"),
    )
    assert header_of_runs(runs).title == (
        "Smartfun Academy: Building A Hollistic STEM Learning Application for Kids"
    )
    runs = _runs(
        (28.0, 624.5, "High-Performance Computing Security"),
        (18.0, 593.9, "Architecture, Threat Analysis, and Security Posture"),
        (14.0, 555.7, "Yang Guo"),
        (14.0, 538.6, "Ramaswamy Chandramouli"),
        (12.0, 298.3, "This publication is available free of charge from the institute"),
        (12.0, 283.7, "and from its library, with the other publications of the series"),
    )
    header = header_of_runs(runs)
    assert header.title == (
        "High-Performance Computing Security: Architecture, Threat Analysis, and Security Posture"
    )
    assert families(header.authors) == ["Guo", "Chandramouli"]


def test_names_a_date_or_a_kind_of_work_under_the_title_are_no_subtitle() -> None:
    # A bioRxiv preprint (pqa_10.1101_2023.08.22.554289): the byline set larger than the body,
    # its last name broken over the next line.
    runs = _runs(
        (14.0, 707.0, "Design of Cytotoxic T Cell Epitopes by Machine Learning of Human Degrons"),
        (12.1, 686.2, "Nicholas L. Truex,1,2 Somesh Mohapatra,3,4 Mariane Melo,5,6 Wuhbet"),
        (12.1, 672.5, "Abraham,5 Deborah Sementa,1 Faycal Touti,1"),
        *[(10.0, 600.0 - 12 * i, "Body text of the preprint goes on here.") for i in range(20)],
    )
    assert header_of_runs(runs).title == (
        "Design of Cytotoxic T Cell Epitopes by Machine Learning of Human Degrons"
    )
    for under in (
        "December 2009",
        "Master Thesis",
        "Department of Geology",
        # olmocr's NETS paper: the conference's name and year under the title.
        "Nuclear and Emerging Technology for Space (NETS) 2015",
        # pdfact's Libertas Academica paper: the author's name in small capitals.
        "A.J. Russo",
        # Cell's first page: the graphical abstract's heading.
        "Graphical Abstract",
        # refx_1805.05865: a magazine's standfirst, a question.
        "Does the collision of black hole singularities imprint a quantum signature?",
    ):
        runs = _runs(
            (24.0, 700.0, "Leopards of the Far East"),
            (16.0, 670.0, under),
            *[(10.0, 600.0 - 12 * i, "Body text of the thesis goes on here.") for i in range(20)],
        )
        assert header_of_runs(runs).title == "Leopards of the Far East", under


def test_a_subtitle_in_the_titles_own_type_opens_with_a_capitalised_article() -> None:
    # rare_paper: "RARE: Robustness Assessment and Regularized Enhancement" / "A Study in ...".
    runs = _runs(
        (15.9, 707.1, "RARE: Robustness Assessment and Regularized Enhancement"),
        (15.9, 687.1, "A Study in Function Estimation and Symbolic Regression"),
        (11.0, 655.8, "Masoud Ebrahimi, Qamar Alfalouji"),
        (9.0, 586.5, "Abstract— Robustness against noise and input perturbations"),
        *[
            (9.0, 570.0 - 10 * i, "is a crucial requirement for trustworthy learning.")
            for i in range(9)
        ],
    )
    assert header_of_runs(runs).title == (
        "RARE: Robustness Assessment and Regularized Enhancement: "
        "A Study in Function Estimation and Symbolic Regression"
    )
    # After a word that leaves the phrase open, or in capitals, the line goes on the title.
    for above, below, joined in (
        ("Tigers and Leopards in", "The Far East of Russia", " "),
        ("TIGERS AND LEOPARDS OF RUSSIA", "THE FAR EAST", " "),
    ):
        runs = _paper(
            (16.0, 700.0, above),
            (16.0, 680.0, below),
            (10.0, 650.0, "Anna Petrova, James Whitfield"),
            (10.0, 600.0, "Abstract"),
        )
        assert header_of_runs(runs).title == above + joined + below


def test_title_lines_drawn_out_of_order_and_a_title_running_on() -> None:
    # F1000Research 3:190: the roman words of a line drawn first, the species' names in italics
    # after them, further left; the version note closing the title.
    runs = [
        Run("RESEARCH NOTE\n", 9.0, 57.6, 708.1),
        Run("Longevity of Atlantic Sharpnose Sharks ", 16.0, 57.6, 665.4),
        Run("Rhizoprionodon\n", 16.0, 366.1, 665.4),
        Run(" and Blacknose Sharks ", 16.0, 149.8, 640.5),
        Run(" in", 16.0, 516.2, 640.5),
        Run("terraenovae", 16.0, 57.6, 640.5),
        Run(" Carcharhinus acronotus\n", 16.0, 330.1, 640.5),
        Run("the western North Atlantic Ocean based on tag-recapture data\n", 16.0, 57.6, 615.6),
        Run("and direct age estimates", 16.0, 57.6, 590.6),
        Run(" [v2; ref status: indexed, http://f1000r.es/4fj]\n", 16.0, 248.8, 590.6),
        Run("Alastair Harry, Marcus Drymon\n", 10.0, 57.6, 560.0),
        Run("Abstract\n", 10.0, 57.6, 500.0),
        *[
            Run("Body text of the note goes on here.\n", 10.0, 57.6, 480.0 - 12 * i)
            for i in range(20)
        ],
    ]
    assert header_of_runs(runs).title == (
        "Longevity of Atlantic Sharpnose Sharks Rhizoprionodon terraenovae and Blacknose "
        "Sharks Carcharhinus acronotus in the western North Atlantic Ocean based on "
        "tag-recapture data and direct age estimates"
    )
    # A line of the title going on in lower case is no banner for its "volume" or its years
    # (Taylor & Francis's natalizumab paper, BMC's H5N1 survey).
    runs = _paper(
        (21.9, 659.0, "A longitudinal uncontrolled study of cerebral gray matter"),
        (21.9, 635.0, "volume in patients receiving natalizumab for multiple"),
        (21.9, 611.0, "sclerosis during 2007-2008"),
        (12.0, 575.0, "Fariha Khalid, Shahamat Tauhid"),
        (10.0, 540.0, "Abstract"),
    )
    assert header_of_runs(runs).title.endswith(
        "natalizumab for multiple sclerosis during 2007-2008"
    )
    # Footnote symbols after a title are no part of it (Elsevier's stars).
    runs = _paper(
        (13.4, 567.2, "Healthy Homes/Healthy Kids: A randomized trial"),
        (13.4, 550.0, "for at-risk 5\u201310 year olds\u2606\u2606\u2605"),
        (10.0, 510.0, "Nancy E. Sherwood, Rona L. Levy"),
        (10.0, 480.0, "Abstract"),
    )
    assert header_of_runs(runs).title.endswith("year olds")


def test_a_pdf_title_naming_the_translated_title_wins() -> None:
    # norma_thesis_smigaj (Marseille, 2010): the French title, then the English one smaller;
    # the PDF's title field is the English one.
    def title(info_title: str) -> str:
        header = Header(
            title="Conception et modélisation numérique de composants optiques en "
            "nanophotonique intégrée: Design and numerical modelling of integrated optical "
            "components",
            title_ratio=1.43,
        )
        got = _described(
            Extraction(pages=["text"], title="", warnings=[]),
            header,
            "",
            Venue(),
            {"title": info_title, "years": []},
            "thesis.pdf",
        )
        return got.title

    english = "Design and numerical modelling of integrated optical components"
    assert title(english) == english
    assert title("Conception et modélisation numérique").startswith("Conception et modélisation")


# Authors


def test_names_in_capitals_each_over_its_affiliation_in_the_same_small_type() -> None:
    # Geochimica et Cosmochimica Acta 32 (1968), pdftotree's 0016703768900446: the first two
    # names larger than their affiliations, the last two in the affiliations' own type.
    runs = _runs(
        (12.5, 558.5, "Rate of chemical weathering of silicate minerals in New Hampshire"),
        (9.6, 538.1, "NOYE M. JOHNSON"),
        (7.9, 527.0, "Earth Sciences Department, Dartmouth College"),
        (7.9, 517.0, "Hanover, New Hampshire"),
        (9.6, 499.4, "GENE E. LIKENS"),
        (7.9, 488.6, "Biological Sciences Department, Dartmouth College"),
        (7.9, 478.6, "Hanover, New Hampshire"),
        (7.9, 460.8, "F. H. BORMANN"),
        (7.9, 450.0, "School of Forestry, Yale University"),
        (7.9, 439.9, "New Haven, Connecticut"),
        (8.6, 422.2, "and"),
        (7.9, 403.9, "ROBERT S. PIERCE"),
        (7.9, 393.1, "Northeastern Forest Experiment Station, U.S. Forest Service, Durham"),
        (7.9, 383.0, "NEW HAMPSHIRE"),
        (7.9, 363.6, "(Received 10 October 1967; accepted in revised form 27 December, 1967)"),
        (7.9, 344.2, "Abstract-The losses of dissolved Ca, Na, Mg and K have been determined"),
    )
    assert families(header_of_runs(runs).authors) == ["Johnson", "Likens", "Bormann", "Pierce"]


# Years


def test_a_venue_line_whose_year_the_ocr_misread() -> None:
    page = (
        "Qeochimica et coSmochimica Acta. lQ68. Vol. 32, pp. 531 to 645. Pergamon Press.\n"
        "Rate of chemical weathering of silicate minerals in New Hampshire"
    )
    assert read_venue(page).year == 1968
    # Without a volume or pages, a word of letters and digits is no year.
    assert read_venue("Model lQ68 of the pump\nSome title").year is None


def test_a_hal_cover_citation_over_several_lines() -> None:
    page = (
        "AUTO-ORGANISATION DES RESEAUX SANS FIL\nNathalie Mitton\nTo cite this version:\n"
        "Nathalie Mitton. AUTO-ORGANISATION DES RESEAUX SANS FIL MULTI-SAUTS A\n"
        "GRANDE ECHELLE.. Computer Science. INSA de Lyon, 2006. French. <tel-00599147>\n"
        "HAL Id: tel-00599147\nSubmitted on 8 Jun 2011"
    )
    assert read_venue(page).year == 2006
    # Without the label's colon, a year lines below is not the citation's ("cite this article -
    # sign up in the box" / ... / "Downloaded from ... on January 21, 2013").
    page = "To cite this article - sign up in the box at the top\nDownloaded on January 21, 2013"
    assert read_venue(page).year != 2013


def test_an_mdpi_venue_line() -> None:
    venue = read_venue("Materials 2012, 5, 27-46; doi:10.3390/ma5010027\nOPEN ACCESS\nmaterials")
    assert (venue.year, venue.container, venue.volume) == (2012, "Materials", "5")


def test_a_date_alone_on_a_line_of_a_cover() -> None:
    # svg2xml_roberts (Adelaide, 2009): a thesis cover's date; the PDF was made in 2010.
    cover = (
        "Fundamental bigroupoids and\n2-covering spaces\nDavid Michael Roberts\n"
        "Thesis submitted for the degree of\nDoctor of Philosophy\nDecember 2009"
    )
    assert read_venue(cover).year == 2009
    assert date_line_year("Open-File Report 95-530\nThis report is preliminary.\n1995") == 1995
    assert date_line_year("Title\nMoscow 2015") == 2015
    # A date of receipt under its label is not when the paper appeared.
    assert date_line_year("Title\nReceived:\n13 November 2003\nAbstract") is None
    assert date_line_year("Title\nThe year 2003 was dry.") is None


def test_a_cover_without_a_year_is_dated_by_the_copyright_behind_it() -> None:
    # docling's IBM Redpaper: the front cover prints no year, the page behind it
    # "\u00a9 Copyright IBM Corp. 2014."; the PDF was made in 2024.
    got = _described(
        Extraction(
            pages=[
                "Front cover Row and Column Access Control Support in IBM DB2 for i",
                "\u00a9 Copyright IBM Corp. 2014. All rights reserved. iii Contents",
            ],
            title="",
            warnings=[],
        ),
        Header(),
        "",
        Venue(),
        {"years": [2024]},
        "redp5110.pdf",
    )
    assert (got.year, got.sources["year"]) == (2014, "first-page")
    assert copyright_year("Copyright \u00a9 2016 The Author(s). Published by") == 2016
    assert copyright_year("no such line, 2016") is None


def test_a_vancouver_citation_carrying_the_doi_anywhere_on_the_page() -> None:
    # Tobacco Control (olmocr's multi_column_miss): the paper's citation line in the middle of
    # the page's text; a reference above it, without its DOI, gives the same form.
    page = "\n".join(
        [
            "Tobacco industry and corporate social responsibility",
            *[f"Body line {i} of the first page." for i in range(20)],
            "or hype? Tobacco Control 2003;12:447\u201353.",
            *[f"Body line {i} of the first page." for i in range(20, 30)],
            "Tobacco Control 2004;13:447\u2013453. doi: 10.1136/tc.2003.006676",
            *[f"Body line {i} of the first page." for i in range(30, 40)],
        ]
    )
    assert read_venue(page).year == 2004


def test_an_initial_without_its_full_stop_run_into_the_names() -> None:
    # BMC Bioinformatics 2009 (pdf2svg's BMCBioinfGood2009): "JosephTTennis2" stopped the byline.
    got = byline("Benjamin M Good*1, JosephTTennis2 and Mark D Wilkinson1")
    assert families(got) == ["Good", "Tennis", "Wilkinson"]


def test_a_family_name_ending_in_a_letter_is_kept_without_affiliation_lines_of_it() -> None:
    # pdffigures2's KnowItAll paper: "soderlan@cs.washington.edu" is a login cut to eight
    # letters, and no affiliation line opens with "d".
    page = "Michele Banko, Stephen Soderland\nUniversity of Washington\nsoderlan@cs.washington.edu"
    assert _unglue_letter("Stephen Soderland", page) == "Stephen Soderland"
    page = "Caroline S. Harwooda\naDepartment of Microbiology\nharwood@uw.edu"
    assert _unglue_letter("Caroline S. Harwooda", page) == "Caroline S. Harwood"
    # AIP's footnote "a)Electronic mail: patrick.chaumet@fresnel.fr" (its bracket a glyph name).
    page = "Patrick C. Chaumeta/H20850\nthe local fielda/H20850Electronic mail: patrick.chaumet@"
    assert _unglue_letter("Patrick C. Chaumeta", page) == "Patrick C. Chaumet"


def test_a_journals_logo_in_lower_case_is_no_title() -> None:
    # MDPI's Marine Drugs 11 (2013): "marine drugs" at 28 pt over the title at 18 pt.
    runs = _paper(
        (12.0, 778.0, "Mar. Drugs 2013, 11, 2982-2999; doi:10.3390/md11082982"),
        (28.0, 737.3, "marine drugs"),
        (12.0, 706.7, "www.mdpi.com/journal/marinedrugs"),
        (18.0, 657.9, "The Anticancer Effect of Fucoidan in PC-3 Prostate"),
        (18.0, 637.3, "Cancer Cells"),
        (12.0, 606.9, "Hye-Jin Boo, Ji-Young Hong and Hee-Kyoung Kang"),
        (12.0, 544.1, "Department of Pharmacology, School of Medicine, Jeju National University"),
        (12.0, 520.0, "Abstract"),
    )
    header = header_of_runs(runs)
    assert header.title == "The Anticancer Effect of Fucoidan in PC-3 Prostate Cancer Cells"
    assert families(header.authors) == ["Boo", "Hong", "Kang"]


def test_words_drawn_twice_over_each_other_are_read_once() -> None:
    # BMC's provisional PDF (norma_s13054-014-0721-8): the journal's name drawn twice, 0.6 pt
    # apart (a shadow), is one line, not "Critical Care Critical Care".
    runs = [
        Run("Critical Care\n", 20.6, 34.6, 783.4),
        Run("Critical Care", 20.6, 34.0, 783.4),
        Run("Body text of the paper runs on in its own type.\n", 9.0, 34.0, 700.0),
    ]
    assert [line.text for line in _rejoin_out_of_order(lines_of(runs))] == [
        "Critical Care",
        "Body text of the paper runs on in its own type.",
    ]


def test_a_report_cover_listing_its_authors_one_a_line() -> None:
    # docling's IBM Redpaper: nine names under the title, no abstract, affiliation or e-mail.
    names = ["Jim Bainbridge", "Hernando Bedoya", "Rob Bestgen", "Mike Cain", "Dan Cruikshank"]

    def cover(count: int) -> list[str]:
        runs = _runs(
            (43.0, 676.7, "Row and Column Access Control"),
            (43.0, 633.7, "Support in IBM DB2 for i"),
            *[(12.0, 207.7 - 14 * i, name) for i, name in enumerate(names[:count])],
            (14.0, 485.9, "Implement roles and separation of duties"),
        )
        return families(header_of_runs(runs).authors)

    assert cover(5) == ["Bainbridge", "Bedoya", "Bestgen", "Cain", "Cruikshank"]
    # Three short lines of names alone are no sign of a byline (a list of contacts, a form).
    assert cover(3) == []


def test_countries_in_a_table_under_the_title_are_no_names() -> None:
    # WHO's Ebola situation report (svg2xml_roadmapsitrep22Oct2014_eng): a table of countries.
    assert byline("Guinea Liberia", "Sierra Leone", "Total Guinea") == []
    # People named as some countries are still read: those names are left out of the list.
    assert families(byline("Jordan Smith, Salvador Costa")) == ["Smith", "Costa"]
