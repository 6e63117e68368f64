"""Access levels and embargoes: every public route, for every kind of paper, logged in and not.

The demo archive's five papers are given one access each:

* the Amur tiger fact sheet stays ``open``;
* the camera-trapping guide is ``on-request`` (found, described, snippets; no PDF);
* the snow leopard fact sheet is ``staff-only`` (invisible to the public);
* the Amur leopard fact sheet is ``staff-only`` under an embargo that ends in 2999 (invisible);
* the zoo report is ``staff-only`` under an embargo that ended in 2020 (so open by itself).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from security_support import PASSWORD, USER
from staff_support import _cheap_password_hashing, logged_in

from archive.access import AccessError, access_from, effective_access, embargo_from
from archive.accounts import AccountStore
from archive.paper import Paper
from indexer.engine.search import browse, search
from indexer.home import ArchiveHome
from indexer.index import VERSION_FILE
from tests.conftest import paper_id_of
from webui import create_app

TIGER = "amur-tiger-fact-sheet.pdf"
GUIDE = "camera-trapping-guide.pdf"
SNOW = "snow-leopard-fact-sheet.pdf"
LEOPARD = "amur-leopard-fact-sheet.pdf"
ZOO = "zoo-reintroduction-report.pdf"
ACCESS = {
    TIGER: ("open", None),
    GUIDE: ("on-request", None),
    SNOW: ("staff-only", None),
    LEOPARD: ("staff-only", "2999-01-01"),
    ZOO: ("staff-only", "2020-01-01"),
}
HIDDEN = (SNOW, LEOPARD)
__all__ = ["_cheap_password_hashing"]  # a fixture, used by name (autouse)
READABLE = (TIGER, ZOO)
# Words that only one paper holds (see the demo papers' text).
ONLY_IN = {SNOW: "bishkek", LEOPARD: "badgers", GUIDE: "batteries", ZOO: "aquariums"}


def set_access(home: ArchiveHome, filename: str, level: str, embargo: str | None) -> Paper:
    """Write a paper's access into its sidecar (as a curator's save does)."""
    paper = home.library.get(paper_id_of(home, filename))
    changed = dataclasses.replace(paper, access=level, embargo=embargo)
    home.library.save(changed)
    return changed


@pytest.fixture
def mixed_home(demo_home: ArchiveHome) -> ArchiveHome:
    for filename, (level, embargo) in ACCESS.items():
        set_access(demo_home, filename, level, embargo)
    demo_home.index.rebuild(demo_home.library)
    return demo_home


@pytest.fixture
def mixed_app(mixed_home: ArchiveHome) -> Iterator[Flask]:
    AccountStore(mixed_home.root).add(USER, PASSWORD)
    app = create_app({"ARCHIVE_HOME": str(mixed_home.root), "TESTING": True})
    yield app
    app.extensions["staff_services"].uploads.stop()
    app.extensions["staff_services"].sync.stop()


@pytest.fixture
def anon(mixed_app: Flask) -> FlaskClient:
    return mixed_app.test_client()


@pytest.fixture
def staff(mixed_app: Flask) -> FlaskClient:
    return logged_in(mixed_app.test_client())


def ids(home: ArchiveHome) -> dict[str, str]:
    return {filename: paper_id_of(home, filename) for filename in ACCESS}


def titles(home: ArchiveHome, filenames: tuple[str, ...]) -> list[str]:
    return [home.library.get(paper_id_of(home, name)).title for name in filenames]


def text_of(answer) -> str:  # type: ignore[no-untyped-def]
    body = answer.get_data(as_text=True)
    assert "Traceback" not in body
    return body


# --- the pure rules ------------------------------------------------------------------------------


def test_access_levels_as_curators_write_them() -> None:
    assert access_from("On request") == "on-request"
    assert access_from(" staff_only ") == "staff-only"
    assert access_from("OPEN") == "open"
    with pytest.raises(AccessError, match="one of open, on-request, staff-only"):
        access_from("secret")
    assert embargo_from("2027-01-31") == "2027-01-31"
    assert embargo_from("") is None
    for bad in ("2027-02-30", "31/01/2027", "next year"):
        with pytest.raises(AccessError, match="2027-01-31"):
            embargo_from(bad)


def test_an_embargo_opens_the_paper_on_its_day_by_itself() -> None:
    assert effective_access("on-request", "2027-01-31", on="2027-01-30") == "on-request"
    assert effective_access("on-request", "2027-01-31", on="2027-01-31") == "open"
    assert effective_access("staff-only", "2027-01-31", on="2026-12-31") == "staff-only"
    assert effective_access("staff-only", None, on="9000-01-01") == "staff-only"


def test_old_sidecars_read_as_open_and_unknown_levels_fail_closed() -> None:
    base = {"id": "a" * 64, "title": "T", "filename": "t.pdf", "pages": 1, "size": 10}
    assert Paper.from_dict(base).access == "open"
    assert Paper.from_dict({**base, "access": "top secret"}).access == "staff-only"
    assert Paper.from_dict({**base, "embargo": "soon"}).embargo is None


# --- the route walk ------------------------------------------------------------------------------


def public_responses(client: FlaskClient, home: ArchiveHome) -> dict[str, str]:
    """Every public listing route's answer (what a crawler or reader can reach without an
    id), for the title check."""
    pages = {}
    urls = [
        "/",
        "/browse",
        "/browse?sort=title",
        "/search?q=leopard",
        "/search?q=fact+sheet",
        "/search?q=leopard&author=Anna+Petrova",
        "/api/search?q=leopard",
        "/api/search?q=panthera&limit=100",
        "/search?q=bishkek",
        "/search?q=badgers",
        "/api/search?q=bishkek",
        "/api/search?q=bishkk",
        "/api/search?q=afghanistn",
        "/search.bib?q=leopard",
        "/search.ris?q=leopard",
        "/sitemap.xml",
        "/feed.atom",
        "/opensearch.xml",
    ]
    urls += [f"/papers/{paper_id}" for name, paper_id in ids(home).items() if name not in HIDDEN]
    for url in urls:
        answer = client.get(url)
        assert answer.status_code in (200, 404), url
        pages[url] = text_of(answer)
    return pages


def test_a_staff_only_title_never_appears_in_a_public_page_or_response(
    anon: FlaskClient, mixed_home: ArchiveHome
) -> None:
    hidden_titles = titles(mixed_home, HIDDEN)
    hidden_ids = [paper_id_of(mixed_home, name) for name in HIDDEN]
    for url, body in public_responses(anon, mixed_home).items():
        for title in hidden_titles:
            assert title not in body and title.replace(":", "&#58;") not in body, (url, title)
        for paper_id in hidden_ids:
            assert paper_id not in body, url
        assert "Tenzin Norbu" not in body, url  # an author of the staff-only paper alone


@pytest.mark.parametrize("headers", [{}, {"Range": "bytes=0-99"}, {"If-None-Match": "*"}])
@pytest.mark.parametrize(
    "suffix",
    [
        "",
        "/pdf",
        "/download",
        "/cite.bib",
        "/cite.ris",
        "/thumbnail.webp",
        "/pages/1",
        "/pages/1/preview.png?q=leopard",
    ],
)
def test_staff_only_papers_are_no_papers_at_all_to_the_public(
    anon: FlaskClient, staff: FlaskClient, mixed_home: ArchiveHome, suffix: str, headers: dict
) -> None:
    for name in HIDDEN:
        paper_id = paper_id_of(mixed_home, name)
        answer = anon.get(f"/papers/{paper_id}{suffix}", headers=headers)
        assert answer.status_code == 404, (name, suffix, headers)
        assert mixed_home.library.get(paper_id).title not in text_of(answer)
        assert anon.get(f"/api/papers/{paper_id}").status_code == 404
        assert staff.get(f"/papers/{paper_id}{suffix}").status_code == 200
        assert staff.get(f"/api/papers/{paper_id}").status_code == 200


@pytest.mark.parametrize(
    "headers", [{}, {"Range": "bytes=0-99"}, {"If-None-Match": "*"}, {"If-Modified-Since": ""}]
)
def test_an_on_request_pdf_is_never_sent_to_the_public(
    anon: FlaskClient, staff: FlaskClient, mixed_home: ArchiveHome, headers: dict
) -> None:
    paper_id = paper_id_of(mixed_home, GUIDE)
    if "If-Modified-Since" in headers:
        headers = {"If-Modified-Since": "Wed, 01 Jan 2099 00:00:00 GMT"}
    if "If-None-Match" in headers:
        headers = {"If-None-Match": f'"{paper_id}"'}
    for suffix in ("/pdf", "/download"):
        answer = anon.get(f"/papers/{paper_id}{suffix}", headers=headers)
        assert answer.status_code == 403, (suffix, headers)
        assert not answer.data.startswith(b"%PDF")
        assert "ETag" not in answer.headers
        assert "ask the charity for a copy" in text_of(answer)
        seen = staff.get(f"/papers/{paper_id}{suffix}", headers=headers)
        assert seen.status_code in (200, 206, 304)
        # What a curator reads of a restricted paper goes to them alone, and no cache keeps it.
        assert seen.headers["Cache-Control"] == "private, no-store"


def test_an_on_request_paper_is_found_and_described_but_offers_a_request_form(
    anon: FlaskClient, mixed_home: ArchiveHome
) -> None:
    paper_id = paper_id_of(mixed_home, GUIDE)
    page = text_of(anon.get(f"/papers/{paper_id}"))
    assert "Camera Trapping for Big Cats" in page
    assert f"/papers/{paper_id}/pdf" not in page and f"/papers/{paper_id}/download" not in page
    assert "citation_pdf_url" not in page and 'name="citation_title"' in page
    assert "Request a copy" in page and 'name="website"' in page
    found = anon.get(f"/api/search?q={ONLY_IN[GUIDE]}").get_json()
    assert [row["id"] for row in found["results"]] == [paper_id]
    assert found["results"][0]["snippets"], "snippets of on-request papers are public"
    api = anon.get(f"/api/papers/{paper_id}").get_json()
    assert api["access"] == "on-request" and api["public_access"] == "on-request"
    ris = text_of(anon.get(f"/papers/{paper_id}/cite.ris"))
    assert "L1  -" not in ris and "UR  -" in ris


def test_an_on_request_paper_s_pictures_and_results_offer_no_page_of_it(
    anon: FlaskClient, staff: FlaskClient, mixed_home: ArchiveHome
) -> None:
    """A page preview shows a page's text and a thumbnail its first page: to the public, an
    on-request paper has the placeholder and no preview; its hit leads to the request form."""
    paper_id = paper_id_of(mixed_home, GUIDE)
    thumbnail = anon.get(f"/papers/{paper_id}/thumbnail.webp")
    assert thumbnail.status_code == 200 and thumbnail.mimetype == "image/svg+xml"
    for suffix in ("/pages/1", "/pages/1/preview.png?q=camera"):
        answer = anon.get(f"/papers/{paper_id}{suffix}")
        assert answer.status_code == 403, suffix
        assert not answer.data.startswith(b"\x89PNG")
        seen = staff.get(f"/papers/{paper_id}{suffix}")
        assert seen.status_code == 200 and seen.headers["Cache-Control"] == "private, no-store"
    seen = staff.get(f"/papers/{paper_id}/thumbnail.webp")
    assert seen.mimetype == "image/webp" and seen.headers["Cache-Control"] == "private, no-store"
    page = text_of(anon.get(f"/search?q={ONLY_IN[GUIDE]}"))
    assert f"/papers/{paper_id}#request-copy" in page and "ask for a copy" in page
    assert f"/papers/{paper_id}/pdf" not in page and f"/papers/{paper_id}/pages/" not in page
    assert f"/papers/{paper_id}/pdf" in text_of(staff.get(f"/search?q={ONLY_IN[GUIDE]}"))


def test_the_home_page_counts_what_the_public_may_find_and_read(
    anon: FlaskClient, staff: FlaskClient
) -> None:
    page = " ".join(text_of(anon.get("/")).split())
    assert "3 papers, 2 of them free to read and download; ask for a copy of the others." in page
    assert "5 papers" in " ".join(text_of(staff.get("/")).split())


def test_cli_stats_say_what_the_public_may_find_and_read(mixed_home: ArchiveHome) -> None:
    from click.testing import CliRunner

    from indexer.cli.main import main

    result = CliRunner().invoke(main, ["--home", str(mixed_home.root), "stats"])
    assert result.exit_code == 0, result.output
    assert "The public may find 3 of them and read 2." in result.output
    figures = json.loads(
        CliRunner().invoke(main, ["--home", str(mixed_home.root), "stats", "--json"]).output
    )
    assert (figures["papers"], figures["listed"], figures["readable"]) == (5, 3, 2)


def test_open_and_past_embargo_papers_are_public_in_full(
    anon: FlaskClient, mixed_home: ArchiveHome
) -> None:
    for name in READABLE:
        paper_id = paper_id_of(mixed_home, name)
        page = text_of(anon.get(f"/papers/{paper_id}"))
        assert f"/papers/{paper_id}/pdf" in page and "citation_pdf_url" in page
        assert "Request a copy" not in page
        whole = anon.get(f"/papers/{paper_id}/pdf")
        assert whole.status_code == 200 and whole.data.startswith(b"%PDF")
        assert whole.headers["Cache-Control"] == "public, no-cache"
        part = anon.get(f"/papers/{paper_id}/pdf", headers={"Range": "bytes=0-99"})
        assert part.status_code == 206 and len(part.data) == 100
        same = anon.get(f"/papers/{paper_id}/pdf", headers={"If-None-Match": f'"{paper_id}"'})
        assert same.status_code == 304
        for suffix in ("/thumbnail.webp", "/pages/1/preview.png?q=tiger"):
            picture = anon.get(f"/papers/{paper_id}{suffix}")
            assert picture.status_code == 200 and picture.mimetype in ("image/webp", "image/png")
            assert picture.headers["Cache-Control"] == "public, no-cache"
    zoo = anon.get(f"/api/papers/{paper_id_of(mixed_home, ZOO)}").get_json()
    assert zoo["access"] == "staff-only" and zoo["public_access"] == "open"
    assert anon.get(f"/api/search?q={ONLY_IN[ZOO]}").get_json()["total"] == 1


def test_public_search_totals_facets_and_paging_leave_hidden_papers_out(
    anon: FlaskClient, staff: FlaskClient, mixed_home: ArchiveHome
) -> None:
    public = anon.get("/api/search?q=leopard&limit=1").get_json()
    seen = staff.get("/api/search?q=leopard&limit=1").get_json()
    assert seen["total"] == public["total"] + 2
    hidden = {paper_id_of(mixed_home, name) for name in HIDDEN}
    listed = []
    for page in range(1, public["total"] + 2):
        rows = anon.get(f"/api/search?q=leopard&limit=1&page={page}").get_json()["results"]
        listed += [row["id"] for row in rows]
    assert len(listed) == public["total"] and not hidden & set(listed)
    authors = {row["value"]: row["count"] for row in public["facets"]["author"]}
    assert authors.get("Anna Petrova") == 1  # her zoo report; not her staff-only fact sheet
    assert "Tenzin Norbu" not in authors
    years = {row["value"] for row in public["facets"]["year"]}
    assert "2022" not in years and "2024" not in years  # the hidden papers' years
    # Browsing (no query), in the same pass too.
    assert browse(mixed_home.index).total == 3
    assert browse(mixed_home.index, public=False).total == 5
    assert search(mixed_home.index, ONLY_IN[SNOW]).total == 0
    assert search(mixed_home.index, ONLY_IN[SNOW], public=False).total == 1


def test_did_you_mean_never_offers_a_word_only_a_hidden_paper_holds(
    anon: FlaskClient, staff: FlaskClient
) -> None:
    # "bishkek" and "afghanistan" are in the staff-only snow leopard fact sheet alone.
    for typo, word in (("bishkk", "bishkek"), ("afghanistn", "afghanistan")):
        assert anon.get(f"/api/search?q={typo}").get_json()["did_you_mean"] != word
        assert staff.get(f"/api/search?q={typo}").get_json()["did_you_mean"] == word
    # Words of public papers are still offered.
    assert anon.get("/api/search?q=aquarums").get_json()["did_you_mean"] == "aquariums"


def test_related_papers_sitemap_and_feed_list_only_what_the_public_may_see(
    anon: FlaskClient, staff: FlaskClient, mixed_home: ArchiveHome
) -> None:
    hidden = [paper_id_of(mixed_home, name) for name in HIDDEN]
    guide = paper_id_of(mixed_home, GUIDE)
    sitemap = text_of(anon.get("/sitemap.xml"))
    feed = text_of(anon.get("/feed.atom"))
    for paper_id in hidden:
        assert paper_id not in sitemap and paper_id not in feed
    assert guide in sitemap and guide in feed
    # An on-request paper's feed entry has no PDF enclosure.
    entry = feed.split(f"/papers/{guide}", 1)[1].split("</entry>", 1)[0]
    assert 'rel="enclosure"' not in entry
    # The lists of papers are asked for again each time: a change leaves them at once.
    assert "no-cache" in anon.get("/sitemap.xml").headers["Cache-Control"]
    tiger = paper_id_of(mixed_home, TIGER)
    related = text_of(anon.get(f"/papers/{tiger}")).split("Related papers", 1)[-1]
    for title in titles(mixed_home, HIDDEN):
        assert title not in related
    staff_related = text_of(staff.get(f"/papers/{tiger}")).split("Related papers", 1)[-1]
    assert any(title in staff_related for title in titles(mixed_home, HIDDEN))


def test_the_zip_of_all_matches_holds_only_what_the_public_may_read(
    anon: FlaskClient, staff: FlaskClient, mixed_home: ArchiveHome
) -> None:
    def members(client: FlaskClient, query: str) -> tuple[list[str], str]:
        answer = client.get(f"/search.zip?q={query}")
        assert answer.status_code == 200, text_of(answer)
        with zipfile.ZipFile(io.BytesIO(answer.data)) as bundle:
            manifest = bundle.read("manifest.csv").decode("utf-8-sig")
            return sorted(n for n in bundle.namelist() if n.endswith(".pdf")), manifest

    public, manifest = members(anon, "amur")
    assert len(public) == 2  # the tiger sheet and the (embargo-ended) zoo report
    assert not any(who in name for name in public for who in ("Sokolov", "Norbu", "Whitfield"))
    assert "staff-only until 2020-01-01" in manifest  # the zoo report, open by its embargo
    # The results page counts what the ZIP will hold, and says what it leaves out.
    page = " ".join(text_of(anon.get("/search?q=amur")).split())
    assert "Download 2 papers (ZIP)" in page and "1 of the 3 is sent on request" in page
    everything, staff_manifest = members(staff, "amur")
    assert len(everything) == 4
    assert "Download all 4 papers (ZIP)" in " ".join(text_of(staff.get("/search?q=amur")).split())
    assert "on-request" in staff_manifest and "staff-only until 2999-01-01" in staff_manifest
    # A search whose only matches are on request says so, instead of an empty ZIP.
    only_guide = anon.get(f"/search.zip?q={ONLY_IN[GUIDE]}")
    assert only_guide.status_code == 404
    assert "available on request only" in text_of(only_guide)
    page = " ".join(text_of(anon.get(f"/search?q={ONLY_IN[GUIDE]}")).split())
    assert "This paper's PDF is sent on request" in page and "/search.zip" not in page
    # Citations of the matches list on-request papers (their metadata is public), not hidden ones.
    bib = text_of(anon.get("/search.bib?q=leopard"))
    assert "Camera Trapping" in bib and "Snow Leopard" not in bib


def test_cli_export_keeps_everything_and_records_access(
    mixed_home: ArchiveHome, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from indexer.cli.main import main

    target = tmp_path / "all.zip"
    result = CliRunner().invoke(
        main, ["--home", str(mixed_home.root), "export", "leopard OR tiger", "--zip", str(target)]
    )
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(target) as bundle:
        manifest = bundle.read("manifest.csv").decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(manifest)))
    levels = sorted(row["access"] for row in rows)
    assert levels == sorted(
        ["open", "on-request", "staff-only", "staff-only until 2999-01-01",
         "staff-only until 2020-01-01"]
    )  # fmt: skip


# --- at once -------------------------------------------------------------------------------------


def test_a_change_of_access_takes_effect_at_once_before_the_index_catches_up(
    anon: FlaskClient, mixed_home: ArchiveHome
) -> None:
    """Another process (or thread) writes the sidecar; the index has not followed yet."""
    tiger = paper_id_of(mixed_home, TIGER)
    title = mixed_home.library.get(tiger).title
    assert anon.get(f"/papers/{tiger}/pdf").status_code == 200
    set_access(mixed_home, TIGER, "staff-only", None)  # no reindex
    assert anon.get(f"/papers/{tiger}").status_code == 404
    assert (
        anon.get(f"/papers/{tiger}/pdf", headers={"If-None-Match": f'"{tiger}"'}).status_code == 404
    )
    assert tiger not in [r["id"] for r in anon.get("/api/search?q=tiger").get_json()["results"]]
    assert title not in text_of(anon.get("/search?q=tiger"))
    assert title not in text_of(anon.get("/browse"))
    assert tiger not in text_of(anon.get("/sitemap.xml")) + text_of(anon.get("/feed.atom"))
    assert title not in text_of(anon.get("/search.bib?q=tiger OR leopard"))
    set_access(mixed_home, TIGER, "on-request", None)
    assert anon.get(f"/papers/{tiger}").status_code == 200
    assert anon.get(f"/papers/{tiger}/pdf").status_code == 403


def test_a_removed_paper_leaves_every_route_at_once(
    anon: FlaskClient, mixed_home: ArchiveHome
) -> None:
    tiger = paper_id_of(mixed_home, TIGER)
    title = mixed_home.library.get(tiger).title
    mixed_home.library.remove(tiger)  # the index still holds it
    assert tiger in mixed_home.index.paper_ids()
    assert anon.get(f"/papers/{tiger}").status_code == 404
    assert tiger not in [r["id"] for r in anon.get("/api/search?q=tiger").get_json()["results"]]
    assert title not in text_of(anon.get("/search?q=tiger"))


def test_curators_set_access_on_the_edit_page_and_it_shows_at_once(
    staff: FlaskClient, anon: FlaskClient, mixed_home: ArchiveHome
) -> None:
    tiger = paper_id_of(mixed_home, TIGER)
    form = text_of(staff.get(f"/papers/{tiger}/edit"))
    token = form.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    bad = staff.post(
        f"/papers/{tiger}/access",
        data={"csrf_token": token, "access": "open", "embargo": "31/12/2027"},
        follow_redirects=True,
    )
    assert "2027-01-31 (year-month-day)" in text_of(bad)
    assert mixed_home.library.get(tiger).embargo is None
    saved = staff.post(
        f"/papers/{tiger}/access",
        data={"csrf_token": token, "access": "on-request", "embargo": "2999-06-01"},
    )
    assert saved.status_code == 303
    paper = mixed_home.library.get(tiger)
    assert (paper.access, paper.embargo) == ("on-request", "2999-06-01")
    assert anon.get(f"/papers/{tiger}/pdf").status_code == 403
    assert "embargo until Jun 1, 2999" in text_of(staff.get(f"/papers/{tiger}"))
    # Without a CSRF token, or logged out, nothing changes.
    assert staff.post(f"/papers/{tiger}/access", data={"access": "open"}).status_code == 400
    assert anon.post(f"/papers/{tiger}/access", data={"access": "open"}).status_code in (302, 303)
    assert mixed_home.library.get(tiger).access == "on-request"


def test_bulk_access_for_all_matches_asks_for_confirmation_first(
    staff: FlaskClient, anon: FlaskClient, mixed_home: ArchiveHome
) -> None:
    query = "q=title%3Atiger+OR+title%3Acamera"
    page = text_of(staff.get(f"/staff/access?{query}"))
    assert "matches <strong>2</strong> papers" in page  # the tiger sheet and the guide
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    stale = staff.post(
        f"/staff/access?{query}", data={"csrf_token": token, "access": "staff-only", "count": "7"}
    )
    assert stale.status_code == 303
    assert mixed_home.library.get(paper_id_of(mixed_home, TIGER)).access == "open"
    done = staff.post(
        f"/staff/access?{query}",
        data={"csrf_token": token, "access": "staff-only", "count": "2"},
        follow_redirects=True,
    )
    assert "Access of 2 papers set to staff-only" in text_of(done)
    assert anon.get("/api/search?q=title:tiger").get_json()["total"] == 0
    assert anon.get(f"/papers/{paper_id_of(mixed_home, GUIDE)}").status_code == 404
    assert text_of(staff.get("/staff/access?q=")).count("Search for the papers first") == 1


# --- setting it at import and from a metadata file ---------------------------------------------


def test_import_with_access_and_a_metadata_file_column(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from indexer.cli.main import main
    from tests.conftest import DEMO_PAPERS

    home = tmp_path / "home"
    sheet = tmp_path / "meta.csv"
    sheet.write_text(
        f"file,access,embargo\n{SNOW},staff-only,\n{GUIDE},On request,2030-05-01\n{ZOO},secret,\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    bad = runner.invoke(main, ["--home", str(home), "import", str(DEMO_PAPERS), "--access", "x"])
    assert bad.exit_code == 2 and "'x' is not one of" in bad.output
    result = runner.invoke(
        main,
        ["--home", str(home), "import", str(DEMO_PAPERS), "--access", "on-request",
         "--metadata", str(sheet), "--jobs", "1"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "line 4" in result.output and "secret" in result.output
    shown = {}
    for name in ACCESS:
        data = json.loads(
            runner.invoke(main, ["--home", str(home), "show", _id(home, name), "--json"]).output
        )
        shown[name] = (data["access"], data["embargo"])
    assert shown[SNOW] == ("staff-only", None)
    assert shown[GUIDE] == ("on-request", "2030-05-01")
    assert shown[TIGER] == ("on-request", None)  # --access for the rest
    assert shown[ZOO] == ("on-request", None)  # its row was skipped
    # archive search is a staff tool: it finds every paper.
    found = runner.invoke(main, ["--home", str(home), "search", ONLY_IN[SNOW], "--json"])
    assert json.loads(found.output)["total"] == 1


def _id(home: Path, filename: str) -> str:
    return paper_id_of(ArchiveHome.at(home), filename)


def test_the_home_default_applies_to_imports_without_access(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from indexer.cli.main import main
    from tests.conftest import DEMO_PAPERS

    home = tmp_path / "home"
    monkeypatch.setenv("ARCHIVE_DEFAULT_ACCESS", "staff-only")
    result = CliRunner().invoke(main, ["--home", str(home), "import", str(DEMO_PAPERS / TIGER)])
    assert result.exit_code == 0, result.output
    archive_home = ArchiveHome.at(home)
    assert archive_home.library.get(paper_id_of(archive_home, TIGER)).access == "staff-only"
    assert search(archive_home.index, "tiger").total == 0


# --- upgrading a home made by the previous version ---------------------------------------------


def test_a_home_from_before_access_levels_upgrades_in_place(demo_home: ArchiveHome) -> None:
    """Sidecars without the new keys and an index of the previous schema (no hidden_until)."""
    for folder in (demo_home.root / "library").iterdir():
        sidecar = folder / "paper.json"
        if sidecar.is_file():
            data = json.loads(sidecar.read_text("utf-8"))
            data.pop("access", None)
            data.pop("embargo", None)
            sidecar.write_text(json.dumps(data), encoding="utf-8")
    (demo_home.root / "index" / VERSION_FILE).write_text("6\n")
    before = {p.id for p in demo_home.library.papers()}
    upgraded = ArchiveHome.at(demo_home.root)
    assert {p.access for p in upgraded.library.papers()} == {"open"}
    assert upgraded.index.paper_ids() == before
    assert "hidden_until" in upgraded.index.open().schema
    assert browse(upgraded.index).total == len(before)
    # And a curator's change now reaches the index's filter.
    set_access(upgraded, SNOW, "staff-only", None)
    upgraded.index.rebuild(upgraded.library)
    assert browse(upgraded.index).total == len(before) - 1


def test_an_upload_chosen_staff_only_is_invisible_to_the_public(
    mixed_app: Flask, staff: FlaskClient, anon: FlaskClient, tmp_path: Path
) -> None:
    from tests.conftest import DEMO_PAPERS
    from tests.pdf_factory import distinct_copy

    source = distinct_copy(DEMO_PAPERS / TIGER, tmp_path / "partner-draft.pdf", "partner draft")
    form = text_of(staff.get("/upload"))
    assert 'name="access"' in form
    token = form.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    bad = staff.post(
        "/upload",
        data={"csrf_token": token, "access": "secret", "files": [(io.BytesIO(b"%PDF"), "x.pdf")]},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 400 and "one of open, on-request, staff-only" in text_of(bad)
    sent = staff.post(
        "/upload",
        data={
            "csrf_token": token,
            "access": "staff-only",
            "files": [(io.BytesIO(source.read_bytes()), "partner-draft.pdf")],
        },
        content_type="multipart/form-data",
        headers={"Accept": "application/json"},
    )
    assert sent.status_code == 201, text_of(sent)
    assert mixed_app.extensions["staff_services"].uploads.wait_idle(60)
    home = ArchiveHome.at(Path(mixed_app.config["ARCHIVE_HOME"]))
    paper_id = paper_id_of(home, "partner-draft.pdf")
    assert home.library.get(paper_id).access == "staff-only"
    assert anon.get(f"/papers/{paper_id}").status_code == 404
    assert staff.get(f"/papers/{paper_id}").status_code == 200


def test_the_403_page_of_an_on_request_pdf_links_to_its_request_form(
    anon: FlaskClient, mixed_home: ArchiveHome
) -> None:
    paper_id = paper_id_of(mixed_home, GUIDE)
    answer = anon.get(f"/papers/{paper_id}/pdf")
    assert answer.status_code == 403
    link = f'href="/papers/{paper_id}#request-copy" id="ask-for-copy"'
    assert link in answer.get_data(as_text=True)
    form = anon.get(f"/papers/{paper_id}").get_data(as_text=True)
    assert 'id="request-copy"' in form  # the link lands on the form
    # Other 403s (none are about a paper) carry no such link.
    assert "ask-for-copy" not in anon.get("/papers/" + "0" * 64 + "/pdf").get_data(as_text=True)


def test_favicon_ico_is_served(anon: FlaskClient) -> None:
    answer = anon.get("/favicon.ico")
    assert answer.status_code == 200
    assert answer.mimetype == "image/x-icon" and answer.data[:4] == b"\x00\x00\x01\x00"
    assert "public" in answer.headers["Cache-Control"]
