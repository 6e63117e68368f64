"""Answer benchmark: do students' questions get the passage that answers them, first?

    python -m benchmarks.answers_bench [--workdir DIR]

The reports of tests/answer_set.py (made with fpdf2) are imported together with the shared
corpus (``../shared/corpus``, imported once into ``WORKDIR/corpus-home``, as distractors).
Each question of the set is searched; an answer is right when it comes from the question's
report, on its page, and holds the passage's words. Printed side by side, for the questions
tuned on, the two batches held out then tuned on in the third round, and the third batch,
never tuned on (``--misses`` lists the misses of all but the third batch):

- *snippets only* (before): the first snippet of each of the first three results, as the
  results page showed them before answers existed;
- *answers*: ``answers`` of the search, without and with the glossary of field terms
  (:mod:`indexer.engine.glossary`);

answer@1 (the first is right) and answer@3 (one of the first three is), the processor time per
question (p50/p95, in-process) and the process' peak memory. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import re
import resource
import shutil
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from benchmarks.corpus_home import corpus_home
from indexer.engine.passages import Passage, PassageReader, QueryUnits, Unit
from indexer.engine.search import search
from indexer.engine.snippets import index_terms
from indexer.home import ArchiveHome
from indexer.ingest.importer import import_paths
from indexer.schema import PAGE_FIELD

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from answer_set import (  # noqa: E402
    ALL_REPORTS,
    QUESTIONS,
    Question,
    held_out,
    tuning,
    write_reports,
)

DEFAULT_WORKDIR = Path("/tmp/archive-bench/answers")
_TAGS = re.compile(r"<[^>]+>")


def plain(html: str) -> str:
    """The text of a passage's HTML, lowercased, spaces folded."""
    text = _TAGS.sub("", html).replace("&#39;", "'").replace("&amp;", "&")
    return " ".join(text.lower().split())


def is_right(question: Question, filename: str, page: int, html: str) -> bool:
    """Whether a passage is the question's answer."""
    return (
        filename == question.filename
        and page == question.page
        and question.passage.lower() in plain(html)
    )


def build_home(workdir: Path) -> ArchiveHome:
    """The corpus home copied, with the answer set's reports imported into it (again when
    the set has new reports: the marker lists those imported)."""
    target = workdir / "home"
    marker = target / ".answers-imported"
    names = "\n".join(sorted(report.filename for report in ALL_REPORTS)) + "\n"
    if not marker.is_file():
        shutil.rmtree(target, ignore_errors=True)
        source = corpus_home(workdir / "corpus-home")
        shutil.copytree(source, target)
    if not marker.is_file() or marker.read_text() != names:
        reports = write_reports(workdir / "reports")
        import_paths(ArchiveHome.at(target), reports)
        marker.write_text(names)
    return ArchiveHome.at(target)


# Pseudo-relevance feedback, measured here and left out of the archive (README): the telling
# words that FEEDBACK_PASSAGES of the best passages share, not in the question, become one
# more unit of FEEDBACK_SHARE of the mean unit's weight, and the candidates' pages are read
# again with it.
FEEDBACK_PASSAGES = 3
FEEDBACK_TERMS = 8
FEEDBACK_SHARE = 0.5


@contextmanager
def feedback() -> Iterator[None]:
    """Search with pseudo-relevance feedback on passages (see FEEDBACK_PASSAGES)."""
    first_pass = PassageReader.of_papers

    def of_papers(
        reader: PassageReader, owners: dict[int, str], titles: dict[str, str]
    ) -> dict[str, Passage]:
        found = first_pass(reader, owners, titles)
        best = sorted(found.values(), key=lambda passage: -passage.score)[:FEEDBACK_PASSAGES]
        counts: Counter[str] = Counter()
        for passage in best:
            words = set(re.findall(r"\w+", plain(passage.html)))
            counts.update({term for word in words for term in index_terms(word)})
        index = reader.view.searcher.reader()
        shared = [
            term
            for term, count in counts.items()
            if count >= min(2, len(best)) and term not in reader.query.wanted
        ]
        # The rarest first (the fewest pages hold them).
        shared.sort(key=lambda term: index.doc_frequency(PAGE_FIELD, term))
        if not shared:
            return found
        units = reader.query.units
        mean = sum(unit.weight for unit in units) / len(units)
        extra = Unit("(feedback)", terms=set(shared[:FEEDBACK_TERMS]), weight=FEEDBACK_SHARE * mean)
        again = PassageReader(
            reader.view, QueryUnits([*units, extra], reader.query.number), reader.expired
        )
        return first_pass(again, owners, titles)

    PassageReader.of_papers = of_papers  # type: ignore[method-assign]
    try:
        yield
    finally:
        PassageReader.of_papers = first_pass  # type: ignore[method-assign]


