"""Ask the charity (issue 27): readers' questions, the staff's inbox and answers, the published
"Questions readers asked", and the gaps page.

The reader's form is guarded as request-a-copy's is (:mod:`webui.public.reader_forms`): a CSRF
token, a honeypot field people never see, a per-address rate limit (``QUESTION_RATE_LIMIT``),
a cap on questions from everyone in a day (``QUESTION_DAILY_LIMIT``: a flood from many
addresses fills no disk), one reply address (:func:`archive.mail.single_address`), bounded
lengths, and staff e-mail whose links come only from the archive's configured address
(:func:`webui.urls.mail_url`). The reader's search is run again when the question arrives, as
the public, so what staff see it found is what the reader saw, and nothing the form claims.

A published answer links papers by id; each link is shown to a visitor only while the
visitor may see that paper (a paper made staff-only drops out of every published answer at
once), and the index holds the answer's own words only, never a linked paper's title.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import sqlite3
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from html import unescape
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, gettext, ngettext
from flask_babel import lazy_gettext as _l

from archive.library import PaperNotFound
from archive.paper import Paper, is_paper_id
from archive.questions import (
    ANSWERED,
    NEW,
    SPAM,
    STATES,
    Link,
    Question,
    QuestionNotFound,
    QuestionStore,
    SearchSnapshot,
    questions_csv,
)
from archive.spreadsheets import spreadsheet_cell
from archive.usage import Period, UsageStore, UsageStoreError
from indexer.analysis import fold, query_stop_words, stem_word
from indexer.engine.search import QueryError, search
from indexer.index import WRITE_TIMEOUT_S, IndexBusy
from indexer.published_answers import answer_json, found_published, sync_answers
from webui.auth import login_required
from webui.background import staff_services
from webui.context import get_home, viewer_is_staff
from webui.extensions import limiter
from webui.i18n import LANGUAGES, current_language
from webui.mailer import mail_settings, send_if_configured
from webui.public.reader_forms import (
    contact_errors,
    home_store,
    in_staff_language,
    reader_contact,
    sent_by_a_bot,
)
from webui.public.search_views import for_visitor
from webui.server.throttle import retry_later
from webui.urls import external_url, mail_url

bp = Blueprint("questions", __name__)
log = logging.getLogger(__name__)

MAX_QUESTION = 2000
MAX_ANSWER = 10_000
MAX_QUERY = 1000
MAX_LINKS = 20
SNAPSHOT_RESULTS = 5
SNAPSHOT_ANSWERS = 3
# A search that found this many papers or fewer, or only with words left out, or a question
# of this many words that no passage answered, offers the form prominently (ask_prominent).
FEW_RESULTS = 3
QUESTION_WORDS = 4
INBOX_PAGE = 50
# A publish that met a busy index is synced by a thread waiting this many times for the lock
# (WRITE_TIMEOUT_S each: an hour in all, longer than most imports hold it at once).
SYNC_ATTEMPTS = 30
GAP_WEEKS = 12
_TAG = re.compile(r"<[^>]+>")
STATE_LABELS = {NEW: _l("new"), ANSWERED: _l("answered"), SPAM: _l("closed as spam")}


@bp.record_once
def _open_store(state) -> None:  # type: ignore[no-untyped-def]
    # Opened as the app starts: a store left readable by others is tightened at once, and the
    # index's answer documents are brought in line with what is published (a publish that
    # met a busy index is indexed now).
    app = state.app
    root = Path(app.config["ARCHIVE_HOME"])
    app.extensions["questions"] = QuestionStore(root)
    if app.extensions["questions"].path.exists():
        try:
            sync_answers(app.extensions["archive_home"].index, root, timeout=1.0)
        except IndexBusy:
            _sync_later(app)  # a bulk import holds the index: synced when it lets go
        except (OSError, sqlite3.Error) as error:  # the server starts regardless
            log.warning("published answers not synced with the index: %s", error)


def question_store() -> QuestionStore:
    """The app's store of readers' questions."""
    return home_store("questions", QuestionStore)


def _purge() -> None:
    question_store().purge(int(current_app.config["QUESTION_RETENTION_DAYS"]))


@bp.app_context_processor
def _labels() -> dict[str, Any]:
    return {"question_states": STATE_LABELS, "language_names": LANGUAGES}


# --- the reader's form --------------------------------------------------------------------------


@bp.app_template_global()
def ask_prominent(results: Any, query: str = "") -> bool:
    """Whether a results page should offer the question form prominently (a line at the top,
    the form open at the foot): the search found little or nothing, found papers only with
    words left out, or was a question (several words) that no passage of a paper answered."""
    if results is None:
        return True
    question = len(query.split()) >= QUESTION_WORDS and not results.answers
    return results.total <= FEW_RESULTS or bool(results.relaxed) or question


def _plain(html: str) -> str:
    return " ".join(unescape(_TAG.sub("", html)).split())


def snapshot_of(query: str) -> SearchSnapshot:
    """What the reader's search finds for the public now (the first results and answers)."""
    query = query.strip()[:MAX_QUERY]
    if not query:
        return SearchSnapshot()
    home = get_home()
    try:
        found = search(
            home.index,
            query,
            limit=SNAPSHOT_RESULTS,
            thesaurus=home.thesaurus(),
            public=True,
        )
    except QueryError:
        return SearchSnapshot(query=query)
    found, _locked = for_visitor(found)
    return SearchSnapshot(
        query=query,
        total=found.total,
        results=[
            {"id": hit.id, "title": hit.title, "year": hit.year}
            for hit in found.hits[:SNAPSHOT_RESULTS]
        ],
        answers=[
            {"id": a.id, "title": a.title, "page": a.page, "text": _plain(a.html)}
            for a in found.answers[:SNAPSHOT_ANSWERS]
        ],
    )


