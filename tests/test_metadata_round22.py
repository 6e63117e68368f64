"""Rules of the twenty-second round of issue 24, written from the seen sets' first pages
before fresh19 and fresh20 were read: both halves of those sets measure this round unseen
(benchmarks/metadata_bench)."""

from __future__ import annotations

from indexer.describe.header import read_venue
from tests.header_pages import header_of_runs, page_of


def test_a_covers_subtitle_may_be_set_as_small_as_its_other_lines() -> None:
    # A French mémoire's cover: every line but the title in one 10 pt type, the subtitle too.
    runs = page_of(
        (10.0, 736.7, "Université Paris IX Dauphine"),
        (12.0, 722.7, "Crédit Agricole S.A"),
        (20.7, 511.4, "Ensembles d\u2019arbres"),
        (10.0, 481.6, "Théorie et application au scoring"),
        (10.0, 371.6, "Étudiant:"),
        (10.0, 359.7, "Guillaume Ausset"),
        (10.0, 321.3, "Professeur:"),
        (10.0, 309.4, "Prof. B. Bouchard"),
        (10.0, 122.4, "Année 2014-2015"),
    )
    header = header_of_runs(runs)
    assert header.title == "Ensembles d\u2019arbres: Théorie et application au scoring"
    assert header.authors == ["Guillaume Ausset"]


def test_a_body_named_under_a_covers_title_is_no_subtitle() -> None:
    # A Brazilian agency's report: its centre's name under the title, then the date.
    runs = page_of(
        (20.7, 632.0, "Relatório de rotas e áreas de concentração"),
        (20.7, 607.1, "de aves migratórias no Brasil"),
        (14.3, 556.4, "Centro Nacional de Pesquisa e Conservação de Aves Silvestres - CEMAVE"),
        (14.3, 522.1, "2021-08-04"),
    )
    assert header_of_runs(runs).title == (
        "Relatório de rotas e áreas de concentração de aves migratórias no Brasil"
    )


def test_a_publishers_summary_under_the_title_on_a_cover_is_no_subtitle() -> None:
    # AIP's download cover: the title, a two-line summary in the body's type, the names.
    runs = page_of(
        (12.0, 815.3, "CrossMark"),
        (18.0, 774.3, "Engineering Maxwell\u2019s demon"),
        (
            12.0,
            750.3,
            "A simple model illustrates the operating principles of an information engine, a"
            " mechanical device",
        ),
        (12.0, 732.3, "that mimics the behavior of Maxwell\u2019s demon by converting heat into"),
        (10.5, 711.3, "Zhiyue Lu; Dibyendu Mandal; Christopher Jarzynski"),
        (9.0, 666.3, "Physics Today 67 (8), 60\u201361 (2014);"),
    )
    assert header_of_runs(runs).title == "Engineering Maxwell\u2019s demon"


def test_a_nordic_journals_volume_pages_and_year_beat_its_copyright_line() -> None:
    # Ecography (2019): "© 2018 The Authors" over the venue line of volume, pages and year.
    page = "\n".join(
        [
            "www.ecography.org",
            "ECOGRAPHY",
            "Ecography",
            "621",
            "\u00a9 2018 The Authors. This is an Online Open article",
            "Subject Editor: Paulo Guimaraes Jr",
            "Accepted 3 September 2018",
            "42: 621\u2013631, 2019",
            "The mismatch in distributions of vertebrates and the plants",
        ]
    )
    assert read_venue(page).year == 2019


def test_a_physics_citation_line_on_a_download_cover_dates_the_paper() -> None:
    # AIP's cover, downloaded in 2024: the citation line gives the year in brackets.
    page = "\n".join(
        [
            "View",
            "Online",
            "Engineering Maxwell\u2019s demon",
            "Zhiyue Lu; Dibyendu Mandal; Christopher Jarzynski",
            "Physics Today 67 (8), 60\u201361 (2014);",
            "https://doi.org/10.1063/PT.3.2490",
            " 29 February 2024 17:27:40",
        ]
    )
    venue = read_venue(page)
    assert (venue.year, venue.container, venue.volume) == (2014, "Physics Today", "67")


def test_a_reference_in_a_physics_journals_style_is_no_venue_line() -> None:
    # Biomedical Optics Express (2012): references at the foot of the first page.
    page = "\n".join(
        [
            "Tympanic membrane contour measurement with two source positions",
            "9. T. Kreis, \u201cDigital holographic interference-phase measurement,\u201d",
            "J. Opt. Soc.",
            "Am. A 3(6), 847\u2013855 (1986).",
            "(C) 2012 OSA",
        ]
    )
    assert read_venue(page).year == 2012


def test_an_acm_papers_event_line_beats_its_templates_copyright_year() -> None:
    page = "\n".join(
        [
            "A New Approach for Publishing Workflows",
            "Permission to make digital or hard copies of all or part of this work for",
            "WORKS\u201911, November 12-18, 2011, Seattle, WA, USA.",
            "Copyright 2010 ACM 1-58113-000-0/00/0010\u2026$10.00.",
        ]
    )
    assert read_venue(page).year == 2011


def test_a_degree_statement_ending_in_a_year_dates_the_thesis() -> None:
    page = "\n".join(
        [
            "Doctoral Dissertation",
            "A genomic view on the adaptation and diversification of natural populations",
            "SANTIAGO MONTERO-MENDIETA",
            "Programa de Doctorado en Biología Integrada",
            "A dissertation submitted in fulfillment of the requirements for the",
            "degree of Doctor of Philosophy at University of Seville, 2019",
        ]
    )
    assert read_venue(page).year == 2019
