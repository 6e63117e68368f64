"""Metadata accuracy on the labelled sets of scholarly papers, before and after, side by side.

- **corpus**: the papers of ../shared/corpus labelled in ``tests/data/corpus_metadata.tsv``
  (the extractor's rules were written looking at them);
- **tuned** and **held-out**: the two halves of the first 86 papers of
  ``tests/data/metadata/labels.tsv``, from public repositories no rule was written for, split by
  the hash of each file before the extractor was run on them. Rules were tuned on the first
  half; the second half's misses were seen in the first round, so in the second round both
  halves were tuned on;
- **new-held-out**: 44 further papers and reports from ten other repositories, labelled before
  the second round and held out in it; the third and fourth rounds tuned on it;
- **round3-held-out**: 47 papers and reports from three more repositories, labelled before the
  third round; its misses were not listed in the third and fourth rounds, but its figures were
  measured in both;
- **fresh-tuned** and **fresh-held-out**: 61 papers, reports and theses from 18 further
  repositories, labelled in the fifth round before the extractor was run on any of them and
  split by hash before anything was measured. Rules may be written looking at fresh-tuned;
  fresh-held-out's misses are not listed unless asked for (``--show-misses fresh-held-out``);
- **fresh2-tuned** and **fresh2-held-out**: 53 papers, reports and theses from 22 further
  repositories, labelled in the seventh round by reading them before the extractor was run on
  any of them and split by hash the same way. Rules may be written looking at fresh2-tuned;
  fresh2-held-out's misses are not listed unless asked for;
- **fresh3-tuned** and **fresh3-held-out**: 60 papers, reports and theses from 31 further
  repositories, labelled in the eighth round by reading them before the extractor was run on
  any of them and split by hash the same way. Rules may be written looking at fresh3-tuned;
  fresh3-held-out's misses are not listed unless asked for;
- **fresh4-tuned** and **fresh4-held-out**: 32 papers, reports and manuscripts from 12 further
  repositories, labelled in the ninth round by reading them before the extractor was run on
  any of them and split by hash the same way. Rules may be written looking at fresh4-tuned;
  fresh4-held-out's misses are not listed unless asked for;
- **fresh5-tuned** and **fresh5-held-out**: 51 papers, reports and theses from 24 further
  repositories, labelled in the tenth round by reading them before the extractor was run on
  any of them and split by hash the same way. Rules may be written looking at fresh5-tuned;
  fresh5-held-out's misses are not listed unless asked for;
- **fresh6-tuned** and **fresh6-held-out**: 32 papers, manuscripts, reports and theses from 20
  further repositories, labelled in the eleventh round by reading them before the extractor was
  run on any of them and split by hash the same way. Rules may be written looking at
  fresh6-tuned; fresh6-held-out's misses are not listed unless asked for;
- **fresh7-tuned** and **fresh7-held-out**: 43 papers, reports and manuscripts from 23 further
  repositories (mostly ecology, fisheries and marine science), labelled in the twelfth round by
  reading them before the extractor was run on any of them and split by hash the same way.
  Rules may be written looking at fresh7-tuned; fresh7-held-out's misses are not listed unless
  asked for;
- **fresh8-tuned** and **fresh8-held-out**: 32 papers, reports, manuscripts and a thesis draft
  from 10 further repositories (ecology, marine mammals, fisheries, theoretical ecology),
  labelled the same way after the eleventh round's rules were written. Rules may be written
  looking at fresh8-tuned; fresh8-held-out's misses are not listed unless asked for;
- **fresh9-tuned** and **fresh9-held-out**: 25 papers from 7 further repositories (ornithology,
  forestry and wildlife ecology, four in Spanish), labelled the same way after the twelfth
  round's rules were written; the hash split left only 7 held out;
- **fresh10-tuned** and **fresh10-held-out**: 22 papers from 10 further repositories (ornithology,
  animal tracking, fisheries reports, movement ecology manuscripts, macroecology), labelled the
  same way at the end of the thirteenth round, for the next one (8 tuned, 14 held out);
- **fresh11-tuned** and **fresh11-held-out**: 40 papers from 24 further repositories (coral-reef
  and viticulture reprints, course readings from Science and Current Biology, ecology manuscripts
  and theses), labelled the same way while the fourteenth round was written (20 tuned, 20 held
  out; the held-out half first read at that round's end, its baseline in the "before" column);
- **fresh12-tuned** and **fresh12-held-out**: 39 papers from 16 further repositories (mammalogy
  and population ecology readings, Spanish report sheets and course material, vegetation
  modelling papers, ornithology; 17 tuned, 22 held out), labelled the same way while the
  fifteenth round was written and first read at its end;
- **fresh13-tuned** and **fresh13-held-out**: 40 papers from 22 further repositories (biophysics
  and ecology course readings from 1977 to 2019, Spanish, Portuguese and French theses, USGS and
  World Economic Forum reports; 24 tuned, 16 held out), labelled the same way while the sixteenth
  round was written;
- **fresh14-tuned** and **fresh14-held-out**: 40 papers from 17 further repositories (statistics,
  physics and space-architecture reading collections, a marine-ecology course's papers, Spanish,
  French, Quebec and Brazilian theses; 19 tuned, 21 held out), labelled the same way at the end of
  the sixteenth round and read unseen (both halves) at its end; the seventeenth round was then
  written from fresh14-tuned;
- **fresh15-tuned** and **fresh15-held-out**: 40 papers from 19 further repositories (fisheries
  agencies' stock assessments and technical memoranda, NOAA, NPS and USFWS reports, Ocean Health
  Index reports of NGOs, ecology journal papers; 15 tuned, 25 held out), and **fresh16-tuned** and
  **fresh16-held-out**: 40 papers from 34 further repositories (course readings, manuscripts and
  theses in ecology, medicine, psychology and economics, in Italian, Spanish, Portuguese, German
  and French too; 18 tuned, 22 held out), labelled the same way at the start of the eighteenth
  round, whose rule was written from the seen sets before either was read, so that all four
  halves measured it unseen; the nineteenth round was then written from fresh15-tuned and
  fresh16-tuned;
- **fresh17-tuned** and **fresh17-held-out**: 31 papers from 13 further repositories (fisheries
  agencies' and councils' stock assessments and reports of Canada, NOAA and Alaska, a halibut
  commission's paper, fisheries and marine-mammal journal papers; 12 tuned, 19 held out),
  labelled at the nineteenth round's end and read then with both halves unseen; the twentieth
  round was then written from fresh17-tuned;
- **fresh18-tuned** and **fresh18-held-out**: 25 papers from 7 further repositories (ornithology,
  mammalogy, herpetology and movement-ecology papers, Brazilian theses and a bird report in
  Portuguese, a Colombian paper in Spanish; 14 tuned, 11 held out), labelled at the twentieth
  round's end and read then with both halves unseen; the twenty-first round was then written
  from fresh18-tuned;
- **fresh19-tuned** and **fresh19-held-out**: 43 papers from 36 further repositories (ecology,
  conservation, plant and microbial biology manuscripts and preprints, wildlife journal papers
  of a Fish and Wildlife Service biologist, six student theses; 25 tuned, 18 held out);
- **fresh20-tuned** and **fresh20-held-out**: 31 theses, papers and reports from 31 further
  repositories, 25 of them not in English (Spanish, Portuguese, Polish, French, German,
  Italian, Dutch, Czech, Hungarian), on any subject (14 tuned, 17 held out). Both sets were
  labelled after the twenty-second round, which was written from the seen sets only, and read
  then with both halves unseen; the twenty-third round was then written from their tuned
  halves.

Every set but the unseen ones (fresh-held-out to fresh20-held-out) has been looked at
(its misses listed, or its figures measured round after round), so the "seen" column says so: only
those are figures for papers no rule was written for, and only until the rounds that
follow measure them.

Every paper is read with :func:`indexer.ingest.extract.extract_pdf`; a title is right when it
matches ignoring case, spacing and accents, an author list when its family names (as
:func:`archive.names.family_name` gives them, particles kept) match in order, a year when
it is the year printed (papers printing none are not scored). Every miss is listed.

"before" is the extractor of ``--before`` (a git revision, by default main before the eighth
round), read from ``git archive`` into a temporary folder and run in a child process on the same
files; without git or that revision the before column says so and the run goes on.

Papers whose licence does not allow them in the repository are read from ``--extra``
(``../shared/metadata_extra``) when it holds them (checked by hash); a line says how many were
absent and each set's "left out" column counts them (CI has none of them). SOURCES.tsv says where
each came from (repository, path, commit), so the folder can be filled again from the sources.

Run with ``make bench-metadata`` (or ``python -m benchmarks.metadata_bench [--corpus DIR]
[--extra DIR] [--before REV | --no-before] [--sets tuned,held-out] [--show-misses SETS]``).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import logging
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from archive.names import family_name
from benchmarks.revision import unpack_revision
from indexer.describe.curation_queue import UNCERTAIN, certainty, doubted, field_confidence
from indexer.ingest.extract import ExtractionError, extract_pdf

REPO = Path(__file__).resolve().parent.parent
LABELS = REPO / "tests" / "data" / "corpus_metadata.tsv"
UNSEEN = REPO / "tests" / "data" / "metadata"
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus"
DEFAULT_EXTRA = REPO.parent / "shared" / "metadata_extra"
SETS = (
    "corpus",
    "tuned",
    "held-out",
    "new-held-out",
    "round3-held-out",
    "fresh-tuned",
    "fresh-held-out",
    "fresh2-tuned",
    "fresh2-held-out",
    "fresh3-tuned",
    "fresh3-held-out",
    "fresh4-tuned",
    "fresh4-held-out",
    "fresh5-tuned",
    "fresh5-held-out",
    "fresh6-tuned",
    "fresh6-held-out",
    "fresh7-tuned",
    "fresh7-held-out",
    "fresh8-tuned",
    "fresh8-held-out",
    "fresh9-tuned",
    "fresh9-held-out",
    "fresh10-tuned",
    "fresh10-held-out",
    "fresh11-tuned",
    "fresh11-held-out",
    "fresh12-tuned",
    "fresh12-held-out",
    "fresh13-tuned",
    "fresh13-held-out",
    "fresh14-tuned",
    "fresh14-held-out",
    "fresh15-tuned",
    "fresh15-held-out",
    "fresh16-tuned",
    "fresh16-held-out",
    "fresh17-tuned",
    "fresh17-held-out",
    "fresh18-tuned",
    "fresh18-held-out",
    "fresh19-tuned",
    "fresh19-held-out",
    "fresh20-tuned",
    "fresh20-held-out",
)
# Sets whose misses are not listed unless asked for (--show-misses): papers kept unseen while
# the extractor is changed, so that their figure stays an honest one.
UNSEEN_SETS = (
    "fresh-held-out",
    "fresh2-held-out",
    "fresh3-held-out",
    "fresh4-held-out",
    "fresh5-held-out",
    "fresh6-held-out",
    "fresh7-held-out",
    "fresh8-held-out",
    "fresh9-held-out",
    "fresh10-held-out",
    "fresh11-held-out",
    "fresh12-held-out",
    "fresh13-held-out",
    "fresh14-held-out",
    "fresh15-held-out",
    "fresh16-held-out",
    "fresh17-held-out",
    "fresh18-held-out",
    "fresh19-held-out",
    "fresh20-held-out",
)
# How far each set has been seen: the old "held-out" sets were measured round after round (and
# most were tuned on), so they are no longer papers no rule was written for; the table says so.
SEEN = {
    "corpus": "tuned on",
    "tuned": "tuned on",
    "held-out": "tuned on",
    "new-held-out": "tuned on",
    "round3-held-out": "looked at",
    "fresh-tuned": "tuned on",
    "fresh-held-out": "unseen",
    "fresh2-tuned": "tuned on",
    "fresh2-held-out": "unseen",
    "fresh3-tuned": "tuned on",
    "fresh3-held-out": "unseen",
    "fresh4-tuned": "tuned on",
    "fresh4-held-out": "unseen",
    "fresh5-tuned": "tuned on",
    "fresh5-held-out": "unseen",
    "fresh6-tuned": "tuned on",
    "fresh6-held-out": "unseen",
    "fresh7-tuned": "tuned on",
    "fresh7-held-out": "unseen",
    "fresh8-tuned": "tuned on",
    "fresh8-held-out": "unseen",
    "fresh9-tuned": "tuned on",
    "fresh9-held-out": "unseen",
    "fresh10-tuned": "tuned on",
    "fresh10-held-out": "unseen",
    "fresh11-tuned": "tuned on",
    "fresh11-held-out": "unseen",
    "fresh12-tuned": "tuned on",
    "fresh12-held-out": "unseen",
    "fresh13-tuned": "tuned on",
    "fresh13-held-out": "unseen",
    "fresh14-tuned": "tuned on",
    "fresh14-held-out": "unseen",
    "fresh15-tuned": "tuned on",
    "fresh15-held-out": "unseen",
    "fresh16-tuned": "tuned on",
    "fresh16-held-out": "unseen",
    "fresh17-tuned": "tuned on",
    "fresh17-held-out": "unseen",
    "fresh18-tuned": "tuned on",
    "fresh18-held-out": "unseen",
    "fresh19-tuned": "tuned on",
    "fresh19-held-out": "unseen",
    "fresh20-tuned": "tuned on",
    "fresh20-held-out": "unseen",
}
# main before the eighth round of issue 24 (the seventh's is d89092d, the sixth's e357ab6).
BASELINE = "91b606a6aec6adfe1823abab599e48f06f1fca7c"
# What a child process runs to read the files with another revision's extractor: the paths come
# on standard input, (title, authors, year) or the error go back as JSON on standard output.
_READ_WITH_OLD = """
import json, logging, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
logging.disable(logging.WARNING)
from indexer.ingest.extract import ExtractionError, extract_pdf
try:
    from indexer.describe.curation_queue import field_confidence
