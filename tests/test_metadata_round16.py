"""Rules of the sixteenth round of issue 24: ways of drawing a byline that a whole publisher uses
(not one paper's quirk), each written here as the page draws it. The held-out halves are never
used here: they measure the round (benchmarks/metadata_bench)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

from indexer.describe.header import Run, date_line_year
from indexer.ingest.extract import extract_pdf
from indexer.normalize import clean_field, repair_misreadings
from tests.header_pages import header_of_runs, page_of, prose
from tests.older_homes import home_that_kept, refresh, search
from tests.pdf_factory import make_pdf, one_page_pdf

HELVETICA = b"/F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"


def _pieces_pdf(path: Path, pieces: list[tuple[float, float, float, str]]) -> Path:
    """A one-page PDF drawing each piece (size, x, y, text) in its own text object, at its own
    place, as the Ecological Society of America's typesetter draws small capitals."""
    drawing = b"".join(
        b"BT %.4f 0 0 %.4f %.4f %.4f Tm /F1 1 Tf (%s) Tj ET\n"
        % (size, size, x, y, text.encode("latin-1"))
        for size, x, y, text in pieces
    )
    return one_page_pdf(path, drawing, fonts=HELVETICA)


# Helvetica's widths (per 1000 of an em) of the letters the byline draws.
_WIDTHS = dict(zip("ABDEGIJLMNOPQRTUVZ-., ", [667, 667, 722, 667, 778, 278, 500, 556, 833, 722,
                                             778, 667, 778, 722, 611, 722, 667, 611, 333, 278, 278,
                                             278], strict=True))  # fmt: skip
_CAPITAL, _SMALL = 9.0, 6.3


def _small_capitals(words: list[str], x: float, y: float) -> list[tuple[float, float, float, str]]:
    """The pieces of a byline in small capitals drawn as ESA's typesetter draws them: a word's
    first letter (and the letter after a hyphen, an initial with the capital after it: "J. P")
    at 9 pt, the others at 6.3 pt, each piece its own text object; a third of an em between
    words, no space drawn; an acute accent ("A'") drawn by itself, raised, over the letter
    before it."""
    pieces = []
    for word in words:
        for text, size in _word_pieces(word):
            if text == "'":
                pieces.append((size, x - 0.5 * _WIDTHS["A"] * size / 1000, y + 1.6, "\u00b4"))
                continue
            pieces.append((size, x, y, text))
            x += sum(_WIDTHS[c] for c in text) * size / 1000
        x += _CAPITAL / 3
    return pieces


def _word_pieces(word: str) -> list[tuple[str, float]]:
    pieces: list[tuple[str, float]] = []
    for i, char in enumerate(word):
        size = _CAPITAL if i == 0 or word[i - 1] in "-. " or not char.isalpha() else _SMALL
        if char == "'":
            pieces.append(("'", _SMALL))
        elif pieces and pieces[-1][1] == size and pieces[-1][0] != "'":
            pieces[-1] = (pieces[-1][0] + char, size)
        else:
            pieces.append((char, size))
    return pieces


def _esa_page(path: Path) -> Path:
    # Ecological Applications 2013, whose byline pypdf reads "IRENE NAVARRO-GONZA\u00b4 LEZ,1,3
    # ANTONIO J. PE\u00b4 REZ-LUQUE,1 ... AND REGINO ZAMORA1,2".
    byline = _small_capitals(
        ["IRENE", "NAVARRO-GONZA'LEZ,", "ANTONIO", "J. PE'REZ-LUQUE,", "AND", "REGINO", "ZAMORA"],
        83.6,
        621.2,
    )
    page = [
        (7.0, 83.6, 716.8, "Ecological Applications, 23(6), 2013, pp. 1267-1276"),
        (17.9, 85.7, 662.1, "The weight of the past: land-use legacies and recolonization"),
        (17.9, 178.9, 644.1, "of pine plantations by oak trees"),
        *byline,
        (8.0, 87.0, 605.3, "Laboratorio de Ecologia, Universidad de Granada, Granada 18006 Spain"),
        (9.0, 83.6, 564.4, "Abstract. Most of the world's plantations were established on"),
        (9.0, 83.6, 554.5, "previously disturbed sites with an intensive land-use history."),
    ]
    return _pieces_pdf(path, page)


