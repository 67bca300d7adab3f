"""Content moderation: the group workspace, hiding and restoring, reports, blocks, audit log,
and the public moderation summary of a group."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.extensions import db
from app.models import AuditAction, Comment, GroupBlock, Idea, ThematicGroup, User
from app.moderation import bp
from app.moderation.forms import BlockForm, HideForm, LiftBlockForm, NoteForm
from app.permissions import (
    can_moderate,
    can_view_audit_log,
    moderated_group_ids,
    require,
)
from app.security import safe_next
from app.services import DomainError, groups, listing, moderation
from app.services.ideas import STATUS_LABELS
from app.services.listing import FILTER_STATUSES

A = AuditAction
# What each entry of the audit log says it was, in words.
ACTION_LABELS = {
    A.HIDE_IDEA: _l("Idee ausgeblendet"),
    A.RESTORE_IDEA: _l("Idee wiederhergestellt"),
    A.HIDE_COMMENT: _l("Kommentar ausgeblendet"),
    A.RESTORE_COMMENT: _l("Kommentar wiederhergestellt"),
    A.AUTO_HIDE_IDEA: _l("Idee automatisch ausgeblendet (mehrfach gemeldet)"),
    A.AUTO_HIDE_COMMENT: _l("Kommentar automatisch ausgeblendet (mehrfach gemeldet)"),
    A.DISMISS_REPORT: _l("Meldungen verworfen"),
    A.BLOCK_USER: _l("Person gesperrt"),
    A.UNBLOCK_USER: _l("Sperre aufgehoben"),
    A.STATUS: _l("Status geändert"),
    A.MERGE: _l("Ideen zusammengeführt"),
    A.MOVE: _l("In andere Themengruppe verschoben"),
    A.ANSWER: _l("Stellungnahme geschrieben"),
    A.NOTE: _l("Interne Notiz geschrieben"),
    A.OFFLINE_IDEA: _l("Idee einer Veranstaltung erfasst"),
    A.FORWARD: _l("An das Lenkungsgremium weitergeleitet"),
    A.REORDER: _l("Reihenfolge der Weiterleitungen geändert"),
    A.RETURN: _l("Vom Lenkungsgremium zurückgegeben"),
}


@bp.app_template_filter("audit_label")
def audit_label(action: AuditAction) -> str:
    return str(ACTION_LABELS.get(action, action.value))


@bp.app_template_filter("moderation_excerpt")
def moderation_excerpt(body_html: str) -> str:
    return listing.excerpt(body_html, 400)


# The navigation entry: only signed-in leads and admins pay for its count


@bp.app_context_processor
def _moderation_nav_helper() -> dict:
    return {"moderation_nav": moderation_nav}


def moderation_nav() -> dict | None:
    """Where "Moderation" in the navigation leads and how many items wait; None for others."""
    if not current_user.is_authenticated:
        return None
    if "moderation_nav" not in g:
        group_ids = moderated_group_ids(current_user)
        if group_ids is not None and not group_ids:
            g.moderation_nav = None
        else:
            pending = moderation.pending_count(current_user)
            if group_ids is not None and len(group_ids) == 1:
                group = db.session.get(ThematicGroup, next(iter(group_ids)))
                url = url_for("moderation.workspace", slug=group.slug)
            else:
                # Several groups (or all of them, for admins): the log lists them.
                url = url_for("moderation.log")
            g.moderation_nav = {"url": url, "pending": pending}
    return g.moderation_nav


# Helpers


def _group_or_404(slug: str) -> ThematicGroup:
    group = groups.find_by_slug(slug)
    if group is None:
        abort(404)
    return group


def _moderated_idea(idea_id: int) -> Idea:
    idea = db.get_or_404(Idea, idea_id)
    require(can_moderate(current_user, idea.group))
    return idea


def _moderated_comment(comment_id: int) -> tuple[Comment, Idea]:
    comment = db.get_or_404(Comment, comment_id)
    idea = db.get_or_404(Idea, comment.idea_id)
    require(can_moderate(current_user, idea.group))
    return comment, idea


def _actor() -> User:
    return current_user._get_current_object()


def _back(form, group: ThematicGroup) -> str:
    return safe_next(form.next.data) or url_for("moderation.workspace", slug=group.slug)


# The workspace


@bp.get("/moderation/<slug>")
@login_required
def workspace(slug: str):
    group = _group_or_404(slug)
    require(can_moderate(current_user, group))
    queue, more_reports = moderation.report_queue(group)
    counts = moderation.status_counts(group)
    return render_template(
        "moderation/workspace.html",
        group=group,
        queue=queue,
        more_reports=more_reports,
        submitted=moderation.submitted_ideas(group),
        returned=moderation.returned_ideas(group),
        status_rows=[
            (status, STATUS_LABELS[status], counts[status], status in FILTER_STATUSES)
            for status in counts
        ],
        total=sum(counts.values()),
        hidden=moderation.hidden_counts(group),
        blocks=moderation.active_blocks(group),
        note_form=NoteForm(),
        list_limit=moderation.LIST_LIMIT,
        here=url_for("moderation.workspace", slug=group.slug),
    )


# Hiding and restoring


def _render_hide(form: HideForm, idea: Idea, comment: Comment | None, back: str):
    reports = moderation.open_reports(idea, comment)
    item = comment if comment is not None else idea
    return render_template(
        "moderation/hide.html",
        form=form,
        idea=idea,
        comment=comment,
        reports=reports,
        # Hidden, and no report waiting for review: the page offers to restore it.
        restoring=item.is_hidden and not reports,
        restore_form=NoteForm(formdata=None),
        back_url=back,
    )


def _hide(idea: Idea, comment: Comment | None):
    form = HideForm()
    form.set_templates(moderation.reason_templates())
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next"))
    back = _back(form, idea.group)
    if form.validate_on_submit():
        try:
            if comment is None:
                moderation.hide_idea(
                    _actor(), idea, template=form.chosen_template, text=form.text.data
                )
            else:
                moderation.hide_comment(
                    _actor(), comment, template=form.chosen_template, text=form.text.data
                )
        except moderation.AlreadyHidden as error:
            db.session.rollback()
            flash(str(error), "info")
            return redirect(back)
        except DomainError as error:
            db.session.rollback()
            form.text.errors.append(str(error))
        else:
            db.session.commit()
            if comment is None:
                message = _("Die Idee ist ausgeblendet.")
            else:
                message = _("Der Kommentar ist ausgeblendet.")
            flash(message, "success")
            return redirect(back)
    return _render_hide(form, idea, comment, back)


@bp.route("/moderation/ideas/<int:idea_id>/hide", methods=["GET", "POST"])
@login_required
def hide_idea(idea_id: int):
    idea = _moderated_idea(idea_id)
    return _hide(idea, None)


@bp.route("/moderation/comments/<int:comment_id>/hide", methods=["GET", "POST"])
@login_required
def hide_comment(comment_id: int):
    comment, idea = _moderated_comment(comment_id)
    if comment.is_deleted:
        flash(_("Dieser Kommentar wurde gelöscht; es gibt nichts auszublenden."), "info")
        return redirect(url_for("moderation.workspace", slug=idea.group.slug))
    return _hide(idea, comment)


def _note_action(idea: Idea, comment: Comment | None, action, done: str, title: str):
    """Restore or dismiss: a POST from a button; a rejected note gets a page of its own."""
    form = NoteForm()
    back = _back(form, idea.group)
    if form.validate_on_submit():
        try:
            action(form.note.data)
        except (moderation.NotHidden, moderation.NothingToDismiss) as error:
            db.session.rollback()
            flash(str(error), "info")
            return redirect(back)
        except DomainError as error:
            db.session.rollback()
            form.note.errors.append(str(error))
        else:
            db.session.commit()
            flash(done, "success")
            return redirect(back)
    return render_template(
        "moderation/note.html",
        form=form,
        idea=idea,
        comment=comment,
        title=title,
        action_url=request.path,
        back_url=back,
    )


@bp.post("/moderation/ideas/<int:idea_id>/restore")
@login_required
def restore_idea(idea_id: int):
    idea = _moderated_idea(idea_id)
    return _note_action(
        idea,
        None,
        lambda note: moderation.restore_idea(_actor(), idea, note),
        _("Die Idee ist wieder öffentlich sichtbar."),
        _("Idee wiederherstellen"),
    )


@bp.post("/moderation/comments/<int:comment_id>/restore")
@login_required
def restore_comment(comment_id: int):
    comment, idea = _moderated_comment(comment_id)
    return _note_action(
        idea,
        comment,
        lambda note: moderation.restore_comment(_actor(), comment, note),
        _("Der Kommentar ist wieder öffentlich sichtbar."),
        _("Kommentar wiederherstellen"),
    )


@bp.post("/moderation/ideas/<int:idea_id>/dismiss")
@login_required
def dismiss_idea_reports(idea_id: int):
    idea = _moderated_idea(idea_id)
    return _note_action(
        idea,
        None,
        lambda note: moderation.dismiss_reports(_actor(), idea, None, note),
        _("Die Meldungen sind erledigt; die Idee bleibt sichtbar."),
        _("Meldungen verwerfen"),
    )


@bp.post("/moderation/comments/<int:comment_id>/dismiss")
@login_required
def dismiss_comment_reports(comment_id: int):
    comment, idea = _moderated_comment(comment_id)
    return _note_action(
        idea,
        comment,
        lambda note: moderation.dismiss_reports(_actor(), idea, comment, note),
        _("Die Meldungen sind erledigt; der Kommentar bleibt sichtbar."),
        _("Meldungen verwerfen"),
    )


# Blocks


@bp.route("/moderation/<slug>/block/<int:user_id>", methods=["GET", "POST"])
@login_required
def block_user(slug: str, user_id: int):
    group = _group_or_404(slug)
    require(can_moderate(current_user, group))
    person = db.get_or_404(User, user_id)
    if not person.is_active:
        abort(404)
    form = BlockForm()
    if form.validate_on_submit():
        until = moderation.block_until(days=form.days, last_day=form.last_day_date)
        try:
            moderation.block_user(_actor(), group, person, until=until, reason=form.reason.data)
        except moderation.BlockEndRefused as error:
            db.session.rollback()
            (form.last_day if form.days is None else form.duration).errors.append(str(error))
        except DomainError as error:
            db.session.rollback()
            form.reason.errors.append(str(error))
        else:
            db.session.commit()
            flash(
                _(
                    "%(name)s ist in dieser Themengruppe gesperrt und wurde benachrichtigt.",
                    name=person.display_name,
                ),
                "success",
            )
            return redirect(url_for("moderation.workspace", slug=group.slug, _anchor="sperren"))
    return render_template(
        "moderation/block.html",
        group=group,
        person=person,
        form=form,
        current=moderation.active_block(person, group),
    )


@bp.post("/moderation/blocks/<int:block_id>/lift")
@login_required
def lift_block(block_id: int):
    block = db.get_or_404(GroupBlock, block_id)
    group = db.get_or_404(ThematicGroup, block.group_id)
    require(can_moderate(current_user, group))
    form = LiftBlockForm()
    back = url_for("moderation.workspace", slug=group.slug, _anchor="sperren")
    if form.validate_on_submit():
        try:
            moderation.lift_block(_actor(), block, form.note.data)
        except DomainError as error:
            db.session.rollback()
            flash(str(error), "info")
        else:
            db.session.commit()
            flash(
                _("Die Sperre von %(name)s ist aufgehoben.", name=block.user.display_name),
                "success",
            )
    else:
        flash(" ".join(str(error) for error in form.note.errors), "error")
    return redirect(back)


# The audit log


@bp.get("/moderation/log")
@login_required
def log():
    require(can_view_audit_log(current_user))
    group = None
    slug = request.args.get("group", "")
    if slug:
        group = _group_or_404(slug)
        require(can_moderate(current_user, group))
    before = request.args.get("before", type=int)
    page = moderation.log_page(current_user, group, before)
    mine = moderation.moderated_groups(current_user)
    return render_template(
        "moderation/log.html",
        page=page,
        group=group,
        my_groups=mine,
        pending=moderation.pending_by_group(moderated_group_ids(current_user)),
        first_page=before is None,
    )


# The public summary


@bp.get("/groups/<slug>/moderation")
def summary(slug: str):
    group = _group_or_404(slug)
    return render_template(
        "moderation/summary.html",
        group=group,
        summary=moderation.summary(group),
        threshold=moderation.auto_hide_threshold(),
    )
