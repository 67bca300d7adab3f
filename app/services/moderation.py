"""Content moderation of a thematic group by its tandem leads.

Hiding takes an idea or a comment out of public view without deleting it: the stored
counters (`Idea.comments_count`, `Comment.replies_count`, the group's `ideas_count` and
`votes_count`) leave it as they leave a deleted comment or an unlisted idea, under the
idea's row lock, and the group's cached lists are renewed. Reports wait in the group's
queue until a lead hides the item or dismisses them; an item reported by
`auto_hide_threshold()` distinct people is hidden by the platform itself, pending review.
A block keeps one person from writing ideas and comments in one group for a time. Every
action writes an entry of the audit log and tells the person concerned why.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import format_datetime, get_timezone
from flask_babel import gettext as _
from sqlalchemy import and_, case, distinct, func, or_, true, update

from app.extensions import db
from app.models import (
    AuditAction,
    AuditEntry,
    Comment,
    GroupBlock,
    Idea,
    IdeaStatus,
    ModerationReason,
    Report,
    SiteSetting,
    StatusEvent,
    ThematicGroup,
    User,
)
from app.models.base import utcnow
from app.permissions import AnyUser, can_moderate, is_admin, moderated_group_ids
from app.services import DomainError, audit, comments, ideas, list_cache, notifications
from app.services.groups import ordered_groups
from app.services.text import plain
from app.services.votes import lock_idea

S = IdeaStatus

AUTO_HIDE_KEY = "auto_hide_reports"
AUTO_HIDE_DEFAULT = 3
AUTO_HIDE_MIN = 1
AUTO_HIDE_MAX = 100

REASON_MAX = 1_000  # the free text of a hide, restore, dismiss or block
LABEL_MAX = 80  # ModerationReason.label
TEMPLATE_TEXT_MAX = 1_000
BLOCK_MAX = timedelta(days=731)

QUEUE_LIMIT = 50  # report items shown in the workspace (the most urgent first)
LIST_LIMIT = 50  # submitted and returned ideas shown in the workspace
LOG_PAGE_SIZE = 50

HIDE_ACTIONS = (
    AuditAction.HIDE_IDEA,
    AuditAction.HIDE_COMMENT,
    AuditAction.AUTO_HIDE_IDEA,
    AuditAction.AUTO_HIDE_COMMENT,
)
# An idea the steering board sent back: in review again, coming from the board's statuses.
RETURNED_FROM = (S.FORWARDED, S.PRIORITISED)

# The templates `flask seed` creates when there are none (label, text the author is told).
DEFAULT_REASONS = [
    (
        "Beleidigung",
        "Der Beitrag beleidigt oder verunglimpft andere Menschen. Bitte bleiben Sie sachlich "
        "und respektvoll.",
    ),
    (
        "Werbung/Spam",
        "Der Beitrag wirbt für Produkte oder Dienstleistungen oder wiederholt sich ohne "
        "neuen Inhalt.",
    ),
    (
        "Personenbezogene Daten",
        "Der Beitrag enthält personenbezogene Daten (etwa Namen, Adressen oder Telefonnummern) "
        "Dritter. Zum Schutz dieser Personen ist er ausgeblendet.",
    ),
    (
        "Themenfremd",
        "Der Beitrag hat keinen Bezug zur Idee oder zur digitalen Entwicklung der Stadt.",
    ),
    (
        "Rechtswidriger Inhalt",
        "Der Beitrag enthält Inhalte, die gegen geltendes Recht verstoßen.",
    ),
]


class ReasonRequired(DomainError):
    """Hiding and blocking need a reason: a template, free text, or both."""


class AlreadyHidden(DomainError):
    """The item is hidden already (and no report waits for review)."""


class NotHidden(DomainError):
    """Only hidden items can be restored."""


class NothingToDismiss(DomainError):
    """No open report waits on this item."""


class BlockRefused(DomainError):
    """This person cannot be blocked in this group (now)."""


class BlockEndRefused(BlockRefused):
    """The end of a block lies in the past or too far ahead."""


class Blocked(DomainError):
    """The person is blocked from writing in this group."""


def _clean_text(text: str | None, limit: int = REASON_MAX) -> str:
    text = plain(text)
    if len(text) > limit:
        raise DomainError(_("Der Text darf höchstens %(max)d Zeichen lang sein.", max=limit))
    return text


def compose_reason(template: ModerationReason | None, text: str | None) -> str:
    """The reason the author is told: the template's text, the lead's own words, or both."""
    text = _clean_text(text)
    parts = []
    if template is not None:
        parts.append(template.text.strip() or template.label)
    if text:
        parts.append(text)
    if not parts:
        raise ReasonRequired(
            _("Bitte wählen Sie eine Vorlage oder schreiben Sie einen Grund (oder beides).")
        )
    return "\n\n".join(parts)


# The auto-hide threshold (a site setting)


def auto_hide_threshold() -> int:
    """How many distinct people's open reports hide an item automatically."""
    setting = db.session.get(SiteSetting, AUTO_HIDE_KEY)
    if setting is None:
        return AUTO_HIDE_DEFAULT
    try:
        return max(AUTO_HIDE_MIN, int(setting.value))
    except ValueError:
        return AUTO_HIDE_DEFAULT


