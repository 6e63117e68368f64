"""Write the demo papers that ship with the archive.

Why this exists: someone trying the project for the first time should see a working
archive straight away, with real documents to search, and the project should not have to
redistribute other people's PDFs to give them that. So the project writes its own demo
papers: five short fact sheets and reports from a fictional wildlife charity, the "Demo
Conservation Archive", and a field report in Russian, so that searching across the two languages
can be seen at once. The text is original, plain English (or Russian) and factually careful, and
it is licensed with the project.

Each paper has two or three pages, so that search results can point at different pages, and
carries real document metadata: title, authors (separated by semicolons), subject, keywords
(separated by commas), creation date and creator.

The output is reproducible. Creation dates are fixed, and fpdf2 derives the file ID from the
file's content, so two runs give byte-identical files (with the same fpdf2 version).

Regenerate the PDFs, which are written next to this script (the Russian one into
papers-ru/ beside this folder), with:

    python papers/make_demo_papers.py
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF

PAPERS_DIR = Path(__file__).parent
# The Russian paper has a folder of its own beside this one: the tests' demo archive (and every
# count and ranking they check) is the five English papers of this folder, while `make run`
# imports both folders.
RUSSIAN_DIR = PAPERS_DIR.parent / "papers-ru"
CREATOR = "Demo Conservation Archive"

# Text blocks on a page: "## Heading" is a subheading, "- item" a bullet point and anything
# else a paragraph.
Page = tuple[str, ...]

FONT = "Helvetica"  # a core PDF font: nothing to embed, but text must be Windows-1252
# Cyrillic is outside Windows-1252, so the Russian paper embeds DejaVu Sans (a subset of the
# glyphs it uses). Its licence (Bitstream Vera and public domain changes) allows embedding
# and redistribution. Only regenerating the PDFs needs it; the committed PDF carries its glyphs.
UNICODE_FONT = "DejaVu"
UNICODE_FONT_FILES = {
    "": "DejaVuSans.ttf",
    "B": "DejaVuSans-Bold.ttf",
    "I": "DejaVuSans-Oblique.ttf",
}
UNICODE_FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),  # Debian, Ubuntu
    Path("/usr/share/fonts/dejavu-sans-fonts"),  # Fedora
    Path("/usr/share/fonts/TTF"),  # Arch
    Path("/Library/Fonts"),
)
MARGIN = 20  # mm, on every side
LINE = 5.5  # mm, line height of body text


@dataclass(frozen=True)
class Paper:
    """One demo paper: its file name, metadata and the text of each page."""

    filename: str
    title: str
    authors: tuple[str, ...]
    subject: str
    keywords: tuple[str, ...]
    created: datetime
    pages: tuple[Page, ...]
    # The language of the text: "en-GB", or "ru-RU" (set in an embedded Unicode font).
    language: str = "en-GB"

    @property
    def russian(self) -> bool:
        """True for the paper written in Russian."""
        return self.language.startswith("ru")


class DemoPDF(FPDF):
    """An A4 document with the archive's footer on every page."""

    family = FONT
    page_word = "page"

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(self.family, "I", 9)
        self.set_text_color(90, 90, 90)
        self.cell(0, 5, f"{CREATOR} \u2014 {self.page_word} {self.page_no()}", align="C")


def byline(authors: tuple[str, ...], russian: bool = False) -> str:
    """Return "By A", "By A and B" or "By A, B and C" (in Russian: "Авторы: A и B")."""
    if russian:
        label = "Автор" if len(authors) == 1 else "Авторы"
        names = authors[0] if len(authors) == 1 else f"{', '.join(authors[:-1])} и {authors[-1]}"
        return f"{label}: {names}"
    if len(authors) == 1:
        return f"By {authors[0]}"
    return f"By {', '.join(authors[:-1])} and {authors[-1]}"


def unicode_font_dir() -> Path:
    """The folder holding DejaVu Sans, or an error saying how to get it."""
    for folder in UNICODE_FONT_DIRS:
        if all((folder / name).is_file() for name in UNICODE_FONT_FILES.values()):
            return folder
    raise SystemExit(
        "The Russian demo paper needs the DejaVu Sans font (fonts-dejavu-core on Debian and "
        "Ubuntu, dejavu-sans-fonts on Fedora); it was not found in: "
        + ", ".join(str(folder) for folder in UNICODE_FONT_DIRS)
    )


