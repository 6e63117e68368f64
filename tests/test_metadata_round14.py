"""Rules of the fourteenth round of issue 24, each on a first page of a seen set (fresh10-tuned,
fresh11-tuned and the older tuned sets) that showed the need, written here as pypdf reads it.
The held-out halves are never used here: they measure the round (benchmarks/metadata_bench)."""

from __future__ import annotations

from pathlib import Path

from indexer.describe.header import Run, RunCollector, is_cover_page, read_venue
from indexer.ingest.extract import extract_pdf
from indexer.ingest.word_gaps import respaced
from tests.header_pages import byline, families, header_of_runs, prose, unseen
from tests.older_homes import home_that_kept, refresh, search
from tests.pdf_factory import make_pdf, one_page_pdf

IDENTITY = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]


def _drawn(collector: RunCollector, text: str, x: float, y: float = 700.0) -> None:
    # As pypdf hands a run over: its text matrix at the run's start, the font size apart.
    collector(text, IDENTITY, [1.0, 0.0, 0.0, 1.0, x, y], None, 13.4)


def test_a_space_pypdf_sees_in_a_gap_between_words_drawn_one_by_one_is_kept() -> None:
    # Elsevier (Fisheries Research 2013) draws each word of its title by itself, no space drawn:
    # pypdf hands over "Stock", then " " where "Stock" ends, then "synthesis:" 3.5 pt further.
    collector = RunCollector()
    _drawn(collector, "Stock", 74.6)
    _drawn(collector, " ", 109.6)
    _drawn(collector, "", 109.6)  # empty calls between the two change nothing
    _drawn(collector, "\n", 0.0)
    _drawn(collector, "synthesis:", 113.1)
    # A kerned word pypdf also cuts with spaces (Nucleic Acids Research's "r" "at" "e"): each
    # piece starts where the one before ends, or earlier; no space.
    _drawn(collector, " ", 139.0)
    _drawn(collector, "r", 139.0)
    _drawn(collector, " ", 145.0)
    _drawn(collector, "at", 144.7)
    assert "".join(run.text for run in collector.runs) == "Stock synthesis:rat"


def test_titles_of_words_drawn_apart_read_with_their_spaces_and_no_others() -> None:
    # Marine Notes Journal draws every word and every space of its title as a run of its own.
    nudibranchs = unseen("mnj_vol1-iss1-nudibranch-diversity-of-south-east-pelion-greece.pdf")
    assert nudibranchs.title == (
        "Nudibranch Diversity of South-East Pelion, Greece: An Eight-Year Citizen Science and "
        "Field Research Record (2017\u20132025)"
    )
    # Nucleic Acids Research kerns its title's words in pieces pypdf puts spaces between.
    mutation = unseen("pqa_10.1093_nar_gkae252.pdf")
    assert mutation.title == (
        "Mutation rate heterogeneity at the sub-gene scale due to local DNA hypomethylation"
    )
    assert families(mutation.authors) == ["Mas-Ponte", "Supek"]


