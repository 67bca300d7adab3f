"""What the steering board records: meetings with their agenda, decisions, its priorities,
and the U30-Beirat's statements on forwarded ideas."""

import enum
from datetime import date, datetime

from sqlalchemy import Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import utcnow
from app.models.idea import Idea
from app.models.user import User


class Meeting(db.Model):
    """A meeting (Sitzung) of the steering board: one per day; agenda and decisions hang on it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    held_on: Mapped[date] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(String(140), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AgendaItem(db.Model):
    """An idea on a meeting's agenda (Sitzungsvorlage), at a position (1 is discussed first)."""

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True
    )
    idea_id: Mapped[int] = mapped_column(
        ForeignKey("idea.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int]

    idea: Mapped[Idea] = relationship(lazy="joined")


class DecisionOutcome(enum.StrEnum):
    PRIORITISED = "prioritised"  # recommended to the council, with the board's rank
    DECLINED = "declined"
    RETURNED = "returned"  # back to the group, in review
    IMPLEMENTED = "implemented"


class BoardDecision(db.Model):
    """One decision of the board on one idea, taken at a meeting, with its public note."""

    __table_args__ = (Index("ix_board_decision_meeting", "meeting_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id"))
    idea_id: Mapped[int] = mapped_column(ForeignKey("idea.id", ondelete="CASCADE"), index=True)
    outcome: Mapped[DecisionOutcome] = mapped_column(
        Enum(
            DecisionOutcome,
            native_enum=False,
            length=16,
            values_callable=lambda members: [member.value for member in members],
        )
    )
    # The board's priority rank, for a prioritised idea (1 is recommended first).
    board_rank: Mapped[int | None]
    note: Mapped[str] = mapped_column(Text, default="")
    note_html: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    meeting: Mapped[Meeting] = relationship(lazy="joined")
    idea: Mapped[Idea] = relationship(lazy="joined")
    decided_by: Mapped[User | None] = relationship(lazy="joined")


class BoardPriority(db.Model):
    """The board's priority list: one row per idea while it is prioritised, its rank unique."""

    idea_id: Mapped[int] = mapped_column(
        ForeignKey("idea.id", ondelete="CASCADE"), primary_key=True
    )
    rank: Mapped[int] = mapped_column(unique=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("board_decision.id"))


class U30Statement(db.Model):
    """The U30-Beirat's statement (U30-Stellungnahme) on a forwarded idea: one per idea."""

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("idea.id", ondelete="CASCADE"), unique=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship(lazy="joined")


class U30Endorsement(db.Model):
    """A U30 member endorses (trägt mit) the statement as it reads now."""

    statement_id: Mapped[int] = mapped_column(
        ForeignKey("u30_statement.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")