def set_auto_hide_threshold(value: int) -> None:
    """Admins choose the threshold, between AUTO_HIDE_MIN and AUTO_HIDE_MAX."""
    if not AUTO_HIDE_MIN <= value <= AUTO_HIDE_MAX:
        raise DomainError(
            _(
                "Bitte wählen Sie eine Zahl von %(min)d bis %(max)d.",
                min=AUTO_HIDE_MIN,
                max=AUTO_HIDE_MAX,
            )
        )
    setting = db.session.get(SiteSetting, AUTO_HIDE_KEY) or SiteSetting(key=AUTO_HIDE_KEY)
    setting.value = str(value)
    setting.value_html = ""
    db.session.add(setting)
    db.session.flush()


# Reports


def _open_reports(idea_id: int, comment_id: int | None):
    item = Report.comment_id.is_(None) if comment_id is None else Report.comment_id == comment_id
    return and_(Report.idea_id == idea_id, item, Report.resolved_at.is_(None))


def open_reporters(idea_id: int, comment_id: int | None = None) -> int:
    """The number of distinct people with an open report on an idea (or one of its comments)."""
    return (
        db.session.scalar(
            db.select(func.count(distinct(Report.reporter_id))).where(
                _open_reports(idea_id, comment_id)
            )
        )
        or 0
    )


def open_reports(idea: Idea, comment: Comment | None = None) -> list[Report]:
    """The open reports on an idea (or one of its comments), newest first."""
    return list(
        db.session.scalars(
            db.select(Report)
            .where(_open_reports(idea.id, comment.id if comment is not None else None))
            .order_by(Report.created_at.desc(), Report.id.desc())
        )
    )


