"""Following ideas and groups. Following twice or unfollowing twice changes nothing."""

from sqlalchemy.dialects import postgresql, sqlite

from app.extensions import db
from app.models import Follow, Idea, ThematicGroup, User


def _insert_follow(user: User, **target: int) -> None:
    # INSERT … ON CONFLICT DO NOTHING: a double click (or two processes) cannot fail on
    # the unique constraints, and no savepoint is needed.
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    db.session.execute(
        dialect.insert(Follow).values(user_id=user.id, **target).on_conflict_do_nothing()
    )


def follow_idea(user: User, idea: Idea) -> None:
    """The user hears of new comments and status changes of the idea."""
    _insert_follow(user, idea_id=idea.id)


def unfollow_idea(user: User, idea: Idea) -> None:
    """The user no longer hears of the idea (an author is still told of status changes)."""
    db.session.execute(
        db.delete(Follow).where(Follow.user_id == user.id, Follow.idea_id == idea.id)
    )


def follow_group(user: User, group: ThematicGroup) -> None:
    """The user hears of every new idea in the group."""
    _insert_follow(user, group_id=group.id)


def unfollow_group(user: User, group: ThematicGroup) -> None:
    """The user no longer hears of new ideas in the group."""
    db.session.execute(
        db.delete(Follow).where(Follow.user_id == user.id, Follow.group_id == group.id)
    )


def follows_idea(user: User, idea: Idea) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        db.session.scalar(
            db.select(Follow.id).where(Follow.user_id == user.id, Follow.idea_id == idea.id)
        )
        is not None
    )


def follows_group(user: User, group: ThematicGroup) -> bool:
    """Whether the user (signed out: never) follows the group; for its page's button."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        db.session.scalar(
            db.select(Follow.id).where(Follow.user_id == user.id, Follow.group_id == group.id)
        )
        is not None
    )
