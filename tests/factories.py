"""Factories that build real rows through the services and return the objects."""

import itertools

from app.extensions import db
from app.models import Role, TandemSide, ThematicGroup, User
from app.services import accounts, groups, roles

PASSWORD = "richtig-geheim-42"
_numbers = itertools.count(1)


def make_group(name: str | None = None, slug: str = "", description: str = "") -> ThematicGroup:
    number = next(_numbers)
    group = groups.create_group(name or f"Gruppe {number}", slug or f"gruppe-{number}", description)
    db.session.commit()
    return group


def make_user(
    email: str | None = None,
    *,
    display_name: str | None = None,
    password: str = PASSWORD,
    confirmed: bool = True,
    roles_: set[Role] | None = None,
    lead_of: ThematicGroup | None = None,
    side: TandemSide | None = None,
) -> User:
    number = next(_numbers)
    user = accounts.create_user(
        email or f"person{number}@example.org",
        display_name or f"Person {number}",
        password,
        confirmed=confirmed,
    )
    if roles_:
        roles.set_global_roles(user, set(roles_))
    if lead_of is not None:
        if side is None:
            groups.add_lead(lead_of, user)
        else:
            groups.set_tandem_lead(lead_of, side, user)
    db.session.commit()
    return user
