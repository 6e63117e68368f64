"""What the pages call the archive's stored words, in the reader's language (issue 21).

The library keeps keys (``report``, ``on-request``, ``no year``) and English names for the
command line; the web shows these names instead, translated when rendered (lazy strings).
tests/test_i18n.py checks that every key the library has is named here.
"""

from __future__ import annotations

import re

from flask_babel import gettext, lazy_pgettext
from flask_babel import lazy_gettext as _l

from webui.i18n import N_

# archive.paper.DOC_TYPES
DOC_TYPE_LABELS = {
    "article": _l("Journal article"),
    "report": _l("Report"),
    "fact-sheet": _l("Fact sheet"),
    "thesis": _l("Thesis"),
    "book": _l("Book or chapter"),
    "conference": _l("Conference paper"),
    "other": _l("Other document"),
}

# archive.access.ACCESS_LEVELS: what each level means, for forms and the staff's notice.
ACCESS_LABELS = {
    "open": _l("Open: anyone may read and download it"),
    "on-request": _l("On request: found and described publicly, the PDF sent on request"),
    "staff-only": _l("Staff only: invisible to the public"),
}

# The levels' short names (bulk lists, notices); in English the keys themselves.
ACCESS_NAMES = {
    "open": _l("open"),
    "on-request": _l("on-request"),
    "staff-only": _l("staff-only"),
}

# archive.paper.SOURCES: where a field's value came from.
SOURCE_LABELS = {
    "staff": _l("edited by staff"),
    "metadata-file": _l("metadata file (--metadata)"),
    "crossref": _l("Crossref (by DOI)"),
    "first-page": _l("read from the first page"),
    "pdf-info": _l("PDF document info"),
    "filename": _l("file name"),
}

# archive.curation.WEAKNESSES: what the curation queue says is missing.
WEAKNESS_LABELS = {
    "title from the file name": _l("title from the file name"),
    "scan not searchable": _l("scan not searchable"),
    "no authors": _l("no authors"),
    "no year": _l("no year"),
    # The curation queue's doubts (indexer.describe.curation_queue.field_confidence).
    "title uncertain": _l("title uncertain"),
    "authors uncertain": _l("authors uncertain"),
    "year uncertain": _l("year uncertain"),
}

# The described fields (archive.paper.DESCRIBED_FIELDS), as the activity log and Crossref's
# notice name what changed (context "field": "title" is also a sort order, said otherwise).
FIELD_LABELS = {
    "title": lazy_pgettext("field", "title"),
    "authors": lazy_pgettext("field", "authors"),
    "year": lazy_pgettext("field", "year"),
    "doi": lazy_pgettext("field", "DOI"),
    "abstract": lazy_pgettext("field", "abstract"),
    "tags": lazy_pgettext("field", "tags"),
    "doc_type": lazy_pgettext("field", "type of document"),
    "container": lazy_pgettext("field", "journal or book"),
    "volume": lazy_pgettext("field", "volume"),
    "issue": lazy_pgettext("field", "issue"),
    "page_range": lazy_pgettext("field", "pages"),
    "publisher": lazy_pgettext("field", "publisher"),
}

# indexer.engine.search.SORTS
SORT_LABELS = {
    "relevance": _l("relevance"),
    "newest": _l("newest"),
    "oldest": _l("oldest"),
    "title": _l("title"),
}

# The outcome of an upload (the activity log's and the batch page's status).
UPLOAD_STATUSES = {
    "added": _l("added"),
    "duplicate": _l("duplicate"),
    "failed": _l("failed"),
    "received": _l("received"),
}


def template_labels() -> dict[str, object]:
    """The tables above, for every template."""
    return {
        "doc_type_labels": DOC_TYPE_LABELS,
        "access_labels": ACCESS_LABELS,
        "access_names": ACCESS_NAMES,
        "source_labels": SOURCE_LABELS,
        "weakness_labels": WEAKNESS_LABELS,
        "sort_labels": SORT_LABELS,
        "upload_statuses": UPLOAD_STATUSES,
        "field_labels": FIELD_LABELS,
    }


def field_names(fields: list[str]) -> str:
    """Field keys as a list for people ("title, authors")."""
    return ", ".join(str(FIELD_LABELS.get(name, name)) for name in fields)


