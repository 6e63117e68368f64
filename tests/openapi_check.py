"""Real API responses checked against the OpenAPI document (with jsonschema), shared by the
OpenAPI, serving and query-warning tests."""

from __future__ import annotations

import re
from typing import Any

from jsonschema import Draft202012Validator
from werkzeug.test import TestResponse

from webui.public.openapi import OPENAPI


def _template_of(path: str) -> str:
    """The document's path template that ``path`` (without query) matches."""
    for template in OPENAPI["paths"]:
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, path):
            return template
    raise AssertionError(f"{path} is not in the OpenAPI document")


def check(response: TestResponse, path: str) -> Any:
    """Validate a real response against the document: its status must be documented for the
    path, and its JSON body must match that status's schema. Returns the body."""
    operation = OPENAPI["paths"][_template_of(path)]["get"]
    documented = operation["responses"]
    assert str(response.status_code) in documented, (
        f"{path} answered {response.status_code}, which the document does not list"
    )
    media = documented[str(response.status_code)]["content"]
    assert response.mimetype in media
    schema = {**media[response.mimetype]["schema"], "components": OPENAPI["components"]}
    body = response.get_json()
    errors = sorted(Draft202012Validator(schema).iter_errors(body), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)
    return body
