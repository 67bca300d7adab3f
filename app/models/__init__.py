"""Typed SQLAlchemy models, one module per aggregate."""

from app.models.board import (
    AgendaItem,
    BoardDecision,
    BoardPriority,
    DecisionOutcome,
    Meeting,
    U30Endorsement,
    U30Statement,
)
from app.models.comment import Comment
from app.models.group import GroupLead, TandemSide, ThematicGroup
from app.models.idea import Assessment, Idea, IdeaOrigin, IdeaStatus, StatusEvent, Vote
from app.models.mail import OutboxMail
from app.models.moderation import (
    AuditAction,
    AuditEntry,
    Forwarding,
    GroupBlock,
    InternalNote,
    ModerationReason,
    OfficialAnswer,
)
from app.models.participation import Follow, Notification, NotificationKind, Report
from app.models.setting import SiteSetting
from app.models.user import GLOBAL_ROLES, EmailMode, Role, User, UserRole

__all__ = [
    "GLOBAL_ROLES",
    "AgendaItem",
    "Assessment",
    "AuditAction",
    "AuditEntry",
    "BoardDecision",
    "BoardPriority",
    "Comment",
    "DecisionOutcome",
    "EmailMode",
    "Follow",
    "Forwarding",
    "GroupBlock",
    "GroupLead",
    "Idea",
    "IdeaOrigin",
    "IdeaStatus",
    "InternalNote",
    "Meeting",
    "ModerationReason",
    "Notification",
    "NotificationKind",
    "OfficialAnswer",
    "OutboxMail",
    "Report",
    "Role",
    "SiteSetting",
    "StatusEvent",
    "TandemSide",
    "ThematicGroup",
    "U30Endorsement",
    "U30Statement",
    "User",
    "UserRole",
    "Vote",
]
