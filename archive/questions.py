"""Readers' questions to the charity ("Ask the charity", issue 27), their answers, and the
answers staff publish.

One SQLite file, ``HOME/questions.sqlite``, private as the copy requests' store is
(:mod:`archive.private_db`): a question carries the reader's name and reply address. Those two
are personal data: after the retention period (``question_retention_days``, counted from the
question) they are blanked (:meth:`QuestionStore.purge`); the question, its answer and what the
reader's search found stay, because they tell the charity what its archive lacks. A question
closed as spam is deleted whole after the same period. Staff may delete a question whole at any
time (:meth:`QuestionStore.delete`: a reader asking for their data to be erased); what is
deleted or blanked is overwritten on disk, not left in SQLite's free space or its log.

A question is ``new`` until staff answer it (``answered``) or close it as ``spam``. Staff may
publish an answered question: the published wording (``public_question``, ``public_answer``)
is a copy staff may edit; the reader's name and address are never part of it. The store is
the source of truth for what is published: the search index's answer documents are derived
from :meth:`QuestionStore.published` and rebuilt from it.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from archive.private_db import PrivateDatabase, new_row_id
from archive.spreadsheets import spreadsheet_cell

QUESTIONS_FILE = "questions.sqlite"
NEW = "new"
ANSWERED = "answered"
SPAM = "spam"
STATES = (NEW, ANSWERED, SPAM)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS questions (
    id TEXT PRIMARY KEY,
    question TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    language TEXT NOT NULL DEFAULT 'en',
    created TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'new',
    search TEXT NOT NULL DEFAULT '{}',
    paper_id TEXT,
    answer TEXT NOT NULL DEFAULT '',
    links TEXT NOT NULL DEFAULT '[]',
    answered TEXT,
    answered_by TEXT,
    published TEXT,
    public_question TEXT NOT NULL DEFAULT '',
    public_answer TEXT NOT NULL DEFAULT ''
)
"""
_COLUMNS = (
    "id, question, name, email, language, created, state, search, paper_id, answer, links,"
    " answered, answered_by, published, public_question, public_answer"
)


@dataclass(frozen=True)
class Link:
    """A paper (or one of its pages) an answer points to. ``title`` is as it was when the
    answer was written; whether a visitor may see the paper is decided when it is shown."""

    paper_id: str
    title: str
    page: int | None = None


@dataclass(frozen=True)
class SearchSnapshot:
    """The reader's search as it stood when they asked: the query, how many papers it found,
    the first of them and the first answers from the papers (title, page, plain text)."""

    query: str = ""
    total: int = 0
    results: list[dict[str, Any]] = field(default_factory=list)
    answers: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def from_json(cls, text: str) -> SearchSnapshot:
        """The snapshot stored as JSON (an odd value reads as no search)."""
        try:
            data = json.loads(text or "{}")
            return cls(
                query=str(data.get("query", "")),
                total=int(data.get("total", 0)),
                results=list(data.get("results", [])),
                answers=list(data.get("answers", [])),
            )
        except (ValueError, TypeError, AttributeError):
            return cls()


@dataclass(frozen=True)
class Question:
    """One reader's question and what became of it."""

    id: str
    question: str
    name: str
    email: str
    language: str
    created: str
    state: str
    search: SearchSnapshot
    paper_id: str | None
    answer: str
    links: list[Link]
    answered: str | None
    answered_by: str | None
    published: str | None
    public_question: str
    public_answer: str

    @property
    def is_published(self) -> bool:
        """Whether the question and its answer are on the public "Questions readers asked"."""
        return bool(self.published)

    @classmethod
    def _from_row(cls, row: tuple[Any, ...]) -> Question:
        values = list(row)
        values[7] = SearchSnapshot.from_json(values[7])
        try:
            values[10] = [Link(**item) for item in json.loads(values[10] or "[]")]
        except (ValueError, TypeError):
            values[10] = []
        return cls(*values)

    def to_dict(self) -> dict[str, Any]:
        """The question as JSON data (``archive questions list --json``)."""
        data = asdict(self)
        data["published"] = self.is_published
        data["published_on"] = self.published
        return data