def _form_values() -> dict[str, str]:
    name, email = reader_contact()
    return {
        "question": request.form.get("question", "").strip(),
        "email": email,
        "name": name,
        "q": request.form.get("q", "").strip()[:MAX_QUERY],
        "paper": request.form.get("paper", "").strip(),
    }


def _form_errors(values: dict[str, str]) -> dict[str, str]:
    errors = contact_errors(
        values["name"],
        values["email"],
        gettext("Please give one e-mail address, such as name@example.org, for the answer."),
    )
    if not values["question"]:
        errors["question"] = gettext("Please write your question.")
    elif len(values["question"]) > MAX_QUESTION:
        errors["question"] = gettext(
            "Please ask in at most %(most)s characters (this is %(num)s).",
            most=MAX_QUESTION,
            num=len(values["question"]),
        )
    return errors


def _paper(paper_id: str) -> Paper | None:
    """The paper of an id a form sent, when it is one in the archive (the form is the
    visitor's to edit: anything else is no paper)."""
    if not is_paper_id(paper_id):
        return None
    try:
        return get_home().library.get(paper_id)
    except PaperNotFound:
        return None


def _asked_paper(paper_id: str) -> Paper | None:
    """The paper a question was asked from, when the visitor may see it."""
    paper = _paper(paper_id)
    return paper if paper and (viewer_is_staff() or paper.may_list()) else None


def _back(values: dict[str, str]) -> Any:
    if values.get("paper") and _asked_paper(values["paper"]):
        return redirect(url_for("papers.paper", paper_id=values["paper"]) + "#ask", 303)
    if values.get("q"):
        return redirect(url_for("search.results", q=values["q"]) + "#ask", 303)
    return redirect(url_for("questions.ask"), 303)


@bp.get("/ask")
def ask() -> Any:
    """The question form on a page of its own (linked from "Questions readers asked")."""
    values = {"question": "", "email": "", "name": "", "paper": ""}
    values["q"] = request.args.get("q", "", type=str)[:MAX_QUERY]
    return render_template("questions/ask.html", values=values, errors={})