except ImportError:  # a revision before the curation queue's confidence
    field_confidence = None
answers = {}
for path, name in json.load(sys.stdin):
    try:
        got = extract_pdf(Path(path), filename=name)
        sure = field_confidence(got.paper("", name, 0)) if field_confidence else None
        answers[path] = [got.title, list(got.authors), got.year, sure]
    except ExtractionError as error:
        answers[path] = str(error)
sys.stdout.write("\\n" + json.dumps(answers))
"""
# What one extraction gave: (title, authors, year, how sure the curation queue is of each; None
# from a revision without it), or why the file was not read.
Got = tuple[str, list[str], int | None, dict[str, float] | None] | str
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
    # A typographic apostrophe is the same letter as a straight one (O\u2019Brien), and a
    # typographic hyphen the same as a plain one ("Autocorrelation\u2010Informed").
    text = text.replace("\u2019", "'").replace("\u2010", "-").replace("\u2011", "-")
    decomposed = unicodedata.normalize("NFKD", text.casefold())
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


def read_now(jobs: list[tuple[Path, str]]) -> dict[str, Got]:
    """Each file read with this tree's extractor."""
    answers: dict[str, Got] = {}
    for path, name in jobs:
        try:
            got = extract_pdf(path, filename=name)
            sure = field_confidence(got.paper("", name, 0))
            answers[str(path)] = (got.title, list(got.authors), got.year, sure)
        except ExtractionError as error:
            answers[str(path)] = str(error)
    return answers


