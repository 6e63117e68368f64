"""Rules of the twenty-third round of issue 24, written from fresh19-tuned's and fresh20-tuned's
first pages (ecology manuscripts and theses; theses and reports in Polish, Portuguese, Spanish,
Italian and other languages) after both halves of those sets had been measured unseen.
fresh19-held-out and fresh20-held-out are never used here: they measure the round
(benchmarks/metadata_bench)."""

from __future__ import annotations

from indexer.describe.header import fallback_title
from tests.header_pages import header_of_runs, page_of


def test_a_universitys_name_under_the_title_in_its_type_ends_the_title() -> None:
    # A Swedish master's thesis: title and university in one type, the author smaller.
    runs = page_of(
        (17.2, 511.6, "Estimation of Site-Specific Biomass and Leaf Area"),
        (17.2, 489.6, "Index in a Young Scots pine Stand in Southern"),
        (17.2, 467.7, "Sweden"),
        (17.2, 445.8, "Swedish University of Agricultural Sciences"),
        (12.0, 399.1, "Olamide Michael Adu"),
        (12.0, 368.8, "2 June 2023"),
    )
    assert fallback_title(runs) == (
        "Estimation of Site-Specific Biomass and Leaf Area Index in a Young Scots pine Stand in"
        " Southern Sweden"
    )


def test_a_banner_opening_with_an_institutes_name_is_no_title() -> None:
    # A Brazilian federal institute's cover: its long name, the course, then the title.
    runs = page_of(
        (16.0, 719.2, "INSTITUTO FEDERAL DE EDUCAÇÃO, CIÊNCIA E"),
        (16.0, 691.6, "TECNOLOGIA DE SÃO PAULO - CAMPUS BIRIGUI"),
        (13.0, 619.0, "Curso de Bacharelado em Engenharia da Computação"),
        (16.0, 391.5, "ANÁLISE DAS CURVAS DE TENSÃO-DEFORMAÇÃO DO"),
        (16.0, 363.9, "PLA IMPRESSO EM 3D UTILIZANDO O MODELO"),
        (16.0, 336.3, "MATEMÁTICO DE RAMBERG-OSGOOD"),
        (12.0, 197.3, "Lourenço Henrique Neves Pereira"),
    )
    assert fallback_title(runs) == (
        "ANÁLISE DAS CURVAS DE TENSÃO-DEFORMAÇÃO DO PLA IMPRESSO EM 3D UTILIZANDO O MODELO"
        " MATEMÁTICO DE RAMBERG-OSGOOD"
    )


def test_a_table_of_contents_heading_set_larger_is_no_title() -> None:
    # A Polish thesis: title, author and date, then "Spis treści" in a larger type.
    runs = page_of(
        (15.9, 710.3, "Wycena przedsiębiorstwa na przykładzie spółki CD"),
        (15.9, 685.3, "PROJEKT z uwzględnieniem różnych metod wyceny"),
        (14.3, 649.5, "Michał Dyrek"),
        (14.3, 621.4, "19.02.2025"),
        (17.2, 562.4, "Spis treści"),
        (12.0, 532.1, "1 Wstęp 2"),
        (12.0, 514.2, "1.1 Wprowadzenie . . . . . . . . . . . . . . . . . . . 2"),
        (12.0, 496.3, "1.2 Cel pracy . . . . . . . . . . . . . . . . . . . . . 2"),
    )
    assert header_of_runs(runs).title == (
        "Wycena przedsiębiorstwa na przykładzie spółki CD PROJEKT z uwzględnieniem różnych metod"
        " wyceny"
    )


def test_a_course_reports_project_label_gives_its_title() -> None:
    # An Italian course report's cover, all in one type: university, faculty, course, project.
    runs = page_of(
        (24.0, 537.1, "Università degli studi della Calabria"),
        (24.0, 499.9, "Facoltà di Ingegneria"),
        (24.0, 462.6, "Relazione per il corso di"),
        (24.0, 425.3, "Controllo Ottimo"),
        (24.0, 350.6, "Progetto: \u201cControllo dell\u2019altezza di una"),
        (24.0, 321.4, "mongolfiera\u201d"),
        (18.0, 199.2, "Docente Studente"),
    )
    assert fallback_title(runs) == "Controllo dell\u2019altezza di una mongolfiera"
