"""Metadata kept by staff in a spreadsheet (CSV) or a reference manager (BibTeX).

Curators often know a paper's title, authors and year better than its PDF does. A row matches a
paper by file name (case-insensitive, any folder) or by DOI, and its non-empty values override
what extraction found. Rows that cannot be used are reported with their line number.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from archive.access import AccessError, access_from, embargo_from
from archive.filenames import clean_filename
from archive.paper import DOC_TYPES, doc_type_from
from indexer.constants import CSV_COLUMNS
from indexer.describe.metadata import find_doi, latest_plausible_year
from indexer.normalize import clean_field

_LIST_SPLIT = re.compile(r"\s*;\s*")


class MetadataFileError(ValueError):
    """The file as a whole cannot be read; ``str(error)`` says why, for a person."""


@dataclass
class MetadataTable:
    """Overrides by file name and by DOI, and the problems found while reading them."""

    by_file: dict[str, dict[str, Any]] = field(default_factory=dict)
    by_doi: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.by_file) + len(self.by_doi)

    def for_paper(self, filename: str, doi: str | None) -> dict[str, Any]:
        """The overrides for a paper (empty when no row matches)."""
        found = self.by_file.get(_file_key(filename))
        if found is None and doi:
            found = self.by_doi.get(doi.lower())
        return dict(found or {})


def _file_key(filename: str) -> str:
    # The importer knows each file by its cleaned name; a row names it as the folder shows it.
    return clean_filename(filename).casefold()


def _split_list(value: str) -> list[str]:
    return [item for item in (clean_field(v) for v in _LIST_SPLIT.split(value)) if item]


def _fields(raw: dict[str, str], line: int, problems: list[str]) -> dict[str, Any] | None:
    """Validated overrides from one row, or None (with a problem noted) when it is unusable."""
    values: dict[str, Any] = {}
    for name in ("title", "abstract"):
        if text := clean_field(raw.get(name)):
            values[name] = text
    if text := (raw.get("authors") or "").strip():
        values["authors"] = _split_list(text)
    if text := (raw.get("tags") or "").strip():
        values["tags"] = _split_list(text.replace(",", ";"))
    if text := (raw.get("year") or "").strip():
        if not (text.isdigit() and 1800 <= int(text) <= latest_plausible_year()):
            problems.append(f"line {line}: {text!r} is not a year; row skipped")
            return None
        values["year"] = int(text)
    if text := (raw.get("doi") or "").strip():
        doi = find_doi(text)
        if doi is None:
            problems.append(f"line {line}: {text!r} is not a DOI; row skipped")
            return None
        values["doi"] = doi
    if text := (raw.get("type") or "").strip():
        doc_type = doc_type_from(text)
        if doc_type is None:
            problems.append(
                f"line {line}: {text!r} is not a document type (one of: {', '.join(DOC_TYPES)}); "
                "row skipped"
            )
            return None
        values["doc_type"] = doc_type
    try:
        if text := (raw.get("access") or "").strip():
            values["access"] = access_from(text)
        if text := (raw.get("embargo") or "").strip():
            values["embargo"] = embargo_from(text)
    except AccessError as error:
        problems.append(f"line {line}: {error} Row skipped")
        return None
    return values


def _add(table: MetadataTable, line: int, filename: str, values: dict[str, Any] | None) -> None:
    if values is None:
        return
    if not filename and "doi" not in values:
        table.problems.append(f"line {line}: neither a file name nor a DOI to match; row skipped")
        return
    if filename:
        table.by_file[_file_key(filename)] = values
    if "doi" in values:
        table.by_doi[values["doi"]] = values


def _read_csv(text: str) -> MetadataTable:
    table = MetadataTable()
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    if "file" not in header and "doi" not in header:
        raise MetadataFileError(
            "the CSV file needs a header row with a 'file' or a 'doi' column "
            f"(known columns: {', '.join(CSV_COLUMNS)})"
        )
    reader.fieldnames = header
    for row in reader:
        line = reader.line_num
        if None in row:
            table.problems.append(f"line {line}: more cells than columns; row skipped")
            continue
        cells = {key: value or "" for key, value in row.items()}
        _add(table, line, cells.get("file", "").strip(), _fields(cells, line, table.problems))
    return table


def _read_bibtex(text: str) -> MetadataTable:
    # Imported here: only curators with a BibTeX file pay for loading the parser.
    import bibtexparser
    from bibtexparser import middlewares

    logging.getLogger("bibtexparser").setLevel(logging.ERROR)
    library = bibtexparser.parse_string(
        text,
        append_middleware=[middlewares.LatexDecodingMiddleware(), middlewares.SeparateCoAuthors()],
    )
    table = MetadataTable()
    for block in library.failed_blocks:
        table.problems.append(f"line {block.start_line + 1}: not valid BibTeX; entry skipped")
    for entry in library.entries:
        line = entry.start_line + 1
        raw = {key.lower(): value.value for key, value in entry.fields_dict.items()}
        authors = raw.get("author", [])
        cells = {
            "title": str(raw.get("title", "")),
            "authors": "; ".join(authors) if isinstance(authors, list) else str(authors),
            "year": str(raw.get("year", "")),
            "doi": str(raw.get("doi", "")),
            "tags": str(raw.get("keywords", "")),
            "abstract": str(raw.get("abstract", "")),
            # @misc and other entry types that say nothing leave the type as it is.
            "type": doc_type_from(entry.entry_type) or "",
            # Not standard BibTeX fields: the archive's own, for curators who keep them.
            "access": str(raw.get("access", "")),
            "embargo": str(raw.get("embargo", "")),
        }
        # Zotero and JabRef write "description:path/to/file.pdf:mime"; keep the PDF's name.
        pdfs = re.findall(r"[^:;{}]+\.pdf", str(raw.get("file", "")), re.IGNORECASE)
        filename = pdfs[0].strip() if pdfs else ""
        _add(table, line, filename, _fields(cells, line, table.problems))
    return table


def load_metadata(path: Path) -> MetadataTable:
    """Read a CSV (by header) or BibTeX (``.bib``) file of metadata."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise MetadataFileError(f"{path.name} is not UTF-8 text") from None
    except OSError as error:
        raise MetadataFileError(f"cannot read {path}: {error.strerror}") from None
    if path.suffix.lower() in {".bib", ".bibtex"} or text.lstrip().startswith("@"):
        return _read_bibtex(text)
    return _read_csv(text)
