"""Snippets: the right passage of a page, whole words marked, PDF text escaped."""

from __future__ import annotations

import re

from indexer.engine.snippets import SNIPPET_CHARS, index_terms, snippet


def terms(*words: str) -> set[str]:
    """The index terms a query of these words looks for."""
    return {term for word in words for term in index_terms(word)}


def marked(html: str) -> list[str]:
    return re.findall(r"<mark>(.*?)</mark>", html)


def test_words_are_marked_in_any_inflection_and_only_whole() -> None:
    html = snippet("Leopards and a leopard; leopardess? snowleopard.", terms("leopard"))
    assert marked(html) == ["Leopards", "leopard"]


def test_a_hyphenated_word_is_marked_whole_for_its_joined_form() -> None:
    assert marked(snippet("A well-known problem.", terms("wellknown"))) == ["well-known"]
    assert marked(snippet("A well-known problem.", terms("known"))) == ["well-known"]


def test_accents_and_korean() -> None:
    assert marked(snippet("Les requêtes SQL.", terms("requetes"))) == ["requêtes"]
    html = snippet("서울특별시 할인점에서 조사를 실시하였다", terms("할인점"))
    assert marked(html) == ["할인점에서"]


def test_words_whose_stem_is_not_their_beginning() -> None:
    """Arabic stems may drop a prefix, and decomposed accents change the text's length when
    folded: both are still found and marked."""
    assert marked(snippet("النمر العربي مهدد", terms("العربي"))) == ["العربي"]
    decomposed = "Les reque\u0302tes et les leopards."
    assert marked(snippet(decomposed, terms("requetes"))) == ["reque\u0302tes"]


def test_the_passage_with_most_query_words_wins() -> None:
    filler = "Nothing to see in this sentence at all. " * 20
    text = f"Tigers here. {filler}Tigers and leopards together. {filler}"
    html = snippet(text, terms("tiger", "leopard"))
    assert marked(html) == ["Tigers", "leopards"]
    assert html.startswith("…") and html.endswith("…")
    assert len(html.replace("<mark>", "").replace("</mark>", "")) <= SNIPPET_CHARS + 2


def test_pdf_text_is_escaped() -> None:
    html = snippet('<script>alert("leopard")</script> & leopard <b>', terms("leopard"))
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "&amp;" in html and "&#34;" in html
    assert marked(html) == ["leopard", "leopard"]


def test_no_query_word_no_snippet() -> None:
    assert snippet("Wolves and deer.", terms("leopard")) == ""
    assert snippet("", terms("leopard")) == ""
    # Regular-expression characters in the text are text.
    assert marked(snippet("c++ (a|b) leopard.*", terms("leopard"))) == ["leopard"]
