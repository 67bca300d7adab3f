"""Notifications: a row in the recipient's notification centre first, an e-mail second.

Who hears of what:

- a new comment on an idea: everyone who follows the idea, except the writer;
- a reply: the author of the comment replied to (and the idea's other followers);
- a status change: the idea's author always, and the followers, except whoever made it;
- a new idea in a group: everyone who follows the group, except the idea's author;
- a report: the group's tandem leads (the admins when the group has no leads);
- a moderation decision (hidden, restored, blocked, unblocked): the person concerned,
  always by e-mail as well, never the moderator who made it.

E-mail follows each person's setting for the kind: `instant` queues a mail in the same
transaction, `daily` leaves it to `send_digests` (`flask mail digest`, run once a day by
cron), `never` sends none. An author always learns of status changes of their own idea:
with `never` they get the mail at once anyway. Deleted accounts get nothing.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, url_for
from sqlalchemy import and_, insert, or_, update

from app.extensions import db
from app.models import (
    Comment,
    EmailMode,
    Follow,
    GroupBlock,
    GroupLead,
    Idea,
    IdeaStatus,
    Notification,
    NotificationKind,
    OutboxMail,
    Report,
    Role,
    StatusEvent,
    ThematicGroup,
    User,
    UserRole,
)
from app.models.base import utcnow
from app.services.follows import follow_idea
from app.services.mail import queue_mail

Kind = NotificationKind

# A report reaches the group's leads as a moderation notice (labelled so in the
# notification centre); whether it is mailed follows their setting for status news.
REPORT_KIND = Kind.MODERATION

# Which of the user's settings decides about e-mail for each kind.
MODE_COLUMN = {
    Kind.COMMENT: User.email_on_comments,
    Kind.REPLY: User.email_on_comments,
    Kind.STATUS: User.email_on_status,
    Kind.NEW_IDEA: User.email_on_new_ideas,
    # An official answer is news of a status change's weight.
    Kind.ANSWER: User.email_on_status,
    # Never consulted for e-mail: moderation decisions always reach the person concerned.
    Kind.MODERATION: User.email_on_status,
}

# Stored texts and mails are German (the platform's first language); they are written
# once, for recipients whose interface language the writer's request does not know.
STATUS_LABELS = {
    IdeaStatus.SUBMITTED: "eingereicht",
    IdeaStatus.PUBLISHED: "veröffentlicht",
    IdeaStatus.IN_REVIEW: "in Prüfung",
    IdeaStatus.FORWARDED: "an das Lenkungsgremium weitergeleitet",
    IdeaStatus.PRIORITISED: "priorisiert",
    IdeaStatus.IMPLEMENTED: "umgesetzt",
    IdeaStatus.DECLINED: "abgelehnt",
    IdeaStatus.REJECTED: "nicht veröffentlicht",
    IdeaStatus.MERGED: "mit einer anderen Idee zusammengeführt",
    IdeaStatus.WITHDRAWN: "zurückgezogen",
}

TEXT_MAX = 300
SUBJECT_MAX = 200
EXCERPT_MAX = 500
DIGEST_SUBJECT = "Ihre tägliche Zusammenfassung"
DIGEST_PERIOD = timedelta(days=1)
# A digest never reaches further back than this, even after the cron job stood still.
DIGEST_MAX_AGE = timedelta(days=7)
DIGEST_ITEMS_MAX = 50
PAGE_SIZE = 30
UNREAD_COUNT_CAP = 100


@dataclass(frozen=True)
class Recipient:
    id: int
    email: str
    display_name: str
    mode: EmailMode


def _quote(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return f"„{text if len(text) <= limit else text[: limit - 1] + '…'}“"


def _followers_and_author(idea: Idea):
    """The ids of an idea's followers and of its author, as a query."""
    people = db.select(Follow.user_id).where(Follow.idea_id == idea.id)
    if idea.author_id is not None:
        people = people.union(db.select(User.id).where(User.id == idea.author_id))
    return people


def _recipients(kind: NotificationKind, query, *, exclude: Iterable[int | None] = ()) -> list:
    """The active accounts a query of user ids names, with their e-mail setting for `kind`."""
    excluded = {user_id for user_id in exclude if user_id is not None}
    rows = db.session.execute(
        db.select(User.id, User.email, User.display_name, MODE_COLUMN[kind])
        .where(User.id.in_(query), User.deleted_at.is_(None), User.email.is_not(None))
        .order_by(User.id)
    )
    return [Recipient(*row) for row in rows if row[0] not in excluded]


