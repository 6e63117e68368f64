"""Metadata accuracy on the labelled scholarly papers of ../shared/corpus.

Reads every paper of ``tests/data/corpus_metadata.tsv`` (true title, authors' family names in
order, year, written by reading the papers) with :func:`indexer.extract.extract_pdf` and prints
the share of titles (ignoring case and spacing), author lists (family names, exactly, in order)
and years that are right, then every miss. The inner pages left out of the labelled set are
listed with what they get, so that a heading or caption taken for a title shows.

Run with ``make bench-metadata`` (or ``python -m benchmarks.metadata_bench [--corpus DIR]``).
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from indexer.extract import ExtractionError, extract_pdf

REPO = Path(__file__).resolve().parent.parent
LABELS = REPO / "tests" / "data" / "corpus_metadata.tsv"
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
# One inner page of a paper each: nothing to score, but their titles must not be junk.
INNER_PAGES = [
    "papermage/1903.10676.pdf",
    "papermage/test-uu.pdf",
    "unstructured/layout-parser-paper-with-table.pdf",
    "unstructured/a1977-backus-p21.pdf",
    "unstructured/embedded-images-tables.pdf",
]


@dataclass
class Label:
    """What one labelled paper truly says."""

    file: str
    title: str
    families: list[str]
    year: int | None


def read_labels(path: Path = LABELS) -> list[Label]:
    """The labelled set (comment lines start with ``#``)."""
    with path.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    rows = csv.DictReader(lines, delimiter="\t")
    return [
        Label(
            file=row["file"],
            title=row["title"],
            families=[name for name in row["authors"].split(";") if name],
            year=int(row["year"]) if row["year"] else None,
        )
        for row in rows
    ]


def fold(text: str) -> str:
    """Case, spacing and accents folded away, for comparing."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not c.isspace() and not unicodedata.combining(c))


def family(name: str) -> str:
    """The family name of a displayed name ("Given Family" or "Family, Given"), folded."""
    name = name.split(",")[0] if "," in name else (name.split() or [""])[-1]
    return fold(name).strip(".")


def main(argv: list[str] | None = None) -> int:
    """Print the accuracy figures and every miss; exit 2 when the corpus is missing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"the shared corpus is not at {args.corpus}", file=sys.stderr)
        return 2
    labels = read_labels()
    right = {"title": 0, "authors": 0, "year": 0}
    scored_years = 0
    misses: list[str] = []
    started = time.perf_counter()
    for label in labels:
        try:
            got = extract_pdf(args.corpus / label.file)
        except ExtractionError as error:
            misses.append(f"{label.file}: not read ({error})")
            continue
        if fold(got.title) == fold(label.title):
            right["title"] += 1
        else:
            misses.append(f"{label.file}: title {got.title!r}, expected {label.title!r}")
        families = [family(name) for name in got.authors]
        if families == [family(name) for name in label.families]:
            right["authors"] += 1
        else:
            misses.append(f"{label.file}: authors {got.authors}, expected {label.families}")
        if label.year is not None:
            scored_years += 1
            if got.year == label.year:
                right["year"] += 1
            else:
                misses.append(f"{label.file}: year {got.year}, expected {label.year}")
    elapsed = time.perf_counter() - started
    total = len(labels)
    print(f"{total} labelled scholarly papers ({scored_years} with a year), {elapsed:.1f} s")
    for name, denominator in (("title", total), ("authors", total), ("year", scored_years)):
        share = right[name] / denominator if denominator else 0.0
        print(f"  {name:8} {right[name]:3}/{denominator:<3} {share:6.1%}")
    print(f"misses ({len(misses)}):" if misses else "no misses")
    for miss in misses:
        print(f"  - {miss}")
    print("inner pages (not scored): what they get")
    for name in INNER_PAGES:
        try:
            got = extract_pdf(args.corpus / name)
        except ExtractionError as error:
            print(f"  {name}: not read ({error})")
            continue
        print(f"  {name}: title {got.title!r}, year {got.year}, venue {got.container!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
