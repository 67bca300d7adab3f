"""Whole public pages for visitors who are not signed in, cached until what they show changes.

A group page, the home page or an idea page looks the same for every visitor who is not
signed in, but for the CSRF token in the header's language form (one per session). Such a
visitor gets the page from the cache with their own token put in. The key is the language
and the path with its query; the entry holds the generation of its scope (a group,
list_cache.ALL for the lists across groups, list_cache.idea_scope for one idea's page) from
before the page was rendered, and is served only while that generation is current: a new
idea, a vote, a comment, a status change, an answer or a hidden idea renews it on commit
(see list_cache), and the next request renders afresh.

Rendered as usual and not stored: pages for signed-in people (their name, forms and
rights are on them), for a visitor with a message waiting (shown once), for a query with
other parameters than the page's own, and anything but a plain 200 page. Headers are set
as for any page (security headers, no Cache-Control: browsers and proxies keep nothing).
"""

import hashlib
import hmac
import re
from collections.abc import Callable
from functools import lru_cache, wraps
from typing import NamedTuple

from cachelib import SimpleCache
from flask import current_app, g, message_flashed, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from app.extensions import cache
from app.services import list_cache

# A cached page's query values: a sort or filter name (empty: "all", as the filter form
# sends it), a page number without leading zeros.
_VALUE = re.compile(r"[a-z_]{0,32}|[1-9][0-9]{0,3}")
_FLASHED = "page_cache_flashed"
# Pages each process keeps in memory (about 25 kB each).
RECENT_PAGES = 200
# What a page stored in the cache may carry besides its body.
_PLAIN_HEADERS = {"content-type", "content-length"}


class Entry(NamedTuple):
    scope: object  # a group id, list_cache.ALL or list_cache.idea_scope(id)
    generation: str  # the scope's generation before the page was rendered
    body: bytes  # the page, with a marker where the visitor's CSRF token goes


def for_visitors(scope: Callable[..., object | None], params: tuple[str, ...] = ()):
    """Serve a GET view's page to visitors from the cache while its scope is unchanged.

    `scope(**view_args)` is the group id whose changes the page shows (list_cache.ALL for
    lists across groups), or None when the view answers with an error anyway; `params` are
    the query parameters the page understands.
    """

    def decorate(view):
        @wraps(view)
        def cached_view(**view_args):
            if not _cacheable(params):
                return view(**view_args)
            key = f"page:{get_locale()}:{request.full_path}"
            body = _current_page(key)
            if body is not None:
                return _respond(body)
            page_scope = scope(**view_args)
            if page_scope is None:
                return view(**view_args)
            # Read before the page reads anything: a change committed meanwhile renews it.
            generation = list_cache.generation(page_scope)
            response = current_app.make_response(view(**view_args))
            body = _storable(response)
            if body is not None and generation is not None:
                entry = Entry(page_scope, generation, body)
                _recent().set(key, entry)
                cache.set(key, entry, timeout=current_app.config["LIST_CACHE_SECONDS"])
            return response

        return cached_view

    return decorate


def _recent() -> SimpleCache:
    # The pages this process served last, in front of the shared cache (Redis in
    # production): a page from here costs one look at its scope's generation.
    recent = current_app.extensions.get("ideenwerk_pages")
    if recent is None:
        timeout = current_app.config["LIST_CACHE_SECONDS"]
        recent = SimpleCache(threshold=RECENT_PAGES, default_timeout=timeout)
        current_app.extensions["ideenwerk_pages"] = recent
    return recent


def _current_page(key: str) -> bytes | None:
    """The stored page for `key` if its scope has not changed since, else None."""
    recent = _recent()
    entry = recent.get(key)
    current = None
    if entry is not None:
        current = list_cache.generation(entry.scope)
        if current is not None and entry.generation == current:
            return entry.body
    # Not here, or outdated here: another process may have rendered it anew.
    entry = cache.get(key)
    if entry is None:
        return None
    if current is None:
        current = list_cache.generation(entry.scope)
    if current is None or entry.generation != current:
        return None
    recent.set(key, entry)
    return entry.body


def _cacheable(params: tuple[str, ...]) -> bool:
    if request.method != "GET" or current_user.is_authenticated or session.get("_flashes"):
        return False
    return all(
        name in params and len(values) == 1 and _VALUE.fullmatch(values[0])
        for name, values in request.args.lists()
    )


def _storable(response) -> bytes | None:
    """The page's body with the visitor's CSRF token taken out, or None: not for others."""
    if (
        response.status_code != 200
        or response.mimetype != "text/html"
        or response.direct_passthrough
        or g.get(_FLASHED)
        or session.get("_flashes")
        or {name.lower() for name, _value in response.headers} - _PLAIN_HEADERS
    ):
        return None
    body = response.get_data()
    token = g.get(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"))
    if token:
        body = body.replace(token.encode(), _marker())
    return body


def _respond(body: bytes):
    marker = _marker()
    if marker in body:
        body = body.replace(marker, generate_csrf().encode())
    return current_app.response_class(body, mimetype="text/html")


def _marker() -> bytes:
    return _marker_for(current_app.secret_key)


@lru_cache(maxsize=4)
def _marker_for(secret: str | bytes) -> bytes:
    # Stands in for the token in a stored page. Derived from the secret key, so that no
    # text a user writes can contain it and have a visitor's token put in its place.
    key = secret if isinstance(secret, bytes) else secret.encode()
    digest = hmac.new(key, b"ideenwerk page cache: csrf token", hashlib.sha256).hexdigest()
    return f"csrf-{digest[:40]}".encode()


@message_flashed.connect
def _note_flash(_sender, **_extra) -> None:
    # A page that shows a message it flashed itself is that visitor's alone.
    setattr(g, _FLASHED, True)
