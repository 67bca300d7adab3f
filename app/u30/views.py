"""The U30-Beirat's statement: the form to write or edit it, and endorsing it.

Only U30 members reach these pages (403 for everyone else; visitors are sent to the login
page); an idea someone may not see does not exist for them (404). Whether the idea takes a
statement now (forwarded or prioritised) is a rule of services/u30.py: otherwise the member
is sent back to the idea with the reason.
"""

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

from app.extensions import db, limiter
from app.models import Idea
from app.permissions import (
    can_edit_u30_statement,
    can_endorse_u30_statement,
    can_view_idea,
    can_write_u30_statement,
    require,
)
from app.security import checks_own_csrf, form_status
from app.services import DomainError, u30
from app.u30.forms import EndorsementForm, StatementForm

bp = Blueprint("u30", __name__)

ANCHOR = "u30-beirat"


def _rate_key() -> str:
    # Per account: the members may share one address (a youth centre's network).
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return get_remote_address()


def _limit(key: str):
    return limiter.limit(lambda: current_app.config[key], methods=["POST"], key_func=_rate_key)


def _idea_or_404(idea_id: int) -> Idea:
    idea = db.get_or_404(Idea, idea_id)
    if not can_view_idea(current_user, idea):
        abort(404)
    return idea


def _back_to(idea: Idea):
    return redirect(url_for("ideas.detail", idea_id=idea.id, _anchor=ANCHOR))


def _render_form(form: StatementForm, idea: Idea, *, status: int = 200):
    shown, statement = u30.statement_view(idea)
    if statement is None or not can_edit_u30_statement(current_user, statement):
        shown = None  # a new statement (or another member's, which the error names)
    return (
        render_template(
            "u30/form.html",
            form=form,
            idea=idea,
            statement=shown,
            other_endorsers=[
                person
                for person in (shown.endorsers if shown else [])
                if person.user_id != current_user.id
            ],
            body_max=u30.BODY_MAX,
        ),
        status,
    )


@bp.route("/ideas/<int:idea_id>/u30-statement", methods=["GET", "POST"])
@checks_own_csrf
@login_required
@_limit("RATELIMIT_COMMENT")
def statement(idea_id: int):
    idea = _idea_or_404(idea_id)
    require(can_write_u30_statement(current_user, idea))
    if not u30.accepts_statements(idea) and request.method == "GET":
        # (A POST gets the form back with the reason and the text it sent: see below.)
        flash(u30.closed_message(), "error")
        return _back_to(idea)
    existing = u30.statement_of(idea)
    # A POST goes on to the service even so: a member who wrote while another published
    # first gets the form back with their text and the reason.
    others = existing is not None and not can_edit_u30_statement(current_user, existing)
    if others and request.method == "GET":
        flash(
            _(
                "Der U30-Beirat hat zu dieser Idee bereits eine Stellungnahme; nur wer sie "
                "verfasst hat, kann sie bearbeiten. Sie können sie mittragen."
            ),
            "info",
        )
        return _back_to(idea)
    # The form starts from the statement as it reads; a POST keeps what was typed.
    editing = existing is not None and not others and request.method == "GET"
    form = StatementForm(data={"body": existing.body} if editing else None)
    if not form.validate_on_submit():
        return _render_form(form, idea, status=form_status(form))
    try:
        written = u30.write(idea, current_user, form.body.data)
    except DomainError as error:
        # Another member was quicker, or the board decided meanwhile: the text stays.
        db.session.rollback()
        form.body.errors.append(str(error))
        return _render_form(form, idea, status=409)
    db.session.commit()
    if written.created:
        flash(_("Die Stellungnahme des U30-Beirats ist veröffentlicht."), "success")
    elif written.endorsements_removed:
        flash(
            _(
                "Ihre Änderungen sind gespeichert. Die anderen Mitglieder tragen die neue "
                "Fassung erst mit, wenn sie ihr wieder zustimmen."
            ),
            "success",
        )
    else:
        flash(_("Ihre Änderungen sind gespeichert."), "success")
    return _back_to(idea)


@bp.post("/ideas/<int:idea_id>/u30-statement/endorsement")
@login_required
@_limit("RATELIMIT_VOTE")
def endorsement(idea_id: int):
    idea = _idea_or_404(idea_id)
    require(can_endorse_u30_statement(current_user, idea))
    statement = u30.statement_of(idea)
    if statement is None:
        abort(404)
    form = EndorsementForm()
    if not form.validate_on_submit():
        # (An expired token never gets here: the app-wide CSRF check answers first.)
        flash(_("Bitte wählen Sie „Mittragen“ oder „Nicht mehr mittragen“."), "error")
        return _back_to(idea)
    endorsing = form.action.data == "endorse"
    try:
        if endorsing:
            u30.endorse(statement, current_user)
        else:
            u30.withdraw(statement, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
        return _back_to(idea)
    db.session.commit()
    if endorsing:
        flash(_("Sie tragen die Stellungnahme des U30-Beirats mit."), "success")
    else:
        flash(_("Sie tragen die Stellungnahme nicht mehr mit."), "success")
    return _back_to(idea)
