"""The steering board's decisions and meetings (board members and admins), and the public
page of what it decided (/decisions)."""

import csv
import io
from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.board.views import Printer
from app.decisions.forms import (
    AgendaAddForm,
    ConfirmForm,
    DecisionForm,
    MeetingForm,
    MoveForm,
    parse_date,
)
from app.extensions import db
from app.models import Idea
from app.models.base import utcnow
from app.models.board import Meeting
from app.permissions import can_decide, require
from app.services import DomainError, board, decisions
from app.services.decisions import OUTCOME_LABELS, DecisionError, MeetingError
from app.services.ideas import STATUS_LABELS

bp = Blueprint("decisions", __name__)

# Cells a spreadsheet would read as a formula (and the control characters that may
# precede one) get a leading apostrophe in the CSV export (OWASP: CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@bp.app_template_filter("outcome_label")
def outcome_label(outcome) -> str:
    return str(OUTCOME_LABELS[decisions.O(outcome)])


@bp.app_template_filter("meeting_anchor")
def meeting_anchor(held_on: date) -> str:
    return decisions.meeting_anchor(held_on)


@bp.after_request
def _board_pages_not_cached(response):
    # Agendas and forms of the board: never kept by a shared or browser cache.
    if request.path.startswith("/board/"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def _meeting_or_404(meeting_id: int) -> Meeting:
    return db.get_or_404(Meeting, meeting_id)


def _today_text() -> str:
    return utcnow().date().isoformat()


# ---------------------------------------------------------------- the decision


def _after_decision(idea: Idea, meeting_id: int | None):
    if meeting_id is not None and db.session.get(Meeting, meeting_id) is not None:
        return redirect(
            url_for("decisions.meeting", meeting_id=meeting_id, _anchor="entscheidungen")
        )
    if board.board_row(idea.id) is not None:
        return redirect(url_for("board.dossier", idea_id=idea.id))
    return redirect(url_for("board.index"))


@bp.route("/board/ideas/<int:idea_id>/decision", methods=["GET", "POST"])
@login_required
def decide(idea_id: int):
    require(can_decide(current_user))
    row = board.board_row(idea_id)
    if row is None:
        # Unknown, never forwarded, returned to its group or hidden: not on the board.
        abort(404)
    idea = db.session.get(Idea, idea_id)
    meeting_id = request.args.get("meeting", type=int)
    meeting = db.session.get(Meeting, meeting_id) if meeting_id else None
    earlier = decisions.idea_decisions(idea)
    if not decisions.is_decidable(idea):
        if request.method == "POST":
            # Also the second request of a double click that declined the idea.
            flash(_("Über diese Idee hat das Lenkungsgremium bereits abschließend entschieden."))
            return _after_decision(idea, meeting_id)
        form = None
    else:
        form = DecisionForm()
        # Every outcome passes the form; the service refuses one the status does not allow
        # with its own message ("bereits priorisiert" for the second click of a double click).
        form.outcome.choices = DecisionForm.choices_for(list(decisions.O))
        if request.method == "GET":
            form.meeting_date.data = meeting.held_on.isoformat() if meeting else _today_text()
        if form.validate_on_submit():
            try:
                decisions.decide(
                    idea,
                    current_user,
                    form.outcome.data,
                    parse_date(form.meeting_date.data),
                    form.note.data,
                    form.rank_value(),
                )
            except DecisionError as error:
                db.session.rollback()
                getattr(form, error.field or "outcome").errors.append(str(error))
            except DomainError as error:  # a return refused by forwarding.return_to_group
                db.session.rollback()
                form.note.errors.append(str(error))
            else:
                db.session.commit()
                flash(
                    _(
                        "Die Entscheidung zu „%(title)s“ ist gespeichert: %(outcome)s.",
                        title=idea.title,
                        outcome=OUTCOME_LABELS[decisions.O(form.outcome.data)],
                    ),
                    "success",
                )
                return _after_decision(idea, meeting_id)
    idea = db.session.get(Idea, idea_id)
    return render_template(
        "decisions/decide.html",
        idea=idea,
        row=row,
        text=Printer().texts(row),
        form=form,
        meeting=meeting,
        earlier=earlier,
        offered=[outcome.value for outcome in decisions.outcomes_for(idea)],
        status_labels=STATUS_LABELS,
        priorities=decisions.priority_list(public=False),
        note_max=decisions.NOTE_MAX,
        return_note_max=decisions.note_max(decisions.O.RETURNED),
    )


# ---------------------------------------------------------------- meetings


@bp.route("/board/meetings", methods=["GET", "POST"])
@login_required
def meetings():
    require(can_decide(current_user))
    form = MeetingForm()
    if request.method == "GET":
        form.held_on.data = _today_text()
    if form.validate_on_submit():
        try:
            meeting, created = decisions.create_meeting(
                parse_date(form.held_on.data), form.title.data or "", current_user
            )
        except DecisionError as error:
            db.session.rollback()
            field = form.title if error.field == "title" else form.held_on
            field.errors.append(str(error))
        else:
            db.session.commit()
            if created:
                flash(
                    _("Die Sitzung ist angelegt. Stellen Sie jetzt die Tagesordnung zusammen."),
                    "success",
                )
            else:
                flash(
                    _("Für diesen Tag gibt es bereits eine Sitzung; sie ist hier geöffnet."), "info"
                )
            return redirect(url_for("decisions.meeting", meeting_id=meeting.id))
    listed = decisions.meetings_for_board()
    return render_template(
        "decisions/meetings.html",
        form=form,
        meetings=listed,
        counts=decisions.agenda_counts([meeting.id for meeting in listed]),
        today=utcnow().date(),
    )


@bp.get("/board/meetings/<int:meeting_id>")
@login_required
def meeting(meeting_id: int, add_form: AgendaAddForm | None = None):
    require(can_decide(current_user))
    found = _meeting_or_404(meeting_id)
    result = decisions.agenda(found)
    printer = Printer()
    return render_template(
        "decisions/agenda.html",
        meeting=found,
        label=decisions.meeting_label(found),
        entries=[
            (entry, printer.texts(entry.row) if entry.row else None) for entry in result.entries
        ],
        decisions=result.decisions,
        addable=[(row, printer.texts(row)) for row in decisions.addable_rows(found)],
        add_form=add_form or AgendaAddForm(formdata=None),
        move_form=MoveForm(formdata=None),
        confirm_form=ConfirmForm(formdata=None),
        status_labels=STATUS_LABELS,
        printed=format_date(utcnow(), "medium"),
    )


@bp.post("/board/meetings/<int:meeting_id>/items")
@login_required
def add_items(meeting_id: int):
    require(can_decide(current_user))
    found = _meeting_or_404(meeting_id)
    form = AgendaAddForm()
    if form.validate_on_submit():
        try:
            added = decisions.add_to_agenda(found, form.idea_ids())
        except MeetingError as error:
            db.session.rollback()
            form.ideas.errors.append(str(error))
        else:
            db.session.commit()
            if added:
                flash(
                    _(
                        "%(count)d Idee(n) auf die Tagesordnung gesetzt.",
                        count=len(added),
                    ),
                    "success",
                )
            else:
                flash(_("Die gewählten Ideen stehen bereits auf der Tagesordnung."), "info")
            return redirect(url_for("decisions.meeting", meeting_id=found.id))
    return meeting(meeting_id, add_form=form), 422


@bp.post("/board/meetings/<int:meeting_id>/items/<int:idea_id>/move")
@login_required
def move_item(meeting_id: int, idea_id: int):
    require(can_decide(current_user))
    found = _meeting_or_404(meeting_id)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        decisions.move_item(found, idea_id, form.direction.data)
    except MeetingError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
    return redirect(url_for("decisions.meeting", meeting_id=found.id, _anchor=f"top-{idea_id}"))


@bp.post("/board/meetings/<int:meeting_id>/items/<int:idea_id>/remove")
@login_required
def remove_item(meeting_id: int, idea_id: int):
    require(can_decide(current_user))
    found = _meeting_or_404(meeting_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        decisions.remove_item(found, idea_id)
    except MeetingError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("Die Idee ist von der Tagesordnung genommen."), "success")
    return redirect(url_for("decisions.meeting", meeting_id=found.id, _anchor="tagesordnung"))


# ---------------------------------------------------------------- CSV


CSV_HEADERS = [
    "Nr.",
    "Idee",
    "Themengruppe",
    "Status",
    "Rang in der Gruppe",
    "Begründung der Gruppe",
    "Dafür",
    "Dagegen",
    "Zustimmung (Wilson)",
    "Nutzen Ø",
    "Umsetzbarkeit Ø",
    "Einschätzungen",
    "Kommentare",
    "U30 dafür",
    "U30 dagegen",
    "Gesamtwertung",
    "Adresse",
]


def csv_cell(value) -> str:
    """A cell as text; one a spreadsheet would run as a formula starts with an apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


@bp.get("/board/meetings/<int:meeting_id>/agenda.csv")
@login_required
def agenda_csv(meeting_id: int):
    require(can_decide(current_user))
    found = _meeting_or_404(meeting_id)
    result = decisions.agenda(found)
    printer = Printer()
    buffer = io.StringIO()
    # Semicolons and a byte order mark: what German spreadsheet programs open as UTF-8.
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_(header) for header in CSV_HEADERS])
    for entry in result.entries:
        idea, row = entry.idea, entry.row
        url = url_for("ideas.detail", idea_id=idea.id, _external=True)
        if row is None:
            cells = [entry.position, idea.title, "", STATUS_LABELS[idea.status]] + [""] * 12 + [url]
        else:
            text = printer.texts(row)
            cells = [
                entry.position,
                idea.title,
                row.idea.group_name,
                text["status"],
                text["rank"],
                text["rationale"],
                row.idea.votes_up,
                row.idea.votes_down,
                text["top"],
                text["benefit"],
                text["feasibility"],
                row.idea.assessments_count,
                row.idea.comments_count,
                row.idea.u30_votes_up,
                row.idea.u30_votes_down,
                text["score"],
                url,
            ]
        writer.writerow([csv_cell(cell) for cell in cells])
    filename = f"sitzungsvorlage-{found.held_on.isoformat()}.csv"
    return Response(
        "\ufeff" + buffer.getvalue(),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


# ---------------------------------------------------------------- public


@bp.get("/decisions")
def index():
    number = request.args.get("page", 1, type=int)
    chosen = request.args.get("sitzung", "")
    if chosen:
        # A link from an idea page: the page that shows that meeting.
        try:
            number = decisions.page_of(date.fromisoformat(chosen))
        except ValueError:
            abort(404)
    page = decisions.public_meetings(number)
    if page is None:
        abort(404)
    return render_template(
        "decisions/index.html",
        page=page,
        priorities=decisions.priority_list(),
        label=decisions.meeting_label,
    )
