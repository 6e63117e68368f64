"""The header of a paper read from its first page's layout: title, authors, abstract, venue.

:class:`RunCollector` is a pypdf ``visitor_text`` callback: it keeps each text run with its font
size and position while the page's text is extracted anyway, so reading the layout costs no
second pass. :func:`read_header` then works on lines of runs:

- the **title** is the largest text (clearly larger than the body) that is not a banner, a
  running header, a section heading or a caption, joined across the lines set in that size;
- the **authors** are the name lines between the title and the abstract: footnote marks
  (raised small runs, symbols, digits), e-mails and affiliations are dropped, names split at
  commas, "and" and marks;
- the **abstract** is the text under an "Abstract"/"Summary"/"Аннотация"/"Кратко"/"Résumé"
  heading.

Printed years, venues and copyright holders come from the page's text (:func:`read_venue`).
Pure functions over what pypdf gives; :mod:`indexer.ingest.extract` feeds them.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from itertools import pairwise, takewhile
from typing import Any

from archive.names import FAMILY_PARTICLES, NAME_SUFFIXES, written_family_first
from indexer.describe import title_model
from indexer.describe.metadata import (
    history_years,
    latest_plausible_year,
    numbers_word,
    title_from_runs,
)
from indexer.describe.spanish_names import page_in_spanish, with_both_family_names
from indexer.normalize import clean_field, normalize_text

_MAX_RUNS = 5000  # a first page with more runs than this is a table or a drawing, not a header
_MAX_TITLE_WORDS = 40
# LaTeX sets accents as a separate spacing glyph before the letter ("Andr\u00b4e").
_SPACING_ACCENTS = {
    "\u00b4": "\u0301",
    "`": "\u0300",
    "\u02c6": "\u0302",
    "\u02dc": "\u0303",
    "\u00a8": "\u0308",
    "\u02d8": "\u0306",
    "\u02c7": "\u030c",
    "\u02da": "\u030a",
    "\u00b8": "\u0327",
    "\u02d9": "\u0307",
    "\u02dd": "\u030b",
    "\u02db": "\u0328",
    "\u00af": "\u0304",
}
_DOTLESS_I_ACCENT = re.compile("\u0131([" + "".join(_SPACING_ACCENTS) + "])")
_ACCENT_BEFORE = re.compile("([" + "".join(_SPACING_ACCENTS) + "])\\s?([^\\W\\d_])")
_ACCENT_AFTER = re.compile("([^\\W\\d_])([" + "".join(_SPACING_ACCENTS) + "])")
# An accent kerned back over a word's last letter may come out after a space (Šimková read as
# "Simkov", a space, the acute, "a" and a mark): the space goes when a mark or punctuation
# follows the letter (a French "à" stands alone).
_SPACED_LAST_ACCENT = re.compile(
    "(?<=[^\\W\\d_]) (?=[" + "".join(_SPACING_ACCENTS) + "][^\\W\\d_](?:[^\\w\\s]|$))"
)

_ABSTRACT_HEADING = re.compile(
    r"^\s*(abstract|summary|аннотация|реферат|резюме|краткое содержание|кратко|résumé|resume|"
    r"zusammenfassung|resumen|sommario)"
    # ... not a title's first words ("Summary of the NWFSC West Coast Groundfish ...").
    r"(?!\s+of\s)\s*(?:[.:\u2014\u2013-]|$|\s)",
    re.IGNORECASE,
)
_BODY_START = re.compile(
    r"^\s*(?:(?:1|I)\.?\s+)?(introduction|keywords|key words|index terms|ccs concepts|"
    r"введение|einleitung|mots[- ]clés|introducción|introdução|introduzione|palabras clave|"
    r"palavras[- ]chave)\b",
    re.IGNORECASE,
)
# The headings of a structured abstract ("Background: Given the threat ...", "Data Synthesis:"):
# the byline has ended.
_STRUCTURED_ABSTRACT = re.compile(
    r"^\s*(?:background|purpose|objectives?|aims?|context|importance|methods?|results?|"
    r"conclusions?|data sources|data synthesis|data extraction|study selection|design|setting|"
    r"participants|limitations)\s*:",
    re.IGNORECASE,
)
_SECTION_HEADING = re.compile(r"^\s*(?:\d+(?:\.\d+)*|[IVX]+\.)\s*[A-Z][^\s.]*")
_CAPTION = re.compile(r"^\s*(?:table|fig\.?|figure|tab\.?|algorithm|listing)\s*\d", re.I)
# Banners, running headers and stamps: venue lines, page furniture, licences.
# A title may speak of journals, preprints or published research ("The case for open preprints
# in biology", "Why most published research findings are false"); a banner names one.
_BANNER = re.compile(
    r"(proceedings|journal(?!s)|conference(?!s)|workshop(?!s)|symposium|transactions|volume|"
    r"vol\.|issn|isbn|doi|arxiv|preprint(?!s)|copyright|©|licen[cs]e|"
    r"published(?=\s*(?:online|in|by|on|:|\d|$))|accepted|received|submitted|"
    r"www\.|https?:|@|pages? \d|pp\. ?\d|\w\.(?:com|org|net|edu|gov)\b|"
    # A journal's special issue named over the title ("Special Issue—Data Sharing in ...").
    r"special (?:issue|section|feature)\b|theme issue\b|"
    # Elsevier's stamp at the top of every page of an author's copy.
    r"author['\u2019]s personal copy)",
    re.IGNORECASE,
)
# Characters that titles do not hold but a poor OCR layer is full of ("n»Bfl. s*r;tiiR»").
_OCR_NOISE = re.compile(r"[»«*^~|\\{}<>]")
_EMAIL = re.compile(r"\S+@\S+|\{[^}]*\}\s*@\S*")
# Words of affiliations, never of names (compared case-folded).
_AFFILIATION_WORDS = {
    "university", "universität", "universite", "université", "universidad", "università",
    "universiteit", "institute", "institut", "instituto", "istituto", "college", "school",
    "faculty", "department", "dept", "laboratory", "laboratoire", "lab", "labs", "center",
    "centre", "research", "inc", "inc.", "ltd", "gmbh", "corp", "corporation", "company", "ai",
    "group", "hospital", "academy", "foundation", "society", "ministry", "technology",
    "sciences", "science", "engineering", "state", "national", "usa", "uk", "china",
    "germany", "france", "japan", "india", "canada", "australia", "russia", "belgium", "italy",
    "spain", "netherlands", "google", "facebook", "microsoft", "amazon", "bloomberg", "meta",
    "ibm", "nvidia", "service", "office", "agency", "council", "committee", "association",
    "report", "archive", "press", "publishing", "publishers", "library", "museum", "park",
    "reserve", "programme", "program", "project", "network", "fund", "trust", "zoo",
    "университет", "институт", "академия", "лаборатория",
    # Addresses and the words of affiliations in other languages.
    "road", "street", "st", "avenue", "ave", "drive", "via", "box", "rue", "strasse", "straße",
    "institutes", "dipartimento", "departamento", "departament", "département", "physique",
    "théorique", "fisica", "física", "contact", "information", "universidade",
    "hall", "campus", "building", "division", "unit", "inserm", "cnrs", "infn", "csiro",
    "corresponding", "author", "authors", "professor", "associate", "lecturer", "fellow",
    "dr", "rm", "suite", "affiliation", "affiliations",
    "observatory", "observatorio", "observatoire", "centro", "brasileiro", "nacional",
    # Fields of departments and kinds of work, never people ("Embedded Systems", "Ignacio R.
    # Matias Electrical", "ATLAS and CMS Collaborations", "Dissertação de Mestrado").
    "systems", "electrical", "electronics", "computer", "computing", "informatics",
    "mathematics", "physics", "chemistry", "biology", "medicine", "medical", "biomedical",
    "collaboration", "collaborations", "consortium", "dissertation", "dissertação", "thesis",
    "mestrado", "fraunhofer", "polytechnic", "politecnico", "hochschule", "fachhochschule",
    # A German cover's programme and student number ("Studiengang Medieninformatik").
    "studiengang", "matrikelnummer",
    # A thesis cover's people and bodies besides its author: never the author.
    "orientador", "orientadora", "co-orientador", "supervisor", "supervisors", "advisor",
    "advisors", "adviser", "directeur", "directrice", "jury", "rapporteur", "rapporteurs",
    "examinateur", "examinatrice", "promotor", "betreuer", "gutachter", "thèse", "tese",
    "doctorat", "pós-graduação", "programa", "faculdade", "faculté", "doctorale",
    "tesis", "doctoral", "proyecto", "maestría", "doctorado", "facultad", "escuela",
    # German and Romance departments and fields ("Abteilung III Genetik", "Facultad de
    # Informática").
    "abteilung", "lehrstuhl", "fachbereich", "fakultät", "informática", "informatique",
    "informatik", "genetik", "genetics", "genética", "génétique", "biologie", "biología",
    "natural", "language", "processing", "learning", "intelligence", "artificial", "robotics",
    # Bodies of conservation and natural history ("Fauna & Flora International", "Royal
    # Botanic Gardens, Kew", "BirdLife International"): never people.
    "international", "global", "botanic", "botanical", "gardens", "conservancy", "wildlife",
    "zoological", "herbarium", "sanctuary", "forestry", "fisheries", "ecology", "ecological",
    "environmental", "environment", "conservation", "biodiversity", "zoology", "botany",
    "agricultural", "agriculture", "veterinary", "geological", "survey", "authority",
    "commission", "directorate", "bureau", "administration", "secretariat", "alliance",
    "federation",
    # Groups signing beside people ("Groundfish Analysis Team", "the UPBEAT Committee").
    "team", "teams", "taskforce",
    # More firms ("Crédit Agricole S.A").
    "llc", "s.a", "s.p.a", "b.v",
    # Public bodies ("South Florida Water Management District").
    "district", "management", "county", "regional", "municipality", "municipal", "provincial",
    "government", "governmental",
}  # fmt: skip
# Words never in a person's name that are no sign of a byline either (a table of countries is
# not an author block): publishers' page furniture ("Read Online", "ISSN", "Publication
# Date") and countries beyond the largest ("South Africa").
_NEVER_IN_NAMES = {
    "online", "access", "issn", "publication", "downloaded",
    "africa", "brazil", "brasil", "chile", "mexico", "argentina", "colombia", "peru", "korea",
    "taiwan", "singapore", "israel", "iran", "egypt", "kenya", "nigeria", "switzerland",
    "sweden", "norway", "denmark", "finland", "austria", "poland", "portugal", "greece",
    "ireland", "zealand", "czech", "hungary", "turkey", "vietnam", "thailand", "indonesia",
    "african", "american", "european", "asian", "australian", "canadian", "british",
    # More countries, those that are also people's names left out ("Jordan", "Salvador",
    # "Togo"): a situation report's table of countries ("Sierra Leone", "Total Guinea").
    "sierra", "leone", "guinea", "liberia", "ivoire", "burkina", "faso", "benin", "sudan",
    "somalia", "rwanda", "burundi", "malawi", "angola", "lesotho", "gambia", "mauritania",
    "morocco", "algeria", "tunisia", "libya", "yemen", "qatar", "kuwait", "bahrain",
    "emirates", "saudi", "arabia", "iraq", "syria", "lebanon", "cambodia", "laos", "myanmar",
    "lanka", "papua", "honduras", "nicaragua", "haiti", "jamaica", "guyana", "suriname",
    "armenia", "azerbaijan", "uzbekistan", "turkmenistan", "moldova", "albania",
    "macedonia", "bosnia", "herzegovina", "montenegro", "kosovo", "cyprus",
    # A role printed where an affiliation would be: "Maria Silva, Individual Researcher".
    "researcher", "researchers", "independent", "individual", "consultant", "freelance",
    "student", "recipient", "award", "manuscript",
    # "Profa. Dra. Islene Calciolari Garcia": a Brazilian thesis's adviser (a professora).
    "profa",
    # A licence's words, on a cover that prints no byline ("Creative Commons Attribution License").
    "license", "licence", "attribution", "copyright",
    # The headings under a byline ("Key Points:", AGU's; "Highlights").
    "points", "highlights", "keywords",
}  # fmt: skip
# Degrees and honours after a name ("Paulino Ramirez, PhD"): dropped, not taken for names.
_DEGREES = re.compile(
    r"^(?:ph\.?\s?d\.?|m\.?d\.?|m\.?sc\.?|b\.?sc\.?|dphil|frs|mph|jr\.?|sr\.?|"
    # Clinical journals print every degree: "Dena M. Bravata, MD, MS", "Laura Merson, B.S.",
    # "Guy E. Thwaites, F.R.C.P." (case kept: "MA" is a degree, "Ma" a name).
    r"(?-i:M\.?S\.?|M\.?A\.?|B\.?A\.?|B\.?S\.?|M\.?M\.?|MBA|MBBS|MBChB|MPhil|DrPH|ScD|DSc|"
    r"DVM|PharmD|RN|MSN|MHS|MSPH|F\.?R\.?C\.?[PS]\.?|F\.?R\.?C\.?P\.?C\.?|MRCP|FACP|FACS|"
    # Clinical certificates after the degree ("Rosemary A. Lester-Smith, PhD, CCC-SLP").
    r"CCC-(?:SLP|A)|LCSW|BCBA|CPA|RD|PA-C))$",
    re.I,
)
# A society's grade after a name and the society ("R. K. Moore, Senior Member, IRE", "Jane Doe,
# Fellow, IEEE"): dropped, as degrees are.
_GRADES = re.compile(r"^(?:(?:senior|life|student)\s+)?(?:member|fellow)$|^(?:ieee|ire)$", re.I)
# The particles of archive.names too ("Sheila Mara Silva do Amaral", "Md. Hassan uz Zaman").
_PARTICLES = {
    "van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "dos", "das", "la",
    "le", "bin", "ibn", "al", "el", "ter", "ten", "y", "zu", "st.",
} | FAMILY_PARTICLES  # fmt: skip
_NOT_NAMES = {
    "the", "a", "an", "of", "for", "in", "on", "and", "with", "to", "by", "at", "from",
    "abstract", "introduction", "summary", "editorial", "article", "research", "review",
    "keywords", "contents", "chapter", "part", "table", "figure", "page", "your", "name",
    # A subtitle's question ("How COVID-19 affects software developers ...").
    "how", "what", "why", "when", "where", "which",
}  # fmt: skip


# Footnote and affiliation marks that separate names ("Krishna♠ * Erin Bransom♢").
# An en dash belongs to ranges of marks ("Keskin,7\u201312"), never to a name (hyphens do).
def _symbol_ranges() -> str:
    """Every symbol character (Unicode's math, currency and other symbols, digits other than
    decimal ones, and private-use characters) as ranges of a regular expression's class:
    PLOS's "☯" and "¤", "✝", "★", "°", a superscript "¹" mark names as much as "*" and "1"."""
    ranges: list[tuple[int, int]] = []
    for code in range(0x80, 0x10000):
        # "No": superscript and subscript digits ("Petrova¹"), circled numbers, fractions.
        # "Co": the private use area, where fonts keep icons (PNAS's ORCID iD after a name).
        if unicodedata.category(chr(code)) in ("Sm", "Sc", "So", "No", "Co"):
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return "".join(
        re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges
    )