@bp.post("/ask")
@limiter.limit(lambda: current_app.config["QUESTION_RATE_LIMIT"])
def send_question() -> Any:
    """Keep a reader's question with their search, and tell the staff."""
    values = _form_values()
    if sent_by_a_bot():  # thank it, keep nothing
        flash(gettext("Thank you: your question has been sent to the charity."), "info")
        return _back(values)
    errors = _form_errors(values)
    if errors:
        return render_template("questions/ask.html", values=values, errors=errors), 400
    store = question_store()
    day_ago = datetime.now(UTC) - timedelta(days=1)
    if store.asked_since(day_ago) >= int(current_app.config["QUESTION_DAILY_LIMIT"]):
        message = gettext(
            "The charity has received very many questions today and takes no more until "
            "tomorrow. Please ask again then; nothing you wrote was kept."
        )
        return retry_later(message, 3600, 429)
    _purge()
    paper = _asked_paper(values["paper"])
    question = store.add(
        values["question"],
        values["email"],
        name=values["name"],
        language=current_language(),
        search=snapshot_of(values["q"]),
        paper_id=paper.id if paper else None,
    )
    with in_staff_language():
        send_if_configured(current_app.config.get("QUESTION_NOTIFY"), *_staff_notice(question))
    if mail_settings().configured:
        flash(
            gettext(
                "Thank you: your question has been sent to the charity. The answer will come "
                "to %(email)s.",
                email=question.email,
            ),
            "info",
        )
    else:
        flash(
            gettext("Thank you: your question has been sent to the charity, who will answer."),
            "info",
        )
    return _back(values)


def _staff_notice(question: Question) -> tuple[str, str]:
    """The subject and body of the staff's e-mail about a new question; links only from the
    archive's configured address."""
    inbox = mail_url("questions.staff_question", question_id=question.id)
    if inbox:
        where = gettext("Answer it in the questions inbox: %(link)s", link=inbox)
    else:
        where = gettext(
            "Answer it in the archive's questions inbox (sign in, then Dashboard, Questions "
            "from readers). This e-mail carries no links: the archive's public_base_url is "
            "not set."
        )
    searched = question.search.query or gettext("(no search)")
    body = gettext(
        "A reader asks:\n\n%(question)s\n\nTheir search: %(query)s (papers found: %(total)s)\n\n"
        "%(where)s\n",
        question=question.question,
        query=searched,
        total=question.search.total,
        where=where,
    )
    subject = gettext("Question from a reader: %(start)s", start=question.question[:60])
    return subject, body


# --- the staff's inbox --------------------------------------------------------------------------


@bp.app_template_global()
def question_counts() -> dict[str, int]:
    """How many questions are new, answered and spam (the dashboard's count)."""
    return question_store().counts()


@bp.get("/staff/questions")
@login_required
def inbox() -> Any:
    """The questions in one state (``new`` by default), or the published ones, newest first,
    :data:`INBOX_PAGE` a page."""
    _purge()
    state = request.args.get("state", NEW)
    page = max(1, min(request.args.get("page", 1, type=int) or 1, 10_000))
    store = question_store()
    counts = store.counts()
    if state == "published":
        chosen: dict[str, Any] = {"published": True}
    elif state == "all":
        chosen = {}
    else:
        state = state if state in STATES else NEW
        chosen = {"state": state}
    # One more than a page: whether there is a next page, without counting.
    items = store.list(**chosen, limit=INBOX_PAGE + 1, offset=(page - 1) * INBOX_PAGE)
    return render_template(
        "questions/inbox.html",
        items=items[:INBOX_PAGE],
        state=state,
        counts=counts,
        page=page,
        more=len(items) > INBOX_PAGE,
    )


def _get_or_404(question_id: str) -> Question:
    try:
        return question_store().get(question_id)
    except QuestionNotFound:
        abort(404)


def _record(action: str, question: Question, **fields: Any) -> None:
    """Put a staff action on a question in the activity journal: who, what, which question
    (by id: the dashboard names it from the store, so the journal never holds a reader's
    words, name or address, and a deleted question leaves nothing personal behind)."""
    staff_services().activity.record(action, user=g.staff, question=question.id, **fields)


@bp.app_template_global()
def question_titles(events: list[dict[str, Any]]) -> dict[str, str]:
    """A short line naming each question the activity journal's ``events`` mention, for those
    that still exist."""
    ids = [str(event["question"]) for event in events if event.get("question")]
    return question_store().titles(ids)


def _parse_link(value: str) -> Link | None:
    """A link chosen in the answer form (``<paper id>`` or ``<paper id>:<page>``), when the
    paper is in the archive."""
    paper_id, _, page = value.partition(":")
    paper = _paper(paper_id)
    if paper is None:
        return None
    number = int(page) if page.isdigit() and 0 < int(page) <= max(paper.pages, 1) else None
    return Link(paper_id=paper.id, title=paper.title, page=number)


