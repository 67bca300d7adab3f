"""Forms for ideas, votes, assessments and idea lists. They check shape; services check rules."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length, NumberRange, StopValidation

from app.models import IdeaOrigin
from app.services.ideas import BODY_MAX, ORIGIN_LABELS, STATUS_LABELS, TITLE_MAX
from app.services.listing import DEFAULT_SORT, FILTER_STATUSES, MAX_PAGE, SORTS
from app.services.text import newline_filter, strip_filter

RATINGS = range(1, 6)
RATING_LABELS = {1: _l("1 (gering)"), 5: _l("5 (sehr hoch)")}


def _title_field():
    return StringField(
        _l("Titel"),
        filters=[strip_filter],
        validators=[
            DataRequired(_l("Bitte geben Sie einen Titel an.")),
            Length(
                max=TITLE_MAX,
                message=_l("Der Titel darf höchstens %(max)d Zeichen lang sein.", max=TITLE_MAX),
            ),
        ],
    )


def _body_field():
    return TextAreaField(
        _l("Beschreibung"),
        filters=[newline_filter],
        render_kw={"rows": 12},
        validators=[
            DataRequired(_l("Bitte beschreiben Sie Ihre Idee.")),
            Length(
                max=BODY_MAX,
                message=_l(
                    "Die Beschreibung darf höchstens %(max)d Zeichen lang sein.", max=BODY_MAX
                ),
            ),
        ],
    )


class _Actions:
    # Not rendered as a field: the buttons "Vorschau" and "Veröffentlichen" send `action`.
    # Anything but "preview" (also nothing at all) saves.
    action = StringField()

    @property
    def wants_preview(self) -> bool:
        return self.action.data == "preview"


class IdeaForm(_Actions, FlaskForm):
    # The choices are the groups that take ideas; the view sets them and checks the value,
    # so that an unknown or archived group gets its own message beside the field.
    group = SelectField(
        _l("Themengruppe"),
        validate_choice=False,
        validators=[DataRequired(_l("Bitte wählen Sie eine Themengruppe."))],
    )
    title = _title_field()
    body = _body_field()


class EditIdeaForm(_Actions, FlaskForm):
    title = _title_field()
    body = _body_field()


class VoteForm(FlaskForm):
    value = StringField(
        validators=[
            AnyOf(["up", "down", "none"], message=_l("Bitte stimmen Sie dafür oder dagegen."))
        ]
    )


def _rating(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class _OneToFive:
    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        if field.data not in RATINGS:
            raise StopValidation(self.message)


def _rating_field(label, message):
    return RadioField(
        label,
        choices=[SelectChoice(value, RATING_LABELS.get(value, str(value))) for value in RATINGS],
        coerce=_rating,
        validate_choice=False,
        validators=[_OneToFive(message)],
    )


class AssessmentForm(FlaskForm):
    benefit = _rating_field(
        _l("Nutzen für die Stadt"), _l("Bitte bewerten Sie den Nutzen mit 1 bis 5.")
    )
    feasibility = _rating_field(
        _l("Umsetzbarkeit"), _l("Bitte bewerten Sie die Umsetzbarkeit mit 1 bis 5.")
    )


class IdeaListForm(FlaskForm):
    """The parameters of a group page (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    sort = SelectField(choices=[SelectChoice(key) for key in SORTS], default=DEFAULT_SORT)
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice("", _l("alle öffentlichen"))]
        + [SelectChoice(status.value, STATUS_LABELS[status]) for status in FILTER_STATUSES],
        default="",
    )
    origin = SelectField(
        _l("Herkunft"),
        choices=[SelectChoice("", _l("alle"))]
        + [SelectChoice(origin.value, ORIGIN_LABELS[origin]) for origin in IdeaOrigin],
        default="",
    )
    page = IntegerField(default=1, validators=[NumberRange(min=1, max=MAX_PAGE)])
