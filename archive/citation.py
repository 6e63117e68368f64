"""Citations of papers: BibTeX, RIS and an APA-like reference a student can paste.

Pure functions over :class:`archive.paper.Paper`. Every value comes from PDF metadata or a
curator, so anything may be in it: each format is escaped for its own syntax here, and the web
layer escapes the formatted reference again for HTML.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from archive.names import split_name
from archive.paper import Paper

# Characters that mean something to (La)TeX. Braces become commands rather than "\{" because
# BibTeX counts braces without regard to backslashes: a title with one "{" would otherwise
# unbalance the entry and swallow the rest of the file.
_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_BIBTEX_SPECIAL = re.compile("|".join(re.escape(char) for char in _BIBTEX_ESCAPES))
_AND_WORD = re.compile(r"\band\b", re.IGNORECASE)
_KEY_STOP_WORDS = frozenset({"a", "an", "the", "of", "on", "in", "and", "for", "to", "la", "le"})
ARCHIVE_NAME = "Conservation Paper Archive"


def one_line(text: str | None) -> str:
    """``text`` with control characters dropped and every run of whitespace made one space.

    Line-based formats (RIS, CSV cells, file names) must never receive a newline from a title.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    if not text.isprintable():
        # Rare (control, format or line-separator characters): the slow, per-character path.
        text = "".join(
            " " if char.isspace() else char
            for char in text
            if char.isspace() or not unicodedata.category(char).startswith("C")
        )
    return " ".join(text.split())


def doi_url(doi: str | None) -> str | None:
    """The resolver URL of a DOI, or None."""
    doi = one_line(doi)
    return f"https://doi.org/{doi}" if doi else None


# --- BibTeX -------------------------------------------------------------------------------------


def _braces_nest(text: str) -> bool:
    """True when every "}" closes an earlier "{" and none is left open."""
    if "{" not in text and "}" not in text:
        return True
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def bibtex_escape(text: str | None) -> str:
    """``text`` as a BibTeX field value: TeX specials escaped, accents kept as UTF-8."""
    text = one_line(text)
    escapes = _BIBTEX_ESCAPES
    if _braces_nest(text):
        # Paired braces may stay "\{...\}": BibTeX's count stays balanced, and every reader
        # decodes those (not all know \textbraceleft).
        escapes = {**escapes, "{": r"\{", "}": r"\}"}
    return _BIBTEX_SPECIAL.sub(lambda match: escapes[match.group(0)], text)


def _bibtex_name(name: str) -> str:
    # BibTeX splits author lists on the word "and"; a name holding it (an organisation such as
    # "Fauna and Flora International") is braced so that it stays one name.
    escaped = bibtex_escape(name)
    return "{" + escaped + "}" if _AND_WORD.search(escaped) else escaped


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]", "", folded)


def surname(name: str) -> str:
    """The family name of an author as written ("Petrova, Anna" or "Anna Petrova")."""
    name = one_line(name)
    if "," in name:
        return name.split(",", 1)[0].strip()
    parts = name.split()
    return parts[-1] if parts else ""


def citation_key(paper: Paper) -> str:
    """A readable key such as ``petrova2024amur``: first author, year, first title word."""
    family = _ascii_word(surname(paper.authors[0])).lower() if paper.authors else ""
    words = [_ascii_word(word).lower() for word in one_line(paper.title).split()]
    word = next((w for w in words if w and w not in _KEY_STOP_WORDS), "")
    key = f"{family or 'anon'}{paper.year or ''}{word}"
    return key[:60]


