"""Ideas: writing, editing, withdrawing, and the one table of allowed status changes."""

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from app.extensions import db
from app.models import (
    Comment,
    Idea,
    IdeaOrigin,
    IdeaStatus,
    StatusEvent,
    ThematicGroup,
    User,
    Vote,
)
from app.models.base import utcnow
from app.services import DomainError, list_cache, notifications
from app.services.locks import lock_row
from app.services.ranking import trending_score
from app.services.text import render_markdown

S = IdeaStatus

# The lifecycle of DESIGN.md: from -> the statuses it may move to. Nothing else decides it.
TRANSITIONS: dict[IdeaStatus, frozenset[IdeaStatus]] = {
    S.SUBMITTED: frozenset({S.PUBLISHED, S.REJECTED}),
    S.PUBLISHED: frozenset({S.IN_REVIEW, S.MERGED, S.WITHDRAWN, S.DECLINED}),
    S.IN_REVIEW: frozenset({S.FORWARDED, S.MERGED, S.DECLINED}),
    S.FORWARDED: frozenset({S.PRIORITISED, S.DECLINED, S.IN_REVIEW}),
    S.PRIORITISED: frozenset({S.IMPLEMENTED, S.IN_REVIEW}),
    S.IMPLEMENTED: frozenset(),
    S.DECLINED: frozenset(),
    S.REJECTED: frozenset(),
    S.MERGED: frozenset(),
    S.WITHDRAWN: frozenset(),
}
REASON_REQUIRED = frozenset({S.DECLINED, S.REJECTED, S.MERGED})

# Ideas that can still be voted on, assessed and commented on.
OPEN_STATUSES = frozenset({S.PUBLISHED, S.IN_REVIEW, S.FORWARDED, S.PRIORITISED})
# Ideas shown in public lists and counts (when not hidden).
LISTED_STATUSES = OPEN_STATUSES | {S.IMPLEMENTED, S.DECLINED}
# Ideas anyone may open by their address (when not hidden).
PUBLIC_STATUSES = LISTED_STATUSES | {S.MERGED, S.WITHDRAWN}

TITLE_MAX = 140
BODY_MAX = 10_000

# The German names of statuses and origins, used on every page, filter and timeline.
STATUS_LABELS = {
    S.SUBMITTED: _l("Eingereicht"),
    S.PUBLISHED: _l("Veröffentlicht"),
    S.IN_REVIEW: _l("In Prüfung"),
    S.FORWARDED: _l("Weitergeleitet"),
    S.PRIORITISED: _l("Priorisiert"),
    S.IMPLEMENTED: _l("Umgesetzt"),
    S.DECLINED: _l("Abgelehnt"),
    S.REJECTED: _l("Nicht freigegeben"),
    S.MERGED: _l("Zusammengeführt"),
    S.WITHDRAWN: _l("Zurückgezogen"),
}
ORIGIN_LABELS = {
    IdeaOrigin.ONLINE: _l("Online"),
    IdeaOrigin.FORUM: _l("Digitales Forum"),
    IdeaOrigin.WORKSHOP: _l("Workshop"),
    IdeaOrigin.COMPETITION: _l("Wettbewerb"),
}

# The same text sent twice by the same person within this time is one idea (double click).
DUPLICATE_WINDOW = timedelta(minutes=1)


class TransitionRefused(DomainError):
    """The state machine does not allow this change of status."""


def is_open(idea: Idea) -> bool:
    return idea.status in OPEN_STATUSES and not idea.is_hidden


def is_listed(idea: Idea) -> bool:
    return idea.status in LISTED_STATUSES and not idea.is_hidden


def adjust_group_counts(idea: Idea, sign: int) -> None:
    """Take an idea into (+1) or out of (-1) its group's public numbers, with its votes."""
    list_cache.mark_changed(db.session, idea.group_id)
    # The group's public numbers follow the idea in and out of the public lists.
    db.session.execute(
        update(ThematicGroup)
        .where(ThematicGroup.id == idea.group_id)
        .values(
            ideas_count=ThematicGroup.ideas_count + sign,
            votes_count=ThematicGroup.votes_count + sign * (idea.votes_up + idea.votes_down),
        )
    )


def record_event(
    idea: Idea, actor: User | None, from_status, to_status, note: str = ""
) -> StatusEvent:
    event = StatusEvent(
        idea_id=idea.id,
        actor_id=actor.id if actor else None,
        from_status=from_status,
        to_status=to_status,
        note=note.strip(),
    )
    db.session.add(event)
    return event


def timeline(idea: Idea) -> list[StatusEvent]:
    """The idea's public timeline, oldest entry first."""
    return list(
        db.session.scalars(
            db.select(StatusEvent)
            .where(StatusEvent.idea_id == idea.id)
            .order_by(StatusEvent.created_at, StatusEvent.id)
        )
    )