# The library's sentences for a person (it has no languages of its own: the command line is in
# English), matched whole and said again in the reader's language. The named groups are the
# message's values. A sentence not listed here is shown as the library wrote it.
_LIBRARY_MESSAGES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(pattern), message)
    for pattern, message in [
        # archive.curation.apply_edit (the edit form's field errors)
        (r"A paper needs a title\.", N_("A paper needs a title.")),
        (r"At most (?P<num>[\d,]+) characters\.", N_("At most %(num)s characters.")),
        (r"At most (?P<num>\d+) authors\.", N_("At most %(num)s authors.")),
        (
            r"An author's name has at most (?P<num>\d+) characters\.",
            N_("An author's name has at most %(num)s characters."),
        ),
        (
            r"A year from (?P<first>\d+) to (?P<last>\d+), or empty\.",
            N_("A year from %(first)s to %(last)s, or empty."),
        ),
        (
            r"A DOI looks like 10\.1234/abc-123 \(or leave it empty\)\.",
            N_("A DOI looks like 10.1234/abc-123 (or leave it empty)."),
        ),
        (r"At most (?P<num>\d+) tags\.", N_("At most %(num)s tags.")),
        (
            r"A tag has at most (?P<num>\d+) characters\.",
            N_("A tag has at most %(num)s characters."),
        ),
        (
            r"Choose one of the listed document types\.",
            N_("Choose one of the listed document types."),
        ),
        # archive.access (a level or an embargo date that cannot be used)
        (
            r"An access level is one of (?P<levels>[a-z, -]+), not (?P<value>.*)\.",
            N_("An access level is one of %(levels)s, not %(value)s."),
        ),
        (
            r"An embargo date is written as 2027-01-31 \(year-month-day\), not (?P<value>.*)\.",
            N_("An embargo date is written as 2027-01-31 (year-month-day), not %(value)s."),
        ),
        # indexer.engine.query_language and search (a query that cannot be run)
        (
            r"There is nothing to search for in that query\. Try a few plain words, such as: "
            r"amur leopard camera traps\.",
            N_(
                "There is nothing to search for in that query. "
                "Try a few plain words, such as: amur leopard camera traps."
            ),
        ),
        (
            r"Say what to search for as well as what to leave out, for example: leopard -snow\.",
            N_("Say what to search for as well as what to leave out, for example: leopard -snow."),
        ),
        (
            r"(?P<name>[a-z]+): has nothing after it, so it was left out; write what to look "
            r"for right after the colon, as in (?P<example>\S+)\.",
            N_(
                "%(name)s: has nothing after it, so it was left out; write what to look for "
                "right after the colon, as in %(example)s."
            ),
        ),
        (
            r"year:(?P<value>\S+) is not a year \(write year:2018, year:2010s or "
            r"year:2010-2018\), so (?P<words>.+) was searched as a word instead\.",
            N_(
                "year:%(value)s is not a year (write year:2018, year:2010s or year:2010-2018), "
                "so %(words)s was searched as a word instead."
            ),
        ),
        (
            r"year:(?P<value>\S+) is not a year \(write year:2018, year:2010s or "
            r"year:2010-2018\), so (?P<words>.+) were searched as words instead\.",
            N_(
                "year:%(value)s is not a year (write year:2018, year:2010s or year:2010-2018), "
                "so %(words)s were searched as words instead."
            ),
        ),
        (
            r"year:(?P<value>\S+) is not a year \(write year:2018, year:2010s or "
            r"year:2010-2018\), so it was left out\.",
            N_(
                "year:%(value)s is not a year (write year:2018, year:2010s or year:2010-2018), "
                "so it was left out."
            ),
        ),
        (
            r"Listing every paper of this search took too long; narrow it down and try again\.",
            N_("Listing every paper of this search took too long; narrow it down and try again."),
        ),
        # indexer.export (downloads of all matches)
        (
            r"No papers match (?P<query>.*), so there is nothing to download\.",
            N_("No papers match %(query)s, so there is nothing to download."),
        ),
        (
            r"This search matches (?P<total>\d+) papers; at most (?P<most>\d+) can be downloaded "
            r"at once\. Narrow it down \(for example with year:2010-2018 or title:words\) and "
            r"download the parts one by one\.",
            N_(
                "This search matches %(total)s papers; at most %(most)s can be downloaded at "
                "once. Narrow it down (for example with year:2010-2018 or title:words) and "
                "download the parts one by one."
            ),
        ),
        (
            r"The papers matching (?P<query>.*) are available on request only; ask for a copy on "
            r"each paper's page\.",
            N_(
                "The papers matching %(query)s are available on request only; ask for a copy "
                "on each paper's page."
            ),
        ),
        (
            r"The (?P<count>\d+) papers of this search add up to (?P<size>.+?); at most "
            r"(?P<most>.+?) can be downloaded at once\. Narrow the search down and download the "
            r"parts one by one\.",
            N_(
                "The %(count)s papers of this search add up to %(size)s; at most %(most)s can "
                "be downloaded at once. Narrow the search down and download the parts one by one."
            ),
        ),
    ]
]


def library_message(text: str) -> str:
    """``text``, a sentence of the library's (or several, one after another), in the reader's
    language when it is known."""
    for pattern, message in _LIBRARY_MESSAGES:
        found = pattern.fullmatch(text)
        if found:
            return gettext(message, **found.groupdict())
    # Several sentences ("author: has nothing after it... There is nothing to search for..."):
    # each said again on its own, as long as every one of them is known.
    said, rest = [], text
    while rest:
        for pattern, message in _LIBRARY_MESSAGES:
            found = pattern.match(rest)
            if found and rest[found.end() : found.end() + 1] in ("", " "):
                said.append(gettext(message, **found.groupdict()))
                rest = rest[found.end() :].lstrip()
                break
        else:
            return text
    return " ".join(said)