_MARKS = re.compile(
    # Nature's daggers come out of pypdf as braces ("G. Sander van Doorn{").
    r"[*\u2217†‡§¶♠♢♡♣♦♥⋄□■•◦#\u204e✉※⊥∥\u2016\u2051\u2113\d\u0370-\u03ff\u2013+={}"
    + _symbol_ranges()
    + "]+"
)
# Case matters: "И." is an initial, " и " the Russian "and".
_SEPARATORS = re.compile(r"\s*(?:\||,|;|\u00b7|\u22c5|\b(?:and|And|AND|und|et|и)\b|&)\s*")
_INITIAL = re.compile(r"^(?:[^\W\d_]\.)+(?:-[^\W\d_]\.)?$|^[^\W\d_]$|^[^\W\d_]\.-[^\W\d_]\.$")
# Kinds of article signed at the end rather than under the title.
_SIGNED_KIND = re.compile(
    r"^\s*(editorial|commentary|letter|letter to the editor|perspective|foreword|preface|"
    r"obituary|in memoriam|guest editorial)\s*$",
    re.IGNORECASE,
)
# What a raised run starts with when it is a mark: digits, letters of affiliations, symbols.
_LEADING_MARK = re.compile(r"^\s*(?:[a-z]{1,2}(?=[\s,*†‡]))?[\W\d_]*")
# Kinds of article printed above the title, in a larger type than the body.
_KINDS = {
    "editorial", "article", "research article", "review", "review article", "contents",
    "original article", "original research", "research", "technical contribution", "letter",
    "research paper", "brief report", "short communication", "perspective", "commentary",
    "supporting information", "supplementary information", "supplementary material",
    "supplementary materials", "electronic supplementary information", "supplemental material",
    "supplementary documentation", "supplementary data", "supplementary text",
    "supplemental information", "supporting text", "supporting material",
    # A journal's section over the title (Nature's "LETTERS", Science's "REPORTS").
    "letters", "articles", "reports", "brief communication", "brief communications",
    "research letter",
    # A thesis cover's statement of the kind of work, set larger than its title (a Russian
    # cover's "БАКАЛАВРСКАЯ РАБОТА" in 36 pt over the title in 14).
    "бакалаврская работа", "выпускная квалификационная работа", "магистерская диссертация",
    "курсовая работа", "дипломная работа", "дипломный проект",
    "магистерская работа", "автореферат диссертации", "bachelorarbeit", "masterarbeit",
    "diplomarbeit", "master's thesis", "bachelor's thesis", "tesis doctoral",
    "thèse", "these", "thesis", "mémoire", "tesis", "tese", "dissertation",
    "trabajo de fin de máster", "trabajo fin de máster", "trabajo de fin de grado",
    "trabajo fin de grado", "tesina", "trabalho de conclusão de curso", "projeto de graduação",
    "praca magisterska", "praca licencjacka", "praca inżynierska", "szakdolgozat",
    "diplomová práce", "bakalářská práce", "scriptie", "masterproef", "examensarbete",
    "tesi di laurea", "tesi di laurea magistrale", "doktorarbeit",
    # A table of contents' heading, set larger than the title on the page it shares with it.
    "table of contents", "spis treści", "inhaltsverzeichnis", "inhalt", "table des matières",
    "sommaire", "índice", "indice", "sumário", "sumario", "obsah", "tartalomjegyzék",
    "inhoudsopgave", "innehåll", "innehållsförteckning", "indholdsfortegnelse", "sisällys",
    "содержание", "оглавление",
}  # fmt: skip
# A manuscript's label where its title would be ("PREE Mini-Project Manuscript", "Accepted
# Manuscript", "Author's Draft"): a template's or a course's, never the paper's title.
_MANUSCRIPT_LABEL = re.compile(
    r"^(?:\S+?[\s-]*){0,2}?(?:project|accepted|submitted|author'?s?|draft|revised|original)\s*"
    r"(?:manuscript|draft|version)\s*$",
    re.IGNORECASE,
)
# A cover's label before its title: "Title: Using neutral theory ..." (a manuscript's form),
# "Тема Разработка и исследование алгоритма ..." (a Russian
# thesis's form), "на тему: ...", "Thema: ...", a course report's "Progetto: ...".
# ... and a manuscript form's "Title" on a line of its own over the title.
_TITLE_LABELS = {"title", "titel", "título", "titre", "titolo", "tytuł"}
_TOPIC_LABEL = re.compile(
    r"^\s*(?:(?:на\s+тему|тема|thema|tema|topic)\s*[:.]?|"
    r"(?:title|titolo|t[íi]tulo|titre|titel|tytuł|project|progetto|projekt|proyecto|projet)\s*:)"
    r"\s+(?=\S)",
    re.I,
)
# A repository's or a university's name set large on a cover ("UvA-DARE (Digital Academic
# Repository)", "Tilburg University", "Universidade do Estado do Rio de Janeiro"): not a title.
_INSTITUTION_WORDS = {
    "university", "universiteit", "universität", "université", "universidad", "università",
    "universidade", "repository", "institute", "institut", "instituto", "college",
    # A thesis cover's programme and faculty ("Pós-Graduação em Física", "École doctorale").
    "pós-graduação", "graduação", "programa", "faculdade", "faculté", "faculty", "doctorale",
    "facultad", "escuela", "facoltà", "dipartimento",
    "department", "departamento", "département",
    # A German cover's faculty and chair ("Fachbereich Mathematik und Informatik").
    "fachbereich", "fakultät", "lehrstuhl", "arbeitsgruppe",
}  # fmt: skip
# Notes under the names: nothing after them is a byline.
_NOTES_START = re.compile(
    r"^\W*(?:correspond|to whom|contact information|tel[.:]|running title|"
    r"these authors|present address|current address)",
    re.IGNORECASE,
)
# Where a thesis's cover goes on to name its supervisors and examiners ("Thèse dirigée par",
# "RAPPORTEURS :", "Director(a):", "Codirectores:", "Orientador:", "Composition du jury"): no
# name after it is the author's. (Its author may come after the degree it is for: "A thesis
# submitted ... in partial fulfillment ..." / "Tanay Agarwal".)
_SUPERVISORS = re.compile(
    r"^\W*(?:(?:th[eè]se\s+)?dirig[ée]e\s+par|directeurs?\s+de\s+th[eè]se|directrice|"
    r"(?:co-?)?encadr|rapporteu?r(?:s|es)?|examinat(?:eur|rice)s?|composition\s+du\s+jury|jury|"
    r"devant\s+(?:le|un)\s+jury|(?:co-?)?director(?:es|as?)?(?:\s*\(a\))?\s*:|"
    r"(?:co-?)?orientador(?:a|es)?|(?:co-?)?supervisors?\s*:|(?:thesis\s+)?advisors?\s*:|"
    r"coordinat(?:or|rice)\s*:|tutor(?:a|es)?\s*:|(?:cor)?relat(?:or[ei]|rice)\b|"
    r"sous\s+la\s+(?:co-?)?direction\b|"
    r"(?:thesis\s+|examining\s+)?committee\b|betreuer(?:in)?|(?:erst|zweit)?gutachter(?:in)?)",
    re.IGNORECASE,
)
# A thesis's cover names its kind or its degree ("Máster Universitario en ...", "Pós-Graduação",
# "TRABAJO FIN DE MÁSTER"): the name under its title is its author's, with no abstract or
# affiliation to show it.
_THESIS_COVER = re.compile(
    r"\b(?:m[áa]ster|mestrado|maestr[íi]a|doctorado|doctorat|tesis?|th[èÈ]se|(?-i:THESE)|tese|thesis|"
    r"disserta[çc][ãa]o|dissertation|monografia|diplomarbeit|masterarbeit|bachelorarbeit|"
    r"p[óo]s-gradua[çc][ãa]o|trabajo\s+(?:de\s+)?fin|trabalho\s+de\s+conclus[ãa]o)\b",
    re.IGNORECASE,
)
# Stems of affiliation words, for words run together ("Institutefor Researchin Biomedicine").
_AFFILIATION_STEMS = ("institut", "universit", "departm", "laborator", "hospital", "college")
# pypdf names a glyph it cannot map "/H20862" (a dash, a bracket) or, in Blackwell's and
# Wiley's fonts, "/C160" (a dagger after a name), "/C176" (a degree sign), in Elsevier's
# "/C3" (the corresponding author's asterisk, "P. Posadasa,b,/C3,"): not text.
_GLYPH_NAME = re.compile(r"/H\d{5}|/C(?:\d{3}|1[89]|2[0-4]|94|3)(?!\d)")
# The ones AIP and PNAS fonts use, and Wiley's degree sign; the others are marks. Elsevier's
# fonts name TeX's accents by their OT1 position ("Taudi/C18ere"): set as spacing accents,
# which fix_accents puts on the letter after them.
_GLYPHS = {
    "/H20849": "(", "/H20850": ")", "/H20862": "/", "/C176": "\u00b0",
    "/C18": "`", "/C19": "\u00b4", "/C20": "\u02c7", "/C21": "\u02d8", "/C22": "\u00af",
    "/C23": "\u02da", "/C24": "\u00b8", "/C94": "\u02c6", "/C126": "\u02dc", "/C127": "\u00a8",
}  # fmt: skip
# Affiliation letters glued to a name with the list after them: "Patrick N.J. Lanea,c,*,",
# "Alice E. Bestb,c,d,", "Klaus Hickelb,c," (set in the name's own run, so no layout tells
# them); one letter after a comma before the next name is the name's mark ("Eason,a Michael").
_GLUED_LETTERS = re.compile(
    r"(?<=[^\W\d_]{2})[a-z](?:(?:,(?:[a-z]|[*\u2217†‡§¶])){2,}(?=[,\s|]|$)|,[a-z](?=,))"
)
# The same at a line's end ("..., Lu Zhangb,c"), believed only on a line whose other names
# carry such lists (at the end alone, "Ralph L. McAnelly,b" is a name and its mark).
_GLUED_AT_END = re.compile(r"(?<=[^\W\d_]{2})[a-z],[a-z]\s*$")
_HONORIFIC = re.compile(r"^(?:dr|prof|professor|mr|mrs|ms|mme|sir|dame)\.?\s+(?=[A-Z])", re.I)
_LETTERS_AFTER_COMMA = re.compile(r"[^\W\d_]{2},[a-z](?:,[a-z*])*\s+(?:[A-Z]|and\b)")
_YEAR_IN_LINE = re.compile(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)")
# A day and a month without a year: a revision's date under a working paper's title ("Rev1 25
# July"), whose month would read as a name.
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_DAY_AND_MONTH = re.compile(rf"\b\d{{1,2}}\s+(?:{_MONTHS})\b|\b(?:{_MONTHS})\s+\d{{1,2}}\b", re.I)
# A postcode of five or six digits ("NJ 08540", "119991 Moscow", "D-69120"; four-digit ones read
# as years above) or a Canadian or British one ("V6T 1Z4", "CB2 1TN").
_POSTCODE = re.compile(
    r"(?<![\w./:-])\d{5,6}(?:-\d{4})?(?![\w/:-]|[.,]\d)"
    r"|\b[A-Z]\d[A-Z] ?\d[A-Z]\d\b|\b[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}\b"
)
_RUN_TOGETHER = re.compile(
    r"(?<=[a-zà-ÿа-я]{4})(?=[A-ZÀ-ÞА-Я][a-zà-ÿа-я]{2,})"
    # "AnneS.Meyer", "ElioA.Abbondanzieri": initials run into the names around them.
    # "ElizabethJ.McKenzie": a name after the initial may be "Mc" and a capital.
    # "Y.Ye24": or a name of two letters, before its mark, a comma or the line's end.
    r"|(?<=[a-zà-ÿ]{2})(?=[A-ZÀ-Þ]\.)|(?<=[A-ZÀ-Þ]\.)(?=[A-ZÀ-Þ][a-zà-ÿ](?:[^\W\d_]|[\d,\s|]|$))"
    # "JosephTTennis": an initial without its full stop between the two names.
    r"|(?<=[a-zà-ÿ]{3})(?=[A-ZÀ-Þ][A-ZÀ-Þ][a-zà-ÿ]{2})|(?<=[a-zà-ÿ]{3}[A-ZÀ-Þ])(?=[A-ZÀ-Þ][a-zà-ÿ]{2})"
)


# A byline's words drawn without spaces ("JiePan", "ShinYoo", "andAvrilMason"): a word of
# two lower-case letters or more running into a capitalised one. "MacLeod", "McDonald" and
# "DeWitt" are names of their own (a prefix of one or three letters before the capital).
_CAMEL_WORD = re.compile(r"\b[^\W\d_]+(?:[a-zà-ÿ][A-ZÀ-Þ][^\W\d_]+)+")
_CAMEL_SPLIT = re.compile(r"(?<=[a-zà-ÿ]{2})(?=[A-ZÀ-Þ][a-zà-ÿ])")
_NAME_PREFIXES = {"mac", "mc", "fitz", "van", "von", "de", "di", "da", "du", "le", "la", "del"}


def _split_camel(match: re.Match[str]) -> str:
    parts = _CAMEL_SPLIT.split(match.group(0))
    words = [parts[0]]
    for part in parts[1:]:
        if words[-1].casefold() in _NAME_PREFIXES:
            words[-1] += part
        else:
            words.append(part)
    return " ".join(words)


@dataclass
class Run:
    """One piece of text as drawn: its text, font size in points and baseline position."""

    text: str
    size: float
    x: float
    y: float
    # Drawn slanted (an italic made from a roman font): where the slant starts or stops, a
    # word starts or stops even when the PDF draws no space ("AFT10-1" "encoding").
    slanted: bool = False


@dataclass
class Line:
    """Runs on one baseline. ``marked`` replaces raised small runs (footnote marks) by "|"."""

    runs: list[Run]
    size: float = 0.0
    y: float = 0.0

    @cached_property
    def text(self) -> str:
        """The line's words, marks left out."""
        return _tidy(
            _joined(
                [
                    (run, self._words(run, "", previous))
                    for previous, run in zip([None, *self.runs], self.runs, strict=False)
                ]
            )
        )

    @cached_property
    def marked(self) -> str:
        """The line's words with each footnote mark replaced by a "|" separator, and a wide
        gap between two runs ("Ruifang Ge      Raymond J. Mooney") too."""
        parts = []
        for previous, run in zip([None, *self.runs], self.runs, strict=False):
            if (
                previous is not None
                and run.x > _end(previous) + 1.5 * self.size
                # A hyphen drawn by itself joins ("SANTIAGO MONTERO" "-" "MENDIETA", in
                # capitals wider than the estimate of where the first run ends).
                and run.text not in _HYPHENS
            ):
                parts.append("|")
            parts.append(_joined([(run, self._words(run, "|", previous))], previous))
        return "".join(parts)

    def _words(self, run: Run, mark: str, previous: Run | None) -> str:
        # Superscripts are smaller and raised; small capitals are smaller on the baseline.
        if not (run.size < 0.85 * self.size and run.y > self.y + 0.15 * self.size):
            return run.text
        if run.text.strip() in _SPACING_ACCENTS:
            # An accent drawn by itself over a small capital ("GONZA", an acute, "LEZ") is small
            # and raised too, but the name's: it goes on the letter it is drawn over.
            over = previous is not None and run.x < _drawn_end(previous)
            return _SPACING_ACCENTS[run.text.strip()] if over else run.text
        # pypdf hands over a raised mark together with the words drawn after it in the same
        # font state ("1,5, Colleen J. Mulvihill2,5"): the mark goes, the words stay. Raised
        # lower-case letters alone are affiliation marks ("Bajor, J." "ac").
        if re.search(r"[^\W\d_]{2}", run.text) and not _MARK_LETTERS.fullmatch(run.text):
            return _LEADING_MARK.sub(mark, run.text, count=1)
        return mark


@dataclass
class Header:
    """What a first page says about its paper; empty strings where it says nothing."""

    title: str = ""
    authors: list[str] = field(default_factory=list)
    abstract: str = ""
    # How much larger than the body text the title is set (0 when there is no title): the
    # surer sign that it is the title.
    title_ratio: float = 0.0


@dataclass
class Venue:
    """Where and when the paper was published, as printed on it."""

    year: int | None = None
    container: str = ""
    volume: str = ""
    issue: str = ""
    page_range: str = ""
    publisher: str = ""


class RunCollector:
    """A pypdf ``visitor_text`` callback keeping upright text runs with size and position."""

    def __init__(self) -> None:
        self.runs: list[Run] = []
        # Where pypdf last put a space of its own between two runs, from a gap it saw in
        # the drawing: handed over alone, at the end of the word before.
        self._space_at: float | None = None

    def __call__(self, text: str, cm: list[float], tm: list[float], _font: Any, size: Any) -> None:
        # Some producers put a tab between words ("Shelton\tHarley,"): a space like any other.
        text = text.replace("\t", " ")
        if not text.strip():
            if " " in text:
                self._space_at = float(tm[4] * cm[0] + tm[5] * cm[2] + cm[4])
            return  # pypdf calls with empty text at every operator: nothing more to do
        space_at, self._space_at = self._space_at, None
        # Upright text only: the rotated arXiv stamp in a margin is not the title. Slanted text
        # (a shear, tm[2] alone) is upright: italics drawn by slanting a roman font, as species'
        # names in a title often are ("pathotype of Alternaria alternata").
        if (tm[1] or (tm[2] and abs(tm[2]) >= abs(tm[3] or 1))) or len(self.runs) >= _MAX_RUNS:
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = abs(tm[3] or tm[0] or 1) * abs(cm[3] or cm[0] or 1)
        size = round(float(size) * scale, 1)
        if space_at is not None and self.runs:
            # Each word drawn by itself with no space drawn (Elsevier's "Stock" "synthesis:"):
            # a gap between the word before's end and this one is a space. pypdf also puts
            # one where a kerned word only looks apart ("r" "at" "e" for "rate"): there
            # this word starts where the one before ends, or earlier. Between words in small
            # capitals (ESA's bylines: "I" "RENE" " " "N" "AVARRO") the space comes where the
            # next word starts, and the next word opens with a larger capital.
            last = self.runs[-1]
            small_capitals = last.text.isupper() and text[:1].isupper() and size > last.size
            if (x - space_at > 0.1 * last.size or small_capitals) and not last.text[-1:].isspace():
                self.runs[-1] = replace(last, text=last.text + " ")
        self.runs.append(Run(text, size, float(x), float(y), slanted=bool(tm[2])))


def _joined(pieces: list[tuple[Run, str]], before: Run | None = None) -> str:
    """The runs' words one after the other, a space put where the slant changes between two
    runs that draw none."""
    text = ""
    previous = before
    for run, words in pieces:
        if (
            previous is not None
            and previous.slanted != run.slanted
            and words[:1].isalnum()
            and (text[-1:].isalnum() if text else previous.text[-1:].isalnum())
        ):
            text += " "
        text += words
        previous = run
    return text


def fix_accents(text: str) -> str:
    """Spacing accents set beside their letter (an acute before "e") composed onto it ("é")."""
    text = _SPACED_LAST_ACCENT.sub("", text)
    # LaTeX accents an i without its dot (\'{\i}). After it ("Garc\u0131\u00b4a") the accent
    # is the i's, not the next letter's; before it, it is composed like any other, below.
    text = _DOTLESS_I_ACCENT.sub(lambda m: "i" + _SPACING_ACCENTS[m.group(1)], text)
    text = _ACCENT_BEFORE.sub(lambda m: m.group(2) + _SPACING_ACCENTS[m.group(1)], text)
    text = _ACCENT_AFTER.sub(lambda m: m.group(1) + _SPACING_ACCENTS[m.group(2)], text)
    # ... and the composed dotless i is an i: "Meg\u00b4\u0131as" is "Megías".
    text = re.sub("\u0131(?=[\u0300-\u036f])", "i", text)
    return unicodedata.normalize("NFC", text)


def _glyphs(text: str) -> str:
    return _GLYPH_NAME.sub(lambda m: _GLYPHS.get(m.group(0), ""), text)


def _tidy(text: str) -> str:
    return _close_letter_spacing(clean_field(normalize_text(fix_accents(_glyphs(text)))))


# A cover's letter-spaced words ("C O M M U N I T I E S", "T H È S E"): letters
# alone, each maybe with its punctuation, four or more of them.
_SPACED_LETTERS = re.compile(r"(?:[^\W\d_][^\w\s]? ){3,}[^\W\d_][^\w\s]?")


def _close_letter_spacing(text: str) -> str:
    return text.replace(" ", "") if _SPACED_LETTERS.fullmatch(text) else text


def lines_of(runs: list[Run]) -> list[Line]:
    """Runs grouped into lines, in the order the page draws them."""
    lines: list[Line] = []
    current: list[Run] = []
    base: Run | None = None
    for run in runs:
        if base is not None and (
            abs(run.y - base.y) > min(0.6 * max(run.size, base.size), min(run.size, base.size))
            or run.x < current[-1].x - 1
            or run.x > _end(current[-1]) + 4 * max(run.size, base.size)  # another column
        ):
            lines.append(_line(current))
            current, base = [], None
        current.append(run)
        if base is None or run.size > base.size:
            base = run
        if run.text.endswith("\n"):
            lines.append(_line(current))
            current, base = [], None
    if current:
        lines.append(_line(current))
    return [line for line in lines if line.text]


# What a piece of a line may end with when the word goes on in the next piece.
_WORD_GOES_ON = frozenset({"-", "\u2010", "\u2011", *_SPACING_ACCENTS, *_SPACING_ACCENTS.values()})


