"""Comments on ideas (one level of replies), their listing, and reports to the moderators.

Counters change with SQL in the transaction of the row change, under the idea's row lock:
`Idea.comments_count` and `Comment.replies_count` count the comments that are neither
deleted nor hidden, as `services.recount` does.
"""

import math
from dataclasses import dataclass, field
from datetime import timedelta
from functools import lru_cache

from flask_babel import gettext as _
from sqlalchemy import Integer, bindparam, func, update
from sqlalchemy.orm import joinedload, lazyload

from app.extensions import db
from app.models import Comment, Idea, Report, User
from app.models.base import utcnow
from app.permissions import (
    AnyUser,
    can_comment,
    can_delete_comment,
    can_edit_comment,
    can_follow,
    can_report,
    can_see_hidden_comments,
    is_citizen,
    owns_comment,
)
from app.services import DomainError, follows, list_cache, notifications
from app.services.ideas import is_open
from app.services.text import render_markdown
from app.services.votes import IdeaClosed, lock_idea

BODY_MAX = 2_000
REASON_MAX = 1_000
# The same text from the same person at the same place within this time is one comment.
DUPLICATE_WINDOW = timedelta(seconds=30)
TOP_LEVEL_PER_PAGE = 50
# Replies shown under each comment on the idea page; the rest on the thread's own page.
REPLIES_SHOWN = 20
REPLIES_PER_PAGE = 100


class UnknownParent(DomainError):
    """The comment replied to does not exist on this idea (or cannot be seen)."""


class EditWindowClosed(DomainError):
    """The author's 15 minutes for editing are over."""


class AlreadyReported(DomainError):
    """This person has an open report on this item already."""


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise DomainError(_("Bitte schreiben Sie einen Kommentar."))
    if len(body) > BODY_MAX:
        raise DomainError(
            _("Ein Kommentar darf höchstens %(max)d Zeichen lang sein.", max=BODY_MAX)
        )
    return body


def _public(query, idea: Idea, viewer: AnyUser | None = None):
    # Hidden comments are invisible to everyone but the group's moderators.
    if viewer is not None and can_see_hidden_comments(viewer, idea):
        return query
    return query.where(Comment.hidden_at.is_(None))


def change_counts(comment: Comment, sign: int) -> None:
    """Count a comment into (+1) or out of (-1) its idea's and its thread's numbers."""
    group_id = db.session.scalar(db.select(Idea.group_id).where(Idea.id == comment.idea_id))
    list_cache.mark_changed(db.session, group_id)
    list_cache.mark_changed(db.session, list_cache.idea_scope(comment.idea_id))
    db.session.execute(
        update(Idea)
        .where(Idea.id == comment.idea_id)
        .values(comments_count=Idea.comments_count + sign)
    )
    if comment.parent_id is not None:
        db.session.execute(
            update(Comment)
            .where(Comment.id == comment.parent_id)
            .values(replies_count=Comment.replies_count + sign)
        )


def _resolve_parent(idea: Idea, parent_id: int) -> Comment:
    parent = db.session.get(Comment, parent_id)
    if parent is None or parent.idea_id != idea.id or parent.is_hidden:
        raise UnknownParent(_("Der Kommentar, auf den Sie antworten, existiert nicht."))
    if parent.parent_id is not None:
        # One level of replies: an answer to a reply joins the reply's thread.
        parent = db.session.get(Comment, parent.parent_id)
    if parent.is_deleted or parent.is_hidden:
        raise DomainError(_("Auf einen gelöschten Kommentar kann nicht geantwortet werden."))
    return parent


def create_comment(idea: Idea, author: User, body: str, parent_id: int | None = None) -> Comment:
    """Write a comment or a reply on an open idea; the writer then follows the idea.

    Sending the same text twice within DUPLICATE_WINDOW returns the first comment.
    """
    if not is_open(idea):
        raise IdeaClosed(_("Diese Idee ist abgeschlossen; Kommentieren ist nicht mehr möglich."))
    from app.services import moderation  # builds on this module, so imported here

    moderation.ensure_can_write(author, idea.group)
    body = _clean_body(body)
    # One writer per idea at a time: the duplicate check and the counters stay exact.
    lock_idea(idea.id)
    parent = _resolve_parent(idea, parent_id) if parent_id is not None else None
    now = utcnow()
    duplicate = db.session.scalar(
        db.select(Comment)
        .where(
            Comment.idea_id == idea.id,
            Comment.author_id == author.id,
            Comment.parent_id.is_(None) if parent is None else Comment.parent_id == parent.id,
            Comment.created_at >= now - DUPLICATE_WINDOW,
            Comment.deleted_at.is_(None),
            Comment.body == body,
        )
        .order_by(Comment.id)
        .limit(1)
    )
    if duplicate is not None:
        return duplicate
    comment = Comment(
        idea_id=idea.id,
        parent_id=parent.id if parent else None,
        author=author,
        body=body,
        body_html=render_markdown(body),
        created_at=now,
    )
    db.session.add(comment)
    db.session.flush()
    change_counts(comment, +1)
    follows.follow_idea(author, idea)
    notifications.comment_created(comment, idea, parent)
    if parent is not None:
        db.session.expire(parent, ["replies_count"])
    db.session.expire(idea, ["comments_count"])
    return comment