def _link_value(link: Link) -> str:
    return f"{link.paper_id}:{link.page}" if link.page else link.paper_id


def _chosen_links() -> list[Link]:
    links = []
    for value in list(dict.fromkeys(request.form.getlist("link")))[: MAX_LINKS * 2]:
        link = _parse_link(value)
        if link is not None and link not in links:
            links.append(link)
    return links[:MAX_LINKS]


def _candidates(text: str) -> list[Link]:
    """Papers (and their best page) found for the answer form's search box, as staff see
    them."""
    text = text.strip()[:MAX_QUERY]
    if not text:
        return []
    home = get_home()
    try:
        found = search(home.index, text, limit=8, thesaurus=home.thesaurus(), public=False)
    except QueryError:
        return []
    links = []
    for hit in found.hits:
        links.append(Link(paper_id=hit.id, title=hit.title))
        if hit.pages:
            links.append(Link(paper_id=hit.id, title=hit.title, page=hit.pages[0]))
    return links


def _question_page(
    question: Question,
    answer: str | None = None,
    links: list[Link] | None = None,
    find: str = "",
    errors: dict[str, str] | None = None,
    reply: str | None = None,
    status: int = 200,
) -> Any:
    chosen = question.links if links is None else links
    return (
        render_template(
            "questions/question.html",
            item=question,
            answer=question.answer if answer is None else answer,
            chosen=chosen,
            chosen_values={_link_value(link) for link in chosen},
            candidates=[c for c in _candidates(find) if c not in chosen],
            find=find,
            errors=errors or {},
            reply=reply,
            link_value=_link_value,
            asked_paper=_asked_paper(question.paper_id or ""),
        ),
        status,
    )


@bp.get("/staff/questions/<question_id>")
@login_required
def staff_question(question_id: str) -> Any:
    """One question with the reader's search, and the answer form."""
    question = _get_or_404(question_id)
    return _question_page(question, find=request.args.get("find", "") or question.search.query)


def _public_links(question: Question) -> list[tuple[Link, str]]:
    """The answer's links a reader can follow, with their addresses: a page of a paper the
    public may read opens its PDF at that page; a paper the public may list but not read, its
    page (where a copy is asked for); a staff-only or removed paper is left out."""
    library = get_home().library
    shown = []
    for link in question.links:
        try:
            paper = library.get(link.paper_id)
        except PaperNotFound:
            continue
        if not paper.may_list():
            continue
        if link.page and paper.may_read():
            url = external_url("papers.pdf", paper_id=paper.id) + f"#page={link.page}"
        else:
            url = external_url("papers.paper", paper_id=paper.id)
        shown.append((link, url))
    return shown


def reply_text(question: Question) -> tuple[str, str]:
    """The subject and body of the answer to the reader, in the language they asked in. Its
    links are built from the signed-in curator's own request (a CSRF-checked form their
    browser sent), or from the configured public address, never from a reader's request."""
    with force_locale(question.language or "en"):
        lines = []
        for link, url in _public_links(question):
            if link.page:
                label = gettext("%(title)s, page %(num)s", title=link.title, num=link.page)
            else:
                label = link.title
            lines.append(f"  {label}\n  {url}")
        papers = ""
        if lines:
            papers = gettext("Papers in the archive:") + "\n\n" + "\n\n".join(lines) + "\n\n"
        greeting = (
            gettext("Dear %(name)s,", name=question.name) if question.name else gettext("Hello,")
        )
        body = gettext(
            "%(greeting)s\n\nYou asked us:\n\n%(question)s\n\n%(answer)s\n\n%(papers)s"
            "With best wishes from the charity's archive team.\n",
            greeting=greeting,
            question=question.question,
            answer=question.answer,
            papers=papers,
        )
        subject = gettext("Your question to the charity: %(start)s", start=question.question[:60])
    return subject, body


