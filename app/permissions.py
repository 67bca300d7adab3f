"""Every authorisation rule of the platform, defined once.

Views call `require(...)`, templates call the same predicates through the `can` helper;
nothing else decides who may do what.
"""

from datetime import timedelta

from flask import abort
from flask_login import AnonymousUserMixin

from app.models import Comment, Idea, IdeaStatus, Role, ThematicGroup, U30Statement, User
from app.models.base import utcnow
from app.services.ideas import PUBLIC_STATUSES

AnyUser = User | AnonymousUserMixin


def _user(user: AnyUser) -> User | None:
    if isinstance(user, User) and user.is_active:
        return user
    return None


def is_citizen(user: AnyUser) -> bool:
    """A citizen is a signed-in account whose e-mail address is confirmed."""
    account = _user(user)
    return account is not None and account.is_confirmed


def is_admin(user: AnyUser) -> bool:
    """Admins hold the admin role (and must be confirmed like everyone)."""
    return is_citizen(user) and Role.ADMIN in user.global_roles


def is_board_member(user: AnyUser) -> bool:
    """Board members hold the board role."""
    return is_citizen(user) and Role.BOARD in user.global_roles


def is_u30_member(user: AnyUser) -> bool:
    """U30 members were appointed by an admin."""
    return is_citizen(user) and Role.U30 in user.global_roles


def leads_group(user: AnyUser, group: ThematicGroup) -> bool:
    """A user leads a group when they are one half of its tandem."""
    return is_citizen(user) and group.id in user.lead_group_ids


def can_administer(user: AnyUser) -> bool:
    """The admin area (groups, users, roles, site texts) is for admins only."""
    return is_admin(user)


def can_moderate(user: AnyUser, group: ThematicGroup) -> bool:
    """A group is moderated by its own tandem leads and by admins."""
    return leads_group(user, group) or is_admin(user)


def can_see_board(user: AnyUser) -> bool:
    """The steering board view is for board members and admins."""
    return is_board_member(user) or is_admin(user)


def can_decide(user: AnyUser) -> bool:
    """The board's decisions, meetings and agendas (and their CSV) are for board members and
    admins; the decisions, once taken, are public on /decisions."""
    return is_board_member(user) or is_admin(user)


def can_manage_own_account(user: AnyUser) -> bool:
    """Every signed-in account, confirmed or not, manages its own settings and data."""
    return _user(user) is not None


# Comments, reports and follows

COMMENT_EDIT_WINDOW = timedelta(minutes=15)


def can_view_idea(user: AnyUser, idea: Idea) -> bool:
    """Public ideas are for everyone; others (submitted, hidden, …) for author and moderators."""
    if idea.status in PUBLIC_STATUSES and not idea.is_hidden:
        return True
    account = _user(user)
    return account is not None and (idea.author_id == account.id or can_moderate(user, idea.group))


def can_comment(user: AnyUser, idea: Idea) -> bool:
    """Confirmed citizens comment on the ideas they can see (whether it is open is a rule)."""
    return is_citizen(user) and can_view_idea(user, idea)


def owns_comment(user: AnyUser, comment: Comment) -> bool:
    """A comment belongs to the active account that wrote it."""
    account = _user(user)
    return account is not None and comment.author_id == account.id


def can_edit_comment(user: AnyUser, comment: Comment) -> bool:
    """Authors edit their own comment within 15 minutes of writing it, unless it is deleted."""
    return (
        owns_comment(user, comment)
        and not comment.is_deleted
        and utcnow() - comment.created_at <= COMMENT_EDIT_WINDOW
    )


def can_delete_comment(user: AnyUser, comment: Comment, idea: Idea) -> bool:
    """Authors delete their own comments; the group's moderators delete any."""
    return not comment.is_deleted and (
        owns_comment(user, comment) or can_moderate(user, idea.group)
    )


def can_see_hidden_comments(user: AnyUser, idea: Idea) -> bool:
    """Hidden comments stay visible (marked) to the moderators of the idea's group."""
    return can_moderate(user, idea.group)


def can_report(user: AnyUser) -> bool:
    """Confirmed citizens report ideas and comments to the moderators."""
    return is_citizen(user)


def can_follow(user: AnyUser) -> bool:
    """Confirmed citizens follow ideas and groups."""
    return is_citizen(user)


# Ideas, votes and assessments


def can_post_idea(user: AnyUser, group: ThematicGroup | None = None) -> bool:
    """Confirmed citizens post ideas, into any group that is not archived."""
    return is_citizen(user) and (group is None or not group.is_archived)


def can_vote(user: AnyUser, idea: Idea) -> bool:
    """Confirmed citizens vote on the ideas they can see (whether it is open is a rule)."""
    return is_citizen(user) and can_view_idea(user, idea)


