"""Rules of the nineteenth round of issue 24, written from fresh15-tuned's and fresh16-tuned's
first pages (read as pypdf reads them) after both halves of those sets had been measured
unseen. fresh15-held-out and fresh16-held-out are never used here: they measure the round
(benchmarks/metadata_bench)."""

from __future__ import annotations

from indexer.describe.header import Run, RunCollector, date_line_year, fallback_title
from tests.header_pages import header_of_runs, page_of, prose


def test_an_italian_thesis_cover_names_its_candidate_and_its_academic_year() -> None:
    # Università di Bari (2022): the supervisor under "Relatore:", the student under
    # "Laureando:", the title's first line ending in "delle".
    runs = page_of(
        (17.2, 566.0, "Dipartimento di Informatica"),
        (14.3, 466.1, "Tesi di Laurea in SISTEMI AD AGENTI"),
        (20.7, 354.6, "Modello Predittivo per lo Studio delle"),
        (20.7, 325.7, "Relazioni tra Qualità dell'Aria e"),
        (20.7, 296.8, "Sintomatologia di Soggetti Allergici"),
        (12.0, 212.1, "Relatore:"),
        (12.0, 191.9, "Prof.ssa Berardina De Carolis"),
        (12.0, 212.1, "Laureando:"),
        (12.0, 191.9, "Luigi Daddario"),
        (12.0, 171.6, "Mat. 685195"),
        (14.3, 52.6, "Anno Accademico 2021-2022"),
    )
    assert header_of_runs(runs).authors == ["Luigi Daddario"]
    assert date_line_year("Tesi di Laurea\nAnno Accademico 2017-2018") == 2018
    assert date_line_year("Année universitaire : 2015-2016") == 2016


def test_a_commission_s_working_paper_under_its_meeting_s_banner() -> None:
    # A Pacific tuna commission's Scientific Committee (2014): every line in one type, the
    # meeting, its place and dates, the title, the paper's number and revision, the names.
    collector = RunCollector()
    identity = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    lines = [
        (623.5, "SCIENTIFIC COMMITTEE"),
        (611.3, "TENTH REGULAR SESSION"),
        (587.0, "Majuro,\tRepublic\tof\tthe\tMarshall\tIslands\t"),
        (574.9, "6-14\tAugust\t2014\t"),
        (542.5, "STOCK ASSESSMENT OF BIGEYE TUNA IN THE WESTERN AND CENTRAL PACIFIC OCEAN"),
        (525.3, "WCPFC-SC10-2014/SA-WP-01"),
        (507.5, "Rev1 25 July"),
        (405.1, "Shelton\tHarley,\t\tNick\tDavies,\tJohn\tHampton,\t"),
        (387.3, "and\tSam\tMcKechnie"),
        (351.7, "Oceanic\tFisheries\tProgramme"),
        (334.0, "Secretariat\tof\tthe\tPacific\tCommunity,\tNoumea,\tNew\tCaledonia"),
    ]
    for y, text in lines:
        collector(text + "\n", identity, [1.0, 0.0, 0.0, 1.0, 100.0, y], None, 10.3)
    runs = collector.runs
    assert fallback_title(runs) == (
        "STOCK ASSESSMENT OF BIGEYE TUNA IN THE WESTERN AND CENTRAL PACIFIC OCEAN"
    )
    assert header_of_runs(runs).authors == [
        "Shelton Harley",
        "Nick Davies",
        "John Hampton",
        "Sam McKechnie",
    ]


