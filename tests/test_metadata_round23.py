"""Rules of the twenty-third round of issue 24, written from fresh19-tuned's and fresh20-tuned's
first pages (ecology manuscripts and theses; theses and reports in Polish, Portuguese, Spanish,
Italian and other languages) after both halves of those sets had been measured unseen.
fresh19-held-out and fresh20-held-out are never used here: they measure the round
(benchmarks/metadata_bench)."""

from __future__ import annotations

from pathlib import Path

from indexer.describe.header import fallback_title
from indexer.describe.metadata import split_authors
from indexer.describe.spanish_names import with_both_family_names
from indexer.ingest.extract import extract_pdf
from tests.header_pages import header_of_runs, page_of, prose
from tests.pdf_factory import make_pdf


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


def test_a_common_spanish_family_name_before_the_last_makes_two_on_any_page() -> None:
    # A Colombian's master's dissertation in Portuguese; a Spanish student's thesis in English.
    assert with_both_family_names("Alfredo Jaramillo Palma", known_only=True) == (
        "Jaramillo Palma, Alfredo"
    )
    assert with_both_family_names("Daniel Pérez García", known_only=True) == (
        "Pérez García, Daniel"
    )
    # Family names joined by "i" (Catalan) or "y" are both family names.
    assert with_both_family_names("Ivan Briz i Godino", known_only=True) == "Briz i Godino, Ivan"
    # Names stay as printed: a Portuguese family name, a second given name, an English name.
    for name in ("Lucas Rodrigues Forti", "Juan Carlos Pérez", "Mary Ann Smith", "A. B. Smith"):
        assert with_both_family_names(name, known_only=True) == name


def test_a_spanish_authors_full_name_under_an_english_title() -> None:
    runs = page_of(
        (17.2, 700.0, "Variational quantum eigensolver for one- and many-body problems"),
        (12.0, 660.0, "Daniel Pérez García"),
    )
    runs += prose("The variational quantum eigensolver finds the ground state energy.", 10, 72, 600)
    assert header_of_runs(runs).authors == ["Pérez García, Daniel"]


def test_a_spanish_covers_kind_of_work_is_no_name() -> None:
    # A Spanish TFM's cover: "Trabajo de Fin de Máster" over the degree and the author.
    runs = page_of(
        (19.0, 576.1, "Facultad de Ciencias"),
        (20.0, 499.4, "Evaluación de las tecnologías object storage para"),
        (20.0, 473.0, "el almacenamiento y análisis de datos climáticos"),
        (14.0, 322.3, "Trabajo de Fin de Máster"),
        (14.0, 296.6, "para acceder al"),
        (17.0, 246.4, "MÁSTER EN DATA SCIENCE/CIENCIA DE DATOS"),
        (14.0, 197.9, "Autor: Ezequiel Cimadevilla Álvarez"),
        (14.0, 150.5, "Director: Dr. Antonio S. Cofiño González"),
        (14.0, 77.4, "Julio - 2019"),
    )
    assert header_of_runs(runs).authors == ["Cimadevilla Álvarez, Ezequiel"]


def test_a_forms_labels_typed_into_the_author_field_are_no_name() -> None:
    assert split_authors("Alumno: Malena Irisarri Año: 2025") == ["Malena Irisarri"]
    assert split_authors("Smith, John") == ["Smith, John"]


def test_a_templates_pdf_title_the_page_never_prints_loses_to_the_printed_one(
    tmp_path: Path,
) -> None:
    # A Hungarian thesis: the template's title "Szakdolgozati minta" left in the PDF's
    # Info, and a cover whose title, set large, is most of its text.
    pdf = make_pdf(
        tmp_path / "szakdolgozat.pdf",
        ["SZAKDOLGOZAT\nDebrecen 2024"],
        title="Szakdolgozati minta",
        heading="Modulfejlesztes QGIS kornyezetben monitoring adatok feldolgozasahoz",
    )
    got = extract_pdf(pdf, filename=pdf.name)
    assert got.title == "Modulfejlesztes QGIS kornyezetben monitoring adatok feldolgozasahoz"


def test_a_manuscript_forms_title_label_on_its_own_line_is_no_part_of_the_title() -> None:
    # A preprint in one type: "Title" over the title, then the names and affiliations.
    runs = page_of(
        (11.0, 760.8, "Title"),
        (11.0, 747.3, "Novel Bayesian analysis of presence-only data highlights distinctiveness"),
        (11.0, 733.9, "of Maltese fossil record compared to Sicily"),
    )
    runs += prose("Adrian Timpson, Alexandra A. E. van der Geer, Emily Y. Hallett", 11, 72, 707, 3)
    runs += prose("Pan-African Evolution Research Group, Max Planck Institute", 10, 72, 657, 20)
    assert fallback_title(runs) == (
        "Novel Bayesian analysis of presence-only data highlights distinctiveness of Maltese"
        " fossil record compared to Sicily"
    )
