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
from flask_babel import format_decimal, format_number
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required
from sqlalchemy.orm import defaultload
from wtforms.fields.choices import SelectChoice

from app.extensions import db, limiter
from app.ideas.forms import AssessmentForm, EditIdeaForm, IdeaForm, VoteForm
from app.models import Idea, IdeaStatus
from app.moderation.curation_forms import NoteForm
from app.permissions import (
    can_assess,
    can_edit_idea,
    can_post_idea,
    can_view_idea,
    can_vote,
    can_withdraw_idea,
    require,
)
from app.security import checks_own_csrf, form_status
from app.services import (
    DomainError,
    answers,
    comments,
    curation,
    decisions,
    groups,
    ideas,
    list_cache,
    page_cache,
    search,
    u30,
    votes,
)
from app.services.text import render_markdown
from app.services.votes import IdeaClosed, VoteValue

bp = Blueprint("ideas", __name__)


@bp.app_template_filter("status_label")
def status_label(status: IdeaStatus) -> str:
    return ideas.STATUS_LABELS[status]


@bp.app_template_filter("origin_label")
def origin_label(origin) -> str:
    return ideas.ORIGIN_LABELS[origin]


def _limit_key() -> str:
    # Per account when signed in: many citizens may share one address (a town hall's NAT).
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return get_remote_address()


def _limit(key: str, **options):
    """A rate limit on POSTs, its value read from the configuration at request time."""
    return limiter.limit(
        lambda: current_app.config[key], methods=["POST"], key_func=_limit_key, **options
    )


def _is_preview() -> bool:
    return request.form.get("action") == "preview"


def _wants_json() -> bool:
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == (
        "application/json"
    )


def _visible_idea(idea_id: int) -> Idea:
    # Ideas that someone may not see do not exist for them: 404, not 403.
    # Author and group without their own eager relationships (roles, leads): the page
    # needs their names only, and each would cost a statement per request.
    idea = db.get_or_404(
        Idea,
        idea_id,
        options=(defaultload(Idea.author).lazyload("*"), defaultload(Idea.group).lazyload("*")),
    )
    if not can_view_idea(current_user, idea):
        abort(404)
    return idea


def _to_login(idea_id: int, message: str):
    flash(message, "info")
    return redirect(url_for("account.login", next=url_for("ideas.detail", idea_id=idea_id)))


def _back_to(idea: Idea, anchor: str | None = None):
    return redirect(url_for("ideas.detail", idea_id=idea.id, _anchor=anchor))


# ---------------------------------------------------------------- posting and editing


@bp.route("/new", methods=["GET", "POST"])
@checks_own_csrf
@login_required
@_limit("RATELIMIT_POST_IDEA", exempt_when=_is_preview)
def new():
    if not can_post_idea(current_user):
        return _confirm_first()
    form = IdeaForm(group=request.args.get("group", ""))
    form.group.choices = [SelectChoice("", _("Bitte wählen Sie eine Themengruppe"))] + [
        SelectChoice(group.slug, group.name) for group in groups.ordered_groups()
    ]
    valid = form.validate_on_submit()
    group = _chosen_group(form) if form.is_submitted() else None
    if valid and group is not None and not form.wants_preview:
        try:
            idea = ideas.post_idea(group, current_user, form.title.data, form.body.data)
        except DomainError as error:
            # A block in this group: the message names its end and reason, beside the group.
            db.session.rollback()
            form.group.errors.append(str(error))
            return _render_form(form)
        db.session.commit()
        if idea.status is IdeaStatus.SUBMITTED:
            flash(
                _(
                    "Danke! Ihre Idee ist eingegangen. Das Tandem der Themengruppe prüft sie, "
                    "bevor sie öffentlich erscheint."
                ),
                "success",
            )
        else:
            flash(_("Danke! Ihre Idee ist veröffentlicht."), "success")
        return redirect(url_for("ideas.detail", idea_id=idea.id))
    return _render_form(form, preview=valid and group is not None)