def _rejoin_out_of_order(lines: list[Line]) -> list[Line]:
    """Lines on one baseline in one size that the page drew out of order made one again, their
    runs left to right: a title line whose words in italics (species' names) are drawn after
    its roman words ("and Blacknose Sharks", "in", "terraenovae", "Carcharhinus acronotus").
    Pieces drawn left to right (columns, a banner and its page number) stay apart."""
    joined: list[Line] = []
    i = 0
    while i < len(lines):
        j = i + 1
        while (
            j < len(lines)
            and abs(lines[j].y - lines[i].y) < 0.5
            and abs(lines[j].size - lines[i].size) <= 0.3
        ):
            j += 1
        group = lines[i:j]
        starts = [line.runs[0].x for line in group]
        if len({line.text for line in group}) == 1 and max(starts) - min(starts) < group[0].size:
            # The same words drawn twice over each other (a shadow, a bold made by overprinting).
            joined.append(group[0])
        elif len(group) < 2 or starts == sorted(starts):
            before: Line | None = None
            for line in group:
                # A word broken where the page drew on anew: after a hyphen ("for
                # Autocorrelation\u2010" / "Informed Home Range") or an accent drawn by itself
                # ("F. Ascens \u02dc" / "ao"), the piece to its right goes on the same word.
                if before is not None and before.text.rstrip()[-1:] in _WORD_GOES_ON:
                    *first, last = before.runs
                    if last.text.strip() in _SPACING_ACCENTS:
                        # The accent goes on the letter drawn under it, with no space before.
                        last = replace(last, text=last.text.strip())
                    before = joined[-1] = _line([*first, last, *line.runs])
                else:
                    joined.append(line)
                    before = line
        else:
            runs: list[Run] = []
            for line in sorted(group, key=lambda line: line.runs[0].x):
                first, *rest = line.runs
                if runs and not runs[-1].text[-1:].isspace() and not first.text[:1].isspace():
                    first = Run(" " + first.text, first.size, first.x, first.y, first.slanted)
                runs += [first, *rest]
            joined.append(_line(runs))
        i = j
    return joined


_MARK_LETTERS = re.compile(r"[\s,]*[a-h]{1,3}[\s,*]*")


def _end(run: Run) -> float:
    # Where a run ends, roughly: pypdf gives no widths, and half an em per character is the
    # average for proportional fonts.
    return run.x + 0.5 * run.size * len(run.text)


def _drawn_end(run: Run) -> float:
    # Where a run ends, a little past its likeliest end: capitals are wider than half an em.
    capitals = sum(c.isupper() for c in run.text)
    return run.x + run.size * (0.7 * capitals + 0.5 * (len(run.text) - capitals))


def _line(runs: list[Run]) -> Line:
    size = max(run.size for run in runs)
    # The baseline is that of the largest text (marks sit above it).
    y = next(run.y for run in runs if run.size == size)
    smaller = [run for run in runs if run.size < size and run.text.strip()]
    if (
        smaller
        and all(
            len(run.text.strip()) == 1 and run.text.strip().isupper()
            for run in runs
            if run.size == size
        )
        and all(run.text.strip().isupper() for run in smaller)
    ):
        # Small capitals drawn as a large capital and smaller ones ("B" 18 pt, "ENCHMARKS"
        # 14.5 pt; "E. T" "AILLARD"): the line is in the smaller size, as its words without a
        # capital to start them ("FOR") are.
        size = max(run.size for run in smaller)
    return Line(runs=runs, size=size, y=y)


def body_size(runs: list[Run]) -> float:
    """The font size most characters of the page are set in."""
    chars: Counter[float] = Counter()
    for run in runs:
        chars[round(run.size * 2) / 2] += len(run.text.strip())
    return chars.most_common(1)[0][0] if chars else 0.0


def _is_kind(text: str) -> bool:
    """True for a line stating the kind of work ("Research Article", "Masterarbeit",
    "SUPPLEMENTARY DOCUMENTATION"): neither a title nor a name."""
    return text.casefold().strip(" |:-") in _KINDS or bool(_MANUSCRIPT_LABEL.match(text))


def _title_like(text: str) -> bool:
    letters = sum(c.isalpha() for c in text)
    return not (
        letters < 4
        or _BANNER.search(text)
        or _SECTION_HEADING.match(text)
        or _CAPTION.match(text)
        or _ABSTRACT_HEADING.match(text)
        or _BODY_START.match(text)
        or _is_kind(text)
        or len(_OCR_NOISE.findall(text)) >= 2
        or _institution_line(text)
        or _report_number(text)
    )


# A university's or an institute's name opening a cover's banner, however long ("INSTITUTO
# FEDERAL DE EDUCAÇÃO, CIÊNCIA E TECNOLOGIA DE SÃO PAULO - CAMPUS BIRIGUI").
_INSTITUTION_NAME = re.compile(
    r"^\s*(?:the\s+)?(?:universi[td]\w*|instituto|institut|institute|faculdade|facultad|facolt\w|"
    r"faculté|faculty|escuela|école|dipartimento|departamento|department)\s+"
    r"(?:\w+\s+){0,2}?(?:of|de|do|da|dos|das|des|du|della|degli|di|der|für|federal|nacional)\b",
    re.IGNORECASE,
)


def _institution_line(text: str) -> bool:
    """A line naming a university, a faculty or a department: a few words with one of theirs,
    or a name that opens with one ("Universidade Federal de ...")."""
    few_words = len(text.split()) <= 8 and bool(_words_of(text) & _INSTITUTION_WORDS)
    return few_words or bool(_INSTITUTION_NAME.match(text))


def _report_number(text: str) -> bool:
    """True for a report number or a series code set as a banner ("CEBAF-TH-94-08", "DESY
    94-123", "SLAC-PUB-7421"): a short line whose words are mostly numbers or codes."""
    words = text.split()
    # Only short lines can be one; counting the words of every long line cost more than the rest.
    if not words or len(words) > 4:
        return False
    return sum(numbers_word(word) for word in words) * 2 >= len(words)


def trust_header_title(header: Header) -> bool:
    """True when the first page sets its title so clearly (much larger than the body, a few
    words at least) that it is believed over the PDF's own title field, which is often a
    running title, a file name or the journal's name."""
    return header.title_ratio >= 1.5 and len(header.title.split()) >= 3


# Lines of a manuscript's page in the title's type that are no title: a publisher's notice on
# an accepted article (Wiley's "This article has been accepted for publication and undergone
# full peer review ...", drawn first) and the running head's label.
_NO_TITLE_LINE = re.compile(
    r"(?:this\s+article\s+(?:has\s+been\s+accepted|is\s+protected)|"
    r"running\s+(?:head|title)\s*:|short\s+title\s*:)",
    re.IGNORECASE,
)


def _plain_title_line(lines: list[Line], body: float) -> int:
    """The index of a title-like line set in the largest type at the top of a page that has
    no clearly larger title, or -1."""
    top = lines[:15]
    # A logo's word set large ("unesp" over a thesis's cover) does not set the title's type.
    sizes = [line.size for i, line in enumerate(top) if not _logo_word(i, top)]
    if not sizes:
        return -1
    largest = max(sizes)
    notice = False  # inside a paragraph that is no title (a notice and its lines)
    for i, line in enumerate(top):
        text = line.text.strip()
        notice = bool(_NO_TITLE_LINE.match(text)) or (notice and _goes_on(top[i - 1], line))
        if (
            not notice
            and line.size >= largest - 0.3
            and line.size >= body - 0.3
            and 4 <= len(text.split()) <= _MAX_TITLE_WORDS
            and _title_like(text)
            and not text.endswith((".", ","))
            # A line ending in a colon is a label's, unless the title goes on under it.
            and (not text.endswith(":") or (i + 1 < len(lines) and _goes_on(line, lines[i + 1])))
        ):
            # A title's line ending in "with", "of", "delle" goes on in the same type on the next
            # ("TWO-DIMENSIONAL ISING MODEL WITH" / "ANNEALED RANDOM FIELDS*"): no name there.
            while (
                i + 1 < len(lines)
                and abs(lines[i + 1].size - line.size) <= 0.3
                and (
                    lines[i].text.split()[-1].casefold() in _LINE_BREAK_WORDS
                    or lines[i].text.rstrip().endswith(":")
                    # A title in capitals goes on in capitals at its own line spacing ("...
                    # IN ALLOMETRICALLY" / "SCALED FOOD-WEB DYNAMICS"); a name stands apart.
                    or (
                        text.isupper()
                        and lines[i + 1].text.isupper()
                        and 0 < lines[i].y - lines[i + 1].y <= 1.3 * line.size
                        and _title_like(lines[i + 1].text)
                    )
                )
            ):
                i += 1
            return i
    return -1


def _goes_on(line: Line, below: Line) -> bool:
    """True when ``below`` is the next line of ``line``'s text: the same type, one line's
    spacing under it."""
    return abs(below.size - line.size) <= 0.3 and 0 < line.y - below.y <= 1.5 * line.size


def _logo_word(i: int, lines: list[Line]) -> bool:
    """A short word alone in its type: no title's first line goes on under it in that type."""
    line, below = lines[i], lines[i + 1] if i + 1 < len(lines) else None
    return (
        len(line.text.split()) == 1
        and len(line.text.strip()) < 18
        and not (
            below is not None
            and abs(below.size - line.size) <= 0.5
            and 0 < line.y - below.y <= 2.5 * line.size
        )
    )


def _find_title(lines: list[Line], body: float) -> tuple[str, int]:
    """The title and the index of its last line, or ("", -1)."""
    end = next((i for i, line in enumerate(lines) if _ABSTRACT_HEADING.match(line.text)), None)
    if end is not None and not any(line.size >= body * 1.15 for line in lines[:end]):
        end = None  # the page draws its summary before its title

    def title_lines(scope: list[Line]) -> list[tuple[int, Line]]:
        return [
            (i, line)
            for i, line in enumerate(scope)
            if line.size >= body * 1.15
            and _title_like(line.text)
            # A journal's name set as large as the title is printed again in its venue line
            # ("Nutrition and Metabolic Insights" / "... Insights 2009:2 27-35").
            and not _repeated_with_numbers(i, lines)
            and not _lead_in(lines, i)
            and not _logo(line, lines)
            and not _name_over_title(i, lines)
        ]

    candidates = title_lines(lines[:end] if end is not None else lines[:60])
    if end is not None:
        # Large type drawn before the abstract but printed below it is a figure's ("Paper
        # Search" in 28 pt at the foot of the page), not the title.
        candidates = [(i, line) for i, line in candidates if line.y > lines[end].y]
    # A short word alone in the largest type is a logo ("ieeiee"), not the title beside it.
    if words := [(i, line) for i, line in candidates if not _logo_word(i, lines)]:
        candidates = words
    if not candidates and end is None and len(lines) > 60:
        # A page that draws its body first and its header last (Nature's): the title is
        # further down the drawing order, still at the top of the page.
        heights = [line.y for line in lines]
        top = max(heights) - 0.4 * (max(heights) - min(heights))
        candidates = [(i, line) for i, line in title_lines(lines[:150]) if line.y >= top]
    if not candidates:
        return "", -1
    largest = max(line.size for _, line in candidates)
    first = next(i for i, line in candidates if line.size >= largest - 0.3)
    parts = [lines[first].text]
    last = first
    for i in range(first + 1, min(first + 6, len(lines))):
        line, previous = lines[i], lines[i - 1]
        gap = previous.y - line.y  # title lines run down the page
        if (
            abs(line.size - largest) > 0.5
            or not 0 < gap <= 2.5 * largest
            or not (
                _title_like(text := _VERSION_NOTE.sub("", line.text))
                or _runs_on(text)
                # The title's last word alone on its line, too short to judge ("DNA").
                or (text.strip().isalpha() and not parts[-1].rstrip().endswith((".", ":")))
            )
            or _names_line(line)
        ):
            break
        parts.append(text)
        last = i
    title = _without_kind_prefix(parts[0])
    for part in parts[1:]:
        title = (
            title + part
            if title.endswith("-")
            else f"{title}: {part}"
            if _subtitle_line(title, part)
            else f"{title} {part}"
        )
    words = title.split()
    if len(words) == 1 and len(title) >= 18 and title.isalpha():
        # "Pandemicprogramming": a title drawn without spaces (the PDF's own title field says
        # it better); the names are still read under it.
        return "", last
    # One word is more often a logo or a figure's label ("1st woman") than a title.
    if not 2 <= len(words) <= _MAX_TITLE_WORDS or sum(c.isalpha() for c in title) < 4:
        return "", -1
    return _without_marks(clean_field(title)), last


# Words of a line under a title that says what kind of work it is or whose, not its subtitle
# ("Bachelor Thesis", "Department of Geology").
_NOT_SUBTITLE_WORDS = _INSTITUTION_WORDS | {
    "thesis", "dissertation", "bachelor", "master", "doctor", "degree", "report", "by",
    # A French or Iberian cover's statement under the title ("Thèse dirigée par ...").
    "thèse", "mémoire", "tese", "tesis", "dirigée", "préparée", "présentée", "soutenue",
    # A body's name under a report's title ("Centro Nacional de Pesquisa ... - CEMAVE").
    "centre", "center", "centro", "ministry", "ministerio", "ministério", "ministère",
}  # fmt: skip
# A page of this many words or fewer is a cover: a title, names, a body's name and a date.
_COVER_WORDS = 60
# A subtitle in a cover's smallest type is a phrase of at most this many words.
_COVER_SUBTITLE_WORDS = 12
_DATE_ONLY = re.compile(
    r"^\s*(?:\d{1,2}\s+)?(?:[A-Z][a-z]{2,8}\.?\s+)?(?:\d{1,2},?\s+)?(?:1[89]|20)\d\d\s*$"
)


def _subtitle(lines: list[Line], last: int, body: float) -> tuple[str, int]:
    """A subtitle set on its own lines right under the title, in a type smaller than the
    title's and still larger than the body ("Smartfun Academy" / "Building A Hollistic STEM
    Learning Application for Kids"), and the index of its last line; or ("", ``last``). The
    labels and citations join the two with ": ". Names, a date, a kind of work or a body's
    name set in that type are no subtitle. On a cover, whose few words set no body type, the
    subtitle may be as small as anything else on it ("Ensembles d'arbres" / "Théorie et
    application au scoring", both under a thesis's other lines)."""
    title = lines[last]
    smallest = body * 1.15
    if sum(len(line.text.split()) for line in lines) <= _COVER_WORDS:
        smallest = 0.4 * title.size  # not as small as a photograph's credit
    # A title ending in a colon goes on ("LATITUDINAL GRADIENTS OF BIODIVERSITY:" / "Pattern,
    # Process, Scale, and Synthesis"): words that read as names are its subtitle's.
    open_title = title.text.rstrip().endswith(":")
    parts: list[str] = []
    end = last
    for i in range(last + 1, min(last + 4, len(lines))):
        line, previous = lines[i], lines[i - 1]
        size = lines[last + 1].size  # the subtitle's lines are all in its first line's type
        text = line.text.strip()
        pieces = _given_first(_pieces(line.marked), first_line=True)
        if (
            not smallest <= line.size <= title.size - 1.0
            or abs(line.size - size) > 0.5
            or not 0 < previous.y - line.y <= 2.5 * previous.size
            or not _title_like(text)
            or (
                not open_title
                # A subtitle's line that goes on from the one above ("... in Acute" /
                # "Myeloid Leukemia") may read as names, unless it is in a cover's smallest
                # type, where the author's name comes next.
                and not (
                    parts and not parts[-1].endswith((".", ",", ";")) and line.size >= body * 1.15
                )
                and (
                    _names_line(line)
                    or (pieces and all(map(_name_like, pieces)))
                    # A byline set large, its last name running on to the next line.
                    or _find_authors([line], 0)
                )
            )
            or _words_of(text) & _NOT_SUBTITLE_WORDS
            or _BYLINE_LABEL.match(line.marked)  # "Par: Virginie Bornarel", set large
            or _names_a_body_at_end(text)
            or _DATE_ONLY.match(text)
            # A conference's name and year ("Nuclear and Emerging Technology for Space (NETS)
            # 2015"), a name with initials ("A.J. Russo"), a heading ("Graphical Abstract").
            or _YEAR_IN_LINE.search(text)
            or re.search(r"(?<![^\W\d_])[^\W\d_]\.\s?[^\W\d_]\.", text)
            or _words_of(text) & {"abstract", "highlights", "summary"}
            or "@" in text
            or (not parts and not text[:1].isupper() and not text[:1].isdigit())
        ):
            break
        parts.append(text)
        end = i
    subtitle = " ".join(parts)
    # A question or a sentence under the title is a magazine's standfirst, not a subtitle
    # ("Does the collision of black hole singularities imprint ... signal?").
    if not parts or len(subtitle.split()) < 3 or subtitle.rstrip().endswith((".", "?", "!")):
        return "", last
    if lines[end].size < body * 1.15 and len(subtitle.split()) > _COVER_SUBTITLE_WORDS:
        return "", last  # a publisher's cover's summary of the paper in the body's type
    if title.text.rstrip().endswith("."):
        # A title closed by a full stop: the lines under it in a smaller type are a running
        # title ("Impacts of dimensionality reduction on ..."), not a subtitle nor names.
        return "", end
    return _without_marks(clean_field(subtitle)), end


# The last word of a body's name ("European Food Safety Authority", set as a report's author).
_BODY_ENDS = {
    "authority", "agency", "commission", "ministry", "council", "service", "institute",
    "foundation", "society", "association", "federation", "trust", "organisation",
    "organization", "secretariat", "bureau", "directorate", "administration", "office",
    "consortium", "alliance", "panel",
}  # fmt: skip


def _names_a_body_at_end(text: str) -> bool:
    """A line that is a body's name in capitals ("European Food Safety Authority"): every word
    capitalised and the last one a body's, as a report names its author under the title."""
    words = re.findall(r"[^\W\d_]+", text)
    return (
        len(words) >= 2
        and words[-1].casefold() in _BODY_ENDS
        and all(w[0].isupper() or w in _FUNCTION_WORDS for w in words)
    )


# F1000Research's note of the version and its review at a title's end ("and direct age
# estimates [v2; ref status: indexed, http://f1000r.es/4fj]"): no words of the title.
_VERSION_NOTE = re.compile(r"\s*\[[^\]]*(?:https?:|ref status)[^\]]*\]?\s*$", re.IGNORECASE)


