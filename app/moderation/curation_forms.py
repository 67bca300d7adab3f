"""Forms of the per-idea moderation page. They check shape; services check the rules."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Regexp

from app.models import IdeaStatus
from app.services.answers import ANSWER_MAX
from app.services.curation import NOTE_MAX, SEARCH_MAX, TIMELINE_NOTE_MAX
from app.services.text import newline_filter, strip_filter

ID_MAX_DIGITS = 9


def _idea_number(value):
    # "12", " #12 " and a pasted address ending in /ideas/12 all name idea 12.
    if not isinstance(value, str):
        return value
    value = value.strip().rstrip("/")
    if "/ideas/" in value:
        value = value.rsplit("/ideas/", 1)[1]
    return value.lstrip("#").strip()


def _timeline_note(label, *, required: bool, field_id: str):
    validators = [
        Length(
            max=TIMELINE_NOTE_MAX,
            message=_l("Höchstens %(max)d Zeichen.", max=TIMELINE_NOTE_MAX),
        )
    ]
    if required:
        validators.insert(0, DataRequired(_l("Bitte geben Sie eine Begründung an.")))
    return TextAreaField(
        label,
        id=field_id,
        filters=[newline_filter, strip_filter],
        render_kw={"rows": 4},
        validators=validators,
    )


class StatusForm(FlaskForm):
    """One note and a button per allowed step; the button sends the new status as `to`."""

    to = StringField(
        validators=[
            AnyOf(
                [status.value for status in IdeaStatus],
                message=_l("Bitte wählen Sie einen der angebotenen Schritte."),
            )
        ]
    )
    # Required for some steps only (decline, reject): the service says so beside the field.
    note = _timeline_note(
        _l("Anmerkung für den öffentlichen Verlauf"), required=False, field_id="status-note"
    )


class MergeForm(FlaskForm):
    target = StringField(
        _l("Nummer der Zielidee"),
        id="merge-target",
        filters=[_idea_number],
        validators=[
            DataRequired(
                _l("Bitte geben Sie die Nummer der Idee an, in die zusammengeführt wird.")
            ),
            Regexp(
                rf"^[1-9][0-9]{{0,{ID_MAX_DIGITS - 1}}}$",
                message=_l("Bitte geben Sie eine Nummer an, z. B. 123."),
            ),
        ],
    )
    reason = _timeline_note(_l("Begründung"), required=True, field_id="merge-reason")
    # "1" once the lead has seen the target's title and confirms.
    confirmed = HiddenField(default="")

    @property
    def target_id(self) -> int:
        return int(self.target.data)


class MoveForm(FlaskForm):
    # The choices are the groups the lead moderates; the view sets them and checks the value
    # (another group's id gets 403, an unknown one a message beside the field).
    group = SelectField(
        _l("Neue Themengruppe"),
        id="move-group",
        validate_choice=False,
        validators=[
            DataRequired(_l("Bitte wählen Sie eine Themengruppe.")),
            Regexp(r"^[0-9]{1,9}$", message=_l("Bitte wählen Sie eine Themengruppe.")),
        ],
    )
    note = _timeline_note(
        _l("Anmerkung für den öffentlichen Verlauf"), required=False, field_id="move-note"
    )


class AnswerForm(FlaskForm):
    body = TextAreaField(
        _l("Stellungnahme der Themengruppe"),
        id="answer-body",
        filters=[newline_filter, strip_filter],
        render_kw={"rows": 8},
        validators=[
            DataRequired(_l("Bitte schreiben Sie eine Stellungnahme.")),
            Length(max=ANSWER_MAX, message=_l("Höchstens %(max)d Zeichen.", max=ANSWER_MAX)),
        ],
    )


class NoteForm(FlaskForm):
    body = TextAreaField(
        _l("Interne Notiz"),
        id="note-body",
        filters=[newline_filter, strip_filter],
        render_kw={"rows": 4},
        validators=[
            DataRequired(_l("Bitte schreiben Sie eine Notiz.")),
            Length(max=NOTE_MAX, message=_l("Höchstens %(max)d Zeichen.", max=NOTE_MAX)),
        ],
    )


class MergeSearchForm(FlaskForm):
    """Search for a merge target by title (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    suche = StringField(
        _l("Zielidee nach Titel suchen"),
        id="merge-search",
        filters=[strip_filter],
        validators=[
            Length(max=SEARCH_MAX, message=_l("Höchstens %(max)d Zeichen.", max=SEARCH_MAX))
        ],
    )