@bp.post("/staff/questions/<question_id>/answer")
@login_required
def answer(question_id: str) -> Any:
    """Find papers to link (``action=find``: the page again, the text kept), or record the
    answer and e-mail it to the reader (``action=send``)."""
    question = _get_or_404(question_id)
    text = request.form.get("answer", "").strip()
    links = _chosen_links()
    if request.form.get("action") == "find":
        return _question_page(question, text, links, find=request.form.get("find", ""))
    errors = {}
    if not text:
        errors["answer"] = gettext("Please write the answer.")
    elif len(text) > MAX_ANSWER:
        errors["answer"] = gettext("Please answer in at most %(most)s characters.", most=MAX_ANSWER)
    if errors:
        return _question_page(question, text, links, errors=errors, status=400)
    answered = question_store().answer(question.id, text, links, g.staff)
    _record("question-answer", answered, links=len(answered.links))
    subject, body = reply_text(answered)
    hidden = len(answered.links) - len(_public_links(answered))
    if hidden:
        flash(
            ngettext(
                "%(num)s linked paper is not public: it was left out of the reader's e-mail.",
                "%(num)s linked papers are not public: they were left out of the reader's e-mail.",
                hidden,
            ),
            "error",
        )
    if not answered.email:
        flash(
            gettext(
                "Answer kept. The reader's address was deleted after the retention period; "
                "nothing was sent."
            ),
            "info",
        )
        return redirect(url_for("questions.staff_question", question_id=question.id), 303)
    if send_if_configured(answered.email, subject, body):
        flash(gettext("Answered: %(email)s has been e-mailed.", email=answered.email), "info")
        return redirect(url_for("questions.staff_question", question_id=question.id), 303)
    if mail_settings().configured:
        flash(
            gettext(
                "The answer is kept, but the mail server did not take it. Send this text to "
                "%(email)s yourself.",
                email=answered.email,
            ),
            "error",
        )
    else:
        flash(
            gettext(
                "The answer is kept. No e-mail is configured: send this text to %(email)s "
                "yourself.",
                email=answered.email,
            ),
            "info",
        )
    return _question_page(answered, reply=f"{subject}\n\n{body}")


def _set_state(question_id: str, state: str, message: str) -> Any:
    question = _get_or_404(question_id)
    was_published = question.is_published
    changed = question_store().set_state(question.id, state)
    _record("question-spam" if state == SPAM else "question-reopen", changed)
    if was_published and state == SPAM:
        _sync_index()
    flash(message, "info")
    return redirect(url_for("questions.inbox"), 303)


@bp.post("/staff/questions/<question_id>/spam")
@login_required
def mark_spam(question_id: str) -> Any:
    """Close a question as spam (deleted whole after the retention period)."""
    return _set_state(question_id, SPAM, gettext("Closed as spam."))


@bp.post("/staff/questions/<question_id>/reopen")
@login_required
def reopen(question_id: str) -> Any:
    """Take a question back to new (closed as spam by mistake)."""
    return _set_state(question_id, NEW, gettext("The question is new again."))


def _sync_index() -> bool:
    """Bring the index's answers in line with the store; False when the index was busy (a
    bulk import holds it): a background thread then waits for it and syncs."""
    home = get_home()
    try:
        sync_answers(home.index, home.root)
    except IndexBusy:
        _sync_later(current_app._get_current_object())  # type: ignore[attr-defined]
        return False
    return True


_waiting = threading.Lock()


def _sync_later(app: Any) -> None:
    """Sync the answers once the index is free, in one background thread at a time (each
    sync reads the store afresh, so one late sync covers every publish made meanwhile)."""
    if not _waiting.acquire(blocking=False):
        return  # a thread is already waiting: it will read this change too

    def wait_and_sync() -> None:
        try:
            home = app.extensions["archive_home"]
            for _attempt in range(SYNC_ATTEMPTS):
                try:
                    sync_answers(home.index, home.root, timeout=WRITE_TIMEOUT_S)
                    return
                except IndexBusy:
                    continue
                except (OSError, sqlite3.Error) as error:
                    log.warning("published answers not synced with the index: %s", error)
                    return
            log.warning("published answers not synced: the index stayed busy; next start will")
        finally:
            _waiting.release()

    threading.Thread(target=wait_and_sync, name="answers-sync", daemon=True).start()


