from flask import Blueprint, render_template, request, url_for

from app.models import Idea, IdeaStatus
from app.services import groups, listing, search
from app.services.ideas import STATUS_LABELS

bp = Blueprint("search", __name__)

# The status filter offers what a search can find, in the order of the lifecycle.
STATUS_CHOICES = [status for status in IdeaStatus if status in search.SEARCHABLE_STATUSES]


@bp.get("/search")
def index():
    # Unknown group or status values (an old link, a renamed group) are ignored: the
    # search then runs without that filter and the form shows "all".
    q = request.args.get("q", "").strip()[: search.QUERY_MAX]
    all_groups = groups.ordered_groups(include_archived=True)
    group = next((g for g in all_groups if g.slug == request.args.get("group")), None)
    status = _status(request.args.get("status", ""))
    page = request.args.get("page", 1, type=int)
    results, cards = None, []
    if q:
        results = search.search_ideas(
            q, group_id=group.id if group else None, status=status, page=page
        )
        cards = [listing.Card(idea, listing.excerpt(idea.body_html)) for idea in results.items]
    return render_template(
        "search/index.html",
        q=q,
        groups=all_groups,
        group=group,
        status=status,
        status_choices=STATUS_CHOICES,
        status_labels=STATUS_LABELS,
        results=results,
        cards=cards,
    )


@bp.get("/ideas/similar")
def similar():
    """Similar ideas for a draft's title as JSON, for the idea form's suggestions."""
    q = request.args.get("q", "").strip()[: search.QUERY_MAX]
    if len(q) < search.SIMILAR_MIN_QUERY:
        return []
    return [
        {"id": idea.id, "title": idea.title, "url": idea_url(idea)}
        for idea in search.similar_ideas(q, limit=5)
    ]


def _status(value: str) -> IdeaStatus | None:
    try:
        status = IdeaStatus(value)
    except ValueError:
        return None
    return status if status in search.SEARCHABLE_STATUSES else None


def idea_url(idea: Idea) -> str:
    return url_for("ideas.detail", idea_id=idea.id)