# Words a line of a title may break after in the middle of a phrase.
_FUNCTION_WORDS = {
    "a", "an", "the", "of", "and", "or", "for", "in", "on", "to", "with", "by", "from", "at",
    "as", "into", "its", "their", "via", "vs", "versus", "under", "over", "between", "through",
}  # fmt: skip
# ... and in the other languages of theses' covers (articles and particles too, which
# _FUNCTION_WORDS leaves out because they open family names: "de Jesus", "da Silva").
_LINE_BREAK_WORDS = _FUNCTION_WORDS | {
    "e", "y", "et", "und", "di", "da", "de", "del", "della", "delle", "dei", "degli", "per",
    "tra", "nel", "nella", "con", "para", "por", "pour", "sur", "dans", "avec", "des", "du",
    "la", "le", "les", "el", "los", "las", "il", "gli", "für", "von", "zur", "zum", "der", "die",
    "das", "em", "com", "do", "dos", "na", "no",
}  # fmt: skip


# A capitalised article opening a line: English, French, Spanish, Italian, German, Portuguese
# ("Revisiter le mythe d'Alice" / "Le personnage d'enfant-femme chez Raymond Queneau").
_OPENING_ARTICLE = re.compile(
    r"(?:(?:A|An|The|Le|La|Les|Un|Une|El|Los|Las|Il|Gli|Der|Das|Ein|Eine|Um|Uma)\s+|L['\u2019])"
    r"[^\W\d_]"
)


def _subtitle_line(above: str, line: str) -> bool:
    """True when a line of a title in the title's own type starts a subtitle: it opens with a
    capitalised article ("A Study in Function Estimation and Symbolic Regression" under "RARE:
    Robustness Assessment and Regularized Enhancement"; or "Le", "La", "Der"...), which in the
    middle of a title is written in lower case, and the line above ends a phrase. Titles in
    capitals say nothing."""
    last = above.split()[-1].casefold() if above.split() else ""
    return (
        bool(_OPENING_ARTICLE.match(line))
        and not line.isupper()
        # "EPITAXIS" / "A System for Syntactic and Semantic ...": a name in capitals, then a
        # line in lower case; a second line in capitals says nothing.
        and (not above.isupper() or len(above.split()) <= 2)
        and not above.rstrip().endswith((":", ";", ",", "\u2014", "\u2013", "-"))
        and last not in _FUNCTION_WORDS
    )


# A journal's section in capitals run into the title's line in the title's type ("PERSPECTIVE
# Macroevolutionary perspectives to environmental change", Ecology Letters).
_KIND_PREFIX = re.compile(r"^([A-Z][A-Z ]+?)\s+(?=[A-Z][a-z])")


def _without_kind_prefix(text: str) -> str:
    match = _KIND_PREFIX.match(text)
    return text[match.end() :] if match and _is_kind(match.group(1)) else text


def _without_marks(title: str) -> str:
    """A title without the footnote marks after it ("... 5-10 year olds☆☆★", "...
    sclerosis*"): full stops, commas, asterisks, daggers and other symbols at its end."""
    end = len(title)
    while end and (
        title[end - 1] in " .*\u2217†‡,|" or unicodedata.category(title[end - 1]) == "So"
    ):
        end -= 1
    return title[:end]


def _runs_on(text: str) -> bool:
    """True for a line of a title that goes on with the sentence of the line above (it starts
    in lower case: "matter volume in patients receiving natalizumab", "during 2007-2008"), which
    the checks for banners would stop at a word such as "volume" or at a year."""
    return (
        text[:1].islower()
        and not re.search(r"@|https?:|www\.|©|\bdoi\b|\bissn\b", text, re.IGNORECASE)
        and len(_OCR_NOISE.findall(text)) < 2
    )


def _logo(line: Line, lines: list[Line]) -> bool:
    """True for a journal's name set as a logo over the title: a few words in lower case that
    the page spells again without spaces in its address or venue line (MDPI's "marine drugs"
    and "www.mdpi.com/journal/marinedrugs")."""
    text = line.text.strip()
    if not text or text != text.lower() or len(text.split()) > 3:
        return False
    spelled = "".join(text.split())
    return len(spelled) >= 5 and any(
        other is not line and spelled in other.text.casefold().replace(" ", "") for other in lines
    )


def _lead_in(lines: list[Line], i: int) -> bool:
    """True when line ``i`` is the first line of a paragraph set large (a magazine's lead-in,
    "A distributed computation consists of a set of processes that cooperate" / "to achieve a
    common goal."): the sentence runs on, in lower case, into a much smaller line under it."""
    if i + 1 >= len(lines):
        return False
    line, after = lines[i], lines[i + 1]
    return (
        after.size < 0.7 * line.size
        and 0 < line.y - after.y <= 1.6 * line.size
        and after.text[:1].islower()
        and not line.text.rstrip().endswith((".", ":", "?", "!"))
        and len(line.text.split()) >= 6
    )


def _repeated_with_numbers(i: int, lines: list[Line]) -> bool:
    """True when another line of the page starts with the words of line ``i`` (or of the line
    above it and this one: "ICES Journal of" / "Marine Science", a masthead on two lines) and
    goes on with a year among numbers: a venue line naming the journal that this line names in
    large type."""
    line = lines[i]
    own = _folded_words(line.text)
    starts = [own]
    if i and 0 < lines[i - 1].y - line.y <= 2 * max(line.size, lines[i - 1].size):
        starts.append(_folded_words(lines[i - 1].text) + own)
    return (
        len(own) >= 4
        and any(
            other is not line
            and (text := _folded_words(other.text)).startswith(start)
            # A venue line dates its volume; the body's "Carnosic acid (1) was first ..." does not.
            and re.search(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)", text[len(start) :])
            for other in lines
            for start in starts
        )
    )


def _folded_words(text: str) -> str:
    return "".join(text.casefold().split())


def _name_alone(text: str) -> bool:
    """True for a text that is one person's name and nothing else ("FERNANDO MEIRELES")."""
    pieces = _pieces(text)
    return (
        len(pieces) == 1
        and 2 <= len(pieces[0].split()) <= 4
        and _name_like(pieces[0])
        and not _words_of(text) & (_AFFILIATION_WORDS | _NEVER_IN_NAMES | _FUNCTION_WORDS)
    )


def _name_over_title(i: int, lines: list[Line]) -> bool:
    """True for a person's name alone in the title's type on a cover, set apart above the
    title ("FERNANDO MEIRELES" over "COALIZÕES GOVERNAMENTAIS ..." on a Brazilian thesis)."""
    line = lines[i]
    if not _name_alone(line.text):
        return False
    below = next((after for after in lines[i + 1 : i + 12] if after.size >= line.size - 0.3), None)
    return (
        below is not None
        # A Russian name with its patronymic ("Кузнецова Мария Павловна") is a person's
        # however close it stands.
        and (line.y - below.y > 3 * line.size or written_family_first(line.text))
        and len(below.text.split()) >= 3
        and _title_like(below.text)
    )


def _names_line(line: Line) -> bool:
    """True for a line of names in a citation's form under a title set in the same type
    ("Weigelt, B", "Salden, A.H.; Goedvolk, E.-J."): a repository's cover prints them so."""
    pieces = _given_first(_pieces(line.marked), first_line=True)
    return (
        bool(pieces)
        and bool(re.search(r"[,;]", line.text))
        and all(map(_name_like, pieces))
        and any(_INITIAL.match(piece.split()[0]) for piece in pieces)
    )


def _list_of_names(line: Line) -> bool:
    """True for a line listing two names or more, the last maybe a given name whose family
    name goes on to the next line ("Adalena V. Nanni, Alison M. Morse, ..., Jessica")."""
    pieces = _pieces(line.marked)
    named = pieces[:-1] if pieces and len(pieces[-1].split()) == 1 else pieces
    return len(named) >= 2 and all(map(_name_like, named))


# A title candidate: the index of its first and last line and its text.
Block = tuple[int, int, str]
# The features of a title candidate, by name, in the order the model's weights go with.
TITLE_FEATURES = (
    "bias", "size_ratio", "largest_size", "second_size", "size_rank", "height", "order",
    "log_words", "title_length", "one_word", "capitalised", "all_capitals", "banner",
    "title_like", "full_stop", "digits", "affiliation", "names", "colon", "lines",
    "heading", "kind", "larger_than_body",
)  # fmt: skip


def title_blocks(lines: list[Line]) -> list[Block]:
    """The title candidates of a page: each run of consecutive lines in one size (a title goes
    on over at most six lines), among the first 60 lines."""
    blocks: list[Block] = []
    for i in range(min(len(lines), 60)):
        size = lines[i].size
        if (
            i
            and abs(lines[i - 1].size - size) <= 0.5
            and 0 < lines[i - 1].y - lines[i].y <= 2.5 * size
        ):
            continue  # inside a block that started above
        parts, last = [lines[i].text], i
        for j in range(i + 1, min(i + 6, len(lines))):
            line, previous = lines[j], lines[j - 1]
            if (
                abs(line.size - size) > 0.5
                or not 0 < previous.y - line.y <= 2.5 * size
                or _names_line(line)
                or _list_of_names(line)
            ):
                break
            parts.append(line.text)
            last = j
        text = parts[0]
        for part in parts[1:]:
            text = text + part if text.endswith("-") else f"{text} {part}"
        text = clean_field(text).rstrip(" .*\u2217†‡,")
        if sum(c.isalpha() for c in text) >= 4:
            blocks.append((i, last, text))
    return blocks


def title_features(lines: list[Line], body: float, block: Block) -> list[float]:
    """What a title candidate looks like, as numbers (see :data:`TITLE_FEATURES`)."""
    first, last, text = block
    line = lines[first]
    top = lines[:60]
    sizes = sorted({round(other.size * 2) / 2 for other in top}, reverse=True)
    rank = sizes.index(round(line.size * 2) / 2)
    heights = [other.y for other in top]
    words = text.split()
    values = (
        1.0,
        min(line.size / body, 4.0) if body else 1.0,
        rank == 0,
        rank == 1,
        min(rank, 5) / 5,
        (line.y - min(heights)) / (max(heights) - min(heights) + 1e-6),
        first / 60,
        math.log(len(words) + 1),
        3 <= len(words) <= 30,
        len(words) == 1,
        sum(word[:1].isupper() for word in words) / max(len(words), 1),
        text.isupper(),
        bool(_BANNER.search(text)),
        _title_like(text),
        text.endswith("."),
        sum(c.isdigit() for c in text) / len(text),
        bool(_words_of(text) & _AFFILIATION_WORDS),
        _names_line(line),
        ":" in text,
        (last - first + 1) / 6,
        bool(_ABSTRACT_HEADING.match(text) or _BODY_START.match(text) or _CAPTION.match(text)),
        _is_kind(text),
        bool(body) and line.size >= body * 1.15,
    )
    return [float(value) for value in values]


def _ranked_title(lines: list[Line], body: float) -> tuple[str, int]:
    """The title the learned ranker is sure of (its probability over the model's threshold)
    and the index of its last line, or ("", -1)."""
    blocks = title_blocks(lines)
    if not blocks:
        return "", -1
    chances = title_model.probabilities([title_features(lines, body, b) for b in blocks])
    best = max(range(len(blocks)), key=chances.__getitem__)
    _first, last, text = blocks[best]
    if chances[best] < title_model.threshold() or not 2 <= len(text.split()) <= _MAX_TITLE_WORDS:
        return "", -1
    return text, last


def _is_cjk(char: str) -> bool:
    return unicodedata.name(char, "").startswith(("CJK", "HANGUL"))


# Words of affiliations that are also common names, and where in a name they stand: "Alison
# Hall", "Jiyoung Park" (last), "France Légaré" (first).
_ALSO_NAMES = {"hall": -1, "park": -1, "france": 0}
# Endings of plural abstract nouns, which no family or given name has ("Transformations").
_NOUN_ENDING = re.compile(r"(?:tions|ments|ities|ologies|isms)$", re.IGNORECASE)


def _name_like(piece: str) -> bool:
    tokens = piece.split()
    if not 1 <= len(tokens) <= 5 or (len(tokens) > 1 and len(set(tokens)) == 1):
        return False  # "Aa Aa Aa": a page's type-size buttons, no name
    if len(tokens) == 1:
        # A lone word is a name only in scripts written without spaces (王小明).
        return 2 <= len(piece) <= 4 and all(_is_cjk(c) for c in piece)
    if any(
        t.casefold().strip(".") in _AFFILIATION_WORDS | _NEVER_IN_NAMES
        and not (
            len(tokens) <= 3
            and t[:1].isupper()
            and _ALSO_NAMES.get(t.casefold()) in (i, i - len(tokens))
        )
        for i, t in enumerate(tokens)
    ):
        return False
    if any(stem in t.casefold() for t in tokens for stem in _AFFILIATION_STEMS):
        return False
    if any(_NOUN_ENDING.search(t) for t in tokens):
        return False  # "Consistency-Improving Transformations": a title's words
    # "AN ZHU" in an ACM journal's capitals: "An" is a given name there, not an article.
    article_first = tokens[0].casefold() in _NOT_NAMES and not (
        tokens[0] == "AN" and len(tokens) == 2 and piece.isupper()
    )
    if article_first or tokens[-1].casefold() in _NOT_NAMES:
        return False
    if _is_acronym(tokens[0]) and not piece.isupper():
        return False  # "UCSD Health", "MIT Media Lab": an institution's acronym first
    if len(tokens) >= 3 and re.fullmatch(r"[A-Z]{2}", tokens[0]) and not piece.isupper():
        return False  # "UC San Diego", "TU Berlin Campus": two capitals are no given name
    last = tokens[-1]
    if _INITIAL.match(last) or len(last.strip(".")) < 2:
        return False
    if len(last) <= 3 and last.isupper() and not piece.isupper() and not _short_family(tokens):
        return False  # "London SE", "Kansas City MO": a postcode or a state, not a name
    for i, token in enumerate(tokens):
        if _INITIAL.match(token):
            continue
        if token.casefold() in _PARTICLES and 0 < i < len(tokens) - 1:
            continue
        # "Md. Hassan uz-Zaman", "al-Khalili": a lower-case prefix joined to a family name.
        if i == len(tokens) - 1 and re.fullmatch(r"[a-z]{1,3}-[A-Z][\w'\u2019-]+", token):
            continue
        core = token.replace("-", "").replace("'", "").replace("\u2019", "").replace(".", "")
        # "d'Ávila", "d'Alembert": an elided particle before a capital.
        elided = re.match(r"[dl]['\u2019][^\W\d_]", token) and token[2].isupper()
        if not core.isalpha() or not (token[0].isupper() or elided):
            return False
    return True


def _display_name(piece: str) -> str:
    tokens = piece.split()
    if all(t.isupper() for t in tokens if len(t.strip(".")) > 1):
        # "TAL AUGUST" as printed in small capitals by ACM templates: "Tal August".
        # ("K.M. ABRAMSKI": initials of two letters stay as they are.)
        tokens = [
            t if _INITIAL.match(t) else "-".join(p.capitalize() for p in t.split("-"))
            for t in tokens
        ]
    else:
        family = _capitals_family(tokens)
        # "Ross G. DOUGLAS": a family name in capitals after a given name in mixed case.
        tokens = [
            "-".join(p.capitalize() for p in t.split("-"))
            if t.isupper() and len(t.strip(".")) >= 3 and not _INITIAL.match(t)
            else t
            for t in tokens
        ]
        if family:
            # "Shiva KAZEMPOUR DEHKORDI", "Ana Cristina FRANCO DA SILVA": the capitals say
            # where the family name starts, which "Given Family" would lose; a citation's
            # "Family, Given" keeps it ("Kazempour Dehkordi, Shiva").
            return f"{family}, {' '.join(tokens[: -len(family.split())])}"
    return " ".join(tokens)


# Two or three capitals closing an address: US states, countries' codes.
_STATE_CODES = {
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
    "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ",
    "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT",
    "VA", "WA", "WV", "WI", "WY", "DC", "UK", "USA", "UAE", "PRC", "ROC", "EU", "SE", "SW",
    "NW", "EC", "WC",
}  # fmt: skip


def _short_family(tokens: list[str]) -> bool:
    """True for a short family name in capitals after a given name in mixed case ("Carl LI",
    "Wei LIU"), which a state's or a country's code is not ("Kansas City MO")."""
    last = tokens[-1]
    return (
        last not in _STATE_CODES
        and last.isalpha()
        and len(last) >= 2
        and any(c in "AEIOUY" for c in last)
        and tokens[0][:1].isupper()
        and any(c.islower() for c in tokens[0])
        and not _words_of(" ".join(tokens)) & (_AFFILIATION_WORDS | _NEVER_IN_NAMES | _PLACES)
    )


def _capitals_family(tokens: list[str]) -> str:
    """The family name of several words that a name in mixed case prints in capitals after
    its given names ("FRANCO DA SILVA" of "Ana Cristina FRANCO DA SILVA": "Franco da Silva"),
    or "" when the capitals are one word, or a particle and one word (the usual reading of
    "Given Family" finds those)."""
    start = len(tokens)
    while start > 1 and (
        tokens[start - 1].isupper()
        and len(tokens[start - 1].strip(".")) >= 2
        and not _INITIAL.match(tokens[start - 1])
    ):
        start -= 1
    family = tokens[start:]
    given = tokens[:start]
    words = [t for t in family if t.casefold() not in FAMILY_PARTICLES]
    if len(words) < 2 or not any(t[:1].isupper() and not t.isupper() for t in given):
        return ""
    return " ".join(
        t.casefold()
        if i and t.casefold() in FAMILY_PARTICLES
        else "-".join(p.capitalize() for p in t.split("-"))
        for i, t in enumerate(family)
    )


# An ORCID iD written out beside a name, its bracket sometimes closing on the next line
# ("Varsha S. Pathare (ORCID:" / "0000-0001-6220-7531), Patricia Rivera").
_ORCID_TEXT = re.compile(
    r"\(?\s*ORCID(?:\s*iD)?\s*:?\s*(?:\d{4}-){0,3}(?:\d{3}[\dX])?\s*\)?|^\s*(?:\d{4}-){3}\d{3}[\dX]\)?",
    re.IGNORECASE,
)
_ORCID_ICON = re.compile(r"(?<=[a-z\u00df-\u024f])ID(?=[\s|,;]|$)")