@bp.post("/staff/questions/<question_id>/publish")
@login_required
def publish(question_id: str) -> Any:
    """Publish (or republish in new wording) an answered question."""
    question = _get_or_404(question_id)
    wording = " ".join(request.form.get("public_question", "").split())[:MAX_QUESTION]
    text = request.form.get("public_answer", "").strip()[:MAX_ANSWER]
    back = redirect(url_for("questions.staff_question", question_id=question.id), 303)
    if question.state != ANSWERED:
        flash(gettext("Answer the question before publishing it."), "error")
        return back
    if not wording or not text:
        flash(gettext("A published question needs its wording and its answer."), "error")
        return back
    published = question_store().publish(question.id, wording, text)
    _record("question-publish", published, again=question.is_published)
    if _sync_index():
        flash(gettext("Published: search finds it now."), "info")
    else:
        flash(
            gettext(
                "Published. Search will find it in a moment (a bulk import is using the index)."
            ),
            "info",
        )
    return back


@bp.post("/staff/questions/<question_id>/unpublish")
@login_required
def unpublish(question_id: str) -> Any:
    """Take a published answer off the public pages and out of search at once."""
    question = _get_or_404(question_id)
    question_store().unpublish(question.id)
    if question.is_published:
        _record("question-unpublish", question)
    _sync_index()  # the pages ask the store, so it is gone from them even if this waits
    flash(gettext("Unpublished: it is no longer shown to anyone."), "info")
    return redirect(url_for("questions.staff_question", question_id=question.id), 303)


@bp.route("/staff/questions/<question_id>/delete", methods=["GET", "POST"])
@login_required
def delete(question_id: str) -> Any:
    """Ask for confirmation (GET); delete the question whole (POST from the confirmation
    page): the reader's name, address and words, its answer, and its published page and
    search entry if it had them (a reader asking for their data to be erased)."""
    question = _get_or_404(question_id)
    if request.method == "GET":
        return render_template("questions/delete.html", item=question)
    try:
        deleted = question_store().delete(question.id)
    except QuestionNotFound:
        abort(404)
    _record("question-delete", deleted, asked=deleted.created[:10])
    if deleted.is_published and not _sync_index():
        flash(
            gettext(
                "Deleted the question and everything the reader gave. Its published answer "
                "is gone from the pages; search drops it in a moment (a bulk import is using "
                "the index)."
            ),
            "info",
        )
    else:
        flash(gettext("Deleted the question and everything the reader gave."), "info")
    return redirect(url_for("questions.inbox"), 303)


# --- the published answers ----------------------------------------------------------------------


def visible_links(question: Question) -> list[tuple[Link, bool]]:
    """The links of a published answer the visitor may see, each with whether the visitor
    may read the paper (a page link then opens the PDF at that page). A paper made
    staff-only, or removed, is left out: its title is never shown."""
    shown = []
    library = get_home().library
    staff = viewer_is_staff()
    for link in question.links:
        try:
            paper = library.get(link.paper_id)
        except PaperNotFound:
            continue
        if staff or paper.may_list():
            shown.append((Link(paper.id, paper.title, link.page), staff or paper.may_read()))
    return shown


@bp.get("/questions")
def published_list() -> Any:
    """Questions readers asked, and the charity's answers."""
    items = question_store().published()
    return render_template(
        "questions/published_list.html",
        items=[(item, visible_links(item)) for item in items],
    )


@bp.get("/questions/<question_id>")
def published(question_id: str) -> Any:
    """One published question and its answer (404 once unpublished)."""
    try:
        item = question_store().get(question_id)
    except QuestionNotFound:
        abort(404)
    if not item.is_published:
        abort(404)
    return render_template("questions/published.html", item=item, links=visible_links(item))


@bp.app_template_global()
def published_answers_for(query: str) -> list[Question]:
    """The published answers a search finds, checked against the store (an answer
    unpublished a moment ago is never shown, whatever the index still holds)."""
    home = get_home()
    return found_published(home.index, home.root, query, thesaurus=home.thesaurus())


def published_answers_json(query: str) -> list[dict[str, Any]]:
    """The published answers a search finds, for ``/api/search``: each with its absolute
    address and the papers it cites that the visitor may see."""
    found = []
    for item in published_answers_for(query):
        cited = [
            {
                "id": link.paper_id,
                "title": link.title,
                "page": link.page,
                "url": external_url("papers.paper", paper_id=link.paper_id),
            }
            for link, _readable in visible_links(item)
        ]
        data = answer_json(item, cited)
        data["url"] = external_url("questions.published", question_id=item.id)
        found.append(data)
    return found


