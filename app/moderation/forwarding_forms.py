"""Forms of offline ideas and forwarding. They check shape; the services check rules."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length, Optional, StopValidation

from app.ideas.forms import _body_field, _title_field
from app.services.forwarding import RATIONALE_MAX, RETURN_NOTE_MAX
from app.services.ideas import ORIGIN_LABELS
from app.services.offline import EVENT_MAX, OFFLINE_ORIGINS, PARTICIPANT_MAX
from app.services.text import newline_filter, strip_filter


def _group_id(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class _OneOfTheChoices:
    """Only a value the view offered; anything else (a tampered id) gets a message."""

    def __init__(self, message):
        self.message = message

    def __call__(self, form, field):
        offered = {SelectChoice.from_input(choice).value for choice in field.choices or ()}
        if field.data is None or field.data not in offered:
            raise StopValidation(self.message)


class OfflineIdeaForm(FlaskForm):
    # The view offers the groups the lead moderates (value: the group's id).
    group = SelectField(
        _l("Themengruppe"),
        coerce=_group_id,
        validate_choice=False,
        validators=[_OneOfTheChoices(_l("Bitte wählen Sie eine Themengruppe, die Sie leiten."))],
    )
    title = _title_field()
    body = _body_field()
    origin = SelectField(
        _l("Herkunft"),
        choices=[SelectChoice("", _l("Bitte wählen"))]
        + [SelectChoice(origin.value, ORIGIN_LABELS[origin]) for origin in OFFLINE_ORIGINS],
        validate_choice=False,
        validators=[
            DataRequired(_l("Bitte wählen Sie, woher die Idee stammt.")),
            AnyOf(
                [origin.value for origin in OFFLINE_ORIGINS],
                message=_l("Bitte wählen Sie, woher die Idee stammt."),
            ),
        ],
    )
    event = StringField(
        _l("Veranstaltung"),
        filters=[strip_filter],
        validators=[
            DataRequired(_l("Bitte geben Sie die Veranstaltung an.")),
            Length(
                max=EVENT_MAX,
                message=_l(
                    "Die Veranstaltung darf höchstens %(max)d Zeichen lang sein.", max=EVENT_MAX
                ),
            ),
        ],
    )
    participant_name = StringField(
        _l("Name der Teilnehmerin oder des Teilnehmers"),
        filters=[strip_filter],
        validators=[
            Optional(),
            Length(
                max=PARTICIPANT_MAX,
                message=_l(
                    "Der Name darf höchstens %(max)d Zeichen lang sein.", max=PARTICIPANT_MAX
                ),
            ),
        ],
    )


class ForwardForm(FlaskForm):
    rationale = TextAreaField(
        _l("Begründung"),
        filters=[newline_filter],
        render_kw={"rows": 8},
        validators=[
            DataRequired(_l("Bitte begründen Sie, warum die Idee weitergeleitet wird.")),
            Length(
                max=RATIONALE_MAX,
                message=_l(
                    "Die Begründung darf höchstens %(max)d Zeichen lang sein.", max=RATIONALE_MAX
                ),
            ),
        ],
    )


class MoveForm(FlaskForm):
    # Sent by the pressed button (name="direction" value="up"), never typed in.
    direction = StringField(validators=[AnyOf(["up", "down"])])


class ReturnForm(FlaskForm):
    note = TextAreaField(
        _l("Anmerkung für die Themengruppe"),
        filters=[newline_filter],
        render_kw={"rows": 5},
        validators=[
            DataRequired(_l("Bitte geben Sie an, warum die Idee an die Themengruppe zurückgeht.")),
            Length(
                max=RETURN_NOTE_MAX,
                message=_l(
                    "Die Anmerkung darf höchstens %(max)d Zeichen lang sein.", max=RETURN_NOTE_MAX
                ),
            ),
        ],
    )