def _pieces(marked: str) -> list[str]:
    """The names (and whatever else) a line of a byline holds, marks and separators cut off.
    The same line is cut many times over while the header is read (once per rule that looks
    at it), so the cut is kept; the caller gets a list of its own."""
    return list(_cut_pieces(marked))


@lru_cache(maxsize=1024)
def _cut_pieces(marked: str) -> tuple[str, ...]:
    text = _EMAIL.sub("|", fix_accents(_glyphs(_ORCID_TEXT.sub("|", marked))))
    # RSC prints each name's letters after a comma ("Legault,a Derek P."): there a list of
    # letters ("Whitfield,b,c and") follows the comma, never a letter glued to the name.
    glued_letters: set[str] = set()
    if not _LETTERS_AFTER_COMMA.search(text):
        glued_letters = set(re.findall("[a-z]", "".join(_GLUED_LETTERS.findall(text))))
        text = _GLUED_LETTERS.sub("|", text)
        if glued_letters:
            text = _GLUED_AT_END.sub("|", text)
    text = re.sub(r"\([^)]*\)", "|", text)  # "(  )", "(corresponding)"
    text = re.sub(r"\[[^\]]{0,12}\]", "|", text)  # "Anna Petrova [1]"
    text = _MARKS.sub("|", text)
    # PLOS's ORCID icon is read as the letters "ID" glued to the name ("Elie AntounID").
    text = _ORCID_ICON.sub("|", text)
    if glued_letters:
        # "Joey R. Bernhardta,b,1 and Mary I. O'Connora": on a line that glues its letter lists
        # to the names, a name's last letter before a mark or the end, one of those letters,
        # is glued too (PNAS).
        letters = "".join(sorted(glued_letters))
        text = re.sub(rf"(?<=[^\W\d_]{{3}})[{letters}](?=\s*(?:\||$))", "|", text)
    text = _RUN_TOGETHER.sub(" ", text)
    # "Zulema Núñez- Tobajas": a hyphenated family name broken at its hyphen (Wiley's).
    text = re.sub(r"(?<=[^\W\d_])([-\u2010]) (?=[^\W\d_])", r"\1", text)
    text = _CAMEL_WORD.sub(_split_camel, text)
    text = re.sub(r"^\s*(?:by|von|par|автор[ыа]?:?|authors?:)\s+", "", text, flags=re.IGNORECASE)
    pieces = [clean_field(p).strip(" :") for p in _SEPARATORS.split(text)]
    pieces = [half for piece in pieces for half in _two_joined_names(piece)]
    # "Legault,a Derek P. Fraser-Halberg": an affiliation letter left before the next name.
    pieces = [re.sub(r"^[a-z]{1,2}\s+(?=[^\W\d_])", "", p) for p in pieces]
    pieces = [_drop_trailing_letters(p) for p in pieces]
    # "Dr. Anna Petrova", "Prof. James Whitfield": the honorific is no part of the name.
    pieces = [_HONORIFIC.sub("", p) for p in pieces]
    pieces = [_drop_acronym(p) for p in pieces]
    # A full stop after a name ends a sentence; after an initial it belongs to it.
    return tuple(p if _initials(p.split()[-1]) else p.rstrip(".") for p in pieces if p.strip("."))


def _two_joined_names(piece: str) -> list[str]:
    """Two whole names joined by Spanish "y" or Portuguese "e" ("Matías Nicolás Incem y
    Alejandra Alicia Rodríguez"), apart; a family name joined by "y" ("José Ortega y Gasset")
    stays whole."""
    match = re.fullmatch(r"(.+?) (?:y|e) (.+)", piece)
    if match and all(len(half.split()) >= 2 and _name_like(half) for half in match.groups()):
        return list(match.groups())
    return [piece]


def _drop_trailing_letters(piece: str) -> str:
    """ "Shuanglong Wang c", "Ana Silva ab": affiliation letters set apart after a name (their
    run at the name's size, so no layout tells them). A particle ending a line ("Ana Cristina
    Franco da" / "Silva") is the start of a family name, kept."""
    tokens = piece.split()
    while (
        len(tokens) >= 3
        and re.fullmatch(r"[a-z]{1,2}", tokens[-1])
        and tokens[-1] not in _PARTICLES
        and tokens[-1] != "y"
        # "Ricardo Lopez-Maldonado b": a hyphenated family name takes its letters off too, and
        # so does a suffix ("Richard D. Methot Jr. a").
        and (
            re.fullmatch(r"[^\W\d_][^\W\d_'\u2019.-]+(?:-[^\W\d_]+)*", tokens[-2])
            or tokens[-2].casefold() in NAME_SUFFIXES
        )
        and tokens[-2][:1].isupper()
    ):
        tokens.pop()
    return " ".join(tokens)


def _two_names(piece: str) -> list[str]:
    """Two people (or three or four) set side by side on a line with no separator that pypdf
    keeps: "Yusuke Shinyama Satoshi Sekine" (four plain words), "Ruifang Ge Raymond J. Mooney"
    (a middle initial in the fourth word's place), "Ingo Maier Tiark Rompf Martin Odersky".
    Alone on its line, a name of four plain words is rarer than two names of two (in a list
    with commas it is not: "Jorge Javier Muso Cachumba")."""
    tokens = piece.split()
    if _words_of(piece) & (_AFFILIATION_WORDS | _NEVER_IN_NAMES):
        return [piece]  # "South African Astronomical Observatory"
    plain = [
        len(t) >= 2
        and t.isalpha()
        and t[0].isupper()
        and not t.isupper()
        and t.casefold() not in _PARTICLES
        for t in tokens
    ]
    if len(tokens) in (4, 6, 8) and all(plain):
        # "Ingo Maier Tiark Rompf Martin Odersky": three or four names of two words each.
        return [" ".join(tokens[i : i + 2]) for i in range(0, len(tokens), 2)]
    if len(tokens) == 5 and all(plain[:3]) and _INITIAL.match(tokens[3]) and plain[4]:
        return [" ".join(tokens[:2]), " ".join(tokens[2:])]
    return [piece]


def _is_acronym(word: str) -> bool:
    return len(word) >= 3 and word.isalpha() and word.isupper()


def _drop_acronym(piece: str) -> str:
    """ "J. C. Yun FNAL": a word in capitals after a family name in mixed case is the
    affiliation's acronym (a family name in capitals follows a given name: "Ross G. DOUGLAS")."""
    tokens = piece.split()
    if (
        len(tokens) >= 3
        and _is_acronym(tokens[-1])
        and not _INITIAL.match(tokens[-2])
        and not tokens[-2].isupper()
    ):
        return " ".join(tokens[:-1])
    return piece


def _initials(piece: str) -> bool:
    return all(_INITIAL.match(token) for token in piece.split())


def _family_alone(piece: str) -> bool:
    """True for a family name written alone: one capitalised word, or particles before it
    ("Ter Doest", "van Zuylen", "de la Cruz")."""
    *particles, last = piece.split() or [""]
    return last.istitle() and all(word.casefold() in FAMILY_PARTICLES for word in particles)


_VANCOUVER_NAME = re.compile(r"([A-Z][^\W\d_]+(?:[-' ][A-Z][^\W\d_]+)?) ([A-Z]{1,3})")


def _vancouver_list(pieces: list[str]) -> bool:
    """True for three names or more in Vancouver's form, each a family name and its initials
    ("Kawaka J, Samoilys MA, Church J, Maina GW")."""
    return len(pieces) >= 3 and all(
        (match := _VANCOUVER_NAME.fullmatch(piece)) and not match.group(1).isupper()
        for piece in pieces
    )


def _given_first(pieces: list[str], first_line: bool) -> list[str]:
    """Names written family name first turned round: "Petrova, Anna" and "Smith, J., Jones,
    K. L." (pairs), "Иванов И. И." (initials after the name)."""
    families, givens = pieces[::2], pieces[1::2]
    if (
        len(pieces) >= 2
        and len(pieces) % 2 == 0
        and all(map(_family_alone, families))
        # A lone given name is believed only on the first line: "Boston, Massachusetts" is not
        # a person, "Smith, J." is.
        and all(
            _initials(g) or (first_line and len(g.split()) == 1 and g.istitle()) for g in givens
        )
    ):
        pieces = [f"{given} {family}" for family, given in zip(families, givens, strict=True)]
    elif _vancouver_list(pieces):
        # "MA" and "GW" are initials too there, not words.
        return [" ".join(reversed(_VANCOUVER_NAME.fullmatch(p).groups())) for p in pieces]
    turned = []
    for piece in pieces:
        tokens = piece.split()
        if len(tokens) >= 2 and not _INITIAL.match(tokens[0]) and _initials(" ".join(tokens[1:])):
            piece = " ".join([*tokens[1:], tokens[0]])
        turned.append(piece)
    return turned


def _find_authors(lines: list[Line], start: int) -> list[str]:
    """Names on the lines after the title, up to the abstract or the body text."""
    names: list[str] = []
    # The last line ended on a name with no mark or comma after it: a name broken across
    # lines ("Benjamin Charles Germain" / "Lee") continues with the next line's first word.
    open_name = False
    # ... and that name is in capitals ("and K.M. ABRAMSKI"): it goes on in capitals only.
    open_in_capitals = False
    # A lone given name closing a line ("..., Ana Dias1, Connor" / "Clairmont1,4, Mai Tran").
    given = ""
    # Once an affiliation has been printed under the names, a later line counts only when it
    # is all names (an author block per column); "Kansas City, Missouri" is not.
    affiliated = False
    previous_y = float("nan")  # the baseline of the line before (names go on after a mark)
    name_size = 0.0  # the size the first names are set in
    name_line: Line | None = None  # the first line of names
    for i, line in enumerate(lines[start : start + 30], start):
        text = line.text
        if i + 1 < len(lines) and _YEAR_IN_LINE.fullmatch(lines[i + 1].text.strip()):
            continue  # "PORTO ALEGRE" / "2015": a cover's imprint, its place over its year
        if (
            _ABSTRACT_HEADING.match(text)
            or _BODY_START.match(text)
            or _STRUCTURED_ABSTRACT.match(text)
            or _NOTES_START.match(text)
            or _SUPERVISORS.match(text)
            # The degree a thesis is for, after its author's name (an American cover prints
            # the name under it).
            or (names and _STATEMENT.match(text))
            # A line of prose, not of names (a long list of names has its separators). Only
            # words count: "SCOTT W. IMBUS 1, MICHAEL H. ENGEL 1*, ..." is four names.
            or (
                sum(bool(re.search(r"[^\W\d_]", word)) for word in text.split()) > 16
                and len(re.findall(r"[,;\u00b7]", text)) < 3
            )
        ):
            break
        if _is_kind(text):
            continue  # "SUPPLEMENTARY DOCUMENTATION" under the title, in its type
        if names and line.size > 1.3 * name_size:
            continue  # a figure's words in large type drawn among the names ("Paper Search")
        if _YEAR_IN_LINE.search(text) or _DAY_AND_MONTH.search(text):
            # "Demo Conservation Archive, 2024", "May 5, 2023": a date or venue line.
            open_name, given = False, ""
            continue
        if _POSTCODE.search(text) and not _name_with_institution(line):
            # "Olden Lane, Princeton, NJ 08540, USA", "Dan T Gillespie Consulting, Castaic,
            # California 91384": an address, whose street or firm reads like a name.
            affiliated, open_name, given = True, False, ""
            continue
        if names and previous_y - line.y > 4 * line.size:
            break  # far under the names: a cover's place at its foot ("Belo Horizonte")
        same_baseline = abs(line.y - previous_y) < 1
        previous_y = line.y
        opening = _ORCID_TEXT.sub("", line.marked)
        if names and not same_baseline and re.match(r"\s*(?:\||\d|[*†‡§¶])", opening):
            # "3Antibody Discovery and ...": a line opening with a mark is an affiliation's.
            affiliated, open_name, given = True, False, ""
            continue
        pieces = _given_first(_pieces(line.marked), first_line=not names)
        pieces = [
            p
            for p in pieces
            if not (_DEGREES.match(p) or _GRADES.match(p) or (len(p) <= 2 and p.islower()))
        ]
        pieces = _rejoined_names(pieces)
        if len(pieces) == 1:
            # A line of one "name" with no separator at all may hold two names side by side.
            pieces = _two_names(pieces[0])
        first_is_word = (
            bool(pieces)
            and len(pieces[0].split()) == 1
            and pieces[0][:1].isupper()
            # "Ignacio R. Matias" / "Electrical and Electronic Engineering": no name's end.
            and not _words_of(pieces[0]) & (_AFFILIATION_WORDS | _NEVER_IN_NAMES)
            # "J. C. Yun" / "FNAL, Batavia, IL": an acronym opening the next line is the
            # affiliation's, not the end of the name (in a byline set in capitals, "ARNE" /
            # "RAU, JASON A. SURACE" is).
            and not (_is_acronym(pieces[0]) and names and not _in_capitals(name_line))
        )
        if open_name and first_is_word and (not open_in_capitals or pieces[0].isupper()):
            # (Not "Laser" of "Laser and Fibre Electronics Group" under "K.M. ABRAMSKI".)
            names[-1] = _display_name(f"{names[-1]} {pieces.pop(0)}")
        elif given and first_is_word:
            pieces[0] = f"{given} {pieces[0]}"
        open_name, given = False, ""
        if (
            affiliated
            and line.size < name_size - 0.3
            and not (_in_capitals(name_line) and _capitals_name_line(line))
        ):
            # "Cape Town", "La Serena": a place on its own line in the affiliations' smaller type.
            continue
        if (
            affiliated
            and not all(map(_name_like, pieces))
            # "KYLE LO, Allen Institute for AI, USA": a name with its affiliation (ACM).
            and not (_name_like(pieces[0]) and _words_of(" ".join(pieces[1:])) & _AFFILIATION_WORDS)
        ):
            continue
        earlier = len(names)  # names read on the lines before this one
        for i, piece in enumerate(pieces):
            if _mononym(piece, pieces[i + 1 :], bool(names)):
                names.append(piece)
                continue
            if not _name_like(piece):
                ends_line = i == len(pieces) - 1 and not re.search(
                    r"[|,;&]\s*$", _MARKS.sub("|", line.marked)
                )
                # (An initial too: "..., C.-E. Gabriel, and S." / "Clay".)
                if ends_line and names and re.fullmatch(r"[^\W\d_](?:[^\W\d_'\u2019-]+|\.)", piece):
                    given = piece if piece[0].isupper() else ""
                # "TAL AUGUST, University of Washington, USA": the rest is an affiliation.
                affiliated = affiliated or (
                    bool(names)
                    # (The label "Authors:" opening the line is none of its words.)
                    and bool(_words_of(_BYLINE_LABEL.sub("", text, count=1)) & _AFFILIATION_WORDS)
                )
                if (
                    earlier
                    and (
                        (i >= 2 and _affiliation_end(pieces[i:]))
                        # "Cape Town, South Africa" under the names: a city, not a person.
                        or (i == 1 and _place_end(pieces[i:]))
                        # "Comparative Cognition, Messerli Research Institute, ..." in a
                        # type smaller than the names': a department, its mark on a line
                        # of its own.
                        or (
                            line.size < name_size - 0.3
                            and bool(_words_of(piece) & _AFFILIATION_WORDS)
                        )
                    )
                ):
                    # "Nektar Therapeutics, San Francisco, CA, USA" under the names: what
                    # read as names on this line were the affiliation's words (one name then
                    # an affiliation is ACM's "LUCY LU WANG, University of Washington, USA").
                    del names[earlier:]
                break
            names.append(_display_name(piece))
            name_size = name_size or line.size
            name_line = name_line or line
        else:
            # Only a line listing names runs on: one name alone on its line is whole ("Anna
            # Petrova" / "Oslo, Norway" is a name and its place).
            open_name = len(names) - earlier >= 2 and not re.search(
                r"[|,;&]\s*$", _MARKS.sub("|", line.marked)
            )
            open_in_capitals = open_name and pieces[-1].split()[-1].isupper()
    return _distinct(names)


def _one_name_of_four_words(authors: list[str], lines: list[Line]) -> list[str]:
    """A thesis's author of four words, alone on the cover's line ("Ana Beatriz Coelho
    Rodrigues", "John Jairo Leal Gómez"), as one name: :func:`_two_names` reads such a line
    as two people, as a paper's byline would more often be."""
    if len(authors) == 2:
        joined = _folded_words(" ".join(authors))
        if any(_folded_words(line.text) == joined for line in lines):
            return [_display_name(" ".join(authors))]
    return authors


def _rejoined_names(pieces: list[str]) -> list[str]:
    """Pieces with a name that a mark cut in two put back together ("ALESSANDRA", "CORSI"
    around a raised mark): two lone words that make a name, between two names of the list."""
    joined = list(pieces)
    i = 0
    while i + 1 < len(joined):
        first, second = joined[i], joined[i + 1]
        before, after = joined[i - 1] if i else "", joined[i + 2] if i + 2 < len(joined) else ""
        if (
            len(first.split()) == len(second.split()) == 1
            and _name_like(both := f"{first} {second}")
            and _name_like(before)
            and _name_like(after)
        ):
            joined[i : i + 2] = [both]
        i += 1
    return joined


def _name_with_institution(line: Line) -> bool:
    """True for a line of a name and its institution ("C. Contreras, Michigan State
    University, 48823 East Lansing, MI, USA")."""
    pieces = _pieces(line.marked)
    return (
        len(pieces) > 1
        and _name_like(pieces[0])
        and bool(_words_of(" ".join(pieces[1:])) & _INSTITUTION_WORDS)
    )


def _in_capitals(line: Line | None) -> bool:
    """True for a line whose letters are all capitals."""
    letters = [c for c in line.text if c.isalpha()] if line else []
    return bool(letters) and all(c.isupper() for c in letters)


def _capitals_name_line(line: Line) -> bool:
    """True for a line of names in capitals under names in capitals, each over its affiliation
    (a 1968 layout: "NOYE M. JOHNSON" / "Earth Sciences Department, Dartmouth College" /
    "Hanover, New Hampshire" / ... / "F. H. BORMANN"), even when set in the affiliations'
    smaller type: an address is in mixed case."""
    if not _in_capitals(line):
        return False
    pieces = _pieces(line.marked)
    return bool(pieces) and all(
        _name_like(piece) and not _words_of(piece) & _PLACES for piece in pieces
    )


