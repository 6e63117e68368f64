"""Rules of the ninth round of issue 24, each on a first page of the seen set fresh4-tuned that
showed the need (the stored paper itself where its licence lets the repository keep it, else
its lines as pypdf reads them). The held-out sets are never used here: they measure the round
(benchmarks/metadata_bench)."""

from __future__ import annotations

from indexer.describe.header import Run, names_a_body
from indexer.describe.metadata import split_authors, suspicious_info_title
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


def test_a_journal_masthead_on_two_lines_is_no_title() -> None:
    # ICES Journal of Marine Science 2014: "ICES Journal of" (25 pt) over "Marine Science"
    # (35 pt), drawn after everything else, and again as "ICES Journal of Marine Science;
    # doi:10.1093/icesjms/fst237" in small type; the title is the 19 pt lines.
    got = unseen("asc_ICES_J_Mar_Sci-2014-Deroba-icesjms-fst237.pdf")
    assert got.title.startswith("Simulation testing the robustness of stock assessment models")
    # 35 names over six lines, affiliation numbers glued to them; "Y.Ye24" is Y. Ye.
    assert len(got.authors) == 35
    assert families(got.authors)[:3] == ["Deroba", "Butterworth", "Methot"]
    restrepo = families(got.authors).index("Restrepo")
    assert families(got.authors)[restrepo : restrepo + 3] == ["Restrepo", "Ye", "Jardim"]
    assert families(got.authors)[-1] == "Hulson"


def test_the_venue_line_in_a_footer_of_five_lines_dates_the_paper() -> None:
    # Marine Notes Journal: under the text, the licence, "Marine Notes Journal (MNJ), Vol. 1,
    # Issue 1, pp. 1-5 (2026)", the dates received and accepted (2025) and a citation on two
    # lines; the title names 2025 too.
    got = unseen("mnj_vol1-iss1-Unusual-2025-interactions-of-Iberian-Orcinus-orca.pdf")
    assert got.year == 2026


def test_affiliation_numbers_in_the_names_type_make_a_byline() -> None:
    # Science 2014: no "Abstract" heading, no affiliation under the names on the first page;
    # each name carries its affiliation number after a comma, in the names' own type.
    runs = [
        Run("Activity of Protein Kinase RIPK3\n", 21.9, 72.0, 699.4),
        Run("Determines Whether Cells Die\n", 21.9, 72.0, 674.4),
        Run("by Necroptosis or Apoptosis\n", 21.9, 72.0, 649.5),
        Run(
            "Kim Newton,1* Debra L. Dugger,1 Katherine E. Wickliffe,1 Neeraj Kapoor,1\n",
            9.0,
            72.0,
            627.6,
        ),
        Run("Søren Warming,4 Vishva M. Dixit1*\n", 9.0, 72.0, 617.2),
        Run(
            "Receptor-interacting protein kinase 1 (RIPK1) and RIPK3 trigger pro-\n",
            9.0,
            72.0,
            596.0,
        ),
        Run(
            "inflammatory cell death termed necroptosis. Studies with mice suggest\n",
            9.0,
            72.0,
            585.0,
        ),
    ]
    assert families(header_of_runs(runs).authors) == [
        "Newton", "Dugger", "Wickliffe", "Kapoor", "Warming", "Dixit",
    ]  # fmt: skip
    # Gene names with numbers under a title are no such evidence.
    runs[3:5] = [Run("RIPK1 and RIPK3 in Mice\n", 9.0, 72.0, 627.6)]
    assert header_of_runs(runs).authors == []


def test_a_group_in_the_pdf_author_field_is_no_author() -> None:
    # PLOS Medicine 2020: the PDF's author field lists the page's 17 names and then "UPBEAT
    # Consortium", which would otherwise make it the longer, preferred list.
    got = unseen("epijc_journal.pmed.1003229.pdf")
    assert len(got.authors) == 17
    assert families(got.authors)[-1] == "Lillycrop"


def test_an_award_a_manuscript_type_or_a_licence_is_no_author() -> None:
    # Levin 1992 in Ecology, as pypdf reads its scan's text layer: the award under the name.
    assert byline("Simon A. Levin", "MacArthur Award Recipient") == ["Simon A. Levin"]
    # Open Biology 2012 behind its cover: the licence's words where no byline is drawn.
    assert unseen("svg2xml_royalsoc_120109.pdf").authors != ["Attribution License"]