def _resolve_reports(idea_id: int, comment_id: int | None) -> int:
    result = db.session.execute(
        update(Report)
        .where(_open_reports(idea_id, comment_id))
        .values(resolved_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


# Hiding and restoring ideas


def _lock_and_reload(idea: Idea) -> None:
    # Whatever another request changed before we got the lock is what we decide on.
    lock_idea(idea.id)
    db.session.refresh(idea)


def _hide_idea(idea: Idea, reason: str) -> None:
    was_listed = ideas.is_listed(idea)
    idea.hidden_at = idea.hidden_at or utcnow()
    idea.hidden_reason = reason
    db.session.flush()
    list_cache.mark_idea_changed(db.session, idea)
    if was_listed:
        ideas.adjust_group_counts(idea, -1)


def _unhide_idea(idea: Idea) -> None:
    idea.hidden_at = None
    idea.hidden_reason = None
    db.session.flush()
    list_cache.mark_idea_changed(db.session, idea)
    if ideas.is_listed(idea):
        ideas.adjust_group_counts(idea, +1)


def hide_idea(
    actor: User, idea: Idea, *, template: ModerationReason | None = None, text: str = ""
) -> AuditEntry:
    """Hide an idea from the public, with a reason; resolves the reports waiting on it.

    An idea hidden automatically (pending review) can be hidden for good: the lead's
    reason replaces the automatic one.
    """
    reason = compose_reason(template, text)
    _lock_and_reload(idea)
    if idea.is_hidden and open_reporters(idea.id) == 0:
        raise AlreadyHidden(_("Diese Idee ist bereits ausgeblendet."))
    _hide_idea(idea, reason)
    _resolve_reports(idea.id, None)
    entry = audit.record(
        AuditAction.HIDE_IDEA,
        group_id=idea.group_id,
        actor=actor,
        idea=idea,
        reason=reason,
        template=template,
    )
    notifications.content_hidden(idea, None, reason, actor=actor)
    return entry


def restore_idea(actor: User, idea: Idea, note: str = "") -> AuditEntry:
    """Show a hidden idea again; reports still waiting on it are resolved with it."""
    note = _clean_text(note)
    _lock_and_reload(idea)
    if not idea.is_hidden:
        raise NotHidden(_("Diese Idee ist nicht ausgeblendet."))
    _unhide_idea(idea)
    _resolve_reports(idea.id, None)
    entry = audit.record(
        AuditAction.RESTORE_IDEA, group_id=idea.group_id, actor=actor, idea=idea, reason=note
    )
    notifications.content_restored(idea, None, note, actor=actor)
    return entry


# Hiding and restoring comments


def _comment_idea(comment: Comment) -> Idea:
    idea = db.session.get(Idea, comment.idea_id)
    assert idea is not None  # the foreign key cascades
    return idea


def _hide_comment(comment: Comment, reason: str) -> None:
    counted = not comment.is_hidden and not comment.is_deleted
    comment.hidden_at = comment.hidden_at or utcnow()
    comment.hidden_reason = reason
    db.session.flush()
    if counted:
        # Out of the counts as a deleted comment is (see services.recount).
        comments.change_counts(comment, -1)
    _expire_counts(comment)


def _unhide_comment(comment: Comment) -> None:
    comment.hidden_at = None
    comment.hidden_reason = None
    db.session.flush()
    if not comment.is_deleted:
        comments.change_counts(comment, +1)
    _expire_counts(comment)


def _expire_counts(comment: Comment) -> None:
    idea = db.session.get(Idea, comment.idea_id)
    if idea is not None:
        db.session.expire(idea, ["comments_count"])
    if comment.parent_id is not None:
        parent = db.session.get(Comment, comment.parent_id)
        if parent is not None:
            db.session.expire(parent, ["replies_count"])


def hide_comment(
    actor: User, comment: Comment, *, template: ModerationReason | None = None, text: str = ""
) -> AuditEntry:
    """Hide a comment from the public, with a reason; resolves the reports waiting on it."""
    reason = compose_reason(template, text)
    idea = _comment_idea(comment)
    lock_idea(idea.id)
    db.session.refresh(comment)
    if comment.is_deleted:
        raise DomainError(_("Dieser Kommentar wurde gelöscht; es gibt nichts auszublenden."))
    if comment.is_hidden and open_reporters(idea.id, comment.id) == 0:
        raise AlreadyHidden(_("Dieser Kommentar ist bereits ausgeblendet."))
    _hide_comment(comment, reason)
    _resolve_reports(idea.id, comment.id)
    entry = audit.record(
        AuditAction.HIDE_COMMENT,
        group_id=idea.group_id,
        actor=actor,
        idea=idea,
        comment=comment,
        reason=reason,
        template=template,
    )
    notifications.content_hidden(idea, comment, reason, actor=actor)
    return entry


def restore_comment(actor: User, comment: Comment, note: str = "") -> AuditEntry:
    """Show a hidden comment again; reports still waiting on it are resolved with it."""
    note = _clean_text(note)
    idea = _comment_idea(comment)
    lock_idea(idea.id)
    db.session.refresh(comment)
    if not comment.is_hidden:
        raise NotHidden(_("Dieser Kommentar ist nicht ausgeblendet."))
    _unhide_comment(comment)
    _resolve_reports(idea.id, comment.id)
    entry = audit.record(
        AuditAction.RESTORE_COMMENT,
        group_id=idea.group_id,
        actor=actor,
        idea=idea,
        comment=comment,
        reason=note,
    )
    notifications.content_restored(idea, comment, note, actor=actor)
    return entry


# Reports: auto-hide and dismissal


def auto_hide_if_reported(idea: Idea, comment: Comment | None = None) -> bool:
    """Hide an item that enough distinct people reported, pending the tandem's review.

    Called by `comments.report` under the idea's row lock; True when it hid the item.
    """
    reporters = open_reporters(idea.id, comment.id if comment else None)
    if reporters < auto_hide_threshold():
        return False
    reason = (
        f"Vorläufig ausgeblendet, weil {reporters} Personen den Beitrag gemeldet haben. "
        "Das Tandem der Themengruppe prüft ihn."
    )
    if comment is None:
        db.session.refresh(idea)
        if idea.is_hidden:
            return False
        _hide_idea(idea, reason)
        action = AuditAction.AUTO_HIDE_IDEA
    else:
        db.session.refresh(comment)
        if comment.is_hidden or comment.is_deleted:
            return False
        _hide_comment(comment, reason)
        action = AuditAction.AUTO_HIDE_COMMENT
    audit.record(
        action,
        group_id=idea.group_id,
        actor=None,
        idea=idea,
        comment=comment,
        reason=reason,
        detail=f"reports:{reporters}",
    )
    notifications.content_hidden(idea, comment, reason, actor=None, automatic=True)
    return True


def dismiss_reports(
    actor: User, idea: Idea, comment: Comment | None = None, note: str = ""
) -> AuditEntry:
    """Resolve an item's open reports without hiding it; an auto-hidden item is shown again."""
    note = _clean_text(note)
    lock_idea(idea.id)
    comment_id = comment.id if comment is not None else None
    reporters = open_reporters(idea.id, comment_id)
    if reporters == 0:
        raise NothingToDismiss(_("Zu diesem Beitrag liegen keine offenen Meldungen vor."))
    _resolve_reports(idea.id, comment_id)
    entry = audit.record(
        AuditAction.DISMISS_REPORT,
        group_id=idea.group_id,
        actor=actor,
        idea=idea,
        comment=comment,
        reason=note,
        detail=f"reports:{reporters}",
    )
    # Hidden with reports still open means hidden automatically, pending this review.
    if comment is None:
        db.session.refresh(idea)
        if idea.is_hidden:
            _unhide_idea(idea)
            audit.record(
                AuditAction.RESTORE_IDEA,
                group_id=idea.group_id,
                actor=actor,
                idea=idea,
                reason=note,
            )
            notifications.content_restored(idea, None, note, actor=actor)
    else:
        db.session.refresh(comment)
        if comment.is_hidden:
            _unhide_comment(comment)
            audit.record(
                AuditAction.RESTORE_COMMENT,
                group_id=idea.group_id,
                actor=actor,
                idea=idea,
                comment=comment,
                reason=note,
            )
            notifications.content_restored(idea, comment, note, actor=actor)
    return entry


@dataclass
class QueueItem:
    """One reported idea or comment with all its open reports, newest first."""

    idea: Idea
    comment: Comment | None
    reporters: int
    latest: datetime
    reports: list[Report] = field(default_factory=list)

    @property
    def pending_review(self) -> bool:
        """Hidden automatically, waiting for the tandem's decision."""
        item = self.comment if self.comment is not None else self.idea
        return item.is_hidden

    @property
    def author(self) -> User | None:
        return self.comment.author if self.comment is not None else self.idea.author

    @property
    def key(self) -> str:
        return f"kommentar-{self.comment.id}" if self.comment else f"idee-{self.idea.id}"


def report_queue(group: ThematicGroup, limit: int = QUEUE_LIMIT) -> tuple[list[QueueItem], bool]:
    """The group's reported items: auto-hidden ones first, then by their newest report.

    Returns at most `limit` items, and whether there are more.
    """
    hidden = func.max(
        case(
            (and_(Report.comment_id.is_(None), Idea.hidden_at.is_not(None)), 1),
            (Comment.hidden_at.is_not(None), 1),
            else_=0,
        )
    ).label("hidden")
    latest = func.max(Report.created_at).label("latest")
    rows = db.session.execute(
        db.select(
            Report.idea_id,
            Report.comment_id,
            func.count(distinct(Report.reporter_id)).label("reporters"),
            latest,
            hidden,
        )
        .join(Idea, Idea.id == Report.idea_id)
        .outerjoin(Comment, Comment.id == Report.comment_id)
        .where(Report.resolved_at.is_(None), Idea.group_id == group.id)
        .group_by(Report.idea_id, Report.comment_id)
        .order_by(hidden.desc(), latest.desc(), Report.idea_id.desc())
        .limit(limit + 1)
    ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    if not rows:
        return [], False
    idea_ids = {row.idea_id for row in rows}
    comment_ids = {row.comment_id for row in rows if row.comment_id is not None}
    idea_by_id = {
        idea.id: idea for idea in db.session.scalars(db.select(Idea).where(Idea.id.in_(idea_ids)))
    }
    comment_by_id = {}
    if comment_ids:
        comment_by_id = {
            comment.id: comment
            for comment in db.session.scalars(db.select(Comment).where(Comment.id.in_(comment_ids)))
        }
    reports: dict[tuple[int, int | None], list[Report]] = defaultdict(list)
    for report in db.session.scalars(
        db.select(Report)
        .where(Report.idea_id.in_(idea_ids), Report.resolved_at.is_(None))
        .order_by(Report.created_at.desc(), Report.id.desc())
    ):
        reports[(report.idea_id, report.comment_id)].append(report)
    items = [
        QueueItem(
            idea=idea_by_id[row.idea_id],
            comment=comment_by_id.get(row.comment_id) if row.comment_id else None,
            reporters=row.reporters,
            latest=row.latest,
            reports=reports[(row.idea_id, row.comment_id)],
        )
        for row in rows
    ]
    return items, more


# What waits for the tandem


def _returned_condition():
    latest_from = (
        db.select(StatusEvent.from_status)
        .where(StatusEvent.idea_id == Idea.id)
        .order_by(StatusEvent.created_at.desc(), StatusEvent.id.desc())
        .limit(1)
        .correlate(Idea)
        .scalar_subquery()
    )
    return and_(Idea.status == S.IN_REVIEW, latest_from.in_(RETURNED_FROM))


def submitted_ideas(group: ThematicGroup, limit: int = LIST_LIMIT) -> list[Idea]:
    """Ideas awaiting pre-moderation, oldest first."""
    return list(
        db.session.scalars(
            db.select(Idea)
            .where(Idea.group_id == group.id, Idea.status == S.SUBMITTED)
            .order_by(Idea.created_at, Idea.id)
            .limit(limit)
        )
    )


def returned_ideas(group: ThematicGroup, limit: int = LIST_LIMIT) -> list[Idea]:
    """Ideas the steering board sent back to the group (in review, coming from the board)."""
    return list(
        db.session.scalars(
            db.select(Idea)
            .where(Idea.group_id == group.id, _returned_condition())
            .order_by(Idea.updated_at.desc(), Idea.id.desc())
            .limit(limit)
        )
    )


def status_counts(group: ThematicGroup) -> dict[IdeaStatus, int]:
    """How many of the group's ideas are in each status (hidden ones included)."""
    rows = db.session.execute(
        db.select(Idea.status, func.count()).where(Idea.group_id == group.id).group_by(Idea.status)
    )
    counts = dict.fromkeys(IdeaStatus, 0)
    counts.update(dict(rows.all()))
    return counts


def hidden_counts(group: ThematicGroup) -> tuple[int, int]:
    """How many ideas and comments of the group are hidden now."""
    hidden_ideas = db.session.scalar(
        db.select(func.count(Idea.id)).where(Idea.group_id == group.id, Idea.hidden_at.is_not(None))
    )
    hidden_comments = db.session.scalar(
        db.select(func.count(Comment.id))
        .join(Idea, Idea.id == Comment.idea_id)
        .where(Idea.group_id == group.id, Comment.hidden_at.is_not(None))
    )
    return hidden_ideas or 0, hidden_comments or 0


def pending_by_group(group_ids: set[int] | None) -> dict[int, int]:
    """Items waiting per group (reported items, submitted and returned ideas): two queries.

    `group_ids` None means every group (admins).
    """
    if group_ids is not None and not group_ids:
        return {}
    in_groups = Idea.group_id.in_(group_ids) if group_ids is not None else true()
    items = func.count(distinct(Report.comment_id)) + func.count(
        distinct(case((Report.comment_id.is_(None), Report.idea_id)))
    )
    counts: dict[int, int] = defaultdict(int)
    for group_id, count in db.session.execute(
        db.select(Idea.group_id, items)
        .join(Idea, Idea.id == Report.idea_id)
        .where(Report.resolved_at.is_(None), in_groups)
        .group_by(Idea.group_id)
    ):
        counts[group_id] += count
    for group_id, count in db.session.execute(
        db.select(Idea.group_id, func.count(Idea.id))
        .where(in_groups, or_(Idea.status == S.SUBMITTED, _returned_condition()))
        .group_by(Idea.group_id)
    ):
        counts[group_id] += count
    return dict(counts)


def pending_count(user: AnyUser) -> int:
    """How many items wait in the groups `user` moderates (0 for everyone else)."""
    group_ids = moderated_group_ids(user)
    if group_ids is not None and not group_ids:
        return 0
    return sum(pending_by_group(group_ids).values())


def moderated_groups(user: AnyUser) -> list[ThematicGroup]:
    """The groups a user moderates, in their public order (admins: all)."""
    return [group for group in ordered_groups(include_archived=True) if can_moderate(user, group)]


# Blocks


def active_block(user: AnyUser, group: ThematicGroup) -> GroupBlock | None:
    """The block that keeps `user` from writing in `group` now, if there is one."""
    if not isinstance(user, User):
        return None
    return db.session.scalar(
        db.select(GroupBlock)
        .where(
            GroupBlock.user_id == user.id,
            GroupBlock.group_id == group.id,
            GroupBlock.lifted_at.is_(None),
            GroupBlock.until > utcnow(),
        )
        .order_by(GroupBlock.until.desc())
        .limit(1)
    )


def _when(moment: datetime) -> str:
    return format_datetime(moment, "d. MMMM y, HH:mm")


def block_message(block: GroupBlock, group: ThematicGroup) -> str:
    """What a blocked person reads where they would write: until when, and why."""
    return _(
        "Sie sind in der Themengruppe „%(group)s“ bis %(until)s Uhr gesperrt und können dort "
        "keine Ideen und Kommentare schreiben. Grund: %(reason)s",
        group=group.name,
        until=_when(block.until),
        reason=block.reason,
    )


def ensure_can_write(user: AnyUser, group: ThematicGroup) -> None:
    """Refuse ideas and comments of a person who is blocked in the group."""
    block = active_block(user, group)
    if block is not None:
        raise Blocked(block_message(block, group))


def block_until(*, days: int | None = None, last_day: date | None = None) -> datetime:
    """The end of a block: `days` from now, or the end of `last_day` in the site's time zone."""
    if last_day is not None:
        zone = ZoneInfo(str(get_timezone()))
        end = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=zone)
        return end.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)
    return utcnow() + timedelta(days=days or 0)


def block_user(
    actor: User, group: ThematicGroup, user: User, *, until: datetime, reason: str
) -> GroupBlock:
    """Keep a person from writing ideas and comments in the group until `until`."""
    reason = _clean_text(reason)
    if not reason:
        raise ReasonRequired(_("Bitte geben Sie einen Grund für die Sperre an."))
    if not user.is_active:
        raise BlockRefused(_("Dieses Konto gibt es nicht mehr."))
    if user.id == actor.id:
        raise BlockRefused(_("Sie können sich nicht selbst sperren."))
    if is_admin(user):
        raise BlockRefused(
            _("Administratorinnen und Administratoren können nicht gesperrt werden.")
        )
    if can_moderate(user, group):
        raise BlockRefused(_("Die Leitung dieser Themengruppe kann hier nicht gesperrt werden."))
    now = utcnow()
    if until <= now:
        raise BlockEndRefused(_("Das Ende der Sperre muss in der Zukunft liegen."))
    if until > now + BLOCK_MAX:
        raise BlockEndRefused(_("Eine Sperre darf höchstens zwei Jahre dauern."))
    existing = active_block(user, group)
    if existing is not None:
        raise BlockRefused(
            _(
                "%(name)s ist in dieser Themengruppe bereits bis %(until)s Uhr gesperrt. "
                "Heben Sie diese Sperre zuerst auf, um eine neue festzulegen.",
                name=user.display_name,
                until=_when(existing.until),
            )
        )
    block = GroupBlock(
        group_id=group.id, user_id=user.id, reason=reason, until=until, created_by_id=actor.id
    )
    db.session.add(block)
    db.session.flush()
    audit.record(
        AuditAction.BLOCK_USER,
        group_id=group.id,
        actor=actor,
        subject=user,
        reason=reason,
        detail=f"until:{until.isoformat(timespec='minutes')}",
    )
    notifications.user_blocked(block, group)
    return block


def lift_block(actor: User, block: GroupBlock, note: str = "") -> None:
    """End a block before its time; the person may write in the group again."""
    note = _clean_text(note)
    if block.lifted_at is not None or block.until <= utcnow():
        raise DomainError(_("Diese Sperre ist bereits beendet."))
    block.lifted_at = utcnow()
    db.session.flush()
    group = db.session.get(ThematicGroup, block.group_id)
    audit.record(
        AuditAction.UNBLOCK_USER,
        group_id=block.group_id,
        actor=actor,
        subject=block.user,
        reason=note,
    )
    notifications.user_unblocked(block, group)


def active_blocks(group: ThematicGroup) -> list[GroupBlock]:
    """The group's blocks in force now, ending soonest first."""
    return list(
        db.session.scalars(
            db.select(GroupBlock)
            .where(
                GroupBlock.group_id == group.id,
                GroupBlock.lifted_at.is_(None),
                GroupBlock.until > utcnow(),
            )
            .order_by(GroupBlock.until, GroupBlock.id)
        )
    )


# Reason templates


def reason_templates() -> list[ModerationReason]:
    """The templates in the order leads see them."""
    return list(
        db.session.scalars(
            db.select(ModerationReason).order_by(ModerationReason.position, ModerationReason.id)
        )
    )


def _check_template(label: str, text: str, current: ModerationReason | None = None):
    label = (label or "").strip()
    if not label:
        raise ReasonRequired(_("Bitte geben Sie eine Bezeichnung an."))
    if len(label) > LABEL_MAX:
        raise DomainError(
            _("Die Bezeichnung darf höchstens %(max)d Zeichen lang sein.", max=LABEL_MAX)
        )
    text = _clean_text(text, TEMPLATE_TEXT_MAX)
    taken = db.session.scalar(
        db.select(ModerationReason.id).where(
            func.lower(ModerationReason.label) == label.lower(),
            ModerationReason.id != (current.id if current is not None else -1),
        )
    )
    if taken is not None:
        raise DomainError(_("Eine Vorlage mit dieser Bezeichnung gibt es bereits."))
    return label, text


def create_template(label: str, text: str = "") -> ModerationReason:
    """A new reason template, at the end of the list."""
    label, text = _check_template(label, text)
    last = db.session.scalar(db.select(func.max(ModerationReason.position))) or 0
    template = ModerationReason(label=label, text=text, position=last + 1)
    db.session.add(template)
    db.session.flush()
    return template


def update_template(template: ModerationReason, label: str, text: str = "") -> None:
    """Change a template's label and text (past decisions keep the reason they were given)."""
    template.label, template.text = _check_template(label, text, template)
    db.session.flush()


def delete_template(template: ModerationReason) -> None:
    """Remove a template; decisions that used it count as "Sonstiges" in the public summary."""
    db.session.delete(template)
    db.session.flush()


def move_template(template: ModerationReason, direction: int) -> bool:
    """Swap a template with its neighbour: -1 up, +1 down; False when at the edge."""
    templates = reason_templates()
    index = templates.index(template)
    other = index + direction
    if not 0 <= other < len(templates):
        return False
    templates[index], templates[other] = templates[other], templates[index]
    for position, item in enumerate(templates, start=1):
        item.position = position
    db.session.flush()
    return True


def seed_default_templates() -> int:
    """The default templates, when there are none yet; returns how many were created."""
    if db.session.scalar(db.select(ModerationReason.id).limit(1)) is not None:
        return 0
    for position, (label, text) in enumerate(DEFAULT_REASONS, start=1):
        db.session.add(ModerationReason(label=label, text=text, position=position))
    db.session.flush()
    return len(DEFAULT_REASONS)


# The audit log


@dataclass(frozen=True)
class LogPage:
    entries: list[AuditEntry]
    ideas: dict[int, Idea]
    groups: dict[int, ThematicGroup]
    next_before: int | None


def log_page(
    user: AnyUser, group: ThematicGroup | None = None, before: int | None = None
) -> LogPage:
    """The audit log as `user` may read it (leads: their groups; admins: all), newest first."""
    query = db.select(AuditEntry).order_by(AuditEntry.id.desc()).limit(LOG_PAGE_SIZE + 1)
    allowed = moderated_group_ids(user)
    if allowed is not None:
        query = query.where(AuditEntry.group_id.in_(allowed))
    if group is not None:
        query = query.where(AuditEntry.group_id == group.id)
    if before is not None:
        query = query.where(AuditEntry.id < before)
    entries = list(db.session.scalars(query))
    more = len(entries) > LOG_PAGE_SIZE
    entries = entries[:LOG_PAGE_SIZE]
    idea_ids = {entry.idea_id for entry in entries if entry.idea_id is not None}
    idea_by_id = {}
    if idea_ids:
        idea_by_id = {
            idea.id: idea
            for idea in db.session.scalars(db.select(Idea).where(Idea.id.in_(idea_ids)))
        }
    group_by_id = {item.id: item for item in db.session.scalars(db.select(ThematicGroup))}
    return LogPage(entries, idea_by_id, group_by_id, entries[-1].id if more else None)


# The public summary


@dataclass(frozen=True)
class ReasonCount:
    label: str | None  # None: free text ("Sonstiges"); see `automatic`
    ideas: int
    comments: int
    automatic: bool = False


@dataclass(frozen=True)
class Summary:
    """What the public may know about a group's moderation: numbers and reasons only."""

    hidden_ideas: int
    hidden_comments: int
    reasons: list[ReasonCount]
    actions: dict[AuditAction, int]

    def _count(self, *actions: AuditAction) -> int:
        return sum(self.actions.get(action, 0) for action in actions)

    @property
    def hides(self) -> int:
        return self._count(*HIDE_ACTIONS)

    @property
    def auto_hides(self) -> int:
        return self._count(AuditAction.AUTO_HIDE_IDEA, AuditAction.AUTO_HIDE_COMMENT)

    @property
    def restores(self) -> int:
        return self._count(AuditAction.RESTORE_IDEA, AuditAction.RESTORE_COMMENT)

    @property
    def dismissals(self) -> int:
        return self._count(AuditAction.DISMISS_REPORT)

    @property
    def blocks(self) -> int:
        return self._count(AuditAction.BLOCK_USER)


def summary(group: ThematicGroup) -> Summary:
    """Hidden items of the group now, grouped by the reason of their latest hide; totals."""
    hidden_ideas, hidden_comments = hidden_counts(group)
    latest_hides = (
        db.select(func.max(AuditEntry.id))
        .where(AuditEntry.group_id == group.id, AuditEntry.action.in_(HIDE_ACTIONS))
        .group_by(AuditEntry.idea_id, AuditEntry.comment_id)
    )
    still_hidden = or_(
        and_(AuditEntry.comment_id.is_(None), Idea.hidden_at.is_not(None)),
        Comment.hidden_at.is_not(None),
    )
    automatic = AuditEntry.action.in_((AuditAction.AUTO_HIDE_IDEA, AuditAction.AUTO_HIDE_COMMENT))
    rows = db.session.execute(
        db.select(
            ModerationReason.label,
            automatic.label("automatic"),
            AuditEntry.comment_id.is_(None).label("is_idea"),
            func.count(),
        )
        .select_from(AuditEntry)
        .join(Idea, Idea.id == AuditEntry.idea_id)
        .outerjoin(Comment, Comment.id == AuditEntry.comment_id)
        .outerjoin(ModerationReason, ModerationReason.id == AuditEntry.reason_id)
        .where(AuditEntry.id.in_(latest_hides), still_hidden)
        .group_by(ModerationReason.label, automatic, AuditEntry.comment_id.is_(None))
    )
    by_reason: dict[tuple[str | None, bool], list[int]] = defaultdict(lambda: [0, 0])
    for label, is_automatic, is_idea, count in rows:
        key = (None, True) if is_automatic else (label, False)
        by_reason[key][0 if is_idea else 1] += count
    # Items hidden without an entry in the log (imported data) count as "Sonstiges".
    explained_ideas = sum(counts[0] for counts in by_reason.values())
    explained_comments = sum(counts[1] for counts in by_reason.values())
    if hidden_ideas > explained_ideas or hidden_comments > explained_comments:
        other = by_reason[(None, False)]
        other[0] += max(0, hidden_ideas - explained_ideas)
        other[1] += max(0, hidden_comments - explained_comments)
    order = {template.label: index for index, template in enumerate(reason_templates())}
    reasons = sorted(
        (
            ReasonCount(label, counts[0], counts[1], is_automatic)
            for (label, is_automatic), counts in by_reason.items()
        ),
        key=lambda item: (item.automatic, item.label is None, order.get(item.label, 999)),
    )
    actions = dict(
        db.session.execute(
            db.select(AuditEntry.action, func.count())
            .where(AuditEntry.group_id == group.id)
            .group_by(AuditEntry.action)
        ).all()
    )
    return Summary(hidden_ideas, hidden_comments, reasons, actions)
