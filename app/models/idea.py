import enum
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Enum,
    Float,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import utcnow
from app.models.group import ThematicGroup
from app.models.user import User


def _enum(enum_class):
    return Enum(
        enum_class,
        native_enum=False,
        length=16,
        values_callable=lambda members: [member.value for member in members],
    )


class IdeaStatus(enum.StrEnum):
    SUBMITTED = "submitted"
    PUBLISHED = "published"
    IN_REVIEW = "in_review"
    FORWARDED = "forwarded"
    PRIORITISED = "prioritised"
    IMPLEMENTED = "implemented"
    DECLINED = "declined"
    REJECTED = "rejected"
    MERGED = "merged"
    WITHDRAWN = "withdrawn"


class IdeaOrigin(enum.StrEnum):
    ONLINE = "online"
    FORUM = "forum"  # Digitales Forum
    WORKSHOP = "workshop"
    COMPETITION = "competition"


class Idea(db.Model):
    __table_args__ = (
        # The group page's sort orders read these indexes from the top: LIMIT, no sort.
        Index("ix_idea_group_top", "group_id", "score_top", "id"),
        Index("ix_idea_group_trending", "group_id", "score_trending", "id"),
        Index("ix_idea_group_new", "group_id", "created_at", "id"),
        Index("ix_idea_group_discussed", "group_id", "comments_count", "id"),
        Index("ix_idea_top", "score_top", "id"),
        Index("ix_idea_new", "created_at", "id"),
        CheckConstraint("votes_up >= 0 AND votes_down >= 0", name="votes_not_negative"),
        CheckConstraint("comments_count >= 0", name="comments_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("thematic_group.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    title: Mapped[str] = mapped_column(String(140))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[IdeaStatus] = mapped_column(_enum(IdeaStatus), index=True)
    origin: Mapped[IdeaOrigin] = mapped_column(_enum(IdeaOrigin), default=IdeaOrigin.ONLINE)
    # Ideas from offline events: the event, and the participant if they want to be named.
    origin_event: Mapped[str | None] = mapped_column(String(140))
    participant_name: Mapped[str | None] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Moderation hides an idea without changing its status.
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    # The target's page lists the ideas merged into it: indexed.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("idea.id"), index=True)

    # Stored counters, changed with SQL expressions in the transaction of the row change.
    votes_up: Mapped[int] = mapped_column(default=0)
    votes_down: Mapped[int] = mapped_column(default=0)
    u30_votes_up: Mapped[int] = mapped_column(default=0)
    u30_votes_down: Mapped[int] = mapped_column(default=0)
    comments_count: Mapped[int] = mapped_column(default=0)
    assessments_count: Mapped[int] = mapped_column(default=0)
    benefit_sum: Mapped[int] = mapped_column(default=0)
    feasibility_sum: Mapped[int] = mapped_column(default=0)
    # Derived from the counters whenever they change, so that sorting is an index scan.
    score_top: Mapped[float] = mapped_column(Float, default=0.0)
    score_trending: Mapped[float] = mapped_column(Float, default=0.0)

    group: Mapped[ThematicGroup] = relationship(lazy="joined")
    author: Mapped[User | None] = relationship(lazy="joined")

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def benefit_average(self) -> float | None:
        return self.benefit_sum / self.assessments_count if self.assessments_count else None

    @property
    def feasibility_average(self) -> float | None:
        return self.feasibility_sum / self.assessments_count if self.assessments_count else None

    def __repr__(self) -> str:
        return f"<Idea {self.id}>"


class StatusEvent(db.Model):
    """One entry of an idea's public timeline: who moved it from which status to which."""

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("idea.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    from_status: Mapped[IdeaStatus | None] = mapped_column(_enum(IdeaStatus))
    to_status: Mapped[IdeaStatus] = mapped_column(_enum(IdeaStatus))
    note: Mapped[str] = mapped_column(Text, default="")
    # Set when the entry records a move from another group (the status stays the same).
    from_group_id: Mapped[int | None] = mapped_column(ForeignKey("thematic_group.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actor: Mapped[User | None] = relationship(lazy="joined")
    from_group: Mapped[ThematicGroup | None] = relationship(lazy="joined")


class Vote(db.Model):
    """One person's vote on one idea: +1 or -1 (no row: no vote)."""

    __table_args__ = (CheckConstraint("value IN (-1, 1)", name="value_up_or_down"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    idea_id: Mapped[int] = mapped_column(
        ForeignKey("idea.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    value: Mapped[int] = mapped_column(SmallInteger)
    # Whether the vote was cast as a U30 member (kept, so that counters stay exact
    # when the role changes later).
    u30: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Assessment(db.Model):
    """An Einschätzung: benefit (Nutzen) and feasibility (Umsetzbarkeit), each 1 to 5."""

    __table_args__ = (
        CheckConstraint("benefit BETWEEN 1 AND 5", name="benefit_range"),
        CheckConstraint("feasibility BETWEEN 1 AND 5", name="feasibility_range"),
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    idea_id: Mapped[int] = mapped_column(
        ForeignKey("idea.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    benefit: Mapped[int] = mapped_column(SmallInteger)
    feasibility: Mapped[int] = mapped_column(SmallInteger)
    u30: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