def can_assess(user: AnyUser, idea: Idea) -> bool:
    """Confirmed citizens assess the ideas they can see (whether it is open is a rule)."""
    return is_citizen(user) and can_view_idea(user, idea)


def can_edit_idea(user: AnyUser, idea: Idea) -> bool:
    """Only its author edits an idea (until someone reacts: `ideas.can_still_edit`)."""
    return is_citizen(user) and idea.author_id == user.id


def can_withdraw_idea(user: AnyUser, idea: Idea) -> bool:
    """Only its author withdraws an idea (while it is published: `ideas.withdraw`)."""
    return is_citizen(user) and idea.author_id == user.id


# Group leads and the steering board

S = IdeaStatus

# Which of the state machine's transitions (services.ideas.TRANSITIONS) each side makes:
# the tandem curates its group up to forwarding (and may take a forwarded idea back);
# the board decides on what was forwarded. Admins may make any allowed transition.
LEAD_TRANSITIONS = frozenset(
    {
        (S.SUBMITTED, S.PUBLISHED),
        (S.SUBMITTED, S.REJECTED),
        (S.PUBLISHED, S.IN_REVIEW),
        (S.PUBLISHED, S.DECLINED),
        (S.PUBLISHED, S.MERGED),
        (S.IN_REVIEW, S.FORWARDED),
        (S.IN_REVIEW, S.DECLINED),
        (S.IN_REVIEW, S.MERGED),
        (S.FORWARDED, S.IN_REVIEW),
    }
)
BOARD_TRANSITIONS = frozenset(
    {
        (S.FORWARDED, S.PRIORITISED),
        (S.FORWARDED, S.DECLINED),
        (S.FORWARDED, S.IN_REVIEW),
        (S.PRIORITISED, S.IMPLEMENTED),
        (S.PRIORITISED, S.IN_REVIEW),
    }
)


def can_transition(user: AnyUser, idea: Idea, to: IdeaStatus) -> bool:
    """Leads move their group's ideas up to the board; the board decides; admins do both."""
    step = (idea.status, to)
    if is_admin(user):
        return True
    if step in LEAD_TRANSITIONS and leads_group(user, idea.group):
        return True
    return step in BOARD_TRANSITIONS and is_board_member(user)


def can_see_internal_notes(user: AnyUser, idea: Idea) -> bool:
    """Internal notes are for the idea's group leads, the board and admins."""
    return can_moderate(user, idea.group) or can_see_board(user)


def can_write_internal_note(user: AnyUser, idea: Idea) -> bool:
    """Whoever reads the internal notes of an idea may add to them."""
    return can_see_internal_notes(user, idea)


def can_view_audit_log(user: AnyUser) -> bool:
    """The audit log: leads see their own groups' entries, admins all of them."""
    return is_admin(user) or (is_citizen(user) and bool(user.lead_group_ids))


def can_see_forwarded(user: AnyUser, group: ThematicGroup) -> bool:
    """A group's priority ranking of forwarded ideas: its leads, the board, admins."""
    return can_moderate(user, group) or can_see_board(user)


# The U30-Beirat's statement (services/u30.py decides when an idea takes one)


def can_write_u30_statement(user: AnyUser, idea: Idea) -> bool:
    """U30 members write the Beirat's statement on ideas they can see; admins do not write
    for the Beirat."""
    return is_u30_member(user) and can_view_idea(user, idea)


def can_edit_u30_statement(user: AnyUser, statement: U30Statement) -> bool:
    """Its author edits the statement; once the author is no longer a U30 member (role
    revoked, account deleted), any member may take it over."""
    if not is_u30_member(user):
        return False
    return statement.author_id == user.id or not is_u30_member(statement.author)


def can_endorse_u30_statement(user: AnyUser, idea: Idea) -> bool:
    """U30 members endorse (or stop endorsing) the statement on ideas they can see."""
    return is_u30_member(user) and can_view_idea(user, idea)


def moderated_group_ids(user: AnyUser) -> set[int] | None:
    """The groups a user moderates: None means all of them (admins), empty means none."""
    if is_admin(user):
        return None
    if not is_citizen(user):
        return set()
    return set(user.lead_group_ids)


def require(allowed: bool) -> None:
    """Abort with 403 unless `allowed`; unauthenticated users are sent to login earlier."""
    if not allowed:
        abort(403)


# The names templates may ask through `can(...)`.
TEMPLATE_PREDICATES = {
    "administer": can_administer,
    "moderate": can_moderate,
    "transition": can_transition,
    "see_internal_notes": can_see_internal_notes,
    "view_audit_log": can_view_audit_log,
    "see_forwarded": can_see_forwarded,
    "see_board": can_see_board,
    "decide": can_decide,
    "post_idea": can_post_idea,
    "follow": can_follow,
}