def _deliver(
    recipients: list[Recipient],
    kind: NotificationKind,
    *,
    idea: Idea,
    text: str,
    subject: str,
    template: str,
    comment: Comment | None = None,
    always_mail: frozenset[int] = frozenset(),
    **context,
) -> None:
    if not recipients:
        return
    text = text[:TEXT_MAX]
    db.session.execute(
        insert(Notification),
        [
            {
                "user_id": recipient.id,
                "kind": kind,
                "idea_id": idea.id,
                "comment_id": comment.id if comment else None,
                "text": text,
            }
            for recipient in recipients
        ],
    )
    url = target_url(idea.id, comment.id if comment else None, external=True)
    for recipient in recipients:
        mode = recipient.mode
        if mode is EmailMode.NEVER and recipient.id in always_mail:
            mode = EmailMode.INSTANT
        if mode is EmailMode.INSTANT:
            queue_mail(
                recipient.email,
                subject[:SUBJECT_MAX],
                template,
                person=recipient,
                idea=idea,
                comment=comment,
                text=text,
                url=url,
                settings_url=url_for("notifications.settings", _external=True),
                **context,
            )


def target_url(idea_id: int | None, comment_id: int | None, *, external: bool = False) -> str:
    """Where a notification leads: the comment's place in its thread, or the idea.

    A notification about no idea (a block in a group) leads to the home page.
    """
    if idea_id is None:
        return url_for("main.index", _external=external)
    if comment_id is not None:
        return url_for(
            "comments.permalink", idea_id=idea_id, comment_id=comment_id, _external=external
        )
    return url_for("ideas.detail", idea_id=idea_id, _external=external)


def _excerpt(comment: Comment) -> str:
    body = comment.body.strip()
    return body if len(body) <= EXCERPT_MAX else body[: EXCERPT_MAX - 1] + "…"


def comment_created(comment: Comment, idea: Idea, parent: Comment | None) -> None:
    """Tell the replied-to author and the idea's followers of a new comment (not the writer)."""
    writer = comment.author
    writer_name = writer.display_name if writer else "Jemand"
    told: set[int | None] = {comment.author_id}
    if parent is not None and parent.author_id not in told and not parent.is_deleted:
        replied_to = _recipients(
            Kind.REPLY, db.select(User.id).where(User.id == parent.author_id), exclude=told
        )
        _deliver(
            replied_to,
            Kind.REPLY,
            idea=idea,
            comment=comment,
            text=f"{writer_name} hat auf Ihren Kommentar zu {_quote(idea.title)} geantwortet.",
            subject=f"Antwort auf Ihren Kommentar zu {_quote(idea.title)}",
            template="comment",
            writer_name=writer_name,
            excerpt=_excerpt(comment),
            reply=True,
        )
        told.add(parent.author_id)
    followers = _recipients(
        Kind.COMMENT, db.select(Follow.user_id).where(Follow.idea_id == idea.id), exclude=told
    )
    _deliver(
        followers,
        Kind.COMMENT,
        idea=idea,
        comment=comment,
        text=f"{writer_name} hat die Idee {_quote(idea.title)} kommentiert.",
        subject=f"Neuer Kommentar zu {_quote(idea.title)}",
        template="comment",
        writer_name=writer_name,
        excerpt=_excerpt(comment),
        reply=False,
    )


def status_changed(idea: Idea, event: StatusEvent) -> None:
    """Tell the idea's author (always) and its followers of a new status, not the one who set it.

    A submitted idea that the moderators publish is also news for the group's followers.
    """
    label = STATUS_LABELS[event.to_status]
    people = _followers_and_author(idea)
    recipients = _recipients(Kind.STATUS, people, exclude=[event.actor_id])
    _deliver(
        recipients,
        Kind.STATUS,
        idea=idea,
        text=f"Die Idee {_quote(idea.title)} ist jetzt {label}.",
        subject=f"Neuer Status: {_quote(idea.title)} ist {label}",
        template="status_change",
        always_mail=frozenset({idea.author_id} if idea.author_id else ()),
        label=label,
        note=event.note,
    )
    if event.from_status is IdeaStatus.SUBMITTED and event.to_status is IdeaStatus.PUBLISHED:
        _new_idea(idea)


