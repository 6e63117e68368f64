"""Text normalisation: the words a reader sees are the words indexed."""

from __future__ import annotations

import pytest

from indexer.normalize import clean_field, normalize_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("the \ufb01sh and the \ufb02ow o\ufb03ces", "the fish and the flow offices"),
        ("conser-\nvation of leopards", "conservation of leopards"),
        ("conser-  \n   vation", "conservation"),
        ("conser\u00ad\nvation", "conservation"),
        ("Sikhote-\nAlin mountains", "Sikhote-Alin mountains"),
        ("COVID-\n19 pandemic", "COVID-19 pandemic"),
        ("COVID-\t19 and solid- organ", "COVID-19 and solid-organ"),
        ("COVID-\u00ad19\u00advaccination\u00adand", "COVID-19 vaccination and"),
        ("leopards - tigers", "leopards - tigers"),
        ("non\u2011breaking and \u2010 dash", "non-breaking and - dash"),
        ("a\x00b\x07c \ufffd d", "a b c d"),
        ("lone \ud835 surrogate", "lone surrogate"),
        ("  many\n\n  spaces\t\there ", "many spaces here"),
        ("Einfu\u0308hrung", "Einführung"),
        ("\uff26\uff55ll width", "Full width"),
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


def test_clean_field_folds_hyphens_and_controls() -> None:
    assert clean_field("COVID\u201019\x00 vaccination\n") == "COVID-19 vaccination"
    assert clean_field(None) == ""
