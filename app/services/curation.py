"""Curation of a group's ideas by its tandem: status changes, merging duplicates, moving
ideas between groups, and internal notes.

Status changes go through `ideas.transition` (the one table of allowed changes); who may
make which change is `permissions.can_transition`. Every action is written to the audit
log. Counters move with SQL expressions under the row locks of the ideas concerned, as
votes.py does for a single vote, so that `flask recount --verify` stays silent.
"""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import and_, case, delete, exists, func, insert, literal, select, update
from sqlalchemy.orm import aliased, lazyload

from app.extensions import db
from app.models import (
    Assessment,
    AuditAction,
    Follow,
    Forwarding,
    Idea,
    IdeaStatus,
    InternalNote,
    StatusEvent,
    ThematicGroup,
    User,
    Vote,
)
from app.models.base import utcnow
from app.permissions import (
    can_moderate,
    can_see_internal_notes,
    can_transition,
    can_write_internal_note,
    moderated_group_ids,
)
from app.services import DomainError, audit, forwarding, ideas, list_cache, notifications
from app.services.ideas import REASON_REQUIRED, TRANSITIONS, TransitionRefused
from app.services.ranking import trending_score, wilson_lower_bound
from app.services.text import plain, render_markdown
from app.services.votes import lock_idea

S = IdeaStatus

# A note on the public timeline (also a decline's or merge's reason).
TIMELINE_NOTE_MAX = 2_000
# An internal note of the leads.
NOTE_MAX = 5_000
# Internal notes shown on a page, the newest ones.
NOTES_SHOWN = 100

# Changes that have their own form, because they need more than a note: the target of a
# merge, the rationale and ranking of a forwarding (forwarding.py), the return of a
# forwarded idea (forwarding.py, which also closes its place in the ranking), and the
# author's own withdrawal (ideas.withdraw).
MERGE, FORWARD, RETURN, AUTHOR = "merge", "forward", "return", "author"


def own_form(start: IdeaStatus, to: IdeaStatus) -> str | None:
    """Which dedicated form makes this change, if the generic status form does not."""
    if to is S.MERGED:
        return MERGE
    if to is S.FORWARDED:
        return FORWARD
    if to is S.WITHDRAWN:
        return AUTHOR
    if to is S.IN_REVIEW and start in forwarding.RETURNABLE:
        return RETURN
    return None


# The statuses in which the idea page shows the group's rationale for forwarding it.
FORWARDING_SHOWN = frozenset({S.FORWARDED, S.PRIORITISED, S.IMPLEMENTED, S.DECLINED})
# Ideas in the board's hands stay in their group (the group's ranking holds them).
NOT_MOVABLE = frozenset({S.FORWARDED, S.PRIORITISED})


class NotPermitted(DomainError):
    """The actor may not do this to this idea or group."""


class ReasonRequired(DomainError):
    """Declines, rejections and merges carry a reason."""


class CurationRefused(DomainError):
    """A rule of curation refused the action (merge target closed, same group, …)."""


OWN_FORM_MESSAGES = {
    MERGE: lambda: _("Zum Zusammenführen wählen Sie bitte die Zielidee aus."),
    FORWARD: lambda: _(
        "Zum Weiterleiten an das Lenkungsgremium nutzen Sie bitte das Formular „Weiterleiten“."
    ),
    RETURN: lambda: _("Zum Zurücknehmen nutzen Sie bitte das Formular „Zurücknehmen“."),
    AUTHOR: lambda: _("Nur die Autorin oder der Autor kann eine Idee zurückziehen."),
}


def _label(status: IdeaStatus) -> str:
    return str(ideas.STATUS_LABELS[status])


def _clean_note(note: str | None, *, required: bool) -> str:
    note = plain(note)
    if required and not note:
        raise ReasonRequired(_("Bitte geben Sie eine Begründung an."))
    if len(note) > TIMELINE_NOTE_MAX:
        raise DomainError(
            _("Die Anmerkung darf höchstens %(max)d Zeichen lang sein.", max=TIMELINE_NOTE_MAX)
        )
    return note


def _check_step(idea: Idea, to: IdeaStatus) -> None:
    if idea.status is to:
        raise TransitionRefused(
            _("Die Idee hat bereits den Status „%(status)s“.", status=_label(to))
        )
    if to not in TRANSITIONS[idea.status]:
        raise TransitionRefused(
            _(
                "Eine Idee im Status „%(current)s“ kann nicht auf „%(to)s“ gesetzt werden.",
                current=_label(idea.status),
                to=_label(to),
            )
        )