def _mononym(piece: str, after: list[str], named: bool) -> bool:
    """True for a person known by one name in a list of names ("Shi Xu, Mausam, and Oren
    Etzioni"): a lone capitalised word with names before it and a name right after it."""
    return (
        named
        and bool(after)
        and _name_like(after[0])
        and len(piece) >= 3
        and piece.isalpha()
        and piece.istitle()
        and not _words_of(piece) & (_AFFILIATION_WORDS | _NEVER_IN_NAMES | _NOT_NAMES)
    )


# US states and the countries of the word lists above: what follows a city in an address.
_PLACES = {
    "alabama", "alaska", "arizona", "arkansas", "california", "colorado", "connecticut",
    "delaware", "florida", "georgia", "hawaii", "idaho", "illinois", "indiana", "iowa",
    "kansas", "kentucky", "louisiana", "maine", "maryland", "massachusetts", "michigan",
    "minnesota", "mississippi", "missouri", "montana", "nebraska", "nevada", "ohio",
    "oklahoma", "oregon", "pennsylvania", "tennessee", "texas", "utah", "vermont", "virginia",
    "washington", "wisconsin", "wyoming", "u.s.a", "u.k", "united", "states", "kingdom",
    "republic", "south", "north", "new", "hampshire", "jersey", "mexico", "york", "carolina",
    "dakota", "west", "rhode", "island", "nepal", "bhutan", "mongolia", "kazakhstan",
    "kyrgyzstan", "tajikistan", "pakistan", "afghanistan", "bangladesh", "malaysia",
    "philippines", "tanzania", "uganda", "zambia", "zimbabwe", "botswana", "namibia",
    "mozambique", "ethiopia", "madagascar", "ghana", "cameroon", "congo", "gabon", "senegal",
    "scotland", "england", "wales", "ecuador", "bolivia", "venezuela", "guatemala",
    "costa", "rica", "panama", "uruguay", "paraguay", "estonia", "latvia", "lithuania",
    "ukraine", "belarus", "romania", "bulgaria", "serbia", "croatia", "slovenia", "slovakia",
    "iceland", "luxembourg",
} | {word for word in _AFFILIATION_WORDS | _NEVER_IN_NAMES if word in (
    "usa", "uk", "china", "germany", "france", "japan", "india", "canada", "australia",
    "russia", "belgium", "italy", "spain", "netherlands", "africa", "brazil", "brasil", "chile",
    "mexico", "argentina", "colombia", "peru", "korea", "taiwan", "singapore", "israel", "iran",
    "egypt", "kenya", "nigeria", "switzerland", "sweden", "norway", "denmark", "finland",
    "austria", "poland", "portugal", "greece", "ireland", "zealand", "czech", "hungary",
    "turkey", "vietnam", "thailand", "indonesia",
)}  # fmt: skip


def _place_end(pieces: list[str]) -> bool:
    """True when every piece is a place's end of an address: a state or a country, its code
    ("CA", "USA"), a postcode ("New York, NY 10018, USA", "Cape Town, South Africa")."""
    return bool(pieces) and all(
        re.fullmatch(r"[A-Z]{2,3}(?:\s+[\d-]{4,10})?|[\d -]{4,10}", piece)
        or all(word.strip(".") in _PLACES for word in _words_of(piece))
        for piece in pieces
    )


def _affiliation_end(pieces: list[str]) -> bool:
    """True when a line goes on with an address's end: a state or country code ("CA", "USA")
    or words of an affiliation."""
    return any(
        re.fullmatch(r"[A-Z]{2,3}", piece) or _words_of(piece) & _AFFILIATION_WORDS
        for piece in pieces
    )


def _distinct(names: list[str]) -> list[str]:
    """Each person once: "S. Khanna" in a footnote is "Sanjeev Khanna" of the byline."""
    seen: dict[tuple[str, str], list[str]] = {}
    kept = []
    for name in names:
        tokens = name.split()
        key = (tokens[-1].casefold(), tokens[0][:1].casefold())
        # Two people may share a family name and an initial ("Zhifeng Wang", "Zhen Wang"): a
        # name is a repeat only when it is the same or one of the two gives initials only.
        if any(
            other == name
            or _initials(" ".join(tokens[:-1]))
            or _initials(" ".join(other.split()[:-1]))
            for other in seen.get(key, [])
        ):
            continue
        seen.setdefault(key, []).append(name)
        kept.append(name)
    return kept


def _find_abstract(page_text: str) -> str:
    lines = page_text.splitlines()
    for i, line in enumerate(lines):
        match = _ABSTRACT_HEADING.match(line)
        if not match:
            continue
        rest = line[match.end() :].strip(" .:\u2014\u2013-")
        kept = [rest] if rest else []
        for following in lines[i + 1 :]:
            if _BODY_START.match(following) or following.strip().casefold().startswith(
                ("acm reference format", "permission to make")
            ):
                break
            kept.append(following)
        abstract = normalize_text(fix_accents("\n".join(kept)))
        if len(abstract.split()) >= 15:
            return abstract[:4000]
    return ""


# A memorandum's header: its fields, each a label and its value ("FROM: Ben Williams").
_MEMO = re.compile(r"^\s*(?:inter-?office\s+)?memorandum\b", re.IGNORECASE)
_MEMO_FIELD = re.compile(
    r"^\s*(to|from|date|phone|cc|thru|through|subject|re|subj)\s*:\s*", re.IGNORECASE
)
# A job's title under a name in a memorandum's "FROM:" ("Fisheries Scientist", "Biometrician").
_JOB_WORDS = {
    "scientist", "biometrician", "biologist", "ecologist", "coordinator", "leader", "director",
    "manager", "analyst", "specialist", "officer", "supervisor", "technician", "chief",
    "assistant", "economist", "statistician", "planner", "administrator", "secretary",
}  # fmt: skip


def _memorandum(lines: list[Line]) -> Header | None:
    """A memorandum's subject as its title and the people under "FROM:" as its authors (an
    agency's memo: "MEMORANDUM", "TO:", "FROM: Ben Williams" / "Fisheries Scientist" / "Kray
    Van Kirk", "SUBJECT: 2017 NSEI Sablefish Assessment"); None for any other page."""
    if not any(_MEMO.match(line.text) for line in lines[:8]):
        return None
    subject, authors, sender = "", [], False
    for line in lines[:40]:
        labelled = _MEMO_FIELD.match(line.text)
        if labelled:
            label, value = labelled.group(1).casefold(), line.text[labelled.end() :].strip()
            sender = label == "from"
            if label in ("subject", "re", "subj") and value:
                subject = subject or clean_field(value)
        else:
            value = line.text.strip()
        if sender and value and _name_like(value) and not _words_of(value) & _JOB_WORDS:
            authors.append(_display_name(value))
    return Header(title=subject, authors=authors) if subject else None


def read_header(runs: list[Run], page_text: str) -> Header:
    """The title, authors and abstract printed on a first page, from its runs and text.

    Authors are read only under a title set clearly larger than the body and only when the
    page looks like a paper's (an abstract, an e-mail or an affiliation near the names, or a
    "By ..." line), so that a form's or a table's short lines are not taken for names.
    """
    # Numbers alone on a line are page or line numbers (preprints number every line); a year
    # alone is a cover's date.
    lines = [
        line
        for line in lines_of(runs)
        if not line.text.strip(" .").isdigit() or _YEAR_IN_LINE.fullmatch(line.text.strip(" ."))
    ]
    lines = _rejoin_out_of_order(lines)
    if memo := _memorandum(lines):
        return memo
    body = body_size(runs)
    title, last = _find_title(lines, body)
    if not title and last < 0:
        # No title set larger than the body: the learned ranker tells which block is the title
        # (in bold at the body's size, as preprints set it) when it is sure enough, and the
        # names are read under it. It stays no title of the header's: a line in the body's
        # size is not believed as one (the PDF's title field or the largest text say it).
        last = _ranked_title(lines, body)[1]
    ratio = lines[last].size / body if title and body else 0.0
    if title:
        subtitle, last = _subtitle(lines, last, body)
        title = f"{title.rstrip(' :')}: {subtitle}" if subtitle else title
    abstract = _find_abstract(page_text)
    if last < 0:
        # A title set in the body's size (bold, which the layout does not tell): the names are
        # still read under the first title-like line at the top, with the same checks.
        last = _plain_title_line(lines, body)
    authors = _find_authors(lines, last + 1) if last >= 0 else []
    # A paper's abstract or keywords may name a thesis or a master equation; a cover has none.
    thesis = not abstract and any(_THESIS_COVER.search(line.text) for line in lines[:40])
    if authors and not (
        abstract
        or thesis
        or _looks_like_a_byline(lines[last + 1 : last + 31])
        or _name_column(lines[last + 1 : last + 31])
    ):
        authors = []
    if thesis:
        authors = _one_name_of_four_words(authors, lines)
    if title and not authors:
        authors = _names_above(lines, last, abstract) or _name_set_over(lines, last)
    if not authors:
        authors = _contact_blocks(lines)
    if not authors:
        authors = _author_list(lines)
    if not authors:
        authors = _labelled_names(lines)
    if not authors:
        authors = _form_author(lines)
    if title and not authors:
        authors = _names_below(lines, last, abstract)
    authors = _unglue_listed_letters(authors, page_text)
    authors = [_unglue_letter(name, page_text) for name in authors]
    if title and not authors and any(_SIGNED_KIND.match(line.text) for line in lines[:last]):
        authors = _signature(lines[last + 1 :])
    if authors:
        known_only = not page_in_spanish(page_text)
        authors = [with_both_family_names(name, known_only) for name in authors]
    return Header(title=title, authors=authors, abstract=abstract, title_ratio=round(ratio, 2))


# A word of a title hyphenated at a line's end, joined with its hyphen ("plan-etary").
_HYPHENATED = re.compile(r"(?<![\w-])([^\W\d_]+)-([a-z]+)(?![\w-])")


def mend_broken_words(title: str, page_text: str) -> str:
    """``title`` with a word broken at a line's end made whole ("plan-etary" is "planetary")
    where the page's text writes it whole elsewhere and never with the hyphen; a compound
    ("meta-community", "long-term") keeps its hyphen."""

    def mend(match: re.Match[str]) -> str:
        whole = match.group(1) + match.group(2)
        if re.search(rf"(?<![\w-]){re.escape(whole)}(?![\w-])", page_text, re.I) and not re.search(
            rf"(?<![\w-]){re.escape(match.group(0))}(?![\w-])", page_text, re.I
        ):
            return whole
        return match.group(0)

    return _HYPHENATED.sub(mend, title) if "-" in title else title


def _names_above(lines: list[Line], last: int, abstract: str) -> list[str]:
    """The names of a page that prints its byline above the title (some journals do, and some
    PDFs draw the names before the title): the lines right above the title in the page's
    order, when each is a line of names and the page has an abstract or a byline's signs."""
    first = last
    while first > 0 and abs(lines[first - 1].size - lines[last].size) <= 0.5:
        first -= 1
    start = first
    while start > max(first - 4, 0):
        pieces = _pieces(lines[start - 1].marked)
        if not pieces or not all(map(_name_like, pieces)):
            break
        start -= 1
    if start == first:
        return []
    block = lines[start:first]
    if not (abstract or any(_raised_marks(line) for line in block)):
        return []
    return _find_authors(block, 0)


def _name_set_over(lines: list[Line], last: int) -> list[str]:
    """The author's name alone in the title's type over a cover's title ending at line
    ``last`` (:func:`_name_over_title`), or []."""
    first = last
    while first > 0 and abs(lines[first - 1].size - lines[last].size) <= 0.5:
        if _name_over_title(first - 1, lines):
            return [_display_name(lines[first - 1].text.strip())]
        first -= 1
    return []


def _names_below(lines: list[Line], last: int, abstract: str) -> list[str]:
    """The names printed under the title on a page that draws them elsewhere in its order (a
    poster draws its byline before its title): the lines set right below the title on the
    page, top to bottom, read as a byline with the same checks."""
    title = lines[last]
    below = sorted(
        (
            line
            for line in lines
            if 0 < title.y - line.y <= 8 * title.size and line.size <= title.size - 0.5
        ),
        key=lambda line: (-round(line.y), line.runs[0].x),
    )
    # The line nearest under the title is a line of names, and the page has an abstract or
    # the names their e-mails or marks: a table's or a form's lines under a heading are not.
    first = _given_first(_pieces(below[0].marked), first_line=True) if below else []
    if not first or not all(map(_name_like, first)):
        return []
    if not (abstract or _raised_marks(below[0]) or any("@" in line.text for line in below[:6])):
        return []
    return _find_authors(below, 0)


# The local part of an e-mail address ("jan-niklas.antons" of jan-niklas.antons@telekom.de).
_MAIL_USER = re.compile(r"([\w.+-]+)@")


def _contact_blocks(lines: list[Line]) -> list[str]:
    """Names set each on its own line above its affiliation and e-mail, anywhere on the page
    (CHI's extended abstracts draw them after the abstract, in the body's size): a line that is
    one name whose family name or given name the e-mail a few lines under it spells."""
    names: list[str] = []
    for i, line in enumerate(lines):
        pieces = _pieces(line.marked)
        if len(pieces) != 1 or not _name_like(pieces[0]) or "@" in line.text:
            continue
        name = _display_name(pieces[0])
        words = {_ascii_fold(word) for word in re.split(r"[\s-]+", name) if len(word) >= 3}
        for after in lines[i + 1 : i + 8]:
            users = [_ascii_fold(user) for user in _MAIL_USER.findall(after.text)]
            if any(word in user for user in users for word in words):
                names.append(name)
                break
            if users:
                break  # another person's address
    return _distinct(names)


# A label before the names: "Authors:", "Presenting Author:", "Co-Authors:", "Prepared by",
# a thesis cover's "Presented by" / "Présentée par" / "Autor:".
_BYLINE_LABEL = re.compile(
    r"^\W*(?:th[èÈ]se\s+|(?-i:THESE)\s+|dissertation\s+)?"
    r"(?:(?:(?:(?:presenting|lead|first|co-?)\s*)?authors?(?:\s*\(s\))?|auteurs?|"
    # "by" (or "von", "par") alone over the names, as reports' and theses' covers set it.
    r"autor(?:es|a)?|candidat[aeo]?|laureand[ao]|doctorante?|étudiante?|by|von|par)\s*(?::|\||$)|"
    r"(?:prepared|written|compiled|presented|submitted|authored)\s+by\b|"
    r"(?:vorgelegt|eingereicht|verfasst)\s+von\b|"
    r"(?:présentée?|soutenue|presentada|apresentada)(?:\s+et\s+soutenue)?\s+par\b)\s*:?\s*\|?"
    # A magazine's or a report's byline, "BY JEFFREY M. PERKEL" on a line of its own: read only
    # when the whole line after it is names.
    r"|^\W*(?P<bare>by)\s+(?=(?-i:[A-Z]))",
    re.IGNORECASE,
)


_AUTHOR_LIST_LABEL = re.compile(r"^\s*complete\s+list\s+of\s+authors\s*:\s*", re.IGNORECASE)
_KEYWORDS_LABEL = re.compile(r"^\s*key\s*words?\s*:", re.IGNORECASE)


def _author_list(lines: list[Line]) -> list[str]:
    """The names of a manuscript system's cover (ScholarOne's "Complete List of Authors:
    Sanchez Reyes, Luna Luisa; University of California System, Life and" / "Environmental
    Sciences" / "McTavish, Emily Jane; ..."): one "Family, Given; Affiliation" a line, the
    affiliation sometimes running on to a line of its own, until "Keywords:". Kept as
    "Family, Given", which tells a family name of several words."""
    for i, line in enumerate(lines):
        label = _AUTHOR_LIST_LABEL.match(line.text)
        if not label:
            continue
        names: list[str] = []
        for text in [line.text[label.end() :]] + [after.text for after in lines[i + 1 : i + 80]]:
            if _KEYWORDS_LABEL.match(text):
                break
            name, semicolon, _ = text.partition(";")
            family, comma, given = name.partition(",")
            if semicolon and comma and _name_like(f"{given.strip()} {family.strip()}"):
                names.append(f"{family.strip()}, {given.strip()}")
        return names
    return []


def _labelled_names(lines: list[Line]) -> list[str]:
    """The names after a label saying they are the authors ("Presenting Author: Tom Hammel,
    Teledyne Energy Systems" / "Co-Authors:" / "Russell Bennett, Teledyne Energy Systems"): the
    names opening the label's line and the lines under it, each line's affiliation left out."""
    for i, line in enumerate(lines):
        match = _BYLINE_LABEL.match(line.marked)
        if not match or not match.group(0).strip(" |:"):
            continue
        # "BY JEFFREY M. PERKEL": the names of that line alone, and all of it.
        bare_by = match.group("bare") is not None
        names: list[str] = []
        one_per_line = False  # "Name, Affiliation" on each line: the first piece is the name
        texts = [line.marked[match.end() :]] + [
            _BYLINE_LABEL.sub("", after.marked, count=1)
            for after in lines[i + 1 : i + (1 if bare_by else 10)]
        ]
        for text in texts:
            if not text.strip(" |:"):
                continue  # the label alone on its line ("Co-Authors:")
            pieces = _given_first(_pieces(text), first_line=not names)
            lead = list(takewhile(_name_like, pieces))
            if not lead or (bare_by and len(lead) < len(pieces)):
                break
            if one_per_line:
                lead = lead[:1]
            one_per_line = one_per_line or (not names and len(lead) < len(pieces))
            names += [_display_name(piece) for piece in lead]
        if names:
            return _distinct(names)
    return []


# A Russian thesis's cover is a form: "Студент ИС-118" / "(группа)" / "Кашин Н. П." /  # noqa: RUF003
# "(фамилия, инициалы)", or "Выполнил: студент гр. ИС-118 Кашин Н. П."; the  # noqa: RUF003
# supervisor's name ("Руководитель") is set the same way and is no author.
_FORM_AUTHOR_LABEL = re.compile(
    r"^\s*(?:студент(?:ка)?|выполнил[аи]?|исполнитель|автор(?:\s+работы)?|обучающ[иа]йся)\b",
    re.IGNORECASE,
)
_FORM_HINT = re.compile(r"^\s*\([^)]*\)\s*$")
_UPPER, _LOWER = "[\u0410-\u042f\u0401]", "[\u0430-\u044f\u0451]"  # Cyrillic
_RUSSIAN_NAME = re.compile(
    rf"(?<!{_UPPER}|{_LOWER})({_UPPER}{_LOWER}+(?:-{_UPPER}{_LOWER}+)?)\s+"
    rf"({_UPPER}\.\s?{_UPPER}\.?)(?!{_UPPER}|{_LOWER})"
)


