"""Ask the charity (issue 27): a reader's question with their search reaches the staff's inbox,
staff answer it with links to papers (by e-mail through a real local SMTP server, or as a text
to copy), publish it, and later searches find the published answer; the gaps page lists what
readers could not find. Through the Flask test client and the CLI."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import sqlite3
import stat
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from archive.accounts import AccountStore
from archive.questions import ANSWERED, NEW, QUESTIONS_FILE, SPAM, QuestionStore
from archive.usage import Search, UsageStore
from indexer.cli.main import main
from indexer.home import ArchiveHome
from indexer.index import VERSION_FILE
from indexer.published_answers import find_answers, sync_answers
from tests.conftest import paper_id_of

# The readers' forms' sign-in helpers and fixtures: cheap password hashing (autouse), and
# the local SMTP server.
from tests.copy_requests_support import (
    PASSWORD,
    USER,
    _cheap_password_hashing,
    smtp,
    staff_client,
    token_of,
)
from tests.smtp_server import Mailbox, app_mail_config, free_port
from webui import create_app

TIGER = "amur-tiger-fact-sheet.pdf"
GUIDE = "camera-trapping-guide.pdf"
__all__ = ["_cheap_password_hashing", "smtp"]  # fixtures, used by name

STAFF_MAIL = "curator@charity.example"
READER = "ada@university.example"
NOTHING = "quoll denning sites"  # no demo paper holds these words
QUESTION = "Where do quolls make their dens, and how are the sites protected?"


def mail_config(port: int) -> dict[str, Any]:
    return app_mail_config(port, QUESTION_NOTIFY=STAFF_MAIL)


@pytest.fixture
def staff_home(demo_home: ArchiveHome) -> ArchiveHome:
    AccountStore(demo_home.root).add(USER, PASSWORD)
    return demo_home


def make_app(home: ArchiveHome, **config: Any) -> Flask:
    settings: dict[str, Any] = {"ARCHIVE_HOME": str(home.root), "TESTING": True}
    settings.update(QUESTION_RATE_LIMIT="1000 per hour")
    settings.update(config)
    return create_app(settings)


@pytest.fixture
def mail_app(staff_home: ArchiveHome, smtp: tuple[Mailbox, int]) -> Iterator[Flask]:
    app = make_app(staff_home, **mail_config(smtp[1]))
    yield app
    app.extensions["staff_services"].uploads.stop()
    app.extensions["staff_services"].sync.stop()


def ask(client: FlaskClient, query: str = NOTHING, **fields: str) -> Any:
    """A reader's question, as the form on the results page posts it."""
    data = {
        "csrf_token": token_of(client, f"/search?q={query}"),
        "question": QUESTION,
        "email": READER,
        "name": "Ada Reader",
        "q": query,
        **fields,
    }
    return client.post("/ask", data=data)


def only_question(home: ArchiveHome) -> Any:
    [item] = QuestionStore(home.root).list()
    return item


def test_a_search_that_finds_nothing_offers_the_form_and_the_question_keeps_the_search(
    mail_app: Flask, staff_home: ArchiveHome, smtp: tuple[Mailbox, int]
) -> None:
    reader = mail_app.test_client()
    page = reader.get(f"/search?q={NOTHING}").get_data(as_text=True)
    assert "Didn't find what you need? Ask the charity" in page.replace("&#39;", "'")
    assert "<details open>" in page  # prominent: nothing was found
    answer = ask(reader)
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith("#ask")
    shown = reader.get(answer.headers["Location"]).get_data(as_text=True)
    assert "your question has been sent to the charity" in shown
    item = only_question(staff_home)
    assert (item.question, item.email, item.name) == (QUESTION, READER, "Ada Reader")
    assert item.state == NEW
    assert item.language == "en"
    assert item.search.query == NOTHING and item.search.total == 0
    mode = stat.S_IMODE((staff_home.root / QUESTIONS_FILE).stat().st_mode)
    assert mode & 0o077 == 0
    [notice] = smtp[0].to(STAFF_MAIL)
    body = notice.get_content()
    assert QUESTION in body and NOTHING in body
    assert "http" not in body  # no public_base_url: no link at all, whatever the Host said