def next_steps(idea: Idea, actor: User) -> list[IdeaStatus]:
    """The statuses the actor may set on the moderation page (merge and forward aside)."""
    return [
        to
        for to in IdeaStatus
        if to in TRANSITIONS[idea.status]
        and own_form(idea.status, to) is None
        and can_transition(actor, idea, to)
    ]


def change_status(idea: Idea, to: IdeaStatus, *, actor: User, note: str = "") -> StatusEvent:
    """Move an idea along the lifecycle, as the table and the actor's side allow."""
    to = IdeaStatus(to)
    note = _clean_note(note, required=to in REASON_REQUIRED)
    lock_idea(idea.id)
    db.session.refresh(idea)  # the other half of the tandem may have acted meanwhile
    _check_step(idea, to)
    form = own_form(idea.status, to)
    if form is not None:
        raise CurationRefused(OWN_FORM_MESSAGES[form]())
    if not can_transition(actor, idea, to):
        raise NotPermitted(_("Sie dürfen diesen Statuswechsel nicht vornehmen."))
    before = idea.status
    ideas.transition(idea, to, actor=actor, note=note)
    audit.record(
        AuditAction.STATUS,
        group_id=idea.group_id,
        actor=actor,
        idea=idea,
        reason=note,
        detail=f"{before.value}>{to.value}",
    )
    return _latest_event(idea)


def _latest_event(idea: Idea) -> StatusEvent:
    return db.session.scalars(
        select(StatusEvent)
        .where(StatusEvent.idea_id == idea.id)
        .order_by(StatusEvent.id.desc())
        .limit(1)
    ).one()


def publish(idea: Idea, *, actor: User, note: str = "") -> StatusEvent:
    """Release a submitted idea (pre-moderation) to the public."""
    return change_status(idea, S.PUBLISHED, actor=actor, note=note)


def reject(idea: Idea, *, actor: User, reason: str) -> StatusEvent:
    """Refuse a submitted idea, with a reason for its author."""
    return change_status(idea, S.REJECTED, actor=actor, note=reason)


def start_review(idea: Idea, *, actor: User, note: str = "") -> StatusEvent:
    """The tandem takes a published idea into review."""
    return change_status(idea, S.IN_REVIEW, actor=actor, note=note)


def decline(idea: Idea, *, actor: User, reason: str) -> StatusEvent:
    """Decline an idea with a public reason."""
    return change_status(idea, S.DECLINED, actor=actor, note=reason)


# Merging a duplicate into another idea


def merge_note(target: Idea, reason: str) -> str:
    """The timeline note of a merge (German, stored once): the target's title and the reason."""
    return f"Zusammengeführt mit der Idee „{target.title}“ (Nr. {target.id}). Begründung: {reason}"


def check_merge(duplicate: Idea, target: Idea, *, actor: User) -> None:
    """Refuse (with the reason) a merge that may not happen; changes nothing."""
    if duplicate.id == target.id:
        raise CurationRefused(_("Eine Idee kann nicht mit sich selbst zusammengeführt werden."))
    if not can_moderate(actor, duplicate.group):
        raise NotPermitted(_("Sie moderieren die Themengruppe dieser Idee nicht."))
    if not can_moderate(actor, target.group):
        raise NotPermitted(_("Sie moderieren die Themengruppe der Zielidee nicht."))
    if not ideas.is_open(target):
        # Also what keeps merges free of cycles: merged ideas are never open.
        raise CurationRefused(
            _(
                "Mit dieser Idee kann nicht zusammengeführt werden: Sie ist ausgeblendet oder "
                "abgeschlossen (Status „%(status)s“).",
                status=_label(target.status),
            )
        )
    _check_step(duplicate, S.MERGED)
    if not can_transition(actor, duplicate, S.MERGED):
        raise NotPermitted(_("Sie dürfen diesen Statuswechsel nicht vornehmen."))