def _form_author(lines: list[Line]) -> list[str]:
    """The student named on a Russian thesis's cover form, initials first."""
    for i, line in enumerate(lines):
        if not _FORM_AUTHOR_LABEL.match(line.text):
            continue
        # The label's own line, then the lines under it past the form's hints ("(группа)").
        texts = [line.text] + [below.text for below in lines[i + 1 : i + 5]]
        for n, text in enumerate(texts):
            if name := _RUSSIAN_NAME.search(text):
                return [f"{name.group(2)} {name.group(1)}"]
            if n and not _FORM_HINT.match(text):
                break
    return []


def _ascii_fold(text: str) -> str:
    """Lower case without accents or punctuation: "Möller" is "moller" as e-mails write it."""
    text = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in text if c.isalnum() and ord(c) < 128)


def _unglue_listed_letters(names: list[str], page_text: str) -> list[str]:
    """ "Chunfang Caia, Zengye Xieb, ..., Guoyi Hub, Hong Hee" over "aInstitute of Geology",
    "bLanfang Branch": every name of the byline ends in a letter that opens an affiliation line
    of the page, so each is that name's affiliation letter, glued to it (Elsevier's older
    layouts). Names ending in such letters by chance are never all of a byline of two letters
    or more."""
    if len(names) < 2:
        return names
    # A lower-case letter opening a line before a capital: "aInstitute", "b Department".
    heads = set(re.findall(r"^\s*([a-h]) ?(?=[A-Z])", page_text, re.MULTILINE))
    ends = [name.split()[-1] for name in names]
    if len({end[-1] for end in ends}) < 2 or not all(
        len(end) >= 3 and end[-1] in heads and end[-2].islower() for end in ends
    ):
        return names
    return [name[:-1] for name in names]


def _unglue_letter(name: str, page_text: str) -> str:
    """ "Michael C. Thompsonb", "Caroline S. Harwooda": an affiliation letter set in the name's
    own run. The letter goes when the page prints the name without it elsewhere (an e-mail, a
    correspondence line, a citation box) and never with it outside the byline."""
    *given, family = name.split()
    if not given or len(family) < 4 or family[-1] not in "abcdef" or not family[-2].islower():
        return name
    # The letter is a mark only when the page sets it before a note too: opening a line
    # ("bDepartment of ...", "b Institute") or as AIP's "a)Electronic mail". "soderlan@" (a
    # login cut to eight letters) is no sign that "Soderland" ends in a mark.
    letter = family[-1]
    if not re.search(
        rf"^\s*{letter} ?[A-Z]|{letter}(?:\)|/H20850)\s*[A-Z]", page_text, re.MULTILINE
    ):
        return name
    letters = r"[^\W\d_]"

    def count(word: str) -> int:
        return len(re.findall(rf"(?<!{letters}){re.escape(word)}(?!{letters})", page_text, re.I))

    # Once in the page's own text (the byline, as pypdf reads it too), and the name without
    # the letter elsewhere.
    if count(family) == 1 and count(family[:-1]):
        return " ".join([*given, family[:-1]])
    return name


# What a repository's or a publisher's cover page prints in front of a paper (JSTOR,
# eScholarship, IOP): the paper's own first page follows it.
_COVER_MARKERS = re.compile(
    r"\b(?:stable url|permalink|to cite this (?:article|version)|view the article online|"
    r"this content (?:was )?downloaded from|"
    # BioOne's cover: "Your use of this PDF, the BioOne Web site, ... indicates your acceptance".
    r"your use of this pdf|"
    # Science's reprint cover: "This copy is for your personal, non-commercial use only."
    r"this copy is for your personal|"
    # HighWire's cover (the Royal Society's, PNAS's): "Email alerting service", "Receive free
    # email alerts when new articles cite this article".
    r"email alerting service|"
    # Elsevier's cover on an author's copy: "The attached copy is furnished to the author for
    # internal non-commercial research and education use".
    r"the attached\s+copy is furnished to the author|"
    # ResearchGate's: "See discussions, stats, and author profiles for this publication at:".
    r"see\s+discussions,\s+stats,\s+and\s+author\s+profiles|"
    # A Brazilian repository's embargo notice in front of a thesis (UNESP's "RESSALVA /
    # Atendendo solicitação do autor, o texto completo desta tese será disponibilizado ...").
    r"atendendo\s+(?:a\s+)?solicita[çc][ãa]o\s+d[oa]\(?\w?\)?\s+autor)",
    re.IGNORECASE,
)


def is_cover_page(page_text: str) -> bool:
    """True for a cover page put in front of a paper: a short page with a repository's or
    publisher's marks ("Stable URL", "Permalink", "To cite this article")."""
    return len(page_text.split()) < 400 and bool(_COVER_MARKERS.search(page_text))


def _signature(lines: list[Line]) -> list[str]:
    """The names signing an editorial or a letter at the end of its text: short name lines
    right above an affiliation line ("Greg M. Delgoffe" / "Department of Immunology, ...")."""
    for i in range(1, len(lines)):
        words = {word.casefold().strip(",.") for word in lines[i].text.split()}
        if not words & _AFFILIATION_WORDS:
            continue
        pieces = _pieces(lines[i - 1].marked)
        if pieces and len(lines[i - 1].text.split()) <= 8 and all(map(_name_like, pieces)):
            return [_display_name(piece) for piece in pieces]
    return []


def _words_of(text: str) -> set[str]:
    return {word.casefold().strip(",.;:()") for word in text.split()}


def names_a_body(name: str) -> bool:
    """True for an entry of a PDF's author field that names a body, not a person ("UPBEAT
    Consortium", "Université Paris IX Dauphine", "Crédit Agricole S.A"): a citation lists
    people only."""
    return bool(_words_of(name) & (_AFFILIATION_WORDS | _INSTITUTION_WORDS))


def _raised_marks(line: Line) -> bool:
    """True when a line carries footnote marks: small raised digits or symbols after words."""
    return any(
        run.size < 0.85 * line.size
        and run.y > line.y + 0.15 * line.size
        and re.match(r"\s*[\d*†‡§¶\u2217,]", run.text)
        for run in line.runs[1:]
    )


def _name_column(lines: list[Line]) -> bool:
    """True when the lines open with four names or more, one a line, in one type and evenly
    spaced (a report's cover: "Jim Bainbridge" / "Hernando Bedoya" / "Rob Bestgen" / ...): a
    byline though the page prints no abstract, affiliation or e-mail."""
    column: list[Line] = []
    for line in lines:
        pieces = _pieces(line.marked)
        if (
            len(pieces) != 1
            or not 2 <= len(pieces[0].split()) <= 3
            or not _name_like(pieces[0])
            or (column and abs(line.size - column[0].size) > 0.3)
        ):
            break
        column.append(line)
    steps = {round(above.y - below.y) for above, below in pairwise(column)}
    return len(column) >= 4 and len(steps) == 1 and steps.pop() > 0


_NUMBERED_NAME = re.compile(
    r"[a-z\u00df-\u024f]{2},?\d{1,2}(?:,\d{1,2})*[*\u2020\u2021\u00a7\u00b6]*(?=[\s,]|$)"
)


def _looks_like_a_byline(lines: list[Line]) -> bool:
    # Names carrying affiliation marks ("Zhongyi Lu1,2, Runyue Xia3") are a byline even on a
    # page that prints no "Abstract" heading and its affiliations further down.
    if lines and _raised_marks(lines[0]):
        return True
    # ... or set in the names' own type after a comma or glued to them ("Kim Newton,1* Debra
    # L. Dugger,1", Science's): two of them on the first line.
    if lines and len(_NUMBERED_NAME.findall(lines[0].text)) >= 2:
        return True
    # ... or a Vancouver list, which no other line of a page is.
    if lines and _vancouver_list(_pieces(lines[0].marked)):
        return True
    # A document's title block as R Markdown and Pandoc set it: title, a name a line, the date.
    names = list(takewhile(lambda line: _name_alone(line.text), lines[:4]))
    if names and len(lines) > len(names) and _DATE_ONLY.match(lines[len(names)].text):
        return True
    for line in lines:
        text = line.text
        if _ABSTRACT_HEADING.match(text) or _BODY_START.match(text):
            return True
        if "@" in text or re.match(r"^\s*by\s", text, re.IGNORECASE):
            return True
        if _words_of(text) & _AFFILIATION_WORDS:
            return True
    return False


def fallback_title(runs: list[Run]) -> str:
    """The largest text at the top of a page that has no clear title (a one-font document),
    unless that text is a section heading, a caption or a banner ("5 Discussion"). On a cover
    set in one type throughout (a thesis, a report), the first block of lines that reads as a
    title (:func:`_cover_title`)."""
    title = _without_marks(title_from_runs(_title_pieces(runs)))
    if title and _title_like(title) and not _STATEMENT.match(title) and not agency_banner(title):
        return title
    return _cover_title(lines_of(runs))


# A hyphen, a non-breaking hyphen or a dash: what joins two words of a title drawn apart.
_HYPHENS = frozenset({"-", "\u2010", "\u2011", "\u2013", "\u2014"})


def _title_pieces(runs: list[Run]) -> list[tuple[float, str]]:
    """The runs as (size, text) for :func:`title_from_runs`, with the punctuation a page draws
    by itself put back on its words, as Word and InDesign draw them: a hyphen or a dash joins
    the words it stands between ("T (T" "-" "ALL)": "T (T-ALL)"), at a line's end too ("Mud-"
    / "piddock"), an opening bracket goes on the word after it and a closing one on the word
    before. The pieces end at a wide gap under the largest type when only a few words of it
    follow (the species' name under a recovery strategy's title, as a caption of its picture;
    a page all in one type goes on, for :func:`_cover_title` to read)."""
    pieces: list[tuple[float, str]] = []
    glue = False  # the piece before is a hyphen or an opening bracket: this run goes on it
    sizes = {run.size for run in runs if any(c.isalpha() for c in run.text)}
    largest = max(sizes, default=0.0)
    # (A page in one type throughout is read by :func:`_cover_title`, which knows its blocks.)
    one_type = min(sizes, default=0.0) >= largest - 0.5
    last_big: Run | None = None  # the last line in the largest type
    one_block = True  # the largest type's lines so far run on, one under the other
    for previous, run in zip([None, *runs], _before_a_caption(runs, largest), strict=False):
        text = fix_accents(run.text)
        bare = text.strip()
        same_line = previous is not None and abs(run.y - previous.y) < 0.5
        if run.size >= largest - 0.5 and not same_line:
            one_block = one_block and (last_big is None or last_big.y - run.y <= 2 * run.size)
            if one_block and last_big is not None and not one_type and _institution_line(bare):
                # A university's name right under the title in its type ("Swedish University
                # of Agricultural Sciences") ends it.
                break
            last_big = run
        closing = bool(bare) and not any(c.isalnum() for c in bare) and bare[0] in ")]"
        if pieces and (
            (glue and bare)
            or (same_line and (bare in _HYPHENS or closing) and not pieces[-1][1][-1:].isspace())
        ):
            pieces[-1] = (pieces[-1][0], pieces[-1][1] + text)
        else:
            pieces.append((run.size, text))
        glue = bare in _HYPHENS or bare in ("(", "[")
    return pieces


def _before_a_caption(runs: list[Run], largest: float) -> list[Run]:
    """The runs up to a wide gap under the ``largest`` type, when at most a few words in that
    type follow it (a caption under a cover's title); all of them otherwise."""
    largest_runs = [(i, run) for i, run in enumerate(runs) if run.size >= largest - 0.5]
    for (_, above), (i, below) in pairwise(largest_runs):
        if above.y - below.y > 2.5 * below.size:
            after = sum(len(run.text.split()) for _, run in largest_runs if run.y <= below.y)
            return runs[:i] if after <= 6 else runs
    return runs


# What follows a thesis's or a report's title on its cover, in the title's own type: the
# statement of what the work is ("A THESIS SUBMITTED TO ...", "A dissertation presented to",
# "in partial fulfillment"), and the "by" over the names.
_STATEMENT = re.compile(
    r"^\s*(?:(?:an?\s+)?(?:(?:doctoral|ph\.?\s?d\.?|master'?s?|bachelor'?s?|honou?rs)\s+)?"
    r"(?:thesis|dissertation|report|project|essay)\b|"
    r"(?:submitted|presented)\s+(?:to|in|for|by)\b|by\s*$|in\s+partial\s+fulfil|"
    # ... in Spanish, French and Portuguese ("Proyecto de Tesis Doctoral, requisito parcial").
    r"(?:proyecto\s+de\s+)?tesis\s+(?:doctoral|de\s+(?:maestr[ií]a|grado|doctorado))|"
    r"th[eè]se\s+de\s+doctorat|(?:disserta[çc][ãa]o|tese)\s+apresentada)",
    re.IGNORECASE,
)
# A series' number over or under a report's title: "Open-File Report 95-530", "NIST Special
# Publication 800-223", "Circular 1234", "Technical Note No. 12".
_SERIES_NUMBER = re.compile(
    r"\b(?:report|publication|bulletin|circular|paper|series|memorandum|note)\s+"
    r"(?:no\.?\s*)?[\w.-]*\d",
    re.IGNORECASE,
)


# A commission's meeting over its working papers' titles ("SCIENTIFIC COMMITTEE SEVENTH
# REGULAR SESSION"), and the meeting's dates with its place ("9-17 August 2011", "Pohnpei").
_MEETING = re.compile(
    r"\b(?:regular|ordinary|plenary)\s+session\b"
    r"|\b\d{1,2}(?:\s*[-\u2010\u2011\u2013]\s*\d{1,2})?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep"
    r"|oct|nov|dec)[a-z]*\.?,?\s+(?:1[89]|20)\d\d\b",
    re.IGNORECASE,
)


def agency_banner(text: str) -> bool:
    """True for an agency's or a series' banner over a report's title ("U.S. GEOLOGICAL
    SURVEY", "Open-File Report 95-530"): a short line whose words are mostly those of bodies,
    or a series' name with its number; and a meeting's name, dates and place over its
    papers' titles."""
    if _MEETING.search(text):
        return True
    words = [
        word
        for word in _words_of(text)
        if word not in _NOT_NAMES and any(c.isalpha() for c in word)
    ]
    bodies = sum(word in _AFFILIATION_WORDS for word in words)
    return len(text.split()) <= 8 and (
        bool(_SERIES_NUMBER.search(text)) or (bool(words) and bodies * 2 >= len(words))
    )


def _cover_title(lines: list[Line]) -> str:
    """The title of a cover page set in one type (or whose largest type holds more than a
    title): the lines of the largest type fall into blocks apart from each other (a banner,
    the title, "A THESIS SUBMITTED TO...", "by", the names), and the title is the first
    block near the top that reads as one. An agency's banner and a series' number are no
    title; a block that runs on like prose stops the search."""
    lines = [line for line in lines if not line.text.strip(" .").isdigit()][:40]
    if not lines:
        return ""
    if labelled := _topic(lines):
        return labelled
    largest = max(line.size for line in lines)
    # The type's own line spacing: the smallest step between two lines of it (a raised mark
    # read as a line of its own is not a step).
    steps = [
        above.y - below.y
        for above, below in pairwise(lines)
        if min(above.size, below.size) >= largest - 0.5 and above.y - below.y >= 0.8 * largest
    ]
    step = min(steps, default=1.2 * largest)
    blocks: list[list[Line]] = []
    for i, line in enumerate(lines):
        joined = (
            i > 0
            and blocks
            and blocks[-1][-1] is lines[i - 1]
            and 0 < lines[i - 1].y - line.y <= 1.3 * step + 1
            and not _STATEMENT.match(line.text)
        )
        if line.size < largest - 0.5:
            continue
        if joined:
            blocks[-1].append(line)
        else:
            blocks.append([line])
    for block in blocks[:4]:
        if len(block) > 1 and block[0].text.strip().casefold().rstrip(":") in _TITLE_LABELS:
            block = block[1:]  # a manuscript form's "Title" on its own line over the title
        if all(not _title_like(line.text) for line in block):
            continue  # a university's name over its faculty's, each a line of its own
        text = block[0].text
        for line in block[1:]:
            text = (
                text + line.text
                if text.endswith("-")
                else f"{text.rstrip()}: {line.text}"
                if _subtitle_line(text, line.text)
                else f"{text} {line.text}"
            )
        text = clean_field(text).rstrip(" ,")
        if not _title_like(text) or agency_banner(text) or _STATEMENT.match(text):
            continue
        words = text.split()
        if len(block) > 4 or not 3 <= len(words) <= _MAX_TITLE_WORDS or text.endswith("."):
            return ""  # prose: the page has no title of its own
        return text
    return ""


def _topic(lines: list[Line]) -> str:
    """The title a cover gives after its label ("Тема ..."), with the lines in its type right
    under it (a document number or a blank ends it)."""
    for i, line in enumerate(lines):
        label = _TOPIC_LABEL.match(line.text)
        if not label:
            continue
        text = line.text[label.end() :].strip()
        for below, above in zip(lines[i + 1 : i + 4], lines[i : i + 3], strict=False):
            if (
                abs(below.size - line.size) > 0.5
                or not 0 < above.y - below.y <= 1.8 * line.size
                or not _title_like(below.text)
                or re.search(r"\d", below.text)
            ):
                break
            below_text = below.text.strip()
            text = text + below_text if text.endswith("-") else f"{text} {below_text}"
        text = clean_field(text)
        if text[:1] in '"\u201c\u201e\u00ab' and text[-1:] in '"\u201d\u00bb':
            text = text[1:-1].strip()  # Progetto: "Controllo dell'altezza di una mongolfiera"
        return text if 2 <= len(text.split()) <= _MAX_TITLE_WORDS else ""
    return ""


