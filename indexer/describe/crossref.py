"""Metadata by DOI from the Crossref REST API (optional, off unless asked for).

A paper whose DOI is known gets its title, authors, year, container title (journal or
proceedings), volume, issue, pages and publisher from ``GET {crossref_url}/works/{doi}``. The
answer is kept in the paper's sidecar (``Paper.crossref``), so that a refresh or a second import
does not ask again, and values people chose (staff, a metadata file) are never replaced.

The client is the standard library's ``urllib``: one GET with a timeout and two headers is all it
takes, and a dependency such as ``requests`` would add nothing here. Crossref asks clients to
say who they are (a User-Agent with a contact address, and ``mailto``: its "polite pool").

Nothing here raises on a bad answer: :func:`look_up` returns a :class:`Lookup` whose ``problem``
says, for a person, why the paper kept its own metadata (no network, a timeout, no record, an
answer that is not JSON...).
"""

from __future__ import annotations

import html
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from archive.paper import Paper, doc_type_from, utc_now
from archive.settings import Settings
from indexer.normalize import clean_field
from indexer.schema import doi_key

SOURCE = "crossref"
AGENT = "ConservationPaperArchive/1.0"
# A work record is a few kilobytes (tens with a long reference list); more is not a record.
MAX_ANSWER_BYTES = 4 * 1024 * 1024
_TAG = re.compile(r"<[^>]{0,200}>")
_DASHES = re.compile(r"\s*[-\u2010-\u2015]+\s*")
# Crossref's work types, as the archive's document types.
_TYPES = {
    "journal-article": "article",
    "proceedings-article": "conference",
    "book-chapter": "book",
    "book": "book",
    "monograph": "book",
    "edited-book": "book",
    "report": "report",
    "dissertation": "thesis",
}


class LookupProblem(Exception):
    """Crossref could not be asked or did not answer usefully; ``str()`` says why."""


class RedirectRefused(urllib.error.URLError):
    """Crossref's address redirected elsewhere: not followed (issue 22)."""


class _SameHostRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to the configured Crossref host (its scheme and port too): an
    answer sending the client to any other host (a hijacked DNS name, a proxy's trick, an
    internal address) is refused rather than fetched."""

    def __init__(self, base_url: str) -> None:
        self.origin = urllib.parse.urlsplit(base_url)[:2]

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        if urllib.parse.urlsplit(newurl)[:2] != self.origin:
            raise RedirectRefused(
                f"Crossref's address redirected to another host "
                f"({urllib.parse.urlsplit(newurl).netloc}); not followed"
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


@dataclass(frozen=True)
class CrossrefClient:
    """Asks Crossref about one DOI at a time. ``base_url`` is configurable so that tests (and
    a mirror) can stand in for ``https://api.crossref.org``."""

    mailto: str
    base_url: str = "https://api.crossref.org"
    timeout_s: float = 10.0

    @classmethod
    def from_settings(cls, settings: Settings) -> CrossrefClient | None:
        """The client the settings describe, or None without a contact address."""
        if not settings.crossref_mailto:
            return None
        return cls(
            mailto=settings.crossref_mailto,
            base_url=settings.crossref_url,
            timeout_s=float(settings.crossref_timeout),
        )

    def url(self, doi: str) -> str:
        """The address of a DOI's work record (the DOI quoted: it may hold ``?``, ``#``, ``;``)."""
        query = urllib.parse.urlencode({"mailto": self.mailto})
        return f"{self.base_url.rstrip('/')}/works/{urllib.parse.quote(doi, safe='/')}?{query}"

    def fetch(self, doi: str) -> dict[str, Any] | None:
        """The work record (Crossref's ``message``) of a DOI, or None when Crossref has none.
        Raises :class:`LookupProblem` on anything else."""
        request = urllib.request.Request(
            self.url(doi),
            headers={
                "User-Agent": f"{AGENT} (mailto:{self.mailto})",
                "Accept": "application/json",
            },
        )
        opener = urllib.request.build_opener(_SameHostRedirects(self.base_url))
        try:
            with opener.open(request, timeout=self.timeout_s) as response:
                body = response.read(MAX_ANSWER_BYTES + 1)
        except RedirectRefused as error:
            raise LookupProblem(str(error)) from None
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return None
            if error.code in (429, 503):
                raise LookupProblem(
                    f"Crossref is busy (HTTP {error.code}); try again later"
                ) from None
            raise LookupProblem(f"Crossref answered HTTP {error.code}") from None
        except TimeoutError:
            raise LookupProblem(f"Crossref did not answer within {self.timeout_s:g} s") from None
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                raise LookupProblem(
                    f"Crossref did not answer within {self.timeout_s:g} s"
                ) from None
            raise LookupProblem(f"Crossref cannot be reached ({error.reason})") from None
        except OSError as error:  # a connection reset half-way, for instance
            raise LookupProblem(f"Crossref cannot be reached ({error})") from None
        if len(body) > MAX_ANSWER_BYTES:
            raise LookupProblem("Crossref's answer was too large to be a work record")
        try:
            answer = json.loads(body)
        except ValueError:
            raise LookupProblem("Crossref's answer was not readable (not JSON)") from None
        message = answer.get("message") if isinstance(answer, dict) else None
        if not isinstance(message, dict) or answer.get("message-type", "work") != "work":
            raise LookupProblem("Crossref's answer was not a work record")
        return message


