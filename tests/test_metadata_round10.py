"""Rules of the tenth round of issue 24, each on a first page of the seen set fresh6-tuned that
showed the need, written here as pypdf reads it (the pages' licences keep them out of the
repository). fresh6-held-out is never used here: it measures the round
(benchmarks/metadata_bench)."""

from __future__ import annotations

from archive.names import family_name
from indexer.describe.header import Run
from tests.header_pages import byline, families, header_of_runs


def test_an_orcid_written_out_and_broken_over_two_lines_ends_no_byline() -> None:
    # A plant ecology manuscript: "(ORCID: ...)" after some names, one closing on the next line,
    # which then opens with digits as an affiliation's line would.
    got = byline(
        "Christopher D. Muir1 (ORCID: 0000-0003-2555-3878), Miquel Àngel Conesa2, Jeroni",
        "Galmés2 (ORCID: 0000-0002-7299-9349), Varsha S. Pathare3 (ORCID:",
        "0000-0001-6220-7531), Patricia Rivera4, Rosana López Rodríguez4, Teresa Terrazas4,",
        "Dongliang Xiong5 (ORCID: 0000-0002-6332-2627)",
        "1 School of Life Sciences, University of Hawaii at Manoa, Honolulu, HI 96822, USA",
    )
    assert families(got) == [
        "Muir", "Conesa", "Galmés", "Pathare", "Rivera", "López Rodríguez", "Terrazas", "Xiong",
    ]  # fmt: skip


def test_two_spanish_family_names_are_cited_together() -> None:
    assert family_name("Rosana López Rodríguez") == "López Rodríguez"
    assert family_name("Ana Martínez Gómez") == "Martínez Gómez"
    # One, or a given name between: the last word alone.
    assert family_name("Luis Pérez") == "Pérez"
    assert family_name("María José Sánchez") == "Sánchez"


def test_a_french_subtitle_opening_with_an_article_is_joined_with_a_colon() -> None:
    # A Montréal mémoire (2017): the title and its subtitle in one type on lines of their own.
    runs = [
        Run("Revisiter le mythe d\u2019Alice\n", 20.0, 72.0, 650.0),
        Run("Le personnage d\u2019enfant-femme chez Raymond Queneau\n", 20.0, 72.0, 626.0),
        Run("et Marie-Sissi Labrèche\n", 20.0, 72.0, 602.0),
        Run("par Émilie Drouin\n", 12.0, 72.0, 560.0),
        Run("Département des littératures de langue française\n", 12.0, 72.0, 540.0),
        Run("Mémoire présenté en vue de l\u2019obtention du grade de M.A.\n", 12.0, 72.0, 520.0),
        Run(
            "Le texte de ce mémoire porte sur le personnage de l\u2019enfant-femme.\n",
            12.0,
            72.0,
            480.0,
        ),
    ]
    assert header_of_runs(runs).title == (
        "Revisiter le mythe d\u2019Alice: Le personnage d\u2019enfant-femme chez Raymond "
        "Queneau et Marie-Sissi Labrèche"
    )
    # In the middle of a title the article is in lower case: no subtitle there.
    runs[1] = Run("le personnage d\u2019enfant-femme chez Raymond Queneau\n", 20.0, 72.0, 626.0)
    assert ":" not in header_of_runs(runs).title


def test_a_title_block_of_r_markdown_names_its_author() -> None:
    # An analysis walk-through knitted to PDF: title, the author alone on a line, the date;
    # no abstract, no affiliation, no e-mail.
    runs = [
        Run("Opportunistic attachment assembles plant-pollinator\n", 17.2, 72.0, 668.2),
        Run("networks: A walk through of the analysis\n", 17.2, 72.0, 646.3),
        Run("Lauren Ponisio\n", 12.0, 72.0, 604.8),
        Run("May 18, 2017\n", 12.0, 72.0, 575.3),
        Run(
            "We first load the networks of each site and the species' traits.\n", 10.0, 72.0, 520.0
        ),
    ]
    assert header_of_runs(runs).authors == ["Lauren Ponisio"]
    # A line of prose under a title, then a date: no name.
    runs[2] = Run("Field notes from the Amur\n", 12.0, 72.0, 604.8)
    assert header_of_runs(runs).authors == []
