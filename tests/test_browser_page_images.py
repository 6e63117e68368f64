"""Thumbnails and page previews in a real browser (Chromium, headless, against `archive serve`):
the results page shows each paper's first page, a snippet's preview opens that page with the
words marked and links on to the PDF. Screenshots go to tests/screenshots/."""

from __future__ import annotations

from browser_support import BROWSER_TESTS, assert_accessible, screenshot, search

pytestmark = BROWSER_TESTS


def _loaded_width(image) -> int:  # type: ignore[no-untyped-def]
    image.scroll_into_view_if_needed()
    image.page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    return int(image.evaluate("img => img.naturalWidth"))


def test_results_show_thumbnails_and_a_preview_of_the_matching_page(page) -> None:  # type: ignore[no-untyped-def]
    search(page, "Primorye")
    hits = page.locator("li.hit")
    assert hits.count() >= 2
    first = hits.first
    thumb = first.locator("img.thumb")
    assert thumb.get_attribute("loading") == "lazy"
    assert (thumb.get_attribute("alt") or "").startswith("First page of ")
    assert abs(_loaded_width(thumb) - 240) <= 1
    for number in range(min(hits.count(), 4)):
        assert _loaded_width(hits.nth(number).locator("img.thumb")) > 0
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "results-thumbnails")
    assert_accessible(page)

    preview_link = first.locator("a.preview").first
    page_link = first.locator("a.page").first
    number = (page_link.get_attribute("href") or "").rpartition("#page=")[2]
    preview_link.click()
    page.wait_for_url("**/pages/**")
    assert page.locator("h1").inner_text().startswith(f"Page {number} of ")
    image = page.locator("img.page-image")
    assert abs(_loaded_width(image) - 1000) <= 1
    # The picture of the page is itself the way on, to the PDF at that page.
    target = page.locator("a:has(img.page-image)").get_attribute("href") or ""
    assert target.endswith(f"/pdf#page={number}")
    assert page.get_by_role("link", name=f"Open the PDF at page {number}").count() == 1
    screenshot(page, "page-preview")
    assert_accessible(page)