def transition(idea: Idea, to: IdeaStatus, *, actor: User | None, note: str = "") -> None:
    """Move an idea to another status, as the table allows, with a timeline entry."""
    if to not in TRANSITIONS[idea.status]:
        raise TransitionRefused(
            f"Eine Idee im Status „{idea.status.value}“ kann nicht nach „{to.value}“ wechseln."
        )
    if to in REASON_REQUIRED and not note.strip():
        raise DomainError("Bitte geben Sie eine Begründung an.")
    list_cache.mark_changed(db.session, idea.group_id)
    was_listed = is_listed(idea)
    before = idea.status
    idea.status = to
    idea.updated_at = utcnow()
    db.session.flush()
    if was_listed != is_listed(idea):
        db.session.refresh(idea, ["votes_up", "votes_down"])
        adjust_group_counts(idea, 1 if is_listed(idea) else -1)
    event = record_event(idea, actor, before, to, note)
    db.session.flush()
    notifications.status_changed(idea, event)


def create_idea(
    group: ThematicGroup,
    author: User | None,
    title: str,
    body: str,
    *,
    origin: IdeaOrigin = IdeaOrigin.ONLINE,
    origin_event: str | None = None,
    participant_name: str | None = None,
    actor: User | None = None,
) -> Idea:
    """A new idea: published at once, or submitted when the group pre-moderates newcomers.

    `actor` is who entered it when that is not the author (a lead typing in an offline idea).
    """
    if group.is_archived:
        raise DomainError("In archivierten Themengruppen können keine Ideen eingereicht werden.")
    status = S.PUBLISHED
    if group.premoderation and author is not None and not _has_published_idea(author):
        status = S.SUBMITTED
    now = utcnow()
    idea = Idea(
        group_id=group.id,
        author_id=author.id if author else None,
        title=title.strip(),
        body=body,
        body_html=render_markdown(body),
        status=status,
        origin=origin,
        origin_event=origin_event,
        participant_name=participant_name,
        created_at=now,
        updated_at=now,
    )
    idea.score_trending = trending_score(0, 0, now)
    db.session.add(idea)
    db.session.flush()
    record_event(idea, actor or author, None, status)
    if is_listed(idea):
        adjust_group_counts(idea, 1)
    db.session.flush()
    notifications.idea_created(idea)
    return idea


def post_idea(group: ThematicGroup, author: User, title: str, body: str) -> Idea:
    """A citizen's idea from the form; the same title and text again within a minute is one idea."""
    from app.services import moderation  # builds on this module, so imported here

    moderation.ensure_can_write(author, group)
    _lock_author(author)
    recent = db.session.scalars(
        db.select(Idea)
        .where(
            Idea.author_id == author.id,
            Idea.title == title.strip(),
            Idea.created_at >= utcnow() - DUPLICATE_WINDOW,
        )
        .order_by(Idea.id.desc())
    )
    for idea in recent:
        if idea.body == body and idea.group_id == group.id:
            return idea
    return create_idea(group, author, title, body)


def _lock_author(author: User) -> None:
    # Two requests of one double click run one after the other, so that the second one
    # sees the idea of the first.
    lock_row(User, author.id, User.session_version)


def _has_published_idea(author: User) -> bool:
    return (
        db.session.scalar(
            db.select(Idea.id)
            .where(Idea.author_id == author.id, Idea.status.in_(PUBLIC_STATUSES))
            .limit(1)
        )
        is not None
    )


def can_still_edit(idea: Idea) -> bool:
    """An author may edit until somebody has voted or commented."""
    if idea.status not in {S.SUBMITTED, S.PUBLISHED}:
        return False
    has_vote = db.session.scalar(db.select(Vote.user_id).where(Vote.idea_id == idea.id).limit(1))
    has_comment = db.session.scalar(
        db.select(Comment.id).where(Comment.idea_id == idea.id).limit(1)
    )
    return has_vote is None and has_comment is None


def edit_idea(idea: Idea, title: str, body: str) -> None:
    """Change title and body while nobody has reacted to the idea yet."""
    if not can_still_edit(idea):
        raise DomainError(
            "Diese Idee kann nicht mehr bearbeitet werden, weil bereits abgestimmt "
            "oder kommentiert wurde."
        )
    list_cache.mark_changed(db.session, idea.group_id)
    idea.title = title.strip()
    idea.body = body
    idea.body_html = render_markdown(body)
    idea.updated_at = utcnow()
    db.session.flush()


def withdraw(idea: Idea, author: User) -> None:
    """The author takes back a published idea."""
    if idea.status is not S.PUBLISHED:
        raise TransitionRefused("Nur veröffentlichte Ideen können zurückgezogen werden.")
    transition(
        idea, S.WITHDRAWN, actor=author, note="Von der Autorin oder dem Autor zurückgezogen."
    )
