"""Following, the notification centre and the e-mail settings.

Registered without a prefix: the follow routes live under the ideas and groups they are
about (`/ideas/<id>/follow`, `/groups/<slug>/follow`), the rest under
`/account/notifications`.
"""

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.extensions import db
from app.models import Idea, NotificationKind
from app.notifications.forms import EmailSettingsForm, FollowForm, MarkReadForm
from app.permissions import can_follow, can_manage_own_account, can_view_idea, require
from app.security import safe_next
from app.services import follows, groups, notifications

bp = Blueprint("notifications", __name__)

# What the notification centre calls each kind of notification.
KIND_LABELS = {
    NotificationKind.COMMENT: _l("Kommentar"),
    NotificationKind.REPLY: _l("Antwort"),
    NotificationKind.STATUS: _l("Statusänderung"),
    NotificationKind.NEW_IDEA: _l("Neue Idee"),
    NotificationKind.MODERATION: _l("Moderation"),
    NotificationKind.ANSWER: _l("Stellungnahme"),
}


@bp.app_template_filter("notification_kind")
def notification_kind(kind: NotificationKind) -> str:
    return KIND_LABELS[kind]


@bp.app_context_processor
def _unread_notifications_helper() -> dict:
    # A function, not a number: only pages that show the count pay for its query.
    return {"unread_notifications": unread_notifications}


def unread_notifications() -> int:
    """The signed-in person's unread notifications (capped), counted once per request."""
    if not current_user.is_authenticated:
        return 0
    if "unread_notifications" not in g:
        g.unread_notifications = notifications.unread_count(current_user)
    return g.unread_notifications


@bp.after_request
def _private(response):
    # Personal pages: no shared cache may keep them.
    if request.path.startswith("/account/"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def _back(default: str) -> str:
    return safe_next(request.form.get("next")) or default


def _idea_or_404(idea_id: int) -> Idea:
    idea = db.get_or_404(Idea, idea_id)
    if not can_view_idea(current_user, idea):
        abort(404)
    return idea


@bp.post("/ideas/<int:idea_id>/follow")
@login_required
def follow_idea(idea_id: int):
    idea = _idea_or_404(idea_id)
    require(can_follow(current_user))
    if FollowForm().validate_on_submit():
        follows.follow_idea(current_user, idea)
        db.session.commit()
        flash(_("Sie folgen dieser Idee und erfahren von neuen Kommentaren."), "success")
    return redirect(_back(url_for("ideas.detail", idea_id=idea.id)))


@bp.post("/ideas/<int:idea_id>/unfollow")
@login_required
def unfollow_idea(idea_id: int):
    idea = _idea_or_404(idea_id)
    require(can_follow(current_user))
    if FollowForm().validate_on_submit():
        follows.unfollow_idea(current_user, idea)
        db.session.commit()
        flash(_("Sie folgen dieser Idee nicht mehr."), "success")
    return redirect(_back(url_for("ideas.detail", idea_id=idea.id)))


@bp.post("/groups/<slug>/follow")
@login_required
def follow_group(slug: str):
    group = groups.find_by_slug(slug) or abort(404)
    require(can_follow(current_user))
    if FollowForm().validate_on_submit():
        follows.follow_group(current_user, group)
        db.session.commit()
        flash(_("Sie folgen dieser Themengruppe und erfahren von neuen Ideen."), "success")
    return redirect(_back(url_for("groups.detail", slug=group.slug)))


@bp.post("/groups/<slug>/unfollow")
@login_required
def unfollow_group(slug: str):
    group = groups.find_by_slug(slug) or abort(404)
    require(can_follow(current_user))
    if FollowForm().validate_on_submit():
        follows.unfollow_group(current_user, group)
        db.session.commit()
        flash(_("Sie folgen dieser Themengruppe nicht mehr."), "success")
    return redirect(_back(url_for("groups.detail", slug=group.slug)))


@bp.get("/account/notifications")
@login_required
def index():
    require(can_manage_own_account(current_user))
    page = notifications.page_for(current_user, request.args.get("before", type=int))
    return render_template(
        "notifications/index.html",
        page=page,
        links={
            item.id: notifications.target_url(item.idea_id, item.comment_id) for item in page.items
        },
        form=MarkReadForm(),
        unread=unread_notifications(),
    )


@bp.post("/account/notifications/read")
@login_required
def mark_read():
    require(can_manage_own_account(current_user))
    if MarkReadForm().validate_on_submit():
        notifications.mark_all_read(current_user)
        db.session.commit()
        flash(_("Alle Benachrichtigungen sind als gelesen markiert."), "success")
    return redirect(url_for("notifications.index"))


@bp.route("/account/notifications/settings", methods=["GET", "POST"])
@login_required
def settings():
    require(can_manage_own_account(current_user))
    form = EmailSettingsForm(
        data={
            "comments": current_user.email_on_comments.value,
            "status": current_user.email_on_status.value,
            "new_ideas": current_user.email_on_new_ideas.value,
        }
        if request.method == "GET"
        else None
    )
    if form.validate_on_submit():
        notifications.update_settings(
            current_user,
            comments=form.comments.data,
            status=form.status.data,
            new_ideas=form.new_ideas.data,
        )
        db.session.commit()
        flash(_("Ihre Einstellungen für Benachrichtigungen sind gespeichert."), "success")
        return redirect(url_for("notifications.settings"))
    return render_template("notifications/settings.html", form=form)
