"""Rules of the twenty-first round of issue 24, written from fresh18-tuned's first pages
(conservation and wildlife papers, Brazilian theses) after both halves of that set had been
measured unseen. fresh18-held-out is never used here: it measures the round
(benchmarks/metadata_bench)."""

from __future__ import annotations

from indexer.describe.header import Run, is_cover_page
from tests.header_pages import header_of_runs, page_of, prose


def test_a_title_line_drawn_in_two_pieces_after_a_hyphen_is_one_line() -> None:
    # Wildlife Society Bulletin (2021): "for Autocorrelation\u2010" and "Informed Home Range"
    # drawn one after the other on one baseline.
    runs = page_of(
        (8.0, 773.1, "Wildlife Society Bulletin 45(1):162-169; 2021; DOI: 10.1002/wsb.1154"),
        (19.9, 700.3, "ctmmweb: A Graphical User Interface"),
    )
    runs += [
        Run("for Autocorrelation", 19.9, 72.0, 676.4),
        Run("\u2010", 19.9, 72.0, 676.4),  # (drawn where the line starts)
        Run("Informed Home Range\n", 19.9, 244.0, 676.4),
    ]
    runs += page_of(
        (19.9, 652.5, "Estimation"),
        (8.0, 607.2, "CHRISTEN H. FLEMING, Smithsonian Conservation Biology Institute, VA, USA"),
        (10.0, 551.0, "ABSTRACT Estimating animal home ranges is a primary purpose of tracking."),
    )
    runs += prose(
        "Many widely used home range estimators assume independently sampled data.", 10, 72, 539
    )
    header = header_of_runs(runs)
    # (The typographic hyphen is written as a plain one, as every title's is.)
    assert header.title == (
        "ctmmweb: A Graphical User Interface for Autocorrelation-Informed Home Range Estimation"
    )
    assert header.authors == ["Christen H. Fleming"]


def test_a_name_broken_at_an_accent_drawn_by_itself() -> None:
    # Animal Conservation (2022): "F. Ascens", a tilde drawn alone, then "ao" drawn anew.
    runs = page_of((14.9, 696.0, "Roads as ecological traps for giant anteaters"))
    runs += [
        Run("M. J. Noonan", 10.0, 69.4, 676.7),
        Run("1", 6.6, 134.5, 681.1),
        Run(" , F. Ascens", 10.0, 153.6, 676.7),
        Run(" \u02dc", 10.0, 206.2, 677.2),
        Run("ao", 10.0, 205.1, 676.7),
        Run("2", 6.6, 216.8, 681.1),
        Run(" , D. R. Yogui", 10.0, 235.8, 676.7),
        Run("3\n", 6.6, 295.9, 681.1),
    ]
    runs += page_of(
        (
            7.5,
            660.8,
            "1 The Irving K. Barber Faculty of Science, The University of British Columbia",
        ),
        (7.5, 555.3, "Keywords"),
    )
    runs += prose("Roads are among the most widespread human structures on the planet.", 9, 72, 500)
    assert header_of_runs(runs).authors == ["M. J. Noonan", "F. Ascensão", "D. R. Yogui"]


def test_a_brazilian_thesis_behind_its_embargo_notice() -> None:
    # UNESP (2024): the repository's notice in front, then the cover with the university's
    # logo set large, the title a point larger than the rest, the author's name under it.
    notice = (
        "RESSALVA\nAtendendo solicitação do autor,\no texto completo desta tese será\n"
        "disponibilizado somente a partir\nde 05/07/2026.\n"
    )
    assert is_cover_page(notice)
    cover = page_of(
        (12.0, 792.1, "UNIVERSIDADE ESTADUAL PAULISTA"),
        (12.0, 764.5, "INSTITUTO DE BIOCIÊNCIAS - RIO CLARO"),
        (36.0, 760.7, "unesp"),
        (12.0, 667.1, "PROGRAMA DE PÓS-GRADUAÇÃO EM ECOLOGIA, EVOLUÇÃO E BIODIVERSIDADE"),
        (13.0, 583.3, "ESTRUTURA DA PAISAGEM COMO PREDITOR DA DIVERSIDADE"),
        (13.0, 568.4, "TAXONÔMICA E FUNCIONAL DE ANFÍBIOS NA MATA ATLÂNTICA"),
        (13.0, 484.4, "MAURÍCIO HUMBERTO VANCINE"),
        (13.0, 57.6, "Rio Claro - SP"),
        (13.0, 42.6, "2024"),
    )
    assert header_of_runs(cover).authors == ["Maurício Humberto Vancine"]
