"""Metadata by DOI from Crossref: the real client (urllib) against a local server that serves
recorded Crossref answers, and the failures an import must survive."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from crossref_server import (
    BUSY_DOI,
    IOP_DOI,
    IOP_PDF,
    MAILTO,
    MALFORMED_DOI,
    SLOW_DOI,
    Seen,
    crossref_server,
)

from archive.curation import apply_edit
from archive.paper import Paper
from indexer.cli.main import main
from indexer.describe.crossref import CrossrefClient, look_up

from live_server import free_port
from pdf_factory import make_pdf

CHI_DOI = "10.1145/3544548.3580847"


@pytest.fixture
def crossref() -> Iterator[tuple[str, Seen]]:
    with crossref_server() as served:
        yield served


@pytest.fixture
def client(crossref: tuple[str, Seen]) -> CrossrefClient:
    return CrossrefClient(mailto=MAILTO, base_url=crossref[0], timeout_s=1.0)


def _paper(doi: str | None, **fields: object) -> Paper:
    values: dict = {"title": "5Discussion", "authors": [], "year": 2021}
    values.update(fields)
    sources = {"title": "first-page", "year": "pdf-info"}
    return Paper(
        id="a" * 64, filename="x.pdf", pages=3, size=10, doi=doi, sources=sources, **values
    )


def test_a_journal_article_gets_its_venue_and_authors(
    client: CrossrefClient, crossref: tuple[str, Seen]
) -> None:
    paper = _paper(IOP_DOI)
    lookup = look_up(paper, client)
    assert lookup.problem is None
    assert paper.title.startswith("SemEAGAT: A Novel Approach")
    assert paper.authors == [
        "Yuqi Xi",
        "Jiamin Lu",
        "Tingting Hang",
        "Yunfei Zhang",
        "Zhongyi Wang",
        "Jun Feng",
    ]
    assert paper.year == 2022  # the year of issue, not the PDF's creation date
    assert (paper.container, paper.volume, paper.issue, paper.page_range) == (
        "Journal of Physics: Conference Series", "2188", "1", "012011"
    )  # fmt: skip
    assert paper.publisher == "IOP Publishing"
    assert paper.doc_type == "article"
    assert paper.sources["authors"] == paper.sources["container"] == "crossref"
    # Polite: a User-Agent naming the archive with a contact address, and mailto.
    doi, query, headers = crossref[1].requests[0]
    assert doi == IOP_DOI
    assert query["mailto"] == [MAILTO]
    assert f"mailto:{MAILTO}" in headers["User-Agent"]


def test_a_conference_paper_gets_its_proceedings_and_plain_page_range(
    client: CrossrefClient,
) -> None:
    paper = _paper(CHI_DOI.upper())  # DOIs are case-insensitive
    look_up(paper, client)
    assert (
        paper.container
        == "Proceedings of the 2023 CHI Conference on Human Factors in Computing Systems"
    )
    assert paper.page_range == "1-17"  # Crossref's en dash made a hyphen
    assert paper.doc_type == "conference"
    assert paper.authors[0] == "Joseph Chee Chang"


def test_the_answer_is_cached_in_the_paper_and_not_asked_again(
    client: CrossrefClient, crossref: tuple[str, Seen]
) -> None:
    paper = _paper(IOP_DOI)
    assert look_up(paper, client).asked
    saved = Paper.from_dict(json.loads(json.dumps(paper.to_dict())))  # through the sidecar
    assert saved.crossref["doi"] == IOP_DOI and saved.crossref["found"]
    saved.title = "changed meanwhile by extraction"
    saved.sources["title"] = "first-page"
    again = look_up(saved, client)
    assert not again.asked
    assert saved.title.startswith("SemEAGAT")
    assert crossref[1].dois() == [IOP_DOI]
    # Asking afresh (the edit page's button) goes to Crossref again.
    assert look_up(saved, client, use_cache=False).asked
    assert crossref[1].dois() == [IOP_DOI, IOP_DOI]


def test_staff_and_metadata_file_values_are_never_replaced(client: CrossrefClient) -> None:
    paper = apply_edit(_paper(IOP_DOI), {"title": "Event detection with SemEAGAT", "year": "2020"})
    paper.container = "J. Phys. Conf. Ser."
    paper.sources["container"] = "metadata-file"
    lookup = look_up(paper, client)
    assert paper.title == "Event detection with SemEAGAT"
    assert paper.year == 2020
    assert paper.container == "J. Phys. Conf. Ser."
    assert "title" not in lookup.changed and "authors" in lookup.changed
    assert paper.sources["title"] == "staff"


@pytest.mark.parametrize(
    ("doi", "why"),
    [
        ("10.5555/never-registered", "Crossref has no record of DOI 10.5555/never-registered"),
        (SLOW_DOI, "Crossref lookup skipped: Crossref did not answer within 1 s"),
        (MALFORMED_DOI, "Crossref lookup skipped: Crossref's answer was not readable (not JSON)"),
        (BUSY_DOI, "Crossref lookup skipped: Crossref is busy (HTTP 503); try again later"),
    ],
)
def test_a_failed_lookup_keeps_the_extracted_metadata_and_says_why(
    client: CrossrefClient, doi: str, why: str
) -> None:
    paper = _paper(doi)
    before = paper.to_dict()
    lookup = look_up(paper, client)
    assert lookup.problem == why
    assert lookup.changed == []
    after = paper.to_dict()
    if "no record" in why:  # a 404 is an answer: cached, so it is not asked again
        assert after.pop("crossref")["found"] is False
        before.pop("crossref")
    assert after == before


def test_no_network_is_a_reason_not_an_error() -> None:
    unreachable = CrossrefClient(mailto=MAILTO, base_url=f"http://127.0.0.1:{free_port()}")
    paper = _paper(IOP_DOI)
    lookup = look_up(paper, unreachable)
    assert lookup.problem and lookup.problem.startswith(
        "Crossref lookup skipped: Crossref cannot be reached"
    )
    assert paper.title == "5Discussion" and not paper.crossref


def _cli(tmp_path: Path, base_url: str, *args: str, mailto: str = MAILTO) -> tuple[int, str, dict]:
    report = tmp_path / "report.json"
    env = {
        "ARCHIVE_CROSSREF_URL": base_url,
        "ARCHIVE_CROSSREF_MAILTO": mailto,
        "ARCHIVE_CROSSREF_TIMEOUT": "1",
    }
    result = CliRunner(env=env).invoke(
        main, ["--home", str(tmp_path / "home"), "import", "--report", str(report), *args]
    )
    data = json.loads(report.read_text()) if report.exists() else {}
    return result.exit_code, result.output, data


def _show(tmp_path: Path, paper_id: str) -> dict:
    result = CliRunner().invoke(
        main, ["--home", str(tmp_path / "home"), "show", paper_id, "--json"]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.mark.skipif(not IOP_PDF.is_file(), reason="the shared corpus is not there")
def test_import_lookup_describes_a_real_paper_by_its_printed_doi(
    tmp_path: Path, crossref: tuple[str, Seen]
) -> None:
    code, output, report = _cli(tmp_path, crossref[0], "--lookup", str(IOP_PDF))
    assert code == 0, output
    assert "Crossref: 1 papers updated" in output
    shown = _show(tmp_path, report["files"][0]["id"])
    assert shown["authors"][:2] == ["Yuqi Xi", "Jiamin Lu"]
    assert shown["container"] == "Journal of Physics: Conference Series"
    assert shown["year"] == 2022
    assert shown["sources"]["authors"] == "crossref"
    text = CliRunner().invoke(main, ["--home", str(tmp_path / "home"), "show", shown["id"]]).output
    assert "container: Journal of Physics: Conference Series  [crossref]" in text
    assert "'fetched'" not in text  # the cache is for --json
    assert crossref[1].dois() == [IOP_DOI]
    # Importing again asks nothing: the answer is in the sidecar.
    code, _, report = _cli(tmp_path, crossref[0], "--lookup", str(IOP_PDF))
    assert code == 0 and report["files"][0]["status"] == "unchanged"
    assert crossref[1].dois() == [IOP_DOI]


def test_import_goes_on_when_lookups_fail(tmp_path: Path, crossref: tuple[str, Seen]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name, doi in [("slow", SLOW_DOI), ("broken", MALFORMED_DOI), ("unknown", "10.5555/nobody")]:
        make_pdf(
            folder / f"{name}.pdf", [f"Tiger survey {name}. doi:{doi} " + "Panthera tigris. " * 20]
        )
    code, output, report = _cli(tmp_path, crossref[0], "--lookup", str(folder))
    assert code == 0, output
    reasons = {Path(row["path"]).stem: row["reason"] for row in report["files"]}
    assert {row["status"] for row in report["files"]} == {"added"}
    assert "did not answer within 1 s" in reasons["slow"]
    assert "not readable (not JSON)" in reasons["broken"]
    assert "no record of DOI 10.5555/nobody" in reasons["unknown"]
    assert report["summary"]["crossref"] == {"updated": 0, "problems": 3}
    for row in report["files"]:
        assert _show(tmp_path, row["id"])["title"]  # extracted metadata kept


def test_lookup_without_a_contact_address_is_refused_with_a_sentence(tmp_path: Path) -> None:
    make_pdf(tmp_path / "a.pdf", ["Tiger survey. " * 10])
    code, output, _ = _cli(
        tmp_path, "http://127.0.0.1:9", "--lookup", str(tmp_path / "a.pdf"), mailto=""
    )
    assert code == 1
    assert "needs a contact e-mail address" in output and "crossref_mailto" in output
    assert "Traceback" not in output


def test_without_lookup_crossref_is_never_asked(tmp_path: Path, crossref: tuple[str, Seen]) -> None:
    make_pdf(tmp_path / "a.pdf", [f"Tiger survey. doi:{IOP_DOI} " * 5])
    code, output, _ = _cli(tmp_path, crossref[0], str(tmp_path / "a.pdf"))
    assert code == 0, output
    assert crossref[1].requests == []