def merged_into(duplicate: Idea, target: Idea, actor: User | None) -> None:
    """Tell the target's author and followers that a duplicate was merged into their idea.

    The duplicate's own author and followers heard of the merge from its status change,
    so they are left out here.
    """
    told = db.select(Follow.user_id).where(Follow.idea_id == duplicate.id)
    people = db.select(Follow.user_id).where(
        Follow.idea_id == target.id, Follow.user_id.not_in(told)
    )
    if target.author_id is not None:
        people = people.union(db.select(User.id).where(User.id == target.author_id))
    recipients = _recipients(
        Kind.STATUS, people, exclude=[actor.id if actor else None, duplicate.author_id]
    )
    quoted_duplicate, quoted_target = _quote(duplicate.title), _quote(target.title)
    _deliver(
        recipients,
        Kind.STATUS,
        idea=target,
        text=(
            f"Die Idee {quoted_duplicate} wurde mit {quoted_target} zusammengeführt; "
            "ihre Stimmen zählen jetzt dort."
        ),
        subject=f"Zusammengeführt: {quoted_duplicate} mit {quoted_target}",
        template="merged_into",
        duplicate=duplicate,
    )


def u30_statement_published(idea: Idea, statement, writer: User) -> None:
    """Tell the idea's author and followers (not the writer) that the U30-Beirat took a stand.

    Filed as an answer, like the group's official answer: news of a status change's weight.
    """
    people = _followers_and_author(idea)
    recipients = _recipients(Kind.ANSWER, people, exclude=[writer.id])
    _deliver(
        recipients,
        Kind.ANSWER,
        idea=idea,
        text=f"Der U30-Beirat hat zur Idee {_quote(idea.title)} Stellung genommen.",
        subject=f"U30-Stellungnahme zu {_quote(idea.title)}",
        template="u30_statement",
        statement=statement,
    )


def idea_created(idea: Idea) -> None:
    """The author follows their new idea; a published one is news for the group's followers."""
    if idea.author is not None:
        follow_idea(idea.author, idea)
    if idea.status is IdeaStatus.PUBLISHED and not idea.is_hidden:
        _new_idea(idea)


def _new_idea(idea: Idea) -> None:
    followers = _recipients(
        Kind.NEW_IDEA,
        db.select(Follow.user_id).where(Follow.group_id == idea.group_id),
        exclude=[idea.author_id],
    )
    _deliver(
        followers,
        Kind.NEW_IDEA,
        idea=idea,
        text=f"Neue Idee in {_quote(idea.group.name)}: {_quote(idea.title)}",
        subject=f"Neue Idee in {_quote(idea.group.name)}: {_quote(idea.title)}",
        template="new_idea",
    )


def report_created(report: Report, idea: Idea, comment: Comment | None) -> None:
    """Tell the group's tandem leads (or, with no leads, the admins) of a new report."""
    leads = db.select(GroupLead.user_id).where(GroupLead.group_id == idea.group_id)
    recipients = _recipients(REPORT_KIND, leads, exclude=[report.reporter_id])
    if not recipients:
        admins = db.select(UserRole.user_id).where(UserRole.role == Role.ADMIN)
        recipients = _recipients(REPORT_KIND, admins, exclude=[report.reporter_id])
    what = "einen Kommentar zur Idee" if comment is not None else "die Idee"
    _deliver(
        recipients,
        REPORT_KIND,
        idea=idea,
        comment=comment,
        text=f"Gemeldet: {what} {_quote(idea.title)}. Grund: {report.reason}",
        subject=f"Meldung zu {_quote(idea.title)}",
        template="report",
        what=what,
        reason=report.reason,
    )


# Moderation: the person concerned always learns what happened and why, also by e-mail.


def _tell(
    user_id: int | None,
    *,
    actor: User | None,
    idea: Idea | None,
    text: str,
    subject: str,
    url: str,
    **context,
) -> None:
    if user_id is None or (actor is not None and actor.id == user_id):
        return
    recipients = _recipients(Kind.MODERATION, db.select(User.id).where(User.id == user_id))
    if not recipients:
        return
    person = recipients[0]
    text = text[:TEXT_MAX]
    db.session.add(
        Notification(
            user_id=person.id,
            kind=Kind.MODERATION,
            idea_id=idea.id if idea is not None else None,
            text=text,
        )
    )
    db.session.flush()
    queue_mail(
        person.email,
        subject[:SUBJECT_MAX],
        "moderation",
        person=person,
        text=text,
        url=url,
        **context,
    )


