"""Signing in and posting forms over HTTP, as a browser does against a real `archive serve`
(tests/live_server.py), shared by the security reviews' tests: the curator's account, one
request with exactly the headers given (a forged Host included), a form's CSRF token and the
session cookie it belongs to, and logging in.

``USER`` and ``PASSWORD`` are also the curator's account of the staff tests that go through
Flask's test client (tests/staff_support.py).
"""

from __future__ import annotations

import http.client
import re
from urllib.parse import urlencode, urlsplit

from live_server import LiveServer

USER = "curator"
PASSWORD = "otters-and-leopards"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


class Answer:
    """One HTTP response, read whole."""

    def __init__(self, response: http.client.HTTPResponse) -> None:
        self.status = response.status
        self.headers = response.headers
        self.body = response.read()

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def cookie(self) -> str | None:
        """The ``archive_session`` cookie this response sets, as a Cookie header value."""
        for value in self.headers.get_all("Set-Cookie") or []:
            if value.startswith("archive_session="):
                return value.split(";", 1)[0]
        return None


def fetch(
    server: LiveServer,
    method: str,
    path: str,
    headers: dict[str, str] | None = None,
    body: str | None = None,
) -> Answer:
    """One request with exactly these headers (a forged Host included), redirects not followed."""
    address = urlsplit(server.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        return Answer(connection.getresponse())
    finally:
        connection.close()


def form_token(server: LiveServer, path: str, cookie: str | None = None) -> tuple[str, str]:
    """The CSRF token of the form on ``path`` and the session cookie it belongs to."""
    answer = fetch(server, "GET", path, {"Cookie": cookie} if cookie else {})
    assert answer.status == 200, (path, answer.status)
    match = TOKEN.search(answer.text)
    assert match, f"no form on {path}"
    return match.group(1), answer.cookie() or cookie or ""


def post_login(server: LiveServer, token: str, cookie: str, password: str) -> Answer:
    data = urlencode({"csrf_token": token, "username": USER, "password": password})
    return fetch(server, "POST", "/login", {**FORM, "Cookie": cookie}, data)


def log_in(server: LiveServer) -> str:
    """Log in as the curator; the session cookie."""
    token, cookie = form_token(server, "/login")
    answer = post_login(server, token, cookie, PASSWORD)
    assert answer.status == 303, answer.text
    new_cookie = answer.cookie()
    assert new_cookie
    return new_cookie
