"""Factories that build real rows through the services and return the objects."""

import itertools

from app.extensions import db
from app.models import Idea, IdeaStatus, Role, TandemSide, ThematicGroup, User
from app.services import accounts, groups, ideas, roles

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


def make_idea(
    group: ThematicGroup | None = None,
    author: User | None = None,
    *,
    title: str | None = None,
    body: str = "Eine **gute** Idee für die Stadt.",
    status: IdeaStatus | None = None,
) -> Idea:
    """An idea created through the service; `status` then moves it there directly."""
    group = group or make_group()
    author = author or make_user()
    idea = ideas.create_idea(group, author, title or f"Idee {next(_numbers)}", body)
    if status is not None and status != idea.status:
        ideas.record_event(idea, None, idea.status, status, "Testaufbau")
        was_listed = ideas.is_listed(idea)
        idea.status = status
        if was_listed != ideas.is_listed(idea):
            ideas.adjust_group_counts(idea, 1 if ideas.is_listed(idea) else -1)
    db.session.commit()
    return idea


def make_comment(
    idea: Idea | None = None,
    author: User | None = None,
    *,
    body: str | None = None,
    parent=None,
):
    """A comment (or, with `parent`, a reply) written through the service."""
    from app.services import comments

    idea = idea or make_idea()
    author = author or make_user()
    comment = comments.create_comment(
        idea,
        author,
        body or f"Kommentar {next(_numbers)}",
        parent.id if parent is not None else None,
    )
    db.session.commit()
    return comment
