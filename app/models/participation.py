import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import utcnow


class Follow(db.Model):
    """Somebody follows an idea or a whole group (exactly one of the two)."""

    __table_args__ = (
        UniqueConstraint("user_id", "idea_id"),
        UniqueConstraint("user_id", "group_id"),
        CheckConstraint("(idea_id IS NULL) <> (group_id IS NULL)", name="idea_or_group"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    idea_id: Mapped[int | None] = mapped_column(
        ForeignKey("idea.id", ondelete="CASCADE"), index=True
    )
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("thematic_group.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class NotificationKind(enum.StrEnum):
    COMMENT = "comment"
    REPLY = "reply"
    STATUS = "status"
    NEW_IDEA = "new_idea"
    MODERATION = "moderation"  # hidden, restored, blocked: the person concerned is told why
    ANSWER = "answer"  # an official answer of the group on a followed idea


class Notification(db.Model):
    """A row in someone's notification centre; the e-mail (if any) is a second step."""

    __table_args__ = (Index("ix_notification_user_unread", "user_id", "read_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(
        Enum(
            NotificationKind,
            native_enum=False,
            length=16,
            values_callable=lambda members: [member.value for member in members],
        )
    )
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("idea.id", ondelete="CASCADE"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]


class Report(db.Model):
    """A report of an idea or a comment to the group's moderators."""

    __table_args__ = (
        UniqueConstraint("reporter_id", "idea_id", "comment_id"),
        CheckConstraint("idea_id IS NOT NULL", name="names_idea"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    idea_id: Mapped[int] = mapped_column(ForeignKey("idea.id", ondelete="CASCADE"), index=True)
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comment.id", ondelete="CASCADE"), index=True
    )
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