def test_a_search_that_finds_papers_keeps_what_it_found_and_folds_the_form(
    mail_app: Flask, staff_home: ArchiveHome
) -> None:
    reader = mail_app.test_client()
    page = reader.get("/search?q=amur+tiger").get_data(as_text=True)
    assert 'id="ask"' in page and "<details open>" not in page  # found plenty: folded
    assert 'class="ask-hint"' not in page
    assert page.index('id="ask"') > page.index('class="hit"')  # at the foot, after the papers
    question = reader.get("/search?q=what+do+tigers+eat+in+the+taiga+during+winter")
    assert 'class="ask-hint"' in question.get_data(as_text=True)  # answered weakly
    assert ask(reader, "amur tiger poaching").status_code == 303
    item = only_question(staff_home)
    assert item.search.total >= 1
    titles = [hit["title"] for hit in item.search.results]
    tiger = staff_home.library.get(paper_id_of(staff_home, TIGER))
    assert tiger.title in titles
    assert all("<" not in answer["text"] for answer in item.search.answers)


def test_a_paper_page_carries_the_form_and_the_question_names_the_paper(
    mail_app: Flask, staff_home: ArchiveHome
) -> None:
    reader = mail_app.test_client()
    paper_id = paper_id_of(staff_home, TIGER)
    page = reader.get(f"/papers/{paper_id}").get_data(as_text=True)
    assert 'action="/ask"' in page and f'name="paper" value="{paper_id}"' in page
    token = token_of(reader, f"/papers/{paper_id}")
    answer = reader.post(
        "/ask",
        data={"csrf_token": token, "question": "Is there a newer census?", "email": READER,
              "paper": paper_id},
    )  # fmt: skip
    assert answer.headers["Location"].endswith(f"/papers/{paper_id}#ask")
    assert only_question(staff_home).paper_id == paper_id


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"question": ""}, "Please write your question."),
        ({"question": "x" * 10_000}, "at most 2000 characters"),
        ({"email": "a@b.example, c@d.example"}, "Please give one e-mail address"),
        ({"email": "a@b.example\r\nBcc: evil@x.example"}, "Please give one e-mail address"),
        ({"email": "Ada <a@b.example>"}, "Please give one e-mail address"),
        ({"name": "n" * 300}, "Please shorten your name"),
    ],
)
def test_bad_input_is_said_kept_in_the_form_and_nothing_is_stored(
    mail_app: Flask, staff_home: ArchiveHome, fields: dict[str, str], message: str
) -> None:
    reader = mail_app.test_client()
    answer = ask(reader, **fields)
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert message in page
    if fields.get("question", QUESTION):
        assert 'name="question"' in page
    assert QuestionStore(staff_home.root).list() == []


def test_header_injection_in_the_question_reaches_no_header(
    mail_app: Flask, staff_home: ArchiveHome, smtp: tuple[Mailbox, int]
) -> None:
    reader = mail_app.test_client()
    assert ask(reader, question="Hello\r\nBcc: evil@x.example\r\n\r\nspam").status_code == 303
    [notice] = smtp[0].to(STAFF_MAIL)
    assert notice["Bcc"] is None
    assert "evil@x.example" not in str(notice["To"])


def test_the_honeypot_and_a_missing_csrf_token_keep_bots_out(
    mail_app: Flask, staff_home: ArchiveHome, smtp: tuple[Mailbox, int]
) -> None:
    reader = mail_app.test_client()
    answer = ask(reader, website="http://spam.example")
    assert answer.status_code == 303  # thanked, as a person would be
    no_token = reader.post("/ask", data={"question": QUESTION, "email": READER})
    assert no_token.status_code == 400
    assert QuestionStore(staff_home.root).list() == []
    assert smtp[0].messages == []


def test_one_client_and_many_are_bounded(staff_home: ArchiveHome) -> None:
    app = make_app(staff_home, QUESTION_RATE_LIMIT="2 per hour")
    reader = app.test_client()
    assert [ask(reader).status_code for _ in range(3)] == [303, 303, 429]
    assert len(QuestionStore(staff_home.root).list()) == 2
    many = make_app(staff_home, QUESTION_DAILY_LIMIT=3)
    statuses = [_ask_from(many, f"10.0.0.{n}").status_code for n in range(3)]
    assert statuses == [303, 429, 429]  # two already asked today, a third fills the day
    assert len(QuestionStore(staff_home.root).list()) == 3


