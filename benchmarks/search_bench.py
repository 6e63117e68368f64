"""Search benchmark: an index of ~100,000 pages made from the shared corpus, and the latency
of a first page of 10 results with snippets and facets (what the web's results page asks for).

    python -m benchmarks.search_bench [--pages 100000] [--rounds 3] [--workdir DIR] [--reuse]
                                      [--before REV|none]

The corpus (``../shared/corpus``) is imported once into ``WORKDIR/corpus-home`` (reused on later
runs). Its pages are cut into sentences and dealt into synthetic papers: each page mixes
sentences of one "source" paper with some from others, shuffled; titles, authors, years and
tags are drawn from pools, and a few conservation phrases are sprinkled in so that thesaurus
and phrase queries have something to find. The index is built in ``WORKDIR/bench-index`` and
reused when ``--reuse`` is given and the page count matches.

It prints index size, build time, the load average (the machine may be shared), and p50/p95
latency (milliseconds, in-process) per query kind. The target (PRODUCT.md) is p95 under 100 ms.
Nothing is asserted.

Access levels: about 10% of the synthetic papers are staff-only (half of them under an embargo,
ended or not) and 20% on request, chosen by paper number so the rest of the index is as before.
Each query is timed in several columns, side by side, in turns (who goes first alternates by
round, so the load of a shared machine falls on all alike): as staff (``public=False``: no
access filter, the work a search did before access levels); as the public (``public=True``:
staff-only papers left out in the same pass); as the public without answers
(``answers=False``: no passages ranked, as before issue 20); as the public without the
English-Russian glossary (its translations, issue 21: the shipped thesaurus alone); and, with
``--before REV`` (default ``main``; ``none`` leaves it out), as the public with the code of
another git revision, checked out in a temporary worktree and timed in a worker process of its
own over the same index (:mod:`benchmarks.search_bench_worker`). The last lines say how many
queries found other papers or answers in those columns than in the public's. The bars: the
public figures no more than 10% above the staff's; p95 of every kind under 100 ms, questions
with answers under 150 ms; English queries as fast as before the glossary.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from archive.paper import Paper
from indexer.engine.facets import Filters
from indexer.engine.search import search
from indexer.engine.thesaurus import HOME_FILE, Thesaurus, shipped_path
from indexer.home import ArchiveHome
from indexer.index import SearchIndex, paper_documents
from indexer.ingest.importer import import_paths

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
SEED = 20_240_601
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"[A-Za-z][a-z]{3,14}")
CONSERVATION = [
    "The Amur leopard population in Primorye was counted with camera traps.",
    "Far Eastern leopard tracks were recorded in Land of the Leopard National Park.",
    "Panthera pardus orientalis survives in the south-west of Primorsky Krai.",
    "The Siberian tiger (Panthera tigris altaica) ranges across the Sikhote-Alin.",
    "Snow leopard surveys in the Altai used camera-trap grids.",
    "Poaching of deer and wild boar reduces prey for big cats in Heilongjiang and Jilin.",
    "Kedrovaya Pad is the core of the leopard's range.",
]
TAGS = [
    "camera traps",
    "Amur leopard",
    "Amur tiger",
    "snow leopard",
    "poaching",
    "genetics",
    "population survey",
    "habitat",
    "Primorye",
    "China",
    "prey",
    "reintroduction",
    "policy",
    "machine learning",
    "statistics",
    "remote sensing",
    "OLAP",
    "corpus",
    "geometry",
    "tables",
]
# (opening, joining words) of generated questions.
QUESTION_FORMS = [
    ("what is the", "of the"),
    ("how do researchers measure", "in"),
    ("why does", "matter for a"),
    ("is there any", "about"),
    ("where can I find", "and"),
]
# Russian queries as rangers and students type them (tests/test_russian.py has more).
RUSSIAN = [
    "леопард",
    "тигры",
    "как защищают леопарда",
    "дальневосточный леопард фотоловушки",
    "учёт леопардов",
    "браконьерство петли",
    "лесные пожары",
    "где живёт снежный барс",
]
# Words no paper of the benchmark holds.
ABSENT = ["okapi", "pangolin", "axolotl", "quokka", "narwhal", "dugong", "kakapo", "tapir"]
FIRST = [
    "Anna",
    "Yuri",
    "Sarah",
    "Dmitri",
    "Claire",
    "Helen",
    "Mart",
    "Tenzin",
    "Wei",
    "Li",
    "Olga",
    "Ivan",
    "Maria",
    "John",
    "Aigerim",
    "Jin",
    "Amal",
    "Pierre",
    "Greta",
    "Omar",
]
LAST = [
    "Petrova",
    "Kuznetsov",
    "Mitchell",
    "Sokolov",
    "Bennett",
    "Carter",
    "Tamm",
    "Norbu",
    "Zhang",
    "Wang",
    "Ivanova",
    "Smirnov",
    "Garcia",
    "Smith",
    "Sadykova",
    "Park",
    "Haddad",
    "Dubois",
    "Lind",
    "Farouk",
    "Miquelle",
    "Hebblewhite",
    "Goodrich",
    "Rozhnov",
]


def corpus_home(workdir: Path) -> ArchiveHome:
    """The shared corpus imported once (its text is what the synthetic pages are made of)."""
    home = ArchiveHome.at(workdir / "corpus-home")
    if home.index.stats()["papers"] == 0:
        print(f"importing {CORPUS} once into {home.root} ...", flush=True)
        import_paths(home, [CORPUS])
    return home


def sentences_by_paper(home: ArchiveHome) -> list[list[str]]:
    """For each corpus paper with text, its sentences of four words or more."""
    found = []
    for paper in home.library.papers():
        sentences = [
            s.strip()
            for page in home.library.page_texts(paper.id)
            for s in _SENTENCE.split(page)
            if len(s.split()) >= 4
        ]
        if len(sentences) >= 5:
            found.append(sentences)
    return found


def synthetic_papers(
    sources: list[list[str]], total_pages: int, rng: random.Random
) -> Iterator[tuple[Paper, list[str]]]:
    """Papers of 1 to ~60 pages (log-normal, median ~12) until ``total_pages`` pages."""
    authors = [f"{first} {last}" for first in FIRST for last in LAST]
    made = 0
    number = 0
    while made < total_pages:
        number += 1
        pages_in_paper = min(total_pages - made, max(1, int(rng.lognormvariate(2.5, 0.8))))
        source = rng.choice(sources)
        pages = []
        for _ in range(pages_in_paper):
            # ~2,200 characters, like the corpus's median page: 70% one source, 30% others.
            page: list[str] = []
            while sum(map(len, page)) < 2_200:
                pool = source if rng.random() < 0.7 else rng.choice(sources)
                page.append(rng.choice(pool))
            if rng.random() < 0.03:
                page.insert(rng.randrange(len(page)), rng.choice(CONSERVATION))
            rng.shuffle(page)
            pages.append(" ".join(page))
        access, embargo = _access_of(number)
        words = _WORD.findall(rng.choice(source))[:6] or ["Untitled"]
        title = " ".join(words).capitalize() + f" ({number})"
        made += pages_in_paper
        yield (
            Paper(
                id=f"{number:064x}",
                title=title,
                filename=f"paper-{number}.pdf",
                pages=pages_in_paper,
                size=1000 * pages_in_paper,
                authors=rng.sample(authors, rng.randint(1, 4)),
                year=rng.randint(1990, 2025),
                tags=rng.sample(TAGS, rng.randint(0, 4)),
                access=access,
                embargo=embargo,
            ),
            pages,
        )


def _access_of(number: int) -> tuple[str, str | None]:
    """A paper's access level and embargo, from its number alone (the main random sequence,
    and so the rest of the index, stays as it was)."""
    draw = random.Random(number).random()
    if draw < 0.05:
        return "staff-only", None
    if draw < 0.075:
        return "staff-only", "2020-01-01"  # ended: open
    if draw < 0.10:
        return "staff-only", "2999-01-01"
    if draw < 0.30:
        return "on-request", None
    return "open", None


def build(index_dir: Path, sources: list[list[str]], total_pages: int) -> tuple[float, int]:
    """Build the benchmark index; returns (seconds, papers)."""
    index = SearchIndex(index_dir)
    index.create()
    rng = random.Random(SEED)
    started = time.perf_counter()
    papers = 0
    with index.writer() as writer:
        for paper, pages in synthetic_papers(sources, total_pages, rng):
            for document in paper_documents(paper, pages):
                writer.add_document(**document)
            papers += 1
            if papers % 500 == 0:
                print(f"  {papers} papers ...", flush=True)
    seconds = time.perf_counter() - started
    (index_dir / "bench.json").write_text(
        json.dumps({"pages": total_pages, "papers": papers, "seconds": seconds})
    )
    return seconds, papers


def queries(sources: list[list[str]], rng: random.Random) -> dict[str, list[tuple]]:
    """Query kinds, each a list of (query, Filters or None), drawn from the corpus text."""

    def words(n: int) -> str:
        while True:
            found = _WORD.findall(rng.choice(rng.choice(sources)))
            if len(found) >= n:
                start = rng.randrange(len(found) - n + 1)
                return " ".join(w.lower() for w in found[start : start + n])

    def phrase() -> str:
        while True:
            found = rng.choice(rng.choice(sources)).split()
            if len(found) >= 6:
                start = rng.randrange(len(found) - 3)
                picked = (re.sub(r"[^\w-]", "", w) for w in found[start : start + 3])
                return '"' + " ".join(picked) + '"'

    def question() -> str:
        # As a student writes one: question words, stop words, a question mark and, every
        # other time, an animal no paper mentions (what makes the best match relaxed).
        start, middle = rng.choice(QUESTION_FORMS)
        absent = f" {rng.choice(ABSENT)}" if rng.random() < 0.5 else ""
        return f"{start} {words(2)} {middle} {words(rng.choice((1, 2)))}{absent}?"

    def pasted() -> str:
        # A student's e-mail as the one-line search box holds it (issue 20).
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        return (
            f"Dear Sir or Madam, my name is {name} and I am a student. {question()} "
            f"I read that {words(12)}. Could you send me a report? Kind regards, {name} "
            f"{name.split()[0].lower()}@example.org"
        )

    kinds: dict[str, list[tuple]] = {
        "words": [(words(rng.choice((1, 2, 3))), None) for _ in range(30)],
        "phrases": [(phrase(), None) for _ in range(20)],
        "fields": [(f"title:{words(1)}", None) for _ in range(6)]
        + [(f"author:{rng.choice(LAST).lower()} {words(1)}", None) for _ in range(6)]
        + [(f"year:2005-2015 {words(1)}", None) for _ in range(6)]
        + [(f'tag:"{rng.choice(TAGS)}" {words(1)}', None) for _ in range(6)],
        "wildcards": [(words(1)[:4] + "*", None) for _ in range(15)],
        # Filters as keyword arguments of Filters.build (sent as JSON to the "before" side).
        "facet filters": [
            (words(1), {"year": f"{rng.choice(range(1990, 2030, 10))}s"}) for _ in range(8)
        ]
        + [(words(1), {"tags": [rng.choice(TAGS)]}) for _ in range(8)]
        + [(words(2), {"authors": [f"{rng.choice(FIRST)} {rng.choice(LAST)}"]}) for _ in range(4)],
        "thesaurus": [
            (q, None)
            for q in [
                "Amur leopard",
                "Primorye",
                "Siberian tiger",
                "snow leopard",
                "Kedrovaya Pad",
                "Far Eastern leopard camera traps",
            ]
        ],
        "questions": [(question(), None) for _ in range(20)]
        + [
            (q, None)
            for q in [
                "how do researchers count leopards with camera traps?",
                "what is being done to ensure the Amur leopard survives in the wild",
                "reintroduction of the Amur leopard",
                "is there a snow leopard survey in the Altai?",
                "where do Siberian tigers live and what do they eat?",
                "why is poaching of deer a threat to the big cats of Heilongjiang?",
            ]
        ],
        "pasted e-mails": [(pasted(), None) for _ in range(8)],
        # Russian words, found through the English-Russian glossary (issue 21): the index holds
        # no Russian text, so every paper these find is found through a translation.
        "russian": [(q, None) for q in RUSSIAN],
    }
    return kinds


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class Before:
    """Searches with the code of another revision (``--before``): a git worktree of it, and
    a worker process (:mod:`benchmarks.search_bench_worker`) that imports that code and times
    each search in-process over the same index, as this process times its own."""

    def __init__(self, revision: str, index_dir: Path, folder: Path) -> None:
        self.revision = revision
        self.tree = folder / "before"
        done = subprocess.run(
            [
                "git",
                "-C",
                str(REPO),
                "worktree",
                "add",
                "--detach",
                "--quiet",
                str(self.tree),
                revision,
            ],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(f"git could not check out {revision}: {done.stderr.strip()}")
        # The tree's code comes before this tree's editable install on sys.path.
        env = {**os.environ, "PYTHONPATH": str(self.tree)}
        self.process = subprocess.Popen(
            [sys.executable, str(REPO / "benchmarks" / "search_bench_worker.py"), str(index_dir)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=folder,
        )
        ready = json.loads(self._line())
        if not ready.get("code", "").startswith(str(self.tree)):
            raise RuntimeError(f"the worker ran {ready.get('code')}, not {self.tree}")

    def _line(self) -> str:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the worker for {self.revision} stopped")
        return line

    def search(self, text: str, filters: dict | None, public: bool, answers: bool) -> Timed:
        assert self.process.stdin is not None
        asked = {"query": text, "filters": filters, "public": public, "answers": answers}
        self.process.stdin.write(json.dumps(asked) + "\n")
        self.process.stdin.flush()
        found = json.loads(self._line())
        return Timed(found["ms"], found["total"], found["ids"], found["answers"])

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=60)
        subprocess.run(
            ["git", "-C", str(REPO), "worktree", "remove", "--force", str(self.tree)], check=False
        )


@dataclass
class Timed:
    """One timed search: milliseconds, and what it found (to compare the columns' results)."""

    ms: float
    total: int
    ids: list[str]
    answers: list[str]
    relaxed: bool = False


Searcher = Callable[[str, "dict | None"], Timed]


def in_process(
    index: SearchIndex, public: bool, answers: bool, thesaurus: Thesaurus | None = None
) -> Searcher:
    """A search of this tree's code, timed in this process."""

    def run(text: str, filters: dict | None) -> Timed:
        built = Filters.build(**filters) if filters else None
        started = time.perf_counter()
        results = search(
            index,
            text,
            filters=built,
            facets=True,
            public=public,
            answers=answers,
            thesaurus=thesaurus,
        )
        elapsed = (time.perf_counter() - started) * 1000
        return Timed(
            elapsed,
            results.total,
            [hit.id for hit in results.hits],
            [answer.id for answer in results.answers],
            results.relaxed,
        )

    return run


def without_translations() -> Thesaurus:
    """The shipped thesaurus alone, without the English-Russian glossary merged in."""
    path = shipped_path(HOME_FILE)
    return Thesaurus.parse(path.read_text(encoding="utf-8"), source=path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=REPO / "benchmarks" / "out")
    parser.add_argument("--reuse", action="store_true", help="Reuse an index of the same size.")
    parser.add_argument(
        "--before",
        default="main",
        help="A git revision whose code is timed beside this tree's ('none': no such column).",
    )
    args = parser.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"the shared corpus is not at {CORPUS}", file=sys.stderr)
        return 2
    args.workdir.mkdir(parents=True, exist_ok=True)
    sources = sentences_by_paper(corpus_home(args.workdir))
    index_dir = args.workdir / "bench-index"
    meta_file = index_dir / "bench.json"
    meta = json.loads(meta_file.read_text()) if meta_file.exists() else {}
    if args.reuse and meta.get("pages") == args.pages and SearchIndex(index_dir).is_usable():
        seconds, papers = meta["seconds"], meta["papers"]
        print(f"reusing the index in {index_dir}")
    else:
        print(f"building an index of {args.pages} pages in {index_dir} ...", flush=True)
        seconds, papers = build(index_dir, sources, args.pages)
    index = SearchIndex(index_dir)
    size = sum(f.stat().st_size for f in index_dir.iterdir() if f.is_file())
    stats = index.stats()
    print(
        f"\nindex: {stats['papers']} papers, {stats['pages']} pages, "
        f"{size / 1e6:.0f} MB, built in {seconds:.0f} s ({papers / seconds:.1f} papers/s)"
    )
    kinds = queries(sources, random.Random(SEED + 1))
    every = [item for items in kinds.values() for item in items]
    # Who searches, whether answers (issue 20: passages ranked across papers) are found, and
    # whether the English-Russian glossary's translations are added (issue 21).
    audiences: dict[str, Searcher] = {
        "staff": in_process(index, public=False, answers=True),
        "public": in_process(index, public=True, answers=True),
        "no answers": in_process(index, public=True, answers=False),
        "no transl.": in_process(index, True, True, thesaurus=without_translations()),
    }
    with tempfile.TemporaryDirectory(prefix="bench-search-") as temp:
        before = None
        if args.before != "none":
            try:
                before = Before(args.before, index_dir, Path(temp))
            except RuntimeError as error:
                print(f"(no 'before' column: {error})")
        if before is not None:
            audiences["before"] = lambda text, filters: before.search(text, filters, True, True)
        try:
            return _measure(args, kinds, every, audiences)
        finally:
            if before is not None:
                before.close()