def test_a_french_memoire_s_author_label_and_supervisor() -> None:
    # AGROCAMPUS OUEST (2016): "Par: Virginie Bornarel" set large under the title is no
    # subtitle; Université Paris 1 (2019): the supervisor "sous la direction de" is no author.
    runs = page_of(
        (18.0, 558.9, "Stock assessment in the case of the European eel:"),
        (18.0, 538.3, "Towards an international assessment of a"),
        (18.0, 517.4, "Widely-distributed and fragmented population"),
        (16.0, 487.1, "Par: Virginie Bornarel"),
        (10.0, 263.7, "Soutenu à Rennes le 15/09/2016"),
        (10.0, 228.7, "Devant le jury composé de :"),
        (9.0, 212.0, "Président : Didier Gascuel"),
        (14.0, 100.0, "Mémoire de fin d'études"),
    )
    runs += prose(
        "Les analyses et les conclusions de ce travail n'engagent que son auteur", 10, 72, 90
    )
    header = header_of_runs(runs)
    assert header.title == (
        "Stock assessment in the case of the European eel: Towards an international "
        "assessment of a Widely-distributed and fragmented population"
    )
    assert header.authors == ["Virginie Bornarel"]
    runs = page_of(
        (14.3, 689.0, "Master 2 : Économie et sciences humaines"),
        (24.8, 462.9, "watched over by machines of"),
        (24.8, 433.0, "loving grace?"),
        (14.3, 263.5, "présenté par"),
        (17.2, 241.6, "Carlos Alberto Rivera Carreño"),
        (14.3, 194.9, "sous la direction de"),
        (17.2, 173.0, "Jean-Sébastien Lenfant"),
    )
    # (Both family names, as a citation needs them: round 23.)
    assert header_of_runs(runs).authors == ["Rivera Carreño, Carlos Alberto"]


def test_a_title_in_capitals_goes_on_at_its_own_line_spacing() -> None:
    # A Dalhousie M.Sc. thesis (2018): all in one type, the title's second line in capitals
    # right under the first; the name stands apart under "by".
    runs = page_of(
        (12.0, 662.1, "THE ROLE OF FISH LIFE HISTORIES IN ALLOMETRICALLY"),
        (12.0, 648.3, "SCALED FOOD-WEB DYNAMICS"),
        (12.0, 593.1, "by"),
        (12.0, 524.1, "Stephanie Bland"),
        (12.0, 468.9, "Submitted in partial fulfilment of the requirements"),
        (12.0, 455.1, "for the degree of Master of Science"),
        (12.0, 344.7, "June 2018"),
    )
    assert header_of_runs(runs).authors == ["Stephanie Bland"]


def test_a_report_cover_s_vancouver_list_of_names() -> None:
    # A CORDIO report (2015): the title in the page's largest type ending in a colon, the
    # names as family names and initials ("Samoilys MA"), the date far below.
    runs = page_of(
        (20.0, 676.1, "Locally Managed Marine Areas (LMMAs) in Kenya:"),
        (20.0, 653.0, "a detailed history of their development and"),
        (20.0, 630.0, "establishment"),
        (14.0, 594.2, "Kawaka J, Samoilys MA, Church J, Murunga M, Abunge C, Maina GW"),
        (14.0, 269.9, "March 2015"),
    )
    assert header_of_runs(runs).authors == [
        "J Kawaka",
        "MA Samoilys",
        "J Church",
        "M Murunga",
        "C Abunge",
        "GW Maina",
    ]


def test_a_title_closed_by_a_full_stop_has_a_running_title_under_it() -> None:
    # A bioRxiv manuscript (2022): the short title under the title in a smaller type runs
    # over two lines, the second of which reads like a name.
    runs = page_of(
        (15.8, 668.9, "Setting Baseline Acute Myeloid Leukemia Prognosis Models using"),
        (15.8, 641.9, "Transcriptomic and Clinical Profiles by Studying the Impacts of"),
        (15.8, 614.1, "Dimensionality Reductions and Gene Signatures on Cox-"),
        (15.8, 586.3, "Proportional Hazard."),
        (14.3, 553.3, "Impacts of dimensionality reduction on Cox-Proportional Hazard in Acute"),
        (14.3, 528.5, "Myeloid Leukemia"),
        (12.0, 497.7, "Léonard Sauvé, Josée Hébert, Guy Sauvageau, Sébastien Lemieux"),
        (12.0, 468.4, "1. Institute for Research in Immunology and Cancer"),
        (15.8, 288.3, "Abstract"),
    )
    runs += prose(
        "Gene marker extraction to evaluate risk in cancer can refine the diagnosis", 12, 72, 255
    )
    header = header_of_runs(runs)
    assert header.title.endswith("Gene Signatures on Cox-Proportional Hazard")
    assert header.authors == ["Léonard Sauvé", "Josée Hébert", "Guy Sauvageau", "Sébastien Lemieux"]


