"""The U30-Beirat's voice: its separate tally (U30-Votum) and its statement on forwarded ideas.

U30 members vote and assess like everyone; each vote and assessment records whether it was
cast as a U30 member (`Vote.u30`, `Assessment.u30`), so the separate tally stays exact when a
role is granted or revoked later. The votes are the idea's stored counters
(`Idea.u30_votes_up/down`, kept by services/votes.py); the assessments are counted here in one
grouped query, into the board's own `U30Assessments` type, so the idea page and the board
table read the same figures.

The statement (U30-Stellungnahme), one per idea:

- any U30 member writes it while the idea is forwarded or prioritised and not hidden; the
  writer endorses it at once;
- only its author edits it; an edit removes the other members' endorsements, because they
  endorsed another text (the page says so). When the author is no longer a U30 member (role
  revoked, account deleted), any member may take it over and becomes its author;
- every member endorses it or withdraws their endorsement (both idempotent), except the
  author, whose name stays on their own text: they change it instead;
- once the board has decided (or the idea went back to its group) the statement stays
  public as it was, and nothing about it changes any more;
- its first publication is news for the idea's author and followers (kind ANSWER: it is a
  statement on the idea of the same weight as the group's official answer).
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy import delete, func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, joinedload

from app.extensions import db
from app.models import (
    Assessment,
    Idea,
    IdeaStatus,
    U30Endorsement,
    U30Statement,
    User,
)
from app.models.base import utcnow
from app.permissions import (
    AnyUser,
    can_edit_u30_statement,
    can_endorse_u30_statement,
    can_write_u30_statement,
    is_u30_member,
)
from app.services import DomainError, list_cache, notifications
from app.services.board import U30Assessments
from app.services.curation import NotPermitted
from app.services.text import plain, render_markdown
from app.services.votes import lock_idea

BODY_MAX = 3000
# The statuses in which the Beirat writes, edits and endorses its statement.
OPEN_FOR_STATEMENTS = frozenset({IdeaStatus.FORWARDED, IdeaStatus.PRIORITISED})


class StatementClosed(DomainError):
    """The idea is not (or no longer) before the steering board: the statement rests."""


class StatementTaken(DomainError):
    """Another member's statement on the idea exists (perhaps written a moment ago)."""


class AuthorCannotWithdraw(DomainError):
    """The author's name stays on their own statement; they edit it instead."""


# ---------------------------------------------------------------- the U30-Votum


@dataclass(frozen=True)
class Votum:
    """The U30 members' votes (the idea's stored counters) and assessments."""

    up: int
    down: int
    assessments: U30Assessments

    @property
    def is_empty(self) -> bool:
        return not (self.up or self.down or self.assessments.count)


def u30_assessments(idea: Idea) -> U30Assessments:
    """How many U30 members assessed the idea, and the sums of their ratings (one query).

    The same sums as `board._u30_assessments` for the ideas on the board.
    """
    count, benefit_sum, feasibility_sum = db.session.execute(
        db.select(
            func.count(), func.sum(Assessment.benefit), func.sum(Assessment.feasibility)
        ).where(Assessment.idea_id == idea.id, Assessment.u30.is_(True))
    ).one()
    return U30Assessments(int(count), int(benefit_sum or 0), int(feasibility_sum or 0))


def votum(idea: Idea) -> Votum:
    """The idea's U30-Votum: the stored U30 vote counters and the U30 assessments."""
    return Votum(idea.u30_votes_up, idea.u30_votes_down, u30_assessments(idea))


# ---------------------------------------------------------------- the statement


def accepts_statements(idea: Idea) -> bool:
    """Whether the Beirat may write, edit or endorse a statement on the idea now."""
    return idea.status in OPEN_FOR_STATEMENTS and not idea.is_hidden


def closed_message() -> str:
    """Why the Beirat cannot write (or endorse) now."""
    return _(
        "Eine Stellungnahme des U30-Beirats ist nur möglich, solange die Idee beim "
        "Lenkungsgremium liegt (weitergeleitet oder priorisiert)."
    )


def _closed() -> StatementClosed:
    return StatementClosed(closed_message())


def _lock_accepting(idea: Idea) -> None:
    # Read the status again under the idea's row lock: a decision of the board committed
    # since the request loaded the idea wins over a statement that waited for it. The lock
    # also makes two members' first statements on one idea run one after the other.
    if not accepts_statements(idea):
        raise _closed()
    lock_idea(idea.id)
    db.session.refresh(idea, ["status", "hidden_at"])
    if not accepts_statements(idea):
        raise _closed()


