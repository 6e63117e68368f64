"""Rules of the seventeenth round of issue 24, written from fresh14-tuned's first pages (read
as pypdf reads them) after that set had been measured unseen. fresh14-held-out is never used
here: it measures the round (benchmarks/metadata_bench)."""

from __future__ import annotations

from indexer.describe.header import Run, fallback_title
from tests.header_pages import header_of_runs, page_of, prose


def test_raised_affiliation_letters_after_inverted_names_are_marks() -> None:
    # Acta Crystallographica F (2012): "Bajor, J." then "ac" raised in a smaller type.
    runs = page_of((13.7, 686.7, "The first crystal structure of a thiamin precursor-like protein"))
    pieces = [("Bajor, J.", False), ("ac", True), (", Tkaczuk, K.L.", False), ("ac", True)]
    for x, (text, raised) in enumerate([*pieces, (", Minor, W.", False), ("bc", True)]):
        runs.append(Run(text, 6.3 if raised else 9.7, 72.0 + 40 * x, 630.3 if raised else 625.4))
    runs += page_of((9.7, 601.8, "Department of Molecular Physiology, University of Virginia"))
    runs += page_of((9.7, 479.0, "Abstract"))
    runs += prose(
        "The structure of the protein presented here is the first of its kind.", 10, 72, 452
    )
    assert header_of_runs(runs).authors == ["J. Bajor", "K.L. Tkaczuk", "W. Minor"]


def test_a_title_line_ending_in_a_function_word_goes_on_and_is_no_byline() -> None:
    # Physica A (1988): a title in the body's size, broken after "WITH"; its second line in
    # capitals is no name, and the footnote mark after it is no part of the title.
    runs = page_of(
        (7.9, 629.3, "Physica A 150 (1988) 672-680"),
        (9.6, 553.2, "TWO-DIMENSIONAL ISING MODEL WITH"),
        (9.6, 540.2, "ANNEALED RANDOM FIELDS*"),
        (7.9, 514.1, "T. HORIGUCHI** and L.L. GONCALVES"),
        (7.0, 500.9, "Departamento de Fisica da Universidade Federal do Ceara, Fortaleza, Brazil"),
    )
    runs += prose(
        "We investigate the influence of annealed random fields on the phase", 7.9, 72, 420
    )
    assert header_of_runs(runs).authors == ["T. Horiguchi", "L.L. Goncalves"]
    assert fallback_title(runs) == "TWO-DIMENSIONAL ISING MODEL WITH ANNEALED RANDOM FIELDS"


def test_a_thesis_cover_s_author_is_read_without_an_abstract_and_whole() -> None:
    # Universidade Federal de Minas Gerais: the degree above the title, the author's four
    # names alone on a line under it, the place and the date far below.
    cover = page_of(
        (14.3, 588.9, "UNIVERSIDADE FEDERAL DE MINAS GERAIS"),
        (14.3, 486.5, "Pós-Graduação Lato Sensu em Ciência de Dados"),
        (17.2, 389.7, "Uma Análise Comparativa entre Inferência Frequentista e Bayesiana"),
        (14.3, 233.2, "Ana Beatriz Coelho Rodrigues"),
        (14.3, 90.8, "Belo Horizonte"),
        (14.3, 56.7, "Ago/2026"),
    )
    assert header_of_runs(cover).authors == ["Ana Beatriz Coelho Rodrigues"]
    # A paper's byline of four plain words is still two people.
    paper = page_of(
        (18.0, 700.0, "A Study of Leopards in the Far East of Russia"),
        (10.0, 670.0, "Yusuke Shinyama Satoshi Sekine"),
        (10.0, 640.0, "Abstract"),
    )
    assert header_of_runs(paper).authors == ["Yusuke Shinyama", "Satoshi Sekine"]


def test_a_master_s_tutor_and_a_phd_s_coordinator_are_no_authors() -> None:
    # Instituto BME's TFM: the tutor in a column of its own beside the authors, in their type,
    # drawn after them.
    cover = page_of(
        (17.2, 645.9, "TRABAJO FIN DE MÁSTER"),
        (24.8, 565.4, "Búsqueda Semántica en Documentos Financieros"),
        (14.3, 357.2, "Autores:"),
        (14.3, 335.0, "Antonio BERNAL,"),
        (14.3, 312.7, "Alejandro MUÑOZ,"),
        (14.3, 290.4, "Borja SOLANO"),
        (14.3, 357.2, "Tutor:"),
        (14.3, 335.0, "Fernando DE LA CALLE"),
    )
    assert header_of_runs(cover).authors == ["Antonio Bernal", "Alejandro Muñoz", "Borja Solano"]


def test_a_cover_s_imprint_under_its_title_is_no_author() -> None:
    # UFRGS (Brazil's cover standard): institution, author, title, then the place over the
    # year at the foot.
    cover = page_of(
        (12.0, 701.6, "PROGRAMA DE PÓS-GRADUAÇÃO EM CIÊNCIA POLÍTICA"),
        (11.5, 594.9, "FERNANDO MEIRELES"),
        (14.3, 356.2, "COALIZÕES GOVERNAMENTAIS SOBREDIMENSIONADAS NA"),
        (14.3, 334.6, "AMÉRICA LATINA, 1979-2012"),
        (11.5, 95.9, "PORTO ALEGRE"),
        (14.3, 74.3, "2015"),
    )
    assert "Porto Alegre" not in header_of_runs(cover).authors


def test_english_these_is_no_sign_of_a_thesis() -> None:
    # NAACL 2006: two names side by side, and "these" in the text, no French thèse.
    paper = page_of(
        (18.0, 700.0, "Preemptive Information Extraction using Unrestricted Relation Discovery"),
        (10.0, 670.0, "Yusuke Shinyama Satoshi Sekine"),
        (10.0, 640.0, "Abstract"),
        (10.0, 600.0, "these entities is retained throughout the table. There"),
    )
    assert header_of_runs(paper).authors == ["Yusuke Shinyama", "Satoshi Sekine"]


def test_a_paper_whose_abstract_names_a_thesis_or_a_master_equation_is_no_thesis_cover() -> None:
    # Journal of Chemical Physics 2007: "master equation" among the keywords under the abstract.
    paper = page_of(
        (18.0, 700.0, "Stochastic Chemical Kinetics and the Leaping Methods"),
        (10.0, 670.0, "Daniel Gillespie Linda Petzold"),
        (10.0, 640.0, "Abstract"),
        (10.0, 620.0, "We review tau-leaping for simulating stochastic reaction systems."),
        (10.0, 600.0, "tau-leaping, master equation, Langevin equation, stiff systems"),
    )
    assert header_of_runs(paper).authors == ["Daniel Gillespie", "Linda Petzold"]
