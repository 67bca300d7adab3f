import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import utcnow


class Role(enum.StrEnum):
    CITIZEN = "citizen"  # every confirmed account; not stored as a row
    LEAD = "lead"  # per group, stored as GroupLead
    BOARD = "board"
    U30 = "u30"
    ADMIN = "admin"


GLOBAL_ROLES = (Role.BOARD, Role.U30, Role.ADMIN)


class EmailMode(enum.StrEnum):
    INSTANT = "instant"
    DAILY = "daily"  # one digest a day
    NEVER = "never"


class User(UserMixin, db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased; NULL once the account is deleted.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    pending_email: Mapped[str | None] = mapped_column(String(254))
    display_name: Mapped[str] = mapped_column(String(60))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    # Part of the session id: raising it ends every session of this account.
    session_version: Mapped[int] = mapped_column(default=1)
    # What reaches this person by e-mail, per kind of notification.
    email_on_comments: Mapped[EmailMode] = mapped_column(
        Enum(
            EmailMode, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]
        ),
        default=EmailMode.INSTANT,
        server_default=EmailMode.INSTANT.value,
    )
    email_on_status: Mapped[EmailMode] = mapped_column(
        Enum(
            EmailMode, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]
        ),
        default=EmailMode.INSTANT,
        server_default=EmailMode.INSTANT.value,
    )
    email_on_new_ideas: Mapped[EmailMode] = mapped_column(
        Enum(
            EmailMode, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]
        ),
        default=EmailMode.DAILY,
        server_default=EmailMode.DAILY.value,
    )

    roles: Mapped[list["UserRole"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    lead_of: Mapped[list["GroupLead"]] = relationship(  # noqa: F821
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.deleted_at is None

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def global_roles(self) -> set[Role]:
        return {assignment.role for assignment in self.roles}

    @property
    def lead_group_ids(self) -> set[int]:
        return {lead.group_id for lead in self.lead_of}

    def __repr__(self) -> str:
        return f"<User {self.id}>"


class UserRole(db.Model):
    """A global role (board, U30, admin); group leads are `GroupLead` rows."""

    __table_args__ = (CheckConstraint("role IN ('board', 'u30', 'admin')", name="global_role"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]),
        primary_key=True,
    )
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="roles")
