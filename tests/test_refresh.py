"""``archive refresh-metadata``: papers already in the library read again, people's values kept,
and a home of the previous version upgraded in place."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from crossref_server import Seen, crossref_server

from archive.activity import ActivityLog
from archive.curation import apply_edit
from archive.library import META_NAME
from indexer.cli.main import main
from indexer.describe.metadata_file import load_metadata
from indexer.home import ArchiveHome
from indexer.ingest.importer import ImportOptions, import_paths

from conftest import CORPUS, paper_id_of

LEOPARD_PDF = "amur-leopard-fact-sheet.pdf"
TIGER_PDF = "amur-tiger-fact-sheet.pdf"
IOP_PDF = (
    CORPUS / "papermage" / "index-list-out-of-range-7f4e18385a30ccb00dc637d5123f894f1f862964.pdf"
)
# The sidecar keys of the version before venues and sources.
PREVIOUS_KEYS = {
    "id", "title", "filename", "pages", "size", "authors", "year", "doi", "tags", "abstract",
    "added", "doc_type",
}  # fmt: skip


def refresh(home: ArchiveHome, *args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner(env=env).invoke(
        main, ["--home", str(home.root), "refresh-metadata", "--jobs", "1", *args]
    )
    return result.exit_code, result.output


def sidecar(home: ArchiveHome, paper_id: str) -> Path:
    return home.library.root / paper_id[:2] / paper_id / META_NAME


def to_previous_format(home: ArchiveHome) -> None:
    """Rewrite every sidecar as the previous version wrote it (no venue, no sources)."""
    for paper_id in home.library.ids():
        path = sidecar(home, paper_id)
        data = json.loads(path.read_text())
        path.write_text(json.dumps({k: v for k, v in data.items() if k in PREVIOUS_KEYS}))


def test_a_home_of_the_previous_version_upgrades_keeping_staff_edits(
    demo_home: ArchiveHome,
) -> None:
    leopard = paper_id_of(demo_home, LEOPARD_PDF)
    tiger = paper_id_of(demo_home, TIGER_PDF)
    extracted_tiger_title = demo_home.library.get(tiger).title
    pages_before = {pid: demo_home.library.page_texts(pid) for pid in demo_home.library.ids()}
    to_previous_format(demo_home)
    # A curator's edit of the previous version: in the sidecar and in the activity journal.
    path = sidecar(demo_home, leopard)
    data = json.loads(path.read_text())
    data.update(title="Leopards of Kedrovaya Pad (curated)", authors=["Petrova, Anna"])
    path.write_text(json.dumps(data))
    ActivityLog(demo_home.log_dir).record(
        "edit", user="curator", id=leopard, title=data["title"], fields=["title", "authors"]
    )
    # The previous extractor left this one under its file name; nobody edited it.
    path = sidecar(demo_home, tiger)
    data = json.loads(path.read_text())
    data["title"] = "amur-tiger-fact-sheet"
    path.write_text(json.dumps(data))
    demo_home.index.rebuild(demo_home.library)  # as the previous version indexed them

    code, output = refresh(demo_home)
    assert code == 0, output
    assert "5 papers: 1 updated, 4 unchanged, 0 could not be read again" in output

    curated = demo_home.library.get(leopard)
    assert curated.title == "Leopards of Kedrovaya Pad (curated)"
    assert curated.authors == ["Petrova, Anna"]
    assert curated.sources["title"] == curated.sources["authors"] == "staff"
    assert curated.doc_type == "fact-sheet"  # from papers/metadata.csv, before sources existed
    assert demo_home.library.get(tiger).title == extracted_tiger_title
    for paper_id in demo_home.library.ids():
        data = json.loads(sidecar(demo_home, paper_id).read_text())
        assert {"sources", "container", "page_range", "crossref"} <= set(data)  # upgraded
        assert demo_home.library.page_texts(paper_id) == pages_before[paper_id]  # text kept
    found = CliRunner().invoke(
        main, ["--home", str(demo_home.root), "search", "title:curated", "--json"]
    )
    assert [r["id"] for r in json.loads(found.output)["results"]] == [leopard]
    found = CliRunner().invoke(
        main, ["--home", str(demo_home.root), "search", "amur-tiger-fact-sheet", "--json"]
    )
    tiger_hit = next(r for r in json.loads(found.output)["results"] if r["id"] == tiger)
    assert tiger_hit["title"] == extracted_tiger_title  # reindexed
    verify = CliRunner().invoke(main, ["--home", str(demo_home.root), "verify"])
    assert verify.exit_code == 0, verify.output
    # A second refresh changes nothing.
    code, output = refresh(demo_home)
    assert code == 0 and "0 updated, 5 unchanged" in output


def test_metadata_file_and_staff_values_survive_a_refresh(tmp_path: Path) -> None:
    demo = Path(__file__).resolve().parents[1] / "papers"
    table = tmp_path / "meta.csv"
    table.write_text(f"file,title,year\n{LEOPARD_PDF},Leopard fact sheet (from the CSV),1999\n")
    home = ArchiveHome.at(tmp_path / "home")
    options = ImportOptions(metadata=load_metadata(table))
    import_paths(home, [demo / LEOPARD_PDF, demo / TIGER_PDF], jobs=1, options=options)
    leopard, tiger = paper_id_of(home, LEOPARD_PDF), paper_id_of(home, TIGER_PDF)
    assert home.library.get(leopard).sources["title"] == "metadata-file"
    home.library.save(apply_edit(home.library.get(tiger), {"year": "2001", "tags": "tigers"}))
    code, output = refresh(home)
    assert code == 0, output
    leo, tig = home.library.get(leopard), home.library.get(tiger)
    assert (leo.title, leo.year) == ("Leopard fact sheet (from the CSV)", 1999)
    assert (tig.year, tig.tags) == (2001, ["tigers"])


def test_a_pdf_that_cannot_be_read_again_keeps_its_metadata(demo_home: ArchiveHome) -> None:
    leopard = paper_id_of(demo_home, LEOPARD_PDF)
    before = demo_home.library.get(leopard)
    demo_home.library.pdf_path(leopard).write_bytes(b"%PDF-1.4 broken beyond repair")
    code, output = refresh(demo_home, leopard[:12])
    assert code == 1
    assert "could not be read again (damaged beyond repair); its metadata is kept" in output
    assert "1 papers: 0 updated, 0 unchanged, 1 could not be read again" in output
    assert "Traceback" not in output
    assert demo_home.library.get(leopard) == before


def test_an_unknown_paper_id_is_a_sentence(demo_home: ArchiveHome) -> None:
    code, output = refresh(demo_home, "ffffff0000")
    assert code == 1
    assert "No paper with id 'ffffff0000' in the archive." in output


@pytest.fixture
def crossref() -> Iterator[tuple[str, Seen]]:
    with crossref_server() as served:
        yield served


@pytest.mark.skipif(not IOP_PDF.is_file(), reason="the shared corpus is not there")
def test_a_staff_edit_survives_refresh_and_lookup(
    tmp_path: Path, crossref: tuple[str, Seen]
) -> None:
    home = ArchiveHome.at(tmp_path / "home")
    import_paths(home, [IOP_PDF], jobs=1)
    (paper_id,) = home.library.ids()
    home.library.save(apply_edit(home.library.get(paper_id), {"title": "SemEAGAT (curated)"}))
    env = {"ARCHIVE_CROSSREF_URL": crossref[0], "ARCHIVE_CROSSREF_MAILTO": "c@example.org"}
    code, output = refresh(home, "--lookup", env=env)
    assert code == 0, output
    paper = home.library.get(paper_id)
    assert paper.title == "SemEAGAT (curated)"
    assert paper.authors[:2] == ["Yuqi Xi", "Jiamin Lu"]
    assert paper.container == "Journal of Physics: Conference Series"
    assert crossref[1].dois() == ["10.1088/1742-6596/2188/1/012011"]
    # Read again without a lookup: Crossref's values stay, extraction does not undo them.
    code, output = refresh(home, env=env)
    assert code == 0, output
    again = home.library.get(paper_id)
    assert again.authors == paper.authors and again.year == 2022
    assert again.title == "SemEAGAT (curated)"
    # And a lookup from the sidecar's cache asks Crossref nothing more.
    assert refresh(home, "--lookup", env=env)[0] == 0
    assert len(crossref[1].requests) == 1


UNSEEN = Path(__file__).parent / "data" / "metadata"
ACL_PDF = "sp_P07-1088.pdf"
DIABETES_PDF = "pqa_10.1007_s00125-024-06103-w.pdf"


def test_a_home_described_by_the_previous_extractor_gets_the_better_one_staff_edits_kept(
    tmp_path: Path,
) -> None:
    from indexer.describe.curation_queue import curation_queue

    home = ArchiveHome.at(tmp_path / "home")
    import_paths(home, [UNSEEN / ACL_PDF, UNSEEN / DIABETES_PDF], jobs=1)
    acl, diabetes = paper_id_of(home, ACL_PDF), paper_id_of(home, DIABETES_PDF)
    to_previous_format(home)
    # What the previous extractor (main before issue 24) wrote: the PDF's title field, the
    # journal's name, and one author of six.
    path = sidecar(home, acl)
    data = json.loads(path.read_text())
    data["title"] = "Proceedings of the 45th Annual Meeting of the Association of Computational"
    path.write_text(json.dumps(data))
    path = sidecar(home, diabetes)
    data = json.loads(path.read_text())
    data.update(authors=["Natascia Vedovato"], year=2031, title="A loss-of-function mutation")
    path.write_text(json.dumps(data))
    # A curator of the previous version set the diabetes paper's title by hand.
    ActivityLog(home.log_dir).record(
        "edit", user="curator", id=diabetes, title=data["title"], fields=["title"]
    )
    home.index.rebuild(home.library)
    queue, _ = curation_queue(home.library)
    assert [item.paper.id for item in queue if "title uncertain" in item.problems] == [acl]

    code, output = refresh(home)
    assert code == 0, output
    assert "2 papers: 2 updated" in output
    upgraded = home.library.get(acl)
    assert upgraded.title == (
        "Sparse Information Extraction: Unsupervised Language Models to the Rescue"
    )
    assert upgraded.sources["title"] == "first-page"
    curated = home.library.get(diabetes)
    assert curated.title == "A loss-of-function mutation"  # the curator's, kept
    assert curated.sources["title"] == "staff"
    assert [name.split()[-1] for name in curated.authors] == [
        "Vedovato", "Salguero", "Greeley", "Yu", "Philipson", "Ashcroft",
    ]  # fmt: skip
    assert curated.year == 2024
    queue, _ = curation_queue(home.library)
    assert not any("title uncertain" in item.problems for item in queue)


def test_a_home_of_the_version_before_evidence_gets_it_from_refresh_staff_edits_kept(
    tmp_path: Path,
) -> None:
    from indexer.describe.curation_queue import UNCERTAIN, field_confidence

    home = ArchiveHome.at(tmp_path / "home")
    # An ACL paper of 2004 whose year comes from the PDF's dates while its first page prints
    # other years; a PLOS paper whose own title and author fields agree with its first page.
    acl, plos = "pdfact_ACL_2004.pdf", "epijc_journal.pmed.1003229.pdf"
    import_paths(home, [UNSEEN / acl, UNSEEN / plos], jobs=1)
    acl, plos = paper_id_of(home, acl), paper_id_of(home, plos)
    read = {paper_id: home.library.get(paper_id).evidence for paper_id in (acl, plos)}
    assert read[acl] == {"year": -0.15}
    assert read[plos] == {"title": 0.1, "authors": 0.1}
    assert field_confidence(home.library.get(acl))["year"] < UNCERTAIN
    # The previous version's sidecars have no evidence; a curator had set the PLOS title.
    for paper_id in (acl, plos):
        path = sidecar(home, paper_id)
        data = json.loads(path.read_text())
        del data["evidence"]
        if paper_id == plos:
            data["sources"]["title"] = "staff"
        path.write_text(json.dumps(data))
    assert field_confidence(home.library.get(acl))["year"] >= UNCERTAIN  # not known yet

    code, output = refresh(home)
    assert code == 0, output
    assert home.library.get(acl).evidence == {"year": -0.15}
    assert field_confidence(home.library.get(acl))["year"] < UNCERTAIN
    curated = home.library.get(plos)
    assert curated.evidence == {"authors": 0.1}  # the curator's title owes the PDF nothing
    assert field_confidence(curated)["title"] == 1.0
