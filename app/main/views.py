from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask_babel import format_percent, get_locale
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import csrf, db
from app.security import safe_next
from app.services import groups, list_cache, listing, page_cache, settings
from app.services.ranking import TRENDING_HOURS_PER_TENFOLD, wilson_lower_bound

bp = Blueprint("main", __name__)


@bp.get("/")
@page_cache.for_visitors(lambda: list_cache.ALL)
def index():
    lists_html = list_cache.cached(
        list_cache.ALL,
        (str(get_locale()),),
        lambda: render_template(
            "main/_idea_lists.html",
            top_ideas=listing.top_ideas(),
            newest_ideas=listing.newest_ideas(),
        ),
    )
    return render_template("main/index.html", groups=groups.ordered_groups(), lists_html=lists_html)


@bp.get("/hilfe/sortierung")
def help_sorting():
    # The examples are computed by the ranking code itself, so the page cannot drift from it.
    examples = [
        {"up": up, "down": down, "score": format_percent(wilson_lower_bound(up, down), "0.0 %")}
        for up, down in ((1, 0), (9, 1), (90, 10), (60, 40))
    ]
    return render_template(
        "main/help_sorting.html",
        examples=examples,
        hours_per_tenfold=TRENDING_HOURS_PER_TENFOLD,
    )


@bp.get("/healthz")
@csrf.exempt
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return {"status": "unavailable"}, 503
    return {"status": "ok"}


@bp.get("/barrierefreiheit")
def accessibility():
    return _site_text("accessibility")


@bp.get("/datenschutz")
def privacy():
    return _site_text("privacy")


@bp.get("/impressum")
def imprint():
    return _site_text("imprint")


def _site_text(key: str):
    title = settings.label(key)
    return render_template("main/site_text.html", title=title, body=settings.text_html(key))


@bp.post("/language")
def set_language():
    lang = request.form.get("lang", "")
    if lang not in {"de", "en"}:
        abort(400)
    session["lang"] = lang
    if current_user.is_authenticated:
        current_user.locale = lang
        db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("main.index"))