def read_before(jobs: list[tuple[Path, str]], revision: str) -> dict[str, Got] | str:
    """Each file read with the extractor of git ``revision``, or why that could not be done."""
    with tempfile.TemporaryDirectory(prefix="bench-metadata-") as folder:
        unpacked = unpack_revision(revision, Path(folder))
        if isinstance(unpacked, str):
            return unpacked
        child = subprocess.run(
            [sys.executable, "-c", _READ_WITH_OLD, folder],
            input=json.dumps([[str(path), name] for path, name in jobs]),
            capture_output=True,
            text=True,
            cwd=folder,
        )
    if child.returncode != 0:
        return f"the extractor of {revision[:12]} failed: {child.stderr.strip()[-300:]}"
    answers = json.loads(child.stdout.rsplit("\n", 1)[-1])
    return {
        path: answer if isinstance(answer, str) else tuple(answer)
        for path, answer in answers.items()
    }


def score(
    labels: list[Label], paths: dict[str, Path | None], answers: dict[str, Got]
) -> dict[str, Score]:
    """Each set's figures and misses, from what the extractor gave for each located file."""
    scores = {name: Score() for name in SETS}
    for label in labels:
        result = scores[label.set]
        path = paths[label.file]
        if path is None:
            result.left_out += 1
            continue
        result.papers += 1
        result.with_year += label.year is not None
        got = answers[str(path)]
        if isinstance(got, str):
            result.misses.append(f"{label.file}: not read ({got})")
            continue
        title, authors, year, _ = got
        if fold(title) == fold(label.title):
            result.right["title"] += 1
        else:
            result.misses.append(f"{label.file}: title {title!r}, expected {label.title!r}")
        if [family(name) for name in authors] == [fold(name) for name in label.families]:
            result.right["authors"] += 1
        else:
            result.misses.append(f"{label.file}: authors {authors}, expected {label.families}")
        if label.year is not None:
            if year == label.year:
                result.right["year"] += 1
            else:
                result.misses.append(f"{label.file}: year {year}, expected {label.year}")
    return scores


