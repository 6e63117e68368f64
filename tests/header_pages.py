"""First pages for the header tests: the stored papers no rule was written for, and pages made
up as text runs (a title, the lines under test, an abstract), read as the extractor reads them.

Shared by test_header and the rounds of issue 24 (test_metadata_rules, _round3, _round4), so
that no test module imports another."""

from __future__ import annotations

from pathlib import Path

from archive.names import family_name
from indexer.describe.header import Header, Run, read_header
from indexer.ingest.extract import Extraction, extract_pdf

UNSEEN = Path(__file__).parent / "data" / "metadata"


def unseen(name: str) -> Extraction:
    """What the whole extractor makes of a paper stored in tests/data/metadata."""
    return extract_pdf(UNSEEN / name)


def families(names: list[str]) -> list[str]:
    """The family names of ``names``, as a citation needs them."""
    return [family_name(name) for name in names]


def header_of_runs(runs: list[Run]) -> Header:
    """The header read from a page of ``runs`` whose text is theirs, one line each."""
    return read_header(runs, "\n".join(run.text for run in runs))


def byline(*lines: str) -> list[str]:
    """The authors read under a made-up title, one run per line."""
    runs = [Run("A Study of Leopards in the Far East of Russia\n", 18.0, 72.0, 800.0)]
    runs += [Run(text + "\n", 10.0, 72.0, 770.0 - 14 * i) for i, text in enumerate(lines)]
    runs.append(Run("Abstract\n", 10.0, 72.0, 500.0))
    return header_of_runs(runs).authors


def page_of(*lines: tuple[float, float, str]) -> list[Run]:
    """Runs of a made-up page, one a line at the left margin: (size, baseline, text)."""
    return [Run(text + "\n", size, 72.0, y) for size, y, text in lines]


def prose(text: str, size: float, x: float, top: float, lines: int = 8) -> list[Run]:
    """A paragraph of the body under a made-up header: ``lines`` lines of ``text`` from ``top``
    down, at ``x``."""
    return [Run(text + "\n", size, x, top - 1.2 * size * i) for i in range(lines)]