def test_a_journal_section_over_the_title_and_braces_for_daggers() -> None:
    # Nature 2007 (Wolf et al.): "LETTERS" in 32 pt over the title in 24; a dagger read "{".
    runs = [
        Run("LETTERS\n", 31.9, 72.0, 707.9),
        Run("Life-history trade-offs favour the evolution of animal\n", 23.9, 72.0, 649.5),
        Run("personalities\n", 23.9, 72.0, 623.6),
        Run(
            "Max Wolf1, G. Sander van Doorn2{, Olof Leimar3 & Franz J. Weissing1\n",
            11.0,
            72.0,
            597.5,
        ),
        Run(
            "In recent years evidence has been accumulating that personalities\n", 9.3, 72.0, 558.2
        ),
        Run("are not only found in humans but also in a wide range of other\n", 9.3, 72.0, 547.5),
    ]
    got = header_of_runs(runs)
    assert got.title == "Life-history trade-offs favour the evolution of animal personalities"
    assert families(got.authors) == ["Wolf", "van Doorn", "Leimar", "Weissing"]


def test_a_pdf_title_that_is_a_citation_is_suspicious() -> None:
    # Ideas in Ecology and Evolution 2013: the Word template's title field, a citation.
    assert suspicious_info_title("Ideas in Ecology and Evolution 1: 1-10, 2008")
    assert suspicious_info_title("Oryx 45(2): 210-218, 2011")
    assert not suspicious_info_title("Nine simple ways to make it easier to (re)use your data")


def test_a_manuscript_systems_complete_list_of_authors() -> None:
    # A Systematic Biology proof from ScholarOne: "Family, Given; Affiliation" a line, an
    # affiliation running on to the next line, the list ending at "Keywords:".
    lines = [
        "For peer review only. Do not cite.",
        "Manuscript Type: Software for Systematics and Evolution",
        "Complete List of Authors: Sanchez Reyes, Luna Luisa; University of California, Life and",
        "Environmental Sciences",
        "McTavish, Emily Jane; University of California System, Life and",
        "Environmental Sciences",
        "O'Meara, Brian; The University of Tennessee Knoxville, EEB",
        "Keywords: phylogeny, scaling, dating",
    ]
    runs = [
        Run("DateLife: leveraging databases to reveal the dated Tree of Life\n", 11.0, 72.0, 600.0)
    ]
    runs += [Run(text + "\n", 8.5, 72.0, 560.0 - 12 * i) for i, text in enumerate(lines)]
    got = header_of_runs(runs)
    assert families(got.authors) == ["Sanchez Reyes", "McTavish", "O'Meara"]


def test_labels_over_a_theses_author_in_german_and_french() -> None:
    # A Marburg Masterarbeit's cover in one type: the faculty over the title, "vorgelegt von"
    # over the author; a Dauphine mémoire's "Étudiant:" over the student, "Professeur:" after.
    german = [
        "Philipps-Universität Marburg",
        "Fachbereich Mathematik und Informatik",
        "Leoparden im Fernen Osten Russlands",
        "Masterarbeit",
        "vorgelegt von",
        "Anna Petrova",
        "Matrikel-Nr: 2658100",
    ]
    french = [
        "Les léopards de l'Amour",
        "Étudiant:",
        "Guillaume Ausset",
        "Professeur:",
        "Prof. B. Bouchard",
    ]
    for lines, author in ((german, "Anna Petrova"), (french, "Guillaume Ausset")):
        runs = [Run(text + "\n", 14.3, 72.0, 700.0 - 20 * i) for i, text in enumerate(lines)]
        assert header_of_runs(runs).authors == [author]


def test_a_pdf_author_field_naming_bodies_beside_the_person() -> None:
    # A Dauphine mémoire's PDF author field: the student, his university and his employer.
    field = "© Guillaume Ausset, Université Paris IX Dauphine, Crédit Agricole S.A"
    assert [name for name in split_authors(field) if not names_a_body(name)] == ["Guillaume Ausset"]
