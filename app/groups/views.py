from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.ideas.forms import IdeaListForm
from app.models import IdeaOrigin, IdeaStatus, TandemSide
from app.permissions import can_post_idea
from app.services import follows, groups, list_cache, listing, page_cache

bp = Blueprint("groups", __name__)

SORT_LABELS = {
    "top": _l("Beste"),
    "trending": _l("Im Trend"),
    "new": _l("Neueste"),
    "discussed": _l("Meistdiskutiert"),
}


def _page_scope(slug: str) -> int | None:
    group = groups.find_by_slug(slug)
    return group.id if group is not None else None


@bp.get("/<slug>")
@page_cache.for_visitors(_page_scope, params=("sort", "status", "origin", "page"))
def detail(slug: str):
    group = groups.find_by_slug(slug)
    if group is None:
        abort(404)
    # Unknown sort, status or origin values and pages outside 1..MAX_PAGE: 400.
    filters = IdeaListForm(formdata=request.args)
    if not filters.validate():
        abort(400)
    args = {"status": filters.status.data or None, "origin": filters.origin.data or None}
    here = {**args, "sort": filters.sort.data}
    number = filters.page.data

    def link(**changes) -> str:
        return url_for("groups.detail", slug=group.slug, **{**here, **changes})

    def render_ideas() -> str:
        page = listing.group_page(
            group,
            sort=filters.sort.data,
            status=IdeaStatus(filters.status.data) if filters.status.data else None,
            origin=IdeaOrigin(filters.origin.data) if filters.origin.data else None,
            page=number,
        )
        if not page.cards and number > 1:
            return ""  # a page past the end: 404, remembered like any other page
        return render_template(
            "groups/_ideas.html",
            group=group,
            page=page,
            filtered=any(args.values()),
            previous_url=link(page=number - 1 if number > 2 else None),
            next_url=link(page=number + 1),
        )

    parts = (str(get_locale()), filters.sort.data, args["status"], args["origin"], number)
    ideas_html = list_cache.cached(group.id, parts, render_ideas)
    if not ideas_html:
        abort(404)
    return render_template(
        "groups/detail.html",
        group=group,
        tandem=[(side, group.lead_on(side)) for side in TandemSide],
        following_group=follows.follows_group(current_user, group),
        invite=_invite(group),
        ideas_html=ideas_html,
        page_number=number,
        filters=filters,
        sorts=[
            {"label": label, "url": link(sort=key), "current": key == filters.sort.data}
            for key, label in SORT_LABELS.items()
        ],
    )


def _invite(group) -> str | None:
    """What the page offers for a new idea: the form, signing in first, or nothing."""
    if can_post_idea(current_user, group):
        return "post"
    if not current_user.is_authenticated and not group.is_archived:
        return "login"
    return None