def _item_words(idea: Idea, comment: Comment | None) -> tuple[str, int | None]:
    if comment is not None:
        return f"Ihr Kommentar zur Idee {_quote(idea.title)}", comment.author_id
    return f"Ihre Idee {_quote(idea.title)}", idea.author_id


def content_hidden(
    idea: Idea,
    comment: Comment | None,
    reason: str,
    *,
    actor: User | None,
    automatic: bool = False,
) -> None:
    """Tell the author that their idea or comment was hidden, and why."""
    what, author_id = _item_words(idea, comment)
    if automatic:
        message = f"{what} wurde nach mehreren Meldungen vorläufig ausgeblendet."
        text = message
    else:
        message = f"{what} wurde von der Moderation ausgeblendet."
        text = f"{message} Grund: {' '.join(reason.split())}"
    _tell(
        author_id,
        actor=actor,
        idea=idea,
        text=text,
        subject=f"Ausgeblendet: {_quote(idea.title)}",
        # The author may still open their own hidden idea, but not a hidden comment.
        url=target_url(idea.id, None, external=True),
        message=message,
        reason=reason,
        group_name=idea.group.name,
    )


def content_restored(idea: Idea, comment: Comment | None, note: str, *, actor: User) -> None:
    """Tell the author that their hidden idea or comment is public again."""
    what, author_id = _item_words(idea, comment)
    text = f"{what} ist wieder öffentlich sichtbar."
    _tell(
        author_id,
        actor=actor,
        idea=idea,
        text=text,
        subject=f"Wieder sichtbar: {_quote(idea.title)}",
        url=target_url(idea.id, comment.id if comment else None, external=True),
        message=text,
        reason=note,
        group_name=idea.group.name,
    )


def _german_time(moment: datetime) -> str:
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    local = moment.replace(tzinfo=UTC).astimezone(zone)
    return f"{local:%d.%m.%Y, %H:%M} Uhr"


def user_blocked(block: GroupBlock, group: ThematicGroup) -> None:
    """Tell a person that they may not write in a group until the block ends, and why."""
    message = (
        f"Sie können in der Themengruppe {_quote(group.name)} bis {_german_time(block.until)} "
        "keine Ideen und Kommentare schreiben."
    )
    text = f"{message} Grund: {' '.join(block.reason.split())}"
    _tell(
        block.user_id,
        actor=block.created_by,
        idea=None,
        text=text,
        subject=f"Gesperrt in der Themengruppe {_quote(group.name)}",
        url=url_for("groups.detail", slug=group.slug, _external=True),
        message=message,
        reason=block.reason,
        group_name=group.name,
    )


def user_unblocked(block: GroupBlock, group: ThematicGroup) -> None:
    """Tell a person that their block in a group was lifted early."""
    text = (
        f"Ihre Sperre in der Themengruppe {_quote(group.name)} wurde aufgehoben. "
        "Sie können dort wieder Ideen und Kommentare schreiben."
    )
    _tell(
        block.user_id,
        actor=None,
        idea=None,
        text=text,
        subject=f"Sperre aufgehoben: {_quote(group.name)}",
        url=url_for("groups.detail", slug=group.slug, _external=True),
        message=text,
        reason="",
        group_name=group.name,
    )


# The notification centre


def unread_count(user: User) -> int:
    """Unread notifications, counted up to UNREAD_COUNT_CAP (the header shows "99+")."""
    unread = (
        db.select(Notification.id)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .limit(UNREAD_COUNT_CAP)
        .subquery()
    )
    return db.session.scalar(db.select(db.func.count()).select_from(unread)) or 0


@dataclass(frozen=True)
class NotificationPage:
    items: list[Notification]
    next_before: int | None  # the keyset for the next (older) page, if there is one


def page_for(user: User, before: int | None = None) -> NotificationPage:
    """A user's notifications, newest first, PAGE_SIZE at a time (keyset: ids below `before`)."""
    query = (
        db.select(Notification)
        .where(Notification.user_id == user.id)
        .order_by(Notification.id.desc())
        .limit(PAGE_SIZE + 1)
    )
    if before is not None:
        query = query.where(Notification.id < before)
    items = list(db.session.scalars(query))
    more = len(items) > PAGE_SIZE
    items = items[:PAGE_SIZE]
    return NotificationPage(items, items[-1].id if more else None)