def ranks(home: ArchiveHome, questions: list[Question], mode: str) -> tuple[list[int], list[float]]:
    """For each question, the rank (1-3) of its first right passage (0: none), and the time."""
    with feedback() if mode.endswith("+feedback") else nullcontext():
        return _ranks(home, questions, mode)


def _ranks(
    home: ArchiveHome, questions: list[Question], mode: str
) -> tuple[list[int], list[float]]:
    found_at, times = [], []
    for question in questions:
        # Processor time, not wall-clock: on a shared, loaded machine it moves much less.
        started = time.process_time()
        results = search(
            home.index,
            question.text,
            limit=10,
            facets=True,
            thesaurus=home.thesaurus(),
            answers=mode != "snippets",
            glossary=mode.startswith("answers+glossary"),
        )
        times.append(time.process_time() - started)
        if mode == "snippets":
            candidates = [
                (hit.filename, hit.snippets[0].page, hit.snippets[0].html)
                for hit in results.hits[:3]
                if hit.snippets
            ]
        else:
            candidates = [(a.filename, a.page, a.html) for a in results.answers[:3]]
        rank = next(
            (n for n, found in enumerate(candidates, start=1) if is_right(question, *found)), 0
        )
        found_at.append(rank)
    return found_at, times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR)
    parser.add_argument(
        "--misses",
        action="store_true",
        help="list the questions missed, but those of the third batch (they stay unseen)",
    )
    parser.add_argument(
        "--modes",
        default="snippets,answers,answers+glossary,answers+glossary+feedback",
        help="the methods to run, comma-separated",
    )
    parser.add_argument(
        "--tuned", action="store_true", help="run the tuned questions only (while tuning)"
    )
    args = parser.parse_args(argv)
    home = build_home(args.workdir)
    parts = (
        ("tuned", tuning()),
        ("held-out", held_out(1)),
        ("held-out 2", held_out(2)),
        ("held-out 3", held_out(3)),
    )
    print(
        f"{len(QUESTIONS)} questions: {len(tuning())} tuned on, {len(held_out(1))} held out "
        f"(first batch), {len(held_out(2))} (second batch, written later; both batches tuned "
        f"on in the third round) and {len(held_out(3))} (third batch, never tuned on)"
    )
    print(f"{'method':<28}{'set':<12}{'answer@1':>10}{'answer@3':>10}{'CPU ms per question':>22}")
    print(f"{'':<60}{'p50':>9}{'p95':>9}")
    for mode in args.modes.split(","):
        search(home.index, "warm up the caches", thesaurus=home.thesaurus())
        for name, questions in parts[:1] if args.tuned else parts:
            found_at, times = ranks(home, questions, mode)
            at1 = sum(rank == 1 for rank in found_at) / len(questions)
            at3 = sum(rank >= 1 for rank in found_at) / len(questions)
            times_ms = sorted(t * 1000 for t in times)
            p95 = times_ms[min(len(times_ms) - 1, int(0.95 * len(times_ms)))]
            print(
                f"{mode:<28}{name:<12}{at1:>10.0%}{at3:>10.0%}"
                f"{statistics.median(times_ms):>9.1f}{p95:>9.1f}"
            )
            if args.misses and name != "held-out 3":
                for question, rank in zip(questions, found_at, strict=True):
                    if rank != 1:
                        print(f"    miss ({rank}): {question.text[:90]!r}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of this process: {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
