"""Curation of ideas by a group's tandem leads: the per-idea moderation page with status
changes, merge, move, the official answer and internal notes."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.extensions import db
from app.ideas import views as idea_views
from app.models import Forwarding, Idea, IdeaStatus, ThematicGroup
from app.moderation import bp
from app.moderation.curation_forms import (
    AnswerForm,
    MergeForm,
    MergeSearchForm,
    MoveForm,
    NoteForm,
    StatusForm,
)
from app.permissions import can_moderate, can_transition, can_write_internal_note, require
from app.security import checks_own_csrf, form_status
from app.services import DomainError, answers, curation, forwarding, ideas
from app.services.curation import ReasonRequired

S = IdeaStatus

# The button of each step on the moderation page.
STEP_LABELS = {
    S.PUBLISHED: _l("Veröffentlichen"),
    S.REJECTED: _l("Nicht freigeben"),
    S.IN_REVIEW: _l("In Prüfung nehmen"),
    S.DECLINED: _l("Ablehnen"),
    S.PRIORITISED: _l("Priorisieren"),
    S.IMPLEMENTED: _l("Als umgesetzt markieren"),
}
DONE_MESSAGES = {
    S.PUBLISHED: _l("Die Idee ist veröffentlicht."),
    S.REJECTED: _l("Die Idee wurde nicht freigegeben."),
    S.IN_REVIEW: _l("Die Idee ist jetzt in Prüfung."),
    S.DECLINED: _l("Die Idee ist abgelehnt."),
    S.PRIORITISED: _l("Die Idee ist priorisiert."),
    S.IMPLEMENTED: _l("Die Idee ist als umgesetzt markiert."),
}


def _moderated_idea(idea_id: int) -> Idea:
    idea = db.get_or_404(Idea, idea_id)
    require(can_moderate(current_user, idea.group))
    return idea


def _back(idea: Idea, anchor: str):
    return redirect(url_for("moderation.idea", idea_id=idea.id, _anchor=anchor))


@bp.get("/moderation/ideas/<int:idea_id>")
@login_required
def idea(idea_id: int):
    found = _moderated_idea(idea_id)
    merge_form = MergeForm(formdata=None)
    chosen = request.args.get("ziel", "")
    if chosen.isdigit() and len(chosen) < 10:
        merge_form.target.data = chosen
    return _render_page(found, merge_form=merge_form)


def _render_page(
    idea: Idea,
    *,
    status_form: StatusForm | None = None,
    merge_form: MergeForm | None = None,
    move_form: MoveForm | None = None,
    answer_form: AnswerForm | None = None,
    note_form: NoteForm | None = None,
    confirm_target: Idea | None = None,
):
    """The page, with the form that failed (errors beside its fields) and fresh others."""
    versions = answers.versions(idea)
    if answer_form is None:
        answer_form = AnswerForm(formdata=None, body=versions[0].body if versions else "")
    merge_form = merge_form or MergeForm(formdata=None)
    search_form = MergeSearchForm(request.args)
    search_form.validate()
    search = "" if search_form.suche.errors else (search_form.suche.data or "")
    move_form = move_form or MoveForm(formdata=None)
    move_targets = curation.move_targets(idea, current_user)
    move_form.group.choices = [("", _("Bitte wählen"))] + [
        (str(group.id), group.name) for group in move_targets
    ]
    return render_template(
        "moderation/idea.html",
        idea=idea,
        merged_into=db.session.get(Idea, idea.merged_into_id) if idea.merged_into_id else None,
        steps=[(step, STEP_LABELS[step]) for step in curation.next_steps(idea, current_user)],
        reason_required=ideas.REASON_REQUIRED,
        status_form=status_form or StatusForm(formdata=None),
        may_merge=can_transition(current_user, idea, S.MERGED)
        and S.MERGED in ideas.TRANSITIONS[idea.status],
        merge_form=merge_form,
        merge_choice=_chosen_target(idea, merge_form),
        confirm_target=confirm_target,
        search_form=search_form,
        search=search,
        candidates=curation.merge_candidates(idea, current_user, search) if search else [],
        # A rejected move shows its form with the message even when no target is left.
        may_move=idea.status not in curation.NOT_MOVABLE and bool(move_targets or move_form.errors),
        move_form=move_form,
        may_forward=idea.status is S.IN_REVIEW and can_transition(current_user, idea, S.FORWARDED),
        may_return=idea.status in forwarding.RETURNABLE
        and can_transition(current_user, idea, S.IN_REVIEW),
        forwarding=db.session.get(Forwarding, idea.id),
        answer_form=answer_form,
        versions=versions,
        answer_max=format_number(answers.ANSWER_MAX),
        note_form=note_form or NoteForm(formdata=None),
        notes=curation.notes_for(idea),
        note_max=format_number(curation.NOTE_MAX),
        timeline_note_max=format_number(curation.TIMELINE_NOTE_MAX),
    )


def _chosen_target(idea: Idea, form: MergeForm) -> Idea | None:
    # The title of the idea a lead picked, shown to confirm it: only of groups they moderate.
    value = form.target.data
    if not isinstance(value, str) or not value.isdigit() or len(value) > 9 or form.target.errors:
        return None
    target = db.session.get(Idea, int(value))
    if target is None or target.id == idea.id or not can_moderate(current_user, target.group):
        return None
    return target


# ---------------------------------------------------------------- status


@bp.post("/moderation/ideas/<int:idea_id>/status")
@login_required
def change_status(idea_id: int):
    idea = _moderated_idea(idea_id)
    form = StatusForm()
    if not form.validate_on_submit():
        return _render_page(idea, status_form=form)
    to = IdeaStatus(form.to.data)
    if idea.status is to:
        # Sent twice, or the other half of the tandem was quicker: nothing left to do.
        flash(_("Die Idee hat bereits diesen Status."), "info")
        return _back(idea, "status")
    require(can_transition(current_user, idea, to))
    try:
        curation.change_status(idea, to, actor=current_user, note=form.note.data)
    except DomainError as error:
        db.session.rollback()
        # A missing reason belongs beside the note; anything else is about the step.
        field = form.note if isinstance(error, ReasonRequired) else form.to
        field.errors.append(str(error))
        return _render_page(idea, status_form=form)
    db.session.commit()
    flash(str(DONE_MESSAGES.get(to, _("Der Status wurde geändert."))), "success")
    return _back(idea, "status")


# ---------------------------------------------------------------- merge


@bp.post("/moderation/ideas/<int:idea_id>/merge")
@login_required
def merge(idea_id: int):
    duplicate = _moderated_idea(idea_id)
    form = MergeForm()
    if not form.validate_on_submit():
        return _render_page(duplicate, merge_form=form)
    target = db.session.get(Idea, form.target_id)
    if target is None:
        form.target.errors.append(_("Es gibt keine Idee mit dieser Nummer."))
        return _render_page(duplicate, merge_form=form)
    # A target in a group the lead does not moderate: refused, as any other tampering.
    require(can_moderate(current_user, target.group))
    if duplicate.status is S.MERGED and duplicate.merged_into_id == target.id:
        flash(_("Die Idee ist bereits mit dieser Idee zusammengeführt."), "info")
        return _back(duplicate, "zusammenfuehren")
    try:
        curation.check_merge(duplicate, target, actor=current_user)
        if form.confirmed.data != "1":
            # First the lead sees which idea the number names, then confirms.
            form.confirmed.data = "1"
            return _render_page(duplicate, merge_form=form, confirm_target=target)
        curation.merge(duplicate, target, actor=current_user, reason=form.reason.data)
    except DomainError as error:
        db.session.rollback()
        field = form.reason if isinstance(error, ReasonRequired) else form.target
        field.errors.append(str(error))
        form.confirmed.data = ""
        return _render_page(duplicate, merge_form=form)
    db.session.commit()
    flash(_("Die Idee wurde mit „%(title)s“ zusammengeführt.", title=target.title), "success")
    return _back(duplicate, "status")


# ---------------------------------------------------------------- move


@bp.post("/moderation/ideas/<int:idea_id>/move")
@login_required
def move(idea_id: int):
    idea = _moderated_idea(idea_id)
    form = MoveForm()
    if not form.validate_on_submit():
        return _render_page(idea, move_form=form)
    group = db.session.get(ThematicGroup, int(form.group.data))
    if group is None:
        form.group.errors.append(_("Diese Themengruppe gibt es nicht."))
        return _render_page(idea, move_form=form)
    require(can_moderate(current_user, group))
    if group.id == idea.group_id:
        flash(_("Die Idee ist bereits in der Themengruppe „%(name)s“.", name=group.name), "info")
        return _back(idea, "verschieben")
    try:
        curation.move(idea, group, actor=current_user, note=form.note.data)
    except DomainError as error:
        db.session.rollback()
        form.group.errors.append(str(error))
        return _render_page(idea, move_form=form)
    db.session.commit()
    flash(_("Die Idee ist jetzt in der Themengruppe „%(name)s“.", name=group.name), "success")
    return _back(idea, "verschieben")


# ---------------------------------------------------------------- official answer


@bp.post("/moderation/ideas/<int:idea_id>/answer")
@checks_own_csrf
@login_required
def answer(idea_id: int):
    idea = _moderated_idea(idea_id)
    form = AnswerForm()
    if not form.validate_on_submit():
        return _render_page(idea, answer_form=form), form_status(form)
    try:
        before = answers.latest(idea)
        posted = answers.post_answer(idea, actor=current_user, body=form.body.data)
    except DomainError as error:
        db.session.rollback()
        form.body.errors.append(str(error))
        return _render_page(idea, answer_form=form)
    db.session.commit()
    if before is not None and posted.id == before.id:
        flash(_("Die Stellungnahme ist unverändert."), "info")
    else:
        flash(_("Die Stellungnahme ist veröffentlicht."), "success")
    return _back(idea, "stellungnahme")


# ---------------------------------------------------------------- internal notes


@bp.post("/moderation/ideas/<int:idea_id>/notes")
@checks_own_csrf
@login_required
def add_note(idea_id: int):
    # The board writes notes too, from the idea page; the leads also from this page.
    idea = db.get_or_404(Idea, idea_id)
    require(can_write_internal_note(current_user, idea))
    moderates = can_moderate(current_user, idea.group)
    form = NoteForm()
    if form.validate_on_submit():
        try:
            curation.add_note(idea, actor=current_user, body=form.body.data)
        except DomainError as error:
            db.session.rollback()
            form.body.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Die Notiz ist gespeichert."), "success")
            if moderates:
                return _back(idea, "notizen")
            return redirect(url_for("ideas.detail", idea_id=idea.id, _anchor="interne-notizen"))
    if moderates:
        return _render_page(idea, note_form=form), form_status(form)
    return idea_views.render_detail(idea, note_form=form), form_status(form)