_FIELDS = ("title", "authors", "year", "any")


@dataclass
class QueueScore:
    """How well the curation queue's confidence points at one field's wrong values."""

    wrong: int = 0
    flagged: int = 0
    wrong_flagged: int = 0
    # (confidence, was it wrong) of every value, for the ranking's figure.
    values: list[tuple[float, bool]] = field(default_factory=list)

    def ranking(self) -> float:
        """The chance that a wrong value is less sure than a right one (ties count half):
        0.5 is a queue in no useful order, 1.0 one that puts every wrong value first."""
        wrong = [sure for sure, bad in self.values if bad]
        right = [sure for sure, bad in self.values if not bad]
        if not wrong or not right:
            return float("nan")
        below = sum((w < r) + 0.5 * (w == r) for w in wrong for r in right)
        return below / (len(wrong) * len(right))


def queue_scores(
    labels: list[Label], paths: dict[str, Path | None], answers: dict[str, Got]
) -> dict[tuple[str, str], QueueScore]:
    """Per (seen or unseen, field): how the confidence of each read value matches its being
    wrong ("uncertain" is below :data:`UNCERTAIN`), and per paper ("any"): a paper with any
    wrong value against the queue's :func:`certainty` of its whole description (a revision
    before it is scored with it too). Empty when the answers carry none."""
    scores: dict[tuple[str, str], QueueScore] = {}
    for label in labels:
        path = paths[label.file]
        got = answers.get(str(path)) if path is not None else None
        if got is None or isinstance(got, str) or got[3] is None:
            continue
        title, authors, year, sure = got
        group = "unseen" if label.set in UNSEEN_SETS else "seen"
        wrong = {
            "title": fold(title) != fold(label.title),
            "authors": [family(n) for n in authors] != [fold(n) for n in label.families],
            "year": year != label.year,
        }
        if label.year is None:
            del wrong["year"]
        unsure = doubted(sure)
        flags = {name: name in unsure for name in wrong}
        for name, bad, flagged, value in [
            *((name, wrong[name], flags[name], sure[name]) for name in wrong),
            ("any", any(wrong.values()), any(flags.values()), certainty(sure)),
        ]:
            result = scores.setdefault((group, name), QueueScore())
            result.wrong += bad
            result.flagged += flagged
            result.wrong_flagged += bad and flagged
            result.values.append((value, bad))
    return scores


