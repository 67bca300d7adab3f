"""Global roles (board, U30, admin); group leads are set through `services.groups`."""

from flask_babel import gettext as _

from app.extensions import db
from app.models import GLOBAL_ROLES, Role, User, UserRole
from app.services import DomainError


def set_global_roles(user: User, roles: set[Role], *, actor: User | None = None) -> None:
    """Give `user` exactly these global roles; an admin cannot take away their own admin role."""
    unknown = set(roles) - set(GLOBAL_ROLES)
    if unknown:
        raise DomainError(_("Unbekannte Rolle."))
    removes_own_admin = Role.ADMIN in user.global_roles and Role.ADMIN not in roles
    if actor is not None and actor.id == user.id and removes_own_admin:
        raise DomainError(_("Sie können sich die Administrationsrolle nicht selbst entziehen."))
    for assignment in list(user.roles):
        if assignment.role not in roles:
            user.roles.remove(assignment)
    for role in roles - user.global_roles:
        user.roles.append(UserRole(role=role))
    db.session.flush()


def grant_role(user: User, role: Role) -> None:
    """Add one global role to those the user has."""
    set_global_roles(user, user.global_roles | {role})
