from flask import Blueprint, abort, render_template

from app.models import TandemSide
from app.services import groups

bp = Blueprint("groups", __name__)


@bp.get("/<slug>")
def detail(slug: str):
    group = groups.find_by_slug(slug)
    if group is None:
        abort(404)
    tandem = [(side, group.lead_on(side)) for side in TandemSide]
    return render_template("groups/detail.html", group=group, tandem=tandem)