def _queue_figures(result: QueueScore | None) -> str:
    if result is None:
        return ""
    return (
        f"{result.wrong:5} {result.flagged:7} {_share(result.wrong_flagged, result.flagged)} "
        f"{_share(result.wrong_flagged, result.wrong)} {result.ranking():7.2f}"
    )


def print_queue(
    after: dict[tuple[str, str], QueueScore], before: dict[tuple[str, str], QueueScore] | None
) -> None:
    """The curation queue's figures after and before, side by side."""
    print(
        f"curation queue: how well a field marked uncertain (confidence < {UNCERTAIN}) is a "
        "wrong one, and how well the confidence ranks wrong values first (0.5: no better than "
        "chance); 'any': papers with any wrong value, by the certainty of the whole description"
    )
    header = (
        f"{'wrong':>5} {'flagged':>7} {'wrong of flagged':>14} {'wrong flagged':>14} {'ranking':>7}"
    )
    print(f"  {'papers':7} {'field':8} after: {header}   before: {header}")
    for key in sorted(after, key=lambda key: (key[0], _FIELDS.index(key[1]))):
        then = _queue_figures((before or {}).get(key))
        print(f"  {key[0]:7} {key[1]:8}        {_queue_figures(after[key])}           {then}")


def _share(right: int, total: int) -> str:
    return f"{right:3}/{total:<3} {right / total if total else 0.0:6.1%}"


