import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import utcnow
from app.models.user import User


class TandemSide(enum.StrEnum):
    ADMINISTRATION = "administration"  # Stadtverwaltung
    CIVIC = "civic"  # Stadtgesellschaft


class ThematicGroup(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    archived_at: Mapped[datetime | None]
    # New ideas from citizens without a published idea wait for the tandem's approval.
    premoderation: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Public ideas and the votes on them; changed with SQL as ideas and votes change.
    ideas_count: Mapped[int] = mapped_column(default=0, server_default="0")
    votes_count: Mapped[int] = mapped_column(default=0, server_default="0")

    leads: Mapped[list["GroupLead"]] = relationship(
        back_populates="group",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="GroupLead.side",
    )

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def lead_on(self, side: TandemSide) -> User | None:
        return next((lead.user for lead in self.leads if lead.side == side), None)

    def __repr__(self) -> str:
        return f"<ThematicGroup {self.slug}>"


class GroupLead(db.Model):
    """One half of a group's tandem: a lead from the administration or from civic society."""

    __table_args__ = (UniqueConstraint("group_id", "user_id"),)

    group_id: Mapped[int] = mapped_column(
        ForeignKey("thematic_group.id", ondelete="CASCADE"), primary_key=True
    )
    side: Mapped[TandemSide] = mapped_column(
        Enum(
            TandemSide, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]
        ),
        primary_key=True,
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)

    group: Mapped[ThematicGroup] = relationship(back_populates="leads")
    user: Mapped[User] = relationship(back_populates="lead_of", lazy="joined")
