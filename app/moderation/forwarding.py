"""Ideas from offline events, and forwarding ideas to the steering board in a ranking."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import format_number
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from app.extensions import db
from app.models import Idea, IdeaOrigin, IdeaStatus, ThematicGroup
from app.moderation import bp
from app.moderation.forwarding_forms import ForwardForm, MoveForm, OfflineIdeaForm, ReturnForm
from app.permissions import (
    can_moderate,
    can_see_forwarded,
    can_transition,
    require,
)
from app.services import DomainError, forwarding, groups, offline
from app.services.forwarding import RETURNABLE, ForwardingError
from app.services.ideas import BODY_MAX, TITLE_MAX

S = IdeaStatus


def _group(slug: str) -> ThematicGroup:
    group = groups.find_by_slug(slug)
    if group is None:
        abort(404)
    return group


def _to_ranking(group: ThematicGroup, idea: Idea | None = None):
    # Back to the moved (or forwarded) idea's row, which takes the focus as the target.
    anchor = f"rang-{idea.id}" if idea is not None else None
    return redirect(url_for("moderation.forwarded", slug=group.slug, _anchor=anchor))


# ---------------------------------------------------------------- offline ideas


@bp.route("/moderation/<slug>/ideas/new", methods=["GET", "POST"])
@login_required
def new_offline_idea(slug: str):
    group = _group(slug)
    require(can_moderate(current_user, group))
    form = OfflineIdeaForm(group=group.id)
    form.group.choices = [
        SelectChoice(choice.id, choice.name)
        for choice in groups.ordered_groups()
        if can_moderate(current_user, choice)
    ]
    if form.validate_on_submit():
        target = db.session.get(ThematicGroup, form.group.data)
        require(target is not None and can_moderate(current_user, target))
        try:
            idea = offline.record_offline_idea(
                target,
                current_user,
                form.title.data,
                form.body.data,
                origin=IdeaOrigin(form.origin.data),
                event=form.event.data,
                participant_name=form.participant_name.data,
            )
        except DomainError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("Die Idee ist erfasst und veröffentlicht."), "success")
            return redirect(url_for("ideas.detail", idea_id=idea.id))
    return render_template(
        "moderation/offline_idea.html",
        group=group,
        form=form,
        title_max=TITLE_MAX,
        body_max=format_number(BODY_MAX),
    )


# ---------------------------------------------------------------- forwarding


@bp.route("/moderation/ideas/<int:idea_id>/forward", methods=["GET", "POST"])
@login_required
def forward(idea_id: int):
    idea = db.get_or_404(Idea, idea_id)
    require(can_moderate(current_user, idea.group))
    if idea.status is S.FORWARDED:
        # Also the second request of a double click: the first one forwarded it.
        flash(_("Diese Idee ist bereits an das Lenkungsgremium weitergeleitet."), "info")
        return _to_ranking(idea.group, idea)
    if idea.status is not S.IN_REVIEW:
        flash(_("Nur Ideen im Status „In Prüfung“ können weitergeleitet werden."), "error")
        return redirect(url_for("moderation.idea", idea_id=idea.id))
    require(can_transition(current_user, idea, S.FORWARDED))
    form = ForwardForm()
    if form.validate_on_submit():
        try:
            forwarding.forward(idea, current_user, form.rationale.data)
        except ForwardingError as error:
            db.session.rollback()
            form.rationale.errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Die Idee ist an das Lenkungsgremium weitergeleitet."), "success")
            return _to_ranking(idea.group, idea)
    return render_template(
        "moderation/forward.html",
        idea=idea,
        form=form,
        next_rank=len(forwarding.ranking(idea.group)) + 1,
        rationale_max=format_number(forwarding.RATIONALE_MAX),
    )


@bp.get("/moderation/<slug>/forwarded")
@login_required
def forwarded(slug: str):
    group = _group(slug)
    require(can_see_forwarded(current_user, group))
    return render_template(
        "moderation/forwarded.html",
        group=group,
        ranked=forwarding.ranking(group),
        candidates=forwarding.candidates(group) if can_moderate(current_user, group) else [],
        returned=forwarding.recently_returned(group),
    )


@bp.post("/moderation/ideas/<int:idea_id>/rank")
@login_required
def move_forwarded(idea_id: int):
    idea = db.get_or_404(Idea, idea_id)
    require(can_moderate(current_user, idea.group))
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    up = form.direction.data == "up"
    try:
        moved = forwarding.move(idea, form.direction.data, current_user)
    except ForwardingError as error:
        db.session.rollback()
        flash(str(error), "error")
        return _to_ranking(idea.group)
    db.session.commit()
    if moved and up:
        flash(_("„%(title)s“ steht jetzt einen Rang weiter oben.", title=idea.title), "success")
    elif moved:
        flash(_("„%(title)s“ steht jetzt einen Rang weiter unten.", title=idea.title), "success")
    elif up:
        flash(_("„%(title)s“ steht bereits auf dem ersten Rang.", title=idea.title), "info")
    else:
        flash(_("„%(title)s“ steht bereits auf dem letzten Rang.", title=idea.title), "info")
    return _to_ranking(idea.group, idea)


@bp.route("/moderation/ideas/<int:idea_id>/return", methods=["GET", "POST"])
@login_required
def return_forwarded(idea_id: int):
    idea = db.get_or_404(Idea, idea_id)
    require(can_moderate(current_user, idea.group))
    if idea.status not in RETURNABLE:
        flash(_("Diese Idee ist nicht (mehr) an das Lenkungsgremium weitergeleitet."), "info")
        return _to_ranking(idea.group)
    require(can_transition(current_user, idea, S.IN_REVIEW))
    form = ReturnForm()
    if form.validate_on_submit():
        try:
            forwarding.return_to_group(idea, current_user, form.note.data)
        except ForwardingError as error:
            db.session.rollback()
            form.note.errors.append(str(error))
        else:
            db.session.commit()
            flash(
                _("„%(title)s“ ist zurückgenommen und wieder in Prüfung.", title=idea.title),
                "success",
            )
            return _to_ranking(idea.group)
    return render_template(
        "moderation/forwarding_return.html",
        idea=idea,
        form=form,
        note_max=format_number(forwarding.RETURN_NOTE_MAX),
    )


# ---------------------------------------------------------------- public


@bp.get("/groups/<slug>/forwarded")
def public_ranking(slug: str):
    group = _group(slug)
    return render_template(
        "moderation/forwarding_public.html",
        group=group,
        ranked=forwarding.ranking(group, public=True),
    )