def unique_keys(papers: Sequence[Paper]) -> list[str]:
    """A citation key for each paper, made unique by a letter suffix (smith2018a, smith2018b)."""
    keys = [citation_key(paper) for paper in papers]
    counts: dict[str, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    used: set[str] = set()
    result = []
    for key in keys:
        if counts[key] == 1 and key not in used:
            chosen = key
        else:
            chosen = next(
                candidate
                for candidate in (key + _suffix(n) for n in range(1, 100_000))
                if candidate not in used and candidate not in counts
            )
        used.add(chosen)
        result.append(chosen)
    return result


def _suffix(number: int) -> str:
    """a, b, ... z, aa, ab, ...: the suffixes BibTeX styles use for same-year works."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def venue_kind(paper: Paper) -> str | None:
    """Where a paper was published, as BibTeX names it: "article" (a journal), "inproceedings"
    (a conference), "incollection" (a book), or None when no venue is known."""
    if not one_line(paper.container):
        return None
    return {"conference": "inproceedings", "book": "incollection"}.get(paper.doc_type, "article")


# Without a known venue, each document type is still cited as its own kind (a report as a
# technical report, not @misc/GEN), with the publisher in the field that kind names it by.
_TYPE_KINDS = {
    "article": ("article", "JOUR", None),
    "report": ("techreport", "RPRT", "institution"),
    "thesis": ("phdthesis", "THES", "school"),
    "book": ("book", "BOOK", "publisher"),
    "conference": ("inproceedings", "CONF", None),
}


def type_kind(paper: Paper) -> tuple[str, str]:
    """The BibTeX entry type and RIS ``TY`` a paper is cited as: its venue's kind when one is
    known, else its document type's (``@techreport``/RPRT, ``@phdthesis``/THES, ``@book``/BOOK,
    ``@inproceedings``/CONF, ``@article``/JOUR), else ``@misc``/GEN."""
    kind = venue_kind(paper)
    if kind:
        return kind, _RIS_TYPES[kind]
    bibtex_type, ris_type, _ = _TYPE_KINDS.get(paper.doc_type, ("misc", "GEN", None))
    return bibtex_type, ris_type


def _bibtex_venue(paper: Paper, kind: str) -> list[tuple[str, str]]:
    fields = [("journal" if kind == "article" else "booktitle", bibtex_escape(paper.container))]
    fields += [
        (name, bibtex_escape(value))
        for name, value in (("volume", paper.volume), ("number", paper.issue))
        if one_line(value)
    ]
    first, last = paper.page_span
    if first:
        fields.append(("pages", bibtex_escape(f"{first}--{last}" if last else first)))
    if one_line(paper.publisher):
        fields.append(("publisher", bibtex_escape(paper.publisher)))
    return fields


def bibtex_entry(paper: Paper, *, key: str | None = None, url: str | None = None) -> str:
    """One entry: ``@article`` (journal, volume, number, pages), ``@inproceedings`` or
    ``@incollection`` (booktitle) when the venue is known, else the document type's kind
    (:func:`type_kind`)."""
    kind = venue_kind(paper)
    fields: list[tuple[str, str]] = [("title", "{" + bibtex_escape(paper.title) + "}")]
    if paper.authors:
        fields.append(("author", " and ".join(_bibtex_name(name) for name in paper.authors)))
    if paper.year:
        fields.append(("year", str(int(paper.year))))
    if kind:
        fields += _bibtex_venue(paper, kind)
    if paper.doi:
        fields.append(("doi", bibtex_escape(paper.doi)))
    if url:
        fields.append(("url", bibtex_escape(url)))
    if paper.tags:
        fields.append(("keywords", bibtex_escape(", ".join(paper.tags))))
    entry_type, _ = type_kind(paper)
    if not kind:
        publisher_field = _TYPE_KINDS.get(paper.doc_type, ("", "", None))[2]
        if publisher_field and one_line(paper.publisher):
            fields.append((publisher_field, bibtex_escape(paper.publisher)))
        if entry_type == "misc":
            fields.append(("howpublished", bibtex_escape(ARCHIVE_NAME)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{entry_type}{{{key or citation_key(paper)},\n{body}\n}}\n"


def bibtex(papers: Sequence[Paper], urls: Sequence[str | None] | None = None) -> str:
    """A BibTeX file of ``papers`` with unique keys (``urls`` in the same order, optional)."""
    links = list(urls) if urls is not None else [None] * len(papers)
    keys = unique_keys(papers)
    return "\n".join(
        bibtex_entry(paper, key=key, url=link)
        for paper, key, link in zip(papers, keys, links, strict=True)
    )


# --- RIS ----------------------------------------------------------------------------------------


def _ris_line(tag: str, value: str | None) -> str:
    return f"{tag}  - {one_line(value)}\r\n"


_RIS_TYPES = {"article": "JOUR", "inproceedings": "CONF", "incollection": "CHAP"}


def ris_record(paper: Paper, *, url: str | None = None, pdf_url: str | None = None) -> str:
    """One RIS record: JOUR (with JO, VL, IS, SP, EP), CONF or CHAP when the venue is known,
    else the document type's (RPRT, THES, BOOK...; GEN for fact sheets and other documents)."""
    kind = venue_kind(paper)
    lines = [_ris_line("TY", type_kind(paper)[1]), _ris_line("TI", paper.title)]
    lines += [_ris_line("AU", name) for name in paper.authors if one_line(name)]
    if paper.year:
        lines.append(_ris_line("PY", str(int(paper.year))))
    if kind:
        # T2 is what Zotero and EndNote read as the journal or proceedings; JO is the
        # journal's tag of the RIS specification.
        lines.append(_ris_line("T2", paper.container))
        if kind == "article":
            lines.append(_ris_line("JO", paper.container))
        first, last = paper.page_span
        for tag, value in (("VL", paper.volume), ("IS", paper.issue), ("SP", first), ("EP", last)):
            if one_line(value):
                lines.append(_ris_line(tag, value))
        if one_line(paper.publisher):
            lines.append(_ris_line("PB", paper.publisher))
    elif one_line(paper.publisher):
        lines.append(_ris_line("PB", paper.publisher))
    if paper.doi:
        lines.append(_ris_line("DO", paper.doi))
    if url:
        lines.append(_ris_line("UR", url))
    if pdf_url:
        lines.append(_ris_line("L1", pdf_url))
    lines += [_ris_line("KW", tag) for tag in paper.tags if one_line(tag)]
    if paper.abstract:
        lines.append(_ris_line("AB", paper.abstract))
    lines.append(_ris_line("DB", ARCHIVE_NAME))
    lines.append("ER  - \r\n")
    return "".join(lines)