def mark_all_read(user: User) -> int:
    """Mark every unread notification of the user as read; returns how many."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return result.rowcount


def update_settings(
    user: User, *, comments: EmailMode, status: EmailMode, new_ideas: EmailMode
) -> None:
    """Choose per kind what reaches the user by e-mail: instantly, daily, or never."""
    user.email_on_comments = EmailMode(comments)
    user.email_on_status = EmailMode(status)
    user.email_on_new_ideas = EmailMode(new_ideas)
    db.session.flush()


# The daily digest


def _daily(kind_column, kinds: Iterable[NotificationKind], mode_column):
    return and_(kind_column.in_(list(kinds)), mode_column == EmailMode.DAILY)


def send_digests(now: datetime | None = None) -> int:
    """Queue one digest mail per person with unread `daily` notifications; returns how many.

    Without a column that marks notifications as mailed, the outbox is the record: a
    digest covers what came since that person's last digest (at most DIGEST_MAX_AGE
    back), and nobody gets a second digest within DIGEST_PERIOD. Run it once a day.
    """
    now = now or utcnow()
    earliest = now - DIGEST_MAX_AGE
    last_digest = dict(
        db.session.execute(
            db.select(OutboxMail.recipient, db.func.max(OutboxMail.created_at))
            .where(OutboxMail.subject == DIGEST_SUBJECT, OutboxMail.created_at >= earliest)
            .group_by(OutboxMail.recipient)
        ).all()
    )
    # Catch-up after a pause is fine, but one digest per period: allow an hour of cron jitter.
    recent = now - DIGEST_PERIOD + timedelta(hours=1)
    daily = or_(
        _daily(Notification.kind, (Kind.COMMENT, Kind.REPLY), User.email_on_comments),
        _daily(Notification.kind, (Kind.STATUS, Kind.ANSWER), User.email_on_status),
        _daily(Notification.kind, (Kind.NEW_IDEA,), User.email_on_new_ideas),
    )
    rows = db.session.execute(
        db.select(Notification, User)
        .join(User, User.id == Notification.user_id)
        .where(
            Notification.created_at >= earliest,
            Notification.created_at < now,
            Notification.read_at.is_(None),
            User.deleted_at.is_(None),
            User.email.is_not(None),
            daily,
        )
        .order_by(Notification.user_id, Notification.id)
    )
    by_user: dict[int, tuple[User, list[Notification]]] = {}
    for notification, user in rows:
        since = last_digest.get(user.email)
        if since is not None and (since >= recent or notification.created_at <= since):
            continue
        if since is None and notification.created_at < now - DIGEST_PERIOD:
            continue
        by_user.setdefault(user.id, (user, []))[1].append(notification)
    for user, items in by_user.values():
        shown = items[-DIGEST_ITEMS_MAX:]
        queue_mail(
            user.email,
            DIGEST_SUBJECT,
            "digest",
            user=user,
            items=[
                (item, target_url(item.idea_id, item.comment_id, external=True)) for item in shown
            ],
            more=len(items) - len(shown),
            centre_url=url_for("notifications.index", _external=True),
            settings_url=url_for("notifications.settings", _external=True),
            site_name=current_app.config["SITE_NAME"],
        )
    return len(by_user)


# Official answers (curation, app/services/answers.py)


def official_answer_posted(idea: Idea, answer, actor: User | None) -> None:
    """Tell the idea's author and followers of the group's official answer (not its writer).

    Whether it is also mailed follows the status setting: an answer is news of that weight.
    """
    people = _followers_and_author(idea)
    recipients = _recipients(Kind.STATUS, people, exclude=[actor.id if actor else None])
    group, title = _quote(idea.group.name), _quote(idea.title)
    if answer.version > 1:
        text = f"Die Themengruppe {group} hat ihre Stellungnahme zu {title} überarbeitet."
    else:
        text = f"Die Themengruppe {group} hat zu {title} Stellung genommen."
    _deliver(
        recipients,
        Kind.ANSWER,
        idea=idea,
        text=text,
        subject=f"Stellungnahme zu {_quote(idea.title)}",
        template="official_answer",
        answer=answer,
        group_name=idea.group.name,
    )