def _ask_from(app: Flask, address: str) -> Any:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return ask(client)


def test_an_unreachable_mail_server_loses_no_question(staff_home: ArchiveHome) -> None:
    app = make_app(staff_home, **mail_config(free_port()))
    reader = app.test_client()
    assert ask(reader).status_code == 303
    assert only_question(staff_home).question == QUESTION
    staff = staff_client(app)
    assert QUESTION in staff.get("/staff/questions").get_data(as_text=True)


def test_staff_answer_with_links_found_in_the_form_and_the_reader_gets_it_in_russian(
    mail_app: Flask, staff_home: ArchiveHome, smtp: tuple[Mailbox, int]
) -> None:
    reader = mail_app.test_client()
    reader.get("/language/ru")
    assert ask(reader).status_code == 303
    item = only_question(staff_home)
    assert item.language == "ru"
    staff = staff_client(mail_app)
    dashboard = staff.get("/staff").get_data(as_text=True)
    assert "1 new question" in dashboard
    inbox = staff.get("/staff/questions").get_data(as_text=True)
    assert QUESTION in inbox
    url = f"/staff/questions/{item.id}"
    token = token_of(staff, url)
    found = staff.post(
        f"{url}/answer",
        data={"csrf_token": token, "action": "find", "find": "amur tiger", "answer": "Draft"},
    ).get_data(as_text=True)
    tiger_id = paper_id_of(staff_home, TIGER)
    assert f'value="{tiger_id}"' in found and ">Draft</textarea>" in found  # the text kept
    sent = staff.post(
        f"{url}/answer",
        data={"csrf_token": token, "action": "send", "answer": "We have no papers on quolls yet.",
              "link": [tiger_id, f"{tiger_id}:1"]},
    )  # fmt: skip
    assert sent.status_code == 303
    item = only_question(staff_home)
    assert item.state == ANSWERED and [link.page for link in item.links] == [None, 1]
    [reply] = smtp[0].to(READER)
    body = reply.get_content()
    assert "We have no papers on quolls yet." in body
    assert "Вы спросили" in body  # the reader's language
    assert f"http://localhost/papers/{tiger_id}" in body
    assert f"/papers/{tiger_id}/pdf#page=1" in body
    assert staff.get(f"/papers/{tiger_id}").status_code == 200


@pytest.mark.parametrize(
    ("mail", "said"),
    [
        ("none", "No e-mail is configured: send this text to ada@university.example yourself"),
        ("down", "the mail server did not take it. Send this text to ada@university.example"),
    ],
)
def test_an_answer_that_cannot_be_e_mailed_is_kept_with_a_text_to_send(
    staff_home: ArchiveHome, mail: str, said: str
) -> None:
    # Without SMTP settings, or with a mail server that is not there.
    app = make_app(staff_home, **(mail_config(free_port()) if mail == "down" else {}))
    assert ask(app.test_client()).status_code == 303
    item = only_question(staff_home)
    staff = staff_client(app)
    url = f"/staff/questions/{item.id}"
    page = staff.post(
        f"{url}/answer",
        data={"csrf_token": token_of(staff, url), "action": "send", "answer": "Try the library."},
    )
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert said in text
    assert 'id="reply-text"' in text and "Try the library." in text
    kept = only_question(staff_home)
    assert kept.state == ANSWERED and kept.answer == "Try the library."


def _answer_and_publish(
    app: Flask, home: ArchiveHome, links: list[str], wording: str, expect: str = "Published"
) -> Any:
    reader = app.test_client()
    assert ask(reader).status_code == 303
    item = next(q for q in QuestionStore(home.root).list() if q.state == NEW)
    staff = staff_client(app)
    url = f"/staff/questions/{item.id}"
    token = token_of(staff, url)
    answer_text = "Quolls den in rock crevices and hollow logs; our fact sheet has the methods."
    data = {"csrf_token": token, "action": "send", "answer": answer_text, "link": links}
    staff.post(f"{url}/answer", data=data)
    published = staff.post(
        f"{url}/publish",
        data={"csrf_token": token, "public_question": wording, "public_answer": answer_text},
        follow_redirects=True,
    )
    assert expect in published.get_data(as_text=True)
    return staff, item