def ris(
    papers: Iterable[Paper],
    urls: Sequence[str | None] | None = None,
    pdf_urls: Sequence[str | None] | None = None,
) -> str:
    """An RIS file of ``papers`` (CRLF line ends, as the format's readers expect)."""
    papers = list(papers)
    links = list(urls) if urls is not None else [None] * len(papers)
    pdfs = list(pdf_urls) if pdf_urls is not None else [None] * len(papers)
    return "\r\n".join(
        ris_record(paper, url=link, pdf_url=pdf)
        for paper, link, pdf in zip(papers, links, pdfs, strict=True)
    )


# --- an APA-like reference ----------------------------------------------------------------------


# Words that mark a group author ("WWF Russia", "Wildlife Conservation Society"), kept whole.
_GROUP_WORDS = frozenset(
    {
        "and", "of", "for", "the", "&", "society", "fund", "institute", "international",
        "foundation", "trust", "centre", "center", "university", "agency", "service", "union",
        "council", "department", "ministry", "association", "network", "conservation",
        "programme", "program", "wwf", "iucn", "reserve", "park", "team", "group",
    }
)  # fmt: skip


def _apa_name(name: str) -> str:
    """ "Anna K. Petrova" -> "Petrova, A. K."; "Ludwig van Beethoven" -> "van Beethoven, L.";
    "Frederick Gmitter Jr." -> "Gmitter, F., Jr."; a group author ("Fauna and Flora
    International") or a one-word name is kept as written."""
    name = one_line(name)
    if "," not in name:
        parts = name.split()
        if len(parts) < 2 or len(parts) > 5 or _GROUP_WORDS & {p.casefold() for p in parts}:
            return name
    # Which words are the family name (particles, suffixes) is the archive's one rule, the same
    # the extractor reads bylines with (archive.names).
    given, surname, suffix = split_name(name)
    initials = " ".join(
        "-".join(piece[0] + "." for piece in word.split("-") if piece)
        for word in given.replace(".", " ").split()
    )
    cited = f"{surname}, {initials}" if initials else surname
    return f"{cited}, {suffix}" if suffix else cited


def _apa_authors(authors: Sequence[str]) -> str:
    names = [_apa_name(name) for name in authors if one_line(name)]
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    if len(names) > 20:
        # APA 7: the first nineteen, an ellipsis, then the last author.
        return ", ".join(names[:19]) + ", . . . " + names[-1]
    return ", ".join(names[:-1]) + ", & " + names[-1]


def _end_with_period(text: str) -> str:
    return text if text.endswith((".", "?", "!")) else text + "."


def apa_reference(paper: Paper, *, url: str | None = None) -> str:
    """A plain-text reference in the manner of APA 7, for example::

    Petrova, A., & Whitfield, J. (2024). The Amur leopard: A fact sheet. Conservation Paper
    Archive. https://doi.org/10.1000/xyz

    Xi, Y., & Lu, J. (2022). SemEAGAT. Journal of Physics: Conference Series, 2188(1), 012011.
    https://doi.org/10.1088/1742-6596/2188/1/012011
    """
    title = _end_with_period(one_line(paper.title) or "Untitled")
    date = f"({paper.year})." if paper.year else "(n.d.)."
    authors = _apa_authors(paper.authors)
    # APA moves the title to the front when there is no author.
    head = f"{_end_with_period(authors)} {date} {title}" if authors else f"{title} {date}"
    link = doi_url(paper.doi) or one_line(url)
    return f"{head} {_apa_venue(paper) or ARCHIVE_NAME + '.'}" + (f" {link}" if link else "")


def venue_text(paper: Paper) -> str:
    """Where the paper was published, as a line for people: "Journal, 12(3), 45-67" or "In
    Proceedings (pp. 45-67). Publisher"; "" when no venue is known."""
    return _apa_venue(paper).removesuffix(".")


def _apa_venue(paper: Paper) -> str:
    """ "Journal, 12(3), 45-67." or "In Proceedings (pp. 45-67). Publisher." or "" (the
    page range with an en dash, as APA sets it)."""
    kind = venue_kind(paper)
    if not kind:
        return ""
    first, last = paper.page_span
    pages = "\u2013".join(one_line(part) for part in (first, last) if one_line(part))
    container, publisher = one_line(paper.container), one_line(paper.publisher)
    if kind != "article":
        span = f" (pp. {pages})" if pages else ""
        return f"In {container}{span}." + (f" {_end_with_period(publisher)}" if publisher else "")
    volume, issue = one_line(paper.volume), one_line(paper.issue)
    parts = [container]
    if volume:
        parts.append(volume + (f"({issue})" if issue else ""))
    if pages:
        parts.append(pages)
    return _end_with_period(", ".join(parts))
