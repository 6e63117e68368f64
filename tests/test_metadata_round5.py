"""Rules of the fifth round of issue 24, each on the layout of a first page of the 'fresh-tuned'
set that showed the need. Those pages' licences keep them out of the repository (Elsevier,
Pergamon, Wiley), so their lines are written here as text runs, as pypdf reads them. The
'fresh-held-out' set is never used here: it measures the round (benchmarks/metadata_bench).
"""

from __future__ import annotations

from indexer.describe.header import Run, _glyphs, read_venue
from tests.header_pages import byline, families, header_of_runs


def _page(*lines: str) -> list[str]:
    """The authors read from a made-up page: a title, then ``lines`` in the body's size."""
    runs = [Run("Methane-dominated thermochemical sulphate reduction\n", 16.0, 72.0, 800.0)]
    runs += [Run(text + "\n", 9.0, 72.0, 770.0 - 12 * i) for i, text in enumerate(lines)]
    runs.append(Run("Abstract\n", 9.0, 72.0, 500.0))
    return header_of_runs(runs).authors


def test_letters_glued_to_every_name_that_open_the_affiliation_lines_are_dropped() -> None:
    # Marine and Petroleum Geology 21 (2004), pdftotree's S0264817204001497: "Caia", "Hub",
    # "Hee" are Cai, Hu and He with the letters of "aInstitute of Geology", "bLanfang Branch".
    got = _page(
        "Chunfang Caia, Zengye Xieb, Richard H. Wordenc,*, Guoyi Hub, Lansheng Wangd, Hong Hee",
        "aInstitute of Geology and Geophysics, CAS, P.O. Box 9825, Beijing, China",
        "bLanfang Branch of Petroleum Exploration and Development Institute, PetroChina",
        "cJane Herdman Laboratories, University of Liverpool, Liverpool, UK",
        "dSichuan Gas Field, Chengdu, China",
        "eSouthwest Petroleum Institute, Chengdu, China",
    )
    assert families(got) == ["Cai", "Xie", "Worden", "Hu", "Wang", "He"]
    # Geothermics 30 (2001), S0375650501000049: the same with the spaces lost.
    got = _page(
        "ElizabethJ.McKenziea,1,KevinL.Brownb,*,",
        "SherryL.Cadyc,KathleenA.Campbella",
        "aDepartmentofGeology,UniversityofAuckland,PrivateBag92019,Auckland,NewZealand",
        "bDepartmentofGeology/GeothermalInstitute,UniversityofAuckland,NewZealand",
        "cDepartmentofGeology,PortlandStateUniversity,Portland,OR97201,USA",
    )
    assert families(got) == ["McKenzie", "Brown", "Cady", "Campbell"]


def test_names_ending_in_such_letters_by_chance_are_kept() -> None:
    # Names ending in "a" over an affiliation line opening with "a": one letter is no list.
    got = _page("Ana Costa, Maria Silva", "a Department of Biology, University of Porto")
    assert families(got) == ["Costa", "Silva"]
    # Without affiliation lines opening with letters, no letter is taken off.
    got = _page("Hong Hee, Anna Costab", "Department of Biology, University of Porto")
    assert families(got) == ["Hee", "Costab"]


def test_a_hyphenated_family_name_drops_its_affiliation_letters() -> None:
    # Geoderma 239-240 (2015), S0016706114003747: "Lopez-Maldonado b,1" stopped the byline.
    got = byline(
        "Nicholas E. Bader a,\u204e, Kirsten P. Nicolaysen a, Ricardo Lopez-Maldonado b,1, "
        "Kira E. Murray a,2, Anna C. Mudd c,3"
    )
    assert families(got) == ["Bader", "Nicolaysen", "Lopez-Maldonado", "Murray", "Mudd"]


def test_affiliation_numbers_are_no_words_of_prose() -> None:
    # Org. Geochem. 13 (1988), Pergamon: 18 words with the numbers, four names without them.
    got = byline(
        "SCOTT W. IMBUS 1, MICHAEL H. ENGEL 1*, R. DOUGLAS ELMORE 1 and JOHN E. ZUMBERGE 2"
    )
    assert families(got) == ["Imbus", "Engel", "Elmore", "Zumberge"]
    # A long line of prose is still prose.
    assert (
        byline(
            "We measured the isotopes of twelve samples in the laboratory and then compared "
            "them with the values of the field, 2 and 3"
        )
        == []
    )


def test_blackwell_glyph_names_are_marks() -> None:
    # Sedimentology 50 (2003), Wiley: pypdf reads the dagger after a name as "/C160".
    got = byline("J. MARCELO KETZER*1, MICHAEL HOLZ/C160, S. MORAD* and I. S. AL-AASM/C224")
    assert families(got) == ["Ketzer", "Holz", "Morad", "Al-Aasm"]
    # Geochimica et Cosmochimica Acta 72 (2009): "22-48 /C176C" is a temperature.
    assert _glyphs("22\u201348 /C176C") == "22\u201348 \u00b0C"


def test_a_double_volume_before_the_year() -> None:
    # Geoderma 239-240 (2015) with "(c) 2014 Elsevier" under the abstract: the venue line's year.
    venue = read_venue(
        "Geoderma 239\u2013240 (2015) 195\u2013205\nContents lists available at ScienceDirect\n"
        "Extensive middle Miocene weathering\n\u00a9 2014 Elsevier B.V. All rights reserved."
    )
    assert (venue.year, venue.container, venue.volume) == (2015, "Geoderma", "239\u2013240")


def test_an_elsevier_masthead_journal_line_anywhere_on_the_page() -> None:
    # Geoderma (S0016706114003747): pypdf reads the masthead's journal line twelve lines from
    # the end, after the abstract, and the copyright line's year is the year before.
    page = "\n".join(
        [
            "Extensive middle Miocene weathering interpreted from a well-preserved",
            "paleosol, Cricket Flat, Oregon, USA",
            "Nicholas E. Bader a, Kirsten P. Nicolaysen a",
            *[f"Abstract line {i} about the paleosol and its weathering." for i in range(20)],
            "Geoderma 239\u2013240 (2015) 195\u2013205",
            *[f"Keyword {i}" for i in range(9)],
            "0016-7061/\u00a9 2014 Elsevier B.V. All rights reserved.",
            "Contents lists available at ScienceDirect",
            "Geoderma",
        ]
    )
    assert read_venue(page).year == 2015
    # Without the masthead, a line like it in the middle of a page is no venue line.
    assert read_venue(page.replace("Contents lists available at", "Found at")).year == 2014
