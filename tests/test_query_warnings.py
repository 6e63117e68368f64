"""A field that cannot be used says so (issue 25): ``author:`` with nothing after it, ``year:abc``
and their kind no longer silently become word searches. Each says what was wrong and what was
searched instead, on the results page (in the reader's language), in the JSON (``warnings``)
and on the command line."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from flask.testing import FlaskClient
from web_pages import text_of

from indexer.cli.main import main
from indexer.engine.query_language import field_problems
from indexer.engine.search import QueryError, search
from indexer.home import ArchiveHome

from openapi_check import check

EMPTY_AUTHOR = (
    "author: has nothing after it, so it was left out; write what to look for right after the "
    "colon, as in author:Petrova."
)
YEAR_ABC = (
    "year:abc is not a year (write year:2018, year:2010s or year:2010-2018), so abc was "
    "searched as a word instead."
)


@pytest.mark.parametrize(
    ("typed", "searched", "said"),
    [
        ("leopard author:", "leopard", [EMPTY_AUTHOR]),
        ('author:"" tiger', "tiger", [EMPTY_AUTHOR]),
        ("Title: leopard author:", "Title: leopard", [EMPTY_AUTHOR]),
        ("author: year:2018 leopard", "year:2018 leopard", [EMPTY_AUTHOR]),
        ("year:abc", "abc", [YEAR_ABC]),
        ("snow leopard year:20l8", "snow leopard 20l8", ["year:20l8 is not a year"]),
        ("leopard tag:", "leopard", ["tag: has nothing after it", "as in tag:leopard."]),
        ("tiger year:", "tiger", ["year: has nothing after it", "as in year:2018."]),
    ],
)
def test_what_cannot_be_used_is_said_and_replaced(
    typed: str, searched: str, said: list[str]
) -> None:
    text, warnings = field_problems(typed)
    assert text == searched
    assert len(warnings) == 1
    assert all(part in warnings[0] for part in said)


@pytest.mark.parametrize(
    "typed",
    [
        "year:2018",
        "year:2010s",
        "year:2010-2018",
        "year:2010..2018",
        "year:[2010 TO 2018]",
        "year:>2010",
        "author:Petrova",
        'author:"Anna Petrova"',
        "author: Petrova",  # a space after the colon still names the author
        "title:leopard",
        "doi:10.1234/abc",
        "what is the year: a question",
        "leopard -snow",
    ],
)
def test_fields_that_work_say_nothing(typed: str) -> None:
    assert field_problems(typed) == (typed, [])


def test_a_year_followed_by_a_comma_is_a_year() -> None:
    assert field_problems("year:2018, leopard") == ("year:2018 leopard", [])


def test_search_carries_the_warnings(demo_home: ArchiveHome) -> None:
    """year:abc finds what the word does and says so; leopard author: finds the leopard
    papers (it used to look for the word "author" too, and found none)."""
    found = search(demo_home.index, "leopard author:")
    assert found.total >= 3 and found.warnings == [EMPTY_AUTHOR]
    assert search(demo_home.index, "year:abc leopard").warnings == [YEAR_ABC]
    assert search(demo_home.index, "leopard year:2024").warnings == []
    with pytest.raises(QueryError) as raised:
        search(demo_home.index, "author:")
    assert str(raised.value).startswith(EMPTY_AUTHOR)
    assert "There is nothing to search for" in str(raised.value)


def test_results_page_says_it_on_one_line(client: FlaskClient) -> None:
    page = text_of(client.get("/search?q=leopard+author:"))
    assert f'<p class="notice warning" role="status">{EMPTY_AUTHOR}</p>' in page
    assert "Leopard" in page  # the leopard papers are listed


def test_results_page_says_it_in_russian(client: FlaskClient) -> None:
    page = text_of(client.get("/search?q=year:abc+leopard", headers={"Accept-Language": "ru"}))
    assert "year:abc — не год" in page and "искали слово abc" in page
    alone = text_of(client.get("/search?q=author:", headers={"Accept-Language": "ru"}))
    assert "После author: ничего нет" in alone
    assert "этом запросе нечего искать." in alone


def test_api_has_warnings(client: FlaskClient) -> None:
    body = check(client.get("/api/search?q=year:abc+leopard"), "/api/search")
    assert body["warnings"] == [YEAR_ABC]
    assert check(client.get("/api/search?q=leopard"), "/api/search")["warnings"] == []
    error = client.get("/api/search?q=author:")
    assert error.status_code == 400 and error.get_json()["error"].startswith(EMPTY_AUTHOR)


def test_command_line_says_it(demo_home: ArchiveHome) -> None:
    runner = CliRunner()
    home = ["--home", str(demo_home.root)]
    result = runner.invoke(main, [*home, "search", "leopard author:"])
    assert result.exit_code == 0
    assert f"Note: {EMPTY_AUTHOR}" in result.stderr
    assert "papers match 'leopard author:'" in result.stdout
    as_json = runner.invoke(main, [*home, "search", "year:abc leopard", "--json"])
    assert json.loads(as_json.stdout)["warnings"] == [YEAR_ABC]
    plain = runner.invoke(main, [*home, "search", "leopard", "--json"])
    assert "warnings" not in json.loads(plain.stdout)  # the PRODUCT.md contract, unchanged
    alone = runner.invoke(main, [*home, "search", "author:"])
    assert alone.exit_code == 1 and EMPTY_AUTHOR in alone.stderr