def test_a_byline_in_small_capitals_drawn_piece_by_piece_is_read_name_by_name(
    tmp_path: Path,
) -> None:
    # Before: "IRENENAVARRO-GONZA" (the space pypdf hands over at the next word's start was
    # dropped), the accent taken for a footnote mark, and the names cut after the first.
    got = extract_pdf(_esa_page(tmp_path / "esa.pdf"))
    assert got.authors == [
        "Irene Navarro-González",
        "Antonio J. Pérez-Luque",
        "Regino Zamora",
    ]
    assert got.title.startswith("The weight of the past")


def test_a_researchgate_cover_is_a_cover_and_its_download_date_is_not_the_year(
    tmp_path: Path,
) -> None:
    # ResearchGate's cover lists a few authors' profiles ("SEE PROFILE") over a citation line
    # and the day the copy was made; the paper's own first page is behind it.
    cover = [
        "See discussions, stats, and author profiles for this publication at:",
        "https://www.researchgate.net/publication/12606072",
        "Global biodiversity scenarios for the Year 2100",
        "ARTICLE in SCIENCE - APRIL 2000",
        "Impact Factor: 33.61 - DOI: 10.1126/science.287.5459.1770",
        "19 AUTHORS, INCLUDING:",
        "Eric L Berlow",
        "Vibrant Data",
        "40 PUBLICATIONS 7,235 CITATIONS",
        "SEE PROFILE",
        "Available from: Rik Leemans",
        "Retrieved on: 08 January 2016",
    ]
    paper = [
        "REVIEW: BIODIVERSITY",
        "Global Biodiversity Scenarios for the Year 2100",
        "Osvaldo E. Sala, F. Stuart Chapin III, Juan J. Armesto, Eric Berlow",
        "Scenarios of changes in biodiversity for the year 2100 can now be developed based on",
    ]
    path = _two_pages(tmp_path / "rg.pdf", cover, paper)
    got = extract_pdf(path)
    assert got.title == "Global Biodiversity Scenarios for the Year 2100"
    assert got.authors == [
        "Osvaldo E. Sala",
        "F. Stuart Chapin",
        "Juan J. Armesto",
        "Eric Berlow",
    ]
    assert got.year == 2000
    # A cover that says nothing of a download leaves the PDF's own date standing (a
    # manuscript's cover is made when the paper is).
    undated = _two_pages(tmp_path / "undated.pdf", cover[:-1], paper)
    assert extract_pdf(undated).year == 2016