def statement_of(idea: Idea) -> U30Statement | None:
    """The idea's statement, if the Beirat has written one."""
    return db.session.scalar(db.select(U30Statement).where(U30Statement.idea_id == idea.id))


def clean_body(body: str | None) -> str:
    """The text as stored: CRLF as LF, without surrounding blanks; refused empty or too long."""
    body = plain(body)
    if not body:
        raise DomainError(_("Bitte schreiben Sie eine Stellungnahme."))
    if len(body) > BODY_MAX:
        raise DomainError(
            _("Die Stellungnahme darf höchstens %(max)d Zeichen lang sein.", max=BODY_MAX)
        )
    return body


class Written(NamedTuple):
    statement: U30Statement
    created: bool
    # How many other members' endorsements the edit removed.
    endorsements_removed: int


def write(idea: Idea, author: User, body: str) -> Written:
    """Publish the Beirat's statement on the idea, or (its author) change it; see the module."""
    if not can_write_u30_statement(author, idea):
        raise NotPermitted(_("Nur Mitglieder des U30-Beirats schreiben seine Stellungnahme."))
    body = clean_body(body)
    _lock_accepting(idea)
    statement = statement_of(idea)
    if statement is None:
        return Written(_create(idea, author, body), created=True, endorsements_removed=0)
    if not can_edit_u30_statement(author, statement):
        raise _taken()
    if statement.body == body and statement.author_id == author.id:
        return Written(statement, created=False, endorsements_removed=0)  # sent twice
    now = utcnow()
    statement.body = body
    statement.body_html = render_markdown(body)
    statement.author_id = author.id
    statement.updated_at = now
    # The others endorsed the earlier text; the writer endorses the new one.
    removed = db.session.execute(
        delete(U30Endorsement).where(
            U30Endorsement.statement_id == statement.id, U30Endorsement.user_id != author.id
        )
    ).rowcount
    db.session.flush()
    _endorse_row(statement, author)
    db.session.expire(statement, ["author"])
    return Written(statement, created=False, endorsements_removed=removed or 0)


def _taken() -> StatementTaken:
    return StatementTaken(
        _(
            "Inzwischen hat ein anderes Mitglied des U30-Beirats eine Stellungnahme zu dieser "
            "Idee veröffentlicht. Lesen Sie sie auf der Seite der Idee: Sie können sie "
            "mittragen. Ihr Text ist unten noch erhalten."
        )
    )


def _create(idea: Idea, author: User, body: str) -> U30Statement:
    now = utcnow()
    statement = U30Statement(
        idea_id=idea.id,
        author_id=author.id,
        body=body,
        body_html=render_markdown(body),
        created_at=now,
        updated_at=now,
    )
    # The unique idea_id is the backstop for two first statements at the same moment (the
    # idea's row lock already serialises them): the loser learns of the other's statement.
    try:
        with db.session.begin_nested():
            db.session.add(statement)
            db.session.flush()
    except IntegrityError:
        raise _taken() from None
    _endorse_row(statement, author)
    notifications.u30_statement_published(idea, statement, author)
    return statement


def _endorse_row(statement: U30Statement, user: User) -> None:
    exists = db.session.scalar(
        db.select(U30Endorsement.user_id).where(
            U30Endorsement.statement_id == statement.id, U30Endorsement.user_id == user.id
        )
    )
    if exists is None:
        db.session.add(U30Endorsement(statement_id=statement.id, user_id=user.id))
        db.session.flush()


def _ready_to_endorse(statement: U30Statement, user: User) -> Idea:
    idea = db.session.get(Idea, statement.idea_id)
    if not can_endorse_u30_statement(user, idea):
        raise NotPermitted(_("Nur Mitglieder des U30-Beirats tragen seine Stellungnahme mit."))
    _lock_accepting(idea)
    # Endorsements have no idea_id of their own (services/list_cache.py marks rows that
    # have one): the idea's page changes with them.
    list_cache.mark_changed(db.session, list_cache.idea_scope(idea.id))
    return idea


def endorse(statement: U30Statement, user: User) -> None:
    """The member endorses (trägt mit) the statement as it reads now; again is a no-op."""
    _ready_to_endorse(statement, user)
    _endorse_row(statement, user)


