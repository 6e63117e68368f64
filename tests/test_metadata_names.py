"""Family names, one rule for the extractor and the citations (archive.names).

The names are as they stand on the labelled papers of tests/data/metadata and the corpus: a
citation must cite "van Zuylen", "Van Orden", "do Amaral" and "Fernandes dos Santos" whole, and
the APA reference a reader copies must use the same family name the extractor found.
"""

from __future__ import annotations

import pytest

from archive.citation import apa_reference
from archive.names import Name, family_name, split_name
from archive.paper import Paper
from indexer.describe.metadata import family_name as extractor_family_name


@pytest.mark.parametrize(
    ("name", "family"),
    [
        ("Madeleine van Zuylen", "van Zuylen"),
        ("Sheila Mara Silva do Amaral", "do Amaral"),
        ("Anne Van Orden", "Van Orden"),
        ("Kwame Agyeman-Duah", "Agyeman-Duah"),
        ("Frederick Gmitter Jr.", "Gmitter"),
        ("Fernandes dos Santos, Ana", "Fernandes dos Santos"),
        ("Md. Hassan uz-Zaman", "uz-Zaman"),
        ("Luca Di Gaspero", "Di Gaspero"),
        ("Giulio V. Dalla Riva", "Dalla Riva"),  # Biological Reviews 2019 (fresh13-tuned)
        ("Dal Bello", "Bello"),  # never the first word
        ("Júlio César Dos Santos", "Dos Santos"),
        ("Emmanuel Thomé", "Thomé"),
        ("Bin Peng", "Peng"),  # a given name that reads as a particle (PNAS 2024)
        ("Anna\u00a0Petrova", "Petrova"),  # a no-break space from a PDF is a space
        ("", ""),
    ],
)
def test_family_name(name: str, family: str) -> None:
    assert family_name(name) == family
    # The extractor's family_name is this very rule, not a copy that could drift.
    assert extractor_family_name(name) == family


def test_split_name_sets_a_suffix_aside() -> None:
    assert split_name("Frederick Gmitter Jr.") == Name("Frederick", "Gmitter", "Jr.")
    assert split_name("Gmitter, Frederick G., Jr.") == Name("Frederick G.", "Gmitter", "Jr.")
    assert split_name("Ludwig van Beethoven") == Name("Ludwig", "van Beethoven", "")


def _paper(authors: list[str]) -> Paper:
    return Paper(id="0" * 64, title="Amur leopards", filename="a.pdf", pages=1, size=1,
                 authors=authors, year=2024)  # fmt: skip


def test_apa_reference_cites_the_family_name_the_extractor_reads() -> None:
    reference = apa_reference(
        _paper(["Sheila Mara Silva do Amaral", "Anne Van Orden", "Frederick Gmitter Jr."])
    )
    assert reference.startswith("do Amaral, S. M. S., Van Orden, A., & Gmitter, F., Jr. (2024).")