def _text(value: Any) -> str:
    """One metadata value: Crossref's lists hold one string, titles may hold JATS/HTML tags
    (``<i>Panthera</i>``) and entities (``&amp;``)."""
    if isinstance(value, list):
        value = next((item for item in value if isinstance(item, str) and item.strip()), "")
    if not isinstance(value, str | int):
        return ""
    return clean_field(html.unescape(_TAG.sub("", str(value))))


def _year(message: dict[str, Any]) -> int | None:
    for key in ("issued", "published-print", "published-online", "published", "created"):
        try:
            year = message[key]["date-parts"][0][0]
        except (KeyError, IndexError, TypeError):
            continue
        if isinstance(year, int) and 1500 <= year <= 2200:
            return year
    return None


def _authors(message: dict[str, Any]) -> list[str]:
    names = []
    for person in message.get("author") or []:
        if not isinstance(person, dict):
            continue
        given, family = _text(person.get("given")), _text(person.get("family"))
        name = " ".join(part for part in (given, family) if part) or _text(person.get("name"))
        if name:
            names.append(name)
    return names


def work_values(message: dict[str, Any]) -> dict[str, Any]:
    """A Crossref work record as the archive's field values (empty ones included)."""
    title = _text(message.get("title"))
    subtitle = _text(message.get("subtitle"))
    if subtitle and subtitle.casefold() not in title.casefold():
        title = f"{title}: {subtitle}" if title else subtitle
    kind = message.get("type")
    return {
        "title": title,
        "authors": _authors(message),
        "year": _year(message),
        "container": _text(message.get("container-title")),
        "volume": _text(message.get("volume")),
        "issue": _text(message.get("issue")),
        "page_range": _DASHES.sub("-", _text(message.get("page"))),
        "publisher": _text(message.get("publisher")),
        "doc_type": _TYPES.get(kind) or (doc_type_from(kind) if isinstance(kind, str) else None),
    }


@dataclass
class Lookup:
    """What looking one paper up did: the fields it changed, whether Crossref was asked (its
    answer is then new in the sidecar's cache), and why nothing was taken (``problem``)."""

    changed: list[str] = field(default_factory=list)
    problem: str | None = None
    asked: bool = False

    @property
    def touched(self) -> bool:
        """True when the paper's sidecar needs saving (new values or a new cached answer)."""
        return bool(self.changed) or self.asked


def look_up(paper: Paper, client: CrossrefClient, *, use_cache: bool = True) -> Lookup:
    """Fill ``paper`` (in place) from Crossref's record of its DOI, never replacing what people
    chose. ``use_cache`` answers from the sidecar's copy of an earlier answer for this DOI."""
    if not paper.doi:
        return Lookup(problem="no DOI to look up")
    doi = doi_key(paper.doi)
    cache = paper.crossref
    cached = use_cache and cache.get("doi") == doi and "found" in cache
    if not cached:
        try:
            message = client.fetch(doi)
        except LookupProblem as problem:
            return Lookup(problem=f"Crossref lookup skipped: {problem}")
        cache = {"doi": doi, "fetched": utc_now(), "found": message is not None}
        if message is not None:
            cache["work"] = work_values(message)
        paper.crossref = cache
    if not cache["found"]:
        return Lookup(problem=f"Crossref has no record of DOI {doi}", asked=not cached)
    values = dict(cache.get("work") or {})
    if paper.doc_type != "other" and "doc_type" not in paper.sources:
        values.pop("doc_type", None)  # a type chosen before sources were recorded stays
    return Lookup(changed=paper.merge(values, SOURCE), asked=not cached)