# Venue lines: "Journal of Physics: Conference Series 2188 (2022) 012011", "Data in Brief 22
# (2019) 451-457"; "Immunology. 2022;165:141-142." (Vancouver); "Proceedings of ..., pages 1-9".
# "Geoderma 239\u2013240 (2015) 195\u2013205": a double volume is a range.
_JOURNAL_VOLUME_YEAR = re.compile(
    r"^\s*([A-Z][\w:&,.' -]{2,120}?)\s+(\d{1,5}(?:\s*[\u2013-]\s*\d{1,5})?)"
    r"\s*\((\d{4})\)\s*(?:,\s*)?"
    r"(\d+[A-Za-z]?\d*(?:\s*[\u2013-]\s*\d+)?)?",
    re.MULTILINE,
)
_VANCOUVER = re.compile(
    r"^\s*([A-Z][\w &'-]{2,80}?)\.\s*(\d{4})\s*;\s*(\d+)\s*(?:\((\d+)\))?\s*:\s*"
    r"(\w+(?:\s*[\u2013-]\s*\w+)?)",
    re.MULTILINE,
)
_PROCEEDINGS = re.compile(
    r"\b(Proceedings of (?:the )?[^,()\n]{5,200}?)\s*(?:\([^)]*\))?\s*"
    r"(?:,\s*pages\s+(\d+\s*[\u2013-]\s*\d+)|[,.\n])",
)
_COPYRIGHT = re.compile(
    # "@ 2002 IEEE": some PDFs draw the copyright sign with a font that pypdf reads as "@".
    r"(?:©|\(c\)|copyright|(?<!\S)@(?=\s+(?:1[89]|20)\d\d\b))\s*"
    r"((?:1[89]|20)\d\d)(?:\s*[,.]?\s*(?:by\s+)?([A-Z][^\n.©]{2,70}))?",
    re.IGNORECASE,
)
_ARXIV_STAMP = re.compile(r"arXiv:\s*[\w./-]+\s*\[[^\]]*\]\s*\d{1,2}\s+[A-Z][a-z]{2}\s+(\d{4})")
_VOLUME_LINE = re.compile(
    r"\b(?:vol\.?|volume)\s*\d+\b.{0,60}?(?<!\d)((?:1[89]|20)\d\d)(?!\d)", re.IGNORECASE
)
# A venue line naming its year: "Proceedings of NAACL-HLT 2018, pages 84-91", "33rd Conference
# on Neural Information Processing Systems (NeurIPS 2019)" at the top or foot of the page. It
# says when the paper appeared; a copyright line may give the year the volume was prepared.
_VENUE_LINE_YEAR = re.compile(
    r"(?<![/.\w])(?:proceedings|conference|journal|workshop|symposium|transactions)\b(?![/.])"
    r"[^\n]{0,100}?(?<!\d)((?:1[89]|20)\d\d)(?!\d)",
    re.IGNORECASE,
)
# A cover page's citation: "To cite this article: V V Kazina et al 2021 IOP Conf. Ser.: ...".
# HAL's cover sets the citation under the label, over two or three lines ("To cite this
# version:" / "Nathalie Mitton. AUTO-ORGANISATION ... INSA de Lyon, 2006. French. <tel-...>");
# without the colon the year is on the label's line ("cite this article - sign up ...").
_CITE_THIS = re.compile(
    r"\b(?:to )?cite this (?:article|paper|version)"
    r"(?:\s*:(?:[^\n]|\n(?!HAL Id)){0,300}?|[^\n]{0,200}?)"
    r"(?<![\d/.])((?:1[89]|20)\d\d)(?![\d/])",
    re.IGNORECASE,
)
# Springer's "Empirical Software Engineering (2023) 28:132", "Behav Ecol (2015) 69:1383-1394";
# Oxford's "British Medical Bulletin, 2015, 113:45-58"; Wiley's "Softw Pract Exper. 2023;53:790-810"
# anywhere on a line. The year a citation of the paper gives.
_CITATION_LINES = (
    re.compile(
        r"^\s*([A-Z][\w&.' -]{2,100}?)\s*\(((?:1[89]|20)\d\d)\)\s*(\d{1,4})\s*:\s*"
        r"(\w+(?:\s*[\u2013-]\s*\w+)?)",
        re.MULTILINE,
    ),
    re.compile(
        r"^\s*([A-Z][^,\n]{2,100}?),\s*((?:1[89]|20)\d\d),\s*(\d{1,4})\s*:\s*"
        r"(\w+(?:\s*[\u2013-]\s*\w+)?)",
        re.MULTILINE,
    ),
    # MDPI's "Materials 2012, 5, 27-46; doi:10.3390/ma5010027".
    re.compile(
        r"^\s*([A-Z][\w&' -]{2,100}?)\s+((?:1[89]|20)\d\d),\s*(\d{1,4}),\s*"
        r"(\d+(?:\s*[\u2013-]\s*\d+)?)",
        re.MULTILINE,
    ),
    # Libertas Academica's "Nutrition and Metabolic Insights 2009:2 27-35".
    re.compile(
        r"^\s*([A-Z][\w&' -]{2,100}?)\s+((?:1[89]|20)\d\d):(\d{1,4})\s+"
        r"(\d+(?:\s*[\u2013-]\s*\d+)?)",
        re.MULTILINE,
    ),
    # AIP's and APS's "Physics Today 67 (8), 60-61 (2014)", "PHYSICAL REVIEW E 85, 041124
    # (2012)": the year last, in brackets (read ahead so that the groups keep their order).
    re.compile(
        r"^\s*([A-Z][\w&.' -]{2,100}?)\s+"
        r"(?=\d{1,4}\s*(?:\(\d+\))?,\s*\w+(?:\s*[\u2013-]\s*\w+)?\s*\(((?:1[89]|20)\d\d)\))"
        # (A reference's line ends in a full stop after the year: "Am. A 3(6), 847-855 (1986).")
        r"(\d{1,4})\s*(?:\(\d+\))?,\s*(\w+(?:\s*[\u2013-]\s*\w+)?)\s*\(\d{4}\)\s*;?\s*$",
        re.MULTILINE,
    ),
    # JSTOR's cover: "Source: Biometrika, Vol. 30, No. 1/2 (Jun., 1938), pp. 81-93" (the year,
    # printed after the volume, is read ahead so that the groups keep their order).
    re.compile(
        r"^\s*Source:\s*([A-Z][^,\n]{2,100}?),\s*"
        r"(?=Vol\.[^\n]*?\((?:[^()\n]*?\s)?((?:1[89]|20)\d\d)\))Vol\.\s*(\w+)[^\n]*?"
        r"pp?\.\s*(\d+(?:\s*[\u2013-]\s*\d+)?)",
        re.MULTILINE,
    ),
)
_YEAR_VOLUME_PAGES = re.compile(
    r"(?<![\w/])((?:1[89]|20)\d\d)\s*;\s*\d{1,4}\s*(?:\(\d+\))?\s*:\s*\w*\d"
)
# A Vancouver citation with its DOI on a line of its own: "Tobacco Control 2004;13:447-453.
# doi: 10.1136/tc.2003.006676" (a reference on the page gives no DOI on its line, or not so).
_OWN_CITATION = re.compile(
    r"^\s*[A-Z][\w&.' -]{2,80}?\s+((?:1[89]|20)\d\d)\s*;\s*\d{1,4}\s*(?:\(\d+\))?\s*:"
    r"\s*\w+(?:\s*[\u2013-]\s*\w+)?\.?\s*doi\b",
    re.MULTILINE | re.IGNORECASE,
)
# The Nordic Society Oikos's journals print volume, pages and year on a line of their own
# under the journal's name ("ECOGRAPHY" / "42: 621-631, 2019"; "Oikos 119: 1-10, 2010").
_VOLUME_PAGES_YEAR = re.compile(
    r"(?:[A-Z][\w&.' -]{2,60}\s+)?\d{1,4}\s*:\s*\d+\s*[\u2013-]\s*\d+\s*,\s*((?:1[89]|20)\d\d)"
)
# An ACM paper's event line in its permission block ("WORKS'11, November 12-18, 2011,
# Seattle, WA, USA"): when it appeared, which a template's "Copyright 2010 ACM" may not say.
_ACM_EVENT = re.compile(
    r"^\s*[A-Z][\w-]*\s?['\u2019]\d\d,\s+[A-Z][a-z]+\.?\s+\d{1,2}(?:\s*[\u2013-]\s*\d{1,2})?,\s+"
    r"((?:1[89]|20)\d\d)\b",
    re.MULTILINE,
)
# The line over an Elsevier paper's title box ("Contents lists available at ScienceDirect").
_MASTHEAD = re.compile(r"^\s*Contents lists available at\b", re.MULTILINE)
_PUBLISHED_BY = re.compile(r"Published (?:under licence )?by ([A-Z][\w&. ]{2,60}?)\s*$", re.M)
_NOT_PUBLISHERS = ("the author", "held by", "owner", "all rights", "copyright")


def _ok_year(year: int) -> bool:
    return 1800 <= year <= latest_plausible_year()


def read_venue(page_text: str) -> Venue:
    """The printed year and venue of a first page: venue line, copyright line, arXiv stamp."""
    venue = Venue()
    head = "\n".join(page_text.splitlines()[:8] + page_text.splitlines()[-8:])
    if match := _VANCOUVER.search(head):
        venue.container, year, venue.volume = match.group(1), int(match.group(2)), match.group(3)
        venue.issue, venue.page_range = match.group(4) or "", match.group(5)
        venue.year = year if _ok_year(year) else None
    elif (match := _JOURNAL_VOLUME_YEAR.search(head)) and not match.group(1).endswith(","):
        venue.container, venue.volume = match.group(1).strip(" ,."), match.group(2)
        year = int(match.group(3))
        venue.year = year if _ok_year(year) else None
        venue.page_range = match.group(4) or ""
    if venue.year is None and _MASTHEAD.search(page_text):
        # Elsevier's masthead: pypdf may read its journal line anywhere in the page's text
        # ("Geoderma 239-240 (2015) 195-205" twelve lines from the end), a line of its own.
        for line in page_text.splitlines():
            match = _JOURNAL_VOLUME_YEAR.fullmatch(line.strip())
            if match and match.group(4) and _ok_year(year := int(match.group(3))):
                venue.container, venue.volume = match.group(1).strip(" ,."), match.group(2)
                venue.year, venue.page_range = year, match.group(4)
                break
    if venue.year is None:
        for pattern in _CITATION_LINES:
            if (match := pattern.search(head)) and _ok_year(int(match.group(2))):
                venue.container = venue.container or match.group(1).strip(" ,.")
                venue.year, venue.volume = int(match.group(2)), venue.volume or match.group(3)
                venue.page_range = venue.page_range or match.group(4)
                break
    if venue.year is None:
        venue.year = next(
            (
                int(match.group(1))
                for line in page_text.splitlines()
                if (match := _VOLUME_PAGES_YEAR.fullmatch(line.strip()))
                and _ok_year(int(match.group(1)))
            ),
            None,
        )
    if venue.year is None and (match := _ACM_EVENT.search(page_text)):
        venue.year = int(match.group(1)) if _ok_year(int(match.group(1))) else None
    if venue.year is None and (match := _YEAR_VOLUME_PAGES.search(head)):
        venue.year = int(match.group(1)) if _ok_year(int(match.group(1))) else None
    if venue.year is None and (match := _OWN_CITATION.search(page_text)):
        # BMJ's "Tobacco Control 2004;13:447-453. doi: 10.1136/tc.2003.006676" in the middle
        # of the page's text: a citation line carrying a DOI is the paper's own.
        venue.year = int(match.group(1)) if _ok_year(int(match.group(1))) else None
    if venue.year is None:
        # "IEEE TRANSACTIONS ON ..., VOL. 7, NO. 5, OCTOBER 1997" at the top of the page.
        for line in page_text.splitlines()[:4]:
            if (match := _VOLUME_LINE.search(line)) and _ok_year(int(match.group(1))):
                venue.year = int(match.group(1))
                break
    if venue.year is None:
        venue.year = _garbled_venue_year(page_text.splitlines()[:3])
    if venue.year is None and (match := _CITE_THIS.search(page_text)):
        venue.year = int(match.group(1)) if _ok_year(int(match.group(1))) else None
    if venue.year is None:
        # A footer may stack the licence, the venue line, the dates and a citation of two
        # lines under the text (Marine Notes Journal's): the venue line is fifth from the end.
        edges = page_text.splitlines()[:3] + page_text.splitlines()[-5:]
        for line in edges:
            if re.search(r"download|accessed|https?:|www\.", line, re.IGNORECASE):
                continue  # "Downloaded from journals.asm.org/journal/jb on 31 May 2025"
            if (match := _VENUE_LINE_YEAR.search(line)) and _ok_year(int(match.group(1))):
                venue.year = int(match.group(1))
                break
    flat = normalize_text(page_text)
    reference = flat.split("ACM Reference Format:", 1)
    for text in (head, reference[1][:600] if len(reference) > 1 else ""):
        if not venue.container and (match := _PROCEEDINGS.search(normalize_text(text))):
            venue.container = clean_field(match.group(1))
            venue.page_range = venue.page_range or (match.group(2) or "")
    venue.page_range = re.sub(r"\s*[\u2013-]\s*", "-", venue.page_range)
    copyright_match = next(
        (m for m in _COPYRIGHT.finditer(page_text) if _ok_year(int(m.group(1)))), None
    )
    if copyright_match:
        venue.year = venue.year or int(copyright_match.group(1))
        holder = clean_field(copyright_match.group(2) or "").strip(" ,;")
        if holder and not any(word in holder.casefold() for word in _NOT_PUBLISHERS):
            venue.publisher = holder
    if not venue.publisher and (match := _PUBLISHED_BY.search(page_text)):
        venue.publisher = clean_field(match.group(1))
    if venue.year is None and (match := _ARXIV_STAMP.search(page_text)):
        year = int(match.group(1))
        venue.year = year if _ok_year(year) else None
    if venue.year is None:
        venue.year = date_line_year(page_text)
    if venue.year is None and _ok_year(year := history_years(page_text).get("published", 0)):
        venue.year = year
    return venue


# What an OCR layer reads for the digits of a year: "lQ68" is 1968, "I9S7" 1987.
_OCR_DIGITS = str.maketrans("lIOoQSBZ", "11009582")
_VOLUME_OR_PAGES = re.compile(r"\b(?:vol|pp|no)\b\.?", re.IGNORECASE)


def _garbled_venue_year(lines: list[str]) -> int | None:
    """The year of a scanned journal's venue line whose OCR misread its digits ("Geochimica et
    Cosmochimica Acta. lQ68. Vol. 32, pp. 531 to 645."): a word of four digits and look-alike
    letters, two digits at least, on a line naming a volume or pages."""
    for line in lines:
        if not _VOLUME_OR_PAGES.search(line):
            continue
        for word in re.findall(r"(?<![\w])[\dlIOoQSBZ]{4}(?![\w])", line):
            if sum(c.isdigit() for c in word) < 2 or word.isdigit():
                continue
            year = int(word.translate(_OCR_DIGITS))
            if _ok_year(year):
                return year
    return None


# A line that is a date and nothing else: "December 2009", "13 February 2017", "May 5, 2023",
# "1995", "Moscow 2015" and "Санкт-Петербург—2023" (a thesis cover's place and year),
# "1-1-1975" (a repository's cover), "soutenue le 30 août 2013" (a French thesis's defence).
_DATE_LINE = re.compile(
    # A German thesis's date of submission ("vorgelegt im Juli 2022 von:").
    r"(?:vorgelegt|eingereicht|abgegeben)\s+(?:am|im)\s+(?:\d{1,2}\.?\s+)?[^\W\d_]{3,12}\s+"
    r"((?:1[89]|20)\d\d)(?:\s+von\s*:?)?|"
    # An academic year ends in the year its theses are handed in ("Anno Accademico 2017-2018").
    r"(?:anno\s+accademico|academic\s+year|a[ñn]o\s+acad[ée]mico|curso\s+acad[ée]mico|"
    r"ann[ée]e\s+(?:universitaire|acad[ée]mique))\s*:?\s*(?:1[89]|20)\d\d\s*[-/\u2013]\s*"
    r"((?:1[89]|20)\d\d)|"
    r"(?:soutenue (?:publiquement )?le\s*:?\s+)?"
    r"(?:\d{1,2}\.?\s+)?(?:[^\W\d_]{3,12}\.?,?\s+)?(?:\d{1,2},?\s+)?((?:1[89]|20)\d\d)"
    r"|\d{1,2}[-./]\d{1,2}[-./]((?:1[89]|20)\d\d)"
    r"|[^\W\d_]{3,20}(?:-[^\W\d_]{3,20})?\s*[\u2014\u2013-]\s*((?:1[89]|20)\d\d)"
    # A thesis cover's place and year at its foot ("Sede Palmira, 2025", "Lisboa, 2015").
    r"|[^\W\d_]{3,20}(?:\s+[^\W\d_]{3,20})?,\s*((?:1[89]|20)\d\d)"
    # The end of the degree statement ("... the degree of Doctor of Philosophy at University
    # of Seville, 2019").
    r"|.*\b(?:degree|requirements)\b.*,\s*(?P<statement>(?:1[89]|20)\d\d)\.?",
    re.IGNORECASE,
)
# A date line under these is when the paper was received or accepted, not when it appeared.
_EDITORIAL_DATES = re.compile(
    r"\b(?:received|accepted|revised|submitted|available online)\b|:\s*$", re.IGNORECASE
)


# Words a line ends with when a year on the next line goes on from it.
_YEAR_GOES_ON = {"and", "to", "from", "in", "of", "for", "since", "until", "-", "\u2013"}


def date_line_year(page_text: str) -> int | None:
    """The year of a line that prints a date alone near the top or at the foot of a page (a
    thesis's or a report's cover: "December 2009", "1995" under the report's number): when
    the work is dated, which a PDF made years later (a scan, a repository's copy) does not
    tell. Dates of receipt and acceptance do not count."""
    lines = [line.strip() for line in page_text.splitlines()]
    indexed = list(enumerate(lines))
    for i, line in indexed[:25] + indexed[max(25, len(lines) - 3) :]:
        match = _DATE_LINE.fullmatch(line)
        if not match or not _ok_year(year := int(next(filter(None, match.groups())))):
            continue
        # (A degree statement's "submitted" is no date of receipt.)
        if i and _EDITORIAL_DATES.search(lines[i - 1]) and not match["statement"]:
            continue
        above = next((line.split() for line in reversed(lines[:i]) if line), [])
        if above and above[-1].casefold() in _YEAR_GOES_ON:
            continue  # the end of a title's line ("... from summer 2019 and" / "2023")
        return year
    return None
