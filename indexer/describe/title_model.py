"""A small learned ranker for a first page's title: which block of lines is the title.

:func:`indexer.describe.header.read_header` asks it where the rules find no title set larger than
the body text (a preprint's bold title in the body's size): the names are read under the block it
is sure of. Under leave-one-source-out cross-validation it did as well as the rules where they
find a title and better where they find none (``python -m benchmarks.train_title_model``
prints the figures).

The candidates are blocks of lines set in one size (:func:`indexer.describe.header.title_blocks`),
each described by a few features of its layout and words
(:func:`indexer.describe.header.title_features`: size against the body, rank of the size, height on
the page, order, length, case, banner and affiliation words, a line of names...). A conditional
logit model (one softmax over a page's candidates) gives each a probability; its weights are learned
by ``python -m benchmarks.train_title_model`` from the labelled papers of ``tests/data`` and kept
in ``title_model.json`` beside this module. Pure Python: the dot products are too small for
numpy to pay for its import.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path

WEIGHTS = Path(__file__).with_name("title_model.json")


@cache
def _model() -> tuple[tuple[str, ...], tuple[float, ...], float]:
    data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    return tuple(data["features"]), tuple(data["weights"]), float(data["threshold"])


def feature_names() -> tuple[str, ...]:
    """The names of the features the stored weights go with, in their order."""
    return _model()[0]


def threshold() -> float:
    """The probability the best candidate needs for the model's choice to be taken."""
    return _model()[2]


def probabilities(rows: list[list[float]], weights: tuple[float, ...] | None = None) -> list[float]:
    """Each candidate's probability of being the title, one row of features per candidate."""
    if not rows:
        return []
    weights = weights if weights is not None else _model()[1]
    scores = [sum(w * x for w, x in zip(weights, row, strict=True)) for row in rows]
    top = max(scores)
    exps = [math.exp(score - top) for score in scores]
    total = sum(exps)
    return [value / total for value in exps]
