"""Russian text that a PDF's font hands to pypdf as Latin-1 (LaTeX's T2A fonts without a
Unicode map: "Ìîñêâà" for "Москва") is read as the Russian it is, so that a Russian thesis is
found by Russian words and described by its Russian title."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from indexer.cli.main import main
from indexer.ingest.extract import extract_pdf
from indexer.normalize import cyrillic_from_latin1, cyrillic_read_as_latin1
from tests.conftest import CORPUS
from tests.older_homes import home_that_kept, refresh, search
from tests.pdf_factory import cp1251_font_pdf

COVER = [
    (12, "Московский государственный университет"),
    (12, "Факультет вычислительной математики и кибернетики"),
    (17, "Кузнецова Мария Павловна"),
    (17, "Экспериментальное исследование методов учёта популяции леопарда"),
    (17, "Выпускная квалификационная работа"),
    (12, "Научный руководитель"),
    (12, "доктор физико-математических наук, профессор"),
    (12, "Измайлов Алексей Феликсович"),
    (12, "Москва, 2023"),
]


def test_cyrillic_read_as_latin1_is_told_and_undone() -> None:
    misread = "Ìîñêîâñêèé ãîñóäàðñòâåííûé óíèâåðñèòåò èì. Ì. Â. Ëîìîíîñîâà"
    assert cyrillic_read_as_latin1(misread)
    assert (
        cyrillic_from_latin1(misread)
        == "Московский государственный университет им. М. В. Ломоносова"  # noqa: RUF001
    )
    assert cyrillic_from_latin1("Ìîñêâà, 2023 \u00b8æ") == "Москва, 2023 ёж"
    # Real French and German, accents and all, are left alone.
    for text in (
        "Théorie et application au scoring, Université Paris IX Dauphine, année 2014-2015",
        "Philipps-Universität Marburg, Fachbereich Mathematik und Informatik, 7. März 2023",
        "Les données de l'été à Montréal : où, quand, à qui ?",
    ):
        assert not cyrillic_read_as_latin1(text), text


def test_a_russian_cover_drawn_in_cp1251_is_read_in_russian(tmp_path: Path) -> None:
    got = extract_pdf(cp1251_font_pdf(tmp_path / "diplom.pdf", COVER))
    assert "Научный руководитель" in got.pages[0]
    assert got.title == "Экспериментальное исследование методов учёта популяции леопарда"
    assert got.authors == ["Кузнецова Мария Павловна"]
    assert got.year == 2023


def test_it_is_found_by_russian_words(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    cp1251_font_pdf(folder / "diplom.pdf", COVER)
    home = ["--home", str(tmp_path / "home")]
    runner = CliRunner()
    assert runner.invoke(main, [*home, "import", str(folder)]).exit_code == 0
    found = runner.invoke(main, [*home, "search", "популяция леопарда"])
    assert found.exit_code == 0, found.output
    assert "diplom.pdf" in found.output


def test_the_corpus_has_no_page_taken_for_misread_cyrillic() -> None:
    # Korean, Arabic, German, French and scanned papers among them: none is touched.
    for pdf in sorted(CORPUS.rglob("*.pdf"))[:40]:
        try:
            pages = extract_pdf(pdf).pages[:3]
        except Exception:  # the damaged and encrypted ones say nothing here
            continue
        assert not any(cyrillic_read_as_latin1(page) for page in pages), pdf.name


def test_a_home_that_kept_the_misread_text_is_put_right_by_refresh(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    cp1251_font_pdf(folder / "diplom.pdf", COVER)
    # As an earlier version kept it: the text and the title as pypdf misread them.
    home, paper = home_that_kept(
        tmp_path,
        folder,
        lambda pages: [page.encode("cp1251").decode("latin-1") for page in pages],
        "леопард",
        title=lambda pages: pages[0][:40],
    )
    assert "diplom.pdf" not in search(home, "популяция")

    assert "1 updated" in refresh(home).output
    assert "Научный руководитель" in home.library.page_texts(paper.id)[0]
    again = home.library.get(paper.id)
    assert again.title == "Экспериментальное исследование методов учёта популяции леопарда"
    assert again.tags == ["леопард"]
    assert "diplom.pdf" in search(home, "популяция леопарда")
    verified = CliRunner().invoke(main, ["--home", str(home.root), "verify"])
    assert verified.exit_code == 0