def _published_citing_the_tiger(home: ArchiveHome) -> tuple[Flask, FlaskClient, Any, str]:
    """An app whose one question is answered and published, linking the tiger fact sheet."""
    app = make_app(home)
    tiger_id = paper_id_of(home, TIGER)
    staff, item = _answer_and_publish(app, home, [tiger_id], "Where do quolls den?")
    return app, staff, item, tiger_id


def test_a_published_answer_is_found_by_search_listed_and_unpublished_everywhere_at_once(
    staff_home: ArchiveHome,
) -> None:
    app, staff, item, tiger_id = _published_citing_the_tiger(staff_home)
    public = app.test_client()
    results = public.get(f"/search?q={NOTHING}").get_data(as_text=True)
    assert "The charity has answered this question" in results
    assert "Where do quolls den?" in results
    listing = public.get("/questions").get_data(as_text=True)
    assert "Where do quolls den?" in listing
    page = public.get(f"/questions/{item.id}").get_data(as_text=True)
    assert "Ada" not in page and READER not in page
    assert QUESTION not in page  # staff's wording, not the reader's
    assert f"/papers/{tiger_id}" in page
    assert f"/questions/{item.id}" in public.get("/sitemap.xml").get_data(as_text=True)
    # Beside the paper it cites: on the paper's search hit and on its page.
    for url in ("/search?q=amur+tiger", f"/papers/{tiger_id}"):
        beside = public.get(url).get_data(as_text=True)
        assert "Cited in the charity's answer to" in beside, url
        assert f'href="/questions/{item.id}"' in beside, url
    # Survives a reindex and a schema upgrade of the home, in place.
    result = CliRunner().invoke(main, ["--home", str(staff_home.root), "reindex"])
    assert result.exit_code == 0, result.output
    # archive verify knows answers are not papers: nothing to report, nothing "repaired" away.
    checked = CliRunner().invoke(main, ["--home", str(staff_home.root), "verify"])
    assert checked.exit_code == 0, checked.output
    CliRunner().invoke(main, ["--home", str(staff_home.root), "verify", "--repair"])
    assert "Where do quolls den?" in public.get(f"/search?q={NOTHING}").get_data(as_text=True)
    (staff_home.index.path / VERSION_FILE).write_text("8\n")
    ArchiveHome.at(staff_home.root)
    again = make_app(staff_home).test_client()
    assert "Where do quolls den?" in again.get(f"/search?q={NOTHING}").get_data(as_text=True)
    # Unpublished: gone from the page, the list, search and the sitemap at once.
    token = token_of(staff, f"/staff/questions/{item.id}")
    staff.post(f"/staff/questions/{item.id}/unpublish", data={"csrf_token": token})
    assert public.get(f"/questions/{item.id}").status_code == 404
    assert "Where do quolls den?" not in public.get("/questions").get_data(as_text=True)
    assert "Where do quolls den?" not in public.get(f"/search?q={NOTHING}").get_data(as_text=True)
    assert f"/questions/{item.id}" not in public.get("/sitemap.xml").get_data(as_text=True)


def test_a_published_answer_never_reveals_a_staff_only_paper(staff_home: ArchiveHome) -> None:
    app = make_app(staff_home)
    guide_id = paper_id_of(staff_home, GUIDE)
    guide = staff_home.library.get(guide_id)
    _staff, item = _answer_and_publish(app, staff_home, [guide_id], "How are camera traps set?")
    staff_home.library.save(dataclasses.replace(guide, access="staff-only"))
    public = app.test_client()
    page = public.get(f"/questions/{item.id}").get_data(as_text=True)
    assert guide.title not in page and guide_id not in page
    assert guide.title not in public.get("/questions").get_data(as_text=True)


def test_spam_and_filters(staff_home: ArchiveHome) -> None:
    app = make_app(staff_home)
    reader = app.test_client()
    ask(reader)
    ask(reader, question="Buy cheap watches now")
    staff = staff_client(app)
    spam = next(q for q in QuestionStore(staff_home.root).list() if "watches" in q.question)
    token = token_of(staff, "/staff/questions")
    staff.post(f"/staff/questions/{spam.id}/spam", data={"csrf_token": token})
    assert QuestionStore(staff_home.root).get(spam.id).state == SPAM
    new = staff.get("/staff/questions").get_data(as_text=True)
    assert "watches" not in new and QUESTION in new
    assert "watches" in staff.get("/staff/questions?state=spam").get_data(as_text=True)
    assert staff.post(f"/staff/questions/{spam.id}/spam").status_code == 400  # no CSRF token
    anonymous = app.test_client()
    assert anonymous.get("/staff/questions").status_code in (302, 303, 401)