def _chosen_group(form: IdeaForm):
    """The group the form names, or None with an error beside the field."""
    if not form.group.data:
        return None
    group = groups.find_by_slug(form.group.data)
    if group is None:
        form.group.errors.append(_("Diese Themengruppe gibt es nicht. Bitte wählen Sie eine aus."))
    elif not can_post_idea(current_user, group):
        form.group.errors.append(
            _(
                "Die Themengruppe „%(name)s“ ist archiviert; dort können keine Ideen mehr "
                "eingereicht werden.",
                name=group.name,
            )
        )
    else:
        return group
    return None


def _confirm_first():
    return render_template("ideas/confirm_first.html"), 403


@bp.route("/<int:idea_id>/edit", methods=["GET", "POST"])
@checks_own_csrf
@login_required
def edit(idea_id: int):
    idea = _visible_idea(idea_id)
    require(can_edit_idea(current_user, idea))
    if not ideas.can_still_edit(idea):
        flash(
            _(
                "Diese Idee kann nicht mehr bearbeitet werden, weil bereits abgestimmt "
                "oder kommentiert wurde."
            ),
            "error",
        )
        return _back_to(idea)
    form = EditIdeaForm(obj=idea)
    if form.validate_on_submit() and not form.wants_preview:
        try:
            ideas.edit_idea(idea, form.title.data, form.body.data)
        except DomainError as error:
            db.session.rollback()
            flash(str(error), "error")
            return _back_to(idea)
        db.session.commit()
        flash(_("Ihre Änderungen sind gespeichert."), "success")
        return _back_to(idea)
    return _render_form(form, idea=idea, preview=form.is_submitted() and not form.errors)


def _render_form(form: IdeaForm | EditIdeaForm, *, idea: Idea | None = None, preview=False):
    preview_html = similar = None
    if preview:
        preview_html = render_markdown(form.body.data)
        similar = search.similar_ideas(
            form.title.data, body=form.body.data, exclude_id=idea.id if idea else None
        )
    # The suggestions while the title is typed come from the search blueprint's JSON route.
    has_similar_route = "search.similar" in current_app.view_functions
    return render_template(
        "ideas/form.html",
        form=form,
        idea=idea,
        preview_html=preview_html,
        similar=similar,
        similar_url=url_for("search.similar") if has_similar_route else None,
        title_max=ideas.TITLE_MAX,
        body_max=format_number(ideas.BODY_MAX),
    ), form_status(form)


@bp.route("/<int:idea_id>/withdraw", methods=["GET", "POST"])
@login_required
def withdraw(idea_id: int):
    # GET asks for confirmation (no JavaScript needed); POST withdraws.
    idea = _visible_idea(idea_id)
    require(can_withdraw_idea(current_user, idea))
    if idea.status is not IdeaStatus.PUBLISHED:
        flash(_("Nur veröffentlichte Ideen können zurückgezogen werden."), "error")
        return _back_to(idea)
    if request.method == "GET":
        return render_template("ideas/withdraw.html", idea=idea)
    ideas.withdraw(idea, current_user)
    db.session.commit()
    flash(_("Ihre Idee wurde zurückgezogen."), "success")
    return _back_to(idea)


# ---------------------------------------------------------------- the idea page


@bp.get("/<int:idea_id>")
@page_cache.for_visitors(list_cache.idea_scope, params=("comments_page",))
def detail(idea_id: int):
    return render_detail(_visible_idea(idea_id))


