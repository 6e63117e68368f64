"""Rules of the eleventh round of issue 24, each on a first page of the seen set fresh7-tuned that
showed the need, written here as pypdf reads it (most pages' licences keep them out of the
repository; PREE's manuscript is stored). fresh7-held-out is never used here: it measures the
round (benchmarks/metadata_bench)."""

from __future__ import annotations

from pathlib import Path

from indexer.describe.header import Run, fallback_title, fix_accents, mend_broken_words
from indexer.ingest.extract import extract_pdf
from tests.header_pages import byline, families, header_of_runs, unseen

from pdf_factory import make_pdf


def test_tex_accents_kerned_after_a_space_or_named_by_glyph_are_put_on_their_letters() -> None:
    # J. Fish Biol. (2009): "A. Šimková" comes out of pypdf with the acute after a space.
    got = byline(
        "T. Poisot*\u2020,A. \u02c7Simkov \u00b4a\u2021,P.Hyr\u02c7sl\u00a7 and S. Morand*"
    )
    assert got == ["T. Poisot", "A. Šimková", "P. Hyršl", "S. Morand"]
    # A French "à" standing alone keeps its space.
    assert fix_accents("Universit\u00b4e du Qu\u00b4ebec `a Rimouski") == (
        "Université du Québec à Rimouski"
    )
    # Fungal Ecology (Elsevier, 2018): the accents are runs of their own named "/C18", "/C19".
    runs = [
        Run("Diversity of foliar endophytic ascomycetes in the endemic Corsican\n", 13.4, 72, 605),
        Run("pine forests\n", 13.4, 72, 588),
        Run("Adrien Taudi", 10.6, 72, 565),
        Run("/C18", 10.6, 120, 565),
        Run("ere a, b, Jean-Michel Bellanger a, Aar", 10.6, 126, 565),
        Run("/C19", 10.6, 300, 565),
        Run("on Lecanda e\n", 10.6, 306, 565),
        Run("a UMR 5175 CEFE, CNRS, Universit\u00b4e de Montpellier, France\n", 6.4, 72, 524),
        Run("Abstract\n", 9.0, 72, 420),
        Run("Fungal endophytes live in the leaves of every plant studied so far.\n", 9.0, 72, 400),
        Run(
            "Their diversity in endemic pine forests of Corsica was surveyed here.\n", 9.0, 72, 388
        ),
    ]
    header = header_of_runs(runs)
    assert (
        header.title
        == "Diversity of foliar endophytic ascomycetes in the endemic Corsican pine forests"
    )
    assert header.authors == ["Adrien Taudière", "Jean-Michel Bellanger", "Aarón Lecanda"]


def test_public_bodies_affiliation_headings_and_key_points_are_no_names() -> None:
    # Two names side by side, each over its employer; an AGU manuscript's "Key Points:".
    assert byline(
        "Joseph Stachelek", "South Florida Water Management District", "Christopher J. Madden"
    ) == ["Joseph Stachelek", "Christopher J. Madden"]
    assert (
        byline(
            "F. Débarre, E. Lecoeur, L. Guimier, M. Jauffret-Roustide, A.-S. Jannot", "Afﬁliations"
        )[-1]
        == "A.-S. Jannot"
    )
    assert "Key Points" not in byline("D. Kennedy, K. Dagon, A.W. Wood", "Key Points:")


def test_a_structured_abstract_ends_the_byline() -> None:
    # Annals of Internal Medicine (2004): "Data Synthesis:" is a heading, not a name.
    got = byline(
        "Dena M. Bravata, MD, MS; Kathryn M. McDonald, MM; and Douglas K. Owens, MD, MS",
        "Background: Given the threat of bioterrorism and the increasing",
        "Data Sources: Databases of peer-reviewed articles published from 1985",
        "Data Synthesis: 17 510 article citations and 8088 government",
    )
    assert families(got) == ["Bravata", "McDonald", "Owens"]


def test_a_title_may_speak_of_preprints_and_a_manuscript_label_is_no_title() -> None:
    runs = [
        Run("The case for open preprints in biology\n", 17.2, 72, 615),
        Run("Philippe Desjardins-Proulx, Ethan P. White, and Dominique Gravel\n", 12, 72, 586),
        Run("Quebec Center for Biodiversity Science, McGill University\n", 9, 72, 560),
        Run("Abstract\n", 10, 72, 500),
    ]
    header = header_of_runs(runs)
    assert header.title == "The case for open preprints in biology"
    assert families(header.authors) == ["Desjardins-Proulx", "White", "Gravel"]
    # A course's label set large over the title (its PDF title field says the same).
    runs = [
        Run("PREEMini-ProjectManuscript\n", 17.2, 72, 653),
        Run("Phylogenetic structure and assembly mechanisms in plant communities\n", 12, 72, 624),
        Run("Maria de la Paz Mane-Duarte\n", 12, 72, 556),
        Run("Abstract\n", 12, 72, 448),
        Run("Plant communities found in stressful environments are studied here.\n", 10, 72, 420),
        Run("Plant communities found in stressful environments are studied here.\n", 10, 72, 400),
    ]
    assert header_of_runs(runs).title.startswith("Phylogenetic structure")


def test_the_stored_pree_manuscript_gets_its_own_title() -> None:
    got = unseen("pree_manuscript.pdf")
    assert got.title.startswith("Phylogenetic structure and assembly mechanisms in plant")
    assert families(got.authors) == ["Mane-Duarte"]


def test_a_title_label_and_a_word_broken_at_the_line_end(tmp_path: Path) -> None:
    pdf = make_pdf(
        tmp_path / "neutral.pdf",
        [
            "Title: Using neutral theory to reveal the contribution of meta-community pro-\n"
            "cesses to assembly in complex landscapes\n\n"
            "Authors: Dominique Gravel, Timothee Poisot, Philippe Desjardins-Proulx\n\n"
            "Community assembly processes shape the diversity of landscapes.",
        ],
    )
    got = extract_pdf(pdf)
    assert got.title == (
        "Using neutral theory to reveal the contribution of meta-community processes to "
        "assembly in complex landscapes"
    )
    # A compound written with its hyphen elsewhere keeps it; a word never written whole too.
    assert mend_broken_words("long-term data", "we kept long-\nterm and long-term data") == (
        "long-term data"
    )
    assert mend_broken_words("plan-etary scale", "at the plan-\netary scale") == (
        "plan-etary scale"
    )


def test_a_doctoral_thesis_cover_in_one_type_gives_its_title() -> None:
    runs = [
        Run("DOCTORAL THESIS\n", 18, 200, 504),
        Run("2023\n", 18, 260, 483),
        Run("EXPLORING ECOLOGICAL AND SOCIAL \n", 18, 120, 420),
        Run("INTERACTIONS THROUGH THE LENS OF \n", 18, 120, 399),
        Run("COMPLEX SYSTEMS\n", 18, 200, 378),
        Run("Violeta Calleja Solanas\n", 18, 180, 117),
    ]
    assert fallback_title(runs) == (
        "EXPLORING ECOLOGICAL AND SOCIAL INTERACTIONS THROUGH THE LENS OF COMPLEX SYSTEMS"
    )