def write_blocks(pdf: DemoPDF, blocks: Page) -> None:
    """Write one page's headings, paragraphs and bullet points."""
    family = pdf.family
    for block in blocks:
        if block.startswith("## "):
            pdf.ln(2)
            pdf.set_font(family, "B", 13)
            pdf.multi_cell(0, 7, block[3:], new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif block.startswith("- "):
            pdf.set_font(family, "", 11)
            pdf.set_x(MARGIN + 3)
            pdf.cell(5, LINE, "\u2022")
            pdf.multi_cell(0, LINE, block[2:], new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        else:
            pdf.set_font(family, "", 11)
            pdf.multi_cell(0, LINE, block, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2.5)


def render(paper: Paper) -> bytes:
    """Lay out one paper and return the PDF's bytes."""
    pdf = DemoPDF(format="A4")
    # Windows-1252 covers the em dash and bullet; fpdf2 declares the core fonts as
    # WinAnsiEncoding and raises an error, rather than dropping text, on anything outside it.
    pdf.core_fonts_encoding = "windows-1252"
    if paper.russian:
        folder = unicode_font_dir()
        for style, name in UNICODE_FONT_FILES.items():
            pdf.add_font(UNICODE_FONT, style, str(folder / name))
        pdf.family = UNICODE_FONT
        pdf.page_word = "стр."
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(auto=True, margin=MARGIN + 2)
    pdf.set_title(paper.title)
    pdf.set_author("; ".join(paper.authors))
    pdf.set_subject(paper.subject)
    pdf.set_keywords(", ".join(paper.keywords))
    pdf.set_creator(CREATOR)
    pdf.set_producer("fpdf2")
    pdf.set_creation_date(paper.created)
    pdf.set_lang(paper.language)

    for number, blocks in enumerate(paper.pages, start=1):
        pdf.add_page()
        if number == 1:
            pdf.set_font(pdf.family, "B", 20)
            pdf.multi_cell(0, 9, paper.title, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
            pdf.set_font(pdf.family, "", 11)
            pdf.cell(0, 6, byline(paper.authors, paper.russian), new_x="LMARGIN", new_y="NEXT")
            pdf.cell(0, 6, f"{CREATOR}, {paper.created.year}", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(4)
        write_blocks(pdf, blocks)
        if pdf.page != number:
            raise ValueError(f"{paper.filename}: the text of page {number} does not fit on it")
    return bytes(pdf.output())


def when(year: int, month: int, day: int) -> datetime:
    """A fixed creation time in UTC, so the output does not depend on the local time zone."""
    return datetime(year, month, day, 9, 0, tzinfo=UTC)


DEMO_NOTE = (
    "This is a demonstration document written for the Demo Conservation Archive, a fictional "
    "charity. Figures are rounded; check current sources before citing them."
)

AMUR_LEOPARD = Paper(
    filename="amur-leopard-fact-sheet.pdf",
    title="The Amur Leopard: A Fact Sheet",
    authors=("Anna Petrova", "James Whitfield"),
    subject="Biology, range, threats and monitoring of the Amur leopard",
    keywords=(
        "Amur leopard",
        "Far Eastern leopard",
        "Panthera pardus orientalis",
        "Land of the Leopard National Park",
        "Russian Far East",
        "China",
        "camera traps",
    ),
    created=when(2024, 2, 20),
    pages=(
        (
            "## At a glance",
            "The Amur leopard (Panthera pardus orientalis), also called the Far Eastern leopard, "
            "is the northernmost subspecies of leopard and one of the rarest big cats in the "
            "world. It lives in the temperate forests where the borders of Russia, China and North "
            "Korea meet. Almost all of the wild population is found in the south-west of Primorsky "
            "Krai (Primorye) in the Russian Far East, with a smaller but growing number in the "
            "neighbouring Chinese provinces of Jilin and Heilongjiang. The subspecies is listed as "
            "Critically Endangered on the IUCN Red List.",
            "Surveys in the 2000s suggested that only about 30 Amur leopards remained in the wild. "
            "Since then, better protection has allowed a slow but real recovery, and camera-trap "
            "counts now record more than 120 leopards in Russia alone. The population is still "
            "tiny and confined to a small area, so one bad year of poaching, fire or disease could "
            "undo much of that progress.",
            "## Appearance and habits",
            "Amur leopards are adapted to long, snowy winters. Their winter coat is pale cream to "
            "rusty yellow and its hair can grow to about 7 cm long. The rosettes are large and "
            "widely spaced, with thick black borders. Adult males usually weigh about 30 to 50 kg "
            "and females about 25 to 40 kg. Like other leopards they live alone, and each adult "
            "keeps a home range that it marks with scrapes and scent.",
            "Their main prey are roe deer, sika deer and young wild boar, with badgers, hares and "
            "birds in between. Females have litters of one to four cubs, most often two, which "
            "stay with their mother for up to about two years.",
            "## Where they live",
            "The heart of the range is the Land of the Leopard National Park, created in 2012 in "
            "south-west Primorye. It took in the older Kedrovaya Pad nature reserve, founded in "
            "1916 and one of the oldest protected areas in Russia. Across the border, the "
            "Northeast China Tiger and Leopard National Park, formally established in 2021, "
            "protects forest used by both big cats.",
        ),
        (
            "## Threats",
            "Poaching. Leopards have been killed for their beautiful fur and, less often, for body "
            "parts used in traditional medicine. Just as damaging is the poaching of deer and wild "
            "boar: where people take the leopards' prey, there is too little food to raise cubs.",
            "Habitat loss. Logging, road building, farming and new housing have cut the range to a "
            "small fraction of what it was a century ago, when Amur leopards also lived across "
            "much of north-east China and the Korean peninsula.",
            "Fire. Most fires in the leopard's range are started by people, often to clear grass "
            "on farmland or to encourage fresh growth. Repeated burning turns oak and pine forest "
            "into open grassland that leopards and their prey avoid.",
            "Inbreeding and disease. Because the population fell to so few animals, its genetic "
            "diversity is very low. Inbreeding can reduce fertility and the ability to resist "
            "disease. Canine distemper virus, carried by dogs and wild carnivores, has been found "
            "in wild Amur leopards and is a particular worry for so small a population.",
            "Tigers and people. Amur tigers share much of the same forest and are known to have "
            "killed leopards. As leopard numbers grow, more of them also live close to villages, "
            "where they may take dogs or livestock.",
            "## Conservation",
            "Protection on the ground has made the biggest difference. Ranger teams patrol the "
            "national park, remove snares and stop illegal hunting, and fire crews put out grass "
            "fires before they reach the forest. Controls on hunting around the park and winter "
            "feeding of deer help to keep prey numbers up.",
            "Cooperation across the border matters because leopards ignore it. Russian and Chinese "
            "scientists share camera-trap photographs, so that animals moving between the two "
            "countries are counted once and not twice. Planning also continues for a second wild "
            "population, possibly founded with zoo-bred leopards, in former range further east in "
            "Primorye; see the report 'Reintroduction from Zoo Populations' in this archive.",
        ),
        (
            "## How leopards are counted",
            "Counting a rare, shy cat in dense forest is hard. Early surveys relied on snow "
            "tracking: teams followed fresh footprints and judged how many different animals had "
            "made them. Tracks of different leopards are easy to confuse, so these counts came "
            "with wide margins of error.",
            "Today monitoring depends on camera traps. About 500 automatic cameras, the largest "
            "camera-trap network in Russia, are fixed to trees along paths, ridges and forest "
            "roads in the Land of the Leopard National Park. Each camera is triggered by heat and "
            "movement and records the date and time of every animal that passes. Because each "
            "leopard's pattern of rosettes is unique, like a fingerprint, trained staff can "
            "recognise individuals from their photographs and keep a catalogue of every known cat.",
            "## What the counts show",
            "Counts in Russia show a steady increase:",
            "- 2007: 27 to 34 leopards, from tracks in the snow;",
            "- 2013: 48 to 50 leopards, from tracks in the snow;",
            "- 2014 to 2015: at least 57 adults, from the first large camera-trap survey;",
            "- 2017: 84 adults and 19 cubs in the national park;",
            "- 2022: 121 adults, with at least 14 cubs born in the previous year.",
            "The cameras also show that females now outnumber males, and that leopards are "
            "spreading beyond the protected areas. When Russian and Chinese scientists pooled "
            "their photographs from 2014 and 2015, about a third of the leopards turned out to "
            "have been photographed on both sides of the border.",
            "## Limits of the data",
            "A camera census is a minimum count: a leopard that never walks past a camera is "
            "missed. Capture-recapture methods, described in this archive's field guide to camera "
            "trapping, estimate how many animals were probably missed. Counts from different years "
            "are not perfectly comparable either, because the number and placement of cameras has "
            "changed. Even so, the trend is clear, and it is one of the most encouraging stories "
            "in big-cat conservation.",
            DEMO_NOTE,
        ),
    ),
)

AMUR_TIGER = Paper(
    filename="amur-tiger-fact-sheet.pdf",
    title="The Amur Tiger: A Fact Sheet",
    authors=("Yuri Kuznetsov", "Sarah Mitchell"),
    subject="Biology, prey, threats and snow-tracking census of the Amur tiger",
    keywords=(
        "Amur tiger",
        "Siberian tiger",
        "Panthera tigris altaica",
        "Sikhote-Alin",
        "Russian Far East",
        "snow tracking",
        "census",
    ),
    created=when(2018, 11, 5),
    pages=(
        (
            "## At a glance",
            "The Amur tiger (Panthera tigris altaica), often called the Siberian tiger, is the "
            "tiger of the Russian Far East. Despite the name, it does not live in most of Siberia: "
            "nearly all wild Amur tigers are found in Primorsky Krai and the south of Khabarovsk "
            "Krai, with a small number in north-east China. It is one of the largest cats in the "
            "world. The tiger as a species is listed as Endangered on the IUCN Red List. In 2017 "
            "the IUCN's cat specialists proposed grouping all mainland tigers into a single "
            "subspecies, but the name altaica is still widely used for the Amur population.",
            "Amur tigers came close to disappearing. By the 1930s and 1940s, hunting and trapping "
            "had left perhaps only 20 to 40 tigers in Russia. The Soviet Union banned tiger "
            "hunting in 1947, and numbers slowly recovered. The most recent full-range census, in "
            "2015, estimated between 523 and 540 tigers in Russia, including cubs.",
            "## Size and appearance",
            "Adult males commonly weigh 160 to 200 kg and females 100 to 130 kg. The coat is paler "
            "than that of tropical tigers and grows long and thick in winter, and the tigers carry "
            "a layer of fat on the belly and flanks that helps them through winters when "
            "temperatures can fall below minus 30 degrees Celsius.",
            "## Habitat",
            "Amur tigers live in mixed forests of Korean pine, oak and other broadleaf trees, "
            "above all in the Sikhote-Alin mountains, which run for about 900 km along the coast "
            "of the Sea of Japan. The Sikhote-Alin Nature Reserve and neighbouring protected "
            "areas, listed by UNESCO as the Central Sikhote-Alin World Heritage Site, hold one of "
            "the best-studied tiger populations in the world.",
        ),
        (
            "## Prey",
            "A tiger needs plenty of large prey. In the Russian Far East the most important prey "
            "are wild boar and red deer (the local form is often called the Manchurian wapiti or "
            "izubr), followed by sika deer, roe deer and, in the north, moose. Tigers occasionally "
            "kill Asiatic black bears and brown bears, and sometimes take dogs near villages. "
            "Studies in the Sikhote-Alin found that an adult tiger kills a large animal roughly "
            "once a week, and a female raising cubs needs more.",
            "Wild boar numbers rise and fall with the crop of pine nuts and acorns, so the health "
            "of the Korean pine and oak forest flows directly through to the tiger. Russia banned "
            "the commercial logging of Korean pine in 2010, which helps protect this food chain.",
            "## Home ranges",
            "Because prey is spread thinly through the northern forest, Amur tigers need very "
            "large home ranges: several hundred square kilometres for a female and often more than "
            "1,000 square kilometres for a male. A male's range usually overlaps those of several "
            "females. Tigers mark their ranges with scrapes, with urine sprayed on trees and with "
            "claw marks.",
            "## Threats",
            "Poaching is the main cause of death for adult tigers in Russia: in long-term studies "
            "of radio-collared tigers, most deaths were caused by people. Skins, bones and other "
            "body parts are smuggled to markets in Asia. The poaching of deer and boar also takes "
            "food that tigers need. Roads open up forests to poachers and loggers, and tigers are "
            "killed by traffic.",
            "Conflict arises when tigers take dogs or livestock near villages. Specialist teams "
            "respond to these cases, and some conflict tigers are captured and, where possible, "
            "returned to the wild after rehabilitation. Disease is a newer concern: canine "
            "distemper has been recorded in wild Amur tigers.",
        ),
        (
            "## Snow tracking surveys",
            "Russia counts its tigers with full-range snow tracking surveys, most recently in "
            "1996, 2005 and 2015. In winter, after a fresh snowfall, hundreds of trained counters "
            "walk, ski or drive along planned routes that together cover the whole range. Every "
            "tiger track they cross is recorded with its location and its estimated age.",
            "The key measurement is the width of the pad of the front paw. Adult males have wider "
            "pads than adult females, and cubs walking with their mother leave smaller prints "
            "beside hers. By combining pad widths, the direction and age of tracks and what is "
            "known about how far tigers travel, survey teams judge how many different animals left "
            "the tracks in each area.",
            "## Results",
            "- 1996: 415 to 476 tigers;",
            "- 2005: 423 to 502 tigers;",
            "- 2015: 523 to 540 tigers, including about 100 cubs.",
            "## Strengths and weaknesses",
            "Snow tracking covers an enormous area at low cost and involves local hunters and "
            "rangers who know the forest. Its weakness is that it rests on expert judgement: two "
            "tigers can be counted as one, or one as two. The quality of the snow, the number of "
            "days since the last snowfall and the experience of the counters all affect the "
            "result.",
            "For this reason snow tracking is combined with camera traps in selected monitoring "
            "areas, where individual tigers can be recognised from their stripes. Cameras show "
            "individuals clearly but can only be set in a small part of the range. Together, the "
            "two methods give both a range-wide count and detailed knowledge of survival and "
            "breeding in key areas.",
            DEMO_NOTE,
        ),
    ),
)

CAMERA_TRAPPING = Paper(
    filename="camera-trapping-guide.pdf",
    title="Camera Trapping for Big Cats: A Field Guide",
    authors=("Dmitri Sokolov", "Claire Bennett"),
    subject="Planning camera-trap surveys of leopards and tigers and estimating their numbers",
    keywords=(
        "camera traps",
        "field methods",
        "capture-recapture",
        "individual identification",
        "Amur leopard",
        "Amur tiger",
        "data management",
    ),
    created=when(2016, 4, 12),
    pages=(
        (
            "## Why camera traps",
            "Big cats are rare, wide-ranging and mostly active at night, so they are seldom seen, "
            "even by the people who study them. A camera trap is a weatherproof camera with a "
            "passive infrared sensor that fires when a warm body moves in front of it. Left in the "
            "forest for weeks at a time, cameras collect evidence day and night without disturbing "
            "the animals. For species with unique coat markings, such as tigers, leopards and snow "
            "leopards, each photograph can also identify the individual, which makes camera traps "
            "the standard tool for estimating how many cats live in an area.",
            "This guide gives practical advice on planning a survey, placing cameras, identifying "
            "animals and managing the data. It is written for field teams working on Amur leopards "
            "and Amur tigers in the Russian Far East, but the same principles apply to big cats "
            "elsewhere.",
            "## Planning a survey",
            "Start with a clear question. Do you want to know whether cats are present, how many "
            "there are, how they use the landscape, or whether their numbers are changing over "
            "time? Population estimates need a carefully designed grid of cameras; simple presence "
            "surveys can be more flexible.",
            "Decide the survey period. Capture-recapture estimates assume that the population is "
            "closed, with no births, deaths or movements in or out, during the survey. For big "
            "cats this usually means running the cameras for about two to three months. Plan for "
            "batteries, memory cards, spare cameras, transport and the staff time needed to visit "
            "every station at least once a month.",
        ),
        (
            "## Choosing sites",
            "Cats prefer to travel along easy routes: forest trails, old logging roads, ridge "
            "tops, stream beds and the foot of cliffs. These are the best places for cameras. Look "
            "for signs such as footprints, scrapes, scats and scent-marked trees, which show that "
            "cats use a route regularly. Avoid places where a camera would face the rising or "
            "setting sun, where moving plants would trigger empty images, or where many people "
            "pass.",
            "## Height and pairs of cameras",
            "Fix the camera to a tree or post about 40 to 50 cm above the ground, roughly at the "
            "height of a cat's shoulder, and 3 to 5 m from the middle of the path. Clear grass and "
            "branches from in front of the lens. Wherever individuals are to be identified, set "
            "two cameras at each station, one on each side of the path and slightly offset so that "
            "their flashes do not dazzle each other. This records both flanks of every animal that "
            "passes: a catalogue of left sides cannot be matched with a catalogue of right sides.",
            "## Spacing",
            "Cameras must be close enough together that every animal in the study area has a "
            "chance of being photographed. A gap in the grid larger than a home range could hide a "
            "resident cat. A common rule is to place at least one station, and better two or more, "
            "within the area of the smallest expected home range. Leopard stations in the Russian "
            "Far East are usually a few kilometres apart. Tigers range much more widely, so their "
            "stations can be farther apart, but the grid as a whole must cover a far larger area. "
            "In both cases the grid should be several times the size of one home range, so that "
            "many individuals are sampled.",
            "## Cold, bears and people",
            "Use lithium batteries, which last far longer than alkaline batteries in hard frost. "
            "Protect cameras from curious bears and from theft with steel boxes or cable locks, "
            "and label each camera to explain that it is part of a scientific study.",
        ),
        (
            "## Identifying individuals",
            "Each tiger has a unique pattern of stripes and each leopard a unique pattern of "
            "rosettes. The patterns on the left and right flanks differ, and they do not change as "
            "the animal grows. To identify a cat, compare distinctive marks on the shoulder, "
            "flank, thigh and tail with the photographs in the catalogue. Give each new animal a "
            "code and record its sex where it can be seen. Two people should identify each image "
            "independently and settle any disagreement, because a single wrong match can distort a "
            "population estimate.",
            "## Capture-recapture estimates",
            "A camera survey never photographs every animal, so the number of cats identified is "
            "only a minimum. Capture-recapture methods use the pattern of repeated detections to "
            "estimate how many were missed. The survey is divided into sampling occasions, often "
            "single days, and a capture history records whether each individual was photographed "
            "on each occasion. If most cats are photographed many times, few are likely to have "
            "been missed; if many are seen only once, the true number is probably well above the "
            "count.",
            "Spatially explicit capture-recapture (SECR) models also use where each animal was "
            "photographed. They estimate density, the number of animals per 100 square kilometres, "
            "and avoid the difficult step of guessing the effective area that the grid sampled.",
            "## Managing the data",
            "A survey can easily produce hundreds of thousands of images. For each station, record "
            "its code, coordinates, camera model, the dates it was set up and checked, and any "
            "days when it was not working. Check that the camera clock is correct at every visit. "
            "Tag images with the station and date, keep the original files untouched, and back "
            "everything up in at least two places. Treat camera and animal locations as sensitive: "
            "published maps should never show where a rare cat can be found, because poachers read "
            "them too.",
            DEMO_NOTE,
        ),
    ),
)

ZOO_REINTRODUCTION = Paper(
    filename="zoo-reintroduction-report.pdf",
    title="Reintroduction from Zoo Populations: Lessons for the Amur Leopard",
    authors=("Helen Carter", "Mart Tamm", "Anna Petrova"),
    subject="Using zoo-bred Amur leopards to found a second wild population",
    keywords=(
        "Amur leopard",
        "reintroduction",
        "zoos",
        "European Endangered Species Programme",
        "EEP",
        "studbook",
        "genetic diversity",
        "Lazovsky reserve",
        "soft release",
    ),
    created=when(2020, 6, 18),
    pages=(
        (
            "## Summary",
            "This report asks whether leopards bred in zoos could help the Amur leopard (Panthera "
            "pardus orientalis) to recover in the wild. The wild population lives almost entirely "
            "in one area of south-west Primorye in the Russian Far East and the neighbouring part "
            "of China. A single population in one small area is vulnerable: an outbreak of "
            "disease, a run of severe winters or a rise in poaching could affect every animal at "
            "once. Conservationists have therefore long argued for a second wild population "
            "elsewhere in the former range.",
            "We describe how the zoo population is managed, the plan to reintroduce leopards to "
            "the area around the Lazovsky reserve, the soft-release method proposed for zoo-bred "
            "cats, and the risks that must be managed.",
            "## The zoo population",
            "Roughly two hundred Amur leopards live in zoos around the world. In Europe they are "
            "managed through the European Endangered Species Programme (EEP), run jointly by the "
            "European Association of Zoos and Aquaria (EAZA) and the Eurasian Regional Association "
            "of Zoos and Aquariums (EARAZA). Since 2013 the European, North American and Japanese "
            "programmes have been linked in a Global Species Management Plan, so that the world's "
            "zoo leopards can be managed as a single population. In 2018 that population numbered "
            "217 leopards in 88 zoos and other institutions.",
            "Zoo leopards do valuable work without ever leaving the zoo. They are an insurance "
            "population in case of disaster in the wild, they help raise money and public support, "
            "and they allow research on breeding, health and behaviour that would be impossible "
            "with wild cats.",
        ),
        (
            "## The studbook and genetic diversity",
            "A studbook is the family tree of a zoo population. It records every animal's parents, "
            "date of birth, sex, the zoos it has lived in, and when and how it died. From the "
            "studbook, coordinators calculate how closely related each animal is to the rest of "
            "the population, known as its mean kinship. Each year they recommend which animals "
            "should breed, pairing animals with low mean kinship, whose genes are "
            "under-represented, and asking others not to breed so that space is not taken up by "
            "over-represented lines.",
            "Many programmes aim to keep at least 90 percent of the genetic diversity of the "
            "founders for 100 years. The zoo population of Amur leopards descends from 14 founders "
            "and in 2018 kept about 91 percent of their genetic diversity. At least one early "
            "founder is thought to have belonged to a neighbouring subspecies from northern China, "
            "and breeding has been managed to reduce that ancestry. Even so, the zoo population "
            "holds genetic variation that may have been lost in the wild, where numbers fell to "
            "around 30 animals. Zoo-bred leopards could therefore bring new genetic diversity to "
            "the wild as well as greater numbers.",
            "## Where to release: the Lazovsky reserve",
            "Leopards once lived throughout southern Primorye but disappeared from the south of "
            "the Sikhote-Alin mountains decades ago. The Lazovsky State Nature Reserve, on the Sea "
            "of Japan coast in the south-east of the region, and the nearby Zov Tigra National "
            "Park protect mountain forest with good numbers of sika deer, roe deer and wild boar, "
            "but no resident leopards.",
            "A programme to reintroduce leopards there was drafted in 2010 and revised in 2012 by "
            "Russian government agencies, the Lazovsky reserve, Russian scientists, the EEP and "
            "conservation groups, following IUCN guidelines. Russia's Ministry of Natural "
            "Resources approved it in 2015, with the Lazovsky reserve as the release site. The "
            "programme is planned to run for at least 12 years and aims at a new population of "
            "about 50 leopards. At the time of writing, no leopards have been released.",
        ),
        (
            "## Soft release",
            "Leopards born in zoos lack the hunting skills and the fear of people that they would "
            "need to survive in the wild, so they would not be released themselves. Instead, "
            "established breeding pairs from the zoo programme would be moved to large, forested "
            "soft-release enclosures in the release area. Their cubs would grow up there with as "
            "little human contact as possible, learning to hunt live prey and to avoid people. "
            "Once independent, at around 18 months to two years old, the young leopards would be "
            "fitted with GPS collars and released, and the parents could return to zoos.",
            "A similar approach has been used for the Persian leopard in the Caucasus. In July "
            "2016 three young leopards bred at a centre in Sochi National Park were released into "
            "the Caucasus Biosphere Reserve after tests of their hunting skills and wariness of "
            "people. A fourth, a young male brought from a zoo in France, was held back because "
            "the tests showed that he lacked a natural fear of people.",
            "## Risks",
            "- Conflict with people: cats that do not fear people may come into villages and kill "
            "dogs or livestock, which could turn local opinion against the project.",
            "- Tigers: Amur tigers live around Lazovsky and do kill leopards; young, inexperienced "
            "cats are especially vulnerable.",
            "- Disease: animals from zoos could carry new pathogens into the wild, and released "
            "cats could meet canine distemper carried by dogs. Health screening and quarantine are "
            "essential.",
            "- Poaching: released leopards are still targets, so anti-poaching patrols must be in "
            "place before the first release.",
            "- Genetics: only animals of well-documented Amur ancestry should be used, chosen to "
            "add diversity rather than repeat what is already in the wild.",
            "- Cost and time: a reintroduction needs money and staff for a decade or more, and "
            "success can only be judged once released animals breed in the wild.",
            "## Conclusions",
            "Zoo populations are no substitute for protecting wild leopards, but a well-run EEP is "
            "both an insurance policy and a possible source of founders for a second population. "
            "The plan for the Lazovsky area is sound in principle; its success depends on careful "
            "preparation, long-term funding and the support of the people who live there.",
            DEMO_NOTE,
        ),
    ),
)

SNOW_LEOPARD = Paper(
    filename="snow-leopard-fact-sheet.pdf",
    title="The Snow Leopard: A Fact Sheet",
    authors=("Tenzin Norbu", "Aigerim Sadykova"),
    subject="Biology, range, conflict with herders and protection of the snow leopard",
    keywords=(
        "snow leopard",
        "Panthera uncia",
        "Central Asia",
        "Himalaya",
        "livestock conflict",
        "herders",
        "ranger patrols",
    ),
    created=when(2022, 3, 9),
    pages=(
        (
            "## At a glance",
            "The snow leopard (Panthera uncia) lives in the high mountains of Central and South "
            "Asia. Its range covers 12 countries: Afghanistan, Bhutan, China, India, Kazakhstan, "
            "Kyrgyzstan, Mongolia, Nepal, Pakistan, Russia, Tajikistan and Uzbekistan. It takes in "
            "the Himalaya, the Hindu Kush, the Karakoram, the Pamirs, the Tian Shan and the Altai, "
            "and China holds the largest share. Snow leopards are usually found between about "
            "3,000 and 4,500 metres above sea level, but in Mongolia and Russia they live much "
            "lower.",
            "Snow leopards are hard to count, and estimates of the world population are uncertain; "
            "figures of roughly 4,000 to 6,500 animals have been widely quoted. In 2017 the IUCN "
            "moved the species from Endangered to Vulnerable on its Red List, a decision that some "
            "scientists questioned because so little is known about its numbers.",
            "## Built for the mountains",
            "A snow leopard's coat is thick and smoky grey with dark rosettes, good camouflage "
            "among rocks and snow. Adults weigh roughly 25 to 55 kg. Wide, furry paws act like "
            "snowshoes, and the very long, thick tail helps with balance on steep slopes and is "
            "wrapped around the body and face for warmth when the cat rests. Snow leopards are "
            "powerful jumpers and hunt mostly at dawn and dusk. Unlike lions and tigers, they "
            "cannot roar.",
            "Their wild prey are mainly mountain sheep and goats, such as blue sheep (bharal), "
            "Siberian ibex and argali, with marmots, pikas, hares and birds in between. A snow "
            "leopard may kill a large animal every week or two and stay near the carcass for "
            "several days.",
        ),
        (
            "## Herders and livestock",
            "Across much of the range, people and snow leopards share the same land. Herders graze "
            "sheep, goats, yaks and horses on high pastures, and as herds grow, wild grazing "
            "animals can be pushed out. Where wild prey is scarce, snow leopards take more "
            "livestock.",
            "The most damaging events happen at night, when a snow leopard gets into a poorly "
            "built stone corral. The frightened animals cannot escape, and the cat may kill many "
            "of them in one attack. A single such event can cost a family a large part of its "
            "wealth. Losses like these lead to retaliatory killing of snow leopards, which is one "
            "of the main threats to the species, together with poaching for skins and bones and "
            "the hunting of their wild prey.",
            "## Working with herders",
            "The most effective projects treat herders as partners. Proven measures include:",
            "- predator-proof corrals, with higher stone walls and roofs of wire mesh so that cats "
            "cannot jump in;",
            "- community-run livestock insurance schemes, in which herders pay a small premium and "
            "are paid for animals lost to predators, on condition that no snow leopards are "
            "killed;",
            "- better herding, such as guarding flocks during the day and bringing them into "
            "secure corrals at night;",
            "- income from wildlife tourism and handicrafts, linked to agreements to protect snow "
            "leopards and their prey.",
            "Compensation alone rarely works for long. Schemes that are run by the community, "
            "reward tolerance and reduce losses in the first place have the best record.",
        ),
        (
            "## Ranger patrols",
            "Protected areas cover only part of the snow leopard's range, and much of it is "
            "remote, high and difficult to reach. Ranger teams, often recruited from local "
            "communities, patrol on foot and on horseback to find and remove snares, deter "
            "poachers and record signs of wildlife. Many teams now use SMART (the Spatial "
            "Monitoring and Reporting Tool) to log every patrol with GPS, so that managers can see "
            "which areas are covered and where illegal activity is found.",
            "Rangers also help with monitoring. They set camera traps along ridges and at the foot "
            "of cliffs, where snow leopards leave scrapes and scent marks, and the photographs are "
            "used to identify individuals by their rosettes, in the same way as for other big "
            "cats. Genetic analysis of droppings adds information on where snow leopards live and "
            "how they are related.",
            "Patrols work best when rangers are properly trained, equipped and paid, and when "
            "prosecutors and courts follow up, so that arrests lead to convictions.",
            "## International cooperation",
            "In 2013 the 12 range countries adopted the Bishkek Declaration and launched the "
            "Global Snow Leopard and Ecosystem Protection Program (GSLEP), with a first goal of "
            "securing 20 snow leopard landscapes, each with at least 100 breeding-age snow "
            "leopards, by 2020. Climate change is an emerging threat: as the treeline rises, open "
            "alpine habitat may shrink. Mining, roads and fences also break up the range. In the "
            "end, the future of the snow leopard depends on the people who live in the mountains "
            "alongside it.",
            DEMO_NOTE,
        ),
    ),
)

DEMO_NOTE_RU = (
    "Это демонстрационный документ, написанный для Demo Conservation Archive, вымышленной "
    "благотворительной организации. Цифры округлены; перед цитированием сверьтесь с "
    "актуальными источниками."
)

# A field report in Russian: Russian queries find it by its own words, English queries through
# the English-Russian glossary (indexer/engine/glossary_en_ru.txt).
LEOPARD_CAMERA_TRAPS_RU = Paper(
    filename="leopard-camera-traps-report-ru.pdf",
    title="Фотомониторинг дальневосточного леопарда в национальном парке «Земля леопарда»",
    authors=("Ирина Соколова", "Алексей Ким"),
    subject="Учёт дальневосточного леопарда с помощью фотоловушек: полевой отчёт",
    keywords=(
        "дальневосточный леопард",
        "амурский леопард",
        "фотоловушки",
        "учёт",
        "Земля леопарда",
        "Приморский край",
        "браконьерство",
    ),
    created=when(2023, 11, 15),
    language="ru-RU",
    pages=(
        (
            "## Кратко",
            "Дальневосточный, или амурский, леопард (Panthera pardus orientalis) — самый "
            "северный подвид леопарда и одна из самых редких крупных кошек мира. Почти вся "
            "дикая популяция живёт на юго-западе Приморского края, в национальном парке «Земля "
            "леопарда» и на соседних территориях, а также в приграничных районах Китая.",
            "В этом полевом отчёте описано, как инспекторы и научные сотрудники парка ведут "
            "учёт леопардов с помощью фотоловушек, какие угрозы остаются для вида и что "
            "делается для его охраны. Отчёт написан для студентов, волонтёров и местных "
            "жителей, которые помогают парку.",
            "## Почему фотоловушки",
            "У каждого леопарда свой рисунок пятен (розеток) на шкуре, неповторимый, как "
            "отпечаток пальца. Поэтому снимки фотоловушек позволяют опознать отдельных особей "
            "без отлова и без радиоошейника. Раньше численность оценивали по следам на снегу во "
            "время зимних маршрутных учётов, но следы разных зверей легко спутать, и такой "
            "учёт давал лишь приблизительную оценку.",
            "Сегодня на территории парка постоянно работают сотни фотоловушек. Они снимают не "
            "только леопардов, но и амурских тигров, а также их добычу: косулю, пятнистого "
            "оленя, кабана и барсука.",
        ),
        (
            "## Как ставят фотоловушку",
            "- Камеру крепят к дереву на высоте около 40–60 см над тропой, по которой ходят "
            "звери: на звериной тропе, лесной дороге или гребне сопки.",
            "- Ставят две камеры друг напротив друга, чтобы снять оба бока зверя: рисунок пятен "
            "на левом и правом боку различается.",
            "- Карты памяти и батареи проверяют раз в один-два месяца; каждый снимок подписывают "
            "датой, временем и номером точки.",
            "## Результаты учёта",
            "Когда в начале 2000-х годов леопардов считали по следам, в России их оставалось "
            "около 30–35. По данным фотомониторинга последних лет, в парке и на прилегающих "
            "территориях обитает более ста взрослых леопардов, и каждый год фотоловушки снимают "
            "самок с котятами. Рост численности показывает, что охрана работает, но популяция "
            "по-прежнему мала и сосредоточена на небольшой площади.",
            "Снимки показывают и то, как звери делят территорию: взрослые самцы держат большие "
            "индивидуальные участки, которые перекрываются с участками нескольких самок. "
            "Детёныши остаются с матерью примерно до двух лет.",
        ),
        (
            "## Угрозы",
            "- Браконьерство: незаконная охота на леопарда ради шкуры и, что не менее опасно, "
            "на косулю, оленя и кабана — основную добычу леопарда. Инспекторы снимают с троп "
            "браконьерские петли и капканы.",
            "- Пожары: весенние и осенние палы сухой травы, которые чаще всего устраивают люди, "
            "превращают дубовые и кедровые леса в открытые луга, где леопарду трудно охотиться.",
            "- Болезни: у диких леопардов обнаружен вирус чумы плотоядных, который переносят "
            "собаки и другие хищники. Для маленькой популяции любая эпидемия опасна.",
            "- Низкое генетическое разнообразие: после многих лет малой численности популяция "
            "страдает от близкородственного скрещивания.",
            "- Дороги и застройка дробят местообитания леопарда.",
            "## Что делается для охраны",
            "Инспекторы парка патрулируют территорию и проводят рейды против браконьеров; "
            "пожарные команды тушат палы до того, как огонь дойдёт до леса. Для копытных зимой "
            "устраивают подкормку и солонцы, чтобы у леопарда было достаточно добычи. Парк "
            "сотрудничает с китайским Северо-Восточным национальным парком тигра и леопарда: "
            "звери свободно переходят границу, и учёт по обе её стороны ведут по общей методике.",
            "Обсуждается и реинтродукция — возвращение леопарда в места, где он жил раньше, "
            "например на юг Сихотэ-Алиня, с использованием животных из зоопарков.",
            DEMO_NOTE_RU,
        ),
    ),
)

PAPERS = (
    AMUR_LEOPARD,
    AMUR_TIGER,
    CAMERA_TRAPPING,
    ZOO_REINTRODUCTION,
    SNOW_LEOPARD,
    LEOPARD_CAMERA_TRAPS_RU,
)


def main() -> None:
    """Write every demo paper into the papers folder."""
    for paper in PAPERS:
        path = (RUSSIAN_DIR if paper.russian else PAPERS_DIR) / paper.filename
        path.write_bytes(render(paper))
        print(f"wrote {path.name} ({len(paper.pages)} pages, {path.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
