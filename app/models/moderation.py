"""What the tandem leads of a group do: moderation, official answers, notes, forwarding."""

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import utcnow
from app.models.user import User


class ModerationReason(db.Model):
    """A reason template leads choose from when they hide content (editable by admins)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(80))
    # The text the author is told; the lead may add to it.
    text: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditAction(enum.StrEnum):
    HIDE_IDEA = "hide_idea"
    RESTORE_IDEA = "restore_idea"
    HIDE_COMMENT = "hide_comment"
    RESTORE_COMMENT = "restore_comment"
    AUTO_HIDE_IDEA = "auto_hide_idea"
    AUTO_HIDE_COMMENT = "auto_hide_comment"
    DISMISS_REPORT = "dismiss_report"
    BLOCK_USER = "block_user"
    UNBLOCK_USER = "unblock_user"
    STATUS = "status"  # a change of status (publish, reject, review, decline, …)
    MERGE = "merge"
    MOVE = "move"
    ANSWER = "answer"
    NOTE = "note"
    OFFLINE_IDEA = "offline_idea"
    FORWARD = "forward"
    REORDER = "reorder"
    RETURN = "return"


class AuditEntry(db.Model):
    """One moderation action: who did what to which item of which group, when and why."""

    __table_args__ = (Index("ix_audit_entry_group", "group_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("thematic_group.id", ondelete="CASCADE"))
    # NULL for what the platform does by itself (auto-hide after N reports).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    action: Mapped[AuditAction] = mapped_column(
        Enum(
            AuditAction,
            native_enum=False,
            length=24,
            values_callable=lambda members: [member.value for member in members],
        )
    )
    idea_id: Mapped[int | None] = mapped_column(
        ForeignKey("idea.id", ondelete="SET NULL"), index=True
    )
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id", ondelete="SET NULL"))
    # The person acted upon (a blocked user); never shown in the public summary.
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # The template chosen, if any: the public summary counts hidden items per template.
    reason_id: Mapped[int | None] = mapped_column(
        ForeignKey("moderation_reason.id", ondelete="SET NULL")
    )
    reason: Mapped[str] = mapped_column(Text, default="")
    # A short machine-readable detail, e.g. "published>in_review" or "group:3>5".
    detail: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id], lazy="joined")
    subject: Mapped[User | None] = relationship(foreign_keys=[subject_id], lazy="joined")


class GroupBlock(db.Model):
    """A user may not post ideas or comments in a group until `until` (or until lifted)."""

    __table_args__ = (Index("ix_group_block_user", "user_id", "group_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("thematic_group.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text)
    until: Mapped[datetime]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    lifted_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(foreign_keys=[user_id], lazy="joined")
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id], lazy="joined")


class OfficialAnswer(db.Model):
    """One version of the group's official answer (Stellungnahme); the newest is shown."""

    __table_args__ = (UniqueConstraint("idea_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("idea.id", ondelete="CASCADE"))
    version: Mapped[int]
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship(lazy="joined")


class InternalNote(db.Model):
    """A note on an idea for the group's leads, the board and admins only."""

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("idea.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship(lazy="joined")


class Forwarding(db.Model):
    """An idea forwarded by its group to the steering board: rationale and the group's rank.

    The row stays after the board decides (the board table shows rank and rationale);
    `returned_at` is set when the board sends the idea back to the group.
    """

    __table_args__ = (Index("ix_forwarding_group_rank", "group_id", "rank"),)

    idea_id: Mapped[int] = mapped_column(
        ForeignKey("idea.id", ondelete="CASCADE"), primary_key=True
    )
    group_id: Mapped[int] = mapped_column(ForeignKey("thematic_group.id", ondelete="CASCADE"))
    # 1 is the group's first priority, among the group's ideas currently forwarded.
    rank: Mapped[int]
    rationale: Mapped[str] = mapped_column(Text)
    rationale_html: Mapped[str] = mapped_column(Text)
    forwarded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    forwarded_at: Mapped[datetime] = mapped_column(default=utcnow)
    returned_at: Mapped[datetime | None]
    return_note: Mapped[str | None] = mapped_column(Text)

    forwarded_by: Mapped[User | None] = relationship(lazy="joined")
