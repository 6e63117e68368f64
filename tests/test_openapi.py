"""The JSON API against its OpenAPI document: real responses validated with jsonschema."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from web_pages import ODD_QUERIES, hostile_paper

from archive.questions import Link, QuestionStore
from indexer.home import ArchiveHome
from indexer.published_answers import sync_answers
from webui.public.openapi import OPENAPI

from openapi_check import check

__all__ = ["hostile_paper"]  # a fixture, used by name


def test_document_is_served_and_its_schemas_are_valid(client: FlaskClient) -> None:
    """/api/openapi.json serves the document; every schema in it is valid JSON Schema."""
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.get_json() == OPENAPI
    assert OPENAPI["openapi"].startswith("3.1")
    for schema in OPENAPI["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    for template, item in OPENAPI["paths"].items():
        assert set(re.findall(r"\{(\w+)\}", template)) == {
            p["name"] for p in item["get"].get("parameters", []) if p["in"] == "path"
        }


@pytest.mark.parametrize(
    "url",
    [
        "/api/search?q=leopard",
        "/api/search?q=amur+leopard&sort=newest",
        "/api/search?q=leopard&limit=2&page=2",
        "/api/search?q=leopard&limit=2&page=9",
        "/api/search?q=zebra",
        "/api/search?q=year:2010-2018",
        "/api/search?q=",
        "/api/search?q=((",
        "/api/search",
        "/healthz",
    ],
)
def test_search_responses_match_the_document(client: FlaskClient, url: str) -> None:
    """Results, empty results, paging past the end and unusable queries all match."""
    check(client.get(url), url.split("?")[0])


@pytest.mark.parametrize("query", ODD_QUERIES.values(), ids=ODD_QUERIES.keys())
def test_odd_queries_match_the_document(client: FlaskClient, query: str) -> None:
    """Whatever is typed, the answer is a documented status with a documented body."""
    check(client.get(f"/api/search?q={quote(query)}"), "/api/search")


def test_every_paper_matches_the_document(client: FlaskClient, demo_home: ArchiveHome) -> None:
    """Each paper's metadata matches the Paper schema."""
    for paper in demo_home.library.papers():
        body = check(client.get(f"/api/papers/{paper.id}"), f"/api/papers/{paper.id}")
        assert body["id"] == paper.id


def test_hostile_paper_matches_the_document(client: FlaskClient, hostile_paper: str) -> None:
    """A paper with markup in its metadata, and a search finding it, still match."""
    check(client.get(f"/api/papers/{hostile_paper}"), f"/api/papers/{hostile_paper}")
    body = check(client.get("/api/search?q=quokka"), "/api/search")
    assert body["results"][0]["snippets"]


@pytest.mark.parametrize("paper_id", ["0" * 64, "abc", "..%2F..%2Fetc%2Fpasswd"])
def test_unknown_paper_matches_the_document(client: FlaskClient, paper_id: str) -> None:
    """An unknown paper is a documented 404 with an Error body."""
    response = client.get(f"/api/papers/{paper_id}")
    assert response.status_code == 404
    check(response, "/api/papers/x")


def test_an_undocumented_field_fails_the_check(client: FlaskClient) -> None:
    """The check is real: a field the document does not name is an error."""
    response = client.get("/api/search?q=leopard")
    schema = {"$ref": "#/components/schemas/SearchResults", "components": OPENAPI["components"]}
    body = response.get_json()
    body["results"][0]["surprise"] = 1
    assert list(Draft202012Validator(schema).iter_errors(body))


def test_published_answers_match_the_document(client: FlaskClient, demo_home: ArchiveHome) -> None:
    """A search that finds an answer the charity published lists it, with the paper it cites,
    as the document says; the first page only."""
    paper = next(iter(demo_home.library.papers()))
    store = QuestionStore(demo_home.root)
    item = store.add("Where do quolls den?", "reader@example.org", name="Ada")
    store.answer(item.id, "In hollow logs.", [Link(paper.id, paper.title, 1)], "curator")
    store.publish(item.id, "Where do quolls make their dens?", "In hollow logs and rock piles.")
    sync_answers(demo_home.index, demo_home.root)
    body = check(client.get("/api/search?q=quolls+dens"), "/api/search")
    [found] = body["published_answers"]
    assert found["question"] == "Where do quolls make their dens?"
    assert found["cited"] == [
        {
            "id": paper.id,
            "title": paper.title,
            "page": 1,
            "url": f"http://localhost/papers/{paper.id}",
        }
    ]
    later = check(client.get("/api/search?q=quolls+dens&page=2"), "/api/search")
    assert later["published_answers"] == []
