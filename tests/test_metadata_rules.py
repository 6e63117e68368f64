"""Rules of the second round of issue 24, each on the real first page that showed the need
(papers of tests/data/metadata stored in the repository) and on the smallest made-up text.

These pages are of the 'tuned' and old 'held-out' sets; the new held-out set is never used
here (it measures the rules, see benchmarks/metadata_bench.py).
"""

from __future__ import annotations

from archive.names import family_name
from indexer.describe.header import Run, read_header, read_venue
from tests.header_pages import byline, families, unseen


def test_two_people_may_share_a_family_name_and_an_initial() -> None:
    # PNAS: "Zhifeng Wang", "Sijia Wang" and "Zhao-Qi Wang"; "Bin Peng" is Peng, not "Bin Peng".
    got = families(unseen("pqa_10.1073_pnas.2322520121.pdf").authors)
    assert got.count("Wang") == 3
    assert "Peng" in got


def test_a_repeated_name_in_initials_is_still_one_person() -> None:
    assert byline("Sanjeev Khanna, Anna Petrova", "S. Khanna") == ["Sanjeev Khanna", "Anna Petrova"]


def test_an_acronym_after_a_name_is_the_affiliation() -> None:
    # "J. C. Yun" / "FNAL, Batavia, IL 60510, USA" (JACoW): not "J. C. Yun Fnal".
    got = unseen("refx_wepml008.pdf").authors
    assert "J. C. Yun" in got
    assert not any("Fnal" in name or "FNAL" in name for name in got)
    assert byline("Anna Petrova, J. C. Yun FNAL") == ["Anna Petrova", "J. C. Yun"]
    # A family name in capitals after a given name stays ("Ross G. DOUGLAS").
    assert family_name(byline("Ross G. DOUGLAS, Rajni K. SHARMA")[0]) == "Douglas"


def test_affiliation_letters_glued_to_names_with_their_list() -> None:
    got = byline("Patrick N.J. Lanea,c,*, Alice E. Bestb,c,d, Klaus Hickelb,c, Lu Zhang")
    assert families(got) == ["Lane", "Best", "Hickel", "Zhang"]
    # One letter after a comma before the next name is that name's mark, not part of it.
    assert families(byline("Matthew G. Eason,a Sandrine Legault,b")) == ["Eason", "Legault"]


def test_a_place_in_the_affiliations_type_is_no_name() -> None:
    runs = [Run("The Size Distribution of Near Earth Objects\n", 12.0, 72.0, 800.0)]
    runs += [Run("D. E. Trilling, F. Valdes, and J. Rajagopal\n", 9.0, 72.0, 780.0)]
    runs += [Run("South African Astronomical Observatory\n", 8.0, 72.0, 768.0)]
    runs += [Run("Cape Town\n", 8.0, 72.0, 758.0), Run("La Serena\n", 8.0, 72.0, 748.0)]
    runs += [Run("Abstract\n", 9.0, 72.0, 700.0)]
    text = "\n".join(run.text for run in runs)
    assert read_header(runs, text).authors == ["D. E. Trilling", "F. Valdes", "J. Rajagopal"]


def test_publishers_furniture_is_no_name() -> None:
    assert byline("Sam Cox, Andrew D. White", "Read Online Access") == [
        "Sam Cox",
        "Andrew D. White",
    ]


def test_the_venue_line_year_beats_the_copyright_year() -> None:
    # "Proceedings of NAACL-HLT 2018, pages 84-91 ... ©2017 Association for Computational
    # Linguistics": the paper appeared in 2018.
    assert unseen("s2orc_N18-3011.pdf").year == 2018
    venue = read_venue("Proceedings of NAACL-HLT 2018, pages 84-91\n©2017 ACL\nTitle\n")
    assert venue.year == 2018


def test_a_cover_pages_citation_gives_the_year() -> None:
    # IOP's cover page: "To cite this article: V V Kazina et al 2021 IOP Conf. Ser.: ..."
    assert unseen("mineru_test_assets_paper_paper.pdf").year == 2021


def test_a_download_stamp_is_no_venue_line() -> None:
    text = "A title\nbody\nDownloaded from https://journals.asm.org/journal/jb on 31 May 2025\n"
    assert read_venue(text).year is None


def test_behind_a_cover_page_the_paper_is_read_on_the_next_page() -> None:
    # JSTOR's cover ("Stable URL") and IOP's ("To cite this article: V V Kazina et al 2021"):
    # the names are on the paper's own first page, the second of the file.
    jstor = unseen("zotero_duplicatesMerge_JSTOR_1.pdf")
    assert families(jstor.authors) == ["Romeo", "Manuelli", "Abear"]
    assert jstor.title.startswith("FAO\u2019s Work in Mountains")
    iop = unseen("mineru_test_assets_paper_paper.pdf")
    assert families(iop.authors) == ["Kazina", "Safronova", "Yabrova", "Kamoza", "Nikulina"]
    assert iop.year == 2021


def test_an_affiliation_line_under_the_names_adds_no_names() -> None:
    got = byline("Stephen K. Doberstein", "Nektar Therapeutics, San Francisco, CA, USA")
    assert got == ["Stephen K. Doberstein"]
    # One name and its affiliation on a line (ACM) keeps the name.
    got = byline(
        "TAL AUGUST, University of Washington, USA", "KYLE LO, Allen Institute for AI, USA"
    )
    assert families(got) == ["August", "Lo"]


def test_an_accent_on_a_dotless_i_is_an_i_with_the_accent() -> None:
    # arXiv 2303.03819 sets "Eugenio Meg\u00b4\u0131as" (LaTeX \'{\i}): the first author was lost.
    runs = [Run("Comparative study of the heavy-quark dynamics\n", 14.3, 72.0, 740.0)]
    runs += [Run("Eugenio Meg\u00b4\u0131as\n", 10.0, 72.0, 693.0)]
    runs += [
        Run("Departamento de F\u00b4\u0131sica, Universidad de Granada, Spain\n", 8.0, 72.0, 677.0)
    ]
    runs += [Run("Airton Deppman\n", 10.0, 72.0, 645.0), Run("Abstract\n", 10.0, 72.0, 600.0)]
    text = "\n".join(run.text for run in runs)
    assert read_header(runs, text).authors == ["Eugenio Megías", "Airton Deppman"]
