"""Rendered idea lists and public pages, cached until something in their group changes.

Rendering twenty idea cards costs most of a group page; the lists are the same for every
visitor. Each group has a generation token in the cache; a list's key contains it, and a
commit that changed a group's ideas (new idea, status, vote, comment) gives the group a
new token, so the next request renders afresh. The token changes after the commit, never
before it, so no request can cache the state from before the change under the new token.
Whole pages for visitors (services/page_cache.py) hang on the same tokens.

An idea's own page has a scope of its own (`idea_scope`), so that a vote on one idea does
not renew the pages of all others in its group.

Services mark what they change with `mark_changed` / `mark_idea_changed` (counters change
with SQL, which the session cannot see). Changes made through the ORM to what these pages
show — ideas and every row that names an idea (comments, timeline entries, answers,
decisions, …), groups, their tandem leads, people's names — are marked here as well,
after each flush, so that a forgotten call cannot leave a page stale.
"""

import uuid
from collections.abc import Callable

from flask import current_app, has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from app.extensions import cache
from app.models import GroupLead, Idea, ThematicGroup, User

ALL = "all"  # the lists across groups (home page)
# Every scope at once: a person's name is shown on cards and tandems in any group.
SITE = "site"
_PENDING = "ideenwerk_changed_groups"


def mark_changed(session: Session, group_id) -> None:
    """Note that the lists of `group_id` (and across groups) change with this transaction."""
    session.info.setdefault(_PENDING, set()).add(group_id)


def idea_scope(idea_id: int) -> str:
    """The scope of one idea's own page (services/page_cache.py), apart from its group's."""
    return f"idea:{idea_id}"


def mark_idea_changed(session: Session, idea: Idea) -> None:
    """Note that an idea's page changes with this transaction, and its group's lists with it."""
    mark_changed(session, idea.group_id)
    mark_changed(session, idea_scope(idea.id))


def generation(scope) -> str | None:
    """The current token of `scope` (a group id or ALL); every change renews it.

    None when the cache keeps nothing (CACHE_TYPE=NullCache): nothing is current then.
    """
    keys = (f"listgen:{scope}", f"listgen:{SITE}")
    tokens = cache.get_many(*keys)
    if not all(tokens):
        # A missing token (a new or emptied cache) starts as a new random one, never as a
        # value that a page kept elsewhere (services/page_cache.py) might still carry.
        for key, token in zip(keys, tokens, strict=True):
            if not token:
                cache.add(key, uuid.uuid4().hex, timeout=0)
        tokens = cache.get_many(*keys)
        if not all(tokens):
            return None
    return ".".join(tokens)


def cached(scope, parts: tuple, render: Callable[[], str]) -> str:
    """The HTML `render` returns, from the cache while `scope` (a group id or ALL) is unchanged."""
    key = "list:" + ":".join(str(part) for part in (scope, generation(scope), *parts))
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, timeout=current_app.config["LIST_CACHE_SECONDS"])
    return html


def _value(obj, name: str):
    # What the flush wrote; an expired attribute is read again, except from a deleted row.
    state = inspect(obj)
    if name in state.dict:
        return state.dict[name]
    return None if state.deleted else getattr(obj, name)


@event.listens_for(Session, "after_flush")
def _mark_orm_changes(session: Session, _flush_context) -> None:
    # After a flush new rows have their ids, while new/dirty/deleted and the attributes'
    # history still describe what the flush wrote.
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Idea):
            mark_changed(session, idea_scope(_value(obj, "id")))
            # A merged idea is listed on the page of the idea it was merged into.
            target_id = _value(obj, "merged_into_id")
            if target_id is not None:
                mark_changed(session, idea_scope(target_id))
        elif hasattr(type(obj), "idea_id"):
            # Whatever hangs on an idea (comments, timeline, answers, decisions, U30
            # statements, …) is on the idea's page.
            idea_id = _value(obj, "idea_id")
            if idea_id is not None:
                mark_changed(session, idea_scope(idea_id))
        if isinstance(obj, Idea | GroupLead):
            mark_changed(session, _value(obj, "group_id"))
            if isinstance(obj, Idea) and obj not in session.new:
                # A move between groups changes the group it left as well; when that one
                # was not loaded before the change, every scope is renewed.
                moved = inspect(obj).attrs.group_id.history
                for old in moved.deleted or ((SITE,) if moved.added else ()):
                    mark_changed(session, old)
        elif isinstance(obj, ThematicGroup):
            mark_changed(session, _value(obj, "id"))
            # Its name is on the page of each of its ideas too (a rare change: all scopes).
            if obj not in session.new and inspect(obj).attrs.name.history.has_changes():
                mark_changed(session, SITE)
        elif isinstance(obj, User) and obj not in session.new:
            attrs = inspect(obj).attrs
            if attrs.display_name.history.has_changes() or attrs.deleted_at.history.has_changes():
                mark_changed(session, SITE)


@event.listens_for(Session, "after_commit")
def _renew_generations(session: Session) -> None:
    changed = session.info.pop(_PENDING, None)
    if not changed or not has_app_context():
        return
    tokens = {f"listgen:{scope}": uuid.uuid4().hex for scope in (*(changed - {None}), ALL)}
    cache.set_many(tokens, timeout=0)


@event.listens_for(Session, "after_rollback")
def _forget_changes(session: Session) -> None:
    session.info.pop(_PENDING, None)
