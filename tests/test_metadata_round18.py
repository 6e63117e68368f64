"""Rules of the eighteenth round of issue 24, written from the seen sets' misses (Spanish
theses and reports whose authors print both family names) before fresh15 and fresh16 were
measured, so that both halves of those sets measure it unseen (benchmarks/metadata_bench)."""

from __future__ import annotations

from indexer.describe.header import Run, fallback_title
from indexer.describe.spanish_names import page_in_spanish, with_both_family_names
from tests.header_pages import families, header_of_runs, page_of, prose


def _spanish_cover(name: str) -> list:
    return page_of(
        (14.0, 760.0, "Universitat Oberta de Catalunya"),
        (14.0, 700.0, "Trabajo Fin de Máster"),
        (18.0, 600.0, "Caracterización de los subtipos de leucemia linfoblástica aguda"),
        (12.0, 500.0, name),
        (12.0, 200.0, "Máster Universitario en Bioinformática y Bioestadística"),
        (12.0, 180.0, "Fecha de entrega: junio de 2022, con el tutor del área de la universidad"),
    )


def test_a_spanish_cover_s_author_keeps_both_family_names() -> None:
    # A Spanish master's thesis (2022): given name, father's and mother's family names.
    authors = header_of_runs(_spanish_cover("Cristina Muntañola Valero")).authors
    assert authors == ["Muntañola Valero, Cristina"]
    assert families(authors) == ["Muntañola Valero"]


def test_a_second_given_name_is_no_family_name() -> None:
    # Argentine theses print two given names and one family name.
    authors = header_of_runs(_spanish_cover("Matías Nicolás Incem")).authors
    assert families(authors) == ["Incem"]
    assert with_both_family_names("Bruno Damián Aguirre del Villar") == (
        "Aguirre del Villar, Bruno Damián"
    )
    assert with_both_family_names("Ana María de la Cruz") == "Ana María de la Cruz"
    assert with_both_family_names("Juan Pablo Díaz Fernández") == "Díaz Fernández, Juan Pablo"
    assert with_both_family_names("Diego B. Ponce") == "Diego B. Ponce"
    assert with_both_family_names("Ponce, Diego Bernardo") == "Ponce, Diego Bernardo"


def test_names_on_an_english_page_are_left_as_printed() -> None:
    # bioRxiv (2024): an Iranian double family name in an English paper stays as it is read.
    runs = page_of(
        (18.0, 700.0, "Pathogenic tau accelerates aging-associated activation of transposable"),
        (10.0, 670.0, "Paulino Ramirez, Wenyan Sun, Shiva Kazempour Dehkordi, Habil Zare"),
        (10.0, 640.0, "Abstract"),
    )
    runs += prose("The spread of tau in the brain of the mouse is studied", 10, 72, 600)
    assert header_of_runs(runs).authors[2] == "Shiva Kazempour Dehkordi"


def test_the_page_s_language_is_told_by_its_short_words() -> None:
    assert page_in_spanish("Estudio de la conectividad de los anfibios en el eje y la faja con el")
    assert not page_in_spanish("Étude de la connectivité des amphibiens et les forêts sur le")
    assert not page_in_spanish("Estudo da conectividade dos anfíbios e os rios com o")
    assert not page_in_spanish("A study of the amphibians of the forest and the river")
    assert not page_in_spanish("Cristina Muntañola Valero")  # a name alone says nothing


def test_a_hyphen_drawn_by_itself_joins_the_title_s_words() -> None:
    # A Spanish master's thesis written in Word (2022): its title in one size with the page,
    # "T-ALL" drawn as "T (T", "-", "ALL) y el papel de".
    runs = [
        Run("Exploración del transcriptoma de la leucemia ", 20.0, 85.0, 225.3),
        Run("linfoblástica aguda de células T (T", 20.0, 85.1, 200.4),
        Run("-", 20.0, 360.1, 200.4),
        Run("ALL) y el papel de ", 20.0, 366.2, 200.4),
        Run("la expresión de las RBPs en el fenotipo de la ", 20.0, 85.1, 175.5),
        Run("enfermedad", 20.0, 85.1, 150.5),
        Run("Cristina Muntañola Valero", 12.0, 85.0, 112.2),
    ]
    assert fallback_title(runs) == (
        "Exploración del transcriptoma de la leucemia linfoblástica aguda de células T (T-ALL)"
        " y el papel de la expresión de las RBPs en el fenotipo de la enfermedad"
    )
    # A dash between spaced words stays between them.
    assert (
        fallback_title(
            [
                Run("Plant ", 20.0, 85, 700),
                Run("\u2013", 20.0, 130, 700),
                Run(" pollinator networks", 20.0, 140, 700),
            ]
        )
        == "Plant \u2013 pollinator networks"
    )