def _figures(result: Score) -> str:
    return " ".join(
        _share(result.right[field_], total)
        for field_, total in (
            ("title", result.papers),
            ("authors", result.papers),
            ("year", result.with_year),
        )
    )


def main(argv: list[str] | None = None) -> int:
    """Print the sets' figures before and after side by side and every miss after.

    Exit 2 without the corpus.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--extra", type=Path, default=DEFAULT_EXTRA)
    parser.add_argument("--before", default=BASELINE, help="git revision of the 'before' column")
    parser.add_argument("--no-before", action="store_true", help="leave the 'before' run out")
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated sets to score")
    parser.add_argument(
        "--show-misses",
        default="",
        help="comma-separated sets kept unseen whose misses are listed all the same",
    )
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"the shared corpus is not at {args.corpus}", file=sys.stderr)
        return 2
    wanted = [name for name in args.sets.split(",") if name in SETS]
    logging.disable(logging.WARNING)  # pypdf's complaints about damaged files are not figures
    started = time.perf_counter()
    labels = [
        label
        for label in read_labels(LABELS) + read_labels(UNSEEN / "labels.tsv")
        if label.set in wanted
    ]
    paths = {label.file: _locate(label, args.corpus, args.extra) for label in labels}
    jobs = [(path, name) for name, path in paths.items() if path is not None]
    answers_now = read_now(jobs)
    after = score(labels, paths, answers_now)
    elapsed = time.perf_counter() - started
    before: dict[str, Score] | str = "not run (--no-before)"
    queue_before = None
    if not args.no_before:
        answers = read_before(jobs, args.before)
        before = answers if isinstance(answers, str) else score(labels, paths, answers)
        queue_before = None if isinstance(answers, str) else queue_scores(labels, paths, answers)
    absent = sum(path is None for path in paths.values())
    print(f"{len(labels)} labelled scholarly papers, {elapsed:.1f} s per run")
    if absent:
        print(
            f"{absent} of them are not redistributable and not in {args.extra}: left out "
            "(counted per set under 'left out')"
        )
    print(
        f"before: the extractor of {args.before[:12]}"
        if isinstance(before, dict)
        else f"before: {before}"
    )
    header = f"{'title':14} {'authors':14} {'year':14}"
    print(
        f"  {'set':15} {'seen':9} {'papers':>6} {'left out':>8}   after: {header}   "
        f"before: {header}"
    )
    for name in wanted:
        now = after[name]
        then = _figures(before[name]) if isinstance(before, dict) else ""
        print(
            f"  {name:15} {SEEN[name]:9} {now.papers:6} {now.left_out:8}   {_figures(now)}   {then}"
        )
    print_queue(queue_scores(labels, paths, answers_now), queue_before)
    shown = set(args.show_misses.split(","))
    for name in wanted:
        misses = after[name].misses
        if name in UNSEEN_SETS and name not in shown:
            print(f"{name}: {len(misses)} misses, not listed (kept unseen; --show-misses {name})")
            continue
        print(f"{name} misses ({len(misses)}):" if misses else f"{name}: no misses")
        for miss in misses:
            print(f"  - {miss}")
    if "corpus" in wanted:
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
