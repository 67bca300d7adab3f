"""Rendered idea lists, cached until something in their group changes.

Rendering twenty idea cards costs most of a group page; the lists are the same for every
visitor. Each group has a generation token in the cache; a list's key contains it, and a
commit that changed a group's ideas (new idea, status, vote, comment) gives the group a
new token, so the next request renders afresh. The token changes after the commit, never
before it, so no request can cache the state from before the change under the new token.
"""

import uuid
from collections.abc import Callable

from flask import current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import cache

ALL = "all"  # the lists across groups (home page)
_PENDING = "ideenwerk_changed_groups"


def mark_changed(session: Session, group_id: int) -> None:
    """Note that the lists of `group_id` (and across groups) change with this transaction."""
    session.info.setdefault(_PENDING, set()).add(group_id)


def _generation(scope) -> str:
    return cache.get(f"listgen:{scope}") or "0"


def cached(scope, parts: tuple, render: Callable[[], str]) -> str:
    """The HTML `render` returns, from the cache while `scope` (a group id or ALL) is unchanged."""
    key = "list:" + ":".join(str(part) for part in (scope, _generation(scope), *parts))
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, timeout=current_app.config["LIST_CACHE_SECONDS"])
    return html


@event.listens_for(Session, "after_commit")
def _renew_generations(session: Session) -> None:
    changed = session.info.pop(_PENDING, None)
    if not changed or not has_app_context():
        return
    for scope in (*changed, ALL):
        cache.set(f"listgen:{scope}", uuid.uuid4().hex, timeout=0)


@event.listens_for(Session, "after_rollback")
def _forget_changes(session: Session) -> None:
    session.info.pop(_PENDING, None)
