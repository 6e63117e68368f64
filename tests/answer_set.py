"""The answer set: multi-page reports written for the tests, and the questions students send
about them, each with the page and the words of the passage that answers it.

Written before the passage ranking, from the reader's side: short questions, long ones, other
words than the reports use ("created" for "established", "money" for "compensation"), pasted
e-mails with a greeting and a signature. The reports sit on neighbouring subjects (two
leopards, a tiger, wolves, saiga, vultures) so that the right report must win on its telling
words, and a long handbook holds the questions' common words scattered over many pages.

``HELD_OUT`` questions were never looked at while tuning (tests/test_answers.py and
``make bench-answers`` report both parts).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Report:
    filename: str
    title: str
    year: int
    pages: list[str]


@dataclass(frozen=True)
class Question:
    text: str
    filename: str
    page: int
    # Words the answer passage holds (compared without marks and case).
    passage: str
    held_out: bool = False
    # 1: the questions written with the first ranking; 2: held-out questions written later,
    # before the ranking was tuned again, to measure it on questions nobody had seen.
    batch: int = 1


_FILLER = (
    "The survey teams recorded weather, observer names and the time spent on each transect. "
    "Equipment was checked at the start of each season and repaired where needed. "
)

REPORTS = [
    Report(
        "far-east-leopard-programme-2021.pdf",
        "The Far Eastern Leopard Programme: Report 2021",
        2021,
        [
            "The Far Eastern Leopard Programme: Report 2021. This report describes the work of "
            "the programme in Primorye during 2021, the state of the leopard population and the "
            "threats it faces. " + _FILLER * 3,
            "Land of the Leopard National Park was established in 2012 by a decree of the "
            "Russian government, joining the Kedrovaya Pad reserve and the Leopardovy refuge "
            "into one protected area of 2,620 square kilometres. The park covers about 60 per "
            "cent of the leopard's remaining habitat. " + _FILLER * 2,
            "Anti-poaching work. Ranger teams patrol the national park every day, remove "
            "snares and wire traps, and stop poachers who hunt sika deer and roe deer, the "
            "leopard's prey. In 2021 the rangers removed 312 snares. Fire teams cut firebreaks "
            "in spring, because grass fires set by farmers destroy the oak forest the deer "
            "need. " + _FILLER,
            "Counting leopards. The population is counted every year with 400 camera traps set "
            "along trails. Each leopard is identified by its unique pattern of rosettes on "
            "both flanks. The 2021 count found 121 adult leopards in the park and 21 cubs, up "
            "from about 30 animals in the year 2000. " + _FILLER,
            "Genetic risks. The population descends from few animals and shows low genetic "
            "diversity, which may reduce fertility. A reserve population in zoos is kept as "
            "insurance. " + _FILLER * 2,
        ],
    ),
    Report(
        "snow-leopard-herders-report.pdf",
        "Snow Leopards and Herders in the Altai",
        2019,
        [
            "Snow leopards and herders in the Altai mountains: a report on conflict between "
            "livestock keepers and a large cat. " + _FILLER * 3,
            "Why herders kill snow leopards. When a snow leopard enters a night corral it may "
            "kill dozens of sheep and goats in one night. Herders who lose a large part of "
            "their flock sometimes poison or shoot the cat in revenge. " + _FILLER * 2,
            "Compensation and insurance. A livestock insurance scheme pays herders 70 per cent "
            "of the market value of each animal killed by a snow leopard, if a ranger confirms "
            "the loss within three days. Herders pay a small premium per head of livestock "
            "into a village fund. " + _FILLER,
            "Predator-proof corrals. Wire mesh roofs over the night corrals keep the cats out. "
            "Since 2015 the programme has built 140 predator-proof corrals, and no attack on a "
            "roofed corral has been recorded. " + _FILLER * 2,
        ],
    ),
    Report(
        "amur-tiger-census-2015.pdf",
        "Amur Tiger Census 2015: Results",
        2016,
        [
            "Amur tiger census 2015: results of the range-wide survey in the Russian Far "
            "East. " + _FILLER * 3,
            "Method of the census. In winter, 2,000 observers walked routes across the tiger's "
            "range and measured the width of the pad of every track found in fresh snow. Track "
            "size and the distance between tracks allow observers to tell individual tigers "
            "apart. " + _FILLER,
            "Results. The 2015 census estimated between 480 and 540 Amur tigers in Russia, "
            "including about 100 cubs. The largest numbers live in the Sikhote-Alin mountains "
            "of Primorye. " + _FILLER * 2,
            "Diet and prey. Amur tigers feed mostly on red deer and wild boar; a tiger kills "
            "a large animal about once a week. Where wild boar were lost to African swine "
            "fever, tigers turned to livestock and dogs. " + _FILLER * 2,
            "Disease. Canine distemper virus has been found in dead and sick tigers. The "
            "virus reaches tigers from domestic dogs and wild carnivores and can cause "
            "neurological illness, in which a tiger loses its fear of people. " + _FILLER,
        ],
    ),
    Report(
        "wolves-return-to-central-europe.pdf",
        "The Return of the Wolf to Central Europe",
        2020,
        [
            "The return of the wolf to central Europe: a review for farmers, hunters and "
            "planners. " + _FILLER * 3,
            "Recolonisation. Wolves came back to Germany from Poland in 2000, when a first pair "
            "raised pups on a military training area in Saxony. By 2020 Germany held 128 "
            "packs. Young wolves may walk more than 1,000 kilometres to find a territory. "
            + _FILLER,
            "Livestock guarding dogs. Flocks guarded by large livestock guarding dogs and "
            "kept behind electric fences of at least 90 centimetres lose far fewer sheep. "
            "The states pay for fences and dogs from a prevention fund. " + _FILLER * 2,
            "Hybridisation. Wolves sometimes mate with domestic dogs. Hybrids are identified "
            "by genetic tests of hair and scat, and are removed from the wild to protect the "
            "wolf population. " + _FILLER * 2,
        ],
    ),
    Report(
        "saiga-antelope-mass-die-off.pdf",
        "Saiga Antelope: the 2015 Mass Die-off",
        2018,
        [
            "Saiga antelope in Kazakhstan: the mass die-off of 2015 and the recovery of the "
            "species. " + _FILLER * 3,
            "The die-off. In May 2015 more than 200,000 saiga died within three weeks in "
            "central Kazakhstan, about 60 per cent of the global population. The animals died "
            "of haemorrhagic septicaemia caused by the bacterium Pasteurella multocida, which "
            "became harmful in unusually warm and humid weather. " + _FILLER,
            "Poaching for horn. Saiga horn is used in traditional medicine in China. Poaching "
            "of males for their horns in the 1990s skewed the sex ratio and reduced the "
            "population by 95 per cent. " + _FILLER * 2,
            "Recovery. By 2022 aerial surveys counted more than 1.3 million saiga in "
            "Kazakhstan, thanks to protection against poaching and to the species' fast "
            "breeding: females often give birth to twins. " + _FILLER * 2,
        ],
    ),
    Report(
        "vultures-and-diclofenac.pdf",
        "Vultures of South Asia and the Drug Diclofenac",
        2017,
        [
            "Vultures of South Asia: the collapse of three species and the veterinary drug "
            "diclofenac. " + _FILLER * 3,
            "The collapse. Populations of the white-rumped vulture fell by more than 99 per "
            "cent in India between 1992 and 2007. Vultures died of kidney failure after "
            "feeding on the carcasses of cattle treated with diclofenac shortly before death. "
            + _FILLER,
            "The ban. India banned diclofenac for veterinary use in 2006; Nepal and Pakistan "
            "followed. Meloxicam, a drug that is safe for vultures, is recommended instead. "
            + _FILLER
            * 2,
            "Vulture safe zones. Around breeding colonies, safe zones of 100 kilometres are "
            "kept free of diclofenac, and captive-bred vultures are released there. " + _FILLER * 2,
        ],
    ),
]

# Two reports added with the second batch of held-out questions, on neighbouring subjects
# (snow leopards counted with camera traps; tigers released into the wild).
NEW_REPORTS = [
    Report(
        "snow-leopard-survey-mongolia-2019.pdf",
        "Snow Leopards of the Tost Mountains: Camera-Trap Survey 2019",
        2020,
        [
            "Snow leopards of the Tost mountains, South Gobi, Mongolia: results of the 2019 "
            "camera-trap survey and the threats the population faces. " + _FILLER * 3,
            "Survey design. In 2019 the team set 240 camera traps in the Tost mountains, about "
            "4 kilometres apart, along ridges and at the foot of cliffs where snow leopards "
            "leave scent marks. The cameras ran for 90 days between August and November. "
            + _FILLER
            * 2,
            "Results. The cameras photographed 38 adult snow leopards and 7 cubs. Individuals "
            "were told apart by the spots on their tails and faces, which differ from cat to "
            "cat. Spatial capture-recapture gave a density of 1.5 adults per 100 square "
            "kilometres, one of the highest known. " + _FILLER,
            "Mining. Tost lies between large coal and copper mines, and exploration licences "
            "once covered much of the range. In 2016 the government declared Tost a nature "
            "reserve, so no new mining licences can be granted in its 8,000 square kilometres. "
            + _FILLER
            * 2,
            "Prey. Researchers who followed collared cats found that Siberian ibex and argali "
            "make up most of their kills, ibex alone 70 per cent. Domestic goats made up about "
            "a quarter of the kills in winter, when herders move their flocks into the "
            "mountains. " + _FILLER,
        ],
    ),
    Report(
        "orphaned-tiger-cubs-release.pdf",
        "Orphaned Amur Tiger Cubs: Rehabilitation and Release",
        2021,
        [
            "Orphaned Amur tiger cubs: how they are raised for release, and what became of the "
            "tigers released between 2013 and 2019. " + _FILLER * 3,
            "The rehabilitation centre. Cubs whose mothers were killed by poachers or in "
            "accidents are taken to the Utyos centre near Khabarovsk. They live in forest "
            "enclosures of one to two hectares and are fed by keepers who stay out of sight, "
            "so that the cubs never link people with food. " + _FILLER * 2,
            "Hunting tests. Before it may be released, each young tiger must kill live wild "
            "boar and deer in its enclosure at least ten times. A tiger that approaches people "
            "or walks along the fences looking for them is kept in captivity. " + _FILLER,
            "Release and tracking. Between 2013 and 2019, 11 tigers were released in the Amur "
            "region and the Jewish Autonomous region, where tigers had been absent for decades. "
            "Each wore a satellite collar. Nine survived their first winter, and three of the "
            "released tigresses have since raised cubs of their own. " + _FILLER * 2,
            "Conflict with people. Two released tigers killed dogs in villages during their "
            "first winter and were caught again; one was returned to the centre for good. "
            + _FILLER
            * 2,
        ],
    ),
]

# Two reports added with the third batch of held-out questions (fresh facts on particular
# pages): elephants raiding crops, where money, warnings and fences answer other words than
# the questions use, and a leopard of another kind released in the Caucasus, next to the Far
# Eastern leopard report on the same cat's name.
BATCH3_REPORTS = [
    Report(
        "elephants-crop-raiding-assam.pdf",
        "Elephants and Farmers in Assam: Crop Raiding 2018-2022",
        2023,
        [
            "Elephants and farmers in Assam: crop raiding in Sonitpur district between 2018 and "
            "2022, its costs, and the measures tried by villages and the forest department. "
            + _FILLER
            * 3,
            "The scale of the conflict. Between 2018 and 2022 wild elephants destroyed rice and "
            "banana crops on about 4,500 hectares every year in Sonitpur district. Over the same "
            "years 71 people and 26 elephants died in the conflict, most of the people at night "
            "while guarding their fields. " + _FILLER * 2,
            "Early warning. Villagers receive a text message when a collared herd comes within "
            "2 kilometres of the village. Volunteer scare squads with torches and drums then "
            "drive the herd back into the forest at night, without fireworks or guns. " + _FILLER,
            "Compensation. The state forest department pays farmers 10,000 rupees per hectare "
            "of crops destroyed, but payments often arrive more than a year late, so many "
            "farmers never apply. A house damaged by elephants is repaired at the state's "
            "expense. " + _FILLER * 2,
            "Solar fences and chilli. Solar-powered electric fences around 18 villages reduced "
            "raids by 80 per cent. Ropes smeared with chilli paste and engine oil keep elephants "
            "out of small fields, where a fence would cost too much. " + _FILLER,
            "Corridors. Herds walk along corridors between patches of forest. Tea gardens and "
            "new roads have cut 7 of the district's 12 corridors, and herds forced into villages "
            "raid more often. " + _FILLER * 2,
        ],
    ),
    Report(
        "persian-leopard-caucasus-return.pdf",
        "Return of the Persian Leopard to the Caucasus",
        2022,
        [
            "The Persian leopard in the Russian Caucasus: a breeding programme and the first "
            "releases of a cat that vanished from the region in the twentieth century. "
            + _FILLER
            * 3,
            "The breeding centre. A breeding and rehabilitation centre opened in Sochi in 2009. "
            "Leopards brought from Iran, Turkmenistan and European zoos breed there, and cubs "
            "born at the centre learn to hunt in large enclosures stocked with live prey. "
            + _FILLER
            * 2,
            "First releases. In July 2016 three young leopards, two females and a male, were "
            "released in the Caucasus Nature Reserve wearing GPS collars. One was later killed "
            "by a poacher in Abkhazia; the other two settled within the reserve. " + _FILLER,
            "Funding. The programme costs about 40 million roubles a year, paid by the ministry "
            "of natural resources and by private sponsors. " + _FILLER * 2,
        ],
    ),
]

# A long handbook that holds the common words of many questions, scattered over its pages.
HANDBOOK = Report(
    "field-handbook-general.pdf",
    "General Field Handbook for Volunteers",
    2015,
    [
        f"Chapter {n}. Volunteers work in the wild in all seasons; survival equipment, first aid "
        "and safe travel are described here. Every team should save water, plan the work of the "
        "day and report to the park office. Animals of many species live in the national park; "
        "this chapter does not describe any of them in detail. " + _FILLER * 3
        for n in range(1, 61)
    ],
)

ALL_REPORTS = [*REPORTS, *NEW_REPORTS, *BATCH3_REPORTS, HANDBOOK]

LEOPARD = "far-east-leopard-programme-2021.pdf"
SNOW = "snow-leopard-herders-report.pdf"
TIGER = "amur-tiger-census-2015.pdf"
WOLF = "wolves-return-to-central-europe.pdf"
SAIGA = "saiga-antelope-mass-die-off.pdf"
VULTURE = "vultures-and-diclofenac.pdf"
SNOW_SURVEY = "snow-leopard-survey-mongolia-2019.pdf"
TIGER_CUBS = "orphaned-tiger-cubs-release.pdf"
ELEPHANT = "elephants-crop-raiding-assam.pdf"
PERSIAN = "persian-leopard-caucasus-return.pdf"

_EMAIL_LEOPARD = (
    "Dear Sir or Madam,\n\nMy name is Emily Brown and I am a year 10 student at King Edward's "
    "School. For my geography project I would like to know what is currently being done to "
    "ensure the Amur leopard's survival in the wild, for example do rangers patrol and remove "
    "snares? Could a national park work?\n\nThank you very much for your help.\n\nKind "
    "regards,\nEmily Brown\nemily.brown@example.org\nhttps://www.example.org/school"
)
_EMAIL_SAIGA = (
    "Hi there,\n\nI'm a biology undergraduate writing an essay. Why did so many saiga antelope "
    "die so suddenly in 2015? Was it a bacterium or the weather? Any report you could send me "
    "would be great.\n\nMany thanks,\nTom Novak\nUniversity of Leeds\n+44 113 000 0000"
)
_EMAIL_VULTURE = (
    "Hello,\nI volunteer at a bird rescue centre. We read that vultures in India were "
    "poisoned by a cattle medicine. Which drug was it and what is used instead now?\n"
    "Best wishes,\nPriya\nSent from my phone"
)

QUESTIONS = [
    # Far Eastern leopard.
    Question(
        "what is currently being done to ensure the Amur leopard's survival in the wild, and "
        "could a national park work?",
        LEOPARD,
        3,
        "ranger teams patrol the national park",
    ),
    Question(
        "when was Land of the Leopard national park created?", LEOPARD, 2, "established in 2012"
    ),
    Question("how big is the leopard national park?", LEOPARD, 2, "2,620 square kilometres"),
    Question("how many amur leopards are left?", LEOPARD, 4, "121 adult leopards", held_out=True),
    Question("how do scientists tell leopards apart?", LEOPARD, 4, "pattern of rosettes"),
    Question("do rangers remove snares for leopards", LEOPARD, 3, "removed 312 snares"),
    Question("why are grass fires bad for leopards?", LEOPARD, 3, "grass fires set by farmers"),
    Question(
        "is inbreeding a problem for the far eastern leopard?",
        LEOPARD,
        5,
        "low genetic diversity",
        held_out=True,
    ),
    Question("how many camera traps are used to count leopards", LEOPARD, 4, "400 camera traps"),
    Question(_EMAIL_LEOPARD, LEOPARD, 3, "remove snares and wire traps"),
    # Snow leopard and herders.
    Question("why do herders kill snow leopards?", SNOW, 2, "poison or shoot the cat in revenge"),
    Question(
        "do herders get money when a snow leopard kills their sheep?",
        SNOW,
        3,
        "pays herders 70 per cent",
    ),
    Question("how can corrals be made safe from snow leopards", SNOW, 4, "wire mesh roofs"),
    Question(
        "how many sheep can a snow leopard kill in a corral",
        SNOW,
        2,
        "dozens of sheep",
        held_out=True,
    ),
    Question("livestock insurance snow leopard", SNOW, 3, "livestock insurance scheme"),
    Question(
        "who confirms a loss before the herder is paid", SNOW, 3, "ranger confirms", held_out=True
    ),
    # Amur tiger census.
    Question("how many Amur tigers are there in Russia?", TIGER, 3, "between 480 and 540"),
    Question("how is the tiger census done in winter", TIGER, 2, "measured the width of the pad"),
    Question("how do observers tell individual tigers apart", TIGER, 2, "tell individual tigers"),
    Question("what do Amur tigers eat?", TIGER, 4, "red deer and wild boar"),
    Question("what diseases do amur tigers get", TIGER, 5, "canine distemper virus"),
    Question(
        "why do sick tigers lose their fear of people?",
        TIGER,
        5,
        "neurological illness",
        held_out=True,
    ),
    Question("african swine fever tigers", TIGER, 4, "african swine fever"),
    Question("where do most amur tigers live", TIGER, 3, "sikhote-alin mountains", held_out=True),
    # Wolves.
    Question("when did wolves come back to Germany?", WOLF, 2, "came back to germany from poland"),
    Question("how many wolf packs are there in Germany", WOLF, 2, "128 packs"),
    Question("how can farmers protect sheep from wolves?", WOLF, 3, "livestock guarding dogs"),
    Question("how high should an electric fence against wolves be", WOLF, 3, "90 centimetres"),
    Question("how are wolf dog hybrids identified?", WOLF, 4, "genetic tests of hair and scat"),
    Question("how far can young wolves travel", WOLF, 2, "1,000 kilometres", held_out=True),
    Question("who pays for fences against wolves", WOLF, 3, "prevention fund", held_out=True),
    # Saiga.
    Question("why did the saiga die in 2015?", SAIGA, 2, "haemorrhagic septicaemia"),
    Question("how many saiga died in the die-off", SAIGA, 2, "more than 200,000 saiga"),
    Question("why are saiga poached?", SAIGA, 3, "saiga horn is used in traditional medicine"),
    Question("how many saiga are there now", SAIGA, 4, "1.3 million saiga", held_out=True),
    Question(_EMAIL_SAIGA, SAIGA, 2, "pasteurella multocida"),
    Question(
        "what bacteria killed the saiga antelope", SAIGA, 2, "pasteurella multocida", held_out=True
    ),
    # Vultures.
    Question("why did vultures in India die?", VULTURE, 2, "kidney failure"),
    Question("when was diclofenac banned in India?", VULTURE, 3, "banned diclofenac"),
    Question("what drug is safe for vultures", VULTURE, 3, "meloxicam"),
    Question(_EMAIL_VULTURE, VULTURE, 3, "meloxicam", held_out=True),
    Question(
        "what are vulture safe zones", VULTURE, 4, "safe zones of 100 kilometres", held_out=True
    ),
    Question("by how much did white-rumped vulture numbers fall", VULTURE, 2, "99 per cent"),
]

_EMAIL_TIGER_CUBS = (
    "Dear team,\n\nI'm doing a school presentation on big cats. I saw a film about orphan "
    "tigers being put back into the wild in Russia. How many were released and where did "
    "they go?\n\nThanks a lot,\nJake (Year 8)\nSt Mary's Primary"
)

# The second batch of held-out questions, written before the ranking was tuned again.
QUESTIONS += [
    Question(q, filename, page, passage, held_out=True, batch=2)
    for q, filename, page, passage in [
        (
            "how many cameras were put out to find snow leopards in mongolia",
            SNOW_SURVEY,
            2,
            "240 camera traps",
        ),
        (
            "how do you tell one snow leopard from another on camera?",
            SNOW_SURVEY,
            3,
            "spots on their tails and faces",
        ),
        ("is mining a threat to snow leopards in the gobi", SNOW_SURVEY, 4, "coal and copper"),
        ("what do snow leopards hunt in Tost", SNOW_SURVEY, 5, "siberian ibex and argali"),
        (
            "how many snow leopards live in the Tost mountains",
            SNOW_SURVEY,
            3,
            "38 adult snow leopards",
        ),
        (
            "what happens to tiger cubs when their mother is killed by poachers?",
            TIGER_CUBS,
            2,
            "utyos centre",
        ),
        (
            "how do they make sure a rescued tiger can hunt before letting it go",
            TIGER_CUBS,
            3,
            "kill live wild boar and deer",
        ),
        ("did the released tigers survive", TIGER_CUBS, 4, "nine survived their first winter"),
        (_EMAIL_TIGER_CUBS, TIGER_CUBS, 4, "11 tigers were released"),
        ("do released tigers cause problems for villagers", TIGER_CUBS, 5, "killed dogs"),
        (
            "how much of the leopard's habitat is protected by the park",
            LEOPARD,
            2,
            "60 per cent of the leopard's remaining habitat",
        ),
        ("how often does an amur tiger need to kill", TIGER, 4, "about once a week"),
        ("why are there fewer male saiga", SAIGA, 3, "skewed the sex ratio"),
        ("where did the first german wolf pair breed", WOLF, 2, "military training area in saxony"),
        ("do snow leopards attack corrals with roofs?", SNOW, 4, "no attack on a roofed corral"),
        ("how do herders pay into the insurance", SNOW, 3, "small premium per head of livestock"),
    ]
]

_EMAIL_WOLF_FARM = (
    "Good morning,\n\nmy son (11) and I are doing a project about wolves in Germany. We keep "
    "sheep on a small farm near Dresden and wonder what is the best way to stop wolves "
    "getting at them, do dogs actually work?\n\nRegards,\nMartin Schulz\nSchulz family farm\n"
    "Tel. 0351 1234567"
)
_EMAIL_SNOW_DENSITY = (
    "Hello!\nI'm writing a report for my ecology module on snow leopard densities. How many "
    "snow leopards per 100 km2 were found in Mongolia's Tost mountains, and how did they work "
    "it out?\nCheers,\nAnna\n--\nAnna Petrova, MSc student\nanna.petrova@example.ac.uk"
)
_EMAIL_ELEPHANT = (
    "Dear Sir/Madam, I am a journalist from Guwahati preparing a piece on farmers and "
    "elephants. Could you tell me how much money a farmer gets when elephants eat his rice "
    "and whether it comes on time? With kind regards, R. Das, The Assam Weekly"
)

# The third batch of held-out questions, written (with the two reports above) before the
# ranking was changed again, and measured once at the end: typos, other words than the
# reports', pasted e-mails and a pasted paragraph.
QUESTIONS += [
    Question(q, filename, page, passage, held_out=True, batch=3)
    for q, filename, page, passage in [
        ("how many leopards r there in land of the leopard park", LEOPARD, 4, "121 adult leopards"),
        (
            "what year did they set up the leopard park in primorye",
            LEOPARD,
            2,
            "established in 2012",
        ),
        ("do poachers take the leopards food", LEOPARD, 3, "sika deer and roe deer"),
        (
            "are there amur leopards kept in zoos just in case",
            LEOPARD,
            5,
            "reserve population in zoos",
        ),
        (
            "how much are herders paid for a sheep killed by a snow leopard",
            SNOW,
            3,
            "70 per cent of the market value",
        ),
        ("how long does a herder have to report a dead sheep", SNOW, 3, "within three days"),
        ("how do they count tigres in the snow", TIGER, 2, "width of the pad"),
        ("can tigers catch illnesses from dogs", TIGER, 5, "from domestic dogs"),
        (
            "what did the tigers eat when wild pigs died of swine fever",
            TIGER,
            4,
            "turned to livestock and dogs",
        ),
        ("does the government give money for fences against wolfs", WOLF, 3, "prevention fund"),
        (_EMAIL_WOLF_FARM, WOLF, 3, "livestock guarding dogs"),
        ("why do saiga numbers grow back so fast", SAIGA, 4, "give birth to twins"),
        ("how meny saiga died in 2015", SAIGA, 2, "more than 200,000 saiga"),
        (
            "what painkiller poisoned the vultures",
            VULTURE,
            2,
            "carcasses of cattle treated with diclofenac",
        ),
        (
            "Vulture numbers in South Asia crashed in the 1990s and 2000s. Our class would like "
            "to know what governments did to stop it.",
            VULTURE,
            3,
            "banned diclofenac for veterinary use",
        ),
        ("how long were the cameras left out in the tost survey", SNOW_SURVEY, 2, "90 days"),
        ("what share of a snow leopard's kills are ibex", SNOW_SURVEY, 5, "ibex alone 70 per cent"),
        (_EMAIL_SNOW_DENSITY, SNOW_SURVEY, 3, "1.5 adults per 100 square kilometres"),
        (
            "did any of the released tigresses have cubs",
            TIGER_CUBS,
            4,
            "three of the released tigresses",
        ),
        ("do the keepers hide from the tiger cubs", TIGER_CUBS, 2, "stay out of sight"),
        (
            "how many people have been killed by elephants in assam",
            ELEPHANT,
            2,
            "71 people and 26 elephants",
        ),
        (_EMAIL_ELEPHANT, ELEPHANT, 4, "10,000 rupees per hectare"),
        ("how are villagers warned that elephants are coming", ELEPHANT, 3, "text message"),
        ("does chilli keep elephants away from fields", ELEPHANT, 5, "chilli paste and engine oil"),
        ("why are elephant corridors disappearing", ELEPHANT, 6, "tea gardens and new roads"),
        (
            "where were the first persian leopards set free in russia",
            PERSIAN,
            3,
            "caucasus nature reserve",
        ),
        ("how do leopard cubs at the sochi centre learn to hunt", PERSIAN, 2, "live prey"),
        ("who pays for the persian leopard programme", PERSIAN, 4, "ministry of natural resources"),
        (
            "I read that persian leopards were brought back to the caucasus mountains after "
            "they died out there, what happened to the ones that were released, did any die?",
            PERSIAN,
            3,
            "killed by a poacher in abkhazia",
        ),
    ]
]

# The charity's own example question, and a student's e-mail about it.
ISSUE_QUESTION = QUESTIONS[0].text
EMAIL_LEOPARD = _EMAIL_LEOPARD


def tuning() -> list[Question]:
    """The questions the ranking was tuned on."""
    return [question for question in QUESTIONS if not question.held_out]


def held_out(batch: int | None = None) -> list[Question]:
    """The questions kept out of tuning (of one ``batch`` only, when given)."""
    return [
        question
        for question in QUESTIONS
        if question.held_out and (batch is None or question.batch == batch)
    ]


def write_reports(folder: Path) -> list[Path]:
    """The reports as PDFs (made with fpdf2) in ``folder``."""
    from pdf_factory import make_pdf  # tests/ is on sys.path for tests and the benchmark

    return [
        make_pdf(
            folder / report.filename,
            report.pages,
            title=report.title,
            year=report.year,
            heading=report.title,
        )
        for report in ALL_REPORTS
    ]
