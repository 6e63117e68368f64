"""Rules of the twentieth round of issue 24, written from fresh17-tuned's first pages
(fisheries agencies' reports, read as pypdf reads them) after both halves of that set had been
measured unseen. fresh17-held-out is never used here: it measures the round
(benchmarks/metadata_bench)."""

from __future__ import annotations

from indexer.describe.header import Run, date_line_year, fallback_title
from tests.header_pages import header_of_runs, page_of, prose


def test_a_memorandum_s_subject_and_senders() -> None:
    # An Alaska Department of Fish and Game memorandum (2017): the state's banner set large,
    # the fields in two columns, each sender's job under the name.
    runs = page_of(
        (22.0, 735.7, "MEMORANDUM"),
        (22.0, 735.7, "STATE OF ALASKA"),
        (16.0, 712.4, "DEPARTMENT OF FISH AND GAME"),
        (12.0, 694.8, "Division of Commercial Fisheries"),
        (12.0, 641.3, "TO: Andrew Olson"),
        (12.0, 627.5, "Groundfish Project Leader"),
        (12.0, 641.3, "DATE: 3/16/2017"),
        (12.0, 544.7, "FROM: Ben Williams"),
        (12.0, 530.8, "Fisheries Scientist"),
        (12.0, 503.2, "Kray Van Kirk"),
        (12.0, 489.4, "Biometrician"),
        (12.0, 544.7, "PHONE: 465-6350"),
        (12.0, 461.8, "SUBJECT: 2017 NSEI Sablefish Assessment"),
        (12.0, 432.2, "Summary Table"),
    )
    header = header_of_runs(runs)
    assert header.title == "2017 NSEI Sablefish Assessment"
    assert header.authors == ["Ben Williams", "Kray Van Kirk"]


def test_a_technical_report_s_title_ending_in_a_year_and_a_name_broken_after_its_initial() -> None:
    # Canadian Technical Report of Fisheries and Aquatic Sciences (2024): the title's last
    # line is a year, the report's own year is alone lower down; the last author's initial
    # ends the line and the family name opens the next.
    runs = page_of(
        (18.0, 644.0, "Optical, Chemical, and Biological Oceanographic"),
        (18.0, 623.6, "Conditions in the Labrador Sea from summer 2019 and"),
        (18.0, 603.2, "2023"),
        (14.0, 527.1, "M. Ringuette, E. Devred, K. Azetsu-Scott, E. Head, C.-E. Gabriel, and S."),
        (14.0, 511.2, "Clay"),
        (14.0, 433.5, "Ocean and Ecosystem Sciences Division, Science Branch"),
        (14.0, 417.6, "Department of Fisheries and Oceans"),
        (14.0, 370.1, "Dartmouth, Nova Scotia B2Y 4A2"),
        (14.0, 253.5, "2024"),
        (18.0, 177.7, "Canadian Technical Report of"),
    )
    assert header_of_runs(runs).authors[-2:] == ["C.-E. Gabriel", "S. Clay"]
    assert date_line_year("".join(run.text for run in runs)) == 2024


def test_a_title_opening_with_summary_of_is_no_abstract_heading() -> None:
    # A fishery council's attachment (2020).
    runs = page_of(
        (12.0, 774.3, "Agenda Item F.2"),
        (24.8, 695.6, "Summary of the NWFSC West Coast"),
        (24.8, 665.7, "Groundfish Bottom Trawl Survey Data for"),
        (24.8, 635.8, "Select Species from 2003-2019"),
        (12.0, 588.3, "Dr. Chantel R. Wetzel and Dr. Jim Hastie"),
        (10.9, 563.0, "Northwest Fisheries Science Center, U.S. Department of Commerce"),
    )
    runs += prose("The survey is conducted annually along the coast of the states", 11, 72, 500)
    assert header_of_runs(runs).title == (
        "Summary of the NWFSC West Coast Groundfish Bottom Trawl Survey Data for Select Species "
        "from 2003-2019"
    )


def test_a_one_type_cover_s_title_keeps_its_brackets_and_hyphen_and_no_caption() -> None:
    # A Species at Risk Act recovery strategy (2022): brackets and a hyphen drawn by
    # themselves, the hyphen ending a line; the species' name far under the title in its type.
    runs = [
        Run("Species at Risk Act", 16.0, 434.9, 757.6),
        Run("Recovery Strategy for the ", 26.0, 38.3, 598.5),
        Run("Atlantic Mud", 26.0, 340.4, 598.5),
        Run("-", 26.0, 483.6, 598.5),
        Run("piddock ", 26.0, 38.3, 568.7),
        Run("(", 26.0, 135.3, 568.7),
        Run("Barnea truncata", 26.0, 143.8, 568.7),
        Run(") ", 26.0, 329.0, 568.7),
        Run("in Canada", 26.0, 344.8, 568.7),
        Run("Atlantic Mud", 26.0, 36.7, 452.9),
        Run("-", 26.0, 179.9, 452.9),
        Run("piddock ", 26.0, 188.5, 452.9),
        Run("2022", 16.0, 564.3, 115.1),
    ]
    assert fallback_title(runs) == (
        "Recovery Strategy for the Atlantic Mud-piddock (Barnea truncata) in Canada"
    )