def test_names_and_addresses_are_deleted_after_the_retention_period(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = QuestionStore(tmp_path)
    old = store.add("Old question?", "old@x.example", name="Old Reader")
    spam = store.add("spam", "s@x.example")
    store.set_state(spam.id, SPAM)
    fresh = store.add("New question?", "new@x.example", name="New Reader")
    store.purge(90)  # nothing is old yet
    assert store.get(fresh.id).email == "new@x.example" and store.get(spam.id).state == SPAM
    store.purge(90, now=datetime.now(UTC) + timedelta(days=91))
    kept = store.get(old.id)
    assert (kept.name, kept.email, kept.question) == ("", "", "Old question?")
    assert {q.id for q in store.list()} == {old.id, fresh.id}  # the spam deleted whole


def test_the_gaps_page_groups_unanswered_questions_and_missed_searches(
    staff_home: ArchiveHome,
) -> None:
    UsageStore(staff_home.root).append(
        [Search("quoll diet", 0), Search("quoll diet", 0), Search("amur tiger", 5)], []
    )
    app = make_app(staff_home)
    ask(app.test_client())
    staff = staff_client(app)
    page = staff.get("/staff/gaps").get_data(as_text=True)
    assert "quoll diet" in page and QUESTION in page
    assert "amur tiger" not in page  # it found papers
    rows = list(csv.DictReader(io.StringIO(staff.get("/staff/gaps.csv").get_data(as_text=True))))
    groups = {row["text"]: row["group"] for row in rows}
    assert groups["quoll diet"] == groups[QUESTION] == "quoll"  # the word they share


def test_the_cli_lists_and_exports_questions(staff_home: ArchiveHome) -> None:
    store = QuestionStore(staff_home.root)
    store.add('=HYPERLINK("http://x")', "a@b.example", name="Ada")
    store.add("Quolls?", "c@d.example")
    runner = CliRunner()
    home = ["--home", str(staff_home.root)]
    listed = runner.invoke(main, [*home, "questions", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    data = json.loads(listed.output)
    assert {item["question"] for item in data["questions"]} == {"Quolls?", '=HYPERLINK("http://x")'}
    text = runner.invoke(main, [*home, "questions", "list", "--state", "new"])
    assert "Quolls?" in text.output
    bad = runner.invoke(main, [*home, "questions", "list", "--state", "maybe"])
    assert bad.exit_code == 2
    exported = runner.invoke(main, [*home, "questions", "export", "--csv"])
    assert exported.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(exported.output)))
    assert {row["question"] for row in rows} == {"Quolls?", '\'=HYPERLINK("http://x")'}
    assert "a@b.example" not in exported.output and "Ada" not in exported.output


def test_an_existing_home_gains_the_inbox_with_nothing_lost(staff_home: ArchiveHome) -> None:
    before = staff_home.index.stats()
    papers = {paper.id for paper in staff_home.library.papers()}
    (staff_home.index.path / VERSION_FILE).write_text("8\n")  # an index of the last release
    upgraded = ArchiveHome.at(staff_home.root)
    assert upgraded.index.stats() == before
    assert {paper.id for paper in upgraded.library.papers()} == papers
    app = make_app(upgraded)
    staff = staff_client(app)
    assert "No new questions." in staff.get("/staff").get_data(as_text=True)
    assert "No answers are published yet." in app.test_client().get("/questions").get_data(
        as_text=True
    )
    assert not (staff_home.root / QUESTIONS_FILE).exists()  # made by the first question only
    assert ask(app.test_client()).status_code == 303
    assert QUESTION in staff.get("/staff/questions").get_data(as_text=True)


def test_answers_are_written_to_the_index_only_when_they_changed(staff_home: ArchiveHome) -> None:
    store = QuestionStore(staff_home.root)
    item = store.add("Quolls?", "a@b.example")
    store.answer(item.id, "In logs.", [], "curator")
    assert sync_answers(staff_home.index, staff_home.root) is False  # nothing published yet
    store.publish(item.id, "Where do quolls den?", "In logs.")
    assert sync_answers(staff_home.index, staff_home.root) is True
    generation = staff_home.index.open().latest_generation()
    make_app(staff_home)  # a start with the index in line writes nothing
    assert staff_home.index.open().latest_generation() == generation
    store.publish(item.id, "Where do quolls make dens?", "In logs.")  # new wording
    assert sync_answers(staff_home.index, staff_home.root) is True
    assert [a.question for a in find_answers(staff_home.index, "quolls dens")] == [
        "Where do quolls make dens?"
    ]


def test_a_russian_question_finds_the_english_published_answer(staff_home: ArchiveHome) -> None:
    store = QuestionStore(staff_home.root)
    item = store.add("Amur leopard numbers?", "a@b.example")
    store.answer(item.id, "About a hundred.", [], "curator")
    store.publish(item.id, "How many Far Eastern leopards are left?", "About a hundred adults.")
    sync_answers(staff_home.index, staff_home.root)
    app = make_app(staff_home)
    page = app.test_client().get("/search?q=сколько+осталось+амурских+леопардов")
    assert "How many Far Eastern leopards are left?" in page.get_data(as_text=True)
    unrelated = app.test_client().get("/search?q=amur+tiger+diet+in+winter")
    assert "How many Far Eastern leopards" not in unrelated.get_data(as_text=True)


def test_the_inbox_pages_a_long_list(staff_home: ArchiveHome) -> None:
    store = QuestionStore(staff_home.root)
    for number in range(55):
        store.add(f"Question number {number:02d}?", "a@b.example")
    staff = staff_client(make_app(staff_home))
    first = staff.get("/staff/questions").get_data(as_text=True)
    second = staff.get("/staff/questions?page=2").get_data(as_text=True)
    shown = [re.findall(r"Question number (\d\d)\?", page) for page in (first, second)]
    assert len(shown[0]) == 50 and len(shown[1]) == 5
    assert sorted(shown[0] + shown[1]) == [f"{n:02d}" for n in range(55)]
    assert 'rel="next"' in first and 'rel="prev"' in second and 'rel="next"' not in second
    assert "55 new questions" in staff.get("/staff").get_data(as_text=True)


def test_a_publish_that_meets_a_busy_index_is_indexed_when_the_import_lets_go(
    staff_home: ArchiveHome,
) -> None:
    app = make_app(staff_home)
    with staff_home.index.writer():  # as a bulk import holds it
        _staff, item = _answer_and_publish(
            app, staff_home, [], "Where do quolls den?", expect="Search will find it"
        )
        public = app.test_client()
        # The page and the list already show it (the store decides); search waits for the index.
        assert public.get(f"/questions/{item.id}").status_code == 200
    deadline = time.monotonic() + 60
    while "Where do quolls den?" not in public.get(f"/search?q={NOTHING}").get_data(as_text=True):
        assert time.monotonic() < deadline, "the waiting sync never indexed the answer"
        time.sleep(0.2)


def _raw_files(home: ArchiveHome) -> bytes:
    """Every byte SQLite keeps of the questions: the file, its log and its shared memory."""
    return b"".join(
        path.read_bytes() for path in home.root.glob(QUESTIONS_FILE + "*") if path.is_file()
    )


def test_staff_actions_on_questions_are_on_the_dashboard_by_who_and_which_question(
    staff_home: ArchiveHome,
) -> None:
    app = make_app(staff_home)
    staff, item = _answer_and_publish(app, staff_home, [], "Where do quolls den?")
    url = f"/staff/questions/{item.id}"
    token = token_of(staff, url)
    staff.post(f"{url}/publish", data={"csrf_token": token, "public_question": "Quoll dens?",
                                        "public_answer": "In logs."})  # fmt: skip
    staff.post(f"{url}/unpublish", data={"csrf_token": token})
    ask(app.test_client(), question="Buy cheap watches now <img src=x onerror=alert(1)>")
    spam = next(q for q in QuestionStore(staff_home.root).list() if "watches" in q.question)
    staff.post(f"/staff/questions/{spam.id}/spam", data={"csrf_token": token})
    staff.post(f"/staff/questions/{spam.id}/reopen", data={"csrf_token": token})
    dashboard = staff.get("/staff").get_data(as_text=True)
    link = f'“<a href="/staff/questions/{item.id}">Quoll dens?</a>”'
    for said in (
        f"answered the question {link}",
        f"published the answer to {link}",
        f"changed the published wording of {link}",
        f"unpublished the answer to {link}",
        f'closed the question “<a href="/staff/questions/{spam.id}">Buy cheap watches now'
        " &lt;img src=x onerror=alert(1)&gt;</a>” as spam",
        f'took the question “<a href="/staff/questions/{spam.id}">Buy cheap',
    ):
        assert said in dashboard, said
    assert dashboard.count('<td class="who">curator</td>') >= 7
    assert "<img src=x" not in dashboard  # the reader's text, escaped
    staff.get("/language/ru")
    russian = staff.get("/staff").get_data(as_text=True)
    said = f'опубликовал(а) ответ на вопрос «<a href="/staff/questions/{item.id}">'  # noqa: RUF001
    assert said in russian
    staff.get("/language/en")
    # The journal names questions by id only: no reader's words, name or address in it.
    journal = (staff_home.log_dir / "activity.jsonl").read_text()
    assert item.id in journal and "question-publish" in journal
    assert READER not in journal and "Ada" not in journal and "quolls" not in journal.lower()
    # Deleted: the entries stay, saying who did what, and name no reader.
    staff.post(f"{url}/delete", data={"csrf_token": token})
    dashboard = staff.get("/staff").get_data(as_text=True)
    assert "deleted a reader's question asked on" in dashboard
    assert "answered the question (since deleted)" in dashboard
    assert "Quoll dens?" not in dashboard


def test_staff_delete_a_question_and_the_reader_is_erased_everywhere(
    staff_home: ArchiveHome,
) -> None:
    app, staff, item, _tiger = _published_citing_the_tiger(staff_home)
    public = app.test_client()
    assert "Where do quolls den?" in public.get(f"/search?q={NOTHING}").get_data(as_text=True)
    assert READER.encode() in _raw_files(staff_home)
    url = f"/staff/questions/{item.id}"
    assert f'href="{url}/delete"' in staff.get(url).get_data(as_text=True)
    confirm = staff.get(f"{url}/delete").get_data(as_text=True)
    assert "Delete this question?" in confirm and QUESTION in confirm
    assert 'leaves "Questions readers asked" and search' in confirm
    # Readers and forged forms cannot delete; a GET deletes nothing.
    assert public.post(f"{url}/delete").status_code in (302, 303, 401)
    assert staff.post(f"{url}/delete").status_code == 400  # no CSRF token
    assert QuestionStore(staff_home.root).get(item.id).email == READER
    gone = staff.post(f"{url}/delete", data={"csrf_token": token_of(staff, url)})
    assert gone.status_code == 303 and gone.headers["Location"].endswith("/staff/questions")
    assert "Deleted the question" in staff.get("/staff/questions").get_data(as_text=True)
    assert QuestionStore(staff_home.root).list() == []
    assert staff.get(url).status_code == 404
    again = staff.post(f"{url}/delete", data={"csrf_token": token_of(staff, "/staff")})
    assert again.status_code == 404
    # Gone from the public pages, search, the sitemap and the index itself.
    assert public.get(f"/questions/{item.id}").status_code == 404
    assert "Where do quolls den?" not in public.get("/questions").get_data(as_text=True)
    assert "Where do quolls den?" not in public.get(f"/search?q={NOTHING}").get_data(as_text=True)
    assert f"/questions/{item.id}" not in public.get("/sitemap.xml").get_data(as_text=True)
    assert find_answers(staff_home.index, NOTHING) == []
    # Overwritten on disk: not in the file, nor in SQLite's log beside it.
    raw = _raw_files(staff_home)
    assert READER.encode() not in raw and b"Ada Reader" not in raw and b"quolls make" not in raw


def test_retention_overwrites_the_blanked_names_and_addresses_on_disk(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = QuestionStore(tmp_path)
    store.add("Old question?", "old-reader@x.example", name="Olga Oldreader")
    # Another connection open, as the server's other threads keep one: SQLite then keeps its
    # log (the -wal file, with the row as it was) after the purge's own connection closes.
    other = sqlite3.connect(tmp_path / QUESTIONS_FILE)
    other.execute("SELECT COUNT(*) FROM questions").fetchall()
    store.purge(90, now=datetime.now(UTC) + timedelta(days=91))
    raw = b"".join(path.read_bytes() for path in tmp_path.glob(QUESTIONS_FILE + "*"))
    other.close()
    assert b"old-reader@x.example" not in raw and b"Olga Oldreader" not in raw
    assert b"Old question?" in raw  # kept: it tells the charity what its archive lacks


def test_no_question_id_reads_as_an_option_on_the_command_line(tmp_path: Path) -> None:
    # A staff member types `archive questions delete <id>`: an id starting with "-" was taken
    # for an option (a usage error, exit 2). With URL-safe base64 ids one in 64 did.
    store = QuestionStore(tmp_path)
    ids = [store.add(f"Question {n}?", "r@x.example").id for n in range(256)]
    assert not [question_id for question_id in ids if question_id.startswith("-")]
    assert len(set(ids)) == 256


def test_the_cli_deletes_a_question_after_asking(staff_home: ArchiveHome) -> None:
    store = QuestionStore(staff_home.root)
    item = store.add("Quolls?", "c@d.example", name="Cleo")
    store.answer(item.id, "In logs.", [], "curator")
    store.publish(item.id, "Where do quolls den?", "In hollow logs.")
    sync_answers(staff_home.index, staff_home.root)
    runner = CliRunner()
    home = ["--home", str(staff_home.root)]
    kept = runner.invoke(main, [*home, "questions", "delete", item.id], input="n\n")
    assert kept.exit_code == 1 and "Aborted" in kept.output
    assert store.get(item.id).email == "c@d.example"
    unknown = runner.invoke(main, [*home, "questions", "delete", "no-such-id"])
    assert unknown.exit_code == 1 and "There is no question 'no-such-id'" in unknown.output
    done = runner.invoke(main, [*home, "questions", "delete", item.id], input="y\n")
    assert done.exit_code == 0, done.output
    assert "Deleted the question" in done.output and "gone from the web pages and from search" in (
        done.output
    )
    assert store.list() == [] and find_answers(staff_home.index, "quolls den") == []
    again = runner.invoke(main, [*home, "questions", "delete", item.id, "--yes"])
    assert again.exit_code == 1


def test_the_api_and_the_cli_return_the_published_answers_a_search_finds(
    staff_home: ArchiveHome,
) -> None:
    app = make_app(staff_home)
    tiger_id = paper_id_of(staff_home, TIGER)
    guide_id = paper_id_of(staff_home, GUIDE)
    links = [tiger_id, guide_id]
    _staff, item = _answer_and_publish(app, staff_home, links, "Where do quolls den?")
    guide = staff_home.library.get(guide_id)
    staff_home.library.save(dataclasses.replace(guide, access="staff-only"))
    public = app.test_client()
    body = public.get(f"/api/search?q={NOTHING}").get_json()
    [found] = body["published_answers"]
    assert found["id"] == item.id and found["question"] == "Where do quolls den?"
    assert found["excerpt"].startswith("Quolls den in rock crevices")
    assert found["url"] == f"http://localhost/questions/{item.id}"
    assert [paper["id"] for paper in found["cited"]] == [tiger_id]  # the staff-only one left out
    assert found["cited"][0]["url"] == f"http://localhost/papers/{tiger_id}"
    text = json.dumps(body)
    assert READER not in text and "Ada" not in text and guide.title not in text
    assert public.get("/api/search?q=amur+tiger+diet").get_json()["published_answers"] == []
    assert public.get(f"/api/search?q={NOTHING}&page=2").get_json()["published_answers"] == []
    # The command line (a staff tool) names every cited paper; a search finding no published
    # answer keeps the PRODUCT.md shape.
    runner = CliRunner()
    home = ["--home", str(staff_home.root)]
    result = runner.invoke(main, [*home, "search", NOTHING, "--json"])
    assert result.exit_code == 0, result.output
    [found] = json.loads(result.output)["published_answers"]
    assert found["question"] == "Where do quolls den?" and "url" not in found
    assert [paper["id"] for paper in found["cited"]] == [tiger_id, guide_id]
    plain = json.loads(runner.invoke(main, [*home, "search", "amur tiger", "--json"]).output)
    assert "published_answers" not in plain
    # Unpublished: out of the JSON at once.
    QuestionStore(staff_home.root).unpublish(item.id)
    assert public.get(f"/api/search?q={NOTHING}").get_json()["published_answers"] == []