def _two_pages(path: Path, cover: list[str], paper: list[str]) -> Path:
    """A cover in 10 pt over a paper's first page (kind, title, byline, text), the PDF made on
    8 January 2016."""
    pdf = FPDF()
    pdf.set_creation_date(datetime(2016, 1, 8, tzinfo=UTC))
    for page, sizes in ((cover, [10] * len(cover)), (paper, [8, 18, 9, 8])):
        pdf.add_page()
        for text, size in zip(page, sizes, strict=True):
            pdf.set_font("Helvetica", size=size)
            pdf.multi_cell(0, size * 0.6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def test_a_thesis_cover_s_supervisors_and_examiners_are_no_authors() -> None:
    # Université d'Orléans: the author under "THÈSE présentée par :" above the title, the
    # supervisor and the jury under it, "NAME Given" with a title after each.
    french = page_of(
        (16.3, 760.0, "UNIVERSITÉ D'ORLÉANS"),
        (13.6, 736.0, "THÈSE présentée par :"),
        (13.6, 712.0, "Sébastien RIVAULT"),
        (11.3, 688.0, "soutenue le : 02 juillet 2024"),
        (16.3, 664.0, "Parallélisme, équilibrage de charges et extensibilité"),
        (9.4, 640.0, "THÈSE dirigée par :"),
        (9.4, 616.0, "M. LIMET Sébastien Professeur, Université d'Orléans"),
        (9.4, 592.0, "RAPPORTEURS :"),
        (9.4, 568.0, "M. D'ORAZIO Laurent Professeur, Université de Rennes"),
    )
    assert header_of_runs(french).authors == ["Sébastien Rivault"]
    # Universidad Nacional de Colombia: the author under the title, then the degree the thesis
    # is for and its directors.
    spanish = page_of(
        (14.0, 760.0, "Sistema Híbrido para Predicción de Emisiones de CO2 y CH4"),
        (12.0, 736.0, "Ana María Leal"),
        (
            12.0,
            712.0,
            "Proyecto de Tesis Doctoral, requisito parcial para optar al título de Doctor",
        ),
        (12.0, 688.0, "Estudios Ambientales."),
        (10.0, 664.0, "Director(a):"),
        (10.0, 640.0, "Dr. Luis Octavio González Salcedo"),
        (10.0, 616.0, "Codirectores:"),
        (10.0, 592.0, "Dr. Luis Fernando Mejía Rodríguez"),
    )
    assert header_of_runs(spanish).authors == ["Ana María Leal"]
    # Johns Hopkins: the degree first, the author's name at the cover's foot.
    american = page_of(
        (12.0, 760.0, "STATE-OF-THE-ART METHODS FOR LOW-RESOURCE TRANSLATION"),
        (12.0, 736.0, "A THESIS"),
        (12.0, 712.0, "SUBMITTED TO THE DEPARTMENT OF COMPUTER SCIENCE"),
        (12.0, 688.0, "IN PARTIAL FULFILLMENT OF THE REQUIREMENTS"),
        (12.0, 664.0, "FOR THE DEGREE OF MASTER OF SCIENCE"),
        (10.0, 640.0, "Tanay Agarwal"),
        (10.0, 616.0, "December 2018"),
    )
    assert header_of_runs(american).authors == ["Tanay Agarwal"]


def test_a_title_ending_in_a_colon_goes_on_with_its_subtitle_even_when_it_reads_as_names() -> None:
    # Annual Reviews: the subtitle's words, capitalised and listed with commas, read as names.
    runs = [
        Run("LATITUDINAL GRADIENTS OF BIODIVERSITY:\n", 19.9, 72.0, 612.5),
        Run("Pattern, Process, Scale, and Synthesis\n", 16.9, 72.0, 590.5),
        Run("M.R. Willig,1 D.M. Kaufman,2 and R.D. Stevens3\n", 13.9, 72.0, 553.2),
        *prose("Key Words species richness, latitude, diversity gradients", 9.5, 72.0, 500.0),
    ]
    header = header_of_runs(runs)
    assert (
        header.title
        == "LATITUDINAL GRADIENTS OF BIODIVERSITY: Pattern, Process, Scale, and Synthesis"
    )
    assert header.authors == ["M.R. Willig", "D.M. Kaufman", "R.D. Stevens"]


def test_elsevier_s_asterisk_glyph_after_a_name_is_a_mark() -> None:
    # Journal of Arid Environments 2006: pypdf names the corresponding author's asterisk "/C3";
    # the affiliation letters glued to the names go, as the e-mail footnote writes the names.
    runs = [
        Run("Historical biogeography: A review of its basic concepts\n", 16.9, 72.0, 521.5),
        Run("P. Posadasa,b,/C3, J.V. Criscib, L. Katinasb,c\n", 13.0, 72.0, 474.7),
        Run("aLaboratorio de Biogeografia Historica, Museo de La Plata, Argentina\n", 8, 72, 456),
        Run("bLaboratorio de Sistematica, Museo de La Plata, Argentina\n", 8, 72, 447),
        Run("cDivision Plantas Vasculares, Museo de La Plata, Argentina\n", 8, 72, 438),
        Run("Abstract\n", 9.0, 72.0, 364.6),
        *prose("Biogeography ranges from descriptive to interpretative studies.", 9, 72, 340),
        Run(
            "E-mail addresses: posadas@fcnym.unlp.edu.ar (P. Posadas), jcrisci@netverk.com.ar\n",
            8,
            72,
            97,
        ),
        Run("(J.V. Crisci), lkatinas@fcnym.unlp.edu.ar (L. Katinas).\n", 8, 72, 88),
    ]
    assert header_of_runs(runs).authors == ["P. Posadas", "J.V. Crisci", "L. Katinas"]


def test_an_icon_a_font_draws_from_its_private_use_area_leaves_the_title() -> None:
    # Physics Today's download: the title ends with an icon (U+E904).
    assert (
        clean_field("Engineering Maxwell\u2019s demon \ue904") == "Engineering Maxwell\u2019s demon"
    )


def test_a_thesis_cover_is_dated_by_its_defence_or_its_place_and_year() -> None:
    # Orléans: "soutenue le : 02 juillet 2024" (a colon after "le"); Palmira: the place and
    # the year at the cover's foot. Both PDFs were made the year after.
    assert (
        date_line_year("UNIVERSITÉ D'ORLÉANS\nSébastien RIVAULT\nsoutenue le : 02 juillet 2024")
        == 2024
    )
    cover = "Sistema Híbrido\nJohn Jairo Leal Gómez\nUniversidad Nacional\nSede Palmira, 2025"
    assert date_line_year(cover) == 2025
    # A line of names and a year is no date line.
    assert (
        date_line_year("Title\nAnna Petrova and James Whitfield, 2019 edition of the survey")
        is None
    )


def test_glyphs_named_by_their_codes_are_read_as_the_letters() -> None:
    # Ecology Letters 2000 (Blackwell): every glyph of the page is named by its code, so no
    # word of the paper could be found and its title read "/C79/C110 /C116/C104/C101 ...".
    page = "/C79/C110 /C116/C104/C101 /C110/C105/C99/C104/C101\n/C73 /C115/C104/C111/C119"
    assert repair_misreadings(page) == "On the niche\nI show"
    # A lone glyph name is a mark or an accent of another kind, left as it is.
    assert repair_misreadings("P. Posadas/C3, J.V. Crisci /C79 C3 plants") == (
        "P. Posadas/C3, J.V. Crisci /C79 C3 plants"
    )


def test_a_magazine_s_byline_by_and_a_name_on_a_line_of_its_own_names_the_author() -> None:
    # Nature's feature (2019): "BY JEFFREY M. PERKEL" drawn before the headline, no abstract.
    lines = ["BY JEFFREY M. PERKEL", "THAT'S THE WAY WE FLOW", "Reinventing the wheel is pointless"]
    runs = [Run(lines[0] + "\n", 9.0, 72, 191), Run(lines[1] + "\n", 30.0, 72, 300)]
    runs += prose(lines[2] + ", but computational biologists do it all the same.", 9.3, 72, 170)
    assert header_of_runs(runs).authors == ["Jeffrey M. Perkel"]
    # "By" opening a sentence that goes on after a capitalised word is no byline.
    runs[0] = Run("By Contrast With Earlier Studies of leopards we show\n", 9.0, 72, 191)
    assert header_of_runs(runs).authors == []


def test_a_home_that_kept_glyph_codes_is_put_right_by_refresh(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    make_pdf(folder / "niche.pdf", ["On the niche of the snow leopard, which hunts ibex."])

    def coded(text: str) -> str:
        return " ".join("".join(f"/C{ord(c)}" for c in word) for word in text.split())

    # As an earlier version kept it: every word of the page as its glyphs' code names.
    home, paper = home_that_kept(
        tmp_path,
        folder,
        lambda pages: [coded(page) for page in pages],
        "niches",
        title=lambda pages: pages[0][:40],
    )
    assert "niche.pdf" not in search(home, "ibex")

    refresh(home)
    assert "snow leopard" in home.library.page_texts(paper.id)[0]
    assert home.library.get(paper.id).tags == ["niches"]
    assert "niche.pdf" in search(home, "ibex")
