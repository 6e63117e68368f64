"""How sure the curation queue is of an extracted title, author list and year.

The values are what the extractor read from real labelled papers (seen sets) where it went
wrong, beside right ones of the same shape: staff should meet the wrong ones first.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask
from security_support import PASSWORD, USER
from staff_support import _cheap_password_hashing, login, services

from archive.accounts import AccountStore
from archive.paper import Paper
from indexer.describe.curation_queue import UNCERTAIN, curation_queue, field_confidence
from indexer.describe.evidence import evidence
from indexer.home import ArchiveHome

__all__ = ["_cheap_password_hashing"]  # a fixture, used by name


def _paper(
    title: str = "Prevention of Population Cycles by Parasite Removal",
    authors: tuple[str, ...] = ("Peter J. Hudson", "Andy P. Dobson"),
    year: int | None = 1998,
    filename: str = "paper.pdf",
    source: str = "first-page",
) -> Paper:
    return Paper(
        id="0" * 64,
        title=title,
        filename=filename,
        pages=4,
        size=1000,
        authors=list(authors),
        year=year,
        sources={"title": source, "authors": source, "year": source},
    )


@pytest.mark.parametrize(
    "title",
    [
        "tion of sea state. At MF and HF, monostatic",  # read from the middle of a line
        "dentifying Habitat Associations of Marine Fishes Using Survey Data",
        "s = 7 and 8 TeV with the ATLAS and CMS",
        "Visualização de Informação em Sistemas Científicos: Luis Gustavo Neves Prof. Dr. Asla Sá",
    ],
)
def test_a_title_cut_or_run_into_a_supervisor_is_uncertain(title: str) -> None:
    assert field_confidence(_paper(title=title))["title"] < UNCERTAIN


@pytest.mark.parametrize(
    "title",
    [
        "tealeaves: an R package for modelling leaf temperature using energy budgets",
        "Разработка и исследование алгоритма для комплексирования векторных данных",
        "ÍNDICES Y MAPAS GEORREFERENCIADOS DE SINIESTRALIDAD VIAL EN ROSARIO",
        "Marine Environmental Epigenetics",
        "Prevention of Population Cycles by Parasite Removal",
    ],
)
def test_real_titles_stay_certain(title: str) -> None:
    assert field_confidence(_paper(title=title))["title"] >= UNCERTAIN


def test_a_persons_name_for_a_title_is_less_sure_than_a_title() -> None:
    name = field_confidence(_paper(title="Christopher D. G. Harley"))["title"]
    title = field_confidence(
        _paper(title="Climate Change, Keystone Predation, and Biodiversity Loss")
    )["title"]
    assert name < title


def test_a_name_read_apart_from_its_given_names_is_uncertain() -> None:
    # A byline of eleven read as "Adrian Timpson, Thomas, John J. Borġ ...".
    read = ("Adrian Timpson", "Thomas", "John J. Borġ", "Nicholas C. Vella")
    assert field_confidence(_paper(authors=read))["authors"] < UNCERTAIN
    assert field_confidence(_paper(authors=read[:1] + read[2:]))["authors"] >= UNCERTAIN


def test_names_as_a_scans_text_misreads_them_are_uncertain() -> None:
    # A 1957 IRE paper's and a 1960 paper's bylines, as the scans' text layers have them.
    for misread in (("R. K. MOOREt", "C. S.williams"), ("B. Gifflei'", "G. L. Thompson")):
        assert field_confidence(_paper(authors=misread))["authors"] < UNCERTAIN
    read = ("R. K. Moore", "C. S. Williams", "Seán O'Brien", "D'Arcy Thompson")
    assert field_confidence(_paper(authors=read))["authors"] >= UNCERTAIN


@pytest.mark.parametrize(
    ("filename", "year", "sure"),
    [
        ("kannab98_barrick1972.pdf", 2000, False),  # the scan's date in the PDF's fields
        ("biol4253_Pulliam2000.pdf", 2019, False),
        ("gfish_Awkerman_et_al-2016-Ecological_Applications.pdf", 2015, True),  # online, print
        ("refx_1706.09498v1.pdf", 2017, True),  # an arXiv number, not a year
        ("Lundgren_and_Moeller_2017.pdf", 2017, True),
        ("paper.pdf", 2000, True),
    ],
)
def test_a_year_far_from_the_one_in_the_file_name_is_uncertain(
    filename: str, year: int, sure: bool
) -> None:
    confidence = field_confidence(_paper(filename=filename, year=year, source="pdf-info"))
    assert (confidence["year"] >= UNCERTAIN) is sure


def test_the_queue_shows_a_cut_title_and_a_misdated_scan_first(demo_home: ArchiveHome) -> None:
    papers = list(demo_home.library.papers())
    cut, misdated = papers[0], papers[1]
    cut.title, cut.sources["title"] = "tion of sea state. At MF and HF, monostatic", "first-page"
    cut.evidence = {}  # the PDF's own title field did not say so
    misdated.filename, misdated.year = "barrick1972.pdf", 2000
    misdated.sources["year"] = "pdf-info"
    for paper in (cut, misdated):
        demo_home.library.save(paper)
    queue, _ = curation_queue(demo_home.library, limit=len(papers))
    problems = {item.paper.id: item.problems for item in queue}
    assert "title uncertain" in problems[cut.id]
    assert "year uncertain" in problems[misdated.id]
    assert not any("uncertain" in problem for problem in problems.get(papers[2].id, []))


# The first page of Harley's Science report, as pypdf reads it, where the byline was taken
# from the title's words.
SCIENCE_PAGE = (
    "Climate Change, Keystone Predation,\nand Biodiversity Loss\nChristopher D. G. Harley\n"
    "Climate change may affect ecological communities through many pathways, and keystone "
    "predation can buffer biodiversity loss when the climate warms. E-mail: harley@zoology.ubc.ca"
)
# A byline whose names the page also writes in lower case, in its e-mail addresses only.
ACL_PAGE = (
    "Monolingual Machine Translation\nChris Quirk, Chris Brockett and William Dolan\n"
    "Microsoft Research\n{chrisq,chrisbkt,billdol}@microsoft.com\nchris.quirk@example.org\n"
    "We apply statistical machine translation tools to paraphrases (2003, 2004)."
)


def _evidence(page: str, **values: object) -> dict[str, float]:
    given = {
        "title": "Monolingual Machine Translation",
        "authors": ["Chris Quirk", "Chris Brockett", "William Dolan"],
        "year": None,
        "sources": {"title": "first-page", "authors": "first-page"},
        "info_title": "",
        "info_title_printed": True,
        "info_authors": [],
        **values,
    }
    return evidence(pages=[page], **given)  # type: ignore[arg-type]


def test_names_made_of_the_pages_own_words_are_no_people() -> None:
    found = _evidence(SCIENCE_PAGE, authors=["Climate Change", "Keystone Predation"])
    assert found["authors"] < 0
    paper = _paper(authors=("Climate Change", "Keystone Predation"))
    paper.evidence = found
    assert field_confidence(paper)["authors"] < UNCERTAIN


def test_names_in_e_mail_addresses_are_not_the_pages_words() -> None:
    assert "authors" not in _evidence(ACL_PAGE)


def test_the_pdfs_own_fields_agreeing_make_a_value_surer() -> None:
    found = _evidence(
        ACL_PAGE,
        info_title="Monolingual machine translation",
        info_authors=["Quirk, Chris", "Brockett, Chris", "Dolan, William"],
    )
    assert found == {"title": 0.1, "authors": 0.1}


def test_a_pdf_title_the_page_never_prints_and_a_pdf_date_it_does_not_print_are_doubted() -> None:
    found = _evidence(
        ACL_PAGE,
        title="Microsoft Word - paraphrase-final.doc",
        info_title="Microsoft Word - paraphrase-final.doc",
        info_title_printed=False,  # as the extractor found: ACL_PAGE never prints it
        year=2006,
        sources={"title": "pdf-info", "authors": "first-page", "year": "pdf-info"},
    )
    assert found["title"] < 0 and found["year"] < 0
    assert "year" not in _evidence(ACL_PAGE, year=2004, sources={"year": "pdf-info"})
    # A value a person chose owes the PDF nothing.
    paper = _paper(source="pdf-info", year=2006)
    paper.sources["year"], paper.evidence = "staff", found
    assert field_confidence(paper)["year"] == 1.0


def test_the_dashboard_and_the_edit_page_name_the_doubt_in_both_languages(
    app: Flask, demo_home: ArchiveHome
) -> None:
    paper = next(iter(demo_home.library.papers()))
    paper.title, paper.sources["title"] = "dentifying Habitat Associations", "first-page"
    paper.evidence = {}
    demo_home.library.save(paper)
    AccountStore(demo_home.root).add(USER, PASSWORD)
    client = app.test_client()
    ru = {"Accept-Language": "ru"}
    try:
        assert login(client, USER, PASSWORD).status_code == 303
        english = client.get("/staff").get_data(as_text=True)
        russian = client.get("/staff", headers=ru).get_data(as_text=True)
        edit = client.get(f"/papers/{paper.id}/edit").get_data(as_text=True)
        edit_ru = client.get(f"/papers/{paper.id}/edit", headers=ru).get_data(as_text=True)
    finally:
        services(app).uploads.stop()
        services(app).sync.stop()
    assert "title uncertain" in english
    assert "название под сомнением" in russian and "title uncertain" not in russian
    # On the edit page, under the title only (the demo paper's authors and year are sure).
    doubt = "The archive is unsure of this: check it against the PDF."
    assert edit.count(doubt) == 1
    assert edit.index('id="title-source"') < edit.index(doubt) < edit.index('id="authors-source"')
    assert "Архив в этом не уверен" in edit_ru


def test_the_bench_scores_the_queue_by_what_is_wrong_and_what_it_doubts(tmp_path: Path) -> None:
    from benchmarks.metadata_bench import Label, queue_scores

    labels = [
        Label("a.pdf", "Prevention of Population Cycles", ["Hudson"], 1998, "fresh-held-out"),
        Label("b.pdf", "Trade-offs with resistance", ["Boots"], 1992, "fresh-held-out"),
    ]
    paths = {label.file: tmp_path / label.file for label in labels}
    sure, unsure = {"title": 0.85, "authors": 0.85, "year": 0.9}, {
        "title": 0.4, "authors": 0.85, "year": 0.9,
    }  # fmt: skip
    answers = {
        str(paths["a.pdf"]): ("Prevention of Population Cycles", ["Peter Hudson"], 1998, sure),
        str(paths["b.pdf"]): ("rade-offs with resistance", ["Mike Boots"], 1992, unsure),
    }
    scores = queue_scores(labels, paths, answers)
    title, paper = scores[("unseen", "title")], scores[("unseen", "any")]
    assert (title.wrong, title.flagged, title.wrong_flagged) == (1, 1, 1)
    assert title.ranking() == 1.0 and paper.ranking() == 1.0
    assert scores[("unseen", "authors")].wrong == 0


def test_archive_curation_lists_the_doubted_papers_worst_first(demo_home: ArchiveHome) -> None:
    from click.testing import CliRunner

    from indexer.cli.main import main

    def curation(*args: str) -> str:
        result = CliRunner().invoke(main, ["--home", str(demo_home.root), "curation", *args])
        assert result.exit_code == 0, result.output
        return result.output

    assert "No paper needs a curator" in curation()
    paper = next(iter(demo_home.library.papers()))
    paper.title, paper.sources["title"] = "tion of sea state. At MF and HF", "first-page"
    paper.evidence = {}
    demo_home.library.save(paper)
    listed = curation()
    assert f"{paper.id[:12]}  tion of sea state" in listed
    assert "title uncertain" in listed and "1 of 1 papers" in listed
    answer = json.loads(curation("--json", "--limit", "5"))
    assert answer["total"] == 1
    (item,) = answer["papers"]
    assert item["id"] == paper.id and item["problems"] == ["title uncertain"]
    assert item["confidence"]["title"] < UNCERTAIN <= item["confidence"]["authors"]
    result = CliRunner().invoke(main, ["--home", str(demo_home.root), "curation", "--limit", "0"])
    assert result.exit_code == 2 and "--limit" in result.output