class QuestionNotFound(LookupError):
    """No question with that id (never asked, or deleted as spam after the retention)."""


def _read(db: sqlite3.Connection, question_id: str) -> Question:
    row = db.execute(f"SELECT {_COLUMNS} FROM questions WHERE id = ?", (question_id,)).fetchone()
    if row is None:
        raise QuestionNotFound(question_id)
    return Question._from_row(row)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class QuestionStore:
    """The questions of one archive home."""

    def __init__(self, home: Path) -> None:
        self.path = home / QUESTIONS_FILE
        self._file = PrivateDatabase(self.path, _SCHEMA)

    def _db(self) -> AbstractContextManager[sqlite3.Connection]:
        return self._file.connect()

    def add(
        self,
        question: str,
        email: str,
        name: str = "",
        language: str = "en",
        search: SearchSnapshot | None = None,
        paper_id: str | None = None,
    ) -> Question:
        """Record a new question; returns it (with its random id)."""
        snapshot = search or SearchSnapshot()
        question_id = new_row_id()
        with self._db() as db:
            db.execute(
                "INSERT INTO questions (id, question, name, email, language, created, search,"
                " paper_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    question_id,
                    question,
                    name,
                    email,
                    language,
                    _now().isoformat(),
                    json.dumps(asdict(snapshot), ensure_ascii=False),
                    paper_id,
                ),
            )
        return self.get(question_id)

    def get(self, question_id: str) -> Question:
        """The question with this id; raises :class:`QuestionNotFound`."""
        with self._db() as db:
            return _read(db, question_id)

    def list(
        self,
        state: str | None = None,
        published: bool = False,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Question]:
        """The questions in ``state`` (every state when None), newest first; only the
        published ones with ``published``; at most ``limit`` of them after ``offset``."""
        if not self.path.exists():  # no question yet: nothing to make
            return []
        where, args = [], []
        if state:
            where.append("state = ?")
            args.append(state)
        if published:
            where.append("published IS NOT NULL")
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        with self._db() as db:
            rows = db.execute(
                f"SELECT {_COLUMNS} FROM questions{clause} ORDER BY created DESC, id"
                " LIMIT ? OFFSET ?",
                [*args, -1 if limit is None else limit, max(0, offset)],
            ).fetchall()
        return [Question._from_row(row) for row in rows]

    def published(self) -> list[Question]:
        """The published questions and answers, newest first."""
        return self.list(published=True)

    def counts(self) -> dict[str, int]:
        """How many questions are in each state (every state named, zero or not)."""
        if not self.path.exists():
            return dict.fromkeys(STATES, 0)
        with self._db() as db:
            rows = db.execute("SELECT state, COUNT(*) FROM questions GROUP BY state").fetchall()
        counts = dict.fromkeys(STATES, 0)
        counts.update({state: count for state, count in rows})
        return counts

    def asked_since(self, since: datetime) -> int:
        """How many questions were asked since ``since`` (the flood guard across clients)."""
        if not self.path.exists():
            return 0
        with self._db() as db:
            return db.execute(
                "SELECT COUNT(*) FROM questions WHERE created >= ?", (since.isoformat(),)
            ).fetchone()[0]

    def answer(self, question_id: str, text: str, links: list[Link], user: str) -> Question:
        """Record staff's answer (again, when they answer a second time)."""
        with self._db() as db:
            changed = db.execute(
                "UPDATE questions SET state = ?, answer = ?, links = ?, answered = ?,"
                " answered_by = ? WHERE id = ?",
                (
                    ANSWERED,
                    text,
                    json.dumps([asdict(link) for link in links], ensure_ascii=False),
                    _now().isoformat(),
                    user,
                    question_id,
                ),
            ).rowcount
        if not changed:
            raise QuestionNotFound(question_id)
        return self.get(question_id)

    def set_state(self, question_id: str, state: str) -> Question:
        """Close a question as spam, or take it back to new; a spam question is unpublished."""
        if state not in STATES:
            raise ValueError(f"unknown state {state!r}")
        with self._db() as db:
            changed = db.execute(
                "UPDATE questions SET state = ?,"
                " published = CASE WHEN ? = 'spam' THEN NULL ELSE published END WHERE id = ?",
                (state, state, question_id),
            ).rowcount
        if not changed:
            raise QuestionNotFound(question_id)
        return self.get(question_id)

    def publish(self, question_id: str, question: str, answer: str) -> Question:
        """Publish an answered question in this wording (staff's own, no personal data)."""
        with self._db() as db:
            changed = db.execute(
                "UPDATE questions SET published = COALESCE(published, ?), public_question = ?,"
                " public_answer = ? WHERE id = ? AND state = 'answered'",
                (_now().isoformat(), question, answer, question_id),
            ).rowcount
        if not changed:
            raise QuestionNotFound(question_id)
        return self.get(question_id)

    def unpublish(self, question_id: str) -> Question:
        """Take a question off the public pages (its published wording is kept for later)."""
        with self._db() as db:
            db.execute("UPDATE questions SET published = NULL WHERE id = ?", (question_id,))
        return self.get(question_id)

    def delete(self, question_id: str) -> Question:
        """Delete a question whole (the reader's name and address with it, overwritten on
        disk); returns it as it was. Raises :class:`QuestionNotFound`."""
        with self._db() as db:
            deleted = _read(db, question_id)
            db.execute("DELETE FROM questions WHERE id = ?", (question_id,))
        self._file.erased()
        return deleted

    def titles(self, question_ids: list[str]) -> dict[str, str]:
        """A short line for each of these questions that still exists (the published wording
        when there is one): how the staff's activity list names them."""
        wanted = list(dict.fromkeys(question_ids))[:500]
        if not wanted or not self.path.exists():
            return {}
        marks = ", ".join("?" * len(wanted))
        with self._db() as db:
            rows = db.execute(
                f"SELECT id, public_question, question FROM questions WHERE id IN ({marks})",
                wanted,
            ).fetchall()
        return {question_id: _short(public or question) for question_id, public, question in rows}

    def purge(self, retention_days: int, now: datetime | None = None) -> int:
        """Blank the name and address of questions asked more than ``retention_days`` ago, and
        delete the spam among them; returns how many questions were touched."""
        if not self.path.exists():
            return 0
        cutoff = ((now or _now()) - timedelta(days=retention_days)).isoformat()
        with self._db() as db:
            deleted = db.execute(
                "DELETE FROM questions WHERE state = 'spam' AND created < ?", (cutoff,)
            ).rowcount
            blanked = db.execute(
                "UPDATE questions SET name = '', email = ''"
                " WHERE created < ? AND (name != '' OR email != '')",
                (cutoff,),
            ).rowcount
        if deleted or blanked:
            self._file.erased()
        return deleted + blanked


def _short(text: str, most: int = 80) -> str:
    line = " ".join(text.split())
    return line if len(line) <= most else line[: most - 1].rstrip() + "…"


CSV_COLUMNS = (
    "id", "created", "state", "language", "question", "search", "found", "answer",
    "answered", "published",
)  # fmt: skip


def questions_csv(questions: list[Question]) -> str:
    """The questions as CSV for the charity's planning: what was asked, what the search found,
    what staff answered; never the reader's name or address."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for item in questions:
        writer.writerow(
            [
                item.id,
                item.created,
                item.state,
                item.language,
                spreadsheet_cell(item.question),
                spreadsheet_cell(item.search.query),
                item.search.total,
                spreadsheet_cell(item.answer),
                item.answered or "",
                "yes" if item.is_published else "",
            ]
        )
    return out.getvalue()
