"""Rules of the ninth round of issue 24, each on a first page of the seen set fresh4-tuned that
showed the need (the stored paper itself where its licence lets the repository keep it, else
its lines as pypdf reads them). The held-out sets are never used here: they measure the round
(benchmarks/metadata_bench)."""

from __future__ import annotations

from indexer.describe.header import Run
from tests.header_pages import byline, families, header_of_runs, unseen


def test_a_role_printed_beside_the_name_is_no_author() -> None:
    # Marine Notes Journal 2026: "Dr. Maria Fernanda Silva, Individual Researcher, Portugal".
    got = unseen("mnj_vol1-iss1-Unusual-2025-interactions-of-Iberian-Orcinus-orca.pdf")
    assert families(got.authors) == ["Silva"]
    assert byline("Anna Petrova, Independent Researcher, Vladivostok") == ["Anna Petrova"]
    assert byline("James Whitfield, Consultant, Amur Leopard Programme") == ["James Whitfield"]


def test_by_alone_over_the_names_of_a_report_cover() -> None:
    # A NOAA stock assessment's cover: its title in the body's type, "by" on a line of its
    # own, the author under it and nothing else that says "paper".
    got = unseen("flatfish_atf_goa_main.pdf")
    assert families(got.authors) == ["Shotwell"]
    # A German thesis's "von" and a French one's "par", the same way.
    for word in ("von", "par", "by"):
        runs = [
            Run("Leoparden im Fernen Osten Russlands\n", 14.0, 72.0, 700.0),
            Run(f"{word}\n", 14.0, 72.0, 600.0),
            Run("Anna Petrova\n", 14.0, 72.0, 580.0),
            Run("Wladiwostok 2021\n", 14.0, 72.0, 400.0),
        ]
        assert header_of_runs(runs).authors == ["Anna Petrova"], word


def test_by_inside_a_line_is_no_label() -> None:
    # "by" that opens a sentence or a title's last words names nobody.
    runs = [
        Run("Leopards Photographed by Camera Traps\n", 18.0, 72.0, 700.0),
        Run("by the river in winter\n", 10.0, 72.0, 680.0),
        Run("Abstract\n", 10.0, 72.0, 600.0),
    ]
    assert header_of_runs(runs).authors == []