def _words_pdf(path: Path, lines: list[tuple[float, float, list[tuple[float, str]]]]) -> Path:
    """A one-page PDF in Helvetica drawing each word at its own place: (size, y, [(x, word)])."""
    drawing = b"".join(
        b"BT /F1 %.1f Tf %.1f %.1f Td (%s) Tj ET\n" % (size, x, y, word.encode("latin-1"))
        for size, y, words in lines
        for x, word in words
    )
    return one_page_pdf(
        path, drawing, fonts=b"/F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    )


def _spread(x: float, size: float, *words: str) -> list[tuple[float, str]]:
    # Each word after the one before, a third of an em apart (Helvetica's widths, roughly).
    placed = []
    for word in words:
        placed.append((x, word))
        x += 0.56 * size * len(word) + size / 3
    return placed


def test_a_pdf_drawing_each_word_of_its_title_by_itself_is_read_with_spaces(
    tmp_path: Path,
) -> None:
    title = ["Stock", "synthesis", "for", "fish", "stock", "assessment"]
    names = ["Richard", "D.", "Methot", "Jr.", "a,", "Chantell", "R.", "Wetzel", "a"]
    body = ["Stock", "synthesis", "is", "a", "statistical", "population", "model."]
    pdf = _words_pdf(
        tmp_path / "words.pdf",
        [
            (18.0, 700.0, _spread(72.0, 18.0, *title)),
            (11.0, 670.0, _spread(72.0, 11.0, *names)),
            (8.0, 640.0, _spread(72.0, 8.0, "Abstract")),
            *[(8.0, 620.0 - 10 * i, _spread(72.0, 8.0, *body)) for i in range(6)],
        ],
    )
    paper = extract_pdf(pdf)
    assert paper.title == "Stock synthesis for fish stock assessment"
    assert families(paper.authors) == ["Methot", "Wetzel"]


def test_a_byline_with_a_suffix_and_affiliation_letters_is_no_subtitle() -> None:
    # The byline in a type between the title's and the body's, each name's letter in its run.
    header = header_of_runs(
        [
            Run("Stock synthesis: A biological and statistical framework for ", 13.4, 74.6, 663),
            Run("fish ", 13.4, 430.0, 663.0),
            Run("stock ", 13.4, 460.0, 663.0),
            Run("assessment and fishery management\n", 13.4, 74.6, 645.7),
            Run("Richard D. Methot Jr. a", 10.6, 74.6, 623.2),
            Run(", Chantell R. Wetzel a\n", 10.6, 184.9, 623.2),
            Run("a", 4.5, 74.6, 611.0),
            Run("Office of Science and Technology, National Marine Fisheries ", 6.4, 78.6, 608.2),
            Run("Service, ", 6.4, 280.0, 608.2),
            Run("Seattle, WA 98112, United States\n", 6.4, 300.0, 608.2),
            Run("Abstract\n", 9.0, 74.6, 580.0),
            *prose("Stock synthesis is a statistical population model.", 8.0, 74.6, 560.0),
        ]
    )  # fmt: skip
    assert header.title == (
        "Stock synthesis: A biological and statistical framework for fish stock assessment and "
        "fishery management"
    )
    assert families(header.authors) == ["Methot", "Wetzel"]


def test_a_journal_section_run_into_the_title_s_line_is_no_part_of_it() -> None:
    # Ecology Letters: "IDEA AND" over "PERSPECTIVE", which shares the title's first line.
    header = header_of_runs(
        [
            Run("IDEA AND\n", 13.0, 48.0, 725.6),
            Run("PERSPECTIVE ", 14.9, 48.0, 701.7),
            Run("Macroevolutionary perspectives to environmental change\n", 14.9, 160.0, 701.7),
            Run("Fabien L. Condamine, Jonathan Rolland and Hélène Morlon\n", 8.0, 48.0, 650.7),
            Run("Abstract\n", 9.5, 48.0, 620.0),
            *prose("Predicting how biodiversity will respond is a challenge.", 9.5, 48.0, 600.0),
        ]
    )  # fmt: skip
    assert header.title == "Macroevolutionary perspectives to environmental change"
    assert families(header.authors) == ["Condamine", "Rolland", "Morlon"]


def test_a_title_s_last_word_alone_on_its_line_stays_in_the_title() -> None:
    dps = unseen("pqa_10.1093_nar_gkae223.pdf")
    assert dps.title == "Bridging DNA contacts allow Dps from E. coli to condense DNA"
    assert families(dps.authors) == ["Shahu", "Vtyurina", "Das", "Meyer", "Ganji", "Abbondanzieri"]


def test_large_type_printed_below_the_abstract_is_a_figure_s_not_the_title() -> None:
    # PaSa (2025): "Paper Search" in 28 pt inside a figure at the foot of the first page, drawn
    # before the abstract's heading.
    header = header_of_runs(
        [
            Run("PaSa: An LLM Agent for Comprehensive Academic Paper Search\n", 14.3, 100.0, 761.0),
            Run("Yichen He, Guanhua Huang, Peiyuan Feng\n", 12.0, 120.0, 740.4),
            Run("Paper Search\n", 27.9, 300.0, 8.5),
            Run("Abstract\n", 12.0, 100.0, 480.4),
            *prose("We introduce PaSa, an advanced paper search agent.", 10.0, 100.0, 450.0),
        ]
    )  # fmt: skip
    assert header.title == "PaSa: An LLM Agent for Comprehensive Academic Paper Search"
    assert families(header.authors) == ["He", "Huang", "Feng"]


def test_what_reads_like_a_name_and_is_not() -> None:
    # Scitable's type-size buttons over the text.
    assert byline("Aa Aa Aa") == []
    # A department first in an affiliation set smaller than the names, its mark on a line of
    # its own (Frontiers in Psychology).
    fpsyg = unseen("norma_fpsyg-05-01582.pdf")
    assert families(fpsyg.authors) == ["Range", "Virányi"]


def test_names_read_as_printed() -> None:
    # A manuscript's "Authors:" label, TeX's accents set apart.
    assert families(
        byline("Authors: Dominique Gravel, Timoth\u00b4ee Poisot, Camille Albouy, Laure Velez,")
    ) == ["Gravel", "Poisot", "Albouy", "Velez"]
    # Family names that are also words of affiliations.
    assert families(byline("Thomas O\u2019Leary, Csenge Petak, Alison Hall")) == [
        "O\u2019Leary",
        "Petak",
        "Hall",
    ]
    assert families(byline("Jiyoung Park and Minsu Kim")) == ["Park", "Kim"]
    # A society's grades after the names (IRE, 1957; IEEE today).
    assert families(
        byline("R. K. Moore, Senior Member, IRE, and C. S. Williams, Member, IEEE")
    ) == [
        "Moore",
        "Williams",
    ]
    # ... and still no names where they are places.
    assert byline("Department of Biology, Olympic Park, London") == []


def test_a_manuscript_s_byline_in_its_title_s_type_is_no_part_of_the_title() -> None:
    # Everything in 12 pt: a "Title:" label, two title lines, names running over three lines.
    header = header_of_runs(
        [
            Run("Title: Variation in leaf transcriptome responses to elevated ", 12.0, 72.0, 708.8),
            Run("ozone ", 12.0, 390.0, 708.8),
            Run("corresponds with physiological\n", 12.0, 420.0, 708.8),
            Run("sensitivity to ozone across maize inbred lines\n", 12.0, 72.0, 688.1),
            Run("Adalena V. Nanni, Alison M. Morse, Jeremy R. B. Newman, ", 12.0, 72.0, 659.4),
            Run("Nicole E. Choquette, Jessica\n", 12.0, 380.0, 659.4),
            Run("M. Wedow, Zihao Liu, Andrew D. B. Leakey, Ana Conesa, ", 12.0, 72.0, 638.7),
            Run("Elizabeth A. Ainsworth,\n", 12.0, 370.0, 638.7),
            Run("Lauren M McIntyre\n", 12.0, 72.0, 618.0),
            Run("Department of Molecular Genetics, University of Florida\n", 12.0, 72.0, 589.3),
            Run("Abstract\n", 12.0, 72.0, 540.0),
            *prose("Ozone reduces the yields of crops.", 12.0, 72.0, 520.0, 10),
        ]
    )  # fmt: skip
    assert families(header.authors)[:4] == ["Nanni", "Morse", "Newman", "Choquette"]
    assert families(header.authors)[-1] == "McIntyre"


def test_covers_of_an_author_s_copy_and_of_highwire_are_covers() -> None:
    elsevier = (
        "This article appeared in a journal published by Elsevier. The attached\n"
        "copy is furnished to the author for internal non-commercial research\n"
        "and education use, including for instruction at the authors institution\n"
        "and sharing with colleagues.\n"
    )
    highwire = (
        "doi: 10.1098/rspb.2012.2085\n published online 10 October 2012\nProc. R. Soc. B\n"
        "Carl Boettiger and Alan Hastings\nEarly warning signals and the prosecutor's fallacy\n"
        "References\nEmail alerting service\nReceive free email alerts when new articles cite "
        "this article - sign up in the box at the top right-hand corner of the article\n"
    )
    assert is_cover_page(elsevier) and is_cover_page(highwire)
    # Elsevier's stamp over the paper's own first page is no title.
    header = header_of_runs(
        [
            Run("Author's personal copy\n", 15.0, 200.0, 819.1),
            Run("Theoretical Population Biology 77 (2010) 6-13\n", 6.6, 32.7, 740.7),
            Run("Fluctuation domains in adaptive evolution\n", 14.0, 32.7, 605.1),
            Run("Carl Boettiger, Jonathan Dushoff, Joshua S. Weitz\n", 11.0, 32.7, 581.3),
            Run("Abstract\n", 9.3, 32.7, 501.9),
            *prose("We derive the variation between parallel trajectories.", 8.5, 32.7, 480.0),
        ]
    )  # fmt: skip
    assert header.title == "Fluctuation domains in adaptive evolution"


def test_a_year_only_the_paper_s_history_prints(tmp_path: Path) -> None:
    # A 1977 paper scanned in 2004: no venue line, "Accepted for publication" under the names.
    page = (
        "EFFECT OF HIGH TEMPERATURES DURING THE BLOOM-SET PERIOD\nW. M. Kliewer\n"
        "Support of this research by the Wine Institute is gratefully acknowledged.\n"
        "Accepted for publication July 19, 1977.\nABSTRACT\nTo test the effects of heat ..."
    )
    assert extract_pdf(make_pdf(tmp_path / "scan.pdf", [page], year=2004)).year == 1977
    # Made when it was published, the PDF's date says the year better than the acceptance.
    assert extract_pdf(make_pdf(tmp_path / "print.pdf", [page], year=1978)).year == 1978
    # A version's publication date, the latest of them.
    history = "version 2\npublished\n27 Jan 2015\nversion 1\npublished\n12 Aug 2014\n"
    assert read_venue(history).year == 2015
    # Received alone says too little, and a publisher is no date.
    assert read_venue("Received 3 May 2011\nPublished by: AAAS\n").year is None


def test_a_publisher_s_markup_round_a_title_field_is_taken_off(tmp_path: Path) -> None:
    # JSTOR's Info title; the page under it has no title in large type.
    pdf = make_pdf(
        tmp_path / "jstor.pdf",
        ["Author(s): Kimberly Bailey\nSource: Science, Vol. 192, No. 4238 (1976), pp. 465-467"],
        title='<xref ref-type="transliteration" rid="trans1">Potassium-Argon Ages from the '
        "Galapagos Islands</xref>",
    )
    assert extract_pdf(pdf).title == "Potassium-Argon Ages from the Galapagos Islands"


def _gaps_pdf(
    path: Path, lines: list[list[str | int]], space_width: bytes = b"500", other_font: bytes = b""
) -> Path:
    """A one-page PDF whose every line is one TJ array: words apart only by the numbers
    between them (-191: a fifth of an em), as Springer and Elsevier draw them. Its font lists
    ``space_width`` for the space: 500 is a subset's filler. ``other_font``, a font dictionary,
    is in the page's resources too, unused."""

    def shown(line: list[str | int]) -> bytes:
        return b" ".join(
            b"(%s)" % item.encode("latin-1") if isinstance(item, str) else b"%d" % item
            for item in line
        )

    # A title in large type over them, its space drawn.
    drawing = (
        b"BT /F1 20 Tf 72 750 Td (Snow leopards) Tj ET BT /F1 12 Tf 14 TL 72 720 Td "
        + b"".join(b"[%s] TJ T* " % shown(line) for line in lines)
        + b"ET"
    )
    widths = b" ".join([space_width] + [b"520"] * 94)  # codes 32-126
    font = (
        b"/F1 << /Type /Font /Subtype /Type1 /BaseFont /ABCDEF+MyriadPro-Regular "
        b"/FirstChar 32 /LastChar 126 /Widths [%s] >>" % widths
    )
    return one_page_pdf(path, drawing, fonts=font + (b" /F2 " + other_font if other_font else b""))


GAPPED = [
    ["Conservation", -191, "of", -191, "the", -191, "snow", -191, "leopard", -191, "in"],
    ["the", -191, "mountains", -191, "of", -191, "Central", -191, "Asia", -191, "today"],
    ["Camera", -191, "traps", -191, "recorded", -191, "leopards", -191, "and", -191, "ibex"],
    ["at", -191, "forty", -191, "stations", -191, "during", -191, "two", -191, "winters"],
    # Kerning inside a word is no gap.
    ["Wa", 30, "ter", -191, "sources", -191, "were", -191, "mapped."],
]


def test_words_drawn_apart_only_by_the_pen_s_moves_are_read_as_words(tmp_path: Path) -> None:
    paper = extract_pdf(_gaps_pdf(tmp_path / "gaps.pdf", GAPPED))
    text = paper.pages[0]
    assert paper.title == "Snow leopards"
    assert "snow leopard in the mountains of Central Asia" in " ".join(text.split())
    assert "Water sources were mapped." in text
    # A font whose space is a real one is read as it always was: a gap narrower than half
    # its space is no space.
    narrow = [[-100 if isinstance(item, int) else item for item in line] for line in GAPPED]
    plain = extract_pdf(_gaps_pdf(tmp_path / "plain.pdf", narrow, b"278"))
    assert "Conservationofthesnowleopardin" in plain.pages[0]
    # A font too odd to look at (its first character no number) leaves the page as first read.
    odd_font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /FirstChar /X /Widths [500] >>"
    odd = extract_pdf(_gaps_pdf(tmp_path / "odd.pdf", GAPPED, other_font=odd_font))
    assert "Conservationofthesnowleopardin" in odd.pages[0]


def test_a_springer_page_whose_fonts_hold_no_space_is_read_with_its_words_apart() -> None:
    ralph = unseen("jabref_Ralph2020.pdf")
    assert ralph.title == (
        "Pandemic programming: How COVID-19 affects software developers and how their "
        "organizations can help"
    )
    assert families(ralph.authors)[:3] == ["Ralph", "Baltes", "Adisaputri"]
    assert "software developers" in ralph.pages[0]


def test_a_home_that_kept_words_run_together_is_put_right_by_refresh(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    _gaps_pdf(folder / "leopards.pdf", GAPPED)
    # As an earlier version kept it: the words of each line run together.
    lines = ["".join(item for item in line if isinstance(item, str)) for line in GAPPED]
    kept = " ".join(["Snow leopards", *lines])
    home, paper = home_that_kept(tmp_path, folder, lambda pages: [kept], "leopards")
    assert "leopards.pdf" not in search(home, "ibex")

    refresh(home)
    assert "Camera traps" in home.library.page_texts(paper.id)[0]
    assert home.library.get(paper.id).tags == ["leopards"]
    assert "leopards.pdf" in search(home, "ibex")
    # OCR text, which reading the PDF again does not give back, is kept as it is.
    ocr = " ".join(lines)
    assert respaced(ocr, "") == ocr
    assert respaced(ocr, "Camera traps recorded leopards") == ocr
