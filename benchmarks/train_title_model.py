"""Train the title ranker (:mod:`indexer.describe.title_model`) on the labelled papers and say
how well it does on papers of sources it was not trained on.

Every labelled paper of ``tests/data/corpus_metadata.tsv`` and ``tests/data/metadata/labels.tsv``
except the ``round3-held-out`` set and the bench's unseen sets (``fresh-held-out`` to
``fresh20-held-out``, kept unseen) is read: its
first page's title candidates (:func:`indexer.describe.header.title_blocks`, behind a cover page
the second page's) with their features (:func:`indexer.describe.header.title_features`);
a candidate is right when it is the labelled title (ignoring case, spacing and accents). A
conditional logit (a softmax over each page's candidates, L2-regularised, full-batch gradient
descent) is fitted.

Leave-one-source-out cross-validation (each repository's papers scored by a model trained on
the others') prints the share of pages whose title the model picks beside the share the rules
(:func:`indexer.describe.header._find_title`) get on the same pages (in sample: they were written
looking at them), and the two together: the rules' title, the model's pick on a page where the rules
find no title larger than the body text (when it is sure enough; the extractor reads the names
under that pick, the title itself then comes from the PDF's fields or the largest text).
``--write`` then stores the weights trained on all of them in ``indexer/describe/title_model.json``.

Run with ``python -m benchmarks.train_title_model [--write] [--corpus DIR] [--extra DIR]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.metadata_bench import (
    DEFAULT_CORPUS,
    DEFAULT_EXTRA,
    LABELS,
    UNSEEN,
    UNSEEN_SETS,
    Label,
    _locate,
    fold,
    read_labels,
)
from indexer.describe import title_model
from indexer.describe.header import (
    TITLE_FEATURES,
    RunCollector,
    _find_title,
    body_size,
    is_cover_page,
    lines_of,
    title_blocks,
    title_features,
)
from indexer.ingest.extract import _open, _page_text

# The bench's unseen sets (fresh-held-out ... fresh20-held-out, each round's measure of papers no
# rule was written for) are never trained on; round3-held-out stays out so that the shipped
# weights can be trained again as they were.
KEPT_UNSEEN = ("round3-held-out", *UNSEEN_SETS)
L2 = 0.3
STEPS = 800
RATE = 0.3
THRESHOLD = 0.5


@dataclass
class Page:
    """One labelled first page: its candidates' features, which are right, the rules' title."""

    label: Label
    source: str
    features: np.ndarray
    right: np.ndarray
    rules_right: bool
    rules_found: bool


def _sources() -> dict[str, str]:
    with (UNSEEN / "SOURCES.tsv").open(encoding="utf-8") as handle:
        return {row["file"]: row["repository"] for row in csv.DictReader(handle, delimiter="\t")}


def read_pages(corpus: Path, extra: Path) -> list[Page]:
    """The training pages: every labelled paper that is here, but the ones kept unseen."""
    sources = _sources()
    pages = []
    for label in read_labels(LABELS) + read_labels(UNSEEN / "labels.tsv"):
        path = _locate(label, corpus, extra)
        if label.set in KEPT_UNSEEN or path is None:
            continue
        # Read as the extractor reads a page: a font pypdf cannot parse costs the page, not
        # the run, and a page whose words run together is read with its word gaps.
        reader = _open(path)
        runs = RunCollector()
        text = _page_text(reader, 0, runs, [])
        if text is None:
            continue
        if len(reader.pages) > 1 and is_cover_page(text):
            runs = RunCollector()
            if _page_text(reader, 1, runs, []) is None:
                continue
        lines = [line for line in lines_of(runs.runs) if not line.text.strip(" .").isdigit()]
        body = body_size(runs.runs)
        blocks = title_blocks(lines)
        rows = [title_features(lines, body, block) for block in blocks]
        source = sources.get(label.file) or "corpus/" + label.file.split("/")[0]
        rules_title, rules_last = _find_title(lines, body)
        pages.append(
            Page(
                label=label,
                source=source,
                features=np.array(rows, dtype=float).reshape(len(rows), len(TITLE_FEATURES)),
                right=np.array([fold(text) == fold(label.title) for *_, text in blocks]),
                rules_right=fold(rules_title) == fold(label.title),
                rules_found=rules_last >= 0,
            )
        )
    return pages


def train(pages: list[Page]) -> np.ndarray:
    """Weights of the conditional logit fitted to the pages whose title is a candidate."""
    usable = [page for page in pages if page.right.any()]
    features = np.vstack([page.features for page in usable])
    sizes = np.array([len(page.right) for page in usable])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    owner = np.repeat(np.arange(len(usable)), sizes)
    right = np.concatenate([page.right for page in usable]).astype(float)
    target = right / np.add.reduceat(right, starts)[owner]
    weights = np.zeros(features.shape[1])
    for _ in range(STEPS):
        scores = features @ weights
        scores -= np.maximum.reduceat(scores, starts)[owner]
        exps = np.exp(scores)
        chances = exps / np.add.reduceat(exps, starts)[owner]
        gradient = features.T @ (chances - target) / len(usable) + L2 * weights
        weights -= RATE * gradient
    return weights


def _picks(page: Page, weights: np.ndarray) -> tuple[bool, bool]:
    """Whether the model's pick is right, and whether the extractor's choice is: the rules'
    title, the model's where the rules find no title larger than the body (when it is sure)."""
    if not len(page.right):
        return False, page.rules_right
    chances = title_model.probabilities(page.features.tolist(), tuple(weights))
    best = int(np.argmax(chances))
    model = bool(page.right[best])
    if page.rules_found:
        return model, page.rules_right
    return model, model and chances[best] >= THRESHOLD


def cross_validate(pages: list[Page]) -> None:
    """Print leave-one-source-out figures per labelled set: model, rules, model then rules."""
    counts: dict[str, list[int]] = {}
    for source in sorted({page.source for page in pages}):
        weights = train([page for page in pages if page.source != source])
        for page in pages:
            if page.source != source:
                continue
            model, combined = _picks(page, weights)
            row = counts.setdefault(page.label.set, [0, 0, 0, 0])
            row[0] += 1
            row[1] += model
            row[2] += page.rules_right
            row[3] += combined
    total = [sum(column) for column in zip(*counts.values(), strict=True)]
    print(f"{'set':14} {'pages':>5}  model alone   rules (in sample)   rules, then model")
    for name, (n, model, rules, combined) in [*counts.items(), ("all", total)]:
        print(
            f"{name:14} {n:5}  {model:3} {model / n:6.1%}   {rules:3} {rules / n:6.1%}"
            f"          {combined:3} {combined / n:6.1%}"
        )


def main(argv: list[str] | None = None) -> int:
    """Cross-validate, then (``--write``) store the weights trained on every page."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--extra", type=Path, default=DEFAULT_EXTRA)
    parser.add_argument("--write", action="store_true", help="store the weights")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    pages = read_pages(args.corpus, args.extra)
    print(f"{len(pages)} labelled first pages from {len({p.source for p in pages})} sources")
    print("leave-one-source-out cross-validation, header titles right:")
    cross_validate(pages)
    if args.write:
        weights = train(pages)
        model = {
            "features": list(TITLE_FEATURES),
            "weights": [round(float(w), 6) + 0.0 for w in weights],  # no "-0.0"
            "threshold": THRESHOLD,
            "trained_on": len(pages),
        }
        title_model.WEIGHTS.write_text(json.dumps(model, indent=1) + "\n", encoding="utf-8")
        print(f"weights written to {title_model.WEIGHTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