def _measure(
    args: argparse.Namespace,
    kinds: dict[str, list[tuple]],
    every: list[tuple],
    audiences: dict[str, Searcher],
) -> int:
    """Time every query as each audience, ``args.rounds`` times, and print the figures."""
    print(f"\nload average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for text, filters in every:  # warm-up: open files, fill Whoosh's and the OS's caches
        for run in audiences.values():
            run(text, filters)
    timings = {who: {kind: [] for kind in kinds} for who in audiences}
    slowest: list[tuple[float, str]] = []
    first: dict[str, list[Timed]] = {who: [] for who in audiences}
    for round_ in range(args.rounds):
        for kind, items in kinds.items():
            for text, filters in items:
                # Alternate who goes first, so neither gains from the other's warm caches.
                order = list(audiences.items())
                for who, run in order if round_ % 2 == 0 else order[::-1]:
                    timed = run(text, filters)
                    timings[who][kind].append(timed.ms)
                    if not round_:
                        first[who].append(timed)
                    if who == "public":
                        slowest.append((timed.ms, text))
    print(f"load average at the end:   {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"\nlatency of a first page of 10 results with snippets and facets, {args.rounds} rounds")
    print("p50/p95 in ms, in-process. staff: no access filter; public: staff-only papers left out")
    print("(the public's search); no answers: the public's without answers (passages);")
    print("no transl.: the public's without the English-Russian glossary (issue 21);")
    if "before" in audiences:
        print(f"before: the public's with the code of {args.before}, in a process of its own.")
    header = f"{'kind':<15}{'queries':>8}" + "".join(f"{who:>14}" for who in audiences)
    header += f"{'answers':>9}{'transl.':>9}"
    header += f"{'vs before':>11}" if "before" in audiences else ""
    print(header)
    print(f"{'':<23}" + f"{'p50/p95':>14}" * len(audiences) + f"{'p95 +ms':>9}" * 2)
    rows = [(kind, len(kinds[kind])) for kind in kinds] + [("all", len(every))]
    english = [kind for kind in kinds if kind != "russian"]
    rows.insert(len(kinds), ("all English", sum(len(kinds[kind]) for kind in english)))
    for kind, count in rows:
        line = f"{kind:<15}{count:>8}"
        p95 = {}
        for who in audiences:
            if kind == "all":
                values = [v for k in kinds for v in timings[who][k]]
            elif kind == "all English":
                values = [v for k in english for v in timings[who][k]]
            else:
                values = timings[who][kind]
            p95[who] = percentile(values, 0.95)
            line += f"{statistics.median(values):>8.1f}/{p95[who]:<5.0f}"
        line += f"{p95['public'] - p95['no answers']:>+9.1f}"
        line += f"{p95['public'] - p95['no transl.']:>+9.1f}"
        if "before" in audiences:
            line += f"{p95['public'] - p95['before']:>+11.1f}"
        print(line)
    public = first["public"]
    flat = _flat(kinds)
    asked = [i for i, (kind, _) in enumerate(flat) if kind in ("questions", "pasted e-mails")]
    questions = [i for i, (kind, _) in enumerate(flat) if kind == "questions"]
    matched = sum(t.total for t in public)
    print(f"\npapers matched, summed over every query: public {matched}, ", end="")
    print(f"staff {sum(t.total for t in first['staff'])}")
    print(f"median total matches per query: {statistics.median(t.total for t in public):.0f}")
    relaxed = sum(public[i].relaxed for i in questions)
    print(f"questions answered by a relaxed match: {relaxed} of {len(questions)}")
    print(f"questions that found nothing: {sum(not public[i].total for i in questions)}")
    with_answers = sum(bool(public[i].answers) for i in asked)
    print(f"questions and pasted e-mails with answers: {with_answers} of {len(asked)}")
    for who in audiences:
        if who in ("public", "staff", "no answers"):
            continue
        differ = [
            i
            for i, (mine, theirs) in enumerate(zip(public, first[who], strict=True))
            if (mine.total, mine.ids, mine.answers) != (theirs.total, theirs.ids, theirs.answers)
        ]
        kinds_of = Counter(flat[i][0] for i in differ)
        print(
            f"queries whose results (total, papers, answers) differ between public and {who}: "
            f"{len(differ)} of {len(public)}"
            + (f" ({', '.join(f'{k} {n}' for k, n in kinds_of.items())})" if differ else "")
        )
    print("slowest queries (public):")
    for elapsed, text in sorted(slowest, reverse=True)[:5]:
        print(f"  {elapsed:7.1f} ms  {text[:100]}")
    return 0


def _flat(kinds: dict[str, list[tuple]]) -> list[tuple[str, tuple]]:
    """(kind, item) of every query, in the order they are timed."""
    return [(kind, item) for kind, items in kinds.items() for item in items]


if __name__ == "__main__":
    sys.exit(main())