def merge(duplicate: Idea, target: Idea, *, actor: User, reason: str) -> None:
    """Merge a duplicate into an open idea: its votes, assessments and followers move there.

    People who voted (or assessed) both keep what they gave the target; nobody counts twice.
    """
    check_merge(duplicate, target, actor=actor)
    reason = _clean_note(reason, required=True)
    # Both rows locked, in id order so that two merges of the same pair cannot deadlock;
    # then checked again as they are now (the other half of the tandem may have acted).
    for idea_id in sorted((duplicate.id, target.id)):
        lock_idea(idea_id)
    db.session.refresh(duplicate)
    db.session.refresh(target)
    check_merge(duplicate, target, actor=actor)

    before = duplicate.status
    duplicate.merged_into_id = target.id
    # The transition tells the duplicate's author and followers (the note names the target).
    ideas.transition(duplicate, S.MERGED, actor=actor, note=merge_note(target, reason))
    _move_votes(duplicate, target)
    _move_assessments(duplicate, target)
    notifications.merged_into(duplicate, target, actor)
    _move_followers(duplicate, target)
    list_cache.mark_changed(db.session, duplicate.group_id)
    list_cache.mark_changed(db.session, target.group_id)
    db.session.expire(duplicate)
    db.session.expire(target)
    audit.record(
        AuditAction.MERGE,
        group_id=duplicate.group_id,
        actor=actor,
        idea=duplicate,
        reason=reason,
        detail=f"{before.value}>merged:{target.id}",
    )
    if target.group_id != duplicate.group_id:
        # The target's group keeps a trace too: its idea gained votes from elsewhere.
        audit.record(
            AuditAction.MERGE,
            group_id=target.group_id,
            actor=actor,
            idea=target,
            reason=reason,
            detail=f"merged_from:{duplicate.id}",
        )


def _sum(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _move_votes(duplicate: Idea, target: Idea) -> None:
    twin = aliased(Vote)
    # The person's vote on the target wins; their vote on the duplicate is dropped.
    on_both = exists().where(twin.idea_id == target.id, twin.user_id == Vote.user_id)
    moves = ~on_both
    up, down = Vote.value == 1, Vote.value == -1
    row = db.session.execute(
        select(
            _sum(up),
            _sum(down),
            _sum(and_(up, Vote.u30)),
            _sum(and_(down, Vote.u30)),
            _sum(and_(up, moves)),
            _sum(and_(down, moves)),
            _sum(and_(up, Vote.u30, moves)),
            _sum(and_(down, Vote.u30, moves)),
        ).where(Vote.idea_id == duplicate.id)
    ).one()
    gone, moved = [int(n) for n in row[:4]], [int(n) for n in row[4:]]
    if not any(gone):
        return
    db.session.execute(
        delete(Vote)
        .where(Vote.idea_id == duplicate.id, on_both)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(Vote)
        .where(Vote.idea_id == duplicate.id)
        .values(idea_id=target.id)
        .execution_options(synchronize_session=False)
    )
    _shift_votes(duplicate.id, -1, *gone)
    _shift_votes(target.id, 1, *moved)
    if ideas.is_listed(target) and (moved[0] or moved[1]):
        # The duplicate's group lost its votes with the transition (no longer listed).
        db.session.execute(
            update(ThematicGroup)
            .where(ThematicGroup.id == target.group_id)
            .values(votes_count=ThematicGroup.votes_count + moved[0] + moved[1])
        )


def _shift_votes(idea_id: int, sign: int, up: int, down: int, u30_up: int, u30_down: int) -> None:
    votes_up, votes_down, created_at = db.session.execute(
        update(Idea)
        .where(Idea.id == idea_id)
        .values(
            votes_up=Idea.votes_up + sign * up,
            votes_down=Idea.votes_down + sign * down,
            u30_votes_up=Idea.u30_votes_up + sign * u30_up,
            u30_votes_down=Idea.u30_votes_down + sign * u30_down,
        )
        .returning(Idea.votes_up, Idea.votes_down, Idea.created_at)
    ).one()
    # Still under the row lock: the scores follow the counts just written (as in votes.py).
    db.session.execute(
        update(Idea)
        .where(Idea.id == idea_id)
        .values(
            score_top=wilson_lower_bound(votes_up, votes_down),
            score_trending=trending_score(votes_up, votes_down, created_at),
        )
    )


def _move_assessments(duplicate: Idea, target: Idea) -> None:
    twin = aliased(Assessment)
    moves = ~exists().where(twin.idea_id == target.id, twin.user_id == Assessment.user_id)
    row = db.session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(Assessment.benefit), 0),
            func.coalesce(func.sum(Assessment.feasibility), 0),
            _sum(moves),
            func.coalesce(func.sum(case((moves, Assessment.benefit), else_=0)), 0),
            func.coalesce(func.sum(case((moves, Assessment.feasibility), else_=0)), 0),
        ).where(Assessment.idea_id == duplicate.id)
    ).one()
    count, benefit, feasibility, moved, moved_benefit, moved_feasibility = map(int, row)
    if not count:
        return
    db.session.execute(
        delete(Assessment)
        .where(Assessment.idea_id == duplicate.id, ~moves)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(Assessment)
        .where(Assessment.idea_id == duplicate.id)
        .values(idea_id=target.id)
        .execution_options(synchronize_session=False)
    )
    for idea_id, sign, values in (
        (duplicate.id, -1, (count, benefit, feasibility)),
        (target.id, 1, (moved, moved_benefit, moved_feasibility)),
    ):
        db.session.execute(
            update(Idea)
            .where(Idea.id == idea_id)
            .values(
                assessments_count=Idea.assessments_count + sign * values[0],
                benefit_sum=Idea.benefit_sum + sign * values[1],
                feasibility_sum=Idea.feasibility_sum + sign * values[2],
            )
        )