@bp.app_template_global()
def answers_citing(paper_id: str) -> list[Question]:
    """The published answers that link to a paper (the paper's page and its search hit show
    them beside it), read once per request."""
    cited = g.get("answers_by_paper")
    if cited is None:
        cited = {}
        for item in question_store().published():
            for link in item.links:
                if item not in cited.setdefault(link.paper_id, []):
                    cited[link.paper_id].append(item)
        g.answers_by_paper = cited
    return cited.get(paper_id, [])


def published_urls() -> list[tuple[str, str]]:
    """The absolute address and publication time of each published answer (the sitemap)."""
    return [
        (external_url("questions.published", question_id=item.id), item.published or "")
        for item in question_store().published()
    ]


# --- gaps in the archive ------------------------------------------------------------------------


_WORD = re.compile(r"\w+")


def main_words(text: str) -> list[tuple[str, str]]:
    """The words of a question or a search that say what it is about (folded, no stop
    words, question words or numbers), each with its stem: "quolls" and "quoll" share one."""
    stop = query_stop_words()
    words = (fold(word) for word in _WORD.findall(text))
    kept = dict.fromkeys(w for w in words if len(w) > 2 and not w.isdigit() and w not in stop)
    return [(stem_word(word), word) for word in kept]


def _gap_rows() -> list[dict[str, Any]]:
    """Unanswered questions and searches that found nothing or almost nothing, each with the
    group it belongs to: the main word most of them share (shown as its shortest form)."""
    rows: list[dict[str, Any]] = []
    for item in question_store().list(NEW):
        rows.append(
            {
                "kind": "question",
                "text": item.question,
                "count": 1,
                "results": item.search.total,
                "last": item.created[:10],
                "id": item.id,
            }
        )
    try:
        report = UsageStore(get_home().root).report(Period.last_weeks(GAP_WEEKS), limit=200)
        missed = report.missed_queries
    except (UsageStoreError, OSError) as error:
        log.warning("usage store not read for the gaps page: %s", error)
        missed = []
    for figure in missed:
        rows.append(
            {
                "kind": "search",
                "text": figure.query,
                "count": figure.searches,
                "results": figure.results,
                "last": figure.last_day,
                "id": None,
            }
        )
    frequency: Counter[str] = Counter()
    forms: dict[str, str] = {}
    for row in rows:
        for stem, word in main_words(row["text"]):
            frequency[stem] += row["count"]
            if stem not in forms or len(word) < len(forms[stem]):
                forms[stem] = word
    for row in rows:
        stems = [stem for stem, _word in main_words(row["text"])]
        best = max(stems, key=lambda s: (frequency[s], -stems.index(s))) if stems else ""
        row["group"] = forms.get(best, "")
    return rows


def gap_groups() -> list[tuple[str, list[dict[str, Any]]]]:
    """The gaps by group, the groups most asked about first."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in _gap_rows():
        groups.setdefault(row["group"], []).append(row)
    return sorted(
        groups.items(), key=lambda kv: (-sum(row["count"] for row in kv[1]), kv[0] == "", kv[0])
    )


@bp.get("/staff/gaps")
@login_required
def gaps() -> Any:
    """What readers could not find: unanswered questions and searches that missed."""
    _purge()
    return render_template("questions/gaps.html", groups=gap_groups(), weeks=GAP_WEEKS)


@bp.get("/staff/gaps.csv")
@login_required
def gaps_csv() -> Any:
    """The gaps page as CSV, for the charity's planning."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["group", "kind", "text", "count", "results", "last"])
    for group, rows in gap_groups():
        for row in rows:
            text = spreadsheet_cell(row["text"])
            writer.writerow([group, row["kind"], text, row["count"], row["results"], row["last"]])
    response = Response(out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="archive-gaps.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/staff/questions.csv")
@login_required
def export_csv() -> Any:
    """Every question as CSV (never the reader's name or address)."""
    response = Response(questions_csv(question_store().list()), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="questions.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response
