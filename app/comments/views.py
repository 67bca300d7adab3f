from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required

from app.comments.forms import CommentEditForm, CommentForm, DeleteCommentForm, ReportForm
from app.extensions import db, limiter
from app.models import Comment, Idea
from app.permissions import (
    can_comment,
    can_delete_comment,
    can_edit_comment,
    can_report,
    can_view_idea,
    owns_comment,
    require,
)
from app.security import checks_own_csrf, form_status
from app.services import DomainError, comments

bp = Blueprint("comments", __name__)


def _rate_key() -> str:
    # Per account, so that a whole town hall behind one address is not limited as one.
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return get_remote_address()


def _limit():
    return limiter.limit(
        lambda: current_app.config["RATELIMIT_COMMENT"], methods=["POST"], key_func=_rate_key
    )


def _idea_or_404(idea_id: int) -> Idea:
    idea = db.get_or_404(Idea, idea_id)
    if not can_view_idea(current_user, idea):
        abort(404)
    return idea


def _comment_or_404(idea: Idea, comment_id: int) -> Comment:
    comment = comments.find_comment(idea, comment_id, current_user)
    if comment is None:
        abort(404)
    return comment


def _comment_url(idea: Idea, comment: Comment) -> str:
    """The page that shows the comment, with its anchor."""
    place = comments.place_of(comment, idea, current_user)
    anchor = f"#kommentar-{comment.id}"
    if place.thread_of is not None:
        args = {"page": place.thread_page} if place.thread_page > 1 else {}
        return (
            url_for("comments.thread", idea_id=idea.id, comment_id=place.thread_of, **args) + anchor
        )
    args = {"comments_page": place.comments_page} if place.comments_page > 1 else {}
    return url_for("ideas.detail", idea_id=idea.id, **args) + anchor


def _idea_url(idea: Idea) -> str:
    return url_for("ideas.detail", idea_id=idea.id) + "#kommentare"


@bp.post("/<int:idea_id>/comments")
@checks_own_csrf
@login_required
@_limit()
def create(idea_id: int):
    idea = _idea_or_404(idea_id)
    require(can_comment(current_user, idea))
    form = CommentForm()
    status = 200
    if form.validate_on_submit():
        try:
            comment = comments.create_comment(
                idea, current_user, form.body.data, form.parent_id.data
            )
        except comments.UnknownParent as error:
            db.session.rollback()
            form.body.errors.append(str(error))
            status = 400
        except DomainError as error:
            db.session.rollback()
            form.body.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Ihr Kommentar ist veröffentlicht."), "success")
            return redirect(_comment_url(idea, comment))
    elif form.parent_id.errors:
        status = 400
    else:
        status = form_status(form)
    parent = None
    if form.parent_id.data is not None:
        parent = comments.find_comment(idea, form.parent_id.data, current_user)
    # The rejected form on a page of its own, with the text the person wrote.
    return render_template("comments/form.html", idea=idea, form=form, parent=parent), status


@bp.get("/<int:idea_id>/comments/<int:comment_id>")
def permalink(idea_id: int, comment_id: int):
    """A stable link to a comment (notifications, mails): redirects to its page and anchor."""
    idea = _idea_or_404(idea_id)
    return redirect(_comment_url(idea, _comment_or_404(idea, comment_id)))


@bp.get("/<int:idea_id>/comments/<int:comment_id>/replies")
def thread(idea_id: int, comment_id: int):
    """A long thread's own page: the comment and all its replies, page by page."""
    idea = _idea_or_404(idea_id)
    comment = _comment_or_404(idea, comment_id)
    if comment.parent_id is not None:
        return redirect(url_for("comments.thread", idea_id=idea.id, comment_id=comment.parent_id))
    page = comments.replies_page(idea, comment, current_user, request.args.get("page", 1, type=int))
    return render_template("comments/thread.html", idea=idea, replies=page)


@bp.route("/<int:idea_id>/comments/<int:comment_id>/edit", methods=["GET", "POST"])
@checks_own_csrf
@login_required
@_limit()
def edit(idea_id: int, comment_id: int):
    idea = _idea_or_404(idea_id)
    comment = _comment_or_404(idea, comment_id)
    require(owns_comment(current_user, comment))
    if not can_edit_comment(current_user, comment):
        flash(comments.edit_window_message(), "error")
        return redirect(_comment_url(idea, comment))
    form = CommentEditForm(data={"body": comment.body} if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            comments.edit_comment(comment, current_user, form.body.data)
        except DomainError as error:
            db.session.rollback()
            form.body.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Ihr Kommentar wurde geändert."), "success")
            return redirect(_comment_url(idea, comment))
    page = render_template("comments/edit.html", idea=idea, comment=comment, form=form)
    return page, form_status(form)


@bp.post("/<int:idea_id>/comments/<int:comment_id>/delete")
@login_required
def delete(idea_id: int, comment_id: int):
    idea = _idea_or_404(idea_id)
    comment = _comment_or_404(idea, comment_id)
    if comment.is_deleted:
        # A second click on "Löschen": the placeholder is public anyway, nothing to refuse.
        return redirect(_comment_url(idea, comment))
    require(can_delete_comment(current_user, comment, idea))
    if DeleteCommentForm().validate_on_submit():
        comments.delete_comment(comment)
        db.session.commit()
        flash(_("Der Kommentar wurde gelöscht."), "success")
    return redirect(_comment_url(idea, comment))


@bp.route("/<int:idea_id>/report", methods=["GET", "POST"])
@login_required
@_limit()
def report_idea(idea_id: int):
    idea = _idea_or_404(idea_id)
    return _report(idea, None)


@bp.route("/<int:idea_id>/comments/<int:comment_id>/report", methods=["GET", "POST"])
@login_required
@_limit()
def report_comment(idea_id: int, comment_id: int):
    idea = _idea_or_404(idea_id)
    return _report(idea, _comment_or_404(idea, comment_id))


def _report(idea: Idea, comment: Comment | None):
    require(can_report(current_user))
    back = _comment_url(idea, comment) if comment is not None else _idea_url(idea)
    form = ReportForm()
    if form.validate_on_submit():
        try:
            comments.report(current_user, idea, form.reason.data, comment)
        except comments.AlreadyReported as error:
            db.session.rollback()
            flash(str(error), "info")
            return redirect(back)
        except DomainError as error:
            db.session.rollback()
            form.reason.errors.append(str(error))
        else:
            db.session.commit()
            flash(
                _("Danke für Ihre Meldung. Die Moderation der Themengruppe sieht sie sich an."),
                "success",
            )
            if not can_view_idea(current_user, idea):
                # This report hid the idea (services.moderation auto-hide): back to its group.
                back = url_for("groups.detail", slug=idea.group.slug)
            return redirect(back)
    return render_template(
        "comments/report.html", idea=idea, comment=comment, form=form, back_url=back
    )