def _move_followers(duplicate: Idea, target: Idea) -> None:
    already = aliased(Follow)
    followers = select(Follow.user_id, literal(target.id), literal(utcnow())).where(
        Follow.idea_id == duplicate.id,
        ~exists().where(already.idea_id == target.id, already.user_id == Follow.user_id),
    )
    db.session.execute(insert(Follow).from_select(["user_id", "idea_id", "created_at"], followers))
    db.session.execute(
        delete(Follow)
        .where(Follow.idea_id == duplicate.id)
        .execution_options(synchronize_session=False)
    )


# Moving an idea to another group


def move(idea: Idea, to_group: ThematicGroup, *, actor: User, note: str = "") -> StatusEvent:
    """Move an idea into another group that the actor moderates too; counts move with it."""
    if not (can_moderate(actor, idea.group) and can_moderate(actor, to_group)):
        raise NotPermitted(
            _("Sie können nur zwischen Themengruppen verschieben, die Sie moderieren.")
        )
    note = _clean_note(note, required=False)
    lock_idea(idea.id)
    db.session.refresh(idea)
    if to_group.id == idea.group_id:
        raise CurationRefused(_("Die Idee ist bereits in dieser Themengruppe."))
    # Both groups' counters change: their rows are locked in id order, so that two moves
    # in opposite directions at the same moment wait for each other instead of deadlocking.
    for group_id in sorted((idea.group_id, to_group.id)):
        forwarding.lock_group(group_id)
    if to_group.is_archived:
        raise CurationRefused(
            _("In archivierte Themengruppen können keine Ideen verschoben werden.")
        )
    if idea.status in NOT_MOVABLE:
        raise CurationRefused(
            _("Ideen beim Lenkungsgremium bleiben in ihrer Themengruppe, bis sie zurückkommen.")
        )
    old_group = idea.group
    listed = ideas.is_listed(idea)
    if listed:
        ideas.adjust_group_counts(idea, -1)
    list_cache.mark_changed(db.session, old_group.id)
    idea.group_id = to_group.id
    idea.group = to_group
    idea.updated_at = utcnow()
    db.session.flush()
    if listed:
        ideas.adjust_group_counts(idea, 1)
    list_cache.mark_changed(db.session, to_group.id)
    event = StatusEvent(
        idea_id=idea.id,
        actor_id=actor.id,
        from_status=idea.status,
        to_status=idea.status,
        note=note,
        from_group_id=old_group.id,
    )
    db.session.add(event)
    db.session.flush()
    # One entry in each group's log: both tandems see what left and what arrived.
    for group_id in (old_group.id, to_group.id):
        audit.record(
            AuditAction.MOVE,
            group_id=group_id,
            actor=actor,
            idea=idea,
            reason=note,
            detail=f"group:{old_group.id}>{to_group.id}",
        )
    return event


def move_targets(idea: Idea, actor: User) -> list[ThematicGroup]:
    """The groups the actor may move the idea into: moderated, not archived, not its own."""
    query = (
        select(ThematicGroup)
        .where(ThematicGroup.archived_at.is_(None), ThematicGroup.id != idea.group_id)
        .order_by(ThematicGroup.position, ThematicGroup.id)
    )
    allowed = moderated_group_ids(actor)
    if allowed is not None:
        query = query.where(ThematicGroup.id.in_(allowed or [-1]))
    return list(db.session.scalars(query))


MERGE_CANDIDATES = 10
SEARCH_MAX = 100