def edit_window_message() -> str:
    return _("Kommentare können nur in den ersten 15 Minuten nach dem Schreiben bearbeitet werden.")


def edit_comment(comment: Comment, editor: User, body: str) -> None:
    """The author changes the text within 15 minutes of writing it; it is marked edited."""
    if not can_edit_comment(editor, comment):
        raise EditWindowClosed(edit_window_message())
    body = _clean_body(body)
    if body == comment.body:
        return
    comment.body = body
    comment.body_html = render_markdown(body)
    comment.edited_at = utcnow()
    db.session.flush()


def delete_comment(comment: Comment) -> None:
    """Remove the text; a placeholder keeps the comment's place so that replies keep context."""
    lock_idea(comment.idea_id)
    result = db.session.execute(
        update(Comment)
        .where(Comment.id == comment.id, Comment.deleted_at.is_(None))
        .values(deleted_at=utcnow(), body="", body_html="")
        .execution_options(synchronize_session=False)
    )
    db.session.expire(comment)
    if result.rowcount and comment.hidden_at is None:
        # A hidden comment was taken out of the counts when it was hidden.
        change_counts(comment, -1)


def report(reporter: User, idea: Idea, reason: str, comment: Comment | None = None) -> Report:
    """Report an idea or a comment to the group's moderators; one open report per person."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Bitte nennen Sie einen Grund für die Meldung."))
    if len(reason) > REASON_MAX:
        raise DomainError(_("Der Grund darf höchstens %(max)d Zeichen lang sein.", max=REASON_MAX))
    if comment is not None and comment.is_deleted:
        raise DomainError(_("Dieser Kommentar wurde bereits gelöscht."))
    lock_idea(idea.id)
    comment_id = comment.id if comment is not None else None
    existing = db.session.scalar(
        db.select(Report).where(
            Report.reporter_id == reporter.id,
            Report.idea_id == idea.id,
            Report.comment_id.is_(None) if comment_id is None else Report.comment_id == comment_id,
        )
    )
    if existing is not None and existing.resolved_at is None:
        raise AlreadyReported(
            _("Sie haben diesen Beitrag bereits gemeldet. Die Moderation kümmert sich darum.")
        )
    if existing is not None:
        # The unique constraint keeps one row per person and item: a new report reopens it.
        existing.reason = reason
        existing.created_at = utcnow()
        existing.resolved_at = None
        entry = existing
    else:
        entry = Report(
            reporter_id=reporter.id, idea_id=idea.id, comment_id=comment_id, reason=reason
        )
        db.session.add(entry)
    db.session.flush()
    notifications.report_created(entry, idea, comment)
    from app.services import moderation  # builds on this module, so imported here

    moderation.auto_hide_if_reported(idea, comment)
    return entry


# Reading


def find_comment(idea: Idea, comment_id: int, viewer: AnyUser) -> Comment | None:
    """A comment of this idea that the viewer may see (hidden ones: moderators only)."""
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.idea_id != idea.id:
        return None
    if comment.is_hidden and not can_see_hidden_comments(viewer, idea):
        return None
    return comment


@dataclass(frozen=True)
class CommentItem:
    """A comment as the page shows it, with what the viewer may do with it."""

    comment: Comment
    can_edit: bool
    can_delete: bool
    can_report: bool
    can_reply: bool
    replies: list["CommentItem"] = field(default_factory=list)
    # Replies that did not fit under the comment on the idea page (see its thread page).
    more_replies: int = 0

    @property
    def id(self) -> int:
        return self.comment.id


@dataclass(frozen=True)
class ThreadPage:
    """One page of an idea's discussion: top-level comments with their replies."""

    idea: Idea
    items: list[CommentItem]
    page: int
    pages: int
    # The stored public count of the idea (comments and replies, not deleted or hidden).
    count: int
    can_comment: bool
    # Why the viewer cannot write here (None when they can): shown instead of the form.
    closed_message: str | None
    needs_login: bool
    can_follow: bool
    following: bool
    can_report_idea: bool

    @property
    def previous_page(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def next_page(self) -> int | None:
        return self.page + 1 if self.page < self.pages else None


def _author_options():
    # Authors come joined with their comments; their roles and group leads are not needed.
    author = joinedload(Comment.author)
    return (author.options(lazyload(User.roles), lazyload(User.lead_of)),)


def _item(comment: Comment, idea: Idea, viewer: AnyUser, writable: bool, **extra) -> CommentItem:
    return CommentItem(
        comment=comment,
        can_edit=can_edit_comment(viewer, comment),
        can_delete=can_delete_comment(viewer, comment, idea),
        can_report=can_report(viewer)
        and not comment.is_deleted
        and not owns_comment(viewer, comment),
        can_reply=writable and not comment.is_deleted and not comment.is_hidden,
        **extra,
    )


def _writing_state(idea: Idea, viewer: AnyUser) -> tuple[bool, str | None, bool]:
    if not getattr(viewer, "is_authenticated", False):
        return False, _("Bitte melden Sie sich an, um mitzudiskutieren."), True
    if not is_citizen(viewer):
        return (
            False,
            _("Bitte bestätigen Sie Ihre E-Mail-Adresse, um mitzudiskutieren."),
            False,
        )
    if not is_open(idea):
        return False, _("Diese Idee ist abgeschlossen; Kommentieren ist nicht mehr möglich."), False
    from app.services import moderation  # builds on this module, so imported here

    block = moderation.active_block(viewer, idea.group)
    if block is not None:
        return False, moderation.block_message(block, idea.group), False
    return can_comment(viewer, idea), None, False


@dataclass
class _ThreadRows:
    tops: list[Comment] = field(default_factory=list)
    replies: dict[int, list[Comment]] = field(default_factory=dict)
    reply_totals: dict[int, int] = field(default_factory=dict)
    total: int = 0  # top-level comments on all pages


@lru_cache(maxsize=2)
def _thread_statement(with_hidden: bool):
    # Built once for each kind of reader: building this statement in SQLAlchemy costs
    # about as much as running it.
    idea_id = bindparam("idea_id", type_=Integer)

    def visible(query):
        return query if with_hidden else query.where(Comment.hidden_at.is_(None))

    tops = (
        visible(
            db.select(Comment.id, func.count().over().label("total")).where(
                Comment.idea_id == idea_id, Comment.parent_id.is_(None)
            )
        )
        # In the order of the index (idea_id, parent_id, id): PostgreSQL would otherwise
        # walk the whole table by id for an idea with thousands of comments.
        .order_by(Comment.idea_id, Comment.parent_id, Comment.id)
        .limit(TOP_LEVEL_PER_PAGE)
        .offset(bindparam("offset", type_=Integer))
        .cte("tops")
    )
    numbered = visible(
        db.select(
            Comment.id,
            func.row_number()
            .over(partition_by=Comment.parent_id, order_by=Comment.id)
            .label("position"),
            func.count().over(partition_by=Comment.parent_id).label("total"),
        ).where(Comment.idea_id == idea_id, Comment.parent_id.in_(db.select(tops.c.id)))
    ).cte("numbered")
    # A top-level comment comes with the number of all top-level comments, a reply with
    # the number of replies in its thread.
    shown = db.union_all(
        db.select(tops.c.id, tops.c.total),
        db.select(numbered.c.id, numbered.c.total).where(numbered.c.position <= REPLIES_SHOWN),
    ).subquery("shown")
    return (
        db.select(Comment, shown.c.total)
        .join(shown, shown.c.id == Comment.id)
        .options(*_author_options())
        .order_by(Comment.id)
    )


def _thread_rows(idea: Idea, viewer: AnyUser, page: int) -> _ThreadRows:
    """A page of top-level comments, the first replies of each and the counts: one query.

    Each statement costs a round trip (on PostgreSQL most of a query's time here), so the
    page, its replies and both counts come together. The cost does not grow with the number
    of comments: the page and the replies read the index (idea_id, parent_id, id).
    """
    with_hidden = viewer is not None and can_see_hidden_comments(viewer, idea)  # as _public
    rows = db.session.execute(
        _thread_statement(with_hidden),
        {"idea_id": idea.id, "offset": (page - 1) * TOP_LEVEL_PER_PAGE},
    )
    found = _ThreadRows()
    for comment, total in rows:
        if comment.parent_id is None:
            found.tops.append(comment)
            found.total = total
        else:
            found.replies.setdefault(comment.parent_id, []).append(comment)
            found.reply_totals[comment.parent_id] = total
    return found


def thread_page(idea: Idea, viewer: AnyUser, page: int = 1) -> ThreadPage:
    """A page of top-level comments (oldest first) with their first replies: one query."""
    page = max(page, 1)
    found = _thread_rows(idea, viewer, page)
    if not found.tops and page > 1:
        # A page past the end (an old link): the last page instead.
        top_level = _public(
            db.select(func.count(Comment.id)).where(
                Comment.idea_id == idea.id, Comment.parent_id.is_(None)
            ),
            idea,
            viewer,
        )
        page = max(1, math.ceil((db.session.scalar(top_level) or 0) / TOP_LEVEL_PER_PAGE))
        found = _thread_rows(idea, viewer, page)
    tops, replies, reply_totals = found.tops, found.replies, found.reply_totals
    pages = max(1, math.ceil(found.total / TOP_LEVEL_PER_PAGE))
    writable, closed_message, needs_login = _writing_state(idea, viewer)
    items = [
        _item(
            top,
            idea,
            viewer,
            writable,
            replies=[_item(reply, idea, viewer, writable) for reply in replies.get(top.id, [])],
            more_replies=reply_totals.get(top.id, 0) - len(replies.get(top.id, [])),
        )
        for top in tops
    ]
    allowed_to_follow = can_follow(viewer)
    return ThreadPage(
        idea=idea,
        items=items,
        page=page,
        pages=pages,
        count=idea.comments_count,
        can_comment=writable,
        closed_message=closed_message,
        needs_login=needs_login,
        can_follow=allowed_to_follow,
        following=allowed_to_follow and follows.follows_idea(viewer, idea),
        can_report_idea=can_report(viewer) and idea.author_id != viewer.id,
    )


@dataclass(frozen=True)
class RepliesPage:
    """A top-level comment and one page of all its replies (for long threads)."""

    idea: Idea
    parent: CommentItem
    replies: list[CommentItem]
    page: int
    pages: int
    can_comment: bool
    closed_message: str | None

    @property
    def previous_page(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def next_page(self) -> int | None:
        return self.page + 1 if self.page < self.pages else None


def replies_page(idea: Idea, parent: Comment, viewer: AnyUser, page: int = 1) -> RepliesPage:
    """All replies of one top-level comment, REPLIES_PER_PAGE at a time, oldest first."""
    query = _public(
        db.select(Comment).where(Comment.idea_id == idea.id, Comment.parent_id == parent.id),
        idea,
        viewer,
    )
    total = db.session.scalar(query.with_only_columns(func.count(Comment.id)).order_by(None)) or 0
    pages = max(1, math.ceil(total / REPLIES_PER_PAGE))
    page = min(max(page, 1), pages)
    rows = db.session.scalars(
        query.options(*_author_options())
        .order_by(Comment.id)
        .limit(REPLIES_PER_PAGE)
        .offset((page - 1) * REPLIES_PER_PAGE)
    )
    writable, closed_message, _needs_login = _writing_state(idea, viewer)
    return RepliesPage(
        idea=idea,
        parent=_item(parent, idea, viewer, writable),
        replies=[_item(reply, idea, viewer, writable) for reply in rows],
        page=page,
        pages=pages,
        can_comment=writable,
        closed_message=closed_message,
    )


@dataclass(frozen=True)
class Place:
    """Where a comment is shown: a page of the idea's discussion, or of a long thread."""

    comments_page: int | None = None  # the idea page's ?comments_page=
    thread_of: int | None = None  # the top-level comment whose thread page shows it
    thread_page: int = 1


def place_of(comment: Comment, idea: Idea, viewer: AnyUser) -> Place:
    """The page on which a comment appears, so that links can point at its anchor."""
    if comment.parent_id is None:
        before = _public(
            db.select(func.count(Comment.id)).where(
                Comment.idea_id == idea.id, Comment.parent_id.is_(None), Comment.id <= comment.id
            ),
            idea,
            viewer,
        )
        position = db.session.scalar(before) or 1
        return Place(comments_page=math.ceil(position / TOP_LEVEL_PER_PAGE))
    position = (
        db.session.scalar(
            _public(
                db.select(func.count(Comment.id)).where(
                    Comment.idea_id == idea.id,
                    Comment.parent_id == comment.parent_id,
                    Comment.id <= comment.id,
                ),
                idea,
                viewer,
            )
        )
        or 1
    )
    if position <= REPLIES_SHOWN:
        parent = db.session.get(Comment, comment.parent_id)
        return place_of(parent, idea, viewer)
    return Place(thread_of=comment.parent_id, thread_page=math.ceil(position / REPLIES_PER_PAGE))
