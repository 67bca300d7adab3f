"""Every authorisation rule of the platform, defined once.

Views call `require(...)`, templates call the same predicates through the `can` helper;
nothing else decides who may do what.
"""

from flask import abort
from flask_login import AnonymousUserMixin

from app.models import Role, ThematicGroup, User

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


def can_manage_own_account(user: AnyUser) -> bool:
    """Every signed-in account, confirmed or not, manages its own settings and data."""
    return _user(user) is not None


def require(allowed: bool) -> None:
    """Abort with 403 unless `allowed`; unauthenticated users are sent to login earlier."""
    if not allowed:
        abort(403)


# The names templates may ask through `can(...)`.
TEMPLATE_PREDICATES = {
    "administer": can_administer,
    "moderate": can_moderate,
    "see_board": can_see_board,
}
