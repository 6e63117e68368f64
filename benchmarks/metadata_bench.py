"""Metadata accuracy on three labelled sets of scholarly papers, side by side.

- **corpus**: the papers of ../shared/corpus labelled in ``tests/data/corpus_metadata.tsv``
  (the extractor's rules were written looking at them);
- **tuned** and **held-out**: the two halves of ``tests/data/metadata/labels.tsv``, papers and
  reports from other public repositories that no rule was written for, split by the hash of
  each file before the extractor was run on them. Rules may be tuned on the first half, never on
  the second: the held-out figures say how the extractor does on papers it has never seen.

Every paper is read with :func:`indexer.extract.extract_pdf`; a title is right when it matches
ignoring case, spacing and accents, an author list when its family names (as
:func:`archive.names.family_name` gives them, particles kept) match in order, a year when
it is the year printed (papers printing none are not scored). Every miss is listed.

Papers whose licence does not allow them in the repository are read from ``--extra``
(``../shared/metadata_extra``) when it holds them (checked by hash); the figures say how many
were left out.

Run with ``make bench-metadata`` (or ``python -m benchmarks.metadata_bench [--corpus DIR]``).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import logging
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from archive.names import family_name
from indexer.extract import ExtractionError, extract_pdf

REPO = Path(__file__).resolve().parent.parent
LABELS = REPO / "tests" / "data" / "corpus_metadata.tsv"
UNSEEN = REPO / "tests" / "data" / "metadata"
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
DEFAULT_EXTRA = REPO.parent / "shared" / "metadata_extra"
SETS = ("corpus", "tuned", "held-out", "new-held-out")
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
    """What one labelled paper truly says, and where its PDF is."""

    file: str
    title: str
    families: list[str]
    year: int | None
    set: str = "corpus"
    sha256: str = ""


@dataclass
class Score:
    """Right answers and misses of one set."""

    papers: int = 0
    with_year: int = 0
    left_out: int = 0
    right: dict[str, int] = field(default_factory=lambda: {"title": 0, "authors": 0, "year": 0})
    misses: list[str] = field(default_factory=list)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def read_labels(path: Path = LABELS) -> list[Label]:
    """A labelled set (comment lines start with ``#``); rows without a ``set`` are corpus."""
    return [
        Label(
            file=row["file"],
            title=row["title"],
            families=[name for name in row["authors"].split(";") if name],
            year=int(row["year"]) if row["year"] else None,
            set=row.get("set") or "corpus",
            sha256=row.get("sha256") or "",
        )
        for row in _rows(path)
    ]


def fold(text: str) -> str:
    """Case, spacing and accents folded away, for comparing."""
    # A typographic apostrophe is the same letter as a straight one (O\u2019Brien).
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("\u2019", "'"))
    return "".join(c for c in decomposed if not c.isspace() and not unicodedata.combining(c))


def family(name: str) -> str:
    """The family name of a displayed name ("Given Family" or "Family, Given"), folded."""
    return fold(family_name(name)).strip(".")


def _locate(label: Label, corpus: Path, extra: Path) -> Path | None:
    if label.set == "corpus":
        return corpus / label.file
    stored = UNSEEN / label.file
    if stored.is_file():
        return stored
    candidate = extra / label.file
    if candidate.is_file() and hashlib.sha256(candidate.read_bytes()).hexdigest() == label.sha256:
        return candidate
    return None


def score(labels: list[Label], corpus: Path, extra: Path) -> dict[str, Score]:
    """Each set's figures and misses."""
    scores = {name: Score() for name in SETS}
    for label in labels:
        result = scores[label.set]
        path = _locate(label, corpus, extra)
        if path is None:
            result.left_out += 1
            continue
        result.papers += 1
        result.with_year += label.year is not None
        try:
            got = extract_pdf(path, filename=label.file)
        except ExtractionError as error:
            result.misses.append(f"{label.file}: not read ({error})")
            continue
        if fold(got.title) == fold(label.title):
            result.right["title"] += 1
        else:
            result.misses.append(f"{label.file}: title {got.title!r}, expected {label.title!r}")
        if [family(name) for name in got.authors] == [fold(name) for name in label.families]:
            result.right["authors"] += 1
        else:
            result.misses.append(f"{label.file}: authors {got.authors}, expected {label.families}")
        if label.year is not None:
            if got.year == label.year:
                result.right["year"] += 1
            else:
                result.misses.append(f"{label.file}: year {got.year}, expected {label.year}")
    return scores


def _share(right: int, total: int) -> str:
    return f"{right:3}/{total:<3} {right / total if total else 0.0:6.1%}"


def main(argv: list[str] | None = None) -> int:
    """Print the three sets' figures side by side and every miss; exit 2 without the corpus."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--extra", type=Path, default=DEFAULT_EXTRA)
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"the shared corpus is not at {args.corpus}", file=sys.stderr)
        return 2
    logging.disable(logging.WARNING)  # pypdf's complaints about damaged files are not figures
    started = time.perf_counter()
    labels = read_labels(LABELS) + read_labels(UNSEEN / "labels.tsv")
    scores = score(labels, args.corpus, args.extra)
    elapsed = time.perf_counter() - started
    print(f"{len(labels)} labelled scholarly papers, {elapsed:.1f} s")
    print(f"  {'set':10} {'papers':>7} {'left out':>9}   {'title':14} {'authors':14} {'year':14}")
    for name in SETS:
        result = scores[name]
        print(
            f"  {name:10} {result.papers:7} {result.left_out:9}   "
            f"{_share(result.right['title'], result.papers)} "
            f"{_share(result.right['authors'], result.papers)} "
            f"{_share(result.right['year'], result.with_year)}"
        )
    for name in SETS:
        misses = scores[name].misses
        print(f"{name} misses ({len(misses)}):" if misses else f"{name}: no misses")
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
