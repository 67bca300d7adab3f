"""Typed SQLAlchemy models, one module per aggregate."""

from app.models.group import GroupLead, TandemSide, ThematicGroup
from app.models.mail import OutboxMail
from app.models.setting import SiteSetting
from app.models.user import GLOBAL_ROLES, Role, User, UserRole

__all__ = [
    "GLOBAL_ROLES",
    "GroupLead",
    "OutboxMail",
    "Role",
    "SiteSetting",
    "TandemSide",
    "ThematicGroup",
    "User",
    "UserRole",
]
