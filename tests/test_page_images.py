"""Thumbnails of every paper and previews of a matching page with the query's words marked:
drawn at import, by `archive thumbnails` and `verify --repair`, served with caching headers."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import time
import urllib.request
from pathlib import Path

import pypdfium2
import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from PIL import Image

from archive.library import THUMBNAIL_FAILED_NAME, THUMBNAIL_NAME
from indexer.cli.main import main
from indexer.home import ArchiveHome
from indexer.ingest.importer import ADDED, ImportReport, import_paths
from indexer.pictures.page_images import (
    HIGHLIGHT,
    PREVIEW_WIDTH,
    WordsToMark,
    render_preview,
    words_to_mark,
)
from indexer.pictures.page_render_worker import PreviewRenderer
from indexer.pictures.preview_cache import PreviewCache, preview_key
from indexer.pictures.thumbnails import papers_needing_thumbnails
from indexer.verify import THUMBNAIL_MISSING, verify
from webui import create_app

from conftest import CORPUS, DEMO_PAPERS, paper_id_of
from live_server import live_server
from pdf_factory import distinct_copy

LEOPARD = "amur-leopard-fact-sheet.pdf"


def rootless_pdf(source: Path, target: Path) -> Path:
    """A copy of ``source`` whose trailer lost its /Root: pypdf still finds the pages (it
    searches for the catalog), PDFium refuses the file. A real kind of damage."""
    data = re.sub(rb"/Root \d+ 0 R", b"", source.read_bytes())
    target.write_bytes(data)
    return target


def _image(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _has_ink(image: Image.Image) -> bool:
    """True when the picture is not one flat colour (a page was really drawn)."""
    low, high = image.convert("L").getextrema()
    return high - low > 100


def test_every_demo_paper_has_a_thumbnail_of_its_first_page(demo_home: ArchiveHome) -> None:
    for paper in demo_home.library.papers():
        path = demo_home.library.derived_path(paper.id, THUMBNAIL_NAME)
        image = _image(path.read_bytes())
        assert image.format == "WEBP"
        assert abs(image.width - 240) <= 1 and 250 < image.height < 480  # A4 and letter
        assert _has_ink(image)
        assert path.stat().st_size < 40_000


def test_corpus_papers_get_thumbnails_scans_included(
    corpus_import: tuple[ArchiveHome, ImportReport],
) -> None:
    home, report = corpus_import
    added = [outcome for outcome in report.files if outcome.status == ADDED]
    assert len(added) > 50
    by_name = {}
    for outcome in added:
        assert outcome.id is not None
        thumb = home.library.derived_path(outcome.id, THUMBNAIL_NAME)
        failed = home.library.derived_path(outcome.id, THUMBNAIL_FAILED_NAME)
        assert thumb.is_file() != failed.is_file(), outcome.path
        by_name[Path(outcome.path).name] = (thumb, failed, outcome)
    # Scanned pages (no text layer) are pictures, and their thumbnails show them.
    for scan in ("imagemagick-CCITTFaxDecode.pdf", "loremipsum-flat.pdf"):
        thumb, _, _ = by_name[scan]
        assert _has_ink(_image(thumb.read_bytes())), scan
    drawn = sum(1 for thumb, _, _ in by_name.values() if thumb.is_file())
    assert drawn >= len(added) - 2
    # One corpus file is damaged in a way pypdf gets past and PDFium does not: a placeholder.
    for _thumb, failed, outcome in by_name.values():
        if failed.is_file():
            assert "no thumbnail" in (outcome.reason or "")
            assert "placeholder" in failed.read_text("utf-8")


def test_a_damaged_pdf_gets_the_placeholder_and_is_still_imported(tmp_path: Path) -> None:
    broken = rootless_pdf(DEMO_PAPERS / LEOPARD, tmp_path / "leopard-damaged.pdf")
    report_file = tmp_path / "report.json"
    home_path = tmp_path / "home"
    result = CliRunner().invoke(
        main, ["--home", str(home_path), "import", str(broken), "--report", str(report_file)]
    )
    assert result.exit_code == 0, result.output
    [row] = json.loads(report_file.read_text())["files"]
    assert row["status"] == "added" and row["pages"] == 3
    assert "no thumbnail" in row["reason"] and "placeholder" in row["reason"]
    home = ArchiveHome.at(home_path)
    assert home.library.derived_path(row["id"], THUMBNAIL_FAILED_NAME).is_file()
    assert not home.library.derived_path(row["id"], THUMBNAIL_NAME).exists()
    # It is searchable, verify has nothing to say, and the web shows the placeholder.
    assert verify(home).clean
    client = create_app({"ARCHIVE_HOME": str(home_path), "TESTING": True}).test_client()
    thumb = client.get(f"/papers/{row['id']}/thumbnail.webp")
    assert thumb.status_code == 200 and thumb.mimetype == "image/svg+xml"
    assert b"No preview" in thumb.data
    preview = client.get(f"/papers/{row['id']}/pages/1/preview.png?q=leopard")
    assert preview.status_code == 200 and preview.mimetype == "image/svg+xml"


def test_a_home_from_before_gets_its_thumbnails_from_the_command(
    demo_home: ArchiveHome, tmp_path: Path
) -> None:
    for paper_id in demo_home.library.ids():  # as an older version left the folders
        demo_home.library.derived_path(paper_id, THUMBNAIL_NAME).unlink()
    client = create_app({"ARCHIVE_HOME": str(demo_home.root), "TESTING": True}).test_client()
    paper_id = paper_id_of(demo_home, LEOPARD)
    before = client.get(f"/papers/{paper_id}/thumbnail.webp")
    assert before.mimetype == "image/svg+xml" and before.cache_control.max_age == 3600
    report = verify(demo_home)
    assert {p.kind for p in report.problems} == {THUMBNAIL_MISSING} and len(report.problems) == 5

    runner, home_args = CliRunner(), ["--home", str(demo_home.root)]
    result = runner.invoke(main, [*home_args, "thumbnails", "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert "Drew 5 thumbnails; 0 placeholders." in result.output
    again = runner.invoke(main, [*home_args, "thumbnails"])
    assert again.exit_code == 0 and "Every paper has its thumbnail." in again.output
    assert verify(demo_home).clean
    after = client.get(f"/papers/{paper_id}/thumbnail.webp")
    assert after.mimetype == "image/webp" and after.headers["Cache-Control"] == "public, no-cache"
    assert _image(after.data).format == "WEBP"


def test_verify_counts_many_missing_thumbnails_in_one_line(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    for number in range(12):
        distinct_copy(DEMO_PAPERS / LEOPARD, inbox / f"copy-{number}.pdf", f"copy {number}")
    home = ArchiveHome.at(tmp_path / "home")
    assert not import_paths(home, [inbox], jobs=1).failed
    for paper_id in home.library.ids():  # as an older version left the folders
        home.library.derived_path(paper_id, THUMBNAIL_NAME).unlink()
    result = CliRunner().invoke(main, ["--home", str(home.root), "verify"])
    assert result.exit_code == 1
    assert "12 problems:" in result.output
    assert (
        "12 papers have no thumbnail yet" in result.output and "archive thumbnails" in result.output
    )
    assert "thumbnail.webp) is missing" not in result.output


def test_the_server_draws_missing_thumbnails_at_start(demo_home: ArchiveHome) -> None:
    for paper_id in demo_home.library.ids():
        demo_home.library.derived_path(paper_id, THUMBNAIL_NAME).unlink()
    with live_server(demo_home.root) as server:
        paper_id = paper_id_of(demo_home, LEOPARD)
        url = f"{server.url}/papers/{paper_id}/thumbnail.webp"
        deadline = time.monotonic() + 60  # a bound on waiting, not a timed assertion
        content_type = ""
        while time.monotonic() < deadline:
            with urllib.request.urlopen(url) as response:
                content_type = response.headers["Content-Type"]
                body = response.read()
            if content_type == "image/webp":
                break
            time.sleep(0.2)
        assert content_type == "image/webp", server.output()
        assert _image(body).format == "WEBP"
        while time.monotonic() < deadline and papers_needing_thumbnails(demo_home.library):
            time.sleep(0.2)
    assert verify(demo_home).clean


def test_verify_repair_draws_a_missing_thumbnail(demo_home: ArchiveHome) -> None:
    paper_id = paper_id_of(demo_home, LEOPARD)
    demo_home.library.derived_path(paper_id, THUMBNAIL_NAME).unlink()
    result = CliRunner().invoke(main, ["--home", str(demo_home.root), "verify"])
    assert result.exit_code == 1 and "thumbnail (thumbnail.webp) is missing" in result.output
    result = CliRunner().invoke(main, ["--home", str(demo_home.root), "verify", "--repair"])
    assert result.exit_code == 0, result.output
    assert "Drew the thumbnail of 1 paper." in result.output
    assert "Indexed" not in result.output  # the index was fine: nothing reindexed
    assert demo_home.library.derived_path(paper_id, THUMBNAIL_NAME).is_file()


def test_results_browse_and_paper_pages_show_thumbnails(client: FlaskClient) -> None:
    page = client.get("/search?q=leopard").get_data(as_text=True)
    thumbs = re.findall(r'<img class="thumb" src="([^"]+)" alt="([^"]+)" loading="lazy"', page)
    assert len(thumbs) >= 3
    assert all(alt.startswith("First page of ") for _, alt in thumbs)
    assert client.get(thumbs[0][0]).mimetype == "image/webp"
    browse = client.get("/browse").get_data(as_text=True)
    assert browse.count('class="thumb"') == 5
    # A result links to its paper with the search (?q=..., for "Back to results").
    paper_url = re.search(r'<h2><a href="(/papers/[0-9a-f]{64})(?:\?[^"]*)?">', page).group(1)
    assert 'class="thumb"' in client.get(paper_url).get_data(as_text=True)


def test_each_snippet_links_to_a_preview_that_links_on_to_the_pdf(client: FlaskClient) -> None:
    page = client.get("/search?q=camera+traps").get_data(as_text=True)
    links = re.findall(r'<a class="preview" href="([^"]+)"', page)
    assert links
    url = links[0].replace("&amp;", "&")
    match = re.fullmatch(r"/papers/([0-9a-f]{64})/pages/(\d+)\?q=camera\+traps", url)
    assert match, url
    paper_id, number = match.groups()
    preview_page = client.get(url)
    assert preview_page.status_code == 200
    html = preview_page.get_data(as_text=True)
    assert f'href="/papers/{paper_id}/pdf#page={number}"' in html
    image_url = re.search(r'<img class="page-image" src="([^"]+)"', html).group(1)
    image = client.get(image_url.replace("&amp;", "&"))
    assert image.status_code == 200 and image.mimetype == "image/png"
    assert abs(_image(image.data).width - PREVIEW_WIDTH) <= 1


def _word_pixels(pdf: Path, number: int, word: str, width: int) -> list[tuple[int, int]]:
    """Pixels inside the boxes of ``word`` on a page, found with PDFium's own text search
    (not the code under test), in a picture ``width`` pixels wide."""
    document = pypdfium2.PdfDocument(str(pdf))
    page = document[number - 1]
    page_width, page_height = page.get_size()
    scale = width / page_width
    textpage = page.get_textpage()
    searcher = textpage.search(word)
    pixels = []
    while (found := searcher.get_next()) is not None:
        start, count = found
        for rect in range(textpage.count_rects(start, count)):
            left, bottom, right, top = textpage.get_rect(rect)
            for x in range(int(left * scale) + 1, int(right * scale)):
                for y in range(
                    int((page_height - top) * scale) + 1, int((page_height - bottom) * scale)
                ):
                    pixels.append((x, y))
    document.close()
    return pixels


def _is_highlight(pixel: tuple[int, int, int]) -> bool:
    return all(abs(a - b) <= 8 for a, b in zip(pixel, HIGHLIGHT, strict=True))


def test_the_preview_marks_the_words_where_they_stand(
    client: FlaskClient, demo_home: ArchiveHome
) -> None:
    paper_id = paper_id_of(demo_home, LEOPARD)
    marked = _image(client.get(f"/papers/{paper_id}/pages/1/preview.png?q=Primorye").data)
    plain = _image(client.get(f"/papers/{paper_id}/pages/1/preview.png").data)
    assert marked.size == plain.size
    pdf = DEMO_PAPERS / LEOPARD
    inside = _word_pixels(pdf, 1, "Primorye", marked.width)
    assert inside
    # The paper behind the word turns yellow; without the query it stays white.
    assert sum(_is_highlight(marked.getpixel(p)) for p in inside) > len(inside) / 3
    assert not any(_is_highlight(plain.getpixel(p)) for p in inside)
    # A word not asked for is left alone.
    elsewhere = _word_pixels(pdf, 1, "Heilongjiang", marked.width)
    assert elsewhere and not any(_is_highlight(marked.getpixel(p)) for p in elsewhere)


def test_highlights_follow_the_search_stemming_and_accents() -> None:
    pdf = DEMO_PAPERS / LEOPARD
    _, marked = render_preview(pdf, 1, words_to_mark("leopards"))
    _, plain_word = render_preview(pdf, 1, words_to_mark("LEOPARD"))
    assert marked == plain_word and marked >= 10  # "leopard", "Leopard", "leopards"
    _, accented = render_preview(pdf, 1, words_to_mark("Primórye"))
    assert accented == 2
    _, prefix = render_preview(pdf, 1, words_to_mark("leop*"))
    assert prefix == marked
    _, excluded = render_preview(pdf, 1, words_to_mark("-leopard OR title:primorye"))
    assert excluded == 2
    assert render_preview(pdf, 1, WordsToMark())[1] == 0


def test_previews_mark_the_other_names_the_search_added(
    client: FlaskClient, demo_home: ArchiveHome
) -> None:
    paper_id = paper_id_of(demo_home, LEOPARD)
    pdf = DEMO_PAPERS / LEOPARD
    marked = _image(client.get(f"/papers/{paper_id}/pages/1/preview.png?q=Primorye").data)
    # "Primorsky Krai" is another name of Primorye in the thesaurus: the snippet marks it too.
    inside = _word_pixels(pdf, 1, "Primorsky", marked.width)
    assert inside and sum(_is_highlight(marked.getpixel(p)) for p in inside) > len(inside) / 3
    exact = _image(client.get(f"/papers/{paper_id}/pages/1/preview.png?q=%22Primorye%22").data)
    assert not any(_is_highlight(exact.getpixel(p)) for p in inside)


def test_words_to_mark_reads_only_words() -> None:
    words = words_to_mark('"camera traps" -tiger OR author:Petrova year:2020 leop*')
    assert {"camera", "trap", "petrova"} <= words.terms
    assert "tiger" not in words.terms and "2020" not in words.terms
    assert words.prefixes == ("leop",)
    assert words_to_mark("../../etc/passwd").terms == {"etc", "passwd"}  # words, not a path


@pytest.mark.parametrize(
    "path",
    [
        "/papers/{id}/pages/0/preview.png",
        "/papers/{id}/pages/4/preview.png",  # the sheet has 3 pages
        "/papers/{id}/pages/-1/preview.png",
        "/papers/{id}/pages/one/preview.png",
        "/papers/{id}/pages/99999999999999999999/preview.png",
        "/papers/{id}/pages/0",
        "/papers/{id}/pages/4",
        "/papers/{short}/pages/1/preview.png",
        "/papers/{short}/thumbnail.webp",
        "/papers/{missing}/pages/1/preview.png",
        "/papers/{missing}/thumbnail.webp",
        "/papers/..%2F..%2Fetc/thumbnail.webp",
    ],
)
def test_bad_page_numbers_and_ids_are_404(
    client: FlaskClient, demo_home: ArchiveHome, path: str
) -> None:
    paper_id = paper_id_of(demo_home, LEOPARD)
    url = path.format(id=paper_id, short=paper_id[:12], missing="0" * 64)
    response = client.get(url)
    assert response.status_code == 404


def test_a_query_is_only_words_never_a_path(client: FlaskClient, demo_home: ArchiveHome) -> None:
    paper_id = paper_id_of(demo_home, LEOPARD)
    for query in ("../../../../etc/passwd", "%00", "<script>alert(1)</script>", "x" * 5000):
        response = client.get(f"/papers/{paper_id}/pages/1/preview.png", query_string={"q": query})
        assert response.status_code == 200 and response.mimetype == "image/png"
    page = client.get(f"/papers/{paper_id}/pages/1", query_string={"q": "<script>x</script>"})
    assert b"<script>x</script>" not in page.data and b"&lt;script&gt;" in page.data


def test_previews_are_cached_with_an_etag_and_revalidated(
    client: FlaskClient, demo_home: ArchiveHome
) -> None:
    paper_id = paper_id_of(demo_home, LEOPARD)
    url = f"/papers/{paper_id}/pages/2/preview.png?q=camera"
    first = client.get(url)
    assert first.status_code == 200
    etag = first.headers["ETag"].strip('"')
    assert etag == preview_key(paper_id, 2, words_to_mark("camera"))
    # Who may see it can change (issue 14): a cache keeps it but asks again, for a cheap 304.
    assert first.headers["Cache-Control"] == "public, no-cache"
    cached = demo_home.root / "cache" / "previews" / etag[:2] / f"{etag}.png"
    assert cached.read_bytes() == first.data
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and not again.data
    assert again.headers["ETag"] == first.headers["ETag"]
    # The same words in another spelling are the same picture (and the same cached file).
    other = client.get(f"/papers/{paper_id}/pages/2/preview.png?q=Cameras")
    assert other.headers["ETag"] == first.headers["ETag"]


def test_the_cache_drops_the_least_recently_used_beyond_its_cap(tmp_path: Path) -> None:
    cache = PreviewCache(tmp_path / "previews", max_bytes=3000)
    keys = [f"{number:064x}" for number in range(5)]
    for age, key in enumerate(keys[:3]):
        path = cache.put(key, b"x" * 900)
        os.utime(path, (1_000_000 + age, 1_000_000 + age))
    assert cache.get(keys[0]) is not None  # used again: now the newest
    cache.put(keys[3], b"x" * 900)  # 3600 bytes > 3000: the oldest used go
    assert cache.get(keys[1]) is None
    assert cache.get(keys[0]) is not None and cache.get(keys[3]) is not None
    assert cache.size() <= 3000
    with pytest.raises(ValueError):
        cache.get("../../etc/passwd")


def test_a_renderer_that_died_is_replaced(tmp_path: Path) -> None:
    renderer = PreviewRenderer(timeout_s=30)
    pdf = shutil.copy(DEMO_PAPERS / LEOPARD, tmp_path / "p.pdf")
    try:
        data, marked = renderer.render(Path(pdf), 1, words_to_mark("leopard"))
        assert marked >= 10 and _image(data).format == "PNG"
        assert renderer._worker is not None
        renderer._worker[0].kill()  # as the out-of-memory killer would
        renderer._worker[0].join()
        data_again, marked_again = renderer.render(Path(pdf), 1, words_to_mark("leopard"))
        assert data_again == data and marked_again == marked
    finally:
        renderer.close()


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is absent")
def test_corpus_pages_preview_with_marks(corpus_import: tuple[ArchiveHome, ImportReport]) -> None:
    home, report = corpus_import
    searched = 0
    for outcome in report.files:
        if outcome.status != ADDED or not outcome.id:
            continue
        pages = home.library.page_texts(outcome.id)
        words = [w for w in re.findall(r"[A-Za-z]{6,}", pages[0])][:1]
        if not words:
            continue
        pdf = home.library.pdf_path(outcome.id)
        if home.library.derived_path(outcome.id, THUMBNAIL_FAILED_NAME).is_file():
            continue
        _, marked = render_preview(pdf, 1, words_to_mark(words[0]))
        assert marked >= 1, (outcome.path, words[0])
        searched += 1
        if searched == 15:
            break
    assert searched == 15
