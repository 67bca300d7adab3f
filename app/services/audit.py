"""The audit log of moderation: every action of a lead or admin, with who, when and why."""

from app.extensions import db
from app.models import AuditAction, AuditEntry, Comment, Idea, ModerationReason, User


def record(
    action: AuditAction,
    *,
    group_id: int,
    actor: User | None,
    idea: Idea | None = None,
    comment: Comment | None = None,
    subject: User | None = None,
    reason: str = "",
    template: ModerationReason | None = None,
    detail: str = "",
) -> AuditEntry:
    """Write one entry of the audit log (actor None: the platform acted by itself)."""
    entry = AuditEntry(
        group_id=group_id,
        actor_id=actor.id if actor is not None else None,
        action=action,
        idea_id=idea.id if idea is not None else None,
        comment_id=comment.id if comment is not None else None,
        subject_id=subject.id if subject is not None else None,
        reason_id=template.id if template is not None else None,
        reason=(reason or "").strip(),
        detail=detail[:200],
    )
    db.session.add(entry)
    db.session.flush()
    return entry