def withdraw(statement: U30Statement, user: User) -> None:
    """The member no longer endorses the statement; not endorsing already is a no-op."""
    _ready_to_endorse(statement, user)
    db.session.refresh(statement, ["author_id"])
    if statement.author_id == user.id:
        raise AuthorCannotWithdraw(
            _(
                "Sie haben diese Stellungnahme verfasst; Ihr Name bleibt darunter. Wenn Sie "
                "sie so nicht mehr vertreten, bearbeiten Sie sie."
            )
        )
    db.session.execute(
        delete(U30Endorsement).where(
            U30Endorsement.statement_id == statement.id, U30Endorsement.user_id == user.id
        )
    )


# ---------------------------------------------------------------- notifications


# ---------------------------------------------------------------- the idea page


@dataclass(frozen=True)
class Endorser:
    user_id: int
    name: str


@dataclass(frozen=True)
class StatementView:
    """The statement as the pages show it: ready data, no further queries."""

    id: int
    body_html: str
    author_id: int | None
    # None when the author's account was deleted.
    author_name: str | None
    created_at: datetime
    updated_at: datetime
    endorsers: list[Endorser] = field(default_factory=list)

    @property
    def is_edited(self) -> bool:
        return self.updated_at > self.created_at


@dataclass(frozen=True)
class U30Section:
    """Everything the idea page's U30-Beirat section and the dossier show."""

    votum: Votum
    statement: StatementView | None
    # The idea takes statements now (forwarded or prioritised, not hidden).
    accepts_statements: bool
    # What the viewer may do (all False for everyone but U30 members).
    may_write: bool = False
    may_edit: bool = False
    may_endorse: bool = False
    may_withdraw: bool = False
    is_member: bool = False
    has_endorsed: bool = False
    is_author: bool = False


# One alias for every call: SQLAlchemy then compiles the query once, not per idea page.
_ENDORSER = aliased(User, name="endorser")


def statement_view(idea: Idea) -> tuple[StatementView | None, U30Statement | None]:
    """The idea's statement with its author's and endorsers' names, in one query.

    Endorsers in the order they endorsed (the author first), deleted accounts left out.
    """
    endorser = _ENDORSER
    rows = db.session.execute(
        db.select(U30Statement, endorser.id, endorser.display_name)
        .outerjoin(U30Endorsement, U30Endorsement.statement_id == U30Statement.id)
        .outerjoin(
            endorser, (endorser.id == U30Endorsement.user_id) & endorser.deleted_at.is_(None)
        )
        # The author's name only: none of the account's own eager relationships (roles, …).
        .options(joinedload(U30Statement.author).lazyload("*"))
        .where(U30Statement.idea_id == idea.id)
        .order_by(U30Endorsement.created_at, U30Endorsement.user_id)
    ).all()
    if not rows:
        return None, None
    statement = rows[0][0]
    author = statement.author
    view = StatementView(
        id=statement.id,
        body_html=statement.body_html,
        author_id=statement.author_id,
        author_name=author.display_name if author is not None and author.is_active else None,
        created_at=statement.created_at,
        updated_at=statement.updated_at,
        endorsers=[Endorser(user_id, name) for _, user_id, name in rows if user_id is not None],
    )
    return view, statement


def for_dossier(idea: Idea) -> StatementView | None:
    """The statement with its endorsers, for the board's dossier (one query)."""
    return statement_view(idea)[0]


def for_idea_page(idea: Idea, viewer: AnyUser) -> U30Section:
    """The U30-Votum, the statement and what the viewer may do: two queries in all."""
    shown, statement = statement_view(idea)
    section = U30Section(
        votum=votum(idea), statement=shown, accepts_statements=accepts_statements(idea)
    )
    if not is_u30_member(viewer):
        return section
    open_now = section.accepts_statements
    endorser_ids = {person.user_id for person in shown.endorsers} if shown else set()
    is_author = shown is not None and shown.author_id == viewer.id
    has_endorsed = viewer.id in endorser_ids
    may_act = open_now and can_endorse_u30_statement(viewer, idea)
    return U30Section(
        votum=section.votum,
        statement=shown,
        accepts_statements=open_now,
        is_member=True,
        is_author=is_author,
        has_endorsed=has_endorsed,
        may_write=shown is None and open_now and can_write_u30_statement(viewer, idea),
        may_edit=statement is not None and open_now and can_edit_u30_statement(viewer, statement),
        may_endorse=shown is not None and may_act and not has_endorsed,
        may_withdraw=shown is not None and may_act and has_endorsed and not is_author,
    )