def test_labelled_names_with_clinical_certificates_run_over_lines() -> None:
    # A speech-science manuscript (2022): "Authors:" opening the list, degrees and a
    # clinical certificate after each name, a name broken over two lines.
    runs = page_of(
        (
            12.1,
            709.0,
            "Title: Speaker-induced suppression in EEG during a naturalistic reading task",
        ),
        (
            12.1,
            676.4,
            "Authors: Garret L. Kurteff, M.S.[1], Rosemary A. Lester-Smith, PhD[1], "
            "CCC-SLP, Amanda",
        ),
        (12.1, 660.1, "Martinez, B.S.[1], Nicole Currens, B.A.[1], Jade Holder, M.S.[1],"),
        (12.1, 644.2, "Valerie R. Mercado, B.A.[1], & Liberty S. Hamilton, PhD[1, 2]*"),
        (12.1, 594.2, "[1] The University of Texas at Austin, Department of Neurology"),
        (12.1, 509.0, "Abstract"),
    )
    assert header_of_runs(runs).authors == [
        "Garret L. Kurteff",
        "Rosemary A. Lester-Smith",
        "Amanda Martinez",
        "Nicole Currens",
        "Jade Holder",
        "Valerie R. Mercado",
        "Liberty S. Hamilton",
    ]


def test_a_hyphen_drawn_by_itself_joins_a_name_in_capitals() -> None:
    # A Seville doctoral thesis (2019): "SANTIAGO MONTERO" "-" "MENDIETA", the capitals
    # wider than the layout's estimate of where the first piece ends.
    runs = page_of(
        (16.1, 584.3, "Doctoral Dissertation"),
        (22.1, 513.7, "A genomic view on the adaptation"),
        (22.1, 475.7, "and diversification of natural populations"),
    )
    runs += [
        Run("SANTIAGO MONTERO", 16.1, 100.5, 361.3),
        Run("-", 16.1, 275.5, 361.3),
        Run("MENDIETA\n", 16.1, 280.5, 361.3),
    ]
    runs += page_of((12.0, 320.2, "Advisors: Carles Vilà, Matthew T. Webster"))
    runs += prose("A dissertation submitted in fulfillment of the requirements", 12, 72, 108)
    assert header_of_runs(runs).authors == ["Santiago Montero-Mendieta"]


def test_an_accepted_article_s_notice_and_running_head_are_no_title() -> None:
    # Ecological Applications' accepted article (2015): Wiley's notice drawn first at the
    # foot, the dates, the running head, then the title and the names, all in one type.
    runs = page_of(
        (
            12.0,
            94.2,
            "This article has been accepted for publication and undergone full peer review but"
            " has not been",
        ),
        (
            12.0,
            80.4,
            "through the copyediting, typesetting, pagination and proofreading process, which may"
            " lead to",
        ),
        (
            12.0,
            66.6,
            "differences between this version and the Version of Record. Please cite this article"
            " as doi:",
        ),
        (12.0, 52.8, "10.1890/15-1410.1"),
        (12.0, 709.2, "Received Date: 29-Jul-2015"),
        (12.0, 681.6, "Revised Date: 20-Nov-2015"),
        (12.0, 654.0, "Accepted Date: 15-Dec-2015"),
        (12.0, 626.4, "Article Type: Article"),
        (12.0, 571.2, "Corresponding author email id :  Awkerman.Jill@epa.gov , jill@gmail.com"),
        (12.0, 543.6, "Running head: Estuarine Fish Population Assessment"),
        (
            12.0,
            488.4,
            "Spatially explicit assessment of estuarine fish after Deepwater Horizon oil",
        ),
        (12.0, 460.8, "spill: tradeoffs in complexity and parsimony"),
        (12.0, 405.6, "Jill A Awkerman, Becky Hemmer, Alex Almario, and Sandy"),
        (12.0, 378.0, "Raimondo"),
        (12.0, 322.8, "U. S. Environmental Protection Agency, Gulf Ecology Division"),
        (12.0, 240.0, "Abstract"),
    )
    runs += prose("Evaluating long-term contaminant effects on wildlife populations", 12, 72, 212)
    assert header_of_runs(runs).authors == [
        "Jill A Awkerman",
        "Becky Hemmer",
        "Alex Almario",
        "Sandy Raimondo",
    ]


def test_a_german_thesis_s_date_of_submission() -> None:
    # A Bonn Bachelorarbeit (2022), its PDF made the year after.
    assert date_line_year("Bachelorarbeit\nvorgelegt im Juli 2022 von:\nMartin Franco") == 2022