def merge_candidates(idea: Idea, actor: User, text: str) -> list[Idea]:
    """Open ideas whose title contains `text`, in groups the actor moderates (merge targets)."""
    text = " ".join((text or "").split())[:SEARCH_MAX]
    if not text:
        return []
    pattern = "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    query = (
        select(Idea)
        .where(
            func.lower(Idea.title).like(pattern, escape="\\"),
            Idea.status.in_(ideas.OPEN_STATUSES),
            Idea.hidden_at.is_(None),
            Idea.id != idea.id,
        )
        .order_by(Idea.created_at.desc(), Idea.id.desc())
        .limit(MERGE_CANDIDATES)
    )
    allowed = moderated_group_ids(actor)
    if allowed is not None:
        query = query.where(Idea.group_id.in_(allowed or [-1]))
    return list(db.session.scalars(query))


# Internal notes of the leads


def add_note(idea: Idea, *, actor: User, body: str) -> InternalNote:
    """An internal note on an idea, for its group's leads, the board and admins."""
    if not can_write_internal_note(actor, idea):
        raise NotPermitted(_("Sie dürfen hier keine internen Notizen schreiben."))
    body = plain(body)
    if not body:
        raise DomainError(_("Bitte schreiben Sie eine Notiz."))
    if len(body) > NOTE_MAX:
        raise DomainError(_("Eine Notiz darf höchstens %(max)d Zeichen lang sein.", max=NOTE_MAX))
    lock_idea(idea.id)
    # The same note again within a minute is one note (a double click).
    recent = db.session.scalar(
        select(InternalNote)
        .where(
            InternalNote.idea_id == idea.id,
            InternalNote.author_id == actor.id,
            InternalNote.body == body,
            InternalNote.created_at >= utcnow() - ideas.DUPLICATE_WINDOW,
        )
        .limit(1)
    )
    if recent is not None:
        return recent
    note = InternalNote(
        idea_id=idea.id, author_id=actor.id, body=body, body_html=render_markdown(body)
    )
    db.session.add(note)
    db.session.flush()
    # The audit log records that a note was written, never its text.
    audit.record(
        AuditAction.NOTE, group_id=idea.group_id, actor=actor, idea=idea, detail=f"note:{note.id}"
    )
    return note


def notes_for(idea: Idea) -> list[InternalNote]:
    """The idea's internal notes, newest first (the latest NOTES_SHOWN)."""
    return list(
        db.session.scalars(
            select(InternalNote)
            .where(InternalNote.idea_id == idea.id)
            .order_by(InternalNote.created_at.desc(), InternalNote.id.desc())
            .limit(NOTES_SHOWN)
        )
    )


# What the public idea page shows of the curation


@dataclass(frozen=True)
class IdeaCuration:
    """The curation of one idea as its public page shows it to one viewer."""

    merged_into: Idea | None  # the target, for a merged idea
    merged_from: list[Idea]  # the public ideas merged into this one, oldest merge first
    forwarding: Forwarding | None  # the group's rationale, while the idea is with the board
    notes: list[InternalNote] | None  # None: the viewer may not see internal notes
    may_moderate: bool
    may_write_note: bool


MERGED_FROM_SHOWN = 50


def merged_from(idea: Idea) -> list[Idea]:
    """The ideas merged into this one that the public may see (at most MERGED_FROM_SHOWN)."""
    return list(
        db.session.scalars(
            select(Idea)
            .options(lazyload("*"))
            .where(
                Idea.merged_into_id == idea.id,
                Idea.status == IdeaStatus.MERGED,
                Idea.hidden_at.is_(None),
            )
            .order_by(Idea.updated_at, Idea.id)
            .limit(MERGED_FROM_SHOWN)
        )
    )


def for_idea_page(idea: Idea, viewer) -> IdeaCuration:
    """The curation the idea page shows (the official answer: answers.versions), few queries."""
    forwarded = None
    if idea.status in FORWARDING_SHOWN:
        forwarded = db.session.get(Forwarding, idea.id)
        if forwarded is not None and forwarded.returned_at is not None:
            forwarded = None
    return IdeaCuration(
        merged_into=db.session.get(Idea, idea.merged_into_id) if idea.merged_into_id else None,
        merged_from=merged_from(idea),
        forwarding=forwarded,
        notes=notes_for(idea) if can_see_internal_notes(viewer, idea) else None,
        may_moderate=can_moderate(viewer, idea.group),
        may_write_note=can_write_internal_note(viewer, idea),
    )