def render_detail(
    idea: Idea,
    assessment_form: AssessmentForm | None = None,
    note_form: NoteForm | None = None,
):
    """The idea page; a form that failed comes back with its errors (assessment, note)."""
    curated = curation.for_idea_page(idea, current_user)
    may_vote = can_vote(current_user, idea)
    may_assess = can_assess(current_user, idea)
    own_assessment = votes.current_assessment(current_user, idea) if may_assess else None
    return render_template(
        "ideas/detail.html",
        idea=idea,
        is_open=ideas.is_open(idea),
        may_vote=may_vote,
        own_vote=votes.current_vote(current_user, idea).value if may_vote else None,
        may_assess=may_assess,
        assessment_form=assessment_form or AssessmentForm(obj=own_assessment),
        has_assessed=own_assessment is not None,
        averages=_averages(idea),
        may_edit=can_edit_idea(current_user, idea) and ideas.can_still_edit(idea),
        may_withdraw=can_withdraw_idea(current_user, idea) and idea.status is IdeaStatus.PUBLISHED,
        events=ideas.timeline(idea),
        # The steering board's decisions (templates/ideas/_board_decisions.html).
        board_decisions=decisions.idea_decisions(idea),
        # The U30-Votum and the U30-Beirat's statement (templates/ideas/_u30.html).
        u30_section=u30.for_idea_page(idea, current_user),
        # The group's official answer, merge target, rationale and internal notes.
        answer_versions=answers.versions(idea),
        curation=curated,
        note_form=(note_form or NoteForm(formdata=None)) if curated.may_write_note else None,
        # The discussion below the idea (templates/ideas/_comments.html, comments feature).
        comment_thread=comments.thread_page(
            idea, current_user, request.args.get("comments_page", 1, type=int)
        ),
    )


def _averages(idea: Idea) -> dict[str, str] | None:
    if not idea.assessments_count:
        return None
    return {
        "benefit": format_decimal(idea.benefit_average, format="0.0"),
        "feasibility": format_decimal(idea.feasibility_average, format="0.0"),
    }


# ---------------------------------------------------------------- votes and assessments


def _json_error(message: str, status: int):
    return {"message": message, "status": status}, status


@bp.post("/<int:idea_id>/vote")
@_limit("RATELIMIT_VOTE")
def vote(idea_id: int):
    # Answers JSON to `Accept: application/json` (static/js/votes.js), else redirects.
    wants_json = _wants_json()
    if not current_user.is_authenticated:
        message = _("Bitte melden Sie sich an, um abzustimmen.")
        return _json_error(message, 401) if wants_json else _to_login(idea_id, message)
    idea = _visible_idea(idea_id)
    if not can_vote(current_user, idea):
        if wants_json:
            return _json_error(_("Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse."), 403)
        abort(403)
    form = VoteForm()
    try:
        if not form.validate():
            raise DomainError(_("Bitte stimmen Sie dafür oder dagegen."))
        votes.set_vote(current_user, idea, VoteValue(form.value.data))
    except DomainError as error:
        db.session.rollback()
        status = 409 if isinstance(error, IdeaClosed) else 400
        if wants_json:
            return _json_error(str(error), status)
        flash(str(error), "error")
        return _back_to(idea, "abstimmung")
    db.session.commit()
    if wants_json:
        return {
            "idea_id": idea.id,
            "votes_up": idea.votes_up,
            "votes_down": idea.votes_down,
            "own_vote": votes.current_vote(current_user, idea).value,
        }
    return _back_to(idea, "abstimmung")


@bp.post("/<int:idea_id>/assessment")
@_limit("RATELIMIT_VOTE")
def assess(idea_id: int):
    if not current_user.is_authenticated:
        return _to_login(idea_id, _("Bitte melden Sie sich an, um eine Einschätzung abzugeben."))
    idea = _visible_idea(idea_id)
    require(can_assess(current_user, idea))
    form = AssessmentForm()
    if not form.validate_on_submit():
        # The page again, with the errors beside the questions and the choices kept.
        return render_detail(idea, assessment_form=form)
    try:
        votes.set_assessment(current_user, idea, form.benefit.data, form.feasibility.data)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
        return _back_to(idea, "einschaetzung")
    db.session.commit()
    flash(_("Danke! Ihre Einschätzung ist gespeichert."), "success")
    return _back_to(idea, "einschaetzung")
