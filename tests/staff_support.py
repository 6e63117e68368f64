"""The staff side of the web app through Flask's test client, shared by the staff, upload,
access and feed tests: cheap password hashing (``_cheap_password_hashing``, autouse where a test
module imports it), the app's background services, logging in through the form with its CSRF
token, uploading and waiting for the background work, and what a search finds.
"""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from typing import Any

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from flask import Flask
from flask.testing import FlaskClient
from security_support import PASSWORD, TOKEN, USER
from werkzeug.test import TestResponse

import archive.accounts


@pytest.fixture(autouse=True)
def _cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 at full strength costs about 0.3 s per check here; these tests log in a lot and
    are about the web, not the hash (tests/test_accounts.py checks the real parameters)."""
    monkeypatch.setattr(archive.accounts, "_hasher", PasswordHasher.from_parameters(CHEAPEST))


def services(app: Flask) -> Any:
    return app.extensions["staff_services"]


def token(client: FlaskClient, url: str = "/login") -> str:
    """The CSRF token of the form on ``url`` (as a browser would post it)."""
    body = client.get(url).get_data(as_text=True)
    match = TOKEN.search(body)
    assert match, f"no CSRF token in the form of {url}"
    return match.group(1)


def login(client: FlaskClient, name: str, password: str, **extra: str) -> TestResponse:
    data = {"csrf_token": token(client), "username": name, "password": password, **extra}
    return client.post("/login", data=data)


def logged_in(client: FlaskClient) -> FlaskClient:
    """The client, logged in as the curator (``USER``)."""
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    answer = client.post(
        "/login", data={"csrf_token": token, "username": USER, "password": PASSWORD}
    )
    assert answer.status_code == 303
    return client


def wait_until(condition: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("timed out waiting for the background work")
        time.sleep(0.05)


def search_ids(client: FlaskClient, query: str) -> list[str]:
    data = client.get(f"/api/search?q={query}").get_json()
    return [row["id"] for row in data.get("results", [])]


def upload(client: FlaskClient, files: list[tuple[bytes, str]], **headers: str) -> TestResponse:
    data = {
        "csrf_token": token(client, "/upload"),
        "files": [(io.BytesIO(content), name) for content, name in files],
    }
    return client.post("/upload", data=data, content_type="multipart/form-data", headers=headers)


def upload_and_wait(
    client: FlaskClient, app: Flask, files: list[tuple[bytes, str]]
) -> list[dict[str, Any]]:
    """Upload, then wait for every file's outcome; returns the batch's rows."""
    response = upload(client, files, Accept="application/json")
    assert response.status_code == 201, response.get_data(as_text=True)
    url = response.get_json()["url"]
    assert services(app).uploads.wait_idle(30)
    data = client.get(url, headers={"Accept": "application/json"}).get_json()
    assert data["pending"] == 0
    return data["files"]
